#!/usr/bin/python3
"""One DHCPDISCOVER from the Boots source tests' client namespace; prints
"<yiaddr> <hostname>" of the OFFER, or "none" when none came in time.

    dhcp_offer.py IFACE SERVER_MAC CLIENT_MAC [TIMEOUT]

Uses the independent test client of the Kea tests (tests/kea/dhcpclient.py:
packets built byte by byte, scapy only for the wire).  Exit status 0 when an
OFFER came, 1 otherwise.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "kea"))

from dhcpclient import Client, OFFER  # noqa: E402


def main():
    iface, server_mac, mac = sys.argv[1:4]
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
    offer = Client(iface, mac, server_mac=server_mac,
                   timeout=timeout).discover(arch=7)
    if offer is None or offer.type != OFFER:
        print("none")
        return 1
    print("%s %s" % (offer.yiaddr, offer.opt_str(12)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
