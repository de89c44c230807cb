// test_pack.cc - boots_kea::packReply() byte for byte against Kea's
// Pkt4::pack() (kea-hook/boots_pack.h).
//
// Every case builds a reply, packs it with packReply(), copies the bytes,
// packs it again with Kea's own Pkt4::pack() and requires the two byte
// strings to be identical.  The fallback cases (an option longer than 255
// bytes, DHCPv4-over-DHCPv6) require packReply() to return false with the
// output buffer untouched, and Kea's pack() to still work.
//
// Run by `make check-kea-pack` (under valgrind).  Exit status 1 on any
// failure; every difference is printed with both byte strings in hex.

#include "boots_pack.h"

#include <asiolink/io_address.h>
#include <dhcp/dhcp4.h>
#include <dhcp/dhcp6.h>
#include <dhcp/hwaddr.h>
#include <dhcp/libdhcp++.h>
#include <dhcp/option.h>
#include <dhcp/option4_addrlst.h>
#include <dhcp/option_custom.h>
#include <dhcp/option_definition.h>
#include <dhcp/option_int.h>
#include <dhcp/option_space.h>
#include <dhcp/option_string.h>
#include <dhcp/pkt4.h>
#include <dhcp/pkt4o6.h>
#include <dhcp/pkt6.h>
#include <exceptions/exceptions.h>
#include <util/buffer.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <string>
#include <vector>

using isc::asiolink::IOAddress;
using isc::dhcp::HWAddr;
using isc::dhcp::HWAddrPtr;
using isc::dhcp::LibDHCP;
using isc::dhcp::Option;
using isc::dhcp::Option4AddrLst;
using isc::dhcp::OptionBuffer;
using isc::dhcp::OptionDefinitionPtr;
using isc::dhcp::OptionInt;
using isc::dhcp::OptionPtr;
using isc::dhcp::OptionString;
using isc::dhcp::Pkt4;
using isc::dhcp::Pkt4o6;
using isc::dhcp::Pkt4Ptr;
using isc::dhcp::Pkt6;
using isc::dhcp::Pkt6Ptr;

typedef std::vector<uint8_t> Bytes;

namespace {

// ---------------------------------------------------------------------------
// Checks

int g_failures;          // failed checks, all cases
int g_case_failures;     // failed checks in the current case
const char* g_case = ""; // name of the current case

void
failed(int line, const char* what, const std::string& detail) {
    ++g_failures;
    ++g_case_failures;
    fprintf(stderr, "FAIL [%s] test_pack.cc:%d: %s\n", g_case, line, what);
    if (!detail.empty()) {
        fprintf(stderr, "%s", detail.c_str());
    }
}

#define CHECK(cond) \
    do { if (!(cond)) { failed(__LINE__, #cond, std::string()); } } while (0)

#define CHECK_BYTES(got, want, what) \
    do { \
        if ((got) != (want)) { \
            failed(__LINE__, what, diffBytes((got), (want))); \
        } \
    } while (0)

std::string
hex(const Bytes& b) {
    std::string s;
    char tmp[32];
    for (size_t i = 0; i < b.size(); ++i) {
        if (i % 32 == 0) {
            snprintf(tmp, sizeof(tmp), "%s%04zx:", i ? "\n" : "", i);
            s += tmp;
        }
        snprintf(tmp, sizeof(tmp), " %02x", b[i]);
        s += tmp;
    }
    return (s + "\n");
}

/// Where two byte strings differ, then both in full.
std::string
diffBytes(const Bytes& got, const Bytes& want) {
    size_t first = 0;
    while (first < got.size() && first < want.size() &&
           got[first] == want[first]) {
        ++first;
    }
    char head[160];
    snprintf(head, sizeof(head),
             "  first difference at offset %zu (0x%zx); lengths %zu vs %zu\n",
             first, first, got.size(), want.size());
    return (std::string(head) + "  packReply (or got):\n" + hex(got) +
            "  Pkt4::pack (or want):\n" + hex(want));
}

Bytes
bufferBytes(Pkt4& pkt) {
    const isc::util::OutputBuffer& out = pkt.getBuffer();
    const uint8_t* p = static_cast<const uint8_t*>(out.getData());
    return (Bytes(p, p + out.getLength()));
}

// ---------------------------------------------------------------------------
// Option builders, the way Kea builds them

const IOAddress SERVER("10.0.0.1");

/// An option built from its standard definition (OptionCustom, OptionInt,
/// Option4AddrLst... whatever the definition makes), from wire data.
OptionPtr
fromDef(uint16_t code, const Bytes& data) {
    OptionDefinitionPtr def =
        LibDHCP::getOptionDef(DHCP4_OPTION_SPACE, code);
    if (!def) {
        isc_throw(isc::Unexpected, "no standard definition for " << code);
    }
    return (def->optionFactory(Option::V4, code, data));
}

/// The same from configuration-style text values (csv-format).
OptionPtr
fromDefText(uint16_t code, const std::vector<std::string>& values) {
    OptionDefinitionPtr def =
        LibDHCP::getOptionDef(DHCP4_OPTION_SPACE, code);
    if (!def) {
        isc_throw(isc::Unexpected, "no standard definition for " << code);
    }
    return (def->optionFactory(Option::V4, code, values));
}

OptionPtr
raw(uint16_t code, const Bytes& data) {
    return (OptionPtr(new Option(Option::V4, code, data)));
}

OptionPtr
str(uint16_t code, const std::string& s) {
    return (OptionPtr(new OptionString(Option::V4, code, s)));
}

OptionPtr
u32(uint16_t code, uint32_t v) {
    return (OptionPtr(new OptionInt<uint32_t>(Option::V4, code, v)));
}

OptionPtr
addrs(uint8_t code, const std::vector<const char*>& list) {
    Option4AddrLst::AddressContainer c;
    for (const char* a : list) {
        c.push_back(IOAddress(a));
    }
    return (OptionPtr(new Option4AddrLst(code, c)));
}

HWAddrPtr
hw(const Bytes& mac, uint16_t htype) {
    return (HWAddrPtr(new HWAddr(mac, htype)));
}

const Bytes MAC = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/// Relay agent information: circuit-id (1) and remote-id (2) as sub-options.
OptionPtr
relayAgentInfo(bool remote_first) {
    OptionPtr rai(new Option(Option::V4, isc::dhcp::DHO_DHCP_AGENT_OPTIONS));
    OptionPtr circuit = raw(1, { 'e', 't', 'h', '0', '/', '7' });
    OptionPtr remote = raw(2, { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 });
    if (remote_first) {
        rai->addOption(remote);
        rai->addOption(circuit);
    } else {
        rai->addOption(circuit);
        rai->addOption(remote);
    }
    return (rai);
}

/// The fixed fields of a relayed PXE exchange.
void
pxeHeader(Pkt4& r) {
    r.setHWAddr(hw(MAC, isc::dhcp::HTYPE_ETHER));
    r.setHops(1);
    r.setSecs(4);
    r.setFlags(Pkt4::FLAG_BROADCAST_MASK);
    r.setYiaddr(IOAddress("10.1.0.23"));
    r.setSiaddr(SERVER);
    r.setGiaddr(IOAddress("10.1.0.1"));
    const char sname[] = "boots.example.com";
    r.setSname(reinterpret_cast<const uint8_t*>(sname), strlen(sname));
    const char file[] = "http://10.0.0.1/ipxe/snp.efi";
    r.setFile(reinterpret_cast<const uint8_t*>(file), strlen(file));
}

/// A realistic OFFER or ACK for a PXE client; if type_last, option 53 is
/// deleted and inserted again after all the others.
Pkt4Ptr
pxeReply(uint8_t type, bool type_last) {
    Pkt4Ptr r(new Pkt4(type, 0x12345678));
    pxeHeader(*r);
    if (type_last) {
        r->delOption(isc::dhcp::DHO_DHCP_MESSAGE_TYPE);
    }
    // Server identifier and subnet mask from their definitions
    // (OptionCustom), as Kea does for server-id and option-data.
    r->addOption(fromDef(isc::dhcp::DHO_DHCP_SERVER_IDENTIFIER,
                         { 10, 0, 0, 1 }));
    r->addOption(fromDef(isc::dhcp::DHO_SUBNET_MASK, { 255, 255, 255, 0 }));
    r->addOption(addrs(isc::dhcp::DHO_ROUTERS, { "10.1.0.1" }));
    r->addOption(addrs(isc::dhcp::DHO_DOMAIN_NAME_SERVERS,
                       { "10.0.0.53", "10.0.1.53" }));
    r->addOption(str(isc::dhcp::DHO_HOST_NAME, "node-07"));
    r->addOption(fromDefText(isc::dhcp::DHO_DOMAIN_NAME, { "example.com" }));
    r->addOption(u32(isc::dhcp::DHO_DHCP_LEASE_TIME, 3600));
    r->addOption(u32(isc::dhcp::DHO_DHCP_RENEWAL_TIME, 1800));
    r->addOption(fromDefText(isc::dhcp::DHO_DHCP_REBINDING_TIME, { "3150" }));
    r->addOption(str(isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER, "PXEClient"));
    r->addOption(raw(isc::dhcp::DHO_VENDOR_ENCAPSULATED_OPTIONS,
                     { 0x06, 0x01, 0x08, 0xff }));
    r->addOption(str(isc::dhcp::DHO_BOOT_FILE_NAME,
                     "http://10.0.0.1/ipxe/snp.efi"));
    r->addOption(raw(175, { 0x13, 0x01, 0x01, 0x11, 0x01, 0x01,
                            0xb1, 0x05, 0x01, 0x80, 0x86, 0x10, 0x0e }));
    r->addOption(addrs(isc::dhcp::DHO_LOG_SERVERS, { "10.0.0.5" }));
    if (type_last) {
        r->addOption(OptionPtr(new OptionInt<uint8_t>(
            Option::V4, isc::dhcp::DHO_DHCP_MESSAGE_TYPE, type)));
    }
    return (r);
}

// ---------------------------------------------------------------------------
// The two kinds of case

/// packReply() must return true and write exactly what Pkt4::pack() writes;
/// packing again (with the buffer holding the previous bytes) gives the
/// same bytes.
void
expectSame(Pkt4& r) {
    CHECK(boots_kea::canPackReply(r));
    bool ok = false;
    try {
        ok = boots_kea::packReply(r);
    } catch (const std::exception& e) {
        failed(__LINE__, "packReply threw", std::string("  ") + e.what() +
               "\n");
        return;
    }
    CHECK(ok);
    const Bytes mine = bufferBytes(r);

    r.pack();
    const Bytes kea = bufferBytes(r);
    CHECK_BYTES(mine, kea, "packReply() differs from Pkt4::pack()");

    // Again, over a buffer that holds Kea's bytes: cleared first.
    CHECK(boots_kea::packReply(r));
    CHECK_BYTES(bufferBytes(r), mine, "second packReply() differs");
}

/// packReply() must refuse the reply and leave the buffer alone; Kea's
/// pack() must still pack it.  Returns Kea's bytes.
Bytes
expectFallback(Pkt4& r) {
    const Bytes sentinel = { 'u', 'n', 't', 'o', 'u', 'c', 'h', 'e', 'd' };
    r.getBuffer().clear();
    r.getBuffer().writeData(&sentinel[0], sentinel.size());

    CHECK(!boots_kea::canPackReply(r));
    bool ok = true;
    try {
        ok = boots_kea::packReply(r);
    } catch (const std::exception& e) {
        failed(__LINE__, "packReply threw", std::string("  ") + e.what() +
               "\n");
    }
    CHECK(!ok);
    CHECK_BYTES(bufferBytes(r), sentinel, "packReply() touched the buffer");

    Bytes kea;
    try {
        r.pack();
        kea = bufferBytes(r);
    } catch (const std::exception& e) {
        failed(__LINE__, "Pkt4::pack threw", std::string("  ") + e.what() +
               "\n");
    }
    CHECK(kea.size() > Pkt4::DHCPV4_PKT_HDR_LEN + 4);
    return (kea);
}

// ---------------------------------------------------------------------------
// Wire bytes

struct Wire {
    Bytes b;
    void u8(uint8_t v) { b.push_back(v); }
    void u16(uint16_t v) { u8(v >> 8); u8(v & 0xff); }
    void u32(uint32_t v) { u16(v >> 16); u16(v & 0xffff); }
    void addr(const char* a) { u32(IOAddress(a).toUint32()); }
    void data(const Bytes& d) { b.insert(b.end(), d.begin(), d.end()); }
    void text(const std::string& s) { b.insert(b.end(), s.begin(), s.end()); }
    void zeros(size_t n) { b.insert(b.end(), n, 0); }
    void opt(uint8_t code, const Bytes& d) {
        u8(code);
        u8(static_cast<uint8_t>(d.size()));
        data(d);
    }
    void optText(uint8_t code, const std::string& s) {
        opt(code, Bytes(s.begin(), s.end()));
    }
    /// The BOOTP header and the cookie.
    void header(uint8_t op, const char* ciaddr, const char* yiaddr,
                const char* siaddr, const char* giaddr,
                const std::string& sname, const std::string& file) {
        u8(op);
        u8(1);                  // htype Ethernet
        u8(6);                  // hlen
        u8(1);                  // hops
        u32(0xcafe0042);        // xid
        u16(3);                 // secs
        u16(0x8000);            // flags
        addr(ciaddr);
        addr(yiaddr);
        addr(siaddr);
        addr(giaddr);
        data(MAC);
        zeros(16 - MAC.size());
        text(sname);
        zeros(64 - sname.size());
        text(file);
        zeros(128 - file.size());
        u32(0x63825363);        // magic cookie
    }
};

const Bytes RAI_WIRE = {
    1, 6, 'e', 't', 'h', '0', '/', '7',
    2, 6, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55
};

/// A relayed PXE DISCOVER from a UEFI x64 iPXE client.
Bytes
discoverWire() {
    Wire w;
    w.header(isc::dhcp::BOOTREQUEST, "0.0.0.0", "0.0.0.0", "0.0.0.0",
             "10.1.0.1", "", "");
    w.opt(53, { isc::dhcp::DHCPDISCOVER });
    w.opt(61, { 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 });
    w.opt(55, { 1, 3, 6, 12, 15, 28, 42, 43, 60, 66, 67, 119, 175 });
    w.opt(57, { 0x05, 0xc0 });
    w.optText(60, "PXEClient:Arch:00007:UNDI:003016");
    w.opt(93, { 0x00, 0x07 });
    w.opt(94, { 0x01, 0x03, 0x10 });
    w.opt(97, { 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                0x0f, 0xed, 0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21 });
    w.optText(77, "iPXE");
    w.opt(175, { 0x13, 0x01, 0x01, 0x11, 0x01, 0x01 });
    w.opt(82, RAI_WIRE);
    w.u8(255);
    w.zeros(7);                 // padding after END, as clients send
    return (w.b);
}

/// An ACK as another server would send it, to be parsed and repacked.
Bytes
ackWire() {
    Wire w;
    w.header(isc::dhcp::BOOTREPLY, "0.0.0.0", "10.1.0.23", "10.0.0.1",
             "10.1.0.1", "boots", "http://10.0.0.1/ipxe/snp.efi");
    w.opt(53, { isc::dhcp::DHCPACK });
    // In Kea's order: 53 first, then by code, 82 last.
    w.opt(1, { 255, 255, 255, 0 });
    w.opt(3, { 10, 1, 0, 1 });
    w.opt(6, { 10, 0, 0, 53, 10, 0, 1, 53 });
    w.optText(12, "node-07");
    w.optText(15, "example.com");
    w.opt(43, { 0x06, 0x01, 0x08, 0xff });
    w.opt(51, { 0x00, 0x00, 0x0e, 0x10 });
    w.opt(54, { 10, 0, 0, 1 });
    w.optText(60, "PXEClient");
    w.optText(67, "http://10.0.0.1/ipxe/snp.efi");
    w.opt(82, RAI_WIRE);
    w.u8(255);
    return (w.b);
}

Pkt4Ptr
parse(const Bytes& wire) {
    Pkt4Ptr p(new Pkt4(&wire[0], wire.size()));
    p->unpack();
    return (p);
}

// ---------------------------------------------------------------------------
// Cases

struct Case {
    const char* name;
    std::function<void()> run;
};

/// Build a reply and expect packReply() == Pkt4::pack().
Case
same(const char* name, std::function<Pkt4Ptr()> build) {
    return (Case{ name, [build]() { Pkt4Ptr r = build(); expectSame(*r); } });
}

/// Build a reply and expect the fallback.
Case
fallback(const char* name, std::function<Pkt4Ptr()> build) {
    return (Case{ name, [build]() { Pkt4Ptr r = build(); expectFallback(*r); } });
}

/// A small reply with one extra option.
Pkt4Ptr
withOption(OptionPtr opt) {
    Pkt4Ptr r(new Pkt4(isc::dhcp::DHCPOFFER, 0x1001));
    pxeHeader(*r);
    r->addOption(fromDef(isc::dhcp::DHO_DHCP_SERVER_IDENTIFIER,
                         { 10, 0, 0, 1 }));
    r->addOption(opt);
    return (r);
}

/// An option with sub-options of the given data sizes.
OptionPtr
withSubOptions(uint16_t code, const std::vector<size_t>& sizes) {
    OptionPtr o(new Option(Option::V4, code));
    uint16_t sub = 1;
    for (size_t n : sizes) {
        o->addOption(raw(sub, Bytes(n, static_cast<uint8_t>(0xa0 + sub))));
        ++sub;
    }
    return (o);
}

/// A reply for a client with this hardware address.
Pkt4Ptr
withHW(const Bytes& mac, uint16_t htype) {
    Pkt4Ptr r = pxeReply(isc::dhcp::DHCPOFFER, false);
    r->setHWAddr(hw(mac, htype));
    return (r);
}

Bytes
seq(size_t n) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) {
        b[i] = static_cast<uint8_t>(0x30 + i % 64);
    }
    return (b);
}

std::vector<Case>
cases() {
    using namespace isc::dhcp;
    std::vector<Case> c;

    // 1. Realistic PXE replies.
    c.push_back(same("PXE OFFER", []() {
        return (pxeReply(DHCPOFFER, false)); }));
    c.push_back(same("PXE ACK", []() {
        return (pxeReply(DHCPACK, false)); }));
    c.push_back(same("PXE ACK, ciaddr set (renewal)", []() {
        Pkt4Ptr r = pxeReply(DHCPACK, false);
        r->setCiaddr(IOAddress("10.1.0.23"));
        r->setFlags(0);
        return (r); }));
    c.push_back(same("PXE OFFER, sname and file full length", []() {
        Pkt4Ptr r = pxeReply(DHCPOFFER, false);
        const Bytes sname(Pkt4::MAX_SNAME_LEN, 's');
        const Bytes file(Pkt4::MAX_FILE_LEN, 'f');
        r->setSname(&sname[0], sname.size());
        r->setFile(&file[0], file.size());
        return (r); }));
    c.push_back(same("option 43 with sub-options", []() {
        OptionPtr o(new Option(Option::V4, DHO_VENDOR_ENCAPSULATED_OPTIONS));
        o->addOption(raw(6, { 0x08 }));
        o->addOption(raw(9, { 0x80, 0x00, 0x01, 0x02 }));
        return (withOption(o)); }));

    // 2. Relay agent information: last; message type first.
    c.push_back(same("OFFER + option 82", []() {
        Pkt4Ptr r = pxeReply(DHCPOFFER, false);
        r->addOption(relayAgentInfo(false));
        return (r); }));
    c.push_back(same("ACK + option 82, 53 inserted last", []() {
        Pkt4Ptr r = pxeReply(DHCPACK, true);
        r->addOption(relayAgentInfo(false));
        return (r); }));
    c.push_back(same("option 82 first in, sub-option 2 added before 1", []() {
        Pkt4Ptr r(new Pkt4(DHCPOFFER, 7));
        pxeHeader(*r);
        r->delOption(DHO_DHCP_MESSAGE_TYPE);
        r->addOption(relayAgentInfo(true));
        r->addOption(u32(DHO_DHCP_LEASE_TIME, 600));
        r->addOption(raw(DHO_DHCP_MESSAGE_TYPE, { DHCPOFFER }));
        r->addOption(raw(254, { 1, 2, 3 }));   // after 82 numerically
        return (r); }));
    c.push_back(same("option 82 from its definition (OptionCustom)", []() {
        Pkt4Ptr r = pxeReply(DHCPACK, false);
        r->addOption(fromDef(DHO_DHCP_AGENT_OPTIONS, RAI_WIRE));
        return (r); }));

    // 3. Parsed from wire bytes.
    c.push_back(same("request options copied into an OFFER", []() {
        Pkt4Ptr req = parse(discoverWire());
        Pkt4Ptr r(new Pkt4(DHCPOFFER, req->getTransid()));
        r->setHWAddr(req->getHWAddr());
        r->setHops(req->getHops());
        r->setGiaddr(req->getGiaddr());
        r->setFlags(req->getFlags());
        r->setYiaddr(IOAddress("10.1.0.23"));
        for (auto const& o : req->options_) {
            if (o.first != DHO_DHCP_MESSAGE_TYPE) {
                r->addOption(o.second);
            }
        }
        r->addOption(fromDef(DHO_DHCP_SERVER_IDENTIFIER, { 10, 0, 0, 1 }));
        return (r); }));
    c.push_back(same("OFFER echoing the request's 82 and 61", []() {
        Pkt4Ptr req = parse(discoverWire());
        Pkt4Ptr r = pxeReply(DHCPOFFER, false);
        r->setTransid(req->getTransid());
        r->setHWAddr(req->getHWAddr());
        r->addOption(req->getOption(DHO_DHCP_AGENT_OPTIONS));
        r->addOption(req->getOption(DHO_DHCP_CLIENT_IDENTIFIER));
        return (r); }));
    c.push_back(same("ACK parsed from wire and repacked", []() {
        return (parse(ackWire())); }));
    c.push_back(same("DISCOVER parsed from wire and repacked", []() {
        return (parse(discoverWire())); }));
    c.push_back(same("ACK from wire: repack equals the wire bytes", []() {
        Pkt4Ptr r = parse(ackWire());
        // The sanity of the comparison itself: Kea's packing of a packet
        // it parsed gives the packet back (options here are in order).
        r->pack();
        const Bytes wire = ackWire();
        Bytes packed = bufferBytes(*r);
        CHECK_BYTES(packed, wire, "Pkt4::pack() of a parsed ACK");
        return (r); }));

    // 4. Hardware addresses.
    c.push_back(same("hlen 0", []() {
        return (withHW(Bytes(), HTYPE_ETHER)); }));
    c.push_back(same("hlen 6", []() {
        return (withHW(MAC, HTYPE_ETHER)); }));
    c.push_back(same("hlen 16, htype 6 (IEEE 802)", []() {
        return (withHW(seq(16), HTYPE_IEEE802)); }));
    c.push_back(same("hlen 20, htype 32 (InfiniBand)", []() {
        return (withHW(seq(20), 32)); }));
    c.push_back(same("hlen 20 from the wire, echoed in the OFFER", []() {
        // Kea's unpack() keeps hlen bytes (up to 20): chaddr and 4 zeros.
        Bytes wire = discoverWire();
        wire[1] = 32;
        wire[2] = 20;
        for (size_t i = 0; i < Pkt4::MAX_CHADDR_LEN; ++i) {
            wire[28 + i] = static_cast<uint8_t>(0x10 + i);
        }
        Pkt4Ptr req = parse(wire);
        CHECK(req->getHWAddr()->hwaddr_.size() == 20);
        Pkt4Ptr r = pxeReply(DHCPOFFER, false);
        r->setHWAddr(req->getHWAddr());
        return (r); }));
    c.push_back(same("hlen 8, htype 0", []() {
        return (withHW(seq(8), 0)); }));
    c.push_back(same("htype 0x0106 (wider than the field)", []() {
        return (withHW(MAC, 0x0106)); }));

    // 5. NAK.
    c.push_back(same("NAK: 53, 54, 56", []() {
        Pkt4Ptr r(new Pkt4(DHCPNAK, 0xdeadbeef));
        r->setHWAddr(hw(MAC, HTYPE_ETHER));
        r->setGiaddr(IOAddress("10.1.0.1"));
        r->setHops(1);
        r->setFlags(Pkt4::FLAG_BROADCAST_MASK);
        r->addOption(fromDef(DHO_DHCP_SERVER_IDENTIFIER, { 10, 0, 0, 1 }));
        r->addOption(str(DHO_DHCP_MESSAGE, "address not available"));
        return (r); }));

    // Limits.  Kea's Option::packHeader() refuses an option whose len(),
    // the 2-byte header included, exceeds 255, and Pkt4::pack() splits
    // (RFC 3396) every option longer than that: 253 data bytes is the
    // most that is packed in one piece.
    c.push_back(same("option with 253 data bytes", []() {
        return (withOption(raw(224, seq(253)))); }));
    c.push_back(same("option with sub-options totalling 253 bytes", []() {
        return (withOption(withSubOptions(225, { 100, 100, 47 }))); }));

    // 6. Fallback: RFC 3396 splitting.
    c.push_back(fallback("option with 254 data bytes (Kea splits it)", []() {
        return (withOption(raw(224, seq(254)))); }));
    c.push_back(fallback("option with 255 data bytes (Kea splits it)", []() {
        return (withOption(raw(224, seq(255)))); }));
    c.push_back(fallback("sub-options totalling 254 bytes", []() {
        return (withOption(withSubOptions(225, { 100, 100, 48 }))); }));
    c.push_back(fallback("option with 256 data bytes", []() {
        return (withOption(raw(224, seq(256)))); }));
    c.push_back(Case{ "option with 300 data bytes", []() {
        Pkt4Ptr r = withOption(raw(224, seq(300)));
        Bytes kea = expectFallback(*r);
        // Kea splits it in two (255 + 45) and restores the original.
        CHECK(kea.size() == Pkt4::DHCPV4_PKT_HDR_LEN + 4 + 3 + 6 +
              (2 + 255) + (2 + 45) + 1);
        CHECK(r->getOption(224) && r->getOption(224)->len() == 2 + 300); } });
    c.push_back(fallback("sub-options push the option over 255", []() {
        return (withOption(withSubOptions(225, { 100, 100, 100 }))); }));
    c.push_back(fallback("option 82 over 255 with its sub-options", []() {
        Pkt4Ptr r = pxeReply(DHCPACK, false);
        OptionPtr rai = relayAgentInfo(false);
        rai->addOption(raw(9, seq(250)));
        r->addOption(rai);
        return (r); }));

    // 7. Fallback: DHCPv4-over-DHCPv6.
    c.push_back(Case{ "Pkt4o6", []() {
        Pkt4Ptr r4 = pxeReply(DHCPACK, false);
        Pkt6Ptr r6(new Pkt6(DHCPV6_DHCPV4_RESPONSE, 0x4242));
        Pkt4o6 r(r4, r6);
        CHECK(r.isDhcp4o6());
        expectFallback(r); } });

    // 8. Packing twice; over a buffer holding something else.
    c.push_back(Case{ "packReply twice, and over old bytes", []() {
        Pkt4Ptr r = pxeReply(DHCPACK, false);
        r->addOption(relayAgentInfo(false));
        CHECK(boots_kea::packReply(*r));
        const Bytes first = bufferBytes(*r);
        CHECK(boots_kea::packReply(*r));
        CHECK_BYTES(bufferBytes(*r), first, "second packReply()");
        r->getBuffer().clear();
        const Bytes junk(700, 0xee);
        r->getBuffer().writeData(&junk[0], junk.size());
        CHECK(boots_kea::packReply(*r));
        CHECK_BYTES(bufferBytes(*r), first, "packReply() over 700 old bytes");
        r->pack();
        CHECK_BYTES(bufferBytes(*r), first, "Pkt4::pack() after packReply()");
        r->pack();
        CHECK(boots_kea::packReply(*r));
        CHECK_BYTES(bufferBytes(*r), first, "packReply() after 2x pack()"); } });

    return (c);
}

} // namespace

int
main() {
    int passed = 0;
    int failed_cases = 0;
    std::vector<Case> all;
    try {
        all = cases();
    } catch (const std::exception& e) {
        fprintf(stderr, "test_pack: building the cases threw: %s\n", e.what());
        return (1);
    }
    for (const Case& c : all) {
        g_case = c.name;
        g_case_failures = 0;
        try {
            c.run();
        } catch (const std::exception& e) {
            failed(__LINE__, "exception", std::string("  ") + e.what() + "\n");
        }
        if (g_case_failures == 0) {
            ++passed;
        } else {
            ++failed_cases;
        }
    }
    if (g_failures) {
        fprintf(stderr, "test_pack: %d of %zu cases FAILED (%d checks)\n",
                failed_cases, all.size(), g_failures);
        return (1);
    }
    printf("test_pack: %d cases passed\n", passed);
    return (0);
}
