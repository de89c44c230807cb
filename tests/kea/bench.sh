#!/usr/bin/env bash
# bench-dhcp: Kea CPU per 4-way exchange and exchange rate, native host
# reservations vs the Boots hook, at 10,000 and 100,000 records; then packet
# loss during 10 hardware reloads of 100,000 records under steady load.
# perfdhcp (kea-admin) drives a real kea-dhcp4 in the bk-* namespaces.
#
#   tests/kea/bench.sh [--hook build/libdhcp_boots.so] [--quick]
#   tests/kea/bench.sh [--hook ...] --instructions   (callgrind: instructions
#       per exchange, native vs hook, 10,000 records; BK_INSN_RECORDS=n;
#       BK_INSN_CACHE=1 adds callgrind --cache-sim=yes and prints the
#       first-level instruction-cache misses (I1mr) per exchange too)
#
# Environment: BK_BENCH_PIN=0 does not pin kea-dhcp4 and perfdhcp to two
# CPUs in the CPU comparison; BK_BENCH_MT=0 runs the reload runs with Kea
# single-threaded; BK_BENCH_QUEUE=1 turns on Kea's dhcp-queue-control
# (kea-ring4) there; BK_PREFIX names the namespaces (default bk).
#
# Results are printed as ratios hook/native measured in the same run.
set -euo pipefail

cd "$(dirname "$0")/../.."
HOOK=build/libdhcp_boots.so
if [ "${1:-}" = "--hook" ]; then HOOK=$2; shift 2; fi
HOOK=$(readlink -f "$HOOK")
[ -f "$HOOK" ] || { echo "bench.sh: $HOOK not built" >&2; exit 2; }
command -v perfdhcp >/dev/null || { echo "bench.sh: perfdhcp missing (kea-admin)" >&2; exit 2; }

. tests/kea/netns.sh
export BK_HOOK=$HOOK
ip netns exec "$CLI" /usr/bin/python3 tests/kea/bench.py "$@"
