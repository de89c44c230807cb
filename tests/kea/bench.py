#!/usr/bin/python3
"""bench-dhcp driver (see bench.sh).

Method
- perfdhcp acts as a relay (giaddr 10.77.0.2) and picks a random MAC from
  the record list for every exchange (-M), sending the options of a UEFI
  PXE ROM (60 "PXEClient", 93 = 7).  The Kea subnet is 10.76.0.0/15 so
  that 100,000 hardware IPs fit; those addresses exist only inside DHCP
  payloads (every packet goes between 10.77.0.1 and 10.77.0.2).
- (a) native: the same records written as Kea host reservations (MAC, IP,
  hostname, next-server, boot-file-name, and the PXE options 60 and 43
  that the hook sends to this client; routers from the subnet), so that
  both servers send the same reply (--instructions checks this with the
  scapy client); (b) hook: the hardware
  file loaded by libdhcp_boots.so.  Same Kea, same subnet, same lease
  database (memfile, not persisted), multi-threading off.
- CPU per exchange: the CPU time kea-dhcp4 ran (all threads, user and
  kernel, from the scheduler's nanosecond accounting in
  /proc/<pid>/task/*/schedstat) over the perfdhcp run, divided by the
  4-way exchanges completed (ACKs received).  Two fixed offered rates,
  1500/s and 5000/s: at the lower one Kea sleeps between packets and the
  cost of waking up (the same on both sides) is a larger share.  Rounds
  interleaved native/hook; the median of the rounds is reported, and the
  median of the per-round ratios.  A warm-up of about three exchanges per
  machine first gives nearly every machine a lease and the hook's cached
  reservation (the fleet's steady state).  kea-dhcp4 and perfdhcp run
  pinned to two different CPUs (BK_BENCH_PIN=0: not pinned).
- Exchange rate: the ACK rate achieved with a much higher offered rate
  (20,000/s), where Kea is saturated; CPU per exchange there too, in every
  round.  Kea's context switches per exchange are printed next to each
  CPU figure: below saturation Kea sleeps and is woken for packets, on
  these VMs each wake-up costs about 25 us of Kea CPU (about the work
  of a packet), the same on both sides, and a server that is done with a
  packet sooner sleeps (and pays a wake-up) more often.
- Instructions per exchange (--instructions, make bench-dhcp-insn):
  kea-dhcp4 under callgrind, counters zeroed after a warm-up and dumped
  after a fixed number of exchanges; machine load does not change the
  count, so one round is enough.
- Reload under load: the hook with 100,000 records, multi-threading on,
  steady offered rate; 10 reloads during the run, each of a file in which
  1% of the records changed (their hostnames), by boots-reload command and
  by the background thread noticing the file; then 10 commands that each
  change every record (the worst case: nothing can be reused), waiting
  for the load and with {"wait": false} (the refresh thread loads).
  Compared with a run without reloads.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hardware                                  # noqa: E402
from kea import Kea, WORK, SRV_IFACE, poll      # noqa: E402

HOOK = os.environ["BK_HOOK"]
IFACE = os.environ["BK_IFACE"]
QUICK = "--quick" in sys.argv
CACHE_SIM = os.environ.get("BK_INSN_CACHE", "0") == "1"
CLK_TCK = os.sysconf("SC_CLK_TCK")

RATES = [1500, 5000]        # fixed offered rates for CPU per exchange
RATE = RATES[0]             # the reload runs' warm-up
PERIOD = 6 if QUICK else 10
ROUNDS = 1 if QUICK else 3
SAT_RATE = 20000            # offered rate for the exchange-rate run
SAT_PERIOD = 4 if QUICK else 6
SIZES = [10000, 100000]
# CPU comparison: kea-dhcp4 (single-threaded there) on one CPU, perfdhcp
# on another, the same for both sides, so that neither migrates between
# CPUs or shares one with the other (BK_BENCH_PIN=0 turns this off).
CPUS = sorted(os.sched_getaffinity(0))
PIN = os.environ.get("BK_BENCH_PIN", "1") == "1" and len(CPUS) >= 2


def records(n):
    # IPs from 10.76.0.10 upward (inside 10.76.0.0/15).
    return hardware.bulk(n, first_ip=(10, 76, 0, 10), netmask="255.254.0.0")


def base_config(name, mt=False):
    return {"Dhcp4": {
        "interfaces-config": {"interfaces": [SRV_IFACE],
                              "dhcp-socket-type": "raw"},
        "authoritative": True,
        "match-client-id": False,
        "host-reservation-identifiers": ["hw-address"],
        "valid-lifetime": 4000,
        "lease-database": {"type": "memfile", "persist": False},
        "control-socket": {"socket-type": "unix",
                           "socket-name": os.path.join(WORK, name + ".sock")},
        "multi-threading": {"enable-multi-threading": mt,
                            "thread-pool-size": 2 if mt else 0,
                            "packet-queue-size": 256},
        "subnet4": [{"id": 1, "subnet": "10.76.0.0/15",
                     "pools": [{"pool": "10.77.200.0 - 10.77.200.255"}],
                     "option-data": [{"name": "routers",
                                      "data": "10.77.0.1"}]}],
        "loggers": [{"name": "kea-dhcp4",
                     "output_options": [{"output": os.path.join(
                         WORK, name + ".log")}],
                     "severity": "WARN"}],
    }}


PXE_OPTIONS = [
    {"name": "vendor-class-identifier", "data": "PXEClient",
     "always-send": True},
    {"name": "vendor-encapsulated-options", "csv-format": False,
     "data": "060108FF", "always-send": True},
]


def native_config(recs):
    cfg = base_config("native")
    res = []
    for r in recs:
        d = r["spec"]["interfaces"][0]["dhcp"]
        # The same reply the hook gives this UEFI PXE ROM: next-server,
        # file, hostname, and the PXE options 60 "PXEClient" and 43
        # (PXE_DISCOVERY_CONTROL 8: boot from the file field).
        res.append({"hw-address": d["mac"], "ip-address": d["ip"]["address"],
                    "hostname": d["hostname"], "next-server": "10.77.0.1",
                    "boot-file-name": "ipxe.efi",
                    "option-data": PXE_OPTIONS})
    cfg["Dhcp4"]["subnet4"][0]["reservations"] = res
    return cfg


def hook_config(hwfile, mt=False, refresh=3600, queue=False):
    cfg = base_config("hook", mt=mt)
    if queue:
        # Congestion handling: a receiver thread keeps reading packets into
        # a ring while the main thread is busy (e.g. with a command).
        cfg["Dhcp4"]["dhcp-queue-control"] = {
            "enable-queue": True, "queue-type": "kea-ring4",
            "capacity": 4096}
    cfg["Dhcp4"]["hooks-libraries"] = [{"library": HOOK, "parameters": {
        "hardware-file": hwfile, "tftp-server": "10.77.0.1",
        "ipxe-script-url": "http://10.77.0.1/auto.ipxe",
        "ipxe-binary-url": "http://10.77.0.1/ipxe/",
        "refresh-interval": refresh}}]
    return cfg


def cpu_ns(pid):
    """CPU time of every thread of pid so far, in nanoseconds (scheduler
    accounting, not sampled ticks)."""
    total = 0
    task = "/proc/%d/task" % pid
    for tid in os.listdir(task):
        try:
            with open(os.path.join(task, tid, "schedstat")) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass        # the thread ended meanwhile
    return total


def perfdhcp(macs, rate, period, pin=False):
    cmd = (["taskset", "-c", str(CPUS[0])] if pin and PIN else []) + [
           "perfdhcp", "-4", "-l", IFACE, "-r", str(rate), "-p", str(period),
           "-M", macs, "-o", "60,505845436c69656e74", "-o", "93,0007",
           "10.77.0.1"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=period + 60)
    out = p.stdout.decode(errors="replace")
    stats = parse_perfdhcp(out)
    if stats["REQUEST-ACK"]["received"] == 0:
        raise RuntimeError("perfdhcp got no ACK:\n" + out[-3000:])
    return stats, out


def switches(pid):
    """Context switches of every thread of pid so far (voluntary: it slept
    waiting for a packet; involuntary: preempted)."""
    total = 0
    task = "/proc/%d/task" % pid
    for tid in os.listdir(task):
        try:
            with open(os.path.join(task, tid, "status")) as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches",
                                        "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except OSError:
            pass        # the thread ended meanwhile
    return total


def measure(kea, macs, rate, period):
    t0 = cpu_ns(kea.proc.pid)
    s0 = switches(kea.proc.pid)
    w0 = time.monotonic()
    stats, _ = perfdhcp(macs, rate, period, pin=True)
    wall = time.monotonic() - w0
    cpu = (cpu_ns(kea.proc.pid) - t0) / 1e9
    sw = switches(kea.proc.pid) - s0
    acks = stats["REQUEST-ACK"]["received"]
    return {"cpu_us": cpu * 1e6 / acks, "acks": acks, "rate": acks / period,
            "switches": sw / acks, "wall": wall, "stats": stats}


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start(name, cfg, pin=False):
    k = Kea(name, prefix=["taskset", "-c", str(CPUS[1])] if pin and PIN
            else None)
    t = time.monotonic()
    k.start(cfg, timeout=300.0)
    return k, time.monotonic() - t


def main():
    if "--instructions" in sys.argv:
        instructions()
        return
    if "--reload-only" not in sys.argv:
        cpu_comparison()
    reloads_under_load()


def write_inputs(n):
    recs = records(n)
    hwfile = os.path.join(WORK, "hw-%d.json" % n)
    hardware.write(hwfile, recs)
    macs = os.path.join(WORK, "macs-%d.txt" % n)
    with open(macs, "w") as f:
        for r in recs:
            f.write(r["spec"]["interfaces"][0]["dhcp"]["mac"] + "\n")
    return recs, hwfile, macs


def cpu_comparison():
    results = {}
    for n in SIZES:
        recs, hwfile, macs = write_inputs(n)
        ncfg = native_config(recs)
        hcfg = hook_config(hwfile)
        del recs
        res = {"start": {}}
        for rnd in range(ROUNDS):
            for kind, cfg in (("native", ncfg), ("hook", hcfg)):
                k, startup = start(kind, cfg, pin=True)
                res["start"].setdefault(kind, []).append(startup)
                res.setdefault("rss", {})[kind] = rss_kb(k.proc.pid)
                # Warm-up: about three exchanges per machine, so that nearly
                # every machine holds a lease (and the hook has built its
                # reservation) before the measurement: the steady state.
                perfdhcp(macs, 5000, 4 if QUICK else max(6, 3 * n // 5000),
                         pin=True)
                for rate in RATES + [SAT_RATE]:
                    m = measure(k, macs, rate,
                                PERIOD if rate != SAT_RATE else SAT_PERIOD)
                    res.setdefault((kind, rate), []).append(m)
                    print("  %6d records, round %d, %-6s, %5d/s: %.1f us CPU "
                          "per exchange, %.2f context switches per exchange, "
                          "%d ACKs" % (n, rnd + 1, kind, rate, m["cpu_us"],
                                       m["switches"], m["acks"]),
                          flush=True)
                k.stop()
        results[n] = res

    print()
    print("bench-dhcp: Kea CPU per 4-way exchange at offered rates (median of "
          "%d rounds; at %d/s Kea is saturated)" % (ROUNDS, SAT_RATE))
    print("  %-8s %6s %12s %12s %7s   %s" % (
        "records", "rate", "native us", "hook us", "ratio",
        "context switches per exchange, native / hook"))
    verdict = {rate: True for rate in RATES + [SAT_RATE]}
    for n in SIZES:
        r = results[n]
        for rate in RATES + [SAT_RATE]:
            nat = statistics.median(x["cpu_us"] for x in r[("native", rate)])
            hk = statistics.median(x["cpu_us"] for x in r[("hook", rate)])
            paired = statistics.median(
                h["cpu_us"] / a["cpu_us"]
                for a, h in zip(r[("native", rate)], r[("hook", rate)]))
            print("  %-8d %6d %12.1f %12.1f %6.2fx   %.2f / %.2f   "
                  "(per-round ratios: median %.2fx)" % (
                      n, rate, nat, hk, hk / nat,
                      statistics.median(x["switches"]
                                        for x in r[("native", rate)]),
                      statistics.median(x["switches"]
                                        for x in r[("hook", rate)]),
                      paired))
            if hk / nat > 0.95:
                verdict[rate] = False
    print("  (below saturation Kea sleeps and is woken for packets: each "
          "wake-up costs the same on both sides, and a server that is done "
          "with a packet sooner sleeps more often)")
    print("  %-8s %12s %12s %7s   %10s %10s" % (
        "records", "native x/s", "hook x/s", "ratio", "start nat",
        "start hook"))
    for n in SIZES:
        r = results[n]
        nrate = statistics.median(x["rate"] for x in r[("native", SAT_RATE)])
        hrate = statistics.median(x["rate"] for x in r[("hook", SAT_RATE)])
        print("  %-8d %12.0f %12.0f %6.2fx   %9.2fs %9.2fs" % (
            n, nrate, hrate, hrate / nrate,
            statistics.median(r["start"]["native"]),
            statistics.median(r["start"]["hook"])))
    for n in SIZES:
        r = results[n]
        print("  %-8d at the offered %d/s, kea-dhcp4 was busy %.0f%% (native) "
              "and %.0f%% (hook) of one CPU (medians): below 100%% the "
              "exchange rate is set by the client side, not by Kea" %
              (n, SAT_RATE,
               statistics.median(x["cpu_us"] * x["rate"] / 1e4
                                 for x in r[("native", SAT_RATE)]),
               statistics.median(x["cpu_us"] * x["rate"] / 1e4
                                 for x in r[("hook", SAT_RATE)])))
    for n in SIZES:
        r = results[n]
        print("  %-8d kea-dhcp4 RSS after start: native %d MB, hook %d MB "
              "(%.2fx)" % (n, r["rss"]["native"] // 1024,
                           r["rss"]["hook"] // 1024,
                           r["rss"]["hook"] / max(r["rss"]["native"], 1)))
    for rate in RATES + [SAT_RATE]:
        print("  target: hook CPU per exchange <= 0.95x native at %d/s%s: %s"
              % (rate, " (Kea saturated)" if rate == SAT_RATE else "",
                 "met" if verdict[rate] else "NOT met"))


def callgrind_total(path, event="Ir"):
    """Total of one event (Ir: instructions; I1mr: first-level
    instruction-cache misses, with BK_INSN_CACHE=1) in a callgrind dump."""
    events = ["Ir"]
    with open(path) as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1 + events.index(event)])
    raise RuntimeError("no totals in " + path)


def sample_reply(mac):
    """One relayed DORA with perfdhcp's options, by the independent scapy
    client: the ACK's fields and options."""
    import dhcpclient
    c = dhcpclient.Client(IFACE, mac, server_mac=os.environ["BK_SRV_MAC"],
                          timeout=20.0)
    offer, ack = c.dora(vendor="PXEClient", arch=7, relay_ip="10.77.0.2",
                        server_ip="10.77.0.1")
    if ack is None:
        raise RuntimeError("no ACK for %s" % mac)
    opts = {k: bytes(v) for k, v in ack.options.items()}
    if opts.get(43, b"").endswith(b"\xff"):
        # Kea re-packs configured sub-options without the END sub-option
        # (optional in RFC 2132); the hook sends it.  Same content.
        opts[43] = opts[43][:-1]
    return {"yiaddr": ack.yiaddr, "siaddr": ack.siaddr, "file": ack.file,
            "options": {k: v.hex() for k, v in opts.items()}}


def has_totals(path):
    try:
        callgrind_total(path)
        return True
    except (OSError, RuntimeError):
        return False


def instructions():
    """Instructions kea-dhcp4 executes per 4-way exchange, counted by
    callgrind (repeatable on a busy machine, unlike CPU time).  The same
    records as native reservations and through the hook; perfdhcp uses a
    subset of N_MACS MACs so that a warm-up pass gives each one a lease and
    the measured pass is the fleet's usual case (DORA of a known machine
    that holds a lease), then a pass with fresh MACs (new leases)."""
    n = int(os.environ.get("BK_INSN_RECORDS", "10000"))
    n_macs = 300
    recs, hwfile, _ = write_inputs(n)
    step = n // n_macs
    macs = os.path.join(WORK, "insn-macs.txt")
    fresh = os.path.join(WORK, "insn-fresh.txt")
    with open(macs, "w") as f, open(fresh, "w") as g:
        for i in range(n_macs):
            f.write(recs[i * step]["spec"]["interfaces"][0]["dhcp"]["mac"]
                    + "\n")
            g.write(recs[i * step + 1]["spec"]["interfaces"][0]["dhcp"]
                    ["mac"] + "\n")
    kinds = os.environ.get("BK_INSN_KINDS", "native,hook").split(",")
    cfgs = {"native": native_config(recs), "hook": hook_config(hwfile)}
    del recs
    rate, count = 40, 600
    results = {}
    replies = {}
    with open(macs) as f:
        first_mac = f.readline().strip()
    for kind in kinds:
        out = os.path.join(WORK, "callgrind.%s.out" % kind)
        k = Kea(kind, prefix=["valgrind", "--tool=callgrind",
                              "--callgrind-out-file=" + out + ".%p"] +
                (["--cache-sim=yes"] if CACHE_SIM else []))
        k.start(cfgs[kind], timeout=600.0)
        replies[kind] = sample_reply(first_mac)
        row = {}
        for phase, mfile in (("warm-up", macs), ("known", macs),
                             ("fresh", fresh)):
            if phase != "warm-up":
                subprocess.run(["callgrind_control", "-z", str(k.proc.pid)],
                               check=True, stdout=subprocess.DEVNULL)
            cmd = ["perfdhcp", "-4", "-l", IFACE, "-r", str(rate), "-n",
                   str(count if phase != "warm-up" else 2 * n_macs),
                   "-M", mfile, "-o", "60,505845436c69656e74",
                   "-o", "93,0007", "10.77.0.1"]
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=600)
            st = parse_perfdhcp(p.stdout.decode(errors="replace"))
            if phase == "warm-up":
                continue
            before = set(os.listdir(WORK))
            subprocess.run(["callgrind_control", "-d", phase,
                            str(k.proc.pid)], check=True,
                           stdout=subprocess.DEVNULL)

            def new_dumps():
                return sorted(f for f in set(os.listdir(WORK)) - before
                              if f.startswith("callgrind.%s.out" % kind))
            dumps = poll(new_dumps, 60.0, what="callgrind dump")
            # The dump is complete once callgrind wrote its totals line.
            poll(lambda: all(has_totals(os.path.join(WORK, f))
                             for f in dumps), 60.0, what="callgrind totals")
            total = sum(callgrind_total(os.path.join(WORK, f))
                        for f in dumps)
            acks = st["REQUEST-ACK"]["received"]
            row[phase] = (total / max(acks, 1), acks, dumps)
            i1 = ""
            if CACHE_SIM:
                i1 = ", %.0f I1 misses" % (
                    sum(callgrind_total(os.path.join(WORK, f), "I1mr")
                        for f in dumps) / max(acks, 1))
            print("  %-6s %-5s %8.0f instructions per exchange%s (%d ACKs)"
                  % (kind, phase, row[phase][0], i1, acks), flush=True)
        results[kind] = row
        k.stop(timeout=120.0)
    if "native" in replies and "hook" in replies:
        # Fair comparison: both servers must give this client the same
        # answer (the same fields and the same option codes and values,
        # apart from the order of options).
        if replies["native"] != replies["hook"]:
            raise RuntimeError("native and hook replies differ:\n  native %r"
                               "\n  hook   %r" % (replies["native"],
                                                   replies["hook"]))
        print("  native and hook ACKs carry the same fields and options: %s"
              % sorted(replies["hook"]["options"]))
    if "native" in results and "hook" in results:
        for phase in ("known", "fresh"):
            print("  %-5s hook/native instructions per exchange: %.3f" %
                  (phase, results["hook"][phase][0] /
                   results["native"][phase][0]))
    keep = os.environ.get("BK_INSN_KEEP")
    if keep:
        import shutil
        os.makedirs(keep, exist_ok=True)
        for f in os.listdir(WORK):
            if f.startswith("callgrind."):
                shutil.copy(os.path.join(WORK, f), keep)


HOSTNAME_RE = re.compile(rb'"hostname": "bulk-(\d+)"')


def write_variants(text, n, fraction, tag):
    """Ten versions of the hardware file, each renaming the hosts of a
    different `fraction` of the n records (a real edit: the records'
    text and their hostname option change).  Written before the load
    starts, so the client machine's work does not overlap the run."""
    paths = []
    step = max(1, int(round(1.0 / fraction)))
    for k in range(10):
        def rename(m, k=k):
            i = int(m.group(1))
            if (i + k) % step != 0:
                return m.group(0)
            return b'"hostname": "bulk-%d-%s%d"' % (i, tag, k)
        path = os.path.join(WORK, "hw-variant-%d.json" % k)
        with open(path, "wb") as f:
            f.write(HOSTNAME_RE.sub(rename, text))
        paths.append(path)
    return paths


def reloads_under_load():
    n = 100000
    hwfile = os.path.join(WORK, "hw-%d.json" % n)
    macs = os.path.join(WORK, "macs-%d.txt" % n)
    if not os.path.exists(hwfile):
        write_inputs(n)
    with open(hwfile, "rb") as f:
        original = f.read()
    mt = os.environ.get("BK_BENCH_MT", "1") == "1"
    queue = os.environ.get("BK_BENCH_QUEUE", "0") == "1"
    k, _ = start("hook", hook_config(hwfile, mt=mt, refresh=1, queue=queue))
    perfdhcp(macs, RATE, 2)
    load_rate, load_period = 1000, 30 if not QUICK else 20
    base = perfdhcp(macs, load_rate, load_period)[0]
    print()
    print("bench-dhcp: 10 reloads of %d records under %d/s offered for %ds "
          "(multi-threading %s, dhcp-queue-control %s)" %
          (n, load_rate, load_period, "on" if mt else "off",
           "on" if queue else "off"))
    bd, bs = drops(base)
    print("  %-44s dropped %5d of %6d packets (%.2f%%)" %
          ("no reload (perfdhcp's own budget):", bd, bs,
           100.0 * bd / max(bs, 1)))

    def by_command(variant):
        # The operator's way: edit the file, then run boots-reload.  (The
        # background thread may notice the new file first; the command
        # then reloads it again.)
        os.replace(variant, hwfile)
        t = time.monotonic()
        r = k.command("boots-reload", timeout=60.0)
        if r.get("result") != 0:
            raise RuntimeError("boots-reload failed: %r" % r)
        return time.monotonic() - t

    def by_file(variant):
        # A changed file (new inode and mtime), noticed by the background
        # thread: wait for the new generation to be published.
        gen = k.stat("boots.generation")
        t = time.monotonic()
        os.replace(variant, hwfile)
        poll(lambda: k.stat("boots.generation") > gen, 60.0, interval=0.05,
             what="background reload")
        return time.monotonic() - t

    def by_command_nowait(variant):
        # boots-reload {"wait": false}: answered at once, the refresh
        # thread loads; wait for the new generation to be published.
        gen = k.stat("boots.generation")
        os.replace(variant, hwfile)
        t = time.monotonic()
        r = k.command("boots-reload", {"wait": False}, timeout=60.0)
        if r.get("result") != 0:
            raise RuntimeError("boots-reload failed: %r" % r)
        poll(lambda: k.stat("boots.generation") > gen, 60.0, interval=0.05,
             what="requested background reload")
        return time.monotonic() - t

    runs = (("boots-reload command, 1% changed", by_command, 0.01, b"c"),
            ("file change (background), 1% changed", by_file, 0.01, b"f"),
            ("boots-reload command, all changed", by_command, 1.0, b"c"),
            ('boots-reload {"wait": false}, all changed', by_command_nowait,
             1.0, b"w"))
    for label, action, fraction, tag in runs:
        variants = write_variants(original, n, fraction, tag)
        p = subprocess.Popen(
            ["perfdhcp", "-4", "-l", IFACE, "-r", str(load_rate), "-p",
             str(load_period), "-M", macs, "-o", "60,505845436c69656e74",
             "-o", "93,0007", "10.77.0.1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        durations = []
        gen0 = k.stat("boots.generation")
        t0 = time.monotonic()
        for i in range(10):
            # Pacing (not synchronisation): spread the reloads over the run.
            target = t0 + 1.0 + i * (load_period - 4.0) / 10.0
            time.sleep(max(0.0, target - time.monotonic()))
            durations.append(action(variants[i]))
        out = p.communicate(timeout=load_period + 120)[0].decode(
            errors="replace")
        gens = k.stat("boots.generation") - gen0
        st = parse_perfdhcp(out)
        rd, rs = drops(st)
        print("  %-44s dropped %5d of %6d packets (%.2f%%); %d new "
              "generations; reload median %.2fs max %.2fs" %
              (label + ":", rd, rs, 100.0 * rd / max(rs, 1), gens,
               statistics.median(durations), max(durations)))
    hardware.write_text(hwfile, original.decode())
    check_alive = k.alive()
    k.stop()
    if not check_alive:
        raise RuntimeError("kea-dhcp4 died during the reloads")


def parse_perfdhcp(out):
    stats = {}
    for section in ("DISCOVER-OFFER", "REQUEST-ACK"):
        m = re.search(r"Statistics for: %s\*+\s*(.*?)(\n\n|\Z)" % section,
                      out, re.S)
        body = m.group(1) if m else ""

        def num(key):
            mm = re.search(r"^%s: ([\d.]+)" % key, body, re.M)
            return float(mm.group(1)) if mm else 0.0
        stats[section] = {"sent": num("sent packets"),
                          "received": num("received packets"),
                          "drops": num("drops")}
    return stats


def drops(st):
    return (int(st["DISCOVER-OFFER"]["drops"] + st["REQUEST-ACK"]["drops"]),
            int(st["DISCOVER-OFFER"]["sent"] + st["REQUEST-ACK"]["sent"]))

if __name__ == "__main__":
    main()
