#!/usr/bin/env bash
# check.sh - run the core's rendered Hook script in real iPXE.
#
# QEMU (TCG) boots Debian's iPXE NIC ROM (SeaBIOS, and OVMF for UEFI); the
# ROM gets DHCP and the script from QEMU's built-in DHCP/TFTP server
# (user-mode network, restrict=on: the guest reaches nothing else).  The
# script fetches a stand-in Hook kernel and initramfs whose /init prints
# /proc/cmdline between markers and powers off.  Checked:
#   1. BIOS: the guest's kernel command line is exactly the rendered one
#      (registry credentials included);
#   2. BIOS: a missing kernel is retried ${retries} times, then the error
#      label reports it and the script exits;
#   3. BIOS: the same for a missing initrd;
#   4. UEFI: an initrd overridden to a file in a subdirectory is found by
#      the EFI stub through initrd=<basename> (pitfalls 7 and 15).
#
#   BUILD=build bash tests/ipxe-script/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
render=$BUILD/ipxe-script-render
assets=$BUILD/ipxe-script
TIMEOUT=${TIMEOUT:-150}          # seconds per VM run
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd

[ -x "$render" ] || { echo "check-ipxe-script: build $render first" >&2; exit 1; }

work=$(mktemp -d /tmp/boots-decide-ipxe.XXXXXX)
qemu_pid=
cleanup() {
    if [ -n "$qemu_pid" ]; then
        kill "$qemu_pid" 2>/dev/null || true
        wait "$qemu_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# --- assets ---------------------------------------------------------------
mkdir -p "$assets"
if [ ! -s "$assets/vmlinuz-x86_64" ]; then
    mkdir -p "$assets/kernel-deb"
    # Reuse a package the end-to-end test already downloaded, if any.
    for deb in "$BUILD"/e2e/kernel-deb/linux-image-*.deb; do
        [ -e "$deb" ] && cp -n "$deb" "$assets/kernel-deb/"
    done
    KERNEL_CACHE=$assets/kernel-deb bash tests/e2e/fetch-kernel.sh \
        "$assets/vmlinuz-x86_64"
fi
tftp=$work/tftp
mkdir -p "$tftp/sub"
cp "$assets/vmlinuz-x86_64" "$tftp/vmlinuz-x86_64"
bash tests/e2e/mkinitramfs.sh "$tftp/initramfs-x86_64" 2>/dev/null
cp "$tftp/initramfs-x86_64" "$tftp/sub/initrd-custom.gz"

# --- one VM run -------------------------------------------------------------
# run_vm NAME bios|uefi REGEX: boot with $tftp/auto.ipxe until REGEX shows
# in the serial log or QEMU exits (bounded by TIMEOUT); the log is
# $work/NAME.log with CRs removed.
run_vm() {
    local name=$1 fw=$2 regex=$3 serial=$work/$1.serial deadline
    local -a fwargs=()

    if [ "$fw" = uefi ]; then
        cp "$OVMF_VARS" "$work/$name.vars"
        fwargs=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
                -drive "if=pflash,format=raw,unit=1,file=$work/$name.vars")
    fi
    : > "$serial"
    qemu-system-x86_64 -machine q35 -accel tcg -cpu max -m 512 \
        -nographic -nodefaults -no-reboot -monitor none \
        -serial "file:$serial" "${fwargs[@]}" \
        -netdev "user,id=n0,restrict=on,tftp=$tftp,bootfile=auto.ipxe" \
        -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56 \
        -boot n > "$work/$name.qemu" 2>&1 &
    qemu_pid=$!
    deadline=$((SECONDS + TIMEOUT))
    while kill -0 "$qemu_pid" 2>/dev/null; do
        if tr -d '\r' < "$serial" | grep -aqE "$regex"; then
            break
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            fail "$name: nothing matching /$regex/ within ${TIMEOUT}s"
            break
        fi
        sleep 0.2
    done
    kill "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
    qemu_pid=
    tr -d '\r' < "$serial" > "$work/$name.log"
}

# The arguments of the script's kernel line (what the guest should see).
script_args() {
    sed -n 's/^kernel \${download-url}\/\${kernel} \(.*\) && goto initrd ||$/\1/p' \
        "$tftp/auto.ipxe"
}

guest_cmdline() {
    bash tests/e2e/guest-cmdline.sh "$work/$1.log"
}

show_log() { echo "--- $1 (last lines) ---" >&2; tail -n 25 "$work/$1.log" >&2; }

# 1. BIOS, everything present ---------------------------------------------
"$render" tftp://10.0.2.2 2 0 > "$tftp/auto.ipxe"
want=$(script_args)
[ -n "$want" ] || fail "bios-boot: no kernel line in the rendered script"
run_vm bios-boot bios 'BOOTS-E2E-CMDLINE-END|^Could not (load|boot) '
got=$(guest_cmdline bios-boot)
if [ -n "$want" ] && [ "$got" = "$want" ]; then
    pass "bios-boot: guest command line is the rendered one ($(wc -c <<< "$got") bytes)"
else
    fail "bios-boot: guest command line differs"
    echo "  want: $want" >&2; echo "  got:  $got" >&2; show_log bios-boot
fi
case "$got" in
    initrd=initramfs-x86_64\ *registry_password=s3cret*) ;;
    *) fail "bios-boot: initrd= first and the registry password expected" ;;
esac

# 2. BIOS, kernel missing: 1 attempt + 2 retries, 1 s apart ---------------
"$render" tftp://10.0.2.2/missing 2 1 > "$tftp/auto.ipxe"
run_vm bios-no-kernel bios '^Could not load '
log=$work/bios-no-kernel.log
n=$(grep -ac '^kernel failed, retry ' "$log" || true)
if [ "$n" = 2 ] && grep -aq '^kernel failed, retry 1 of 2 in 1s$' "$log" &&
   grep -aq '^kernel failed, retry 2 of 2 in 1s$' "$log" &&
   grep -aq '^Could not load tftp://10.0.2.2/missing/vmlinuz-x86_64$' "$log" &&
   ! grep -aq 'Linux version' "$log"; then
    pass "bios-no-kernel: 2 retries, then the error label"
else
    fail "bios-no-kernel: expected 2 retries then 'Could not load' (saw $n retries)"
    show_log bios-no-kernel
fi

# 3. BIOS, initrd missing: 1 attempt + 1 retry ------------------------------
"$render" tftp://10.0.2.2 1 0 sub/absent.gz > "$tftp/auto.ipxe"
run_vm bios-no-initrd bios '^Could not load '
log=$work/bios-no-initrd.log
n=$(grep -ac '^initrd failed, retry ' "$log" || true)
if [ "$n" = 1 ] && grep -aq '^initrd failed, retry 1 of 1 in 0s$' "$log" &&
   grep -aq '^Could not load tftp://10.0.2.2/sub/absent.gz$' "$log" &&
   ! grep -aq '^kernel failed' "$log" && ! grep -aq 'Linux version' "$log"; then
    pass "bios-no-initrd: kernel loaded, initrd retried once, error label"
else
    fail "bios-no-initrd: expected 1 initrd retry then 'Could not load' (saw $n)"
    show_log bios-no-initrd
fi

# 4. UEFI, initrd in a subdirectory ----------------------------------------
"$render" tftp://10.0.2.2 2 0 sub/initrd-custom.gz > "$tftp/auto.ipxe"
want=$(script_args)
case "$want" in
    initrd=initrd-custom.gz\ *) ;;
    *) fail "uefi-boot: rendered command line should start initrd=initrd-custom.gz" ;;
esac
run_vm uefi-boot uefi 'BOOTS-E2E-CMDLINE-END|^Could not (load|boot) '
got=$(guest_cmdline uefi-boot)
# iPXE on EFI puts the image name first.
if [ -n "$want" ] && [ "$got" = "vmlinuz-x86_64 $want" ] &&
   grep -aq 'EFI stub: Loaded initrd' "$work/uefi-boot.log"; then
    pass "uefi-boot: EFI stub loaded initrd-custom.gz; command line as rendered"
else
    fail "uefi-boot: initrd not loaded by name or command line differs"
    echo "  want: vmlinuz-x86_64 $want" >&2; echo "  got:  $got" >&2
    show_log uefi-boot
fi

if [ "$failures" -ne 0 ]; then
    echo "check-ipxe-script: $failures failure(s)" >&2
    exit 1
fi
echo "check-ipxe-script: all 4 iPXE runs passed"
