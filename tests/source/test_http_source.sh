#!/usr/bin/env bash
# The core's HTTP hardware source against a real HTTPS server (nginx) with
# fault injection.  A small host (source_probe) runs boots_source with a
# 1 s refresh and reports its snapshot and stats in a status file.
#
# For each fault: the data served before the fault keeps serving, the
# failure is counted (source_errors or reload_failed), and a change made
# on the server during the fault appears once the fault is fixed.
. "$(dirname "$0")/lib.sh"

PROBE=$BUILD/tests/source/source_probe
STATUS=$T/status
PROBE_PID=

cleanup() {
    [ -z "$PROBE_PID" ] || { kill "$PROBE_PID" 2>/dev/null || true; wait "$PROBE_PID" 2>/dev/null || true; }
    base_cleanup
}
trap cleanup EXIT

st() { sed -n "s/^$1=//p" "$STATUS" 2>/dev/null; }
host_is() { grep -qx "host $1=$2" "$STATUS" 2>/dev/null; }
stat_above() { local v; v=$(st "$1"); [ -n "$v" ] && [ "$v" -gt "$2" ]; }

make_certs
write_nginx_conf
write_token "$TOKEN"
serve "$(hw_json alpha bravo charlie)"
nginx_start
log "nginx up on $URL"

ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
"$PROBE" --status "$STATUS" --url "$URL?labelSelector=boots%3Dyes" \
    --token-file "$T/token" --ca-file "$T/pki/ca.crt" --interval 1 \
    --timeout 2 2> "$T/probe.log" &
PROBE_PID=$!

check "first load: 3 records" wait_for 10 host_is 02:00:00:00:00:03 charlie
check "no warning for a 0600 token file" \
    bash -c "! grep -q 'readable by' '$T/probe.log'"

# A changed record is picked up after the next refresh.
serve "$(hw_json alpha bravo-2 charlie)"
check "changed record picked up" wait_for 10 host_is 02:00:00:00:00:02 bravo-2

# Unchanged data: conditional requests (304) and no re-parse.
ok_before=$(st reload_ok)
unch=$(st unchanged)
check "unchanged data counted as unchanged" wait_for 10 stat_above unchanged $((unch + 1))
check "unchanged data not re-published" test "$(st reload_ok)" = "$ok_before"
check "conditional GET answered 304" grep -q '" 304 ' "$T/access.log"

# fault_case NAME "on-commands" "off-commands" COUNTER: apply the fault,
# change the data behind it, check the old data stays while the failure
# is counted, then fix it and check the new data arrives.
n=0
fault_case() {
    local name=$1 on=$2 off=$3 counter=$4
    local before
    n=$((n + 1))
    before=$(st "$counter")
    eval "$on"
    serve "$(hw_json alpha "case$n" charlie)"
    check "$name: failure counted ($counter)" wait_for 15 stat_above "$counter" "$before"
    check "$name: last good data keeps serving" host_is 02:00:00:00:00:02 "$(cat "$T/last_host")"
    check "$name: not yet the new data" bash -c "! grep -qx 'host 02:00:00:00:00:02=case$n' '$STATUS'"
    eval "$off"
    check "$name: recovers after the fix" wait_for 15 host_is 02:00:00:00:00:02 "case$n"
    echo "case$n" > "$T/last_host"
}
echo bravo-2 > "$T/last_host"

fault_case "HTTP 500" "fault_on fail500" "fault_off fail500" source_errors
fault_case "server down" "nginx_stop" "nginx_start" source_errors
fault_case "slow beyond the timeout" "fault_on slow" "fault_off slow" source_errors
fault_case "wrong Content-Type" "fault_on wrongtype" "fault_off wrongtype" source_errors
fault_case "rejected token" "write_token wrong-token" "write_token \"\$TOKEN\"" source_errors
fault_case "certificate from the wrong CA" "use_cert ca2" "use_cert ca" source_errors

# Bodies that fail validation: the served document itself is bad, so the
# fix is the new document.
bad_case() {
    local name=$1 body=$2
    local before
    n=$((n + 1))
    before=$(st reload_failed)
    serve "$body"
    check "$name: rejected (reload_failed)" wait_for 15 stat_above reload_failed "$before"
    check "$name: last good data keeps serving" host_is 02:00:00:00:00:02 "$(cat "$T/last_host")"
    serve "$(hw_json alpha "case$n" charlie)"
    check "$name: recovers" wait_for 15 host_is 02:00:00:00:00:02 "case$n"
    echo "case$n" > "$T/last_host"
}
good=$(hw_json alpha bravo charlie)
bad_case "truncated JSON" "${good:0:$(( ${#good} / 2 ))}"
bad_case "invalid record (bad MAC)" "${good/02:00:00:00:00:02/zz:00:00:00:00:02}"
bad_case "invalid record (bad IP)" "${good/10.78.0.12/10.78.0.999}"

check "token never logged" bash -c "! grep -qF '$TOKEN' '$T/probe.log'"
check "failures logged with a reason" grep -q 'HTTP 500' "$T/probe.log"
check "TLS failure logged" grep -qi 'TLS\|certificate' "$T/probe.log"
check "401 logged" grep -q 'HTTP 401' "$T/probe.log"

# A token file readable by others is warned about.
chmod 644 "$T/token"
: > "$T/status2"
"$PROBE" --status "$T/status2" --url "$URL" --token-file "$T/token" \
    --ca-file "$T/pki/ca.crt" --interval 60 2> "$T/probe2.log" &
p2=$!
CLEANUP_PIDS+=("$p2")
check "token readable by others: warning" wait_for 10 grep -q 'readable by group or others' "$T/probe2.log"
kill "$p2"; wait "$p2" || true
chmod 600 "$T/token"

# Stop is prompt even in the middle of a slow fetch.
fault_on slow
serve "$(hw_json alpha stop-test charlie)"
wait_for 5 grep -q "$HW_PATH" "$T/access.log" || true
t0=$(date +%s%N)
kill "$PROBE_PID"
wait "$PROBE_PID"; rc=$?
PROBE_PID=
t1=$(date +%s%N)
check "probe exits cleanly (ASan, leaks)" test "$rc" = 0
log "stop took $(( (t1 - t0) / 1000000 )) ms during a slow fetch"
check "stop within 1 s during a slow fetch (abort flag checked every 100 ms)" test $(( (t1 - t0) / 1000000 )) -lt 1000
fault_off slow

log "$PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
