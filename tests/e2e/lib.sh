# Shared shell helpers for the TFTP, end-to-end and demo scripts (sourced).
#
# Everything these helpers create carries the "be" prefix (namespaces be-*,
# interfaces be-*), lives in 10.99.0.0/24 inside namespaces created here, and
# is recorded so that be_teardown (run from an EXIT trap) removes exactly
# that: the PIDs started here and the namespaces created here, nothing else.

BE_PIDS=()          # daemons and VMs started by this script
BE_NETNS=()         # namespaces created by this script
BE_FAILS=0
BE_PASSES=0

be_now() { printf '%s' "${EPOCHREALTIME/,/.}"; }

# Seconds (3 decimals) between two be_now values.
be_elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

be_log()  { printf '%s\n' "$*"; }
be_pass() { BE_PASSES=$((BE_PASSES + 1)); printf 'ok   - %s\n' "$*"; }
be_fail() { BE_FAILS=$((BE_FAILS + 1)); printf 'FAIL - %s\n' "$*"; }
be_check() {    # be_check "description" command...
    local what=$1; shift
    if "$@"; then be_pass "$what"; else be_fail "$what"; fi
}
be_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# be_wait_for TIMEOUT_S command... : poll (every 0.1 s) until the command
# succeeds; returns 1 when the timeout passes first.
be_wait_for() {
    local timeout=$1; shift
    local deadline
    deadline=$(awk -v n="$(be_now)" -v t="$timeout" 'BEGIN { printf "%.3f", n + t }')
    while ! "$@"; do
        if awk -v n="$(be_now)" -v d="$deadline" 'BEGIN { exit !(n > d) }'; then
            return 1
        fi
        sleep 0.1
    done
}

be_alive() { kill -0 "$1" 2>/dev/null; }

# Remember a PID for teardown (and for be_verify_teardown).
BE_ALL_PIDS=()
BE_ALL_NETNS=()
be_track() { BE_PIDS+=("$1"); BE_ALL_PIDS+=("$1"); }

# Stop one PID we started: TERM, up to 5 s, then KILL.
be_stop_pid() {
    local pid=$1 i
    be_alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do
        be_alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# Create a namespace (removing a stale one of the same name left by a killed
# run of this very script family: the name carries our prefix).
be_netns_add() {
    local ns=$1
    case "$ns" in be-*) ;; *) be_die "namespace $ns lacks the be- prefix" ;; esac
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
        be_netns_reap "$ns"
    fi
    ip netns add "$ns"
    BE_NETNS+=("$ns")
    BE_ALL_NETNS+=("$ns")
    ip -n "$ns" link set lo up
    # Link-local IPv6 addresses usable at once (no DAD wait before the RA
    # responder can send).
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
        net.ipv6.conf.default.accept_dad=0
}

# Kill whatever still runs inside a namespace of ours, then delete it.
be_netns_reap() {
    local ns=$1 pids pid
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    if [ -n "$pids" ]; then
        be_wait_for 5 be_netns_empty "$ns" || \
            for pid in $(ip netns pids "$ns" 2>/dev/null); do
                kill -KILL "$pid" 2>/dev/null || true
            done
    fi
    ip netns del "$ns" 2>/dev/null || true
}
be_netns_empty() { [ -z "$(ip netns pids "$1" 2>/dev/null)" ]; }

be_teardown() {
    local pid ns i
    for ((i = ${#BE_PIDS[@]} - 1; i >= 0; i--)); do
        be_stop_pid "${BE_PIDS[$i]}"
    done
    for ns in "${BE_NETNS[@]}"; do
        be_netns_reap "$ns"
    done
    BE_PIDS=()
    BE_NETNS=()
}

# The in.tftpd options of the shipped configs/tftpd-hpa (what Debian's service
# would run), with the remap file taken from this tree.  Prints one option
# per line.
be_tftpd_options() {
    local opts user remap
    remap=$(readlink -f configs/tftpd-hpa.remap)
    opts=$(. configs/tftpd-hpa && printf '%s' "$TFTP_OPTIONS")
    user=$(. configs/tftpd-hpa && printf '%s' "$TFTP_USERNAME")
    # shellcheck disable=SC2086
    set -- $opts
    while [ $# -gt 0 ]; do
        case "$1" in
            --map-file|-m) printf '%s\n%s\n' --map-file "$remap"; shift 2 ;;
            *)             printf '%s\n' "$1"; shift ;;
        esac
    done
    if [ -n "$user" ] && id "$user" >/dev/null 2>&1; then
        printf '%s\n%s\n' --user "$user"
    fi
}

# be_start_tftpd NS ADDR ROOT LOGFILE [in.tftpd options...]
# Runs busybox syslogd and in.tftpd (foreground) inside NS.  tftpd logs only
# through syslog(3) and the namespace has no /dev/log of its own, so the
# command runs with a private tmpfs on /dev (ip netns exec already gives it a
# mount namespace with slave propagation: the host's /dev is untouched).
# Sets BE_TFTPD_PID; both PIDs are tracked.
be_start_tftpd() {
    local ns=$1 addr=$2 root=$3 log=$4; shift 4
    local dir pidf
    dir=$(dirname "$log")
    pidf="$dir/.syslogd.pid.$$"
    rm -f "$pidf" "$log"
    : > "$log"
    # Note: `ip netns exec` execs, so $! is the shell, which execs in.tftpd.
    ip netns exec "$ns" /bin/sh -c '
        set -e
        mount -t tmpfs -o mode=755 be-dev /dev
        mknod -m 666 /dev/null c 1 3
        mknod -m 444 /dev/urandom c 1 9
        /bin/busybox syslogd -n -O "$1" -S &
        echo $! > "$2"
        i=0; while [ ! -S /dev/log ] && [ $i -lt 50 ]; do i=$((i+1)); sleep 0.1; done
        [ -S /dev/log ] || { echo "syslogd did not start" >&2; exit 1; }
        shift 2
        exec "$@"
    ' be-tftpd "$log" "$pidf" /usr/sbin/in.tftpd -L -a "$addr" "$@" "$root" \
        > "$dir/tftpd.stderr" 2>&1 &
    BE_TFTPD_PID=$!
    be_track "$BE_TFTPD_PID"
    be_wait_for 5 test -s "$pidf" || be_die "tftpd: syslogd did not start"
    be_track "$(cat "$pidf")"
    rm -f "$pidf"
    be_wait_for 5 be_udp_bound "$ns" "${addr%:*}" "${addr##*:}" \
        || { cat "$dir/tftpd.stderr" >&2; be_die "in.tftpd did not bind $addr"; }
}

# True when something in NS listens on UDP ADDR:PORT.
be_udp_bound() {
    ip netns exec "$1" ss -Hlun "sport = :$3" 2>/dev/null | grep -q "$2:$3\|\*:$3\|0.0.0.0:$3"
}
be_tcp_bound() {
    ip netns exec "$1" ss -Hltn "sport = :$3" 2>/dev/null | grep -q "$2:$3\|\*:$3\|0.0.0.0:$3"
}

# After be_teardown: true when no PID this script started still runs and no
# namespace it created is left; otherwise says what is left.
be_verify_teardown() {
    local pid ns left=0
    for pid in "${BE_ALL_PIDS[@]}"; do
        if be_alive "$pid"; then
            echo "teardown: PID $pid ($(cat /proc/$pid/comm 2>/dev/null)) still runs" >&2
            left=1
        fi
    done
    for ns in "${BE_ALL_NETNS[@]}"; do
        if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
            echo "teardown: namespace $ns still exists" >&2
            left=1
        fi
    done
    return $left
}

# One be- test at a time per machine (whatever checkout it runs from): the
# namespace names are fixed, and be_netns_add reaps a stale namespace of the
# same name.  Waits up to 5 minutes.
be_lock() {
    local dir=/run/lock
    [ -d "$dir" ] && [ -w "$dir" ] || dir=${TMPDIR:-/tmp}
    exec 9> "$dir/boots-be-tests.lock"
    flock -w 300 9 || be_die "another Boots be- test holds $dir/boots-be-tests.lock"
}

be_summary() {
    local name=$1
    printf '%s: %d passed, %d failed\n' "$name" "$BE_PASSES" "$BE_FAILS"
    [ "$BE_FAILS" -eq 0 ]
}
