#!/usr/bin/env bash
# Stage the iPXE binaries that Boots hands out into a TFTP root.
#
#   tftp-assets/stage.sh [--ipxe-dir DIR] [--arm64 FILE] ROOT
#
# Copies Debian's iPXE builds (package `ipxe`, /usr/lib/ipxe) under the file
# names the Kea hook gives to firmware PXE clients:
#
#   undionly.kpxe  BIOS, option 93 = 0          <- /usr/lib/ipxe/undionly.kpxe
#   ipxe.efi       UEFI x86-64, option 93 = 7/9 <- /usr/lib/ipxe/ipxe.efi
#                                                 (a symlink into /boot: the
#                                                 target is copied, not the link)
#   snponly.efi    UEFI x86-64, SNP-only build  <- /usr/lib/ipxe/snponly.efi
#                  (not a default name; point the hook's boot-files
#                  "efi-x86_64" at it for NICs iPXE has no driver for)
#   snp.efi        UEFI arm64, option 93 = 11   <- only with --arm64 FILE:
#                  Debian builds no arm64 iPXE, so bring your own
#                  (e.g. an upstream `make bin-arm64-efi/snp.efi`).
#                  A snp.efi staged earlier is kept and stays in the manifest.
#
# and writes ROOT/SHA256SUMS (sha256sum format) covering every staged file.
# Files are written world-readable (tftpd-hpa serves only o+r files) and
# read-only; ROOT itself is created if needed.  Staging is atomic per file
# (copy to a temporary name, then rename), so a running tftpd never serves a
# half-written binary.  Exits non-zero with a message on any missing input.
set -euo pipefail

ipxe_dir=/usr/lib/ipxe
arm64=
root=

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --ipxe-dir) ipxe_dir=${2:?--ipxe-dir needs a directory}; shift 2 ;;
        --arm64)    arm64=${2:?--arm64 needs a file}; shift 2 ;;
        -h|--help)  usage ;;
        -*)         echo "stage.sh: unknown option $1" >&2; usage ;;
        *)          [ -z "$root" ] || usage; root=$1; shift ;;
    esac
done
[ -n "$root" ] || usage

# name-in-root  source
pairs=(
    "undionly.kpxe $ipxe_dir/undionly.kpxe"
    "ipxe.efi      $ipxe_dir/ipxe.efi"
    "snponly.efi   $ipxe_dir/snponly.efi"
)
[ -z "$arm64" ] || pairs+=("snp.efi $arm64")

for p in "${pairs[@]}"; do
    set -- $p
    if [ ! -r "$2" ] || [ ! -s "$(readlink -f "$2")" ]; then
        echo "stage.sh: $2 is missing or empty (for $1); install Debian's" \
             "'ipxe' package or pass --ipxe-dir" >&2
        exit 1
    fi
done
if [ -n "$arm64" ]; then
    # An EFI application starts with "MZ"; refuse anything else early rather
    # than let an arm64 machine fetch garbage.
    if [ "$(head -c 2 "$arm64")" != "MZ" ]; then
        echo "stage.sh: $arm64 is not an EFI (PE/COFF) binary" >&2
        exit 1
    fi
fi

mkdir -p "$root"
chmod 755 "$root"
names=()
for p in "${pairs[@]}"; do
    set -- $p
    tmp="$root/.$1.tmp.$$"
    cp -L "$2" "$tmp"          # -L: ipxe.efi is a symlink to /boot/ipxe.efi
    chmod 444 "$tmp"
    mv -f "$tmp" "$root/$1"
    names+=("$1")
done
if [ -z "$arm64" ] && [ -f "$root/snp.efi" ]; then
    names+=(snp.efi)
fi

# The manifest lists what is served, by the names clients ask for.
( cd "$root" && sha256sum -- "${names[@]}" ) > "$root/.SHA256SUMS.tmp.$$"
chmod 444 "$root/.SHA256SUMS.tmp.$$"
mv -f "$root/.SHA256SUMS.tmp.$$" "$root/SHA256SUMS"
echo "staged ${names[*]} into $root (manifest: $root/SHA256SUMS)"
