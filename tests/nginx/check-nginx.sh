#!/bin/bash
# check-nginx: Debian's /usr/sbin/nginx loading build/ngx_http_boots_module.so
# from a private prefix, driven by curl.  TAP output.
#
# Workers are told apart by their source address: 127.0.0.11-.21 are
# hardware addresses (127/8 is all local, so curl --interface binds them
# without configuring anything); nginx listens on 127.0.0.10:18090 (plain)
# and 127.0.0.10:18091 (realip trusting 127.0.0.50).  Uses only ports
# 18090-18091 and addresses 127.0.0.10-127.0.0.60.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MODULE=${BOOTS_NGINX_MODULE:-$ROOT/build/ngx_http_boots_module.so}

. "$HERE/lib.sh"

ADDR=127.0.0.10
PORT=18090
RIP_PORT=18091
URL=http://$ADDR:$PORT
RIP_URL=http://$ADDR:$RIP_PORT

# Secrets whose absence from logs and error pages is checked.
FILE_PASSWORD='file-Pw-7d1e9c04'
ENV_PASSWORD='env-Pw-5b2a81f3'

P=$(mktemp -d /tmp/boots-nginx-check.XXXXXX)
chmod 755 "$P"

cleanup() {
    ngx_cleanup
    rm -rf "$P"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

if [ ! -f "$MODULE" ]; then
    echo "Bail out! $MODULE not built (run make)"
    exit 1
fi

ngx_prefix "$P"
mkdir -p "$P/html"

# --- hardware -------------------------------------------------------------

# hw_iface <mac> <ip> <hostname> <allowPXE> <allowWorkflow> [netboot extra]
hw_iface() {
    cat <<JSON
{"dhcp": {"mac": "$1", "hostname": "$3", "arch": "x86_64",
          "ip": {"address": "$2", "netmask": "255.255.255.0",
                 "gateway": "127.0.0.1"}},
 "netboot": {"allowPXE": $4, "allowWorkflow": $5 ${6:+, $6}}}
JSON
}

# hw_record <name> <interfaces json> [facility]
hw_record() {
    cat <<JSON
{"apiVersion": "tinkerbell.org/v1alpha1", "kind": "Hardware",
 "metadata": {"name": "$1", "namespace": "default"},
 "spec": {"metadata": {"facility": {"facility_code": "${3:-lab1}"}},
          "interfaces": [$2]}}
JSON
}

hw_list() {       # hw_list <record>... : a Kubernetes List
    local first=1 r
    echo '{"apiVersion": "v1", "kind": "List", "items": ['
    for r in "$@"; do
        [ $first -eq 1 ] || echo ','
        first=0
        echo "$r"
    done
    echo ']}'
}

write_hw() {      # write_hw <file> [extra record...]: atomically
    local out=$1
    shift
    hw_list \
        "$(hw_record wf-01 "$(hw_iface 52:54:00:aa:00:11 127.0.0.11 wf-01 true true),
                            $(hw_iface 52:54:00:aa:00:17 127.0.0.17 wf-01b true true)")" \
        "$(hw_record nowf-01 "$(hw_iface 52:54:00:aa:00:12 127.0.0.12 nowf-01 true false)")" \
        "$(hw_record nopxe-01 "$(hw_iface 52:54:00:aa:00:13 127.0.0.13 nopxe-01 false true)")" \
        "$(hw_record url-01 "$(hw_iface 52:54:00:aa:00:14 127.0.0.14 url-01 true true \
            '"ipxe": {"url": "http://boot.example.test/custom.ipxe"}')")" \
        "$(hw_record contents-01 "$(hw_iface 52:54:00:aa:00:15 127.0.0.15 contents-01 true true \
            '"ipxe": {"contents": "echo contents-marker-42\nshell"}')")" \
        "$@" > "$out.tmp"
    mv -f "$out.tmp" "$out"
}

write_hw "$P/conf/hardware.json"
printf '%s\n' "$FILE_PASSWORD" > "$P/conf/registry-password"
chmod 600 "$P/conf/registry-password"

# --- configuration --------------------------------------------------------

cat > "$P/conf/nginx.conf" <<CONF
load_module $MODULE;
pid logs/nginx.pid;
error_log logs/error.log debug;
worker_processes 2;
events { worker_connections 512; }

http {
$(ngx_temp_paths)
    log_format boots '\$remote_addr \$status "\$request" '
                     'mac=\$boots_mac host=\$boots_hostname '
                     'id=\$boots_worker_id';
    access_log logs/access.log boots;
    keepalive_timeout 5s;

    boots_hardware_file hardware.json;
    boots_osie_url http://10.99.0.1/hook;
    boots_syslog_host 10.99.0.1;
    boots_facility onprem;
    boots_tink_server 10.99.0.1:42113;
    boots_tink_tls off;
    boots_tink_worker_image quay.io/tinkerbell/tink-worker:latest;

    server {
        listen $ADDR:$PORT;

        location / {
            boots_ipxe;
            boots_registry 10.99.0.1:5000;
            boots_registry_username admin;
            boots_registry_password_file registry-password;
            boots_kernel_args "console=ttyS0,115200 boots_test=1";
        }

        # no registry directives: the master's environment applies
        location /env/ {
            boots_ipxe;
        }

        location = /whoami {
            add_header X-Boots-Worker \$boots_worker_id always;
            return 200 "id=\$boots_worker_id mac=\$boots_mac host=\$boots_hostname\n";
        }

        location /ipxe/ { root html; }
        location = /metrics { boots_status; }
    }

    server {
        listen $ADDR:$RIP_PORT;
        set_real_ip_from 127.0.0.50;
        real_ip_header X-Forwarded-For;

        location / {
            boots_ipxe;
        }
    }
}
CONF

# --- helpers --------------------------------------------------------------

BODIES=$P/bodies
mkdir -p "$BODIES"
REQ=0

# get <source addr> <url> [curl args...]: sets CODE, BODY, HEADERS.
get() {
    local src=$1 url=$2
    shift 2
    REQ=$((REQ + 1))
    CODE=$(curl -s --max-time 10 --interface "$src" -D "$BODIES/$REQ.h" \
                -o "$BODIES/$REQ.b" -w '%{http_code}' "$@" "$url")
    BODY=$(cat "$BODIES/$REQ.b" 2>/dev/null)
    HEADERS=$(tr -d '\r' < "$BODIES/$REQ.h" 2>/dev/null)
}

metric() {        # metric <name>: its value from /metrics
    curl -s --max-time 5 --interface 127.0.0.10 "$URL/metrics" \
        | awk -v n="$1" '$1 == n { print $2 }'
}

echo "# nginx $("$NGINX" -v 2>&1 | sed 's/.*\///'), module $MODULE"

# --- configuration test ---------------------------------------------------

out=$(ngx_test "$P")
is "$?" 0 "nginx -t accepts the configuration with the module"

DOCKER_REGISTRY=env-registry:5000 REGISTRY_USERNAME=envuser \
    REGISTRY_PASSWORD="$ENV_PASSWORD" ngx_start "$P" $ADDR $PORT
MASTER=$(ngx_master_pid "$P")
ok "nginx starts and listens" ngx_listening $ADDR $PORT

if ! ngx_alive "$MASTER"; then
    echo "Bail out! nginx did not start"
    cat "$P/logs/stderr.log" "$P/logs/error.log" 2>/dev/null | tail -20
    exit 1
fi

# --- a known worker gets its script with the credentials -------------------

m_served0=$(metric boots_ipxe_scripts_served_total)
m_403_0=$(metric boots_ipxe_forbidden_total)
m_404_0=$(metric boots_ipxe_not_found_total)

get 127.0.0.11 "$URL/auto.ipxe"
is "$CODE" 200 "known worker: 200"
like "$BODY" '^#!ipxe' "known worker: the body is an iPXE script"
like "$HEADERS" '^Content-Type: text/plain$' "known worker: text/plain"
like "$HEADERS" '^Cache-Control: no-store$' "known worker: Cache-Control: no-store"
like "$BODY" 'hw_addr=52:54:00:aa:00:11' "known worker: its own MAC in the script"
like "$BODY" 'worker_id=' "known worker: worker_id on the command line"
like "$BODY" 'grpc_authority=10\.99\.0\.1:42113' "known worker: tink server"
like "$BODY" 'docker_registry=10\.99\.0\.1:5000' "directive boots_registry beats DOCKER_REGISTRY"
like "$BODY" 'registry_username=admin( |$)' "directive boots_registry_username beats REGISTRY_USERNAME"
like "$BODY" "registry_password=$FILE_PASSWORD( |\$)" "boots_registry_password_file beats REGISTRY_PASSWORD"
unlike "$BODY" "$ENV_PASSWORD" "environment password not used where the file is set"
like "$BODY" 'boots_test=1' "boots_kernel_args appended"
like "$BODY" 'http://10\.99\.0\.1/hook' "boots_osie_url used"
GET_LEN=$(stat -c %s "$BODIES/$REQ.b")
served=1

# --- environment fallback -------------------------------------------------

get 127.0.0.11 "$URL/env/auto.ipxe"
is "$CODE" 200 "env location: 200"
like "$BODY" 'docker_registry=env-registry:5000' "DOCKER_REGISTRY used without boots_registry"
like "$BODY" 'registry_username=envuser( |$)' "REGISTRY_USERNAME used without boots_registry_username"
like "$BODY" "registry_password=$ENV_PASSWORD( |\$)" "REGISTRY_PASSWORD used without boots_registry_password_file"
served=$((served + 1))

# --- MAC in the path --------------------------------------------------------

for path in 52:54:00:aa:00:11 52%3A54%3A00%3Aaa%3A00%3A11 \
            52%3a54%3a00%3AAA%3a00%3a11 52-54-00-AA-00-11 525400aa0011 \
            52:54:00:aa:00:17 any/prefix/52:54:00:aa:00:11; do
    get 127.0.0.11 "$URL/$path/auto.ipxe"
    is "$CODE" 200 "MAC path /$path/auto.ipxe from its own record: 200"
    served=$((served + 1))
done
like "$BODY" 'hw_addr=52:54:00:aa:00:11' "a nested path still serves the client's script"

get 127.0.0.17 "$URL/52:54:00:aa:00:11/auto.ipxe"
is "$CODE" 200 "second interface asking with the record's first MAC: 200"
like "$BODY" 'hw_addr=52:54:00:aa:00:17' "second interface gets its own script"
served=$((served + 1))

forbidden=0
for path in 52:54:00:aa:00:12 52-54-00-AA-00-13 52:54:00:aa:00:99; do
    get 127.0.0.11 "$URL/$path/auto.ipxe"
    is "$CODE" 403 "MAC $path not the client's: 403"
    unlike "$BODY" "$FILE_PASSWORD" "403 page has no password"
    forbidden=$((forbidden + 1))
done
ok "403 logged as a warning naming the client" \
    grep -q 'boots: client 127.0.0.11 .* 52:54:00:aa:00:12, which is not its own' \
    "$P/logs/error.log"

get 127.0.0.11 "$URL/x/y/auto.ipxe"
is "$CODE" 200 "a path segment that is not a MAC is ignored"
served=$((served + 1))

# --- unknown, allowPXE false, paths, methods ----------------------------------

not_found=0
get 127.0.0.20 "$URL/auto.ipxe"
is "$CODE" 404 "unknown client: 404"
unlike "$BODY" "$FILE_PASSWORD" "404 page has no password"
not_found=$((not_found + 1))

get 127.0.0.20 "$URL/52:54:00:aa:00:11/auto.ipxe"
is "$CODE" 404 "unknown client naming a known MAC: 404"
not_found=$((not_found + 1))

get 127.0.0.13 "$URL/auto.ipxe"
is "$CODE" 404 "allowPXE false: 404"
not_found=$((not_found + 1))

for path in /foo.ipxe /auto.ipxe/ /auto.ipxe.bak /xauto.ipxe /auto.ipxe/x; do
    get 127.0.0.11 "$URL$path"
    is "$CODE" 404 "path $path: 404"
    not_found=$((not_found + 1))
done

for m in POST PUT DELETE; do
    get 127.0.0.11 "$URL/auto.ipxe" -X "$m" --data x
    is "$CODE" 405 "$m: 405"
done

# HEAD over a raw HTTP/1.0 connection: everything up to the close is read,
# so a body sent by mistake would show.
head_raw=$(python3 - "$ADDR" "$PORT" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(10)
s.bind(("127.0.0.11", 0))
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(b"HEAD /auto.ipxe HTTP/1.0\r\nHost: boots\r\n\r\n")
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
head, _, body = data.partition(b"\r\n\r\n")
print(head.decode().replace("\r", ""))
print("body-bytes: %d" % len(body))
PY
)
like "$head_raw" '^HTTP/1.1 200 ' "HEAD: 200"
like "$head_raw" "Content-Length: $GET_LEN\$" "HEAD: the GET body's Content-Length"
like "$head_raw" '^body-bytes: 0$' "HEAD: no body"
served=$((served + 1))

# --- allowWorkflow false ------------------------------------------------------

get 127.0.0.12 "$URL/auto.ipxe"
is "$CODE" 200 "allowWorkflow false: 200"
like "$BODY" 'hw_addr=52:54:00:aa:00:12' "allowWorkflow false: its script"
unlike "$BODY" "registry_password" "allowWorkflow false: no registry_password"
unlike "$BODY" "$FILE_PASSWORD" "allowWorkflow false: no password value"
unlike "$BODY" "registry_username" "allowWorkflow false: no registry_username"
unlike "$BODY" "docker_registry" "allowWorkflow false: no docker_registry"
unlike "$BODY" "grpc_authority" "allowWorkflow false: no tink server"
served=$((served + 1))

# --- custom scripts -------------------------------------------------------------

get 127.0.0.14 "$URL/auto.ipxe"
is "$CODE" 200 "ipxe.url: 200"
like "$BODY" '^#!ipxe' "ipxe.url: iPXE script"
like "$BODY" 'chain --autofree http://boot\.example\.test/custom\.ipxe' "ipxe.url: chain --autofree <url>"
unlike "$BODY" "$FILE_PASSWORD" "ipxe.url: no password"
served=$((served + 1))

get 127.0.0.15 "$URL/auto.ipxe"
is "$CODE" 200 "ipxe.contents: 200"
like "$BODY" '^#!ipxe' "ipxe.contents: iPXE script"
like "$BODY" 'echo contents-marker-42' "ipxe.contents: the operator's script"
unlike "$BODY" "$FILE_PASSWORD" "ipxe.contents: no password"
served=$((served + 1))

# --- variables ------------------------------------------------------------------

get 127.0.0.11 "$URL/whoami"
is "$BODY" "id=default/wf-01 mac=52:54:00:aa:00:11 host=wf-01" \
    "\$boots_worker_id \$boots_mac \$boots_hostname"
like "$HEADERS" '^X-Boots-Worker: default/wf-01$' "variables in add_header"
get 127.0.0.20 "$URL/whoami"
is "$BODY" "id= mac= host=" "variables empty for an unknown client"
ok "access log carries the variables" \
    grep -q '^127.0.0.11 200 "GET /auto.ipxe HTTP/1.1" mac=52:54:00:aa:00:11 host=wf-01 id=default/wf-01$' \
    "$P/logs/access.log"

# --- realip ---------------------------------------------------------------------

get 127.0.0.50 "$RIP_URL/auto.ipxe" -H 'X-Forwarded-For: 127.0.0.11'
is "$CODE" 200 "realip: trusted proxy forwarding a worker: 200"
like "$BODY" 'hw_addr=52:54:00:aa:00:11' "realip: the forwarded worker's script"
served=$((served + 1))
get 127.0.0.20 "$RIP_URL/auto.ipxe" -H 'X-Forwarded-For: 127.0.0.11'
is "$CODE" 404 "realip: untrusted source's X-Forwarded-For ignored"
not_found=$((not_found + 1))
get 127.0.0.20 "$URL/auto.ipxe" -H 'X-Forwarded-For: 127.0.0.11'
is "$CODE" 404 "no realip: X-Forwarded-For never trusted"
not_found=$((not_found + 1))

# --- boots_status -----------------------------------------------------------------

get 127.0.0.10 "$URL/metrics"
is "$CODE" 200 "boots_status: 200"
like "$BODY" '# TYPE boots_ipxe_scripts_served_total counter' "boots_status: Prometheus text"
is "$(metric boots_ipxe_scripts_served_total)" $((m_served0 + served)) \
    "boots_status: scripts served counted across workers"
is "$(metric boots_ipxe_forbidden_total)" $((m_403_0 + forbidden)) "boots_status: 403s counted"
is "$(metric boots_ipxe_not_found_total)" $((m_404_0 + not_found)) "boots_status: 404s counted"
is "$(metric boots_hardware_records)" 5 "boots_status: records loaded"
is "$(metric boots_hardware_interfaces)" 6 "boots_status: interfaces loaded"
loaded1=$(metric boots_hardware_last_load_timestamp_seconds)
now=$(date +%s)
ok "boots_status: last load time is recent" \
    test "${loaded1:-0}" -gt $((now - 600)) -a "${loaded1:-0}" -le "$now"

# --- reload under load -------------------------------------------------------------

LOADDIR=$P/load
mkdir -p "$LOADDIR"

# load_loop <n>: Connection: close requests from the known worker until the
# stop file exists, at most 3000 requests or 60 s.  One status per line.
load_loop() {
    local i end=$(( $(date +%s) + 60 ))
    for ((i = 0; i < 3000; i++)); do
        [ -e "$LOADDIR/stop" ] && break
        [ "$(date +%s)" -ge $end ] && break
        curl -s -o /dev/null --max-time 10 --interface 127.0.0.11 \
             -H 'Connection: close' -w '%{http_code}\n' "$URL/auto.ipxe" \
             >> "$LOADDIR/codes.$1" || echo "curl-error" >> "$LOADDIR/codes.$1"
    done
}

count_lines() { cat "$LOADDIR"/codes.* 2>/dev/null | wc -l; }
at_least() { [ "$(count_lines)" -ge "$1" ]; }

LOOP_PIDS=()
for k in 1 2 3 4; do
    load_loop $k &
    LOOP_PIDS+=($!)
done

new_worker_served() {
    [ "$(curl -s -o /dev/null --max-time 5 --interface 127.0.0.21 \
          -w '%{http_code}' "$URL/auto.ipxe")" = 200 ]
}

wait_until 20 at_least 40
before=$(count_lines)
OLD_WORKERS=$(ngx_workers "$MASTER" | tr '\n' ' ')
get 127.0.0.21 "$URL/auto.ipxe"
is "$CODE" 404 "before reload: the new worker is unknown"

# the new file: the same records, one new worker and 20,000 more, so the
# load takes long enough for requests to overlap it
write_hw "$P/small.json" \
    "$(hw_record new-01 "$(hw_iface 52:54:00:aa:00:21 127.0.0.21 new-01 true true)")"
python3 "$HERE/gen_hardware.py" 20000 "$P/conf/hardware.json" \
    --merge "$P/small.json"
kill -HUP "$MASTER"
ok "after reload: the new worker is served" wait_until 20 new_worker_served
reloaded=$(count_lines)
wait_until 20 at_least $((reloaded + 40))
touch "$LOADDIR/stop"
wait "${LOOP_PIDS[@]}"
total=$(count_lines)
bad=$(cat "$LOADDIR"/codes.* | grep -cv '^200$')
echo "# reload under load: $total requests ($before before the reload," \
     "$((total - reloaded)) after the new data was live), $bad not 200"
ok "reload under load: requests before and after the reload" \
    test "$before" -ge 40 -a $((total - reloaded)) -ge 40
is "$bad" 0 "reload under load: zero failed requests"
# old workers finish their last requests and exit
two_workers() { [ "$(ngx_workers "$MASTER" | wc -l)" -eq 2 ]; }
ok "after reload: old workers gone" wait_until 20 two_workers
NEW_WORKERS=$(ngx_workers "$MASTER" | tr '\n' ' ')
ok "reload started new workers" test "$OLD_WORKERS" != "$NEW_WORKERS"
is "$(metric boots_hardware_records)" 20006 "boots_status: records after reload"
ok "boots_status: counters survive the reload" \
    test "$(metric boots_ipxe_scripts_served_total)" -ge $((m_served0 + served + total))

# --- a broken file: refused by nginx -t and by the reload ----------------------------

cp "$P/conf/hardware.json" "$P/good.json"
printf '{"apiVersion": "v1", "kind": "List", "items": [{"metadata": ' \
    > "$P/conf/hardware.json.tmp"
mv -f "$P/conf/hardware.json.tmp" "$P/conf/hardware.json"

out=$(ngx_test "$P")
rc=$?
ok "broken JSON: nginx -t fails" test $rc -ne 0
like "$out" 'boots: cannot load hardware: .*hardware\.json' "broken JSON: nginx -t names the file"

out=$("$NGINX" -p "$P/" -c conf/nginx.conf -e logs/signal.log -s reload 2>&1)
rc=$?
ok "broken JSON: nginx -s reload refuses" test $rc -ne 0

: > "$P/logs/error.log.mark"
errlines=$(wc -l < "$P/logs/error.log")
kill -HUP "$MASTER"
reload_refused() {
    tail -n +$((errlines + 1)) "$P/logs/error.log" \
        | grep -q 'boots: cannot load hardware'
}
ok "broken JSON: the master refuses the reload (logged)" wait_until 20 reload_refused
ok "broken JSON: the master is still running" ngx_alive "$MASTER"
is "$(ngx_workers "$MASTER" | tr '\n' ' ')" "$NEW_WORKERS" "broken JSON: workers untouched"
get 127.0.0.21 "$URL/auto.ipxe"
is "$CODE" 200 "broken JSON: the old data keeps serving (newest worker)"
get 127.0.0.11 "$URL/auto.ipxe"
is "$CODE" 200 "broken JSON: the old data keeps serving"

# a file with a bad field is refused the same way, naming record and value
cp "$P/good.json" "$P/conf/hardware.json"
write_hw "$P/conf/hardware.json" \
    "$(hw_record bad-mac-01 "$(hw_iface zz:54:00:aa:00:22 127.0.0.22 bad-01 true true)")"
out=$(ngx_test "$P")
ok "bad MAC: nginx -t fails" test $? -ne 0
like "$out" 'default/bad-mac-01' "bad MAC: the error names the record"
like "$out" 'zz:54:00:aa:00:22' "bad MAC: the error names the value"
cp "$P/good.json" "$P/conf/hardware.json"

# --- injection attempts refused at nginx -t ---------------------------------------

inject() {        # inject <description> <record name> <interface json>
    write_hw "$P/conf/hardware.json" "$(hw_record "$2" "$3")"
    out=$(ngx_test "$P")
    rc=$?
    ok "injection ($1): nginx -t fails" test $rc -ne 0
    like "$out" "default/$2" "injection ($1): the error names the record"
}

# the facility is per record: rewrite it with an injected value
write_hw "$P/conf/hardware.json" \
    "$(hw_record inj-fac-01 "$(hw_iface 52:54:00:aa:00:31 127.0.0.31 inj-fac true true)" \
       'lab1 initrd=evil')"
out=$(ngx_test "$P")
ok "injection (facility with a space): nginx -t fails" test $? -ne 0
like "$out" "default/inj-fac-01" "injection (facility with a space): the error names the record"

inject "osie baseURL with \${...}" inj-osie-01 \
    "$(hw_iface 52:54:00:aa:00:32 127.0.0.32 inj-osie true true \
       '"osie": {"baseURL": "http://10.99.0.1/${evil}"}')"
inject "osie kernel with a newline" inj-kern-01 \
    "$(hw_iface 52:54:00:aa:00:33 127.0.0.33 inj-kern true true \
       '"osie": {"kernel": "vmlinuz\nshell"}')"
inject "ipxe.url with a newline" inj-url-01 \
    "$(hw_iface 52:54:00:aa:00:34 127.0.0.34 inj-url true true \
       '"ipxe": {"url": "http://x.test/a.ipxe\nshell"}')"
inject "ipxe.url not http(s)" inj-scheme-01 \
    "$(hw_iface 52:54:00:aa:00:35 127.0.0.35 inj-scheme true true \
       '"ipxe": {"url": "ftp://x.test/a.ipxe"}')"
inject "osie initrd with a quote" inj-initrd-01 \
    "$(hw_iface 52:54:00:aa:00:36 127.0.0.36 inj-initrd true true \
       '"osie": {"initrd": "initrd\" && shell"}')"
cp "$P/good.json" "$P/conf/hardware.json"
out=$(ngx_test "$P")
is "$?" 0 "the good file passes nginx -t again"

# --- settings refused at nginx -t -----------------------------------------------

cp "$P/conf/nginx.conf" "$P/good.conf"
sed -i 's|boots_kernel_args "console=ttyS0,115200 boots_test=1";|boots_kernel_args "console=ttyS0 ${evil}";|' \
    "$P/conf/nginx.conf"
out=$(ngx_test "$P")
ok "unsafe boots_kernel_args: nginx -t fails" test $? -ne 0
like "$out" 'kernel' "unsafe boots_kernel_args: the error names the setting"
cp "$P/good.conf" "$P/conf/nginx.conf"

BAD_PASSWORD='bad pass word-Xq91'
printf '%s\n' "$BAD_PASSWORD" > "$P/conf/registry-password"
out=$(ngx_test "$P")
ok "password with spaces: nginx -t fails" test $? -ne 0
unlike "$out" "$BAD_PASSWORD" "password with spaces: not echoed by nginx -t"
unlike "$out" "word-Xq91" "password with spaces: no part of it echoed"
printf '%s\n' "$FILE_PASSWORD" > "$P/conf/registry-password"

sed -i 's|^    boots_osie_url .*||' "$P/conf/nginx.conf"
out=$(ngx_test "$P")
ok "missing boots_osie_url: nginx -t fails" test $? -ne 0
like "$out" 'boots_osie_url' "missing boots_osie_url: said so"
cp "$P/good.conf" "$P/conf/nginx.conf"

out=$("$NGINX" -T -q -p "$P/" -c conf/nginx.conf -e logs/test.log 2>&1)
unlike "$out" "$FILE_PASSWORD" "nginx -T does not dump the password"

# --- no secret in any log ---------------------------------------------------------

ok "the master still runs" ngx_alive "$MASTER"
ngx_stop_pid "$MASTER"
ok "error log is at debug level" grep -q '\[debug\]' "$P/logs/error.log"
for f in "$P"/logs/*; do
    leak=$(grep -lF -e "$FILE_PASSWORD" -e "$ENV_PASSWORD" -e "word-Xq91" "$f")
    is "$leak" "" "no password in $(basename "$f")"
done
pages=0
leak=
for f in "$BODIES"/*.b; do
    grep -q '^HTTP/1.1 200' "${f%.b}.h" && continue
    pages=$((pages + 1))
    grep -qF -e "$FILE_PASSWORD" -e "$ENV_PASSWORD" "$f" && leak="$leak $f"
done
is "$leak" "" "no password in any of the $pages error pages"
ok "no worker crashed" \
    test -z "$(grep -E 'exited on signal|segmentation' "$P/logs/error.log")"

tap_done
