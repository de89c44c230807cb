# Shared helpers for the hardware-source integration tests (sourced).
#
# A real HTTPS server: Debian's /usr/sbin/nginx with a plain configuration
# (no Boots module) on 127.0.0.1:18443, a CA and server certificates made
# here with openssl, serving a Kubernetes HardwareList and answering 401
# unless the bearer token matches.  Faults are switched on and off with
# flag files the configuration tests with `if (-f ...)`:
#   www/fail500   -> 500
#   www/slow      -> body sent at 20 bytes/s (beyond any client timeout)
#   www/wrongtype -> same body as text/html
# The served document is www/hardware.json (replaced atomically).
# The wrong-CA case swaps in a certificate from another CA and reloads.
#
# Ports used by these tests: 18443 and 18445 (nginx; 18445 requires a
# client certificate), 18444 (the watch stand-in).  18449 is left closed on
# purpose (unit tests use it as "nothing listens").

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
NGINX=/usr/sbin/nginx
PORT=18443
MTLS_PORT=18445
HW_PATH=/apis/tinkerbell.org/v1alpha1/hardware
URL="https://127.0.0.1:$PORT$HW_PATH"
TOKEN="bs-test-token-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

T=$(mktemp -d /tmp/boots-source-test.XXXXXX)
chmod 755 "$T"
mkdir -p "$T/www" "$T/tmp"
NGINX_PID=
CLEANUP_PIDS=()
# Command prefix to run the server and its probes in a network namespace
# (e.g. NSX=(ip netns exec bs-srv)); empty: the host's loopback.
NSX=(${NSX[@]+"${NSX[@]}"})
FAILS=0
PASSES=0

log() { echo "[$(date +%H:%M:%S)] $*"; }
pass() { PASSES=$((PASSES + 1)); log "ok: $*"; }
fail() { FAILS=$((FAILS + 1)); log "FAIL: $*"; }
check() {   # check "description" cmd...
    local what=$1; shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

# wait_for SECONDS cmd...: poll cmd every 0.1 s until it succeeds.
wait_for() {
    local limit=$1; shift
    local end=$(( $(date +%s%N) + limit * 1000000000 ))
    while [ "$(date +%s%N)" -lt "$end" ]; do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    "$@"
}

base_cleanup() {
    local p
    for p in "${CLEANUP_PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${CLEANUP_PIDS[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    nginx_stop || true
    if [ "${KEEP_TMP:-0}" = 1 ]; then
        log "kept $T"
    else
        rm -rf "$T"
    fi
}

# hw_json HOSTNAME... -> a HardwareList with one interface per hostname,
# MAC 02:00:00:00:00:0N and IP 10.78.0.(10+N).
hw_json() {
    local i=0 items="" h
    for h in "$@"; do
        i=$((i + 1))
        items+="${items:+,}{\"apiVersion\":\"tinkerbell.org/v1alpha1\",\"kind\":\"Hardware\","
        items+="\"metadata\":{\"name\":\"$h\",\"namespace\":\"default\",\"resourceVersion\":\"$i\"},"
        items+="\"spec\":{\"interfaces\":[{\"dhcp\":{\"mac\":\"02:00:00:00:00:0$i\","
        items+="\"hostname\":\"$h\",\"arch\":\"x86_64\",\"lease_time\":3600,"
        items+="\"ip\":{\"address\":\"10.78.0.$((10 + i))\",\"netmask\":\"255.255.255.0\","
        items+="\"gateway\":\"10.78.0.1\"}},\"netboot\":{\"allowPXE\":true,\"allowWorkflow\":true}}]}}"
    done
    printf '{"apiVersion":"tinkerbell.org/v1alpha1","kind":"HardwareList","metadata":{"resourceVersion":"%s"},"items":[%s]}\n' \
        "$(date +%s%N)" "$items"
}

# serve TEXT: atomically replace what the server returns.  nginx's ETag
# is mtime (seconds) + size, so two same-size versions written within one
# second would share an ETag; each version gets its own mtime here.
SERVE_N=0
serve() {
    SERVE_N=$((SERVE_N + 1))
    printf '%s' "$1" > "$T/www/.hardware.json.new"
    chmod 644 "$T/www/.hardware.json.new"
    touch -d "@$(( $(date +%s) - 100000 + SERVE_N ))" "$T/www/.hardware.json.new"
    mv -f "$T/www/.hardware.json.new" "$T/www/hardware.json"
}

fault_on() { : > "$T/www/$1"; }
fault_off() { rm -f "$T/www/$1"; }

make_certs() {
    local d=$T/pki
    mkdir -p "$d"
    (
        cd "$d"
        for ca in ca ca2; do
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -sha256 \
                -subj "/CN=boots test $ca" -keyout $ca.key -out $ca.crt \
                2>/dev/null
        done
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
        for ca in ca ca2; do
            openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
                -keyout server-$ca.key -out server-$ca.csr 2>/dev/null
            openssl x509 -req -in server-$ca.csr -CA $ca.crt -CAkey $ca.key \
                -CAcreateserial -days 2 -sha256 -extfile san.ext \
                -out server-$ca.crt 2>/dev/null
        done
        cp server-ca.crt server.crt
        cp server-ca.key server.key
        # a client certificate for the mutual-TLS server (port 18445)
        printf 'extendedKeyUsage=clientAuth\n' > client.ext
        openssl req -newkey rsa:2048 -nodes -subj "/CN=boots-client" \
            -keyout client.key -out client.csr 2>/dev/null
        openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key \
            -CAcreateserial -days 2 -sha256 -extfile client.ext \
            -out client.crt 2>/dev/null
    )
    chmod 600 "$d"/*.key
}

# nginx_conf LOG_LEVEL ACCESS_LOG LOCATIONS [SERVERS]: $T/nginx.conf for the
# test nginx: one worker, everything under $T, an HTTPS server on
# 127.0.0.1:$PORT with the test CA's server certificate serving $T/www with
# the LOCATIONS text, and any further SERVERS blocks.
nginx_conf() {
    cat > "$T/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
user root;
pid $T/nginx.pid;
error_log $T/nginx-error.log $1;
events { worker_connections 64; }
http {
    access_log $2;
    client_body_temp_path $T/tmp/body;
    proxy_temp_path $T/tmp/proxy;
    fastcgi_temp_path $T/tmp/fastcgi;
    uwsgi_temp_path $T/tmp/uwsgi;
    scgi_temp_path $T/tmp/scgi;
    server {
        listen 127.0.0.1:$PORT ssl;
        ssl_certificate $T/pki/server.crt;
        ssl_certificate_key $T/pki/server.key;
        root $T/www;
$3
    }
${4:-}
}
EOF
}

# The fault-injection API server: bearer token required; marker files in
# $T/www switch on a 500, a slow body or a wrong Content-Type.  A second
# server on $MTLS_PORT requires a client certificate from the test CA.
write_nginx_conf() {
    nginx_conf info "$T/access.log" "
        location = $HW_PATH {
            if (\$http_authorization != \"Bearer $TOKEN\") { return 401; }
            if (-f $T/www/fail500) { return 500; }
            if (-f $T/www/slow) { set \$limit_rate 20; }
            if (-f $T/www/wrongtype) { rewrite ^ /wrongtype last; }
            types { }
            default_type application/json;
            try_files /hardware.json =404;
        }
        location = /wrongtype {
            internal;
            types { }
            default_type text/html;
            try_files /hardware.json =404;
        }" "
    # mutual TLS: a client certificate from the test CA is required
    server {
        listen 127.0.0.1:$MTLS_PORT ssl;
        ssl_certificate $T/pki/server.crt;
        ssl_certificate_key $T/pki/server.key;
        ssl_client_certificate $T/pki/ca.crt;
        ssl_verify_client on;
        root $T/www;
        location = $HW_PATH {
            types { }
            default_type application/json;
            try_files /hardware.json =404;
        }
    }"
}

nginx_up() {
    ${NSX[@]+"${NSX[@]}"} curl -s -o /dev/null --max-time 2 --cacert "$T/pki/ca.crt" \
        -H "Authorization: Bearer $TOKEN" "$URL"
}

nginx_start() {
    ${NSX[@]+"${NSX[@]}"} "$NGINX" -p "$T" -c "$T/nginx.conf" -e "$T/nginx-error.log" &
    NGINX_PID=$!
    wait_for 10 nginx_up || { cat "$T/nginx-error.log"; return 1; }
}

nginx_stop() {
    local p
    if [ -n "$NGINX_PID" ]; then
        kill "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
        NGINX_PID=
    fi
    # a master started by another process of the test (see nginx.pid)
    if [ -s "$T/nginx.pid" ]; then
        p=$(cat "$T/nginx.pid")
        kill "$p" 2>/dev/null || true
        wait_for 10 bash -c "! kill -0 $p 2>/dev/null" || true
    fi
}

# Serve the certificate signed by CA "ca" or "ca2", reload and wait until
# the new one is in use.
use_cert() {
    cp "$T/pki/server-$1.crt" "$T/pki/server.crt"
    cp "$T/pki/server-$1.key" "$T/pki/server.key"
    kill -HUP "$(cat "$T/nginx.pid")"
    wait_for 10 ${NSX[@]+"${NSX[@]}"} curl -s -o /dev/null --max-time 2 --cacert "$T/pki/$1.crt" \
        -H "Authorization: Bearer $TOKEN" "$URL"
}

write_token() {   # write_token VALUE: as kubectl/editors do, with a newline
    printf '  %s\n' "$1" > "$T/token.tmp"
    chmod 600 "$T/token.tmp"
    mv -f "$T/token.tmp" "$T/token"
}
