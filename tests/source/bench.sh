#!/usr/bin/env bash
# make bench-source: what one refresh of the hardware source costs, at
# 10,000 and 100,000 records, against Debian's nginx over HTTPS on
# 127.0.0.1:18443.  Baseline (1.00x): a forced load of the same document
# from a local file, in the same run.  Then the watch: time from a change
# on the stand-in API server (127.0.0.1:18444) to the new snapshot, with
# 10,000 and 100,000 records, and the watching process's memory.
# Not a test: it reports numbers.
. "$(dirname "$0")/lib.sh"
trap base_cleanup EXIT

BENCH=$BUILD/tests/source/bench_source
make_certs
nginx_conf warn off "
        types { }
        default_type application/json;
        location = /etag/hardware { try_files /hardware.json =404; }
        location = /noetag/hardware { etag off; try_files /hardware.json =404; }"
/usr/bin/python3 - "$T/www" <<'PY'
import json, sys
for n in (10000, 100000):
    items = []
    for i in range(n):
        mac = "02:%02x:%02x:%02x:%02x:%02x" % ((i >> 32) & 255, (i >> 24) & 255,
                                             (i >> 16) & 255, (i >> 8) & 255, i & 255)
        items.append({"apiVersion": "tinkerbell.org/v1alpha1", "kind": "Hardware",
                      "metadata": {"name": "m%d" % i, "namespace": "default",
                                   "resourceVersion": str(i + 1)},
                      "spec": {"interfaces": [{
                          "dhcp": {"mac": mac, "hostname": "m%d" % i, "arch": "x86_64",
                                   "lease_time": 86400,
                                   "ip": {"address": "10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255),
                                          "netmask": "255.0.0.0", "gateway": "10.0.0.1"},
                                   "name_servers": ["10.0.0.53"]},
                          "netboot": {"allowPXE": True, "allowWorkflow": True}}]}})
    doc = {"apiVersion": "tinkerbell.org/v1alpha1", "kind": "HardwareList",
           "metadata": {"resourceVersion": str(n)}, "items": items}
    with open("%s/hw-%d.json" % (sys.argv[1], n), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
PY
nginx_start_plain() {
    "$NGINX" -p "$T" -c "$T/nginx.conf" -e "$T/nginx-error.log" &
    NGINX_PID=$!
    wait_for 10 curl -s -o /dev/null --max-time 2 --cacert "$T/pki/ca.crt" \
        "https://127.0.0.1:$PORT/etag/hardware"
}
for n in 10000 100000; do
    ln -sf "hw-$n.json" "$T/www/hardware.json"
    [ -n "$NGINX_PID" ] || nginx_start_plain
    echo "== $n records ($(( $(stat -L -c %s "$T/www/hardware.json") / 1024 )) KiB)"
    "$BENCH" --file "$T/www/hw-$n.json" --ca-file "$T/pki/ca.crt" --rounds 5 \
        --url "https://127.0.0.1:$PORT/etag/hardware" \
        --url-noetag "https://127.0.0.1:$PORT/noetag/hardware"
done

nginx_stop

# One watch event in the core (no network, no probe): parse the object,
# build and index the next snapshot; baseline: a full load of the list.
for n in 10000 100000; do
    echo "== watch event, $n records"
    "$BENCH" --watch-doc "$T/www/hw-$n.json" --rounds 7
done

# Watch latency: change -> published snapshot (status polled every 20 ms;
# the probe rewrites it every 100 ms, so up to ~0.1 s is the probe's).
PROBE=$BUILD/tests/source/source_probe_fast
WURL="https://127.0.0.1:18444$HW_PATH"
write_token "$TOKEN"
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
for n in 10000 100000; do
    rm -f "$T/ready" "$T/watches" "$T/lists" "$T/st" "$T/st-poll"
    BOOTS_WATCH_EXTRA=$n /usr/bin/python3 "$ROOT/tests/source/k8s_watch_server.py" \
        18444 "$T/pki/server.crt" "$T/pki/server.key" "$T/token" "$T" 2> "$T/server.log" &
    sp=$!
    CLEANUP_PIDS+=("$sp")
    wait_for 120 test -f "$T/ready"
    "$PROBE" --status "$T/st" --url "$WURL" --token-file "$T/token" \
        --ca-file "$T/pki/ca.crt" --interval 300 --timeout 60 --watch 2> "$T/probe.log" &
    pp=$!
    CLEANUP_PIDS+=("$pp")
    wait_for 120 bash -c "grep -q 'host 02:00:00:00:00:02=bravo' '$T/st' 2>/dev/null && [ \"\$(cat '$T/watches' 2>/dev/null)\" = 1 ]"
    for k in 1 2 3; do
        t0=$(ms_now)
        curl -s -o /dev/null --cacert "$T/pki/ca.crt" \
            -d "{\"op\":\"set\",\"name\":\"bravo\",\"index\":2,\"hostname\":\"b$k\"}" \
            "https://127.0.0.1:18444/control"
        end=$(( $(ms_now) + 60000 ))
        until grep -q "host 02:00:00:00:00:02=b$k" "$T/st" || [ "$(ms_now)" -gt "$end" ]; do
            sleep 0.02
        done
        echo "watch, $n records: change $k published after $(( $(ms_now) - t0 )) ms"
    done
    # memory of the watching process (snapshot + what the watch keeps),
    # against a probe that only polls the same list (baseline 1.00x)
    rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
    hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
    w_rss=$(rss "$pp"); w_hwm=$(hwm "$pp")
    kill "$pp"; wait "$pp" 2>/dev/null || true
    "$PROBE" --status "$T/st-poll" --url "$WURL" --token-file "$T/token" \
        --ca-file "$T/pki/ca.crt" --interval 300 --timeout 60 2> "$T/probe-poll.log" &
    pp=$!
    CLEANUP_PIDS+=("$pp")
    wait_for 120 grep -q 'host 02:00:00:00:00:02=b3' "$T/st-poll"
    p_rss=$(rss "$pp"); p_hwm=$(hwm "$pp")
    echo "memory, $n records: polling probe RSS $p_rss kB (peak $p_hwm kB) 1.00x;" \
        "watching probe RSS $w_rss kB (peak $w_hwm kB)" \
        "$(awk -v a="$w_rss" -v b="$p_rss" 'BEGIN { printf "%.2fx", a / b }')"
    kill "$pp" "$sp"; wait "$pp" "$sp" 2>/dev/null || true
done
