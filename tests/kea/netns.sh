# Sourced by tests/kea/run.sh and tests/kea/bench.sh: the test network and
# its teardown.  Sets WORK, SRV, CLI, V0, V1, SRV_MAC; installs an EXIT trap.
#
# Namespaces $PFX-srv / $PFX-cli joined by veth $PFX-v0 / $PFX-v1 (PFX=bk),
# addresses only inside 10.77.0.0/16: 10.77.0.1 (server), 10.77.0.2 and
# 10.77.1.254 (client side, also used as relay addresses).  The trap stops
# the daemons whose PIDs the tests appended to $WORK/pids, deletes the
# namespaces (and with them the veth pair) and the temporary directory.

PFX=${BK_PREFIX:-bk}
SRV=$PFX-srv CLI=$PFX-cli V0=$PFX-v0 V1=$PFX-v1

# One run at a time per prefix (check-kea, check-kea-leaks and bench-dhcp
# share the names): wait, bounded, for an earlier run to finish.
exec 9>"/tmp/boots-$PFX-netns.lock"
if ! flock -w 1800 9; then
    echo "netns.sh: another $PFX-* test run holds /tmp/boots-$PFX-netns.lock" >&2
    exit 2
fi

WORK=$(mktemp -d /tmp/boots-kea-test.XXXXXX)
chmod 755 "$WORK"

bk_cleanup() {
    local rc=$?
    set +e
    if [ -f "$WORK/pids" ]; then
        while read -r pid; do
            [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill "$pid"
        done < "$WORK/pids"
        # Bounded wait for them to go, then force.
        for _ in $(seq 50); do
            alive=0
            while read -r pid; do
                [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && alive=1
            done < "$WORK/pids"
            [ $alive = 0 ] && break
            sleep 0.1
        done
        while read -r pid; do
            [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        done < "$WORK/pids"
    fi
    ip netns del "$SRV" 2>/dev/null
    ip netns del "$CLI" 2>/dev/null
    if [ $rc -ne 0 ] && [ -z "${BK_KEEP:-}" ]; then
        echo "---- last lines of the Kea logs ($WORK) ----" >&2
        tail -n 40 "$WORK"/*.log 2>/dev/null >&2
    fi
    [ -n "${BK_KEEP:-}" ] || rm -rf "$WORK"
    exit $rc
}
trap bk_cleanup EXIT INT TERM

. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns-pair.sh"
netns_pair "$SRV" "$CLI" "$V0" "$V1" 10.77.0.1/24 10.77.0.2/24
# The client side also stands in for a relay on 10.77.1.0/24.
ip -n "$CLI" addr add 10.77.1.254/24 dev "$V1"
ip -n "$SRV" route add 10.77.1.0/24 via 10.77.0.2
SRV_MAC=$(ip netns exec "$SRV" cat /sys/class/net/"$V0"/address)

export BK_WORK=$WORK BK_SRV=$SRV BK_IFACE=$V1 BK_SRV_IFACE=$V0
export BK_SRV_MAC=$SRV_MAC
