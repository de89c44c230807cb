#!/usr/bin/env bash
# Build a stand-in for Hook's initramfs at OUT: busybox (static) and an /init
# that prints the kernel command line on the first serial port, as the line
# "BOOTS-E2E-CMDLINE: <cmdline>" between BOOTS-E2E-CMDLINE-BEGIN/-END
# markers, then powers the machine off.  tests/e2e/guest-cmdline.sh reads it
# back from QEMU's serial log (which settings reached the guest).
#
#   tests/e2e/mkinitramfs.sh OUT
#
# /init writes to /dev/ttyS0 itself: Hook's console arguments may move the
# kernel console elsewhere (console=tty0 console=ttyS1,...).
set -euo pipefail
out=${1:?usage: mkinitramfs.sh OUT}
bb=${BUSYBOX:-/bin/busybox}
file -L "$bb" 2>/dev/null | grep -q 'statically linked' ||
    ldd "$bb" 2>&1 | grep -q 'not a dynamic executable' ||
    { echo "mkinitramfs: $bb is not static (install busybox-static)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys}
cp "$bb" "$tmp/bin/busybox"
ln -s busybox "$tmp/bin/sh"
# The kernel opens /dev/console for init before devtmpfs is mounted.
mknod -m 600 "$tmp/dev/console" c 5 1
mknod -m 666 "$tmp/dev/null" c 1 3
cat > "$tmp/init" <<'INIT'
#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
out=/dev/ttyS0
[ -c "$out" ] || out=/dev/console
# Kernel messages share the serial port: silence them (console loglevel 1,
# emergencies only) so none lands inside the line the tests read.
echo 1 > /proc/sys/kernel/printk
cmdline=$(cat /proc/cmdline)
printf '\nBOOTS-E2E-CMDLINE-BEGIN\nBOOTS-E2E-CMDLINE: %s\nBOOTS-E2E-CMDLINE-END\n' \
    "$cmdline" > "$out"
sync
poweroff -f
INIT
chmod 755 "$tmp/init"
mkdir -p "$(dirname "$out")"
( cd "$tmp" && find . -print0 | sort -z |
  cpio --null -o -H newc --owner=0:0 --quiet ) | gzip -9 > "$out.tmp"
chmod 644 "$out.tmp"
mv -f "$out.tmp" "$out"
echo "mkinitramfs: $out ($(stat -c %s "$out") bytes)" >&2
