#!/usr/bin/env bash
# Put a stand-in for Hook's kernel at OUT: the bzImage of Debian's
# linux-image-cloud-amd64 (EFI stub, 8250 serial built in), taken from the
# package with `apt-get download` + `dpkg-deb -x` (nothing is installed, no
# initramfs trigger runs, /boot is untouched).  The .deb is cached next to OUT.
#
#   tests/e2e/fetch-kernel.sh OUT
set -euo pipefail
out=${1:?usage: fetch-kernel.sh OUT}
dir=$(dirname "$out")
cache=${KERNEL_CACHE:-$(dirname "$dir")/kernel-deb}
mkdir -p "$cache" "$dir"

meta=${KERNEL_META:-linux-image-cloud-amd64}
# The metapackage depends on the versioned image package: resolve it.
pkg=$(apt-cache depends "$meta" 2>/dev/null |
      awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
    echo "fetch-kernel: apt knows no $meta; running apt-get update" >&2
    apt-get update -q >&2
    pkg=$(apt-cache depends "$meta" | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
fi
[ -n "$pkg" ] || { echo "fetch-kernel: cannot resolve $meta" >&2; exit 1; }

deb=$(ls "$cache"/"${pkg}"_*.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
    # Reuse apt's own cache when the package was downloaded before.
    deb=$(ls /var/cache/apt/archives/"${pkg}"_*.deb 2>/dev/null | head -n1 || true)
    if [ -n "$deb" ]; then
        cp "$deb" "$cache/"
    else
        echo "fetch-kernel: apt-get download $pkg" >&2
        ( cd "$cache" && apt-get download -q "$pkg" 2>&1 | grep -v 'unsandboxed' >&2 ) || true
    fi
    deb=$(ls "$cache"/"${pkg}"_*.deb 2>/dev/null | head -n1 || true)
fi
[ -n "$deb" ] || { echo "fetch-kernel: could not download $pkg" >&2; exit 1; }

x=$cache/x
rm -rf "$x"
dpkg-deb -x "$deb" "$x"
img=$(ls "$x"/boot/vmlinuz-* | head -n1)
[ -s "$img" ] || { echo "fetch-kernel: no vmlinuz in $deb" >&2; exit 1; }
cp "$img" "$out.tmp"
chmod 644 "$out.tmp"
mv -f "$out.tmp" "$out"
rm -rf "$x"
echo "fetch-kernel: $(basename "$img") from $(basename "$deb") -> $out" >&2
