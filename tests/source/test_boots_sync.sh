#!/usr/bin/env bash
# boots-sync against a real HTTPS server (nginx) with fault injection:
# the output file is written atomically (new inode, same mode), left
# byte-for-byte unchanged on every failure, the --on-change command runs
# once per change, and each outcome has its documented exit code.
. "$(dirname "$0")/lib.sh"

SYNC=$BUILD/boots-sync
OUT_DIR=$T/out
OUT=$OUT_DIR/hardware.json
COUNT=$T/changes
LOOP_PID=

cleanup() {
    [ -z "$LOOP_PID" ] || { kill "$LOOP_PID" 2>/dev/null || true; wait "$LOOP_PID" 2>/dev/null || true; }
    base_cleanup
}
trap cleanup EXIT

mkdir -p "$OUT_DIR"
make_certs
write_nginx_conf
write_token "$TOKEN"
nginx_start
log "nginx up on $URL"

# sync [extra args...]: one run with the good options; sets RC, output in
# $T/sync.out / $T/sync.err.
sync() {
    set +e
    "$SYNC" --url "$URL" --token-file "$T/token" --ca-file "$T/pki/ca.crt" \
        --timeout 2 --output "$OUT" --on-change "echo x >> '$COUNT'" \
        --once "$@" > "$T/sync.out" 2> "$T/sync.err"
    RC=$?
    set -e
}
changes() { [ -f "$COUNT" ] && wc -l < "$COUNT" || echo 0; }
inode() { stat -c %i "$OUT"; }
no_temp_files() { [ -z "$(ls -A "$OUT_DIR" | grep -v '^hardware.json$')" ]; }

# --- first sync writes the file, runs the command once
serve "$(hw_json alpha bravo)"
sync
check "first sync: exit 0" test "$RC" = 0
check "first sync: file equals the served data" cmp -s "$OUT" "$T/www/hardware.json"
check "first sync: on-change ran once" test "$(changes)" = 1
check "first sync: says what it wrote" grep -q 'wrote 2 records' "$T/sync.out"

# --- unchanged: not rewritten, no command
chmod 640 "$OUT"
ino=$(inode)
sync
check "unchanged: exit 0" test "$RC" = 0
check "unchanged: same inode (not rewritten)" test "$(inode)" = "$ino"
check "unchanged: on-change not run" test "$(changes)" = 1

# --- changed: atomic replace, mode kept, command once
serve "$(hw_json alpha bravo charlie)"
sync
check "changed: exit 0" test "$RC" = 0
check "changed: new content" cmp -s "$OUT" "$T/www/hardware.json"
check "changed: replaced by rename (new inode)" test "$(inode)" != "$ino"
check "changed: mode 640 kept" test "$(stat -c %a "$OUT")" = 640
check "changed: on-change ran once more" test "$(changes)" = 2
check "changed: no temporary file left" no_temp_files

cp "$OUT" "$T/good.json"
last_good_unchanged() { cmp -s "$OUT" "$T/good.json" && test "$(changes)" = 2 && no_temp_files; }

# --- faults: exit code, file untouched, no command
expect_fail() {   # expect_fail NAME CODE [extra args]
    local name=$1 code=$2; shift 2
    serve "$(hw_json alpha bravo "new-$name")"
    sync "$@"
    check "$name: exit $code" test "$RC" = "$code"
    check "$name: file and command untouched" last_good_unchanged
    check "$name: message on stderr" test -s "$T/sync.err"
}

fault_on fail500
expect_fail "HTTP 500" 2
grep -q 'HTTP 500' "$T/sync.err" || fail "HTTP 500: message names the status"
fault_off fail500

fault_on wrongtype
expect_fail "wrong Content-Type" 2
fault_off wrongtype

fault_on slow
t0=$(date +%s%N)
expect_fail "slow beyond --timeout" 2
t1=$(date +%s%N)
check "slow: gave up within timeout + 2 s" test $(( (t1 - t0) / 1000000 )) -lt 4000
fault_off slow

write_token wrong-token
expect_fail "rejected token" 2
check "rejected token: 401 reported" grep -q 'HTTP 401' "$T/sync.err"
write_token "$TOKEN"

expect_fail "certificate from the wrong CA" 2 --ca-file "$T/pki/ca2.crt"
check "wrong CA: TLS failure reported" grep -qi 'TLS' "$T/sync.err"

good=$(hw_json alpha bravo charlie)
serve "${good:0:100}"
sync
check "truncated JSON: exit 3" test "$RC" = 3
check "truncated JSON: file and command untouched" last_good_unchanged

serve "${good/02:00:00:00:00:02/zz:00:00:00:00:02}"
sync
check "invalid record: exit 3" test "$RC" = 3
check "invalid record: message names the field" grep -q 'dhcp.mac' "$T/sync.err"
check "invalid record: file and command untouched" last_good_unchanged

nginx_stop
expect_fail "server down" 2
nginx_start

serve "$(hw_json alpha bravo delta)"
set +e
"$SYNC" --url "$URL" --token-file "$T/token" --ca-file "$T/pki/ca.crt" \
    --output "$T/no-such-dir/hardware.json" --once > /dev/null 2> "$T/sync.err"
RC=$?
set -e
check "unwritable output: exit 4" test "$RC" = 4

for out in "$T"/sync.out "$T"/sync.err; do
    check "token never printed ($(basename "$out"))" bash -c "! grep -qF '$TOKEN' '$out'"
done

# --- client certificate (mutual TLS on port 18445)
MTLS_URL="https://127.0.0.1:$MTLS_PORT$HW_PATH"
mtls() {
    set +e
    "$SYNC" --url "$MTLS_URL" --ca-file "$T/pki/ca.crt" --timeout 2 \
        --output "$T/mtls.json" --once "$@" > /dev/null 2> "$T/mtls.err"
    RC=$?
    set -e
}
mtls
check "mTLS without a client certificate: exit 2" test "$RC" = 2
check "mTLS without a client certificate: no file" test ! -e "$T/mtls.json"
mtls --cert-file "$T/pki/client.crt" --key-file "$T/pki/client.key"
check "mTLS with the client certificate: exit 0" test "$RC" = 0
check "mTLS with the client certificate: file written" cmp -s "$T/mtls.json" "$T/www/hardware.json"
chmod 644 "$T/pki/client.key"
mtls --cert-file "$T/pki/client.crt" --key-file "$T/pki/client.key"
check "key readable by others: warning" grep -q 'key-file.*readable by group or others' "$T/mtls.err"
chmod 600 "$T/pki/client.key"

# --- command failure after a successful write
sync --on-change false
check "failing on-change: exit 5" test "$RC" = 5
check "failing on-change: file was updated" cmp -s "$OUT" "$T/www/hardware.json"

# --- usage errors
usage_rc() { set +e; "$SYNC" "$@" > /dev/null 2>&1; local rc=$?; set -e; test "$rc" = 1; }
check "usage: no --url" usage_rc --output "$OUT" --once
check "usage: bad scheme" usage_rc --url ftp://127.0.0.1/ --output "$OUT" --once
check "usage: bad --timeout" usage_rc --url "$URL" --output "$OUT" --timeout 0
check "usage: unreadable token file" usage_rc --url "$URL" --output "$OUT" --token-file /nonexistent
check "usage: cert without key" usage_rc --url "$URL" --output "$OUT" --cert-file "$T/pki/ca.crt"
check "--help exits 0 and lists the exit codes" bash -c "'$SYNC' --help | grep -q 'Exit status'"

# --- token readable by others: warning
chmod 644 "$T/token"
sync
check "token readable by others: warning" grep -q 'readable by group or others' "$T/sync.err"
chmod 600 "$T/token"

# --- loop mode: follows changes, runs the command once per change,
# keeps going through a failure, exits 0 on SIGTERM
rm -f "$COUNT"
"$SYNC" --url "$URL" --token-file "$T/token" --ca-file "$T/pki/ca.crt" \
    --timeout 2 --interval 1 --output "$OUT" \
    --on-change "echo x >> '$COUNT'" > "$T/loop.out" 2> "$T/loop.err" &
LOOP_PID=$!
serve "$(hw_json loop1)"
check "loop: first change written" wait_for 10 grep -q loop1 "$OUT"
check "loop: command ran" wait_for 5 test "$(changes)" = 1
fault_on fail500
serve "$(hw_json loop2)"
check "loop: failure reported, keeps running" wait_for 10 grep -q 'HTTP 500' "$T/loop.err"
check "loop: file untouched during the failure" grep -q loop1 "$OUT"
fault_off fail500
check "loop: second change written" wait_for 10 grep -q loop2 "$OUT"
check "loop: command ran once per change" wait_for 5 test "$(changes)" = 2
kill "$LOOP_PID"
set +e; wait "$LOOP_PID"; rc=$?; set -e
LOOP_PID=
check "loop: SIGTERM exits 0" test "$rc" = 0
check "loop: command count still 2" test "$(changes)" = 2

log "$PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
