"""Start, drive and stop a real kea-dhcp4 for the Boots tests.

The daemon runs in the server namespace (BK_SRV); its PID is appended to
$BK_WORK/pids so the shell trap can stop it whatever happens.  Waits are
bounded polls on a condition (the control socket answering, the process
exiting), never fixed sleeps.
"""

import json
import os
import socket
import subprocess
import time

WORK = os.environ.get("BK_WORK", "/tmp")
SRV = os.environ.get("BK_SRV", "bk-srv")
SRV_IFACE = os.environ.get("BK_SRV_IFACE", "bk-v0")


def poll(cond, timeout, interval=0.05, what="condition"):
    """Call cond() until it returns something true or timeout seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise TimeoutError("timed out after %.1fs waiting for %s"
                               % (timeout, what))
        time.sleep(interval)


def subnet(sid, prefix, pool, routers, extra=None):
    s = {"id": sid, "subnet": prefix,
         "pools": [{"pool": pool}],
         "option-data": [{"name": "routers", "data": routers},
                         {"name": "domain-name-servers", "data": "10.77.0.9"}]}
    if extra:
        s.update(extra)
    return s


def make_config(hook, params, name="kea", mt=True, reservations=None,
                valid_lifetime=4000, hooks=True, leases=True):
    """A kea-dhcp4 configuration for the test network."""
    subnet1 = subnet(1, "10.77.0.0/24", "10.77.0.100 - 10.77.0.200",
                     "10.77.0.1")
    subnet2 = subnet(2, "10.77.1.0/24", "10.77.1.100 - 10.77.1.200",
                     "10.77.1.1")
    if reservations is not None:
        subnet1["reservations"] = reservations
    cfg = {"Dhcp4": {
        "interfaces-config": {"interfaces": [SRV_IFACE],
                              "dhcp-socket-type": "raw"},
        "authoritative": True,
        "match-client-id": False,
        "host-reservation-identifiers": ["hw-address"],
        "valid-lifetime": valid_lifetime,
        "renew-timer": 1000,
        "rebind-timer": 2000,
        "lease-database": {"type": "memfile",
                           "persist": leases,
                           "name": os.path.join(WORK, name + "-leases4.csv"),
                           "lfc-interval": 0},
        "control-socket": {"socket-type": "unix",
                           "socket-name": os.path.join(WORK, name + ".sock")},
        "multi-threading": {"enable-multi-threading": mt,
                            "thread-pool-size": 2 if mt else 0,
                            "packet-queue-size": 64},
        "subnet4": [subnet1, subnet2],
        "loggers": [
            {"name": "kea-dhcp4",
             "output_options": [{"output": os.path.join(WORK, name + ".log")}],
             "severity": "INFO"},
            {"name": "kea-dhcp4.boots-hooks",
             "output_options": [{"output": os.path.join(WORK, name + ".log")}],
             "severity": "DEBUG", "debuglevel": 99},
        ],
    }}
    if hooks:
        cfg["Dhcp4"]["hooks-libraries"] = [{"library": hook,
                                            "parameters": params}]
    return cfg


class Kea:
    def __init__(self, name="kea", prefix=None):
        self.name = name
        self.conf = os.path.join(WORK, name + ".json")
        self.sock = os.path.join(WORK, name + ".sock")
        self.log = os.path.join(WORK, name + ".log")
        self.proc = None
        self.prefix = prefix or []

    def write(self, cfg):
        tmp = self.conf + ".tmp"
        with open(tmp, "w") as f:
            json.dump(cfg, f, indent=1)
        os.replace(tmp, self.conf)

    def start(self, cfg=None, expect_fail=False, timeout=20.0):
        if cfg is not None:
            self.write(cfg)
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        env = dict(os.environ, KEA_PIDFILE_DIR=WORK, KEA_LOCKFILE_DIR=WORK)
        if os.environ.get("BK_KEA_PRELOAD"):
            # The ASan build of the hook: its runtime must come first.
            env["LD_PRELOAD"] = os.environ["BK_KEA_PRELOAD"]
            env["ASAN_OPTIONS"] = ("detect_leaks=0:abort_on_error=1:"
                                   "log_path=" + os.path.join(WORK, "asan"))
            env["UBSAN_OPTIONS"] = ("print_stacktrace=1:log_path=" +
                                    os.path.join(WORK, "asan"))
        out = open(os.path.join(WORK, self.name + ".out"), "ab")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", SRV] + self.prefix +
            ["kea-dhcp4", "-c", self.conf],
            env=env, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        with open(os.path.join(WORK, "pids"), "a") as f:
            f.write("%d\n" % self.proc.pid)

        def ready():
            if self.proc.poll() is not None:
                return "exited"
            try:
                r = self.command("list-commands", timeout=1.0)
                return "up" if r.get("result") == 0 else None
            except OSError:
                return None
        state = poll(ready, timeout, interval=0.05, what="kea-dhcp4 start")
        if expect_fail:
            if state != "exited":
                raise AssertionError("kea-dhcp4 started but should have "
                                     "refused the configuration")
            return self.proc.returncode
        if state != "up":
            raise AssertionError("kea-dhcp4 exited with %s; log:\n%s" %
                                 (self.proc.returncode, self.tail()))
        return 0

    def command(self, command, arguments=None, timeout=30.0):
        msg = {"command": command}
        if arguments is not None:
            msg["arguments"] = arguments
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect(self.sock)
            s.sendall(json.dumps(msg).encode())
            buf = b""
            while True:
                # Kea sends one JSON document; stop as soon as it parses.
                if buf:
                    try:
                        return json.loads(buf.decode())
                    except ValueError:
                        pass
                chunk = s.recv(65536)
                if not chunk:
                    return json.loads(buf.decode())
                buf += chunk
        finally:
            s.close()

    def stat(self, name):
        r = self.command("statistic-get", {"name": name})
        v = r.get("arguments", {}).get(name)
        return v[0][0] if v else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20.0):
        if not self.alive():
            return self.proc.returncode if self.proc else None
        try:
            self.command("shutdown", timeout=5.0)
        except OSError:
            self.proc.terminate()
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout=5.0)

    def tail(self, n=30):
        try:
            with open(self.log) as f:
                lines = f.readlines()
        except OSError:
            lines = []
        try:
            with open(os.path.join(WORK, self.name + ".out")) as f:
                lines += f.readlines()
        except OSError:
            pass
        return "".join(lines[-n:])

    def log_text(self):
        text = ""
        for p in (self.log, os.path.join(WORK, self.name + ".out")):
            try:
                with open(p) as f:
                    text += f.read()
            except OSError:
                pass
        return text

