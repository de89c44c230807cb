#!/usr/bin/env bash
# check-tftp: the staged TFTP root served by a real in.tftpd (tftp-hpa) with
# Boots' remap file, checked by independent clients (tftp-hpa's `tftp` and
# curl) from a second namespace.
#
#   be-tsrv (10.99.0.65/26, in.tftpd + syslogd)  <-veth->  be-tcli (10.99.0.66)
#
# Asserts: every staged binary is byte-identical to Debian's package file;
# blksize and tsize negotiation (including a too-large blksize capped at the
# configured 1468); /<mac>/<file> paths resolve; writes are refused and change
# nothing; nothing outside the root can be read; requests are logged.
# KEEP=1 keeps the run directory (logs, fetched files) for inspection.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh

BUILD=${BUILD:-build}
ROOT=$BUILD/tftp-root
IPXE_DIR=${IPXE_DIR:-/usr/lib/ipxe}
SRV=be-tsrv CLI=be-tcli SRV_IP=10.99.0.65 CLI_IP=10.99.0.66
RUN=$(mktemp -d "${TMPDIR:-/tmp}/be-tftp.XXXXXX")
trap 'be_teardown; [ -n "${KEEP:-}" ] || rm -rf "$RUN"; be_verify_teardown || exit 1' EXIT
trap 'exit 130' INT TERM

be_lock
[ -s "$ROOT/SHA256SUMS" ] || be_die "$ROOT is not staged (make $ROOT/SHA256SUMS)"
ROOT=$(readlink -f "$ROOT")

# The network: two namespaces joined by a veth pair.
be_netns_add $SRV
be_netns_add $CLI
ip link add be-tv0 netns $SRV type veth peer name be-tv1 netns $CLI
ip -n $SRV addr add $SRV_IP/26 dev be-tv0
ip -n $CLI addr add $CLI_IP/26 dev be-tv1
ip -n $SRV link set be-tv0 up
ip -n $CLI link set be-tv1 up

# Something outside the root that must stay out of reach, and a root-level
# sibling directory name that must not be remapped.
echo "outside the TFTP root" > "$RUN/outside.txt"
chmod 644 "$RUN/outside.txt"

# Exactly the options of configs/tftpd-hpa (and its user), with the test's
# own root and address.
mapfile -t TOPTS < <(be_tftpd_options)
be_log "in.tftpd options from configs/tftpd-hpa: ${TOPTS[*]}"
be_start_tftpd $SRV $SRV_IP:69 "$ROOT" "$RUN/tftpd.log" "${TOPTS[@]}"

cli() { ip netns exec $CLI "$@"; }
tftp_get() {    # tftp_get REMOTE LOCAL  (literal mode: ':' is not a host)
    rm -f "$2"
    cli timeout 20 tftp -l -m binary $SRV_IP -c get "$1" "$2" 2>&1 || true
}
same() { cmp -s "$1" "$2"; }

# 1. Every staged binary, by tftp-hpa's client, equals the package's file.
( cd "$ROOT" && sha256sum --quiet -c SHA256SUMS ) \
    && be_pass "manifest SHA256SUMS matches the staged files" \
    || be_fail "manifest SHA256SUMS matches the staged files"
for name in undionly.kpxe ipxe.efi snponly.efi; do
    tftp_get "$name" "$RUN/$name" >/dev/null
    be_check "tftp get $name is byte-identical to $IPXE_DIR/$name" \
        same "$RUN/$name" "$(readlink -f "$IPXE_DIR/$name")"
done

# 2. Option negotiation, seen by curl (it prints the server's OACK options).
size=$(stat -c %s "$ROOT/ipxe.efi")
cli timeout 20 curl -sS -v --tftp-blksize 1468 -o "$RUN/curl.efi" \
    "tftp://$SRV_IP/ipxe.efi" 2> "$RUN/curl1.err" || true
be_check "blksize 1468 requested -> OACK blksize 1468" \
    grep -q 'got option=(blksize) value=(1468)' "$RUN/curl1.err"
be_check "tsize requested -> OACK tsize $size (the file's size)" \
    grep -q "got option=(tsize) value=($size)" "$RUN/curl1.err"
be_check "curl with blksize 1468 gets ipxe.efi intact" \
    same "$RUN/curl.efi" "$ROOT/ipxe.efi"
cli timeout 20 curl -sS -v --tftp-blksize 8192 -o "$RUN/curl2.efi" \
    "tftp://$SRV_IP/ipxe.efi" 2> "$RUN/curl2.err" || true
be_check "blksize 8192 requested -> capped to the configured 1468" \
    grep -q 'got option=(blksize) value=(1468)' "$RUN/curl2.err"
be_check "curl with the capped blksize gets ipxe.efi intact" \
    same "$RUN/curl2.efi" "$ROOT/ipxe.efi"
cli timeout 20 curl -sS -v --tftp-no-options -o "$RUN/curl3.kpxe" \
    "tftp://$SRV_IP/undionly.kpxe" 2> "$RUN/curl3.err" || true
be_check "no options (plain RFC 1350, 512-byte blocks) still works" \
    same "$RUN/curl3.kpxe" "$ROOT/undionly.kpxe"

# 3. /<mac>/<file> resolves to <file>, whatever the MAC's spelling.
for path in 52:54:00:be:00:10/undionly.kpxe /52-54-00-BE-00-10/ipxe.efi \
            525400be0010/snponly.efi; do
    tftp_get "$path" "$RUN/remap.out" >/dev/null
    be_check "remap: $path serves ${path##*/}" \
        same "$RUN/remap.out" "$ROOT/${path##*/}"
done
cli timeout 20 curl -sS -o "$RUN/remap.curl" \
    "tftp://$SRV_IP/52:54:00:be:00:11/ipxe.efi" 2>/dev/null || true
be_check "remap with curl: /52:54:00:be:00:11/ipxe.efi" \
    same "$RUN/remap.curl" "$ROOT/ipxe.efi"
out=$(tftp_get notamac/undionly.kpxe "$RUN/nomac.out")
be_check "a directory that is not a MAC is not remapped (not found)" \
    test ! -s "$RUN/nomac.out"

# 4. Writes are refused and change nothing.
before=$(sha256sum < "$ROOT/undionly.kpxe")
head -c 4096 /dev/urandom > "$RUN/junk"
cli timeout 20 tftp -l -m binary $SRV_IP -c put "$RUN/junk" undionly.kpxe \
    > "$RUN/put1.out" 2>&1 || true
cli timeout 20 tftp -l -m binary $SRV_IP -c put "$RUN/junk" newfile.bin \
    > "$RUN/put2.out" 2>&1 || true
cli timeout 20 curl -sS -T "$RUN/junk" "tftp://$SRV_IP/other.bin" \
    > "$RUN/put3.out" 2>&1 || true
be_check "put over an existing file is refused (access denied)" \
    grep -q 'Error code 2: Access denied' "$RUN/put1.out"
be_check "put of a new file is refused (access denied)" \
    grep -q 'Error code 2: Access denied' "$RUN/put2.out"
be_check "the existing file is unchanged" \
    test "$before" = "$(sha256sum < "$ROOT/undionly.kpxe")"
be_check "no file was created in the root" \
    test ! -e "$ROOT/newfile.bin" -a ! -e "$ROOT/other.bin"

# 5. Nothing outside the root.
rel=$(realpath --relative-to="$ROOT" "$RUN/outside.txt")
for path in "../outside.txt" "$rel" "/$rel" "$RUN/outside.txt" /etc/passwd \
            "52:54:00:be:00:10/../$rel"; do
    out=$(tftp_get "$path" "$RUN/escape.out")
    be_check "outside the root: '$path' is refused" \
        test ! -s "$RUN/escape.out"
done
cli timeout 20 curl -sS -o "$RUN/escape.curl" \
    "tftp://$SRV_IP/..%2F$rel" 2>/dev/null || true
be_check "outside the root with curl: ../$rel is refused" \
    test ! -s "$RUN/escape.curl"

# 6. The daemon logged the requests (through syslog, as in production).
be_check "tftpd logged RRQs with the client address and remapped name" \
    grep -q "RRQ from $CLI_IP filename 52:54:00:be:00:10/undionly.kpxe" "$RUN/tftpd.log"
be_check "in.tftpd is still running after all of the above" be_alive "$BE_TFTPD_PID"

be_summary check-tftp
