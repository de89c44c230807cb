#!/usr/bin/env bash
# Boots Kea hook integration tests: a real kea-dhcp4 loading
# build/libdhcp_boots.so in a network namespace, driven by an independent
# scapy client in a second namespace (see netns.sh for the network).
#
#   tests/kea/run.sh [--hook build/libdhcp_boots.so] [test-name ...]
#   tests/kea/run.sh [--hook ...] --leaks      (valgrind leak check)
set -euo pipefail

cd "$(dirname "$0")/../.."
HOOK=build/libdhcp_boots.so
if [ "${1:-}" = "--hook" ]; then HOOK=$2; shift 2; fi
HOOK=$(readlink -f "$HOOK")
[ -f "$HOOK" ] || { echo "run.sh: $HOOK not built (make kea-hook)" >&2; exit 2; }
PY=/usr/bin/python3          # Debian's python, which has python3-scapy

. tests/kea/netns.sh
export BK_HOOK=$HOOK
ip netns exec "$CLI" "$PY" tests/kea/test_kea.py "$@"
