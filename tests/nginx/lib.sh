# shellcheck shell=bash
# tests/nginx/lib.sh - helpers for the nginx module tests and benchmark:
# TAP output, bounded polling, and starting/stopping Debian's nginx in a
# private prefix.  Sourced, not run.
#
# Only PIDs started here are ever signalled; every nginx started with
# ngx_start is stopped by ngx_cleanup (call it from an EXIT trap).

NGINX=${NGINX:-/usr/sbin/nginx}
TAP_N=0
TAP_FAILED=0
NGX_MASTERS=()

# --- TAP ------------------------------------------------------------------

tap_result() {    # tap_result <0|1> <description> [diagnostic...]
    local rc=$1 desc=$2
    shift 2
    TAP_N=$((TAP_N + 1))
    if [ "$rc" -eq 0 ]; then
        echo "ok $TAP_N - $desc"
    else
        TAP_FAILED=$((TAP_FAILED + 1))
        echo "not ok $TAP_N - $desc"
        local line
        for line in "$@"; do
            printf '#   %s\n' "$line"
        done
    fi
}

is() {            # is <got> <expected> <description>
    if [ "$1" = "$2" ]; then
        tap_result 0 "$3"
    else
        tap_result 1 "$3" "got:      '$1'" "expected: '$2'"
    fi
}

like() {          # like <text> <extended regex> <description>
    if printf '%s' "$1" | grep -Eq -- "$2"; then
        tap_result 0 "$3"
    else
        tap_result 1 "$3" "pattern '$2' not found in:" \
            "$(printf '%s' "$1" | head -c 600)"
    fi
}

unlike() {        # unlike <text> <fixed string> <description>
    if printf '%s' "$1" | grep -Fq -- "$2"; then
        tap_result 1 "$3" "'$2' unexpectedly found"
    else
        tap_result 0 "$3"
    fi
}

ok() {            # ok <description> <command...>: passes if the command does
    local desc=$1
    shift
    if "$@"; then
        tap_result 0 "$desc"
    else
        tap_result 1 "$desc" "command failed: $*"
    fi
}

tap_done() {
    echo "1..$TAP_N"
    if [ "$TAP_FAILED" -ne 0 ]; then
        echo "# FAILED $TAP_FAILED of $TAP_N"
        return 1
    fi
    echo "# all $TAP_N passed"
    return 0
}

# --- polling --------------------------------------------------------------

# wait_until <seconds> <command...>: poll every 50 ms until the command
# succeeds; fails once the time is up.
wait_until() {
    local limit=$1 deadline
    shift
    deadline=$(( $(date +%s%N) + limit * 1000000000 ))
    while ! "$@"; do
        if [ "$(date +%s%N)" -ge "$deadline" ]; then
            return 1
        fi
        sleep 0.05
    done
    return 0
}

# --- nginx ----------------------------------------------------------------

# ngx_prefix <dir>: create the layout nginx needs under a test prefix.
ngx_prefix() {
    mkdir -p "$1/conf" "$1/logs" "$1/tmp"
    chmod 755 "$1" "$1/tmp"
}

# The common temp paths, so nothing is written outside the prefix.
ngx_temp_paths() {
    cat <<CONF
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
CONF
}

ngx_master_pid() {    # ngx_master_pid <prefix>
    cat "$1/logs/nginx.pid" 2>/dev/null
}

ngx_alive() {         # ngx_alive <pid>
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

ngx_listening() {     # ngx_listening <addr> <port>
    curl -s -o /dev/null --max-time 1 "http://$1:$2/" 2>/dev/null
    [ $? -ne 7 ]
}

# ngx_test <prefix> [conf]: nginx -t; its output goes to stdout.
ngx_test() {
    "$NGINX" -t -q -p "$1/" -c "${2:-conf/nginx.conf}" -e logs/test.log \
        2>&1
}

# ngx_start <prefix> <addr> <port>: start a daemonised master and wait until
# it listens.  Extra environment comes from the caller (env VAR=... ngx_start).
ngx_start() {
    local prefix=$1 pid
    rm -f "$prefix/logs/nginx.pid"
    if ! "$NGINX" -p "$prefix/" -c conf/nginx.conf -e logs/stderr.log; then
        cat "$prefix/logs/stderr.log" >&2
        return 1
    fi
    wait_until 10 test -s "$prefix/logs/nginx.pid" || return 1
    pid=$(ngx_master_pid "$prefix")
    NGX_MASTERS+=("$pid")
    wait_until 10 ngx_listening "$2" "$3"
}

# ngx_workers <master pid>: the worker PIDs, sorted.
ngx_workers() {
    local p
    for p in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
        if grep -q "worker process" "/proc/$p/cmdline" 2>/dev/null; then
            echo "$p"
        fi
    done | sort -n
}

ngx_stop_pid() {      # ngx_stop_pid <master pid>
    local pid=$1
    ngx_alive "$pid" || return 0
    kill -QUIT "$pid" 2>/dev/null
    if ! wait_until 10 eval "! kill -0 $pid 2>/dev/null"; then
        kill -TERM "$pid" 2>/dev/null
        wait_until 5 eval "! kill -0 $pid 2>/dev/null" \
            || kill -KILL "$pid" 2>/dev/null
    fi
}

ngx_cleanup() {
    local pid
    for pid in "${NGX_MASTERS[@]}"; do
        ngx_stop_pid "$pid"
    done
    NGX_MASTERS=()
}
