#!/usr/bin/env bash
# guest-cmdline.sh SERIAL_LOG: print the guest's /proc/cmdline as the
# initramfs of mkinitramfs.sh reports it on the serial console (one line
# "BOOTS-E2E-CMDLINE: <cmdline>"); prints nothing when it never did.
# The one reader of that format, for the e2e harness and check-ipxe-script.
{ grep -a -o 'BOOTS-E2E-CMDLINE: .*' "$1" || true; } |
    head -n1 | tr -d '\r' | sed 's/^BOOTS-E2E-CMDLINE: //'
