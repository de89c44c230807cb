#!/bin/bash
# bench-http: requests per second and worker CPU per request for
#   (1) a static file with open_file_cache (the baseline),
#   (2) ngx_http_boots_module rendering the script,
#   (3) an njs handler (libnginx-mod-http-js) doing a per-client lookup and
#       template substitution that yields the same bytes,
# measured with wrk in one run, interleaved rounds, one nginx worker.
# Then memory with 100,000 hardware records (master and worker RSS/PSS)
# and a reload with 100,000 records under wrk load.
#
# Targets: module >= 1.2x static and >= 1.8x njs (median req/s); the script
# exits 1 when one is missed.  Environment: ROUNDS (5), DURATION (4 s),
# CONNS (50), RECORDS (100000).
#
# wrk cannot choose its source address, so it connects from 127.0.0.1 to
# 127.0.0.10:18092; the hardware file has a record for 127.0.0.1.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MODULE=${BOOTS_NGINX_MODULE:-$ROOT/build/ngx_http_boots_module.so}
NJS_MODULE=/usr/lib/nginx/modules/ngx_http_js_module.so
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-4}
CONNS=${CONNS:-50}
RECORDS=${RECORDS:-100000}

. "$HERE/lib.sh"

ADDR=127.0.0.10
PORT=18092
MEM_PORT=18093
URL=http://$ADDR:$PORT
CLIENT=127.0.0.1
TCK=$(getconf CLK_TCK)

P=$(mktemp -d /tmp/boots-nginx-bench.XXXXXX)
chmod 755 "$P"
cleanup() {
    ngx_cleanup
    rm -rf "$P"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

for f in "$MODULE" "$NJS_MODULE"; do
    [ -f "$f" ] || { echo "bench-http: $f missing" >&2; exit 1; }
done

# --- scripts: module, static copy, njs --------------------------------------

ngx_prefix "$P/a"
mkdir -p "$P/a/html/static"
python3 "$HERE/gen_hardware.py" 200 "$P/a/conf/hardware.json" \
    --client "$CLIENT"
echo 'bench-password-0c7e' > "$P/a/conf/registry-password"
chmod 600 "$P/a/conf/registry-password"

write_conf() {    # write_conf <prefix> <port> <workers> <error log level>
    cat > "$1/conf/nginx.conf" <<CONF
load_module $MODULE;
load_module $NJS_MODULE;
pid logs/nginx.pid;
error_log logs/error.log $4;
worker_processes $3;
events { worker_connections 1024; }

http {
$(ngx_temp_paths)
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    open_file_cache max=16 inactive=60s;
    open_file_cache_valid 60s;

    js_import boots from boots.js;

    boots_hardware_file hardware.json;

    server {
        listen $ADDR:$2 backlog=4096;

        location /static/ {
            root html;
            default_type text/plain;
            add_header Cache-Control no-store;
        }

        location /njs/ {
            js_content boots.script;
        }

        location = /metrics {
            boots_status;
        }

        location / {
            boots_ipxe;
            boots_osie_url http://10.99.0.1/hook;
            boots_tink_server 10.99.0.1:42113;
            boots_syslog_host 10.99.0.1;
            boots_facility onprem;
            boots_registry 10.99.0.1:5000;
            boots_registry_username admin;
            boots_registry_password_file registry-password;
            boots_tink_worker_image quay.io/tinkerbell/tink-worker:latest;
            boots_kernel_args "console=ttyS0,115200";
        }
    }
}
CONF
}

# A placeholder njs file first (nginx -t needs it), the real one once the
# module's script is known.
echo 'function script(r) { r.return(500); } export default {script};' \
    > "$P/a/conf/boots.js"
write_conf "$P/a" $PORT 1 notice
ngx_start "$P/a" $ADDR $PORT || { echo "bench-http: nginx did not start" >&2; exit 1; }
MASTER=$(ngx_master_pid "$P/a")

curl -s --fail -o "$P/module.txt" "$URL/auto.ipxe" \
    || { echo "bench-http: the module did not serve 127.0.0.1" >&2; exit 1; }
cp "$P/module.txt" "$P/a/html/static/auto.ipxe"
chmod 644 "$P/a/html/static/auto.ipxe"

# njs: a table of the same 201 interfaces keyed by IP, and the script split
# on the worker's MAC; each request looks its client up and joins the parts
# with the client's MAC.
python3 - "$P/a/conf/hardware.json" "$P/module.txt" "$P/a/conf/boots.js" <<'PY'
import json, sys
hw, script, out = sys.argv[1:4]
table = {}
for item in json.load(open(hw))["items"]:
    for i in item["spec"]["interfaces"]:
        d = i["dhcp"]
        table[d["ip"]["address"]] = {"mac": d["mac"].lower(),
                                     "pxe": i["netboot"]["allowPXE"]}
text = open(script).read()
mac = table["127.0.0.1"]["mac"]
parts = text.split(mac)
with open(out, "w") as f:
    f.write("var table = %s;\n" % json.dumps(table))
    f.write("var parts = %s;\n" % json.dumps(parts))
    f.write("""
function script(r) {
    var hw = table[r.remoteAddress];
    if (!hw || !hw.pxe) {
        r.return(404);
        return;
    }
    r.headersOut['Content-Type'] = 'text/plain';
    r.headersOut['Cache-Control'] = 'no-store';
    r.return(200, parts.join(hw.mac));
}

export default {script};
""")
PY
kill -HUP "$MASTER"
njs_ready() { curl -s -o "$P/njs.txt" --fail "$URL/njs/auto.ipxe"; }
wait_until 20 njs_ready || { echo "bench-http: njs handler not serving" >&2; exit 1; }
curl -s -o "$P/static.txt" --fail "$URL/static/auto.ipxe"
if ! cmp -s "$P/module.txt" "$P/njs.txt" \
   || ! cmp -s "$P/module.txt" "$P/static.txt"; then
    echo "bench-http: the three bodies differ" >&2
    exit 1
fi
echo "bench-http: body $(stat -c %s "$P/module.txt") bytes, identical for" \
     "static, module and njs; 1 worker, wrk -t1 -c$CONNS -d${DURATION}s," \
     "$ROUNDS interleaved rounds"

worker_cpu() {    # utime + stime of the single worker, in ticks
    local w
    w=$(ngx_workers "$MASTER" | head -1)
    awk '{ print $14 + $15 }' "/proc/$w/stat"
}

# run <name> <path>: one wrk run; appends "rps cpu_us_per_req" to $P/<name>
run() {
    local out c0 c1 reqs rps bad
    c0=$(worker_cpu)
    out=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" "$URL$2" 2>&1)
    c1=$(worker_cpu)
    reqs=$(printf '%s\n' "$out" | awk '/requests in/ { print $1 }')
    rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec/ { print $2 }')
    bad=$(printf '%s\n' "$out" | awk '/Non-2xx/ { print $5 }')
    if [ -z "$reqs" ] || [ "${bad:-0}" != 0 ] \
       || printf '%s\n' "$out" | grep -q 'Socket errors'; then
        echo "bench-http: $1: errors during the run:" >&2
        printf '%s\n' "$out" >&2
        exit 1
    fi
    echo "$rps $(( (c1 - c0) * 1000000 / TCK )) $reqs" \
        | awk '{ printf "%s %.2f\n", $1, $2 / $3 }' >> "$P/$1"
}

# warm-up
for s in static:/static/auto.ipxe module:/auto.ipxe njs:/njs/auto.ipxe; do
    wrk -t1 -c"$CONNS" -d1s "$URL${s#*:}" > /dev/null 2>&1
done

for ((i = 1; i <= ROUNDS; i++)); do
    run static /static/auto.ipxe
    run module /auto.ipxe
    run njs /njs/auto.ipxe
done

median() {        # median <file> <column>
    sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c }
        END { if (NR % 2) print v[(NR + 1) / 2];
              else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '%-28s %12s %14s %12s\n' scenario "req/s median" "(min-max)" "CPU us/req"
for s in static module njs; do
    printf '%-28s %12s %14s %12s\n' "$s" "$(median "$P/$s" 1)" \
        "($(sort -n "$P/$s" | head -1 | cut -d' ' -f1)-$(sort -n "$P/$s" | tail -1 | cut -d' ' -f1))" \
        "$(median "$P/$s" 2)"
done

# ratios per round (the three runs of a round are back to back, so slow
# drifts in the machine's load cancel out), then their median
paste -d' ' "$P/module" "$P/static" "$P/njs" \
    | awk '{ printf "%.3f %.3f %.3f\n", $1 / $3, $1 / $5, $6 / $2 }' \
    > "$P/ratios"
r_static=$(median "$P/ratios" 1)
r_njs=$(median "$P/ratios" 2)
c_njs=$(median "$P/ratios" 3)
c_static=$(awk -v a="$(median "$P/static" 2)" -v b="$(median "$P/module" 2)" \
    'BEGIN { printf "%.2f", a / b }')
echo "per-round req/s ratios module/static: $(cut -d' ' -f1 "$P/ratios" | tr '\n' ' ')"
echo "per-round req/s ratios module/njs:    $(cut -d' ' -f2 "$P/ratios" | tr '\n' ' ')"
echo "module/static req/s: ${r_static}x (target >= 1.2x)"
echo "module/njs req/s:    ${r_njs}x (target >= 1.8x)"
echo "CPU per request: static/module ${c_static}x, njs/module ${c_njs}x"

ngx_stop_pid "$MASTER"

# --- memory with many records --------------------------------------------------

# mem <pid>: "RSS/PSS/private" in MB (private = pages no other process
# shares: what a process holds of its own)
mem() {
    awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } /^Private_/ { v += $2 }
         END { printf "%.1f/%.1f/%.1f", r / 1024, p / 1024, v / 1024 }' \
        "/proc/$1/smaps_rollup"
}

mem_report() {    # mem_report <label> <prefix>
    local m w
    m=$(ngx_master_pid "$2")
    printf '%-26s master %s MB' "$1" "$(mem "$m")"
    for w in $(ngx_workers "$m"); do
        printf ', worker %s MB' "$(mem "$w")"
    done
    echo
}

echo "memory: RSS/PSS/private per process"
ngx_prefix "$P/m"
cp "$P/a/conf/boots.js" "$P/a/conf/registry-password" "$P/m/conf/"
write_conf "$P/m" $MEM_PORT 2 info

python3 "$HERE/gen_hardware.py" 1 "$P/m/conf/hardware.json" --client "$CLIENT"
ngx_start "$P/m" $ADDR $MEM_PORT || exit 1
mem_report "1 record:" "$P/m"
ngx_stop_pid "$(ngx_master_pid "$P/m")"

python3 "$HERE/gen_hardware.py" "$RECORDS" "$P/m/conf/hardware.json" \
    --client "$CLIENT"
echo "hardware file: $RECORDS records, $(( $(stat -c %s "$P/m/conf/hardware.json") / 1048576 )) MB"
ngx_start "$P/m" $ADDR $MEM_PORT || exit 1
MMASTER=$(ngx_master_pid "$P/m")
mem_report "$RECORDS records:" "$P/m"
for w in $(ngx_workers "$MMASTER"); do
    curl -s -o /dev/null "http://$ADDR:$MEM_PORT/auto.ipxe"
done
wrk -t1 -c"$CONNS" -d2s "http://$ADDR:$MEM_PORT/auto.ipxe" > /dev/null 2>&1
mem_report "$RECORDS, after requests:" "$P/m"

# reload to a changed file under load (Connection: close), count failures
python3 "$HERE/gen_hardware.py" "$RECORDS" "$P/m/conf/hardware.json" \
    --client "$CLIENT" --tag=-v2
wrk -t1 -c20 -d10s -H 'Connection: close' \
    "http://$ADDR:$MEM_PORT/auto.ipxe" > "$P/reload.wrk" 2>&1 &
WRK=$!
mmetric() {
    curl -s --max-time 5 "http://$ADDR:$MEM_PORT/metrics" \
        | awk -v n="$1" '$1 == n { print $2 }'
}
lt0=$(mmetric boots_hardware_last_load_timestamp_seconds)
# the reload starts once wrk is sending
sent() { [ "$(mmetric boots_ipxe_scripts_served_total)" -gt 2000 ] 2>/dev/null; }
wait_until 10 sent
t0=$(date +%s%N)
kill -HUP "$MMASTER"
reloaded() {
    [ "$(mmetric boots_hardware_last_load_timestamp_seconds)" -gt "$lt0" ] \
        2>/dev/null
}
wait_until 60 reloaded
echo "reload with $RECORDS records: new data live after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
wait "$WRK"
grep -ho 'boots: loaded .*' "$P/m/logs/error.log" | tail -1
echo "wrk during the reload: $(awk '/requests in/ { print $1 " requests" }' "$P/reload.wrk")," \
     "non-2xx: $(awk '/Non-2xx/ { print $5 }' "$P/reload.wrk" | grep . || echo 0)," \
     "socket errors: $(grep 'Socket errors' "$P/reload.wrk" | sed 's/.*errors: //' | grep . || echo none)"
wait_until 30 eval "[ \$(ngx_workers $MMASTER | wc -l) -eq 2 ]"
mem_report "$RECORDS, after reload:" "$P/m"

awk -v a="$r_static" -v b="$r_njs" 'BEGIN { exit !(a >= 1.2 && b >= 1.8) }'
if [ $? -ne 0 ]; then
    echo "bench-http: target MISSED"
    exit 1
fi
echo "bench-http: targets met"
