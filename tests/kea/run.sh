#!/usr/bin/env bash
# Boots Kea hook integration tests: a real kea-dhcp4 loading
# build/libdhcp_boots.so in a network namespace, driven by an independent
# scapy client in a second namespace.
#
#   tests/kea/run.sh [--hook build/libdhcp_boots.so] [test-name ...]
#
# Network: namespaces bk-srv / bk-cli joined by veth bk-v0 / bk-v1, addresses
# only in 10.77.0.0/16 (10.77.0.1 server, 10.77.0.2 client side, 10.77.1.254
# a relay address on the client side).  Everything the test creates (the
# namespaces, the veth, the daemons it started, its temporary directory) is
# removed by the EXIT trap, whatever happens.
set -euo pipefail

cd "$(dirname "$0")/../.."
HOOK=build/libdhcp_boots.so
if [ "${1:-}" = "--hook" ]; then HOOK=$2; shift 2; fi
HOOK=$(readlink -f "$HOOK")
[ -f "$HOOK" ] || { echo "run.sh: $HOOK not built (make kea-hook)" >&2; exit 2; }
PY=/usr/bin/python3          # Debian's python, which has python3-scapy

PFX=${BK_PREFIX:-bk}
SRV=$PFX-srv CLI=$PFX-cli V0=$PFX-v0 V1=$PFX-v1
WORK=$(mktemp -d /tmp/boots-kea-test.XXXXXX)
chmod 755 "$WORK"

cleanup() {
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
    ip link del "$V0" 2>/dev/null
    if [ $rc -ne 0 ] && [ -z "${BK_KEEP:-}" ]; then
        echo "---- last lines of the Kea logs ($WORK) ----" >&2
        tail -n 40 "$WORK"/kea*.log 2>/dev/null >&2
    fi
    [ -n "${BK_KEEP:-}" ] || rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT INT TERM

# Leftovers of an interrupted earlier run of this same test.
ip netns del "$SRV" 2>/dev/null || true
ip netns del "$CLI" 2>/dev/null || true

ip netns add "$SRV"
ip netns add "$CLI"
ip link add "$V0" type veth peer name "$V1"
ip link set "$V0" netns "$SRV"
ip link set "$V1" netns "$CLI"
ip -n "$SRV" link set lo up
ip -n "$CLI" link set lo up
ip -n "$SRV" addr add 10.77.0.1/24 dev "$V0"
ip -n "$CLI" addr add 10.77.0.2/24 dev "$V1"
ip -n "$CLI" addr add 10.77.1.254/24 dev "$V1"
ip -n "$SRV" link set "$V0" up
ip -n "$CLI" link set "$V1" up
ip -n "$SRV" route add 10.77.1.0/24 via 10.77.0.2
SRV_MAC=$(ip netns exec "$SRV" cat /sys/class/net/"$V0"/address)

export BK_WORK=$WORK BK_HOOK=$HOOK BK_SRV=$SRV BK_IFACE=$V1 BK_SRV_IFACE=$V0
export BK_SRV_MAC=$SRV_MAC
ip netns exec "$CLI" "$PY" tests/kea/test_kea.py "$@"
