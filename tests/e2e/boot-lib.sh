# The end-to-end boot harness (sourced by check-e2e.sh, bench-boot.sh and
# demo.sh after lib.sh).
#
# One namespace, be-srv, holds the provisioning network and every server:
#
#   be-br0  10.99.0.1/24, a bridge; ports: be-anc0 (one end of a veth pair,
#           the "anchor" that keeps the bridge's carrier up before any VM
#           exists: Kea skips carrier-less interfaces and never retries) and
#           one tap per VM (be-tap0, be-tap1, ...), opened by QEMU.
#   kea-dhcp4  with build/libdhcp_boots.so (raw socket on be-br0)
#   in.tftpd   serving build/tftp-root, logging through busybox syslogd
#   nginx      with build/ngx_http_boots_module.so: /<mac>/auto.ipxe from the
#              module, /hook/ the stand-in kernel and initramfs, /ipxe/ the
#              iPXE binaries
#   ra-responder.py  one IPv6 RA per router solicitation (cuts iPXE's wait)
#
# VMs are QEMU (TCG only) started inside be-srv on their tap.  Each VM run
# polls the serial log and the daemons' logs for each boot stage's evidence
# and times the stage by the evidence's own clock (serial-logger.py's arrival
# times, Kea's log timestamps, nginx's $msec), relative to QEMU's start.

BE_NS=be-srv
BE_BR=be-br0
BE_SRV_IP=10.99.0.1
BE_BUILD=$(readlink -f "${BUILD:-build}")
BE_ASSETS=$BE_BUILD/e2e/assets
BE_TFTP_ROOT=$BE_BUILD/tftp-root
BE_HOOK_SO=$BE_BUILD/libdhcp_boots.so
BE_NGX_SO=$BE_BUILD/ngx_http_boots_module.so
BE_HW_FILE=${BE_HW_FILE:-$(readlink -f configs/hardware.json)}
BE_VM_TIMEOUT=${BE_VM_TIMEOUT:-110}     # one VM run, hard bound (< 120 s)
BE_VERBOSE=${BE_VERBOSE:-0}             # 1: print stages as they happen
# The settings nginx puts on a workflow-allowed worker's kernel command line.
BE_REGISTRY=10.99.0.1:5000
BE_REGISTRY_USER=admin
BE_TINK_SERVER=10.99.0.1:42113
BE_WORKER_IMAGE=quay.io/tinkerbell/tink-worker:latest
BE_TAPS=0

# Serialise runs of this harness on one machine (same namespace names).
be_e2e_lock() { be_lock; }

be_e2e_prereqs() {
    local f
    for f in "$BE_ASSETS/vmlinuz-x86_64" "$BE_ASSETS/initramfs-x86_64" \
             "$BE_TFTP_ROOT/SHA256SUMS" "$BE_NGX_SO" \
             $([ -n "${BE_STOCK_KEA:-}" ] || echo "$BE_HOOK_SO"); do
        [ -s "$f" ] || be_die "missing $f (run make all / make e2e-assets)"
    done
    for f in kea-dhcp4 in.tftpd nginx qemu-system-x86_64 socat curl; do
        command -v "$f" >/dev/null || [ -x "/usr/sbin/$f" ] ||
            be_die "$f is not installed (make deps)"
    done
    [ -r /usr/share/OVMF/OVMF_CODE_4M.fd ] || be_die "OVMF missing (make deps)"
}

# A run directory readable by nginx's and tftpd's unprivileged users.
be_e2e_rundir() {
    BE_RUN=$(mktemp -d "${TMPDIR:-/tmp}/be-e2e.XXXXXX")
    chmod 755 "$BE_RUN"
    mkdir -p "$BE_RUN/nginx/tmp"
    # The registry password: a fresh random value per run, so a test can
    # tell that this very value (and no stale one) reached the guest.
    BE_REGISTRY_PASSWORD="pw-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    printf '%s\n' "$BE_REGISTRY_PASSWORD" > "$BE_RUN/registry-password"
    chmod 600 "$BE_RUN/registry-password"
}

be_e2e_cleanup() {
    be_teardown
    if [ -n "${BE_RUN:-}" ] && [ -d "$BE_RUN" ]; then
        if [ -n "${KEEP:-}" ]; then
            # Kept for inspection, with the password blotted out.
            grep -rlF "$BE_REGISTRY_PASSWORD" "$BE_RUN" 2>/dev/null |
                xargs -r sed -i "s/$BE_REGISTRY_PASSWORD/<password>/g"
            echo "run directory kept: $BE_RUN"
        else
            rm -rf "$BE_RUN"
        fi
    fi
}

be_e2e_net() {
    be_netns_add $BE_NS
    ip -n $BE_NS link add $BE_BR type bridge
    ip -n $BE_NS addr add $BE_SRV_IP/24 dev $BE_BR
    ip -n $BE_NS link add be-anc0 type veth peer name be-anc1
    ip -n $BE_NS link set be-anc0 master $BE_BR
    ip -n $BE_NS link set be-anc0 up
    ip -n $BE_NS link set be-anc1 up
    ip -n $BE_NS link set $BE_BR up
    be_wait_for 5 be_bridge_up || be_die "$BE_BR has no carrier"
}
be_bridge_up() { ip -n $BE_NS link show $BE_BR | grep -q 'state UP'; }

# A new tap on the bridge, one per VM run; its name goes to BE_TAP.
be_e2e_tap() {
    BE_TAP=be-tap$BE_TAPS
    BE_TAPS=$((BE_TAPS + 1))
    ip -n $BE_NS tuntap add dev "$BE_TAP" mode tap
    ip -n $BE_NS link set "$BE_TAP" master $BE_BR
    ip -n $BE_NS link set "$BE_TAP" up
}

be_kea_conf() {
    cat <<EOF
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "$BE_BR" ], "dhcp-socket-type": "raw" },
    "control-socket": { "socket-type": "unix", "socket-name": "$BE_RUN/kea.sock" },
    "lease-database": { "type": "memfile", "persist": true,
                        "name": "$BE_RUN/kea-leases4.csv", "lfc-interval": 0 },
    "authoritative": true,
    "match-client-id": false,
    "host-reservation-identifiers": [ "hw-address" ],
    "valid-lifetime": 3600,
    "subnet4": [ {
      "id": 1,
      "subnet": "10.99.0.0/24",
      "pools": [ { "pool": "10.99.0.100 - 10.99.0.199" } ],
      "option-data": [ { "name": "routers", "data": "$BE_SRV_IP" } ]
    } ],
    "hooks-libraries": [ {
      "library": "$BE_HOOK_SO",
      "parameters": {
        "hardware-file": "$BE_HW_FILE",
        "tftp-server": "$BE_SRV_IP",
        "ipxe-script-url": "http://$BE_SRV_IP/auto.ipxe",
        "ipxe-binary-url": "http://$BE_SRV_IP/ipxe/",
        "syslog-server": "$BE_SRV_IP",
        "unknown-clients": "ignore"$([ -z "${BE_BOOTFILE_EFI:-}" ] || printf ',
        "boot-files": { "efi-x86_64": "%s" }' "$BE_BOOTFILE_EFI")
      }
    } ],
    "loggers": [ {
      "name": "kea-dhcp4",
      "output_options": [ { "output": "$BE_RUN/kea.log", "flush": true } ],
      "severity": "INFO"
    }, {
      "name": "kea-dhcp4.boots-hooks",
      "output_options": [ { "output": "$BE_RUN/kea-boots.log", "flush": true } ],
      "severity": "DEBUG",
      "debuglevel": 40
    } ]
  }
}
EOF
}

# Never used by the tests: stock Kea with reservations and client classes
# standing in for the hook (BE_STOCK_KEA=1), to check the harness itself and,
# in bench-boot, as the baseline without option 175.176 (BE_STOCK_NO175=1).
be_kea_conf_stock() {
    cat <<EOF
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "$BE_BR" ], "dhcp-socket-type": "raw" },
    "control-socket": { "socket-type": "unix", "socket-name": "$BE_RUN/kea.sock" },
    "lease-database": { "type": "memfile", "persist": true,
                        "name": "$BE_RUN/kea-leases4.csv", "lfc-interval": 0 },
    "authoritative": true, "match-client-id": false,
    "host-reservation-identifiers": [ "hw-address" ],
    "valid-lifetime": 3600,
    "option-def": [ { "name": "ipxe-encap", "code": 175, "type": "binary" } ],
    "client-classes": [
      { "name": "ipxe", "test": "substring(option[77].hex,0,4) == 'iPXE'",
        "boot-file-name": "http://$BE_SRV_IP/auto.ipxe",
        "option-data": [ $([ -n "${BE_STOCK_NO175:-}" ] || echo '{ "code": 175, "csv-format": false, "data": "B00101", "always-send": true }') ] },
      { "name": "efi", "test": "not member('ipxe') and option[93].hex == 0x0007",
        "next-server": "$BE_SRV_IP", "boot-file-name": "ipxe.efi" },
      { "name": "bios", "test": "not member('ipxe') and option[93].hex == 0x0000",
        "next-server": "$BE_SRV_IP", "boot-file-name": "undionly.kpxe" } ],
    "subnet4": [ {
      "id": 1, "subnet": "10.99.0.0/24",
      "option-data": [ { "name": "routers", "data": "$BE_SRV_IP" } ],
      "reservations": [
        { "hw-address": "52:54:00:be:00:10", "ip-address": "10.99.0.10" },
        { "hw-address": "52:54:00:be:00:11", "ip-address": "10.99.0.11" },
        { "hw-address": "52:54:00:be:00:12", "ip-address": "10.99.0.12" } ]
    } ],
    "loggers": [ {
      "name": "kea-dhcp4",
      "output_options": [ { "output": "$BE_RUN/kea.log", "flush": true } ],
      "severity": "INFO"
    } ]
  }
}
EOF
}

be_nginx_conf() {
    cat <<EOF
load_module $BE_NGX_SO;
worker_processes 1;
pid $BE_RUN/nginx/nginx.pid;
error_log $BE_RUN/nginx/error.log info;
events { worker_connections 128; }
http {
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $BE_RUN/nginx/tmp/body;
    proxy_temp_path $BE_RUN/nginx/tmp/proxy;
    fastcgi_temp_path $BE_RUN/nginx/tmp/fastcgi;
    uwsgi_temp_path $BE_RUN/nginx/tmp/uwsgi;
    scgi_temp_path $BE_RUN/nginx/tmp/scgi;
    log_format boots '\$msec \$remote_addr "\$request" \$status \$body_bytes_sent';
    access_log $BE_RUN/nginx/access.log boots;

    boots_hardware_file $BE_HW_FILE;

    server {
        listen $BE_SRV_IP:80;
        location / {
            boots_ipxe;
            boots_osie_url http://$BE_SRV_IP/hook;
            boots_tink_server $BE_TINK_SERVER;
            boots_tink_tls off;
            boots_syslog_host $BE_SRV_IP;
            boots_facility onprem;
            boots_registry $BE_REGISTRY;
            boots_registry_username $BE_REGISTRY_USER;
            boots_registry_password_file $BE_RUN/registry-password;
            boots_tink_worker_image $BE_WORKER_IMAGE;
            boots_kernel_args "panic=-1";
        }
        location /hook/ { alias $BE_ASSETS/; }
        location /ipxe/ { alias $BE_TFTP_ROOT/; }
    }
}
EOF
}

be_start_ra() {
    ip netns exec $BE_NS /usr/bin/python3 tests/e2e/ra-responder.py $BE_BR \
        "$BE_RUN/ra.log" > "$BE_RUN/ra.stderr" 2>&1 &
    be_track $!
    be_wait_for 5 grep -qs listening "$BE_RUN/ra.log" ||
        be_die "RA responder did not start: $(cat "$BE_RUN/ra.stderr")"
}

be_kea_bound() { ip netns exec $BE_NS ss -Hlun 'sport = :67' | grep -q .; }

be_e2e_services() {
    # TFTP (+ syslogd for its log), with the settings of configs/tftpd-hpa.
    local -a topts
    mapfile -t topts < <(be_tftpd_options)
    be_start_tftpd $BE_NS $BE_SRV_IP:69 "$BE_TFTP_ROOT" "$BE_RUN/tftpd.log" "${topts[@]}"

    # IPv6 RA responder (BE_RA=0: none, to measure what it saves).
    [ "${BE_RA:-1}" = 0 ] || be_start_ra

    # nginx with the module (foreground master: $! is its PID).
    be_nginx_conf > "$BE_RUN/nginx/nginx.conf"
    ip netns exec $BE_NS /usr/sbin/nginx -q -t -p "$BE_RUN/nginx/" \
        -c "$BE_RUN/nginx/nginx.conf" > "$BE_RUN/nginx/t.out" 2>&1 || {
        cat "$BE_RUN/nginx/t.out" >&2; be_die "nginx -t refused the configuration"; }
    ip netns exec $BE_NS /usr/sbin/nginx -p "$BE_RUN/nginx/" \
        -c "$BE_RUN/nginx/nginx.conf" -g 'daemon off;' \
        > "$BE_RUN/nginx/stderr" 2>&1 &
    BE_NGINX_PID=$!
    be_track $BE_NGINX_PID
    be_wait_for 10 be_tcp_bound $BE_NS $BE_SRV_IP 80 ||
        { cat "$BE_RUN/nginx/stderr" "$BE_RUN/nginx/error.log" >&2;
          be_die "nginx did not start"; }

    # Kea with the hook; the configuration check needs the namespace too.
    if [ -n "${BE_STOCK_KEA:-}" ]; then
        be_kea_conf_stock > "$BE_RUN/kea-dhcp4.conf"
    else
        be_kea_conf > "$BE_RUN/kea-dhcp4.conf"
    fi
    ip netns exec $BE_NS kea-dhcp4 -t "$BE_RUN/kea-dhcp4.conf" \
        > "$BE_RUN/kea-t.out" 2>&1 || {
        cat "$BE_RUN/kea-t.out" >&2; be_die "kea-dhcp4 -t refused the configuration"; }
    KEA_PIDFILE_DIR=$BE_RUN KEA_LOCKFILE_DIR=$BE_RUN \
        ip netns exec $BE_NS kea-dhcp4 -c "$BE_RUN/kea-dhcp4.conf" \
        > "$BE_RUN/kea.stderr" 2>&1 &
    BE_KEA_PID=$!
    be_track $BE_KEA_PID
    be_wait_for 15 be_kea_ready ||
        { tail -20 "$BE_RUN/kea.stderr" "$BE_RUN/kea.log" >&2;
          be_die "kea-dhcp4 did not start serving on $BE_BR"; }
}
be_kea_ready() {
    be_alive "$BE_KEA_PID" || return 1
    be_kea_bound && grep -q DHCP4_STARTED "$BE_RUN/kea.log" 2>/dev/null
}

# Send a command to Kea's control socket; prints the JSON answer.
be_kea_cmd() {
    printf '%s' "$1" | ip netns exec $BE_NS timeout 5 \
        socat -t 5 - UNIX-CONNECT:"$BE_RUN/kea.sock"
}
# The value of one statistic (0 when absent, "unknown" when Kea does not
# answer: never fails, so a caller under set -e reports instead of dying).
be_kea_stat() {
    be_kea_cmd "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"$1\"}}" |
        /usr/bin/python3 -c '
import json, sys
a = json.load(sys.stdin).get("arguments", {})
v = a.get(sys.argv[1], [])
print(v[0][0] if v else 0)' "$1" 2>/dev/null || echo unknown
}

# ---------------------------------------------------------------------------
# VM runs
# ---------------------------------------------------------------------------

# be_vm_start NAME FW MAC TAP ; FW is bios (SeaBIOS + the iPXE NIC ROM),
# uefi (OVMF's own PXE: the NIC ROM is disabled with romfile=) or uefi-http
# (OVMF's own HTTP boot: its PXE options are switched off through fw_cfg).
be_vm_start() {
    local name=$1 fw=$2 mac=$3 tap=$4 rom fwargs=()
    local serial=$BE_RUN/$name.serial
    : > "$serial"
    rom=
    if [ "$fw" = uefi-http ]; then
        # OVMF's knobs to leave out its PXE boot options: what remains is
        # "UEFI HTTPv4", which asks DHCP as HTTPClient (option 93 = 16).
        fwargs=(-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=n
                -fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=n)
    fi
    if [ "$fw" = uefi ] || [ "$fw" = uefi-http ]; then
        cp /usr/share/OVMF/OVMF_VARS_4M.fd "$BE_RUN/$name.vars.fd"
        fwargs+=(-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
                 -drive if=pflash,format=raw,unit=1,file="$BE_RUN/$name.vars.fd")
        rom=,romfile=
    fi
    ip netns exec $BE_NS qemu-system-x86_64 -name "be-$name" \
        -machine q35 -accel tcg -cpu max -m 512 \
        -nographic -nodefaults -no-reboot -monitor none \
        -chardev socket,id=ser0,path="$BE_RUN/$name.sock",server=on,wait=on \
        -serial chardev:ser0 "${fwargs[@]}" \
        -netdev tap,id=n0,ifname="$tap",script=no,downscript=no \
        -device virtio-net-pci,netdev=n0,mac="$mac",bootindex=1$rom \
        -boot n > "$BE_RUN/$name.qemu.log" 2>&1 &
    BE_VM_PID=$!
    be_track $BE_VM_PID
    # QEMU waits for this reader before it starts the guest.
    /usr/bin/python3 tests/e2e/serial-logger.py "$BE_RUN/$name.sock" "$serial" \
        2>> "$BE_RUN/$name.qemu.log" &
    be_track $!
}

# When (unix time) a stage's evidence was written, from the evidence itself
# where it carries a time: the serial logger's arrival times, Kea's log
# timestamps (ms), nginx's $msec.  Prints nothing when it cannot tell.
be_stage_epoch() {
    local src=$1 content=$2 serial=$3 pat=$4 off d t
    case "$src" in
        serial)
            off=$(grep -a -b -o -m1 -E -- "$pat" "$serial" | head -n1 | cut -d: -f1)
            [ -n "$off" ] && awk -v o="$off" '$2 > o { print $1; exit }' "$serial.ts" ;;
        kea|kea2)
            read -r d t _ <<< "$content"
            date -d "$d $t" +%s.%3N 2>/dev/null ;;
        http)
            awk '{ print $1; exit }' <<< "$content" ;;
    esac
}

# Byte offsets of the shared logs at a VM's start, so that its stages are
# looked for only in what was written after.
be_log_offsets() {
    local f
    for f in "$BE_RUN/kea.log" "$BE_RUN/tftpd.log" "$BE_RUN/nginx/access.log"; do
        stat -c %s "$f" 2>/dev/null || echo 0
    done | tr '\n' ' '
}
be_since() {    # be_since FILE OFFSET : the file's content after OFFSET
    tail -c +$(($2 + 1)) "$1" 2>/dev/null
}

# be_vm_run NAME FW MAC IP [unknown]
# Boots one VM and waits (bounded by BE_VM_TIMEOUT) until it powers off, or,
# for an "unknown" machine, until iPXE gives up ("No more network devices").  Records the
# stages in BE_STAGE_<label> (seconds after QEMU's start) and their order in
# BE_STAGES; the result in BE_RESULT (poweroff | timeout | gave-up | died).
be_vm_run() {
    local name=$1 fw=$2 mac=$3 ip=$4 mode=${5:-known}
    local tap t0 now el offs kea_off tftp_off acc_off serial macenc when sel
    local -a labels pats
    be_e2e_tap
    tap=$BE_TAP
    serial=$BE_RUN/$name.serial
    macenc=${mac//:/%3A}
    read -r kea_off tftp_off acc_off <<< "$(be_log_offsets)"
    BE_STAGES=()
    # label|source|pattern (grep -E); sources: serial kea tftp http
    local -a spec
    if [ "$fw" = uefi-http ]; then
        spec=("http-boot-start|serial|Start HTTP Boot over IPv4"
              "lease-1|kea|DHCP4_LEASE_ALLOC .*$mac.* lease $ip "
              "http-nbp|http| $ip \"GET /ipxe/[^ ]+[.]efi HTTP/1.[01]\" 200 "
              "ipxe-start|serial|iPXE initialising devices"
              "lease-2|kea2|DHCP4_LEASE_ALLOC .*$mac.* lease $ip ")
    elif [ "$fw" = uefi ]; then
        spec=("pxe-start|serial|Start PXE over IPv4"
              "lease-1|kea|DHCP4_LEASE_ALLOC .*$mac.* lease $ip "
              "tftp-nbp|tftp|RRQ from $ip filename [^ ]+[.]efi"
              "ipxe-start|serial|iPXE initialising devices"
              "lease-2|kea2|DHCP4_LEASE_ALLOC .*$mac.* lease $ip ")
    else
        spec=("ipxe-start|serial|iPXE initialising devices"
              "lease|kea|DHCP4_LEASE_ALLOC .*$mac.* lease $ip ")
    fi
    spec+=("script|http| $ip \"GET /($macenc/)?auto.ipxe HTTP/1.[01]\" 200 "
           "kernel|http| $ip \"GET /hook/vmlinuz-x86_64 HTTP/1.[01]\" 200 "
           "initrd|http| $ip \"GET /hook/initramfs-x86_64 HTTP/1.[01]\" 200 "
           "linux|serial|Linux version"
           "init|serial|BOOTS-E2E-CMDLINE-END")
    if [ "$mode" = unknown ]; then
        spec=("ipxe-start|serial|iPXE initialising devices"
              "dhcp-gave-up|serial|No more network devices")
    fi
    local -A seen=()
    local s label src pat file content

    t0=$(be_now)
    be_vm_start "$name" "$fw" "$mac" "$tap"
    BE_RESULT=timeout
    [ "$BE_VERBOSE" = 1 ] && be_log "  [ 0.00s] $name: QEMU started ($fw, $mac, $tap)"
    while :; do
        now=$(be_now)
        el=$(be_elapsed "$t0" "$now")
        for s in "${spec[@]}"; do
            IFS='|' read -r label src pat <<< "$s"
            [ -z "${seen[$label]:-}" ] || continue
            content=
            case "$src" in
                serial) content=$(grep -a -m1 -E -- "$pat" "$serial" 2>/dev/null) || true ;;
                kea)    content=$(be_since "$BE_RUN/kea.log" "$kea_off" | grep -a -m1 -E -- "$pat") || true ;;
                kea2)   # the second lease of this VM (iPXE after the firmware)
                        [ -n "${seen[ipxe-start]:-}" ] || continue
                        content=$(be_since "$BE_RUN/kea.log" "$kea_off" | grep -a -E -- "$pat" | sed -n 2p) || true ;;
                tftp)   content=$(be_since "$BE_RUN/tftpd.log" "$tftp_off" | grep -a -m1 -E -- "$pat") || true ;;
                http)   content=$(be_since "$BE_RUN/nginx/access.log" "$acc_off" | grep -a -m1 -E -- "$pat") || true ;;
            esac
            [ -n "$content" ] || continue
            when=$(be_stage_epoch "$src" "$content" "$serial" "$pat") || true
            sel=$el
            [ -z "$when" ] || sel=$(be_elapsed "$t0" "$when")
            seen[$label]=$sel
            printf -v "BE_STAGE_${label//[-.]/_}" '%s' "$sel"
            BE_STAGES+=("$label")
            [ "$BE_VERBOSE" = 1 ] && be_stage_print "$name" "$label" "$sel" "$ip" "$mac"
        done
        if ! be_alive "$BE_VM_PID"; then
            if [ -n "${seen[init]:-}" ]; then BE_RESULT=poweroff; else BE_RESULT=died; fi
            break
        fi
        if [ "$mode" = unknown ] && [ -n "${seen[dhcp-gave-up]:-}" ]; then
            BE_RESULT=gave-up
            break
        fi
        if awk -v e="$el" -v t="${BE_VM_LIMIT:-$BE_VM_TIMEOUT}" 'BEGIN { exit !(e > t) }'; then
            BE_RESULT=timeout
            break
        fi
        sleep 0.1
    done
    be_stop_pid "$BE_VM_PID"
    BE_STAGE_end=$(be_elapsed "$t0" "$(be_now)")
    [ "$BE_VERBOSE" = 1 ] && be_log "  [$(printf '%5.2f' "$BE_STAGE_end")s] $name: QEMU ended ($BE_RESULT)"
    return 0
}

# What the demo shows for a stage, with the evidence from the daemons.
be_stage_print() {
    local name=$1 label=$2 el=$3 ip=$4 mac=$5 what dec
    case "$label" in
        pxe-start)     what="firmware PXE (OVMF) sends DHCPDISCOVER, arch 7" ;;
        http-boot-start) what="firmware HTTP boot (OVMF) sends DHCPDISCOVER, arch 16 (HTTPClient)" ;;
        http-nbp)      what="HTTP: $(grep -a " $ip .*GET /ipxe/" "$BE_RUN/nginx/access.log" | tail -n1 | cut -d' ' -f3-)" || true ;;
        ipxe-start)    what="iPXE running" ;;
        lease|lease-1|lease-2)
                       what="lease: $(grep -a "DHCP4_LEASE_ALLOC .* lease $ip " "$BE_RUN/kea.log" | tail -n1 | sed 's/.*DHCP4_LEASE_ALLOC //')" || true ;;
        tftp-nbp)      what="TFTP: $(grep -a "RRQ from $ip" "$BE_RUN/tftpd.log" | tail -n1 | sed 's/.*: RRQ/RRQ/')" || true ;;
        script)        what="iPXE script fetched: $(grep -a " $ip .*auto.ipxe" "$BE_RUN/nginx/access.log" | tail -n1 | cut -d' ' -f3-)" || true ;;
        kernel)        what="kernel downloaded: $(grep -a " $ip .*vmlinuz" "$BE_RUN/nginx/access.log" | tail -n1 | cut -d' ' -f3-)" || true ;;
        initrd)        what="initrd downloaded: $(grep -a " $ip .*initramfs" "$BE_RUN/nginx/access.log" | tail -n1 | cut -d' ' -f3-)" || true ;;
        linux)         what="Linux kernel started" ;;
        init)          what="initramfs /init printed the kernel command line" ;;
        dhcp-gave-up)  what="no DHCP answer: iPXE gave up (\"No more network devices\")" ;;
        *)             what=$label ;;
    esac
    be_log "  [$(printf '%5.2f' "$el")s] $name: $what"
    case "$label" in
        lease|lease-1|lease-2|dhcp-gave-up)
            # The hook's own account of its last reply (debug log).
            dec=$(grep -a -E "BOOTS_(DECISION|UNKNOWN_DROPPED).*$mac" \
                  "$BE_RUN/kea-boots.log" 2>/dev/null | tail -n1 |
                  sed -E 's/.*(BOOTS_[A-Z_]+)/\1/') || true
            [ -z "$dec" ] || be_log "           hook: $dec" ;;
    esac
}

# The guest's /proc/cmdline, as printed by /init between the markers.
be_guest_cmdline() {
    bash tests/e2e/guest-cmdline.sh "$BE_RUN/$1.serial"
}

# The value of KEY=... on a command line ("" when absent).
be_arg() {
    tr ' ' '\n' <<< "$1" | sed -n "s/^$2=//p" | head -n1
}
be_has_arg() { tr ' ' '\n' <<< "$1" | grep -q "^$2="; }

# A command line fit for printing: the password replaced by its length.
be_redact() {
    sed -E 's/(registry_password=)([^ ]*)/\1<redacted>/g' <<< "$1"
}
