#!/usr/bin/env bash
# Install every Debian package Boots needs to build, test, benchmark and demo.
# Idempotent: packages already present are skipped by apt-get.  Services that
# Debian would start on install (kea, nginx, tftpd-hpa) are kept from starting:
# Boots' tests and demo start their own daemons inside network namespaces.
set -euo pipefail

PKGS=(
    build-essential pkg-config
    libjansson-dev libcmocka-dev libcurl4-openssl-dev
    kea-dhcp4-server kea-dev kea-admin kea-ctrl-agent libboost-dev
    nginx nginx-dev libnginx-mod-http-js
    tftpd-hpa tftp-hpa
    ipxe ipxe-qemu qemu-system-x86 ovmf busybox-static cpio
    python3 python3-scapy socat curl iproute2 procps psmisc openssl
    rsyslog
    wrk valgrind
    clang libclang-rt-14-dev
)

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all ${#PKGS[@]} packages present"
    exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# Forbid service starts during installation (policy-rc.d exit 101), then
# restore whatever policy was there before.
policy=/usr/sbin/policy-rc.d
saved=
if [ -e "$policy" ]; then saved=$(mktemp); $SUDO cp -p "$policy" "$saved"; fi
restore() {
    if [ -n "$saved" ]; then $SUDO mv "$saved" "$policy"; else $SUDO rm -f "$policy"; fi
}
trap restore EXIT
printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
$SUDO chmod 755 "$policy"

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"

# Debian's units may still have been enabled; stop any that run so they do not
# answer on the host's interfaces.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    for s in kea-dhcp4-server kea-ctrl-agent nginx tftpd-hpa; do
        $SUDO systemctl disable --now "$s" >/dev/null 2>&1 || true
    done
fi
