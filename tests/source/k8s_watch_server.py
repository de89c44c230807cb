#!/usr/bin/python3
"""A small stand-in for the Kubernetes API's Hardware list and watch, for
the watch tests (127.0.0.1 only, TLS with the test's certificate, bearer
token checked).

    k8s_watch_server.py PORT CERT KEY TOKEN_FILE STATE_DIR

GET /apis/tinkerbell.org/v1alpha1/hardware          -> HardwareList
GET ...?watch=1&resourceVersion=RV&timeoutSeconds=N -> newline-delimited
    events newer than RV, then new ones as they happen, for N seconds.
POST /control (JSON, loopback test control, no token):
    {"op": "set", "name": n, "hostname": h, "index": i[, "mac": m]}
        -> ADDED or MODIFIED
    {"op": "delete", "name": n}      -> DELETED
    {"op": "expire"}                 -> ERROR 410 Gone on open watches
Counters are written to STATE_DIR/lists and STATE_DIR/watches.  While
STATE_DIR/truncate exists, a list announces its full Content-Length but
the connection closes after half of the body.
"""

import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/apis/tinkerbell.org/v1alpha1/hardware"

lock = threading.Condition()
items = {}          # name -> object
events = []         # (rv, line) in order
rv = 100
expire_gen = 0
counters = {"lists": 0, "watches": 0}


def item(name, index, hostname, mac=None):
    return {
        "apiVersion": "tinkerbell.org/v1alpha1", "kind": "Hardware",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"interfaces": [{
            "dhcp": {"mac": mac or "02:00:00:00:00:%02x" % index,
                     "hostname": hostname, "arch": "x86_64",
                     "ip": {"address": "10.78.0.%d" % (10 + index),
                            "netmask": "255.255.255.0",
                            "gateway": "10.78.0.1"}},
            "netboot": {"allowPXE": True, "allowWorkflow": True}}]}}


def bump(kind, obj):
    """Record an event (caller holds the lock)."""
    global rv
    rv += 1
    obj = json.loads(json.dumps(obj))
    obj["metadata"]["resourceVersion"] = str(rv)
    events.append((rv, json.dumps({"type": kind, "object": obj}) + "\n"))
    lock.notify_all()
    return obj


def count(name):
    counters[name] += 1
    with open(os.path.join(STATE, name + ".tmp"), "w") as f:
        f.write("%d\n" % counters[name])
    os.replace(os.path.join(STATE, name + ".tmp"), os.path.join(STATE, name))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body, ctype="application/json"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        if self.path != "/control":
            return self.reply(404, "{}")
        n = int(self.headers.get("Content-Length", "0"))
        op = json.loads(self.rfile.read(n))
        global expire_gen
        with lock:
            if op["op"] == "set":
                kind = "MODIFIED" if op["name"] in items else "ADDED"
                items[op["name"]] = bump(kind, item(op["name"], op["index"],
                                                    op["hostname"],
                                                    op.get("mac")))
            elif op["op"] == "delete":
                obj = items.pop(op["name"])
                bump("DELETED", obj)
            elif op["op"] == "expire":
                expire_gen += 1
                lock.notify_all()
        self.reply(200, "{}")

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != PATH:
            return self.reply(404, "{}")
        with open(TOKEN_FILE) as f:
            token = f.read().strip()
        if self.headers.get("Authorization") != "Bearer " + token:
            return self.reply(401, '{"kind":"Status","code":401}')
        q = urllib.parse.parse_qs(url.query)
        if q.get("watch") != ["1"]:
            with lock:
                body = json.dumps({
                    "apiVersion": "tinkerbell.org/v1alpha1",
                    "kind": "HardwareList",
                    "metadata": {"resourceVersion": str(rv)},
                    "items": list(items.values())})
                count("lists")
            if os.path.exists(os.path.join(STATE, "truncate")):
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[:len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            return self.reply(200, body)
        since = int(q["resourceVersion"][0])
        timeout = int(q.get("timeoutSeconds", ["30"])[0])
        with lock:
            count("watches")
            gen = expire_gen
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.flush()
        end = time.monotonic() + timeout
        try:
            while True:
                with lock:
                    pending = [line for (r, line) in events if r > since]
                    if not pending and expire_gen == gen:
                        left = end - time.monotonic()
                        if left <= 0:
                            return
                        lock.wait(min(left, 0.5))
                        continue
                    expired = expire_gen != gen
                    if pending:
                        since = max(r for (r, _) in events if r > since)
                if expired:
                    self.wfile.write((json.dumps({
                        "type": "ERROR", "object": {
                            "kind": "Status", "code": 410,
                            "reason": "Expired"}}) + "\n").encode())
                    self.wfile.flush()
                    return
                for line in pending:
                    # each event in two pieces (two TLS records), so the
                    # client has to join lines split across reads
                    data = line.encode()
                    self.wfile.write(data[:len(data) // 2])
                    self.wfile.flush()
                    self.wfile.write(data[len(data) // 2:])
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            return


def main():
    global STATE, TOKEN_FILE
    port, cert, key, TOKEN_FILE, STATE = sys.argv[1:6]
    with lock:
        for i, name in enumerate(("alpha", "bravo", "charlie"), 1):
            items[name] = bump("ADDED", item(name, i, name))
        # more records for measurements (BOOTS_WATCH_EXTRA=N)
        for i in range(int(os.environ.get("BOOTS_WATCH_EXTRA", "0"))):
            name = "x%d" % i
            obj = item(name, 0, name, "06:%02x:%02x:%02x:%02x:%02x" % (
                (i >> 32) & 255, (i >> 24) & 255, (i >> 16) & 255,
                (i >> 8) & 255, i & 255))
            ip = obj["spec"]["interfaces"][0]["dhcp"]["ip"]
            ip["address"] = "11.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255)
            ip["netmask"] = "255.0.0.0"
            ip["gateway"] = "11.0.0.1"
            items[name] = obj
    srv = ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
    srv.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    open(os.path.join(STATE, "ready"), "w").close()
    srv.serve_forever()


if __name__ == "__main__":
    main()
