#!/usr/bin/env bash
# bench-boot: how long a worker takes from power-on to its kernel, per stage,
# on both paths, with the waits Boots removes and without them (the baselines
# run in the same invocation; ratios are against them).  TCG only (KVM is not
# usable on these machines), so the absolute numbers are slower than metal;
# the differences between variants are what Boots controls.
#
#   bios           SeaBIOS + iPXE ROM; hook (option 175.176 = 1) + RA responder
#   bios-no-ra     the same without the RA responder: iPXE waits for IPv6
#                  routers before it fetches the script
#   bios-no-175    stock Kea classes without option 175.176 (+ RA responder):
#                  iPXE waits for ProxyDHCP offers
#   uefi           OVMF PXE -> ipxe.efi (the hook's default efi-x86_64 file)
#   uefi-snponly   the same with boot-files {"efi-x86_64": "snponly.efi"}
#   uefi-http      OVMF HTTP boot (arch 16) -> ipxe.efi from nginx /ipxe/
#
# Times are seconds after QEMU's start, taken from the evidence's own clocks
# (serial bytes' arrival times, Kea's log, nginx's $msec); medians over
# BENCH_RUNS runs (default 3; baselines 1 run).  Output also goes to
# $(BUILD)/e2e/bench-boot.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/boot-lib.sh

RUNS=${BENCH_RUNS:-3}
BASE_RUNS=${BENCH_BASE_RUNS:-1}
DATA=$(mktemp "${TMPDIR:-/tmp}/be-bench.XXXXXX")
OUT=$BE_BUILD/e2e/bench-boot.txt
trap 'be_e2e_cleanup; rm -f "$DATA"' EXIT
trap 'exit 130' INT TERM

be_e2e_lock
be_e2e_prereqs

# variant runs fw mac ip env...
variant() {
    local name=$1 runs=$2 fw=$3 mac=$4 ip=$5 i label v
    shift 5
    (
        trap be_e2e_cleanup EXIT
        export "$@"
        be_e2e_rundir
        be_e2e_net
        be_e2e_services
        for i in $(seq "$runs"); do
            be_vm_run "$name-$i" "$fw" "$mac" "$ip"
            if [ "$BE_RESULT" != poweroff ]; then
                echo "bench-boot: $name run $i ended with $BE_RESULT" >&2
                continue
            fi
            for label in "${BE_STAGES[@]}" end; do
                v=BE_STAGE_${label//[-.]/_}
                echo "$name $i $label ${!v}" >> "$DATA"
            done
            printf '  %-13s run %d: %ss to the init marker\n' "$name" "$i" "$BE_STAGE_init"
        done
        be_e2e_cleanup
    )
}

echo "bench-boot: $RUNS run(s) per default path, $BASE_RUNS per baseline (TCG)"
variant bios         "$RUNS"      bios 52:54:00:be:00:10 10.99.0.10 BE_X=1
variant bios-no-ra   "$BASE_RUNS" bios 52:54:00:be:00:10 10.99.0.10 BE_RA=0
variant bios-no-175  "$BASE_RUNS" bios 52:54:00:be:00:10 10.99.0.10 BE_STOCK_KEA=1 BE_STOCK_NO175=1
variant uefi         "$RUNS"      uefi 52:54:00:be:00:11 10.99.0.11 BE_X=1
variant uefi-snponly "$RUNS"      uefi 52:54:00:be:00:11 10.99.0.11 BE_BOOTFILE_EFI=snponly.efi
variant uefi-http    "$RUNS"      uefi-http 52:54:00:be:00:11 10.99.0.11 BE_X=1

# Per variant and stage (in order of first appearance): median, min, max.
report() {
    awk '
    { key = $1 SUBSEP $3
      if (!(key in n)) { order[++no] = key; vname[key] = $1; lname[key] = $3 }
      v[key, ++n[key]] = $4 }
    function median(k,   m, i, j, t, a) {
        m = n[k]
        for (i = 1; i <= m; i++) a[i] = v[k, i]
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
            if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        lo[k] = a[1]; hi[k] = a[m]
        return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    }
    END {
        last = ""
        for (o = 1; o <= no; o++) {
            k = order[o]
            if (vname[k] != last) {
                printf "\n%s (%d run%s)\n", vname[k], n[k], (n[k] > 1 ? "s" : "")
                printf "  %-15s %8s %8s %8s\n", "stage", "median", "min", "max"
                last = vname[k]
            }
            md = median(k)
            printf "  %-15s %8.2f %8.2f %8.2f\n", lname[k], md, lo[k], hi[k]
            med[vname[k], lname[k]] = md
        }
        printf "\nPower-on to kernel start (\"linux\") and to the init marker, medians:\n"
        nn = split("bios bios-no-ra bios-no-175 uefi uefi-snponly uefi-http", names, " ")
        base["bios-no-ra"] = "bios"; base["bios-no-175"] = "bios"
        base["uefi-snponly"] = "uefi"
        for (i = 1; i <= nn; i++) {
            x = names[i]
            if (!((x, "init") in med)) continue
            printf "  %-13s linux %6.2fs  init %6.2fs", x, med[x, "linux"], med[x, "init"]
            if (x in base && ((base[x], "init") in med))
                printf "   %s/%s = %.2fx (%+.2fs)", x, base[x],
                    med[x, "init"] / med[base[x], "init"],
                    med[x, "init"] - med[base[x], "init"]
            printf "\n"
        }
        printf "\nWhere the waits Boots controls show (medians, seconds):\n"
        for (i = 1; i <= nn; i++) {
            x = names[i]
            if (!((x, "init") in med)) continue
            l = ((x, "lease") in med) ? "lease" : "lease-2"
            printf "  %-13s iPXE start -> its lease %5.2f   lease -> script %5.2f   script -> init %5.2f\n",
                x, med[x, l] - med[x, "ipxe-start"], med[x, "script"] - med[x, l],
                med[x, "init"] - med[x, "script"]
        }
    }' "$DATA"
}
mkdir -p "$(dirname "$OUT")"
report | tee "$OUT"
