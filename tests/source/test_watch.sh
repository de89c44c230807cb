#!/usr/bin/env bash
# The core's HTTP source in watch mode against a stand-in for the
# Kubernetes API (tests/source/k8s_watch_server.py: HTTPS on
# 127.0.0.1:18444, bearer token, list + ?watch=1 stream).
#
# With a 30 s refresh interval, a change reaches the snapshot within about
# a second through the stream alone (the number of full lists is checked
# not to move); ADDED / MODIFIED / DELETED are applied; an invalid change
# is rejected and the last good data stays (also one that duplicates
# another record's MAC), later changes apply; an ERROR 410 leads to a new
# list and a new watch; a requested load (SIGUSR1 to the probe) ends the
# stream and lists again; with a short interval the periodic full list runs;
# stop is prompt in the middle of a stream.
. "$(dirname "$0")/lib.sh"

WPORT=18444
WURL="https://127.0.0.1:$WPORT$HW_PATH"
PROBE=$BUILD/tests/source/source_probe
STATUS=$T/status
PROBE_PID=
SERVER_PID=

cleanup() {
    [ -z "$PROBE_PID" ] || { kill "$PROBE_PID" 2>/dev/null || true; wait "$PROBE_PID" 2>/dev/null || true; }
    [ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
    base_cleanup
}
trap cleanup EXIT

st() { sed -n "s/^$1=//p" "$STATUS" 2>/dev/null; }
host_is() { grep -qx "host $1=$2" "$STATUS" 2>/dev/null; }
no_host() { ! grep -q "host $1=" "$STATUS" 2>/dev/null; }
stat_above() { local v; v=$(st "$1"); [ -n "$v" ] && [ "$v" -gt "$2" ]; }
counter() { cat "$T/$1" 2>/dev/null || echo 0; }
counter_above() { [ "$(counter "$1")" -gt "$2" ]; }
control() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
        --cacert "$T/pki/ca.crt" -H 'Content-Type: application/json' \
        -d "$1" "https://127.0.0.1:$WPORT/control" | grep -q 200
}
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

make_certs
write_token "$TOKEN"
/usr/bin/python3 "$ROOT/tests/source/k8s_watch_server.py" "$WPORT" \
    "$T/pki/server.crt" "$T/pki/server.key" "$T/token" "$T" \
    2> "$T/server.log" &
SERVER_PID=$!
check "watch server up" wait_for 10 test -f "$T/ready"

ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
"$PROBE" --status "$STATUS" --url "$WURL" --token-file "$T/token" \
    --ca-file "$T/pki/ca.crt" --interval 30 --timeout 2 --watch \
    2> "$T/probe.log" &
PROBE_PID=$!
check "first list loaded" wait_for 10 host_is 02:00:00:00:00:03 charlie
check "watch opened" wait_for 10 counter_above watches 0
lists=$(counter lists)

# MODIFIED, timed from the change to the snapshot.
t0=$(ms_now)
control '{"op":"set","name":"bravo","index":2,"hostname":"bravo-w1"}'
check "MODIFIED applied" wait_for 5 host_is 02:00:00:00:00:02 bravo-w1
t1=$(ms_now)
log "watch latency: $((t1 - t0)) ms (change -> new snapshot, incl. polling)"
check "MODIFIED published within 2 s" test $((t1 - t0)) -lt 2000
check "through the stream, not a new list" test "$(counter lists)" = "$lists"

control '{"op":"set","name":"delta","index":4,"hostname":"delta"}'
check "ADDED applied" wait_for 5 host_is 02:00:00:00:00:04 delta
control '{"op":"delete","name":"charlie"}'
check "DELETED applied" wait_for 5 no_host 02:00:00:00:00:03
check "entries: alpha, bravo, delta" test "$(st entries)" = 3

# An invalid change is rejected; the last good data stays; a fix applies.
failed=$(st reload_failed)
control '{"op":"set","name":"bravo","index":2,"hostname":"bravo-bad","mac":"zz:00:00:00:00:02"}'
check "invalid change rejected" wait_for 5 stat_above reload_failed "$failed"
check "last good data kept" host_is 02:00:00:00:00:02 bravo-w1
control '{"op":"set","name":"bravo","index":2,"hostname":"bravo-w2"}'
check "fixed change applied" wait_for 5 host_is 02:00:00:00:00:02 bravo-w2
check "still no new list" test "$(counter lists)" = "$lists"

# A change valid on its own that takes another record's MAC is rejected
# (the message names both records); the last good data stays, and later
# valid changes apply on top of it through the stream.
failed=$(st reload_failed)
control '{"op":"set","name":"delta","index":4,"hostname":"delta-dup","mac":"02:00:00:00:00:01"}'
check "duplicate MAC rejected" wait_for 5 stat_above reload_failed "$failed"
check "duplicate MAC: message names both records" grep -q 'record default/delta: .*duplicate MAC address "02:00:00:00:00:01", already used by record default/alpha' "$T/probe.log"
check "duplicate MAC: last good data kept" bash -c "grep -qx 'host 02:00:00:00:00:04=delta' '$STATUS' && grep -qx 'host 02:00:00:00:00:01=alpha' '$STATUS'"
control '{"op":"set","name":"alpha","index":1,"hostname":"alpha-w2"}'
check "later change applied after the rejected one" wait_for 5 host_is 02:00:00:00:00:01 alpha-w2
check "rejected change not applied" host_is 02:00:00:00:00:04 delta
check "still no new list after rejections" test "$(counter lists)" = "$lists"
# (the API server still has the clash: fix it, or every full list fails)
control '{"op":"set","name":"delta","index":4,"hostname":"delta-2"}'
check "clash fixed through the stream" wait_for 5 host_is 02:00:00:00:00:04 delta-2

# 410 Gone: a new list, a new watch, and changes still flow.
watches=$(counter watches)
control '{"op":"expire"}'
check "ERROR 410: listed again" wait_for 5 counter_above lists "$lists"
check "ERROR 410: watching again" wait_for 5 counter_above watches "$watches"
control '{"op":"set","name":"alpha","index":1,"hostname":"alpha-w3"}'
check "changes flow after the new watch" wait_for 5 host_is 02:00:00:00:00:01 alpha-w3

# A requested load (what boots-reload {"wait": false} asks of the hook)
# ends the stream at once and lists again; it is not a failure.
lists=$(counter lists)
watches=$(counter watches)
errors=$(st source_errors)
kill -USR1 "$PROBE_PID"
check "requested load: listed again" wait_for 5 counter_above lists "$lists"
check "requested load: watching again" wait_for 5 counter_above watches "$watches"
check "requested load: no source error counted" test "$(st source_errors)" = "$errors"
control '{"op":"set","name":"alpha","index":1,"hostname":"alpha-w4"}'
check "changes flow after the requested load" wait_for 5 host_is 02:00:00:00:00:01 alpha-w4

check "token never logged" bash -c "! grep -qF '$TOKEN' '$T/probe.log'"

t0=$(ms_now)
kill "$PROBE_PID"
set +e; wait "$PROBE_PID"; rc=$?; set -e
PROBE_PID=
t1=$(ms_now)
check "probe exits cleanly during a stream (ASan, leaks)" test "$rc" = 0
log "stop took $((t1 - t0)) ms during a stream"
check "stop within 1 s during a stream (abort flag checked every 100 ms)" test $((t1 - t0)) -lt 1000

# The periodic full list (safety net): interval 1 s -> a new list and a
# new watch at least every ~1 s.
lists=$(counter lists)
STATUS=$T/status2
"$PROBE" --status "$STATUS" --url "$WURL" --token-file "$T/token" \
    --ca-file "$T/pki/ca.crt" --interval 1 --timeout 2 --watch \
    2> "$T/probe2.log" &
PROBE_PID=$!
check "periodic full list runs" wait_for 10 counter_above lists $((lists + 3))
kill "$PROBE_PID"; wait "$PROBE_PID" || true
PROBE_PID=

# A body cut short by the connection (Content-Length not reached), while
# polling: counted as a source error, the last good data stays.
STATUS=$T/status3   # a fresh status file: nothing stale to match
"$PROBE" --status "$STATUS" --url "$WURL" --token-file "$T/token" \
    --ca-file "$T/pki/ca.crt" --interval 1 --timeout 2 \
    2> "$T/probe3.log" &
PROBE_PID=$!
check "polling probe loaded" wait_for 10 host_is 02:00:00:00:00:01 alpha-w4
errors=$(st source_errors)
: > "$T/truncate"
control '{"op":"set","name":"alpha","index":1,"hostname":"alpha-t"}'
check "truncated transfer: source error counted" wait_for 10 stat_above source_errors "$errors"
check "truncated transfer: last good data kept" host_is 02:00:00:00:00:01 alpha-w4
check "truncated transfer: logged as truncated" grep -qi 'truncated\|partial' "$T/probe3.log"
rm -f "$T/truncate"
check "truncated transfer: recovers" wait_for 10 host_is 02:00:00:00:00:01 alpha-t
kill "$PROBE_PID"; wait "$PROBE_PID" || true
PROBE_PID=

log "$PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
