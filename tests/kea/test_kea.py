#!/usr/bin/python3
"""Boots Kea hook integration tests (run by tests/kea/run.sh inside the
client namespace).  Each test asserts the packets a real client receives
from a real kea-dhcp4 that loaded build/libdhcp_boots.so."""

import glob
import json
import os
import re
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hardware                                             # noqa: E402
from dhcpclient import Client, OFFER, ACK, NAK              # noqa: E402
from kea import Kea, make_config, poll, WORK                # noqa: E402

HOOK = os.environ["BK_HOOK"]
IFACE = os.environ["BK_IFACE"]
SRV_MAC = os.environ["BK_SRV_MAC"]
HWFILE = os.path.join(WORK, "hardware.json")
SERVER = "10.77.0.1"
RELAY = "10.77.1.254"

PARAMS = {
    "hardware-file": HWFILE,
    "tftp-server": SERVER,
    "ipxe-script-url": "http://10.77.0.1/auto.ipxe",
    "ipxe-binary-url": "http://10.77.0.1/ipxe/",
    "syslog-server": "10.77.0.7",
    "unknown-clients": "ignore",
    "refresh-interval": 1,
}

NODE1 = "02:00:00:00:00:01"
NODE2 = "02:00:00:00:00:02"
NODE3 = "02:00:00:00:00:03"
NODE4 = "02:00:00:00:00:04"
NODE5 = "02:00:00:00:00:05"
NODE6 = "02:00:00:00:00:06"
STRANGER = "02:00:00:00:00:99"

kea = Kea("kea")

# Under check-kea-asan (LD_PRELOAD=libasan), kea-dhcp4 can hang in exit():
# libp11-kit's destructor blocks in freelocale() on glibc's setlocale lock
# (seen with Debian 12's libasan 8; not with the normal build).  Tests that
# need Kea to exit are skipped there; they run in check-kea.
ASAN_MODE = bool(os.environ.get("BK_KEA_PRELOAD"))


class Skip(Exception):
    pass


def client(mac, timeout=3.0):
    return Client(IFACE, mac, server_mac=SRV_MAC, timeout=timeout)


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def sub_options(data):
    """Encapsulated sub-options (option 43 / 175) as {code: bytes}."""
    out, i = {}, 0
    while data and i < len(data):
        code = data[i]
        if code in (0, 255):
            i += 1
            continue
        ln = data[i + 1]
        out[code] = data[i + 2:i + 2 + ln]
        i += 2 + ln
    return out


def stat(name):
    return kea.stat(name) or 0


def wait_stat_above(name, old, timeout=5.0):
    return poll(lambda: stat(name) > old, timeout, what="%s > %d" % (name, old))


def assert_node1_ip_options(r):
    eq(r.yiaddr, "10.77.0.50", "yiaddr")
    eq(r.opt_ip(1), "255.255.255.128", "option 1 (hardware netmask)")
    eq(r.opt_ips(3), ["10.77.0.126"], "option 3")
    eq(r.opt_ips(6), ["10.77.0.53", "10.77.0.54"], "option 6")
    eq(r.opt_str(12), "node-1", "option 12")
    eq(r.opt_ips(42), ["10.77.0.123"], "option 42")
    eq(r.opt_ips(7), ["10.77.0.7"], "option 7 (syslog-server)")
    eq(r.opt_u32(51), 7200, "option 51 (hardware lease_time)")


def assert_no_boot(r):
    eq(r.siaddr, "0.0.0.0", "siaddr")
    eq(r.file, "", "file")
    check(60 not in r.options, "unexpected option 60 %r" % r.options.get(60))
    check(67 not in r.options, "unexpected option 67")


# ---------------------------------------------------------------------------
# Tests (run in this order; they share one Kea and its lease file)

def test_start():
    hardware.write(HWFILE, hardware.base_records())
    kea.start(make_config(HOOK, PARAMS, mt=True))
    text = kea.log_text()
    check("BOOTS_LOAD_OK" in text, "no BOOTS_LOAD_OK in the log")
    cmds = kea.command("list-commands")["arguments"]
    check("boots-reload" in cmds and "boots-hardware-get" in cmds,
          "boots commands missing from list-commands: %r" % cmds)
    eq(stat("boots.hardware-records"), 6, "boots.hardware-records")
    check(stat("boots.reload-ok") >= 1, "boots.reload-ok")
    check(stat("boots.source-last-success") > 1700000000,
          "boots.source-last-success is not a timestamp")


def test_pxe_arches():
    before = stat("boots.netboot-offers")
    for arch, want in ((0, "undionly.kpxe"), (7, "ipxe.efi"),
                       (11, "snp.efi")):
        offer, ack = client(NODE1).dora(arch=arch)
        check(offer is not None, "arch %d: no OFFER" % arch)
        eq(offer.type, OFFER, "arch %d: reply type" % arch)
        check(ack is not None and ack.type == ACK,
              "arch %d: no ACK (%s)" % (arch, ack and ack.summary()))
        for r in (offer, ack):
            assert_node1_ip_options(r)
            eq(r.siaddr, SERVER, "arch %d: siaddr" % arch)
            eq(r.file, want, "arch %d: file" % arch)
            eq(r.opt_str(60), "PXEClient", "arch %d: option 60" % arch)
            subs = sub_options(r.options.get(43, b""))
            eq(subs.get(6), b"\x08", "arch %d: option 43.6" % arch)
            eq(subs.get(116), b"42", "arch %d: option 43.116 (VLAN)" % arch)
            check(67 not in r.options, "option 67 sent although the name "
                  "fits the file field")
            check(175 not in r.options, "option 175 for a non-iPXE client")
    eq(stat("boots.netboot-offers"), before + 3, "boots.netboot-offers")


def test_http_client():
    offer, ack = client(NODE1).dora(
        arch=16, vendor="HTTPClient:Arch:00016:UNDI:003016")
    check(ack is not None and ack.type == ACK, "no ACK")
    for r in (offer, ack):
        assert_node1_ip_options(r)
        eq(r.file, "http://10.77.0.1/ipxe/ipxe.efi", "file")
        eq(r.opt_str(60), "HTTPClient", "option 60")


def test_ipxe_user_class():
    for arch in (0, 7, 16):
        vendor = "HTTPClient:Arch:00016" if arch == 16 else None
        offer, ack = client(NODE1).dora(arch=arch, ipxe=True, vendor=vendor)
        check(ack is not None and ack.type == ACK, "arch %d: no ACK" % arch)
        for r in (offer, ack):
            assert_node1_ip_options(r)
            eq(r.file, "http://10.77.0.1/02:00:00:00:00:01/auto.ipxe",
               "arch %d iPXE: file" % arch)
            eq(r.options.get(175), b"\xb0\x01\x01",
               "arch %d iPXE: option 175 (no-pxedhcp)" % arch)


def test_user_class_variants():
    """iPXE built by Tinkerbell sends user class "Tinkerbell"; some iPXE
    builds send RFC 3004 framing (length-prefixed)."""
    for uc in (b"Tinkerbell", b"\x04iPXE"):
        offer, ack = client(NODE1).dora(arch=7, user_class=uc)
        check(ack is not None and ack.type == ACK, "%r: no ACK" % uc)
        eq(ack.file, "http://10.77.0.1/02:00:00:00:00:01/auto.ipxe",
           "file for user class %r" % uc)


def test_inform():
    """DHCPINFORM from a machine at its hardware IP: its options, no boot
    fields."""
    c = client(NODE1)
    import random
    xid = random.getrandbits(32)
    req = c.build(8, xid, arch=7, ciaddr="10.77.0.50", broadcast=False)
    r = c.exchange(req, xid, src_ip="10.77.0.50", server_ip=SERVER)
    check(r is not None, "no answer to INFORM")
    eq(r.type, ACK, "INFORM answer")
    eq(r.opt_ip(1), "255.255.255.128", "option 1")
    eq(r.opt_ips(3), ["10.77.0.126"], "option 3")
    eq(r.opt_str(12), "node-1", "option 12")
    eq(r.file, "", "file")
    check(60 not in r.options, "option 60 in an INFORM answer")


def test_installed_os():
    offer, ack = client(NODE1).dora()
    check(ack is not None and ack.type == ACK, "no ACK")
    for r in (offer, ack):
        assert_node1_ip_options(r)
        assert_no_boot(r)


def test_in_pool_default_lease():
    offer, ack = client(NODE2).dora(arch=7)
    check(ack is not None and ack.type == ACK, "no ACK")
    for r in (offer, ack):
        eq(r.yiaddr, "10.77.0.150", "yiaddr")
        eq(r.opt_u32(51), 4000, "option 51 (Kea's valid-lifetime)")
        eq(r.opt_ip(1), "255.255.255.0", "option 1")
        eq(r.file, "ipxe.efi", "file")


def test_allow_pxe_false():
    offer, ack = client(NODE3).dora(arch=7)
    check(ack is not None and ack.type == ACK, "no ACK")
    for r in (offer, ack):
        eq(r.yiaddr, "10.77.0.60", "yiaddr")
        eq(r.opt_ip(1), "255.255.255.128", "option 1")
        eq(r.opt_u32(51), 600, "option 51")
        assert_no_boot(r)


def test_disable_dhcp():
    before = stat("boots.disabled-dropped")
    r = client(NODE4, timeout=1.5).discover(arch=7)
    check(r is None, "disableDhcp hardware got %s" % (r and r.summary()))
    wait_stat_above("boots.disabled-dropped", before)


def test_unknown_ignored():
    before = stat("boots.unknown-dropped")
    r = client(STRANGER, timeout=1.5).discover(arch=7)
    check(r is None, "unknown MAC got %s" % (r and r.summary()))
    wait_stat_above("boots.unknown-dropped", before)


def test_relayed():
    offer, ack = client(NODE5).dora(arch=7, relay_ip=RELAY, server_ip=SERVER)
    check(offer is not None, "no relayed OFFER")
    check(ack is not None and ack.type == ACK, "no relayed ACK")
    for r in (offer, ack):
        eq(r.yiaddr, "10.77.1.50", "yiaddr")
        eq(r.giaddr, RELAY, "giaddr")
        eq((r.ip_dst, r.udp_dport), (RELAY, 67), "sent to the relay")
        eq(r.file, "ipxe.efi", "file")
        eq(r.opt_ips(3), ["10.77.1.1"], "option 3")
        eq(r.opt_u32(51), 3600, "option 51")


def test_renew_and_init_reboot():
    c = client(NODE1)
    offer, ack = c.dora(arch=7)
    check(ack is not None and ack.type == ACK, "no ACK")
    r = c.renew("10.77.0.50", SERVER)
    check(r is not None, "no answer to RENEW")
    eq(r.type, ACK, "RENEW answer")
    eq(r.yiaddr, "10.77.0.50", "RENEW yiaddr")
    eq(r.opt_u32(51), 7200, "RENEW option 51")
    r = c.init_reboot("10.77.0.50")
    check(r is not None, "no answer to INIT-REBOOT")
    eq(r.type, ACK, "INIT-REBOOT answer")
    eq(r.yiaddr, "10.77.0.50", "INIT-REBOOT yiaddr")
    # Someone else's reserved address is refused.
    r = client(NODE2).init_reboot("10.77.0.50")
    check(r is not None and r.type == NAK,
          "INIT-REBOOT for another machine's IP: %s" % (r and r.summary()))


def test_hardware_get():
    r = kea.command("boots-hardware-get", {"mac": "02-00-00-00-00-01"})
    eq(r["result"], 0, "boots-hardware-get by MAC result")
    a = r["arguments"]
    eq((a["id"], a["ip"], a["netmask"], a["lease-time"], a["vlan-id"]),
       ("default/node-1", "10.77.0.50", "255.255.255.128", 7200, 42),
       "boots-hardware-get fields")
    r = kea.command("boots-hardware-get", {"ip": "10.77.1.50"})
    eq(r["arguments"]["mac"], NODE5, "boots-hardware-get by IP")
    r = kea.command("boots-hardware-get", {"mac": STRANGER})
    eq(r["result"], 3, "boots-hardware-get unknown MAC result")
    r = kea.command("boots-hardware-get", {"mac": "zz"})
    eq(r["result"], 1, "boots-hardware-get bad MAC result")


def test_ip_change_reload():
    c = client(NODE6)
    offer, ack = c.dora(arch=7)
    check(ack is not None and ack.type == ACK, "no ACK")
    eq(ack.yiaddr, "10.77.0.70", "yiaddr before the change")
    ok_before = stat("boots.reload-ok")
    hardware.write(HWFILE, hardware.base_records(node6_ip="10.77.0.71"))
    r = kea.command("boots-reload")
    eq(r["result"], 0, "boots-reload result (%s)" % r.get("text"))
    eq(r["arguments"]["records"], 6, "boots-reload records")
    check(stat("boots.reload-ok") > ok_before, "boots.reload-ok did not move")
    r = c.renew("10.77.0.70", SERVER)
    check(r is not None and r.type == NAK,
          "RENEW of the old IP: %s" % (r and r.summary()))
    r = c.init_reboot("10.77.0.70")
    check(r is not None and r.type == NAK,
          "INIT-REBOOT of the old IP: %s" % (r and r.summary()))
    offer, ack = c.dora(arch=7)
    check(ack is not None and ack.type == ACK, "no ACK after the change")
    eq(offer.yiaddr, "10.77.0.71", "OFFER after the change")
    eq(ack.yiaddr, "10.77.0.71", "ACK after the change")


def test_broken_file_keeps_old_data():
    failed = stat("boots.reload-failed")
    good = hardware.base_records(node6_ip="10.77.0.71")
    bad = json.loads(json.dumps(good))
    bad[1]["spec"]["interfaces"][0]["dhcp"]["mac"] = "zz:00:00:00:00:02"
    hardware.write(HWFILE, bad)
    r = kea.command("boots-reload")
    eq(r["result"], 1, "boots-reload of a bad file")
    text = r.get("text", "")
    for part in ("node-2", "mac", "zz:00:00:00:00:02"):
        check(part in text, "error %r does not name %r" % (text, part))
    check(stat("boots.reload-failed") > failed, "boots.reload-failed")
    offer, ack = client(NODE1).dora(arch=7)
    check(ack is not None and ack.type == ACK, "no ACK with a bad file")
    eq(ack.yiaddr, "10.77.0.50", "yiaddr with a bad file")
    eq(ack.file, "ipxe.efi", "file with a bad file")
    offer, ack = client(NODE2).dora(arch=7)
    check(ack is not None and ack.yiaddr == "10.77.0.150",
          "node-2 lost its data to a bad file")
    # Truncated JSON, noticed by the background check (no command).
    failed = stat("boots.reload-failed")
    hardware.write_text(HWFILE, json.dumps({"kind": "List",
                                            "items": good})[:-40])
    wait_stat_above("boots.reload-failed", failed, timeout=10.0)
    offer, ack = client(NODE1).dora(arch=0)
    check(ack is not None and ack.yiaddr == "10.77.0.50",
          "no service after a truncated file")
    # Fixed file: picked up by the background check too.
    good[0]["spec"]["interfaces"][0]["dhcp"]["hostname"] = "node-1-renamed"
    hardware.write(HWFILE, good)
    poll(lambda: kea.command("boots-hardware-get", {"mac": NODE1})
         ["arguments"].get("hostname") == "node-1-renamed", 10.0,
         what="background reload of the fixed file")
    offer, ack = client(NODE1).dora()
    eq(ack and ack.opt_str(12), "node-1-renamed", "option 12 after reload")
    good[0]["spec"]["interfaces"][0]["dhcp"]["hostname"] = "node-1"
    hardware.write(HWFILE, good)
    eq(kea.command("boots-reload")["result"], 0, "boots-reload")


def test_options_follow_reload():
    """A reload that changes only a record's options (netmask, gateway,
    DNS, NTP) serves the new ones: the cached reservation of an entry is
    kept across a reload only when nothing it is built from changed,
    while the other, unchanged records keep theirs."""
    c = client(NODE1)
    offer, ack = c.dora(arch=7)
    check(ack is not None, "no ACK before the change")
    assert_node1_ip_options(ack)
    recs = hardware.base_records(node6_ip="10.77.0.71")
    d = recs[0]["spec"]["interfaces"][0]["dhcp"]
    d["ip"]["netmask"] = "255.255.255.192"
    d["ip"]["gateway"] = "10.77.0.62"
    d["name_servers"] = ["10.77.0.55"]
    d["time_servers"] = ["10.77.0.124", "10.77.0.125"]
    hardware.write(HWFILE, recs)
    eq(kea.command("boots-reload")["result"], 0, "boots-reload")
    offer, ack = c.dora(arch=7)
    check(ack is not None, "no ACK after the change")
    eq(ack.yiaddr, "10.77.0.50", "yiaddr after the change")
    eq(ack.opt_ip(1), "255.255.255.192", "option 1 after the change")
    eq(ack.opt_ips(3), ["10.77.0.62"], "option 3 after the change")
    eq(ack.opt_ips(6), ["10.77.0.55"], "option 6 after the change")
    eq(ack.opt_ips(42), ["10.77.0.124", "10.77.0.125"],
       "option 42 after the change")
    offer, ack = client(NODE2).dora(arch=7)
    check(ack is not None and ack.yiaddr == "10.77.0.150",
          "unchanged node-2 after the reload")
    eq(ack.opt_str(12), "node-2", "unchanged node-2's option 12")
    hardware.write(HWFILE, hardware.base_records(node6_ip="10.77.0.71"))
    eq(kea.command("boots-reload")["result"], 0, "boots-reload (restore)")
    offer, ack = c.dora(arch=7)
    check(ack is not None, "no ACK after the restore")
    assert_node1_ip_options(ack)


def test_reload_no_wait():
    """boots-reload {"wait": false} answers at once and leaves the load to
    the refresh thread (Kea receives packets on the thread that runs
    commands): the load is forced (an unchanged file is read again), its
    result is served, and a bad file is counted and logged while the old
    data stays.  Bad arguments are refused, naming them."""
    for args, part in (({"wait": "no"}, "'wait'"),
                       ({"now": True}, "'now'"),
                       (["wait"], "map")):
        r = kea.command("boots-reload", args)
        eq(r["result"], 1, "boots-reload %r result" % (args,))
        check(part in r.get("text", ""),
              "boots-reload %r: %r does not name %s" %
              (args, r.get("text"), part))
    # Unchanged file: only the requested (forced) load makes a generation.
    gen = stat("boots.generation")
    r = kea.command("boots-reload", {"wait": False})
    eq(r["result"], 0, "boots-reload wait false (%s)" % r.get("text"))
    check("background" in r.get("text", ""), "answer %r" % r.get("text"))
    check(r["arguments"]["generation"] >= gen, "answer's generation")
    wait_stat_above("boots.generation", gen, timeout=10.0)
    # A change is served once the thread has loaded it.
    c = client(NODE6)
    hardware.write(HWFILE, hardware.base_records(node6_ip="10.77.0.72"))
    eq(kea.command("boots-reload", {"wait": False})["result"], 0,
       "boots-reload wait false")
    poll(lambda: kea.command("boots-hardware-get", {"mac": NODE6})
         ["arguments"].get("ip") == "10.77.0.72", 10.0,
         what="node-6 at 10.77.0.72")
    offer, ack = c.dora(arch=7)
    check(ack is not None and ack.yiaddr == "10.77.0.72",
          "node-6 after the reload: %s" % (ack and ack.summary()))
    # A bad file: counted and logged (naming record, field and value).
    failed = stat("boots.reload-failed")
    bad = hardware.base_records(node6_ip="10.77.0.72")
    bad[1]["spec"]["interfaces"][0]["dhcp"]["mac"] = "zz:00:00:00:00:02"
    hardware.write(HWFILE, bad)
    eq(kea.command("boots-reload", {"wait": False})["result"], 0,
       "boots-reload wait false of a bad file")
    wait_stat_above("boots.reload-failed", failed, timeout=10.0)
    poll(lambda: any("BOOTS_RELOAD_FAILED" in ln and "node-2" in ln and
                     "zz:00:00:00:00:02" in ln
                     for ln in kea.log_text().splitlines()), 10.0,
         what="BOOTS_RELOAD_FAILED naming node-2's MAC")
    offer, ack = client(NODE2).dora(arch=7)
    check(ack is not None and ack.yiaddr == "10.77.0.150",
          "node-2 lost its data to a bad file")
    hardware.write(HWFILE, hardware.base_records(node6_ip="10.77.0.71"))
    eq(kea.command("boots-reload")["result"], 0, "boots-reload (restore)")


def test_libreload():
    r = kea.command("libreload")
    eq(r["result"], 0, "libreload (%s)" % r.get("text"))
    offer, ack = client(NODE1).dora(arch=7)
    check(ack is not None, "no ACK after libreload")
    eq(ack.yiaddr, "10.77.0.50", "reserved IP after libreload")
    eq(ack.file, "ipxe.efi", "file after libreload")
    eq(stat("boots.hardware-records"), 6, "statistics after libreload")


def reload_with(params):
    kea.write(make_config(HOOK, params, mt=True))
    r = kea.command("config-reload")
    eq(r["result"], 0, "config-reload (%s)" % r.get("text"))


def test_library_after_boots():
    """Another library's pkt4_send callout (Kea's flex-option adding option
    66) must reach the wire whether it runs before or after Boots: Boots
    packs replies itself only as the last library, and unpacks queries only
    then."""
    found = glob.glob("/usr/lib/*/kea/hooks/libdhcp_flex_option.so")
    if not found:
        raise Skip("Kea's libdhcp_flex_option.so is not installed")
    flex = found[0]
    lib = {"library": flex, "parameters": {"options": [
        {"code": 66, "add": "'tftp.example'"}]}}
    try:
        for order in ("after", "before"):
            cfg = make_config(HOOK, PARAMS, mt=True)
            libs = cfg["Dhcp4"]["hooks-libraries"]
            if order == "after":
                libs.append(lib)
            else:
                libs.insert(0, lib)
            kea.write(cfg)
            r = kea.command("config-reload")
            eq(r["result"], 0, "config-reload with flex-option %s boots (%s)"
               % (order, r.get("text")))
            offer, ack = client(NODE1).dora(arch=7)
            check(ack is not None, "no ACK with flex-option %s boots" % order)
            eq(ack.yiaddr, "10.77.0.50", "reserved IP (flex-option %s)" % order)
            eq(ack.file, "ipxe.efi", "boot file (flex-option %s)" % order)
            eq(bytes(ack.options.get(66, b"")), b"tftp.example",
               "option 66 from flex-option %s boots" % order)
    finally:
        reload_with(PARAMS)


def test_unknown_allocate():
    reload_with(dict(PARAMS, **{"unknown-clients": "allocate"}))
    offer, ack = client(STRANGER).dora(arch=7)
    check(ack is not None and ack.type == ACK, "unknown client: no ACK")
    for r in (offer, ack):
        lo, hi = r.yiaddr.rsplit(".", 1)[1], None
        check(r.yiaddr.startswith("10.77.0.") and 100 <= int(lo) <= 200,
              "unknown client not from the pool: %s" % r.yiaddr)
        assert_no_boot(r)
    # Known hardware still gets its reservation after config-reload.
    offer, ack = client(NODE1).dora(arch=7)
    eq(ack and ack.yiaddr, "10.77.0.50", "node-1 after config-reload")
    eq(ack and ack.file, "ipxe.efi", "node-1 file after config-reload")


def test_unknown_allocate_netboot():
    reload_with(dict(PARAMS, **{"unknown-clients": "allocate-netboot"}))
    c = client("02:00:00:00:00:97")
    offer, ack = c.dora(arch=7)
    check(ack is not None and ack.type == ACK, "unknown client: no ACK")
    for r in (offer, ack):
        last = int(r.yiaddr.rsplit(".", 1)[1])
        check(r.yiaddr.startswith("10.77.0.") and 100 <= last <= 200,
              "unknown client not from the pool: %s" % r.yiaddr)
        eq(r.file, "ipxe.efi", "file")
        eq(r.siaddr, SERVER, "siaddr")
        eq(r.opt_ip(1), "255.255.255.0", "option 1 (subnet's)")
    offer, ack = c.dora(arch=7, ipxe=True)
    eq(ack and ack.file, "http://10.77.0.1/02:00:00:00:00:97/auto.ipxe",
       "iPXE file for an unknown client")
    reload_with(PARAMS)


def test_long_url_in_option67():
    """A boot URL longer than the 128-byte file field goes in option 67."""
    url = "http://10.77.0.1/" + "p" * 140 + "/auto.ipxe"
    reload_with(dict(PARAMS, **{"ipxe-script-url": url}))
    offer, ack = client(NODE1).dora(arch=7, ipxe=True)
    check(ack is not None and ack.type == ACK, "no ACK")
    # The MAC goes before the script name (ipxe-script-prepend-mac).
    want = "http://10.77.0.1/" + "p" * 140 + "/" + NODE1 + "/auto.ipxe"
    for r in (offer, ack):
        eq(r.file, "", "file field with a long URL")
        eq(r.opt_str(67), want, "option 67 with a long URL")
    # A short name still goes in the file field, without option 67.
    offer, ack = client(NODE1).dora(arch=7)
    eq(ack and ack.file, "ipxe.efi", "file")
    check(ack and 67 not in ack.options, "option 67 for a short name")
    reload_with(PARAMS)


def test_source_errors_counted():
    """A vanished file is a source error: counted, old data kept."""
    errors = stat("boots.source-errors")
    os.rename(HWFILE, HWFILE + ".away")
    try:
        wait_stat_above("boots.source-errors", errors, timeout=10.0)
        offer, ack = client(NODE1).dora(arch=7)
        eq(ack and ack.yiaddr, "10.77.0.50", "node-1 without a file")
        eq(ack and ack.file, "ipxe.efi", "file without a file")
    finally:
        os.rename(HWFILE + ".away", HWFILE)
    r = kea.command("boots-reload")
    eq(r["result"], 0, "boots-reload once the file is back")


def test_reloads_under_traffic():
    """perfdhcp traffic (multi-threaded Kea) while the data is reloaded
    five times: every reload succeeds, traffic is answered, Kea lives."""
    macs = os.path.join(WORK, "perf-macs.txt")
    with open(macs, "w") as f:
        f.write("\n".join([NODE1, NODE2, NODE3, NODE6]) + "\n")
    p = subprocess.Popen(["perfdhcp", "-4", "-l", IFACE, "-r", "200",
                          "-p", "4", "-M", macs, "-o", "93,0007",
                          "-o", "60,505845436c69656e74", SERVER],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    gen = stat("boots.generation")
    for _ in range(5):
        r = kea.command("boots-reload")
        eq(r["result"], 0, "boots-reload under traffic")
    out = p.communicate(timeout=60)[0].decode(errors="replace")
    m = re.search(r"Statistics for: REQUEST-ACK\*+\s*sent packets: (\d+)"
                  r"\s*received packets: (\d+)", out)
    check(m is not None, "no perfdhcp statistics:\n" + out[-1500:])
    check(int(m.group(2)) > 0, "no ACK during the reloads:\n" + out[-1500:])
    check(stat("boots.generation") >= gen + 5, "generations did not move")
    check(kea.alive(), "kea-dhcp4 died during the reloads")


def test_bad_parameters_refused():
    if ASAN_MODE:
        raise Skip("kea-dhcp4 exit hangs under LD_PRELOAD=libasan")
    cases = [
        ({"hardware_file": HWFILE}, "hardware_file"),
        (dict(PARAMS, **{"tftp-server": "10.77.0.300"}), "tftp-server"),
        (dict(PARAMS, **{"unknown-clients": "drop"}), "unknown-clients"),
        (dict(PARAMS, **{"refresh-interval": "5"}), "refresh-interval"),
        (dict(PARAMS, **{"hardware-url": "https://10.77.0.1/hw"}),
         "hardware-url"),
        (dict(PARAMS, **{"boot-files": {"bios": "a b"}}), "boot-files.bios"),
        (dict(PARAMS, **{"hardware-watch": True}), "hardware-watch"),
        (dict(PARAMS, **{"ipxe-script-url": "ftp://x/auto.ipxe"}),
         "ipxe-script-url"),
        (dict(PARAMS, **{"hardware-file": os.path.join(WORK, "none.json")}),
         "none.json"),
    ]
    for i, (params, name) in enumerate(cases):
        k = Kea("bad%d" % i)
        k.start(make_config(HOOK, params, name="bad%d" % i, mt=False),
                expect_fail=True)
        text = k.log_text()
        check(re.search(r"BOOTS_(CONFIG_ERROR|LOAD_FAILED).*%s" %
                        re.escape(name), text),
              "case %d: no error naming %r in the log:\n%s" %
              (i, name, text[-2000:]))
    # config-reload with a bad parameter is refused and the server goes on
    # answering.
    kea.write(make_config(HOOK, dict(PARAMS, **{"bogus-key": 1}), mt=True))
    r = kea.command("config-reload")
    check(r["result"] != 0, "config-reload accepted an unknown parameter")
    check(kea.alive(), "kea-dhcp4 died on a bad config-reload")
    check("bogus-key" in kea.log_text(), "bogus-key not named in the log")
    # (Kea 2.2 then logs DHCP4_CONFIG_UNRECOVERABLE_ERROR and serves
    # nothing until a good configuration is loaded: see kea-hook/README.md.)
    kea.write(make_config(HOOK, PARAMS, mt=True))
    r = kea.command("config-reload")
    eq(r["result"], 0, "config-reload after the bad one")
    offer, ack = client(NODE1).dora(arch=7)
    eq(ack and ack.yiaddr, "10.77.0.50", "node-1 after a refused reload")


def test_bad_packets_survive():
    """Malformed packets from a known MAC do not crash Kea."""
    c = client(NODE1, timeout=0.3)
    import random
    rnd = random.Random(7)
    for n in range(30):
        xid = rnd.getrandbits(32)
        p = bytearray(c.build(1, xid, arch=7, ipxe=True))
        # Corrupt the option area: bad lengths, truncation, junk.
        pos = 240 + rnd.randrange(0, len(p) - 240)
        p[pos] = rnd.randrange(256)
        if n % 3 == 0:
            p = p[:pos]
        c.exchange(bytes(p), xid, timeout=0.05)
    check(kea.alive(), "kea-dhcp4 died on malformed packets")
    offer, ack = client(NODE1).dora(arch=7)
    eq(ack and ack.yiaddr, "10.77.0.50", "node-1 after malformed packets")


def test_shutdown_clean():
    if ASAN_MODE:
        raise Skip("kea-dhcp4 exit hangs under LD_PRELOAD=libasan")
    rc = kea.stop()
    eq(rc, 0, "kea-dhcp4 exit status")
    check("BOOTS_UNLOAD" in kea.log_text(), "no BOOTS_UNLOAD in the log")


def test_example_config():
    """configs/kea-dhcp4.conf, with only paths, interface and addresses
    replaced for the test network, serves a netboot client."""
    if ASAN_MODE:
        raise Skip("kea-dhcp4 exit hangs under LD_PRELOAD=libasan")
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    with open(os.path.join(root, "configs", "kea-dhcp4.conf")) as f:
        text = f.read()
    subst = [('"eth1"', '"%s"' % os.environ["BK_SRV_IFACE"]),
             ("/run/kea/kea4-ctrl-socket", os.path.join(WORK, "example.sock")),
             ("/var/lib/kea/kea-leases4.csv",
              os.path.join(WORK, "example-leases4.csv")),
             ("/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_boots.so", HOOK),
             ("/etc/boots/hardware.json", HWFILE),
             ('"output": "syslog"', '"output": "%s"' %
              os.path.join(WORK, "example.log")),
             ("10.99.0.", "10.77.0.")]
    for a, b in subst:
        check(a in text, "example config no longer contains %r" % a)
        text = text.replace(a, b)
    kea.stop()           # one server on the link at a time
    ex = Kea("example")
    with open(ex.conf, "w") as f:
        f.write(text)
    ex.start()
    try:
        offer, ack = client(NODE1).dora(arch=7)
        check(ack is not None and ack.type == ACK, "no ACK")
        eq(ack.yiaddr, "10.77.0.50", "yiaddr")
        eq(ack.file, "ipxe.efi", "file")
        eq(ack.siaddr, SERVER, "siaddr")
        eq(ack.opt_ips(7), ["10.77.0.1"], "option 7")
        offer, ack = client(NODE1).dora(arch=7, ipxe=True)
        eq(ack and ack.file, "http://10.77.0.1/02:00:00:00:00:01/auto.ipxe",
           "iPXE file")
        r = client(STRANGER, timeout=1.0).discover(arch=7)
        check(r is None, "unknown client answered with the example config")
    finally:
        eq(ex.stop(), 0, "example kea-dhcp4 exit status")


def leaks_check():
    """libreload, config-reload, boots-reload (good, bad, not waiting) and
    shutdown under valgrind: no definitely or indirectly lost block and no
    invalid access may involve the hook (frames from libdhcp_boots.so /
    boots_*)."""
    hardware.write(HWFILE, hardware.base_records())
    vlog = os.path.join(WORK, "valgrind.log")
    vk = Kea("vg", prefix=["valgrind", "--leak-check=full",
                           "--show-leak-kinds=definite,indirect",
                           "--keep-debuginfo=yes", "--num-callers=40",
                           "--log-file=" + vlog])
    cfg = make_config(HOOK, PARAMS, name="vg", mt=True)
    vk.start(cfg, timeout=180.0)
    offer, ack = client(NODE1, timeout=20.0).dora(arch=7, ipxe=True)
    eq(ack and ack.yiaddr, "10.77.0.50", "DORA under valgrind")
    eq(vk.command("boots-reload")["result"], 0, "boots-reload")
    for _ in range(2):
        eq(vk.command("libreload")["result"], 0, "libreload")
        vk.write(cfg)
        eq(vk.command("config-reload")["result"], 0, "config-reload")
    offer, ack = client(NODE1, timeout=20.0).dora(arch=0)
    eq(ack and ack.file, "undionly.kpxe", "DORA after the reloads")
    bad = hardware.base_records()
    bad[0]["spec"]["interfaces"][0]["dhcp"]["ip"]["address"] = "10.77.0.300"
    hardware.write(HWFILE, bad)
    eq(vk.command("boots-reload")["result"], 1, "boots-reload of a bad file")
    hardware.write(HWFILE, hardware.base_records())
    eq(vk.command("boots-reload")["result"], 0, "boots-reload")
    # A background load requested just before shutdown: stopping the
    # refresh thread must neither leak it nor crash.
    eq(vk.command("boots-reload", {"wait": False})["result"], 0,
       "boots-reload wait false")
    rc = vk.stop(timeout=120.0)
    eq(rc, 0, "kea-dhcp4 exit status under valgrind")
    with open(vlog) as f:
        text = f.read()
    check("LEAK SUMMARY" in text or "All heap blocks were freed" in text,
          "valgrind did not finish its leak check")
    # Split into error / loss records (blank-line separated, "==pid==").
    records, cur = [], []
    for line in text.splitlines():
        body = line.split("== ", 1)[1] if "== " in line else ""
        if not body.strip():
            if cur:
                records.append("\n".join(cur))
            cur = []
        else:
            cur.append(body)
    if cur:
        records.append("\n".join(cur))
    ours = re.compile(r"libdhcp_boots|boots_kea::|\bboots_[a-z_]+ \(")
    bad_records = [r for r in records
                   if ("definitely lost" in r or "indirectly lost" in r or
                       r.startswith("Invalid ") or "uninitialised" in r)
                   and ours.search(r)]
    total = re.search(r"definitely lost: ([\d,]+) bytes", text)
    print("     valgrind: Kea total definitely lost: %s bytes; records "
          "involving the hook: %d" % (total.group(1) if total else "0",
                                      len(bad_records)))
    check(not bad_records, "valgrind found problems in the hook:\n" +
          "\n\n".join(bad_records[:5]))


TESTS = [v for k, v in list(globals().items()) if k.startswith("test_")]


def main(argv):
    if argv[:1] == ["--leaks"]:
        try:
            leaks_check()
            print("kea leak check: passed")
            return 0
        except Exception as e:
            traceback.print_exc()
            print("kea leak check: FAILED: %s" % e)
            return 1
    names = set(argv)
    failed = []
    ran = 0
    for t in TESTS:
        name = t.__name__[5:]
        if names and name not in names and name != "start":
            continue
        t0 = time.monotonic()
        ran += 1
        try:
            t()
            print("ok   %-32s %.1fs" % (name, time.monotonic() - t0),
                  flush=True)
        except Skip as e:
            print("skip %-32s %s" % (name, e), flush=True)
        except Exception as e:
            failed.append(name)
            print("FAIL %-32s %s" % (name, e), flush=True)
            traceback.print_exc()
            if name == "start":
                break
    kea.stop(timeout=5.0 if ASAN_MODE else 20.0)
    # Sanitizer reports (the ASan build of the hook, check-kea-asan).
    reports = [f for f in os.listdir(WORK) if f.startswith("asan.")]
    for f in reports:
        with open(os.path.join(WORK, f)) as fh:
            print("sanitizer report %s:\n%s" % (f, fh.read()[-4000:]))
        failed.append("sanitizer:" + f)
    # Queries are unpacked and replies packed by the hook
    # (kea-hook/boots_pack.h).  The ASan build also runs Kea's Pkt4::unpack()
    # and Pkt4::pack() on each and logs BOOTS_UNPACK_MISMATCH or
    # BOOTS_PACK_MISMATCH on any difference: none may appear, and the check
    # must have run.
    logs = ""
    for f in sorted(os.listdir(WORK)):
        if f.endswith(".log") or f.endswith(".out"):
            with open(os.path.join(WORK, f), errors="replace") as fh:
                logs += fh.read()
    for line in logs.splitlines():
        if "PACK_MISMATCH" in line:
            print("packing mismatch: %s" % line[:3000])
            failed.append("packing")
            break
    if ASAN_MODE and ran > 1 and "BOOTS_PACK_VERIFY" not in logs:
        print("the ASan build did not check its packing (no BOOTS_PACK_VERIFY)")
        failed.append("packing-not-verified")
    if failed:
        print("kea tests: %d failed: %s" % (len(failed), " ".join(failed)))
        return 1
    print("kea tests: all %d run passed" % ran)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
