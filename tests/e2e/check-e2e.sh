#!/usr/bin/env bash
# check-e2e: QEMU VMs network-boot through Kea + libdhcp_boots.so, tftp-hpa
# and nginx + ngx_http_boots_module.so, on configs/hardware.json.
#
#   be-bios-01   52:54:00:be:00:10  SeaBIOS + iPXE NIC ROM: DHCP -> script -> kernel
#   be-uefi-01   52:54:00:be:00:11  OVMF native PXE (arch 7): DHCP -> ipxe.efi over
#                                   TFTP -> iPXE -> DHCP -> script -> kernel;
#                                   then OVMF HTTP boot (arch 16): DHCP -> ipxe.efi
#                                   from nginx /ipxe/ -> iPXE -> ... -> kernel
#   be-noflow-01 52:54:00:be:00:12  allowWorkflow false: boots, no credentials
#   (unknown)    52:54:00:be:00:99  not in the hardware file: no answer at all
#
# Asserts the IP each VM got (Kea's lease log and the firmware's own report),
# the files served (tftpd's log via syslog, nginx's access log), and the
# settings on the guest's kernel command line (printed by the initramfs).
# Every VM run is bounded (BE_VM_TIMEOUT, default 110 s); teardown always runs.
# KEEP=1 keeps the run directory (password redacted).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/boot-lib.sh

trap 'be_e2e_cleanup; be_verify_teardown || exit 1' EXIT
trap 'exit 130' INT TERM

be_e2e_lock
be_e2e_prereqs
be_e2e_rundir
be_e2e_net
be_e2e_services
be_log "e2e: services up in $BE_NS (run directory $BE_RUN)"

ACC=$BE_RUN/nginx/access.log
KSIZE=$(stat -c %s "$BE_ASSETS/vmlinuz-x86_64")
ISIZE=$(stat -c %s "$BE_ASSETS/initramfs-x86_64")
serial_has() { grep -a -q -E -- "$2" "$BE_RUN/$1.serial"; }
# The daemons' logs are shared by all VMs: each VM's checks look only at the
# lines written since mark_logs ran just before it booted.
mark_logs() {
    KEA_FROM=$(wc -l < "$BE_RUN/kea.log")
    BOOTS_FROM=$(wc -l < "$BE_RUN/kea-boots.log")
    ACC_FROM=$(wc -l < "$ACC")
    TFTP_FROM=$(wc -l < "$BE_RUN/tftpd.log")
}
kea_has() { tail -n +$((KEA_FROM + 1)) "$BE_RUN/kea.log" | grep -a -q -E -- "$1"; }
acc_has() { tail -n +$((ACC_FROM + 1)) "$ACC" | grep -a -q -E -- "$1"; }
tftp_has() { tail -n +$((TFTP_FROM + 1)) "$BE_RUN/tftpd.log" | grep -a -q -E -- "$1"; }
result_is() { [ "$BE_RESULT" = "$1" ]; }

# The HTTP part every known worker goes through; $1 VM, $2 MAC, $3 IP.
hook_acked() {  # hook_acked MAC KIND FILE: the hook's debug log shows that ACK
    tail -n +$((BOOTS_FROM + 1)) "$BE_RUN/kea-boots.log" |
        grep -a -F "BOOTS_DECISION Boots reply to $1 " |
        grep -a -q -F "DHCPACK, boot kind $2, file '$3'"
}

check_http() {
    local vm=$1 mac=$2 ip=$3
    be_check "$vm: the hook's DHCPACK named the script http://$BE_SRV_IP/$mac/auto.ipxe" \
        hook_acked "$mac" ipxe-script "http://$BE_SRV_IP/$mac/auto.ipxe"
    be_check "$vm: script /<mac>/auto.ipxe served by the module to $ip (200)" \
        acc_has " $ip \"GET /${mac//:/%3A}/auto.ipxe HTTP/1.1\" 200 "
    be_check "$vm: kernel served whole to $ip ($KSIZE bytes)" \
        acc_has " $ip \"GET /hook/vmlinuz-x86_64 HTTP/1.1\" 200 $KSIZE\$"
    be_check "$vm: initrd served whole to $ip ($ISIZE bytes)" \
        acc_has " $ip \"GET /hook/initramfs-x86_64 HTTP/1.1\" 200 $ISIZE\$"
    be_check "$vm: the kernel ran the initramfs (cmdline markers on ttyS0)" \
        serial_has "$vm" 'BOOTS-E2E-CMDLINE-END'
}

# The identity and, if expected, the registry settings on the guest's
# kernel command line.
check_cmdline() {
    local vm=$1 mac=$2 creds=$3 cl
    cl=$(be_guest_cmdline "$vm")
    be_check "$vm: cmdline worker_id=$mac" test "$(be_arg "$cl" worker_id)" = "$mac"
    be_check "$vm: cmdline hw_addr=$mac" test "$(be_arg "$cl" hw_addr)" = "$mac"
    be_check "$vm: cmdline facility=onprem" test "$(be_arg "$cl" facility)" = onprem
    be_check "$vm: cmdline syslog_host=$BE_SRV_IP" \
        test "$(be_arg "$cl" syslog_host)" = "$BE_SRV_IP"
    if [ "$creds" = yes ]; then
        be_check "$vm: cmdline docker_registry=$BE_REGISTRY" \
            test "$(be_arg "$cl" docker_registry)" = "$BE_REGISTRY"
        be_check "$vm: cmdline registry_username=$BE_REGISTRY_USER" \
            test "$(be_arg "$cl" registry_username)" = "$BE_REGISTRY_USER"
        be_check "$vm: cmdline registry_password is this run's password" \
            test "$(be_arg "$cl" registry_password)" = "$BE_REGISTRY_PASSWORD"
        be_check "$vm: cmdline grpc_authority=$BE_TINK_SERVER" \
            test "$(be_arg "$cl" grpc_authority)" = "$BE_TINK_SERVER"
        be_check "$vm: cmdline tink_worker_image=$BE_WORKER_IMAGE" \
            test "$(be_arg "$cl" tink_worker_image)" = "$BE_WORKER_IMAGE"
    else
        local k
        for k in docker_registry registry_username registry_password \
                 grpc_authority tink_worker_image; do
            be_check "$vm: cmdline has no $k (allowWorkflow false)" \
                eval '! be_has_arg "$cl" $k'
        done
        be_check "$vm: the registry password appears nowhere on its console" \
            eval '! grep -a -q -F -- "$BE_REGISTRY_PASSWORD" "$BE_RUN/$vm.serial"'
    fi
}

# --- 0. configs/rsyslog-boots.conf receives workers' logs ------------------
# A real rsyslogd with the example file (only its output directory changed)
# in be-srv; a "worker" namespace on the bridge sends as Hook would, over UDP
# and TCP, with util-linux logger.
mkdir -p "$BE_RUN/syslog"
sed "s|/var/log/boots/|$BE_RUN/syslog/|" configs/rsyslog-boots.conf > "$BE_RUN/rsyslog.conf"
be_check "rsyslog: rsyslogd -N1 accepts configs/rsyslog-boots.conf" \
    eval 'rsyslogd -N1 -f "$BE_RUN/rsyslog.conf" > "$BE_RUN/rsyslog-N1.out" 2>&1'
ip netns exec $BE_NS rsyslogd -n -iNONE -f "$BE_RUN/rsyslog.conf" \
    > "$BE_RUN/rsyslogd.out" 2>&1 &
be_track $!
be_netns_add be-wrk
ip -n $BE_NS link add be-log0 type veth peer name be-log1 netns be-wrk
ip -n $BE_NS link set be-log0 master $BE_BR
ip -n $BE_NS link set be-log0 up
ip -n be-wrk addr add 10.99.0.50/24 dev be-log1
ip -n be-wrk link set be-log1 up
msg="hook-e2e $(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
logged() { grep -q -F -- "$1" "$BE_RUN/syslog/10.99.0.50.log" 2>/dev/null; }
if be_wait_for 10 eval 'be_udp_bound $BE_NS $BE_SRV_IP 514 && be_tcp_bound $BE_NS $BE_SRV_IP 514'; then
    be_wait_for 10 eval 'ip netns exec be-wrk logger -n $BE_SRV_IP -P 514 -d -t hook-bootkit "$msg udp"; logged "$msg udp"' || true
    be_check "rsyslog: a worker's UDP syslog lands in syslog/10.99.0.50.log" logged "$msg udp"
    ip netns exec be-wrk timeout 10 logger -n $BE_SRV_IP -P 514 -T -t hook-bootkit "$msg tcp" || true
    be_wait_for 10 logged "$msg tcp" || true
    be_check "rsyslog: a worker's TCP syslog lands in the same file" logged "$msg tcp"
else
    be_fail "rsyslog: rsyslogd did not listen on $BE_SRV_IP:514 ($(head -c 300 "$BE_RUN/rsyslogd.out"))"
fi

# The same binaries over HTTP (/ipxe/, for UEFI HTTP boot), seen from the
# worker namespace.
for f in undionly.kpxe ipxe.efi snponly.efi; do
    ip netns exec be-wrk timeout 20 curl -sS -o "$BE_RUN/http-$f" \
        "http://$BE_SRV_IP/ipxe/$f" 2>/dev/null || true
    be_check "nginx serves /ipxe/$f identical to the staged binary" \
        cmp -s "$BE_RUN/http-$f" "$BE_TFTP_ROOT/$f"
done

# --- 1. BIOS: SeaBIOS + iPXE NIC ROM ---------------------------------------
vm=bios mac=52:54:00:be:00:10 ip=10.99.0.10
mark_logs
be_vm_run $vm bios $mac $ip
be_check "$vm: VM powered off after printing its cmdline (${BE_STAGE_end}s)" result_is poweroff
be_check "$vm: Kea leased $ip to $mac" \
    kea_has "DHCP4_LEASE_ALLOC \[hwtype=1 $mac\].* lease $ip has been allocated for 86400 seconds"
be_check "$vm: iPXE configured net0 with $ip/24 gw $BE_SRV_IP" \
    serial_has $vm "net0: $ip/255.255.255.0 gw $BE_SRV_IP"
be_check "$vm: iPXE went straight to HTTP (no TFTP request)" \
    eval '! tftp_has "RRQ from $ip "'
check_http $vm $mac $ip
check_cmdline $vm $mac yes

# --- 2. UEFI: OVMF's own PXE -> ipxe.efi over TFTP -> iPXE -------------------
vm=uefi mac=52:54:00:be:00:11 ip=10.99.0.11
mark_logs
be_vm_run $vm uefi $mac $ip
be_check "$vm: VM powered off after printing its cmdline (${BE_STAGE_end}s)" result_is poweroff
be_check "$vm: OVMF got $ip and next-server $BE_SRV_IP" \
    eval 'serial_has $vm "Station IP address is $ip" && serial_has $vm "Server IP address is $BE_SRV_IP"'
be_check "$vm: OVMF was told NBP ipxe.efi (arch 7 -> efi-x86_64 binary)" \
    serial_has $vm "NBP filename is ipxe.efi"
be_check "$vm: the hook's DHCPACK to the firmware named TFTP file ipxe.efi" \
    hook_acked "$mac" tftp ipxe.efi
be_check "$vm: tftpd served ipxe.efi to $ip" \
    tftp_has "RRQ from $ip filename ipxe.efi"
be_check "$vm: Kea leased $ip twice (firmware, then iPXE)" \
    test "$(tail -n +$((KEA_FROM + 1)) "$BE_RUN/kea.log" | grep -a -c "DHCP4_LEASE_ALLOC \[hwtype=1 $mac\].* lease $ip ")" -ge 2
be_check "$vm: iPXE (from TFTP) configured net0 with $ip" \
    serial_has $vm "net0: $ip/255.255.255.0 gw $BE_SRV_IP"
check_http $vm $mac $ip
check_cmdline $vm $mac yes

# --- 2b. UEFI HTTP boot: OVMF's HTTP boot (arch 16) -> ipxe.efi from nginx --
vm=uefihttp mac=52:54:00:be:00:11 ip=10.99.0.11
mark_logs
be_vm_run $vm uefi-http $mac $ip
be_check "$vm: VM powered off after printing its cmdline (${BE_STAGE_end}s)" result_is poweroff
be_check "$vm: OVMF booted over HTTP with $ip, URI http://$BE_SRV_IP/ipxe/ipxe.efi" \
    eval 'serial_has $vm "Start HTTP Boot over IPv4" && serial_has $vm "Station IP address is $ip" && serial_has $vm "URI: http://$BE_SRV_IP/ipxe/ipxe.efi"'
be_check "$vm: the hook answered HTTPClient with the binary URL (boot kind http-binary)" \
    grep -a -q "BOOTS_DECISION .*$mac.*boot kind http-binary, file 'http://$BE_SRV_IP/ipxe/ipxe.efi'" "$BE_RUN/kea-boots.log"
be_check "$vm: nginx served /ipxe/ipxe.efi whole to $ip" \
    acc_has " $ip \"GET /ipxe/ipxe.efi HTTP/1.1\" 200 $(stat -c %s "$BE_TFTP_ROOT/ipxe.efi")\$"
be_check "$vm: no TFTP request (HTTP all the way)" \
    eval '! tftp_has "RRQ from $ip "'
check_http $vm $mac $ip
check_cmdline $vm $mac yes

# --- 3. allowWorkflow false: boots without credentials ----------------------
vm=noflow mac=52:54:00:be:00:12 ip=10.99.0.12
mark_logs
be_vm_run $vm bios $mac $ip
be_check "$vm: VM powered off after printing its cmdline (${BE_STAGE_end}s)" result_is poweroff
be_check "$vm: Kea leased $ip to $mac" \
    kea_has "DHCP4_LEASE_ALLOC \[hwtype=1 $mac\].* lease $ip "
check_http $vm $mac $ip
check_cmdline $vm $mac no

# --- 4. An unknown machine gets no answer -----------------------------------
vm=unknown mac=52:54:00:be:00:99
dropped_before=$(be_kea_stat boots.unknown-dropped)
mark_logs
BE_VM_LIMIT=60 be_vm_run $vm bios $mac 0.0.0.0 unknown
dropped_after=$(be_kea_stat boots.unknown-dropped)
be_check "$vm: iPXE gave up within 60 s (\"No more network devices\", ${BE_STAGE_end}s)" \
    result_is gave-up
be_check "$vm: iPXE got no IPv4 address" eval '! serial_has $vm "net0: 10\."' 
be_check "$vm: Kea saw and dropped its DHCP packets (boots.unknown-dropped $dropped_before -> $dropped_after)" \
    test "$dropped_after" -gt "$dropped_before"
be_check "$vm: Kea offered and leased nothing to $mac" \
    eval '! kea_has "DHCP4_LEASE_(ADVERT|ALLOC) \[hwtype=1 $mac\]"'
be_check "$vm: no lease for $mac in Kea's lease file" \
    eval '! grep -q -i "$mac" "$BE_RUN/kea-leases4.csv"'
be_check "$vm: no kernel ran" eval '! serial_has $vm "Linux version"'

# --- Across the run ----------------------------------------------------------
be_check "the registry password is in no daemon log (Kea, nginx, tftpd)" \
    eval '! grep -a -r -q -F -- "$BE_REGISTRY_PASSWORD" "$BE_RUN/kea.log" "$BE_RUN/nginx/access.log" "$BE_RUN/nginx/error.log" "$BE_RUN/tftpd.log"'
be_check "kea-dhcp4, nginx and in.tftpd are still running" \
    eval 'be_alive $BE_KEA_PID && be_alive $BE_NGINX_PID && be_alive $BE_TFTPD_PID'

if [ "$BE_FAILS" -ne 0 ]; then
    be_log "--- last lines of the logs (password redacted) ---"
    for f in kea.log kea-boots.log tftpd.log ra.log nginx/access.log nginx/error.log *.serial; do
        [ -f "$BE_RUN/$f" ] || continue
        be_log "== $f"
        tail -n 15 "$BE_RUN/$f" | sed -e "s/$BE_REGISTRY_PASSWORD/<password>/g" \
            -e 's/\x1b\[[0-9;]*[a-zA-Z]//g' | tr -d '\r' || true
    done
    # Keep the whole run for inspection (redacted), also in CI artefacts.
    rm -rf "$BE_BUILD/e2e/last-failure"
    cp -a "$BE_RUN" "$BE_BUILD/e2e/last-failure"
    grep -rlF "$BE_REGISTRY_PASSWORD" "$BE_BUILD/e2e/last-failure" 2>/dev/null |
        xargs -r sed -i "s/$BE_REGISTRY_PASSWORD/<password>/g"
    be_log "run directory copied to $BE_BUILD/e2e/last-failure"
fi
be_summary check-e2e
