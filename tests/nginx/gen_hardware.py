#!/usr/bin/env python3
"""Write a Kubernetes List of N Tinkerbell Hardware objects (one interface
each) for the nginx module's memory measurement and benchmark.

    gen_hardware.py COUNT OUT.json [--client IP] [--tag TEXT] [--merge F]

Records get addresses 10.0.0.2 onwards (/8) and MACs 02:00:xx:xx:xx:xx.
--client adds one more workflow-enabled record whose address is IP (the
address wrk and curl connect from).  --tag changes the hostnames, so a
regenerated file differs from the last one.  --merge adds the items of
another List file.  The output is written atomically (rename).
"""
import argparse
import json
import os


def hardware(name, mac, ip, netmask, gateway, tag):
    return {
        "apiVersion": "tinkerbell.org/v1alpha1",
        "kind": "Hardware",
        "metadata": {"name": name, "namespace": "bench"},
        "spec": {
            "metadata": {"facility": {"facility_code": "onprem"}},
            "interfaces": [{
                "dhcp": {
                    "mac": mac,
                    "hostname": name + tag,
                    "arch": "x86_64",
                    "lease_time": 86400,
                    "ip": {"address": ip, "netmask": netmask,
                           "gateway": gateway},
                },
                "netboot": {"allowPXE": True, "allowWorkflow": True},
            }],
        },
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("count", type=int)
    ap.add_argument("out")
    ap.add_argument("--client")
    ap.add_argument("--tag", default="")
    ap.add_argument("--merge")
    a = ap.parse_args()

    items = []
    if a.merge:
        with open(a.merge) as f:
            items.extend(json.load(f)["items"])
    for i in range(a.count):
        n = i + 2
        ip = "10.%d.%d.%d" % ((n >> 16) & 255, (n >> 8) & 255, n & 255)
        mac = "02:00:%02x:%02x:%02x:%02x" % ((i >> 24) & 255, (i >> 16) & 255,
                                             (i >> 8) & 255, i & 255)
        items.append(hardware("node-%06d" % i, mac, ip, "255.0.0.0",
                              "10.0.0.1", a.tag))
    if a.client:
        gateway = a.client.rsplit(".", 1)[0] + ".254"
        items.append(hardware("client", "02:ff:00:00:00:01", a.client,
                              "255.255.255.0", gateway, a.tag))
    doc = {"apiVersion": "v1", "kind": "List", "items": items}
    with open(a.out + ".tmp", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    os.replace(a.out + ".tmp", a.out)


if __name__ == "__main__":
    main()
