"""A small, independent DHCPv4 test client for the Boots Kea tests.

Packets are built and parsed here byte by byte (RFC 2131/2132); scapy is only
used to put Ethernet frames on the wire and to capture the replies, so the
test does not share any DHCP code with Kea or with the hook under test.

Every wait is bounded: a reply is awaited for at most `timeout` seconds and
the capture stops as soon as the matching reply arrives.
"""

import ipaddress
import os
import random
import socket
import struct

from scapy.all import Ether, IP, UDP, Raw, conf, get_if_hwaddr, sendp, sniff

conf.verb = 0

MAGIC = b"\x63\x82\x53\x63"
DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = range(1, 9)
TYPE_NAMES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE",
              5: "ACK", 6: "NAK", 7: "RELEASE", 8: "INFORM"}


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def ip_bytes(ip):
    return socket.inet_aton(ip)


def ip_text(b):
    return socket.inet_ntoa(b)


class Reply:
    """A parsed BOOTP/DHCP reply."""

    def __init__(self, payload, ip_dst, udp_dport):
        (self.op, self.htype, self.hlen, self.hops, self.xid, self.secs,
         self.flags) = struct.unpack("!BBBBIHH", payload[:12])
        self.ciaddr = ip_text(payload[12:16])
        self.yiaddr = ip_text(payload[16:20])
        self.siaddr = ip_text(payload[20:24])
        self.giaddr = ip_text(payload[24:28])
        self.chaddr = payload[28:28 + 6]
        self.sname = payload[44:108].split(b"\0", 1)[0].decode("latin-1")
        self.file = payload[108:236].split(b"\0", 1)[0].decode("latin-1")
        self.options = {}
        self.ip_dst = ip_dst
        self.udp_dport = udp_dport
        if payload[236:240] != MAGIC:
            raise ValueError("no DHCP magic cookie")
        i = 240
        while i < len(payload):
            code = payload[i]
            if code == 0:
                i += 1
                continue
            if code == 255:
                break
            ln = payload[i + 1]
            data = payload[i + 2:i + 2 + ln]
            # RFC 3396: repeated options are concatenated.
            self.options[code] = self.options.get(code, b"") + data
            i += 2 + ln
        self.type = self.options.get(53, b"\0")[0]

    @property
    def type_name(self):
        return TYPE_NAMES.get(self.type, str(self.type))

    def opt_ip(self, code):
        v = self.options.get(code)
        return ip_text(v) if v is not None and len(v) == 4 else None

    def opt_ips(self, code):
        v = self.options.get(code, b"")
        return [ip_text(v[i:i + 4]) for i in range(0, len(v) - 3, 4)]

    def opt_u32(self, code):
        v = self.options.get(code)
        return struct.unpack("!I", v)[0] if v is not None and len(v) == 4 else None

    def opt_str(self, code):
        v = self.options.get(code)
        return v.decode("latin-1") if v is not None else None

    def summary(self):
        return ("%s yiaddr=%s siaddr=%s file=%r opts=%s" %
                (self.type_name, self.yiaddr, self.siaddr, self.file,
                 {k: v.hex() for k, v in sorted(self.options.items())}))


class Client:
    """One DHCP client identity (a MAC) speaking on one interface."""

    def __init__(self, iface, mac, server_mac=None, timeout=3.0):
        self.iface = iface
        self.mac = mac
        self.server_mac = server_mac
        self.timeout = timeout
        self.iface_mac = get_if_hwaddr(iface)

    def build(self, msg_type, xid, arch=None, vendor=None, ipxe=False,
              user_class=None, ciaddr="0.0.0.0", giaddr="0.0.0.0",
              requested=None, server_id=None, broadcast=True, extra=None,
              hops=0):
        """The BOOTP payload (bytes) of a client message."""
        hdr = struct.pack("!BBBBIHH", 1, 1, 6, hops, xid, 0,
                          0x8000 if broadcast else 0)
        hdr += ip_bytes(ciaddr) + ip_bytes("0.0.0.0") + ip_bytes("0.0.0.0")
        hdr += ip_bytes(giaddr)
        hdr += mac_bytes(self.mac) + b"\0" * 10 + b"\0" * 64 + b"\0" * 128
        opts = bytes([53, 1, msg_type])
        if requested:
            opts += bytes([50, 4]) + ip_bytes(requested)
        if server_id:
            opts += bytes([54, 4]) + ip_bytes(server_id)
        # Parameter request list: what PXE ROMs and iPXE ask for.
        prl = bytes([1, 3, 6, 7, 12, 15, 42, 43, 51, 54, 60, 66, 67, 175])
        opts += bytes([55, len(prl)]) + prl
        if vendor is None and arch is not None:
            vendor = "PXEClient:Arch:%05d:UNDI:003016" % arch
        if vendor:
            v = vendor.encode()
            opts += bytes([60, len(v)]) + v
        if arch is not None:
            opts += bytes([93, 2]) + struct.pack("!H", arch)
            opts += bytes([94, 3, 1, 3, 16])
            opts += bytes([97, 17, 0]) + bytes(range(16))
        if ipxe:
            user_class = b"iPXE"
        if user_class:
            opts += bytes([77, len(user_class)]) + user_class
        if extra:
            opts += extra
        opts += b"\xff"
        return hdr + MAGIC + opts

    def exchange(self, payload, xid, relay_ip=None, server_ip=None,
                 src_ip=None, expect=True, timeout=None):
        """Send one message; return the first reply with our xid (or None
        when none came within the timeout)."""
        timeout = self.timeout if timeout is None else timeout
        if relay_ip:
            # We act as the relay agent: unicast to the server, port 67.
            frame = (Ether(src=self.iface_mac, dst=self.server_mac) /
                     IP(src=relay_ip, dst=server_ip) /
                     UDP(sport=67, dport=67) / Raw(payload))
        elif src_ip:
            # A bound client renewing: unicast to the server.
            frame = (Ether(src=self.mac, dst=self.server_mac) /
                     IP(src=src_ip, dst=server_ip) /
                     UDP(sport=68, dport=67) / Raw(payload))
        else:
            frame = (Ether(src=self.mac, dst="ff:ff:ff:ff:ff:ff") /
                     IP(src="0.0.0.0", dst="255.255.255.255") /
                     UDP(sport=68, dport=67) / Raw(payload))
        got = []

        def match(p):
            if UDP not in p or p[UDP].sport != 67 or p[UDP].dport not in (67, 68):
                return False
            data = bytes(p[UDP].payload)
            if len(data) < 240 or data[0] != 2:
                return False
            if struct.unpack("!I", data[4:8])[0] != xid:
                return False
            got.append(Reply(data, p[IP].dst, p[UDP].dport))
            return True

        sniff(iface=self.iface, timeout=timeout,
              stop_filter=match,
              started_callback=lambda: sendp(frame, iface=self.iface),
              store=False)
        return got[0] if got else None

    # Whole conversations -------------------------------------------------

    def discover(self, **kw):
        xid = random.getrandbits(32)
        net = {k: kw.pop(k) for k in ("relay_ip", "server_ip") if k in kw}
        timeout = kw.pop("timeout", None)
        if "relay_ip" in net:
            kw["giaddr"] = net["relay_ip"]
            kw["hops"] = 1
        return self.exchange(self.build(DISCOVER, xid, **kw), xid,
                             timeout=timeout, **net)

    def dora(self, **kw):
        """DISCOVER then REQUEST of the offered address.  Returns
        (offer, ack); either may be None."""
        net = {k: kw[k] for k in ("relay_ip", "server_ip") if k in kw}
        offer = self.discover(**dict(kw))
        if offer is None or offer.type != OFFER:
            return offer, None
        kw2 = {k: v for k, v in kw.items() if k not in ("relay_ip", "server_ip")}
        xid = random.getrandbits(32)
        if "relay_ip" in net:
            kw2["giaddr"] = net["relay_ip"]
            kw2["hops"] = 1
        kw2.pop("timeout", None)
        req = self.build(REQUEST, xid, requested=offer.yiaddr,
                         server_id=offer.opt_ip(54), **kw2)
        ack = self.exchange(req, xid, **net)
        return offer, ack

    def renew(self, ip, server_ip, **kw):
        """RENEWING: unicast REQUEST with ciaddr, no option 50/54."""
        xid = random.getrandbits(32)
        req = self.build(REQUEST, xid, ciaddr=ip, broadcast=False, **kw)
        return self.exchange(req, xid, src_ip=ip, server_ip=server_ip)

    def init_reboot(self, ip, **kw):
        """INIT-REBOOT: broadcast REQUEST with option 50, no server id."""
        xid = random.getrandbits(32)
        req = self.build(REQUEST, xid, requested=ip, **kw)
        return self.exchange(req, xid)
