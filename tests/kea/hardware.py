"""Hardware data for the Kea tests, in the Kubernetes HardwareList shape."""

import json
import os


def hw(name, mac, ip, netmask="255.255.255.0", gateway=None, hostname=None,
       lease_time=None, dns=None, ntp=None, allow_pxe=True, disable=False,
       vlan=None, arch="x86_64", ipxe_url=None):
    dhcp = {"mac": mac, "arch": arch,
            "ip": {"address": ip, "netmask": netmask}}
    if gateway:
        dhcp["ip"]["gateway"] = gateway
    if hostname:
        dhcp["hostname"] = hostname
    if lease_time is not None:
        dhcp["lease_time"] = lease_time
    if dns:
        dhcp["name_servers"] = dns
    if ntp:
        dhcp["time_servers"] = ntp
    if vlan is not None:
        dhcp["vlan_id"] = str(vlan)
    netboot = {"allowPXE": allow_pxe, "allowWorkflow": True}
    if ipxe_url:
        netboot["ipxe"] = {"url": ipxe_url}
    iface = {"dhcp": dhcp, "netboot": netboot}
    if disable:
        iface["disableDhcp"] = True
    return {"apiVersion": "tinkerbell.org/v1alpha1", "kind": "Hardware",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"interfaces": [iface]}}


def base_records(node6_ip="10.77.0.70"):
    return [
        # Out of the pool, netmask narrower than the subnet's /24, VLAN.
        hw("node-1", "02:00:00:00:00:01", "10.77.0.50",
           netmask="255.255.255.128", gateway="10.77.0.126",
           hostname="node-1", lease_time=7200,
           dns=["10.77.0.53", "10.77.0.54"], ntp=["10.77.0.123"], vlan=42),
        # Inside the pool, no lease time (Kea's valid-lifetime applies).
        hw("node-2", "02:00:00:00:00:02", "10.77.0.150", gateway="10.77.0.1",
           hostname="node-2"),
        hw("node-3", "02:00:00:00:00:03", "10.77.0.60",
           netmask="255.255.255.128", gateway="10.77.0.126",
           hostname="node-3", lease_time=600, allow_pxe=False),
        hw("node-4", "02:00:00:00:00:04", "10.77.0.61", disable=True),
        # Behind a relay (subnet 10.77.1.0/24).
        hw("node-5", "02:00:00:00:00:05", "10.77.1.50", gateway="10.77.1.1",
           hostname="node-5", lease_time=3600),
        # Its IP changes during the tests.
        hw("node-6", "02:00:00:00:00:06", node6_ip, gateway="10.77.0.1",
           hostname="node-6"),
    ]


def write(path, records):
    doc = {"apiVersion": "v1", "kind": "List", "items": records}
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
    os.replace(tmp, path)


def write_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def bulk(n, first_ip=(10, 77, 16, 1), mac_prefix=(0x0a, 0x00),
         netmask="255.255.0.0"):
    """n records with distinct MACs and IPs (for benchmarks)."""
    out = []
    base = (first_ip[0] << 24) | (first_ip[1] << 16) | (first_ip[2] << 8) | first_ip[3]
    for i in range(n):
        ip = base + i
        ip_s = "%d.%d.%d.%d" % (ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255)
        mac = "%02x:%02x:%02x:%02x:%02x:%02x" % (
            mac_prefix[0], mac_prefix[1], (i >> 24) & 255, (i >> 16) & 255,
            (i >> 8) & 255, i & 255)
        out.append(hw("bulk-%d" % i, mac, ip_s, netmask=netmask,
                      gateway="10.77.0.1", hostname="bulk-%d" % i))
    return out
