#!/usr/bin/env bash
# make demo: a real network boot of disk-less QEMU machines through Boots, on
# the embedded sample data configs/hardware.json.
#
# Run by the root Makefile after `make deps` and `make all`.  Everything runs
# inside the network namespace be-srv (bridge be-br0, 10.99.0.1/24): stock
# kea-dhcp4 carrying libdhcp_boots.so, stock in.tftpd serving the staged iPXE
# binaries, stock nginx carrying ngx_http_boots_module.so.  Then it boots:
#   1. be-bios-01   BIOS (SeaBIOS + iPXE NIC ROM): DHCP -> script -> kernel
#   2. be-uefi-01   UEFI (OVMF's own PXE, arch 7): DHCP -> ipxe.efi over TFTP
#                   -> iPXE -> DHCP -> script -> kernel; then the same machine
#                   with OVMF's HTTP boot (arch 16): ipxe.efi from nginx /ipxe/
#   3. be-noflow-01 allowWorkflow false: boots, without registry credentials
#   4. an unknown machine (52:54:00:be:00:99, in no hardware record): ignored
# printing each stage as it happens, and tears everything down at the end
# (also on failure or Ctrl-C).  The "kernel" and "initrd" stand in for Hook:
# Debian's cloud kernel and a busybox initramfs that prints /proc/cmdline.
# Needs root.  KEEP=1 keeps the run directory (password redacted).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
. tests/e2e/lib.sh

[ "$(id -u)" -eq 0 ] || be_die "the demo needs root (network namespaces, taps)"
make --no-print-directory -s BUILD="$BUILD" e2e-assets "$BUILD/tftp-root/SHA256SUMS" \
    "$BUILD/libdhcp_boots.so" "$BUILD/ngx_http_boots_module.so" >/dev/null

. tests/e2e/boot-lib.sh
trap 'be_e2e_cleanup; be_verify_teardown || exit 1' EXIT
trap 'exit 130' INT TERM

hr() { printf '%s\n' "------------------------------------------------------------------------"; }

hr
be_log "Boots demo: network boot through Kea + libdhcp_boots.so, tftp-hpa and"
be_log "nginx + ngx_http_boots_module.so (QEMU, TCG)"
hr
be_log "Hardware data ($BE_HW_FILE):"
/usr/bin/python3 - "$BE_HW_FILE" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for h in doc["items"]:
    for i in h["spec"]["interfaces"]:
        d, n = i["dhcp"], i["netboot"]
        print("  %-22s %s  %-11s %-5s allowPXE=%-5s allowWorkflow=%s" % (
            h["metadata"]["namespace"] + "/" + h["metadata"]["name"], d["mac"],
            d["ip"]["address"], "UEFI" if d.get("uefi") else "BIOS",
            str(n.get("allowPXE", False)).lower(),
            str(n.get("allowWorkflow", False)).lower()))
print("  (not in the file)      52:54:00:be:00:99  an unknown machine")
PY

be_e2e_lock
be_e2e_prereqs
be_e2e_rundir
be_e2e_net
be_log ""
be_log "Network: namespace $BE_NS, bridge $BE_BR $BE_SRV_IP/24 (anchor be-anc0), one tap per VM"
be_e2e_services
be_log "Services in $BE_NS:"
be_log "  kea-dhcp4 $(kea-dhcp4 -v)  pid $BE_KEA_PID  hook $(basename "$BE_HOOK_SO") ($(be_kea_stat boots.hardware-records) hardware records)"
be_log "  in.tftpd (tftp-hpa)  pid $BE_TFTPD_PID  root $BE_TFTP_ROOT: $(awk '{printf "%s ", $2}' "$BE_TFTP_ROOT/SHA256SUMS")"
be_log "  nginx $(nginx -v 2>&1 | sed 's|.*/||')  pid $BE_NGINX_PID  module $(basename "$BE_NGX_SO"): /<mac>/auto.ipxe, /hook/, /ipxe/"
be_log "  registry settings given to nginx: boots_registry $BE_REGISTRY, boots_registry_username $BE_REGISTRY_USER,"
be_log "  boots_registry_password_file (a fresh ${#BE_REGISTRY_PASSWORD}-character password; never printed)"
[ "${BE_RA:-1}" = 0 ] || be_log "  IPv6 RA responder on $BE_BR (spares iPXE its ~16 s wait for IPv6 routers)"

SUMMARY=()
DEMO_FAIL=0

show_cmdline() {
    local vm=$1 creds=$2 cl k v
    cl=$(be_guest_cmdline "$vm")
    if [ -z "$cl" ]; then
        be_log "  no kernel command line came back from $vm"; DEMO_FAIL=1; return
    fi
    be_log "  guest /proc/cmdline: $(be_redact "$cl")"
    be_log "  registry settings that reached the guest's kernel:"
    for k in docker_registry registry_username registry_password tink_worker_image grpc_authority; do
        if ! be_has_arg "$cl" "$k"; then
            be_log "    $k: (absent)"
            [ "$creds" = no ] || DEMO_FAIL=1
            continue
        fi
        v=$(be_arg "$cl" "$k")
        if [ "$k" = registry_password ]; then
            if [ "$v" = "$BE_REGISTRY_PASSWORD" ]; then
                v="<${#v} characters, equal to the configured password>"
            else
                v="<${#v} characters, NOT the configured password>"; DEMO_FAIL=1
            fi
        fi
        be_log "    $k=$v"
        [ "$creds" = yes ] || DEMO_FAIL=1
    done
}

boot() {    # boot VM FW MAC IP TITLE CREDS [unknown]
    local vm=$1 fw=$2 mac=$3 ip=$4 title=$5 creds=$6 mode=${7:-known}
    be_log ""
    hr
    be_log "$title"
    hr
    BE_VERBOSE=1 be_vm_run "$vm" "$fw" "$mac" "$ip" "$mode"
    if [ "$mode" = unknown ]; then
        if [ "$BE_RESULT" = gave-up ] && ! grep -a -q "DHCP4_LEASE_ALLOC \[hwtype=1 $mac\]" "$BE_RUN/kea.log"; then
            be_log "  => ignored as configured (unknown-clients: ignore): no offer, no lease;"
            be_log "     boots.unknown-dropped = $(be_kea_stat boots.unknown-dropped)"
            SUMMARY+=("$(printf '%-9s %-17s %-11s %s' "$vm" "$mac" "-" "no answer (${BE_STAGE_end}s)")")
        else
            be_log "  => UNEXPECTED: $BE_RESULT"; DEMO_FAIL=1
            SUMMARY+=("$(printf '%-9s %-17s %-11s %s' "$vm" "$mac" "-" "UNEXPECTED $BE_RESULT")")
        fi
        return
    fi
    show_cmdline "$vm" "$creds"
    if [ "$BE_RESULT" = poweroff ]; then
        SUMMARY+=("$(printf '%-9s %-17s %-11s %s' "$vm" "$mac" "$ip" "kernel at ${BE_STAGE_linux:-?}s, cmdline at ${BE_STAGE_init:-?}s")")
    else
        be_log "  => UNEXPECTED: $BE_RESULT"; DEMO_FAIL=1
        SUMMARY+=("$(printf '%-9s %-17s %-11s %s' "$vm" "$mac" "$ip" "UNEXPECTED $BE_RESULT")")
    fi
}

boot bios   bios 52:54:00:be:00:10 10.99.0.10 \
    "1. default/be-bios-01: BIOS, SeaBIOS + iPXE NIC ROM (DHCP -> script -> kernel)" yes
boot uefi   uefi 52:54:00:be:00:11 10.99.0.11 \
    "2. default/be-uefi-01: UEFI, OVMF native PXE (DHCP -> ipxe.efi over TFTP -> iPXE -> DHCP -> script -> kernel)" yes
boot uefihttp uefi-http 52:54:00:be:00:11 10.99.0.11 \
    "2b. default/be-uefi-01 again, UEFI HTTP boot (OVMF, arch 16): DHCP -> ipxe.efi from nginx /ipxe/ -> iPXE -> DHCP -> script -> kernel" yes
boot noflow bios 52:54:00:be:00:12 10.99.0.12 \
    "3. default/be-noflow-01: allowWorkflow false (boots, no credentials)" no
BE_VM_LIMIT=60 boot unknown bios 52:54:00:be:00:99 0.0.0.0 \
    "4. an unknown machine 52:54:00:be:00:99 (no hardware record)" no unknown

be_log ""
hr
be_log "Summary (seconds after QEMU start):"
printf '  %s\n' "${SUMMARY[@]}"
be_log "Hook statistics: netboot-offers=$(be_kea_stat boots.netboot-offers) netboot-acks=$(be_kea_stat boots.netboot-acks) unknown-dropped=$(be_kea_stat boots.unknown-dropped)"
be_log "Tearing down: stopping the daemons and VMs started here, deleting $BE_NS."
hr
if [ "$DEMO_FAIL" -ne 0 ]; then
    be_log "demo: something did not go as expected (see above)"
    exit 1
fi
be_log "demo: every machine behaved as expected"
