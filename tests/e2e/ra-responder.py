#!/usr/bin/python3
"""Answer IPv6 router solicitations on one interface with a bare router
advertisement (no prefix, M=O=0, router lifetime 0).

iPXE's autoconfiguration waits for IPv6 routers for about 16 s before it
fetches its script; one RA per solicitation ends that wait at once, without
giving the guest any IPv6 route.  Used by the end-to-end tests and the demo
(radvd would do as well).  Runs until killed.

    ra-responder.py IFNAME [LOGFILE]
"""
import socket
import struct
import sys
import time

ICMP6_RS = 133
ICMP6_RA = 134


def main():
    ifname = sys.argv[1]
    log = open(sys.argv[2], "a", buffering=1) if len(sys.argv) > 2 else sys.stdout
    ifindex = socket.if_nametoindex(ifname)
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    # Neighbour discovery packets must carry hop limit 255.
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
    # Solicitations go to all-routers (ff02::2).
    mreq = socket.inet_pton(socket.AF_INET6, "ff02::2") + struct.pack("@I", ifindex)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    # type, code, checksum (the kernel fills it), cur hop limit, flags (M=O=0),
    # router lifetime 0 (not a default router), reachable, retrans timers.
    ra = struct.pack("!BBHBBHII", ICMP6_RA, 0, 0, 64, 0, 0, 0, 0)
    print("ra-responder: listening on %s" % ifname, file=log)
    while True:
        data, addr = s.recvfrom(1500)
        if len(data) < 8 or data[0] != ICMP6_RS:
            continue
        try:
            s.sendto(ra, ("ff02::1", 0, 0, ifindex))
            print("%.3f RS from %s -> RA" % (time.time(), addr[0]), file=log)
        except OSError as e:
            print("%.3f RS from %s, RA failed: %s" % (time.time(), addr[0], e), file=log)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
