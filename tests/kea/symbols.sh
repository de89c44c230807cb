#!/usr/bin/env bash
# The hook must not carry private copies of template vtables (boost's
# shared_ptr control blocks, Kea's classes): Kea keeps objects the hook
# created, such as the query's HWAddr that ends up in a lease, after it
# unloads the library on config-reload or libreload, and a local vtable
# would leave them pointing into the unmapped library (a crash when Kea
# frees them later).  Exported (weak) vtables are bound to Kea's copies.
#
#   tests/kea/symbols.sh build/libdhcp_boots.so
set -euo pipefail
so=${1:?usage: symbols.sh libdhcp_boots.so}
local_vtables=$(nm -C "$so" | grep -E ' [bdr] vtable for (boost|isc)::' || true)
entries=$(nm -D --defined-only "$so" | awk '{print $3}' \
          | grep -cxE 'version|load|unload|multi_threading_compatible|buffer4_receive|pkt4_send|lease4_select|lease4_renew|dhcp4_srv_configured' || true)
rc=0
if [ -n "$local_vtables" ]; then
    echo "not ok - $so has local copies of template vtables:"
    echo "$local_vtables" | head -20
    rc=1
else
    echo "ok   - $so binds boost/Kea template vtables to Kea's copies"
fi
if [ "$entries" -ne 9 ]; then
    echo "not ok - $so exports $entries of the 9 entry points Kea looks up"
    rc=1
else
    echo "ok   - $so exports the 9 entry points Kea looks up"
fi
exit $rc
