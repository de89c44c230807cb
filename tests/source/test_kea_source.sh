#!/usr/bin/env bash
# kea-dhcp4 with build/libdhcp_boots.so following a live HTTPS hardware
# source (hardware-url, token, CA), with fault injection.
#
# Network: namespaces bs-srv (kea-dhcp4 on bs-v0 10.78.0.1/24, and nginx on
# the namespace's own 127.0.0.1:18443) and bs-cli (the DHCP client on
# bs-v1 10.78.0.2/24), joined by a veth pair.  All removed by the trap.
#
# For each fault: Kea keeps offering the last good data (checked with an
# independent DHCP client), boots.source-errors / boots.reload-failed count
# the failure, and a change made on the server during the fault is offered
# once the fault is fixed.
SRV=bs-srv CLI=bs-cli V0=bs-v0 V1=bs-v1
NSX=(ip netns exec "$SRV")
. "$(dirname "$0")/lib.sh"

HOOK=${HOOK:-$BUILD/libdhcp_boots.so}
PY=/usr/bin/python3
KEA_PID=

cleanup() {
    set +e
    if [ -n "$KEA_PID" ]; then
        kill "$KEA_PID" 2>/dev/null
        wait "$KEA_PID" 2>/dev/null
    fi
    base_cleanup
    ip netns del "$SRV" 2>/dev/null
    ip netns del "$CLI" 2>/dev/null
    ip link del "$V0" 2>/dev/null
}
trap cleanup EXIT INT TERM

[ -f "$HOOK" ] || { echo "test_kea_source: $HOOK not built" >&2; exit 2; }

. "$(dirname "$0")/../lib/netns-pair.sh"
netns_pair "$SRV" "$CLI" "$V0" "$V1" 10.78.0.1/24 10.78.0.2/24
SRV_MAC=$(ip netns exec "$SRV" cat /sys/class/net/"$V0"/address)

make_certs
write_nginx_conf
write_token "$TOKEN"
serve "$(hw_json alpha bravo charlie)"
nginx_start
log "nginx up on $URL inside $SRV"

cat > "$T/kea.json" <<EOF
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["$V0"], "dhcp-socket-type": "raw"},
  "authoritative": true,
  "match-client-id": false,
  "host-reservation-identifiers": ["hw-address"],
  "valid-lifetime": 4000,
  "lease-database": {"type": "memfile", "persist": false},
  "control-socket": {"socket-type": "unix", "socket-name": "$T/kea.sock"},
  "subnet4": [{"id": 1, "subnet": "10.78.0.0/24",
               "pools": [{"pool": "10.78.0.100 - 10.78.0.200"}],
               "option-data": [{"name": "routers", "data": "10.78.0.1"}]}],
  "hooks-libraries": [{"library": "$HOOK", "parameters": {
      "hardware-url": "$URL",
      "hardware-token-file": "$T/token",
      "hardware-ca-file": "$T/pki/ca.crt",
      "refresh-interval": 1,
      "hardware-timeout": 2,
      "tftp-server": "10.78.0.1",
      "ipxe-script-url": "http://10.78.0.1/auto.ipxe",
      "unknown-clients": "ignore"}}],
  "loggers": [{"name": "kea-dhcp4",
               "output_options": [{"output": "$T/kea.log"}],
               "severity": "INFO"}]
}}
EOF

KEA_PIDFILE_DIR=$T KEA_LOCKFILE_DIR=$T ip netns exec "$SRV" \
    kea-dhcp4 -c "$T/kea.json" > "$T/kea.out" 2>&1 &
KEA_PID=$!

kea_cmd() {   # kea_cmd JSON -> the answer
    printf '%s' "$1" | socat -t 5 - UNIX-CONNECT:"$T/kea.sock" 2>/dev/null
}
kstat() {     # kstat NAME -> its current value (empty if unknown)
    kea_cmd "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"$1\"}}" |
        "$PY" -c 'import json,sys
try:
    v = json.load(sys.stdin)["arguments"][sys.argv[1]]
    print(v[0][0] if v else "")
except Exception:
    print("")' "$1"
}
kea_up() { kea_cmd '{"command":"list-commands"}' | grep -q '"result": *0'; }
stat_above() { local v; v=$(kstat "$1"); [ -n "$v" ] && [ "$v" -gt "$2" ]; }
offer() {     # offer MAC -> "yiaddr hostname" or "none"
    ip netns exec "$CLI" "$PY" "$ROOT/tests/source/dhcp_offer.py" \
        "$V1" "$SRV_MAC" "$1" 3 2>/dev/null || true
}
offers() { [ "$(offer "$1")" = "$2" ]; }

check "kea-dhcp4 starts with hardware-url" wait_for 20 kea_up
check "Kea offers the record from the HTTPS source" \
    wait_for 10 offers 02:00:00:00:00:02 "10.78.0.12 bravo"
check "boots.source-last-success set" stat_above boots.source-last-success 0

# A changed record is offered after the next refresh.
gen=$(kstat boots.generation)
serve "$(hw_json alpha bravo-2 charlie)"
check "changed record: new snapshot" wait_for 10 stat_above boots.generation "$gen"
check "changed record: offered" offers 02:00:00:00:00:02 "10.78.0.12 bravo-2"
echo bravo-2 > "$T/last_host"

n=0
fault_case() {   # NAME ON OFF STAT
    local name=$1 on=$2 off=$3 stat=$4 before gen
    n=$((n + 1))
    before=$(kstat "$stat")
    eval "$on"
    serve "$(hw_json alpha "case$n" charlie)"
    check "$name: $stat counted" wait_for 15 stat_above "$stat" "$before"
    check "$name: DHCP still offers the last good data" \
        offers 02:00:00:00:00:02 "10.78.0.12 $(cat "$T/last_host")"
    gen=$(kstat boots.generation)
    eval "$off"
    check "$name: recovers (new snapshot)" wait_for 15 stat_above boots.generation "$gen"
    check "$name: new data offered" offers 02:00:00:00:00:02 "10.78.0.12 case$n"
    echo "case$n" > "$T/last_host"
}

fault_case "HTTP 500" "fault_on fail500" "fault_off fail500" boots.source-errors

# An operator's boots-reload during a fault: an error naming the failure,
# and the data stays.
fault_on fail500
reload=$(kea_cmd '{"command":"boots-reload"}')
check "boots-reload during a 500: error result" grep -q '"result": *1' <<< "$reload"
check "boots-reload during a 500: says HTTP 500" grep -q 'HTTP 500' <<< "$reload"
check "boots-reload during a 500: data kept" \
    offers 02:00:00:00:00:02 "10.78.0.12 $(cat "$T/last_host")"
fault_off fail500
reload=$(kea_cmd '{"command":"boots-reload"}')
check "boots-reload after the fix: success" grep -q '"result": *0' <<< "$reload"
fault_case "server down" "nginx_stop" "nginx_start" boots.source-errors
fault_case "slow beyond the timeout" "fault_on slow" "fault_off slow" boots.source-errors
fault_case "wrong Content-Type" "fault_on wrongtype" "fault_off wrongtype" boots.source-errors
fault_case "rejected token" "write_token wrong-token" "write_token \"\$TOKEN\"" boots.source-errors
fault_case "certificate from the wrong CA" "use_cert ca2" "use_cert ca" boots.source-errors

good=$(hw_json alpha bravo charlie)
bad_case() {   # NAME BODY
    local name=$1 body=$2 before gen
    n=$((n + 1))
    before=$(kstat boots.reload-failed)
    serve "$body"
    check "$name: boots.reload-failed counted" wait_for 15 stat_above boots.reload-failed "$before"
    check "$name: DHCP still offers the last good data" \
        offers 02:00:00:00:00:02 "10.78.0.12 $(cat "$T/last_host")"
    gen=$(kstat boots.generation)
    serve "$(hw_json alpha "case$n" charlie)"
    check "$name: recovers" wait_for 15 stat_above boots.generation "$gen"
    check "$name: new data offered" offers 02:00:00:00:00:02 "10.78.0.12 case$n"
    echo "case$n" > "$T/last_host"
}
bad_case "truncated JSON" "${good:0:$(( ${#good} / 2 ))}"
bad_case "invalid record" "${good/02:00:00:00:00:02/zz:00:00:00:00:02}"

check "Kea still running" kill -0 "$KEA_PID"
check "token never in Kea's log" bash -c "! grep -qF '$TOKEN' '$T/kea.log' '$T/kea.out'"
check "source failures in Kea's log" grep -q 'HTTP 500' "$T/kea.log"

kea_cmd '{"command":"shutdown"}' > /dev/null || true
set +e; wait "$KEA_PID"; rc=$?; set -e
KEA_PID=
check "kea-dhcp4 shuts down cleanly" test "$rc" = 0

# Kea starting while the API is down: it starts, answers nobody it does
# not know, and serves the hardware as soon as the source is reachable.
nginx_stop
serve "$(hw_json alpha late-start charlie)"
KEA_PIDFILE_DIR=$T KEA_LOCKFILE_DIR=$T ip netns exec "$SRV" \
    kea-dhcp4 -c "$T/kea.json" >> "$T/kea.out" 2>&1 &
KEA_PID=$!
check "source down at start: kea-dhcp4 still starts" wait_for 20 kea_up
check "source down at start: error counted" wait_for 10 stat_above boots.source-errors 0
check "source down at start: no offer without data" offers 02:00:00:00:00:02 "none"
nginx_start
check "source back: hardware served" wait_for 15 offers 02:00:00:00:00:02 "10.78.0.12 late-start"
kea_cmd '{"command":"shutdown"}' > /dev/null || true
set +e; wait "$KEA_PID"; rc=$?; set -e
KEA_PID=
check "kea-dhcp4 shuts down cleanly (second run)" test "$rc" = 0

log "$PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
