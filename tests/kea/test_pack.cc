// test_pack.cc - the hook's own wire code against Kea's
// (kea-hook/boots_pack.h): boots_kea::packReply() byte for byte against
// Pkt4::pack(), and boots_kea::unpackQuery() field by field against
// Pkt4::unpack().
//
// Packing: every case builds a reply, packs it with packReply(), copies
// the bytes, packs it again with Kea's own Pkt4::pack() and requires the
// two byte strings to be identical.  The fallback cases (an option longer
// than 255 bytes, DHCPv4-over-DHCPv6) require packReply() to return false
// with the output buffer untouched, and Kea's pack() to still work.
//
// Unpacking: every case makes two packets from the same bytes, runs
// unpackQuery() on one and Kea's Pkt4::unpack() on the other.  When
// unpackQuery() takes the packet, Kea must have parsed it too and the two
// must agree in every header field, the deferred option list and every
// option (code, order, C++ type, packed bytes, toText(), sub-options,
// recursively).  When it leaves the packet to Kea, the packet must be
// exactly as constructed.  Some cases also say which way it must go.
//
// Random: a fixed-seed PRNG (splitmix64) makes queries (BOOTP header,
// cookie, a mix of known, deferred and unknown options, mostly well
// formed, sometimes truncated, repeated or garbage) for unpackQuery(), and
// replies (options parsed by Kea from random option bytes, plus 53) for
// packReply(), checked as above.
//
//   test_pack [UNPACK_COUNT [PACK_COUNT [SEED]]]
//
// Run by `make check-kea-pack` (under valgrind, default counts).  Exit
// status 1 on any failure; every difference is printed with the bytes in
// hex (the first 40 failures in full).

#include "boots_pack.h"

#include <asiolink/io_address.h>
#include <dhcp/dhcp4.h>
#include <dhcp/dhcp6.h>
#include <dhcp/hwaddr.h>
#include <dhcp/libdhcp++.h>
#include <dhcp/option.h>
#include <dhcp/option4_addrlst.h>
#include <dhcp/option4_client_fqdn.h>
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

#include <cxxabi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <functional>
#include <iterator>
#include <list>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

using isc::asiolink::IOAddress;
using isc::dhcp::HWAddr;
using isc::dhcp::HWAddrPtr;
using isc::dhcp::LibDHCP;
using isc::dhcp::Option;
using isc::dhcp::Option4AddrLst;
using isc::dhcp::OptionBuffer;
using isc::dhcp::OptionCollection;
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
    if (g_failures > 40) {
        return;                 // counted; main() prints the total
    }
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

/// The standard DHCPv4 definition of option code (or an exception).
OptionDefinitionPtr
standardDef(uint16_t code) {
    OptionDefinitionPtr def =
        LibDHCP::getOptionDef(DHCP4_OPTION_SPACE, code);
    if (!def) {
        isc_throw(isc::Unexpected, "no standard definition for " << code);
    }
    return (def);
}

/// An option built from its standard definition (OptionCustom, OptionInt,
/// Option4AddrLst... whatever the definition makes), from wire data.
OptionPtr
fromDef(uint16_t code, const Bytes& data) {
    return (standardDef(code)->optionFactory(Option::V4, code, data));
}

/// The same from configuration-style text values (csv-format).
OptionPtr
fromDefText(uint16_t code, const std::vector<std::string>& values) {
    return (standardDef(code)->optionFactory(Option::V4, code, values));
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

/// The option Kea's parser makes of these wire bytes.
OptionPtr
parsedOption(uint8_t code, const Bytes& data) {
    Wire w;
    w.opt(code, data);
    OptionCollection opts;
    std::list<uint16_t> deferred;
    LibDHCP::unpackOptions4(w.b, DHCP4_OPTION_SPACE, opts, deferred, false);
    if (opts.size() != 1) {
        isc_throw(isc::Unexpected, "parsed " << opts.size() << " options");
    }
    return (opts.begin()->second);
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

    // An option Kea parsed from more bytes than its definition's fields:
    // OptionCustom packs the fields (subnet mask: 4 bytes), but keeps all
    // the bytes in Option::getData(), and Pkt4::pack()'s splitOptions4()
    // splits and sends getData() when it is over 253 bytes.  packReply()
    // leaves those to Kea.
    c.push_back(same("option 1 parsed from 253 bytes (OptionCustom)", []() {
        return (withOption(parsedOption(DHO_SUBNET_MASK, seq(253)))); }));
    c.push_back(fallback("option 1 parsed from 254 bytes (OptionCustom)",
                         []() {
        return (withOption(parsedOption(DHO_SUBNET_MASK, seq(254)))); }));
    c.push_back(fallback("echoed 82 of 254 bytes, last sub-option truncated",
                         []() {
        // What a relay can send: Kea parses the sub-options it can (len()
        // 18) and keeps all 254 bytes in getData(); Kea echoes 82.
        Bytes rai = RAI_WIRE;
        rai.push_back(9);
        rai.push_back(250);
        const Bytes rest = seq(254 - rai.size());
        rai.insert(rai.end(), rest.begin(), rest.end());
        Pkt4Ptr r = pxeReply(DHCPOFFER, false);
        r->addOption(parsedOption(DHO_DHCP_AGENT_OPTIONS, rai));
        return (r); }));

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


// ---------------------------------------------------------------------------
// The query unpacker: unpackQuery() against Pkt4::unpack()

/// How a packet, an option or a field reads in a failure message.
std::string
hexLine(const Bytes& b) {
    std::string s;
    char tmp[4];
    for (uint8_t c : b) {
        snprintf(tmp, sizeof(tmp), "%02x", c);
        s += tmp;
    }
    return (s);
}

std::string
demangled(const std::type_info& t) {
    int status = 0;
    char* d = abi::__cxa_demangle(t.name(), nullptr, nullptr, &status);
    std::string s = (status == 0 && d) ? d : t.name();
    free(d);
    return (s);
}

std::string
typeName(const Option& o) {
    return (demangled(typeid(o)));
}

/// Option::pack() with and without checks: the bytes, or what it threw.
std::string
packed(const Option& o) {
    std::string s;
    for (bool check : { true, false }) {
        try {
            isc::util::OutputBuffer buf(0);
            o.pack(buf, check);
            const uint8_t* p = static_cast<const uint8_t*>(buf.getData());
            s += hexLine(Bytes(p, p + buf.getLength()));
        } catch (const std::exception& e) {
            s += std::string("threw: ") + e.what();
        }
        s += check ? " / unchecked: " : "";
    }
    return (s);
}

std::string
text(const Option& o) {
    // Kea 2.2's Option4ClientFqdn parsed from the wire without a domain
    // name leaves its domain name type uninitialised, and toText() prints
    // it ("full" or "partial" at random; valgrind: a conditional jump on
    // an uninitialised value).  Everything else toText() says, then.
    const isc::dhcp::Option4ClientFqdn* fqdn =
        dynamic_cast<const isc::dhcp::Option4ClientFqdn*>(&o);
    if (fqdn && fqdn->getDomainName().empty()) {
        using isc::dhcp::Option4ClientFqdn;
        std::ostringstream s;
        s << "type=" << o.getType() << " FQDN without domain name, flags N="
          << fqdn->getFlag(Option4ClientFqdn::FLAG_N) << " E="
          << fqdn->getFlag(Option4ClientFqdn::FLAG_E) << " O="
          << fqdn->getFlag(Option4ClientFqdn::FLAG_O) << " S="
          << fqdn->getFlag(Option4ClientFqdn::FLAG_S) << " rcode "
          << unsigned(fqdn->getRcode().first.getCode()) << " "
          << unsigned(fqdn->getRcode().second.getCode());
        return (s.str());
    }
    try {
        return (o.toText());
    } catch (const std::exception& e) {
        return (std::string("threw: ") + e.what());
    }
}

std::string
codes(const OptionCollection& opts) {
    std::ostringstream s;
    for (auto const& o : opts) {
        s << " " << o.first;
    }
    return (s.str());
}

/// Two option collections, recursively: the first difference, or "".
std::string
diffOptions(const OptionCollection& x, const OptionCollection& y,
            const std::string& where) {
    std::ostringstream d;
    if (x.size() != y.size()) {
        d << "  " << where << ": " << x.size() << " options vs " << y.size()
          << ":" << codes(x) << " vs" << codes(y) << "\n";
        return (d.str());
    }
    auto i = x.begin();
    auto j = y.begin();
    for (; i != x.end(); ++i, ++j) {
        std::ostringstream at;
        at << where << " #" << std::distance(x.begin(), i) << " (code "
           << i->first << ")";
        if (i->first != j->first) {
            d << "  " << at.str() << ": code " << i->first << " vs "
              << j->first << ":" << codes(x) << " vs" << codes(y) << "\n";
            return (d.str());
        }
        if (!i->second || !j->second) {
            if (!i->second != !j->second) {
                d << "  " << at.str() << ": null vs not null\n";
                return (d.str());
            }
            continue;
        }
        const Option& a = *i->second;
        const Option& b = *j->second;
        if (typeid(a) != typeid(b)) {
            d << "  " << at.str() << ": type " << typeName(a) << " vs "
              << typeName(b) << "\n";
        }
        if (a.getType() != b.getType() ||
            a.getUniverse() != b.getUniverse()) {
            d << "  " << at.str() << ": getType " << a.getType() << " vs "
              << b.getType() << "\n";
        }
        const std::string pa = packed(a);
        const std::string pb = packed(b);
        if (pa != pb) {
            d << "  " << at.str() << ": packed\n    " << pa << "\n  vs\n    "
              << pb << "\n";
        }
        const std::string ta = text(a);
        const std::string tb = text(b);
        if (ta != tb) {
            d << "  " << at.str() << ": toText\n    " << ta << "\n  vs\n    "
              << tb << "\n";
        }
        d << diffOptions(a.getOptions(), b.getOptions(),
                         at.str() + " sub-options");
        if (!d.str().empty()) {
            return (d.str());
        }
    }
    return (d.str());
}

std::string
hwText(const Pkt4& p) {
    const HWAddrPtr& hw = p.getHWAddr();
    if (!hw) {
        return ("null");
    }
    std::ostringstream s;
    s << "htype " << hw->htype_ << " [" << hw->hwaddr_.size() << "] "
      << hexLine(hw->hwaddr_);
    try {
        s << " getHtype " << unsigned(p.getHtype()) << " getHlen "
          << unsigned(p.getHlen());
    } catch (const std::exception& e) {
        s << " getHtype/getHlen threw " << e.what();
    }
    return (s.str());
}

std::string
deferredText(Pkt4& p) {
    std::ostringstream s;
    s << "[";
    for (uint16_t c : p.getDeferredOptions()) {
        s << " " << c;
    }
    s << " ]";
    return (s.str());
}

/// Everything observable of two packets: the differences, or "".
std::string
diffPackets(Pkt4& a, Pkt4& b) {
    std::ostringstream d;
    auto field = [&d](const char* name, const std::string& x,
                      const std::string& y) {
        if (x != y) {
            d << "  " << name << ": " << x << " vs " << y << "\n";
        }
    };
    auto num = [](unsigned long v) { return (std::to_string(v)); };
    field("op", num(a.getOp()), num(b.getOp()));
    field("hwaddr", hwText(a), hwText(b));
    field("hops", num(a.getHops()), num(b.getHops()));
    field("transid", num(a.getTransid()), num(b.getTransid()));
    field("secs", num(a.getSecs()), num(b.getSecs()));
    field("flags", num(a.getFlags()), num(b.getFlags()));
    field("ciaddr", a.getCiaddr().toText(), b.getCiaddr().toText());
    field("yiaddr", a.getYiaddr().toText(), b.getYiaddr().toText());
    field("siaddr", a.getSiaddr().toText(), b.getSiaddr().toText());
    field("giaddr", a.getGiaddr().toText(), b.getGiaddr().toText());
    auto bytes = [&field](const char* name, const Bytes& x, const Bytes& y) {
        if (x != y) {
            field(name, hexLine(x), hexLine(y));
        }
    };
    bytes("sname", a.getSname(), b.getSname());
    bytes("file", a.getFile(), b.getFile());
    if (a.getDeferredOptions() != b.getDeferredOptions()) {
        field("deferred options", deferredText(a), deferredText(b));
    }
    bytes("data_", a.data_, b.data_);
    d << diffOptions(a.options_, b.options_, "option");
    return (d.str());
}

enum Expect { TAKEN, LEFT, EITHER };

struct UnpackStats {
    unsigned long packets = 0;
    unsigned long taken = 0;          // unpackQuery() returned true
    unsigned long left_kea_ok = 0;    // false, Kea's unpack() parsed it
    unsigned long left_kea_threw = 0; // false, Kea's unpack() threw
};

/// unpackQuery() on one packet, Pkt4::unpack() on another, from the same
/// bytes: see the top of the file.  Returns what unpackQuery() returned.
bool
checkUnpack(Pkt4& a, Pkt4& b, Pkt4& fresh, const Bytes& wire, Expect expect,
            UnpackStats& stats, std::string* kea_said = nullptr) {
    // Formatted only for a failure.
    auto packet = [&wire]() {
        return ("  packet (" + std::to_string(wire.size()) + " bytes):\n" +
                hex(wire));
    };
    ++stats.packets;
    bool mine = false;
    try {
        mine = boots_kea::unpackQuery(a);
    } catch (const std::exception& e) {
        failed(__LINE__, "unpackQuery() threw",
               std::string("  ") + e.what() + "\n" + packet());
        return (false);
    }
    std::string kea_error;
    try {
        b.unpack();
    } catch (const std::exception& e) {
        kea_error = demangled(typeid(e)) + ": " + e.what();
        if (kea_error.empty()) {
            kea_error = "(empty message)";
        }
    }
    if (kea_said) {
        *kea_said = kea_error.empty() ? "parsed" : "threw " + kea_error;
    }
    if (mine) {
        ++stats.taken;
        if (!kea_error.empty()) {
            failed(__LINE__, "unpackQuery() took a packet Pkt4::unpack() "
                   "rejects", "  Kea: " + kea_error + "\n" + packet());
        } else {
            const std::string diff = diffPackets(a, b);
            if (!diff.empty()) {
                failed(__LINE__, "unpackQuery() differs from Pkt4::unpack() "
                       "(unpackQuery vs Kea)", diff + packet());
            }
        }
    } else {
        if (kea_error.empty()) {
            ++stats.left_kea_ok;
        } else {
            ++stats.left_kea_threw;
        }
        const std::string diff = diffPackets(a, fresh);
        if (!diff.empty()) {
            failed(__LINE__, "unpackQuery() returned false but changed the "
                   "packet (it vs a fresh one)", diff + packet());
        }
    }
    if (expect == TAKEN && !mine) {
        failed(__LINE__, "unpackQuery() left to Kea a packet it should take",
               "  Kea: " + (kea_error.empty() ? "parsed" : kea_error) +
               "\n" + packet());
    }
    if (expect == LEFT && mine) {
        failed(__LINE__, "unpackQuery() took a packet it should leave to Kea",
               packet());
    }
    return (mine);
}

bool
checkUnpack(const Bytes& wire, Expect expect, UnpackStats& stats,
            std::string* kea_said = nullptr) {
    Pkt4 a(&wire[0], wire.size());
    Pkt4 b(&wire[0], wire.size());
    Pkt4 fresh(&wire[0], wire.size());
    return (checkUnpack(a, b, fresh, wire, expect, stats, kea_said));
}

// ---------------------------------------------------------------------------
// Structured unpack cases

/// A BOOTREQUEST: header (Ethernet, hlen 6, hops 1), cookie, then the
/// options the function writes (END included or not, as it likes).
Bytes
query(const std::function<void(Wire&)>& options) {
    Wire w;
    w.header(isc::dhcp::BOOTREQUEST, "0.0.0.0", "0.0.0.0", "0.0.0.0",
             "0.0.0.0", "", "");
    options(w);
    return (w.b);
}

/// The same with 53 DISCOVER first and END last.
Bytes
discoverWith(const std::function<void(Wire&)>& options) {
    return (query([&options](Wire& w) {
        w.opt(53, { isc::dhcp::DHCPDISCOVER });
        options(w);
        w.u8(255);
    }));
}

/// A PXE DISCOVER straight from UEFI firmware or iPXE, not relayed.
Bytes
pxeDiscover() {
    return (discoverWith([](Wire& w) {
        w.opt(55, { 1, 2, 3, 4, 5, 6, 12, 13, 15, 17, 18, 22, 23, 28, 40,
                    41, 42, 43, 50, 51, 54, 58, 59, 60, 66, 67, 97, 128,
                    129, 130, 131, 132, 133, 134, 135, 175, 203 });
        w.opt(57, { 0x05, 0xc0 });
        w.optText(60, "PXEClient:Arch:00007:UNDI:003016");
        w.opt(93, { 0x00, 0x07 });
        w.opt(94, { 0x01, 0x03, 0x10 });
        w.opt(97, { 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                    0x0f, 0xed, 0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21 });
        w.optText(77, "iPXE");
    }));
}

const Bytes FQDN_WIRE = {
    4, 'n', 'o', 'd', 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
    3, 'c', 'o', 'm', 0
};

Bytes
request(const Bytes& fqdn_option) {
    return (query([&fqdn_option](Wire& w) {
        w.opt(53, { isc::dhcp::DHCPREQUEST });
        w.opt(50, { 10, 1, 0, 23 });
        w.opt(54, { 10, 0, 0, 1 });
        w.opt(61, { 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 });
        w.optText(12, "node-07");
        w.opt(81, fqdn_option);
        w.opt(55, { 1, 3, 6, 12, 15, 43, 60, 66, 67 });
        w.u8(255);
    }));
}

Bytes
withHeader(Bytes wire, size_t offset, const Bytes& bytes) {
    if (offset + bytes.size() > wire.size()) {
        isc_throw(isc::OutOfRange, "withHeader past the end");
    }
    for (size_t i = 0; i < bytes.size(); ++i) {
        wire[offset + i] = bytes[i];
    }
    return (wire);
}

struct UnpackCase {
    std::string name;
    Expect expect;
    std::function<Bytes()> wire;
};

std::vector<UnpackCase>
unpackCases() {
    using namespace isc::dhcp;
    std::vector<UnpackCase> c;
    const Bytes rai = RAI_WIRE;

    // Realistic queries.
    c.push_back({ "PXE DISCOVER (53 55 57 60 93 94 97 77)", TAKEN,
                  pxeDiscover });
    c.push_back({ "relayed PXE DISCOVER, 61 175 82, padding after END",
                  TAKEN, discoverWire });
    c.push_back({ "REQUEST 50 54 61 12 81 (FQDN, wire format)", TAKEN, []() {
        Bytes f = { 0x05, 0, 0 };
        f.insert(f.end(), FQDN_WIRE.begin(), FQDN_WIRE.end());
        return (request(f)); } });
    c.push_back({ "REQUEST 81 (FQDN, ASCII, partial)", TAKEN, []() {
        Bytes f = { 0x01, 0, 0, 'n', 'o', 'd', 'e' };
        return (request(f)); } });
    c.push_back({ "REQUEST 81 (FQDN flags only)", EITHER, []() {
        return (request({ 0x00, 0, 0 })); } });
    c.push_back({ "relayed: giaddr, hops 3, 82 with sub-options 1 and 2",
                  TAKEN, [rai]() {
        Bytes w = discoverWith([&rai](Wire& o) { o.opt(82, rai); });
        w[3] = 3;
        return (withHeader(w, 24, { 10, 1, 0, 1 })); } });
    c.push_back({ "82 with sub-options 1, 2, 5, 151", TAKEN, []() {
        return (discoverWith([](Wire& o) {
            o.opt(82, { 1, 2, 0, 7, 2, 3, 'a', 'b', 'c', 5, 4, 10, 1, 0, 0,
                        151, 1, 0 }); })); } });
    c.push_back({ "82 with a truncated sub-option", EITHER, []() {
        return (discoverWith([](Wire& o) {
            o.opt(82, { 1, 2, 0, 7, 2, 9, 'a', 'b' }); })); } });
    c.push_back({ "43 without 60 (deferred)", TAKEN, []() {
        return (discoverWith([](Wire& o) {
            o.opt(43, { 6, 1, 8, 255 }); })); } });
    c.push_back({ "43 with 60 PXEClient (deferred)", TAKEN, []() {
        return (discoverWith([](Wire& o) {
            o.opt(43, { 6, 1, 8, 9, 4, 0x80, 0, 0, 1, 255 });
            o.optText(60, "PXEClient"); })); } });
    c.push_back({ "43 holding repeated sub-option codes (raw, deferred)",
                  EITHER, []() {
        return (discoverWith([](Wire& o) {
            o.opt(43, { 6, 1, 8, 6, 1, 8 }); })); } });
    c.push_back({ "options 224 to 254 (deferred)", TAKEN, []() {
        return (discoverWith([](Wire& o) {
            for (int code = 224; code <= 254; ++code) {
                o.opt(static_cast<uint8_t>(code),
                      Bytes(code % 7, static_cast<uint8_t>(code)));
            } })); } });
    c.push_back({ "125 vendor-specific information with sub-options", EITHER,
                  []() {
        return (discoverWith([](Wire& o) {
            o.opt(125, { 0, 0, 0x0d, 0xe9, 8, 1, 2, 'a', 'b', 2, 2, 'c',
                         'd' }); })); } });
    c.push_back({ "PAD bytes between options", TAKEN, []() {
        return (query([](Wire& o) {
            o.u8(0);
            o.opt(53, { DHCPDISCOVER });
            o.zeros(3);
            o.optText(60, "PXEClient");
            o.u8(0);
            o.opt(93, { 0, 7 });
            o.zeros(5);
            o.u8(255); })); } });
    c.push_back({ "no END", TAKEN, []() {
        return (query([](Wire& o) {
            o.opt(53, { DHCPDISCOVER });
            o.optText(60, "PXEClient"); })); } });
    c.push_back({ "bytes after END (repeating 53 and 60)", TAKEN, []() {
        return (query([](Wire& o) {
            o.opt(53, { DHCPDISCOVER });
            o.optText(60, "PXEClient");
            o.u8(255);
            o.opt(53, { DHCPREQUEST });
            o.optText(60, "garbage");
            o.data({ 0xde, 0xad, 0xbe, 0xef, 1 }); })); } });
    c.push_back({ "sname and file filled in", TAKEN, []() {
        Bytes w = pxeDiscover();
        const std::string sname = "boots.example.com";
        const Bytes file(Pkt4::MAX_FILE_LEN, 'f');
        w = withHeader(w, 44, Bytes(sname.begin(), sname.end()));
        return (withHeader(w, 108, file)); } });
    c.push_back({ "52 option overload with options in file", EITHER, []() {
        Bytes w = discoverWith([](Wire& o) { o.opt(52, { 1 }); });
        return (withHeader(w, 108, { 12, 3, 'a', 'b', 'c', 255 })); } });
    c.push_back({ "an option of 255 data bytes", TAKEN, []() {
        return (discoverWith([](Wire& o) { o.opt(224, seq(255)); })); } });
    c.push_back({ "all header fields set", TAKEN, []() {
        Bytes w = pxeDiscover();
        return (withHeader(w, 3, { 7, 0xff, 0xfe, 0xfd, 0xfc, 0xff, 0xff,
                                   0x7f, 0xff, 10, 1, 0, 23, 10, 1, 0, 24,
                                   10, 0, 0, 1, 10, 1, 0, 1 })); } });

    // Hardware addresses.
    // Up to 16 (the chaddr field) the hook parses; longer is Kea's.
    for (uint8_t hlen : { 0, 1, 6, 15, 16, 17, 20, 21, 255 }) {
        std::string name = "hlen " + std::to_string(hlen);
        c.push_back({ name, hlen <= 16 ? TAKEN : LEFT, [hlen]() {
            Bytes w = withHeader(pxeDiscover(), 28, seq(16));
            w[2] = hlen;
            return (w); } });
    }
    for (uint8_t htype : { 0, 6, 32, 255 }) {
        std::string name = "htype " + std::to_string(htype);
        c.push_back({ name, TAKEN, [htype]() {
            Bytes w = withHeader(pxeDiscover(), 28, seq(16));
            w[1] = htype;
            w[2] = htype == 32 ? 16 : 6;
            return (w); } });
    }

    // Left to Kea.
    for (uint8_t op : { 0, 2, 3, 255 }) {
        std::string name = "op " + std::to_string(op);
        c.push_back({ name, LEFT, [op]() {
            Bytes w = pxeDiscover();
            w[0] = op;
            return (w); } });
    }
    c.push_back({ "BOOTP: 300 bytes, no cookie", LEFT, []() {
        Bytes w = pxeDiscover();
        w.resize(300);
        std::fill(w.begin() + Pkt4::DHCPV4_PKT_HDR_LEN, w.end(), 0);
        return (w); } });
    c.push_back({ "BOOTP: 236 bytes, no vendor area", LEFT, []() {
        Bytes w = pxeDiscover();
        w.resize(Pkt4::DHCPV4_PKT_HDR_LEN);
        return (w); } });
    c.push_back({ "wrong cookie", LEFT, []() {
        Bytes w = pxeDiscover();
        w[Pkt4::DHCPV4_PKT_HDR_LEN + 3] = 0x64;
        return (w); } });
    c.push_back({ "239 bytes (cookie cut short)", LEFT, []() {
        Bytes w = pxeDiscover();
        w.resize(239);
        return (w); } });
    c.push_back({ "240 bytes (cookie, no options)", TAKEN, []() {
        Bytes w = pxeDiscover();
        w.resize(240);
        return (w); } });
    c.push_back({ "241 bytes (cookie, END)", TAKEN, []() {
        return (query([](Wire& o) { o.u8(255); })); } });
    c.push_back({ "241 bytes (cookie, PAD)", TAKEN, []() {
        return (query([](Wire& o) { o.u8(0); })); } });
    c.push_back({ "241 bytes (cookie, a code without length)", EITHER, []() {
        return (query([](Wire& o) { o.u8(53); })); } });
    c.push_back({ "truncated option at the end", EITHER, []() {
        return (query([](Wire& o) {
            o.opt(53, { DHCPDISCOVER });
            o.data({ 12, 10, 'n', 'o', 'd', 'e' }); })); } });
    c.push_back({ "truncated deferred option at the end", EITHER, []() {
        return (query([](Wire& o) {
            o.opt(53, { DHCPDISCOVER });
            o.data({ 43, 10, 6, 1, 8 }); })); } });

    // Repeated codes: Kea fuses them (RFC 3396).
    c.push_back({ "two 12s", LEFT, []() {
        return (discoverWith([](Wire& o) {
            o.optText(12, "node");
            o.optText(12, "-07"); })); } });
    c.push_back({ "two 43s", LEFT, []() {
        return (discoverWith([](Wire& o) {
            o.opt(43, { 6, 1 });
            o.opt(43, { 8, 255 }); })); } });
    c.push_back({ "two 53s", LEFT, []() {
        return (discoverWith([](Wire& o) { o.opt(53, { DHCPREQUEST }); })); } });
    c.push_back({ "two 224s (deferred, unknown)", LEFT, []() {
        return (discoverWith([](Wire& o) {
            o.opt(224, { 1, 2 });
            o.opt(60, { 'x' });
            o.opt(224, { 3 }); })); } });
    c.push_back({ "82 with sub-option 1 twice", LEFT, []() {
        return (discoverWith([](Wire& o) {
            o.opt(82, { 1, 3, 'e', 't', 'h', 2, 1, 9, 1, 2, '0',
                        '7' }); })); } });
    c.push_back({ "two 82s, different sub-options", LEFT, []() {
        return (discoverWith([](Wire& o) {
            o.opt(82, { 1, 1, 'a' });
            o.opt(82, { 2, 1, 'b' }); })); } });

    // Zero-length options.
    for (uint8_t code : { 224, 60, 12, 82, 55, 61, 50, 53, 43, 81, 97 }) {
        std::string name = "option " + std::to_string(code) + " of length 0";
        c.push_back({ name, code == 224 ? TAKEN : EITHER,
                      [code]() {
            return (discoverWith([code](Wire& o) { o.opt(code, {}); })); } });
    }
    return (c);
}

/// The comparison itself: two Kea parses of the same bytes compare equal,
/// and each kind of difference is seen.
void
checkTheComparison() {
    g_case = "the packet comparison sees every difference";
    Bytes w = discoverWire();
    w.pop_back();                               // the padding after END
    w.insert(w.end() - 6, { 43, 2, 6, 1 });     // a deferred option
    const std::vector<std::pair<const char*, std::function<void(Pkt4&)>>>
        mutations = {
        { "nothing", [](Pkt4&) {} },
        { "hops", [](Pkt4& p) { p.setHops(p.getHops() + 1); } },
        { "transid", [](Pkt4& p) { p.setTransid(p.getTransid() + 1); } },
        { "secs", [](Pkt4& p) { p.setSecs(p.getSecs() + 1); } },
        { "flags", [](Pkt4& p) { p.setFlags(p.getFlags() ^ 1); } },
        { "giaddr", [](Pkt4& p) { p.setGiaddr(IOAddress("10.9.9.9")); } },
        { "htype", [](Pkt4& p) {
            p.setHWAddr(hw(p.getHWAddr()->hwaddr_, 6)); } },
        { "chaddr", [](Pkt4& p) { p.setHWAddr(hw(seq(6), 1)); } },
        { "sname", [](Pkt4& p) {
            const uint8_t x[] = { 'x' };
            p.setSname(x, 1); } },
        { "file", [](Pkt4& p) {
            const uint8_t x[] = { 'x' };
            p.setFile(x, 1); } },
        { "deferred list", [](Pkt4& p) {
            p.getDeferredOptions().push_back(224); } },
        { "an option less", [](Pkt4& p) { p.delOption(57); } },
        { "an option of another class, same bytes", [](Pkt4& p) {
            OptionPtr o = p.getOption(60);
            p.delOption(60);
            p.addOption(raw(60, Bytes(o->getData()))); } },
        { "a sub-option's bytes", [](Pkt4& p) {
            OptionPtr o = p.getOption(82);
            o->delOption(2);
            o->addOption(raw(2, { 0x00, 0x11, 0x22, 0x33, 0x44, 0x56 })); } },
        { "the order of equal codes", [](Pkt4& p) {
            p.options_.insert(std::make_pair(12, raw(12, { 'b' })));
            p.options_.insert(std::make_pair(12, raw(12, { 'a' }))); } },
    };
    for (auto const& m : mutations) {
        Pkt4 a(&w[0], w.size());
        Pkt4 b(&w[0], w.size());
        a.unpack();
        b.unpack();
        if (std::string(m.first) == "the order of equal codes") {
            a.options_.insert(std::make_pair(12, raw(12, { 'a' })));
            a.options_.insert(std::make_pair(12, raw(12, { 'b' })));
        }
        m.second(b);
        const bool same = diffPackets(a, b).empty();
        if (same != (std::string(m.first) == "nothing")) {
            failed(__LINE__, m.first, same ? "  not seen\n" : "  "
                   "a difference where there is none\n" + diffPackets(a, b));
        }
    }
    printf("test_pack: the packet comparison: %zu mutations checked\n",
           mutations.size());
}

int
runUnpackCases(UnpackStats& stats) {
    int run = 0;
    for (const UnpackCase& uc : unpackCases()) {
        g_case = uc.name.c_str();
        const int before = g_failures;
        std::string kea;
        bool taken = false;
        try {
            taken = checkUnpack(uc.wire(), uc.expect, stats, &kea);
        } catch (const std::exception& e) {
            failed(__LINE__, "exception", std::string("  ") + e.what() + "\n");
        }
        printf("  unpack %-52s %s, Kea %s%s\n", uc.name.c_str(),
               taken ? "taken" : "left ", kea.substr(0, 60).c_str(),
               g_failures != before ? "  FAILED" : "");
        ++run;
    }

    // DHCPv4-over-DHCPv6: always left to Kea.
    g_case = "Pkt4o6";
    const Bytes wire = pxeDiscover();
    Pkt6Ptr p6(new Pkt6(DHCPV6_DHCPV4_QUERY, 0x4242));
    Pkt4o6 a(wire, p6);
    Pkt4o6 b(wire, p6);
    Pkt4o6 fresh(wire, p6);
    const int before = g_failures;
    std::string kea;
    const bool taken = checkUnpack(a, b, fresh, wire, LEFT, stats, &kea);
    printf("  unpack %-52s %s, Kea %s%s\n", g_case,
           taken ? "taken" : "left ", kea.substr(0, 60).c_str(),
           g_failures != before ? "  FAILED" : "");
    ++run;
    return (run);
}

// ---------------------------------------------------------------------------
// Random queries and replies

/// splitmix64: the same sequence on every platform and compiler.
struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed) {}
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return (z ^ (z >> 31));
    }
    /// In [0, n); the modulo bias does not matter here.
    uint32_t below(uint32_t n) { return (static_cast<uint32_t>(next() % n)); }
    /// In [lo, hi].
    uint32_t range(uint32_t lo, uint32_t hi) { return (lo + below(hi - lo + 1)); }
    bool chance(uint32_t percent) { return (below(100) < percent); }
    uint8_t byte() { return (static_cast<uint8_t>(next())); }
    Bytes bytes(size_t n) {
        Bytes b(n);
        for (uint8_t& x : b) {
            x = byte();
        }
        return (b);
    }
    std::string word(size_t lo, size_t hi) {
        static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
        std::string w(range(lo, hi), 'x');
        for (char& ch : w) {
            ch = chars[below(sizeof(chars) - 1)];
        }
        return (w);
    }
};

/// What a well-formed value of a known option looks like.
enum Kind {
    K_ADDR, K_ADDRS, K_U8, K_U16, K_U32, K_STR, K_BIN, K_FQDN, K_RAI,
    K_VIVSO, K_VIVCO, K_DOMAINS, K_UUID, K_ARCH, K_NDI, K_CLIENT_ID, K_ROUTES,
    K_BOOL
};

struct Known {
    uint8_t code;
    Kind kind;
};

const Known KNOWN[] = {
    { 1, K_ADDR }, { 2, K_U32 }, { 3, K_ADDRS }, { 4, K_ADDRS },
    { 6, K_ADDRS }, { 7, K_ADDRS }, { 12, K_STR }, { 13, K_U16 },
    { 15, K_STR }, { 16, K_ADDR }, { 17, K_STR }, { 19, K_BOOL },
    { 22, K_U16 }, { 23, K_U8 }, { 26, K_U16 }, { 28, K_ADDR },
    { 33, K_ADDRS }, { 35, K_U32 }, { 37, K_U8 }, { 40, K_STR },
    { 42, K_ADDRS }, { 43, K_BIN }, { 44, K_ADDRS }, { 46, K_U8 },
    { 50, K_ADDR }, { 51, K_U32 }, { 52, K_U8 }, { 53, K_U8 }, { 54, K_ADDR },
    { 55, K_BIN }, { 56, K_STR }, { 57, K_U16 }, { 58, K_U32 },
    { 59, K_U32 }, { 60, K_STR }, { 61, K_CLIENT_ID }, { 66, K_STR },
    { 67, K_STR }, { 77, K_BIN }, { 81, K_FQDN }, { 82, K_RAI },
    { 91, K_U32 }, { 93, K_ARCH }, { 94, K_NDI }, { 97, K_UUID },
    { 116, K_U8 }, { 118, K_ADDR }, { 119, K_DOMAINS }, { 121, K_ROUTES },
    { 124, K_VIVCO }, { 125, K_VIVSO }, { 150, K_ADDRS }, { 175, K_BIN },
    { 209, K_STR }, { 210, K_STR }, { 211, K_U32 }, { 212, K_BIN },
};
const size_t N_KNOWN = sizeof(KNOWN) / sizeof(KNOWN[0]);

Bytes
domainWire(Rng& r) {
    Bytes b;
    for (uint32_t n = r.range(1, 3); n > 0; --n) {
        const std::string label = r.word(1, 10);
        b.push_back(static_cast<uint8_t>(label.size()));
        b.insert(b.end(), label.begin(), label.end());
    }
    b.push_back(0);
    return (b);
}

/// Type-length-value sub-options with distinct codes from these (now and
/// then one code twice).
Bytes
subOptions(Rng& r, const std::vector<uint8_t>& from, size_t max_len) {
    Bytes b;
    std::vector<uint8_t> pool = from;
    uint8_t last = 0;
    for (uint32_t n = r.range(1, 3); n > 0 && !pool.empty(); --n) {
        uint8_t code;
        if (last && r.chance(4)) {
            code = last;
        } else {
            const size_t i = r.below(pool.size());
            code = pool[i];
            pool.erase(pool.begin() + i);
        }
        last = code;
        const Bytes v = r.bytes(r.range(1, max_len));
        b.push_back(code);
        b.push_back(static_cast<uint8_t>(v.size()));
        b.insert(b.end(), v.begin(), v.end());
    }
    return (b);
}

/// A well-formed value for a known option.
Bytes
wellFormed(Rng& r, const Known& k) {
    Bytes b;
    switch (k.kind) {
    case K_ADDR:
        return (r.bytes(4));
    case K_ADDRS:
        return (r.bytes(4 * r.range(1, 4)));
    case K_U8:
        return (Bytes{ static_cast<uint8_t>(k.code == 53 ? r.range(1, 8)
                                                    : r.byte()) });
    case K_BOOL:
        return (Bytes{ static_cast<uint8_t>(r.below(2)) });
    case K_U16:
        return (r.bytes(2));
    case K_U32:
        return (r.bytes(4));
    case K_STR: {
        const std::string s = r.word(1, 30);
        return (Bytes(s.begin(), s.end()));
    }
    case K_BIN:
        return (r.bytes(r.range(1, 40)));
    case K_FQDN: {
        static const uint8_t flags[] = { 0x00, 0x01, 0x04, 0x05, 0x0d };
        b = { flags[r.below(sizeof(flags))], 0, 0 };
        if (b[0] & 0x04) {
            const Bytes d = domainWire(r);
            b.insert(b.end(), d.begin(), d.end());
        } else {
            const std::string s = r.word(1, 8) + ".example.com";
            b.insert(b.end(), s.begin(), s.end());
        }
        return (b);
    }
    case K_RAI:
        return (subOptions(r, { 1, 2, 5, 6, 9, 11, 151, 152 }, 12));
    case K_VIVSO:
    case K_VIVCO: {
        static const uint32_t ids[] = { 3561, 4491, 2636, 0x12345678 };
        const uint32_t id = ids[r.below(4)];
        b = { static_cast<uint8_t>(id >> 24), static_cast<uint8_t>(id >> 16),
              static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id) };
        const Bytes d = k.kind == K_VIVSO ?
            subOptions(r, { 1, 2, 3, 4, 5, 6 }, 10) : r.bytes(r.range(1, 20));
        b.push_back(static_cast<uint8_t>(d.size()));
        b.insert(b.end(), d.begin(), d.end());
        return (b);
    }
    case K_DOMAINS:
        for (uint32_t n = r.range(1, 3); n > 0; --n) {
            const Bytes d = domainWire(r);
            b.insert(b.end(), d.begin(), d.end());
        }
        return (b);
    case K_UUID:
        b = r.bytes(17);
        b[0] = 0;
        return (b);
    case K_ARCH:
        return (r.bytes(2 * r.range(1, 2)));
    case K_NDI:
        return (Bytes{ 1, static_cast<uint8_t>(r.range(2, 3)), r.byte() });
    case K_CLIENT_ID:
        if (r.chance(70)) {
            b = r.bytes(7);
            b[0] = 1;
            return (b);
        }
        return (r.bytes(r.range(2, 20)));
    case K_ROUTES:
        for (uint32_t n = r.range(1, 3); n > 0; --n) {
            const uint8_t width = static_cast<uint8_t>(r.range(0, 32));
            b.push_back(width);
            const Bytes dest = r.bytes((width + 7) / 8 + 4);
            b.insert(b.end(), dest.begin(), dest.end());
        }
        return (b);
    }
    return (b);
}

/// The options area after the cookie: a random mix of known options
/// (mostly well formed), deferred ones (43, 224-254) and any other code,
/// PAD here and there, now and then a repeated code; then END (sometimes
/// with bytes after it), nothing, a truncated option or garbage.
Bytes
randomOptions(Rng& r) {
    Wire w;
    std::vector<uint8_t> used;
    auto isUsed = [&used](uint8_t c) {
        return (std::find(used.begin(), used.end(), c) != used.end());
    };
    for (uint32_t n = r.below(r.chance(10) ? 40 : 14); n > 0; --n) {
        if (r.chance(4)) {
            w.zeros(r.range(1, 3));
            continue;
        }
        uint8_t code = 0;
        const Known* known = nullptr;
        if (!used.empty() && r.chance(3)) {
            code = used[r.below(used.size())];
        } else {
            for (int tries = 0; tries < 5 && (!code || isUsed(code)); ++tries) {
                const uint32_t p = r.below(100);
                if (p < 65) {
                    code = KNOWN[r.below(N_KNOWN)].code;
                } else if (p < 82) {
                    code = static_cast<uint8_t>(r.range(224, 254));
                } else {
                    code = static_cast<uint8_t>(r.range(1, 254));
                }
            }
        }
        for (const Known& k : KNOWN) {
            if (k.code == code) {
                known = &k;
            }
        }
        Bytes data;
        if (known && r.chance(85)) {
            data = wellFormed(r, *known);
        } else {
            const uint32_t p = r.below(100);
            data = r.bytes(p < 85 ? r.range(1, 40) :
                           p < 95 ? r.range(41, 255) : 0);
        }
        if (data.size() > 255) {
            data.resize(255);
        }
        w.opt(code, data);
        used.push_back(code);
    }
    const uint32_t p = r.below(100);
    if (p < 70) {
        w.u8(255);
        if (r.chance(30)) {
            w.data(r.bytes(r.range(1, 20)));
        }
    } else if (p < 82) {
        // no END
    } else if (p < 92) {
        const uint8_t len = static_cast<uint8_t>(r.range(2, 40));
        w.u8(static_cast<uint8_t>(r.range(1, 254)));
        w.u8(len);
        w.data(r.bytes(r.below(len)));
    } else if (p < 96) {
        w.u8(static_cast<uint8_t>(r.range(1, 254)));
    } else {
        w.data(r.bytes(r.range(1, 30)));
    }
    return (w.b);
}

/// A random query: BOOTP header (mostly a sane one), cookie, options.
Bytes
randomQuery(Rng& r) {
    Wire w;
    w.u8(r.chance(97) ? 1 : static_cast<uint8_t>(r.below(4)));
    const uint32_t t = r.below(100);
    w.u8(t < 85 ? 1 : t < 90 ? 6 : t < 95 ? 32 : r.byte());
    const uint32_t h = r.below(100);
    w.u8(static_cast<uint8_t>(h < 80 ? 6 : h < 90 ? r.range(0, 16) :
                              h < 95 ? 16 : r.range(17, 255)));
    w.u8(r.chance(80) ? 0 : r.byte());
    w.u32(static_cast<uint32_t>(r.next()));
    w.u16(r.chance(50) ? 0 : static_cast<uint16_t>(r.next()));
    const uint32_t f = r.below(100);
    w.u16(f < 50 ? 0 : f < 90 ? 0x8000 : static_cast<uint16_t>(r.next()));
    for (int i = 0; i < 4; ++i) {
        w.u32(r.chance(70) ? 0 : static_cast<uint32_t>(r.next()));
    }
    w.data(r.bytes(16));
    for (size_t len : { Pkt4::MAX_SNAME_LEN, Pkt4::MAX_FILE_LEN }) {
        const uint32_t p = r.below(100);
        if (p < 80) {
            w.zeros(len);
        } else if (p < 90) {
            const std::string s = r.word(1, len);
            w.text(s);
            w.zeros(len - s.size());
        } else {
            w.data(r.bytes(len));
        }
    }
    const uint32_t c = r.below(100);
    if (c < 1) {
        w.b.resize(Pkt4::DHCPV4_PKT_HDR_LEN + r.below(4));
        return (w.b);
    }
    w.u32(c < 3 ? static_cast<uint32_t>(r.next()) : 0x63825363);
    w.data(randomOptions(r));
    return (w.b);
}

void
randomUnpack(uint64_t seed, unsigned long count, UnpackStats& stats) {
    Rng r(seed);
    std::string name;
    for (unsigned long i = 0; i < count; ++i) {
        name = "random unpack #" + std::to_string(i);
        g_case = name.c_str();
        const Bytes wire = randomQuery(r);
        try {
            checkUnpack(wire, EITHER, stats);
        } catch (const std::exception& e) {
            failed(__LINE__, "exception", std::string("  ") + e.what() +
                   "\n  packet:\n" + hex(wire));
        }
    }
}

struct PackStats {
    unsigned long replies = 0;
    unsigned long packed = 0;       // packReply() packed it
    unsigned long left = 0;         // left to Pkt4::pack (over 255 bytes)
    unsigned long left_kea_threw = 0;  // ... and Pkt4::pack() threw
    unsigned long both_threw = 0;   // packReply() and Pkt4::pack() threw
    unsigned long options = 0;      // options in all the replies
};

std::string
optionsText(const Pkt4& p) {
    std::ostringstream s;
    for (auto const& o : p.options_) {
        s << "  " << o.first << " " << typeName(*o.second) << " len "
          << o.second->len() << " getData() " << o.second->getData().size()
          << " bytes, sub-options" << codes(o.second->getOptions())
          << ": " << packed(*o.second) << "\n";
    }
    return (s.str());
}

/// A random reply: random header fields and hardware address, message
/// type 53, and options Kea parsed from random option bytes; now and then
/// a sub-option that takes an option over 255 bytes.  packReply() must
/// pack it exactly as Pkt4::pack() when every option fits in 255 bytes
/// with its header, and leave the buffer alone otherwise.
void
randomReply(Rng& r, PackStats& stats) {
    using namespace isc::dhcp;
    static const uint8_t types[] = { DHCPOFFER, DHCPACK, DHCPNAK, DHCPOFFER,
                                     DHCPACK };
    Pkt4 p(types[r.below(sizeof(types))], static_cast<uint32_t>(r.next()));
    p.setHops(r.chance(70) ? 0 : r.byte());
    p.setSecs(static_cast<uint16_t>(r.next()));
    p.setFlags(r.chance(50) ? 0 : r.chance(80) ? 0x8000 :
               static_cast<uint16_t>(r.next()));
    p.setCiaddr(IOAddress(r.chance(70) ? 0 : static_cast<uint32_t>(r.next())));
    p.setYiaddr(IOAddress(static_cast<uint32_t>(r.next())));
    p.setSiaddr(IOAddress(r.chance(50) ? 0 : static_cast<uint32_t>(r.next())));
    p.setGiaddr(IOAddress(r.chance(50) ? 0 : static_cast<uint32_t>(r.next())));
    const uint32_t h = r.below(100);
    const size_t hlen = h < 80 ? 6 : h < 95 ? r.range(0, 20) : 16;
    const uint16_t htype = r.chance(80) ? 1 : static_cast<uint16_t>(
        r.chance(50) ? r.byte() : r.next());
    p.setHWAddr(HWAddrPtr(new HWAddr(r.bytes(hlen), htype)));
    if (r.chance(40)) {
        const Bytes sname = r.chance(70) ? seq(r.range(1, 64)) : r.bytes(64);
        p.setSname(&sname[0], sname.size());
    }
    if (r.chance(40)) {
        const Bytes file = r.chance(70) ? seq(r.range(1, 128)) : r.bytes(128);
        p.setFile(&file[0], file.size());
    }

    // Options as Kea builds them from the wire; if the parser throws
    // half-way, the options parsed so far.
    OptionCollection opts;
    std::list<uint16_t> deferred;
    const Bytes raw_opts = randomOptions(r);
    try {
        LibDHCP::unpackOptions4(raw_opts, DHCP4_OPTION_SPACE, opts, deferred,
                                false);
    } catch (const std::exception&) {
    }
    if (r.chance(70)) {
        opts.erase(DHO_DHCP_MESSAGE_TYPE);
    }
    if (r.chance(20)) {
        // 53 after the others.
        opts.insert(std::make_pair(DHO_DHCP_MESSAGE_TYPE,
                                   p.getOption(DHO_DHCP_MESSAGE_TYPE)));
        p.delOption(DHO_DHCP_MESSAGE_TYPE);
    }
    p.options_.insert(opts.begin(), opts.end());
    if (!p.options_.empty() && r.chance(8)) {
        auto it = p.options_.begin();
        std::advance(it, r.below(p.options_.size()));
        if (it->first != DHO_DHCP_MESSAGE_TYPE) {
            it->second->addOption(OptionPtr(new Option(
                Option::V4, static_cast<uint16_t>(r.range(1, 254)),
                r.bytes(r.range(0, 200)))));
        }
    }
    if (r.chance(3)) {
        const uint16_t code = static_cast<uint16_t>(r.range(1, 254));
        p.options_.insert(std::make_pair(code, OptionPtr(new Option(
            Option::V4, code, r.bytes(r.range(240, 300))))));
    }

    // Packed in one piece by Pkt4::pack(): every option and sub-option at
    // most 255 bytes packed and at most 253 bytes of raw data.
    std::function<bool(const isc::dhcp::OptionCollection&)> oneWay =
        [&oneWay](const isc::dhcp::OptionCollection& opts) {
        for (auto const& o : opts) {
            if (o.second->len() > 255 || o.second->getData().size() > 253 ||
                !oneWay(o.second->getOptions())) {
                return (false);
            }
        }
        return (true);
    };
    const bool fits = oneWay(p.options_);
    ++stats.replies;
    stats.options += p.options_.size();

    const Bytes sentinel = { 'u', 'n', 't', 'o', 'u', 'c', 'h', 'e', 'd' };
    p.getBuffer().clear();
    p.getBuffer().writeData(&sentinel[0], sentinel.size());
    bool ok = false;
    std::string my_error;
    try {
        ok = boots_kea::packReply(p);
    } catch (const std::exception& e) {
        my_error = e.what();
    }
    const Bytes mine = bufferBytes(p);
    std::string kea_error;
    Bytes kea;
    try {
        p.pack();
        kea = bufferBytes(p);
    } catch (const std::exception& e) {
        kea_error = e.what();
    }
    if (!my_error.empty()) {
        if (kea_error.empty()) {
            failed(__LINE__, "packReply() threw, Pkt4::pack() did not",
                   "  " + my_error + "\n" + optionsText(p));
        } else {
            ++stats.both_threw;
        }
        return;
    }
    if (ok != fits) {
        failed(__LINE__, fits ? "packReply() left a reply that fits" :
               "packReply() packed an option over 255 bytes", optionsText(p));
    }
    if (ok) {
        ++stats.packed;
        if (!kea_error.empty()) {
            failed(__LINE__, "Pkt4::pack() threw on a reply packReply() "
                   "packed", "  " + kea_error + "\n" + optionsText(p));
        } else {
            if (mine != kea) {
                failed(__LINE__, "packReply() differs from Pkt4::pack()",
                       diffBytes(mine, kea) + "  the reply's options "
                       "(after Pkt4::pack(), which restores them):\n" +
                       optionsText(p) + "  parsed from option bytes:\n" +
                       hex(raw_opts));
            }
        }
    } else {
        // Left to Kea: the buffer untouched.  Kea's own pack() may refuse
        // such a reply (an option it cannot split); then Kea drops it.
        ++stats.left;
        CHECK_BYTES(mine, sentinel, "packReply() touched the buffer");
        if (!kea_error.empty()) {
            ++stats.left_kea_threw;
            if (getenv("TEST_PACK_VERBOSE")) {
                fprintf(stderr, "%s: Pkt4::pack() threw: %s\n", g_case,
                        kea_error.c_str());
            }
        }
    }
}

void
randomPack(uint64_t seed, unsigned long count, PackStats& stats) {
    Rng r(seed);
    std::string name;
    for (unsigned long i = 0; i < count; ++i) {
        name = "random pack #" + std::to_string(i);
        g_case = name.c_str();
        try {
            randomReply(r, stats);
        } catch (const std::exception& e) {
            failed(__LINE__, "exception", std::string("  ") + e.what() + "\n");
        }
    }
}
} // namespace

int
main(int argc, char** argv) {
    setvbuf(stdout, nullptr, _IOLBF, 0);    // in order with stderr
    // Under valgrind (make check-kea-pack) the defaults take about 35 s
    // (queries) and 9 s (replies); natively 0.7 s and 0.2 s.
    unsigned long unpack_count = 20000;
    unsigned long pack_count = 20000;
    uint64_t seed = 0xb0075eedULL;
    if (argc > 1) {
        unpack_count = strtoul(argv[1], nullptr, 0);
    }
    if (argc > 2) {
        pack_count = strtoul(argv[2], nullptr, 0);
    }
    if (argc > 3) {
        seed = strtoull(argv[3], nullptr, 0);
    }

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
    printf("test_pack: packReply: %d of %zu cases passed\n", passed,
           all.size());

    UnpackStats cases_stats;
    int before = g_failures;
    checkTheComparison();
    const int unpack_cases = runUnpackCases(cases_stats);
    printf("test_pack: unpackQuery: %d cases (%lu taken, %lu left to Kea), "
           "%d failed checks\n", unpack_cases, cases_stats.taken,
           cases_stats.left_kea_ok + cases_stats.left_kea_threw,
           g_failures - before);

    printf("test_pack: random seed 0x%llx\n",
           static_cast<unsigned long long>(seed));
    UnpackStats random_stats;
    before = g_failures;
    const clock_t t1 = clock();
    randomUnpack(seed, unpack_count, random_stats);
    const clock_t t2 = clock();
    printf("test_pack: unpackQuery: %lu random queries: %lu taken, %lu left "
           "to Kea (%lu that Kea parses, %lu it rejects), %d failed checks, "
           "%.1f s\n", random_stats.packets, random_stats.taken,
           random_stats.left_kea_ok + random_stats.left_kea_threw,
           random_stats.left_kea_ok, random_stats.left_kea_threw,
           g_failures - before, double(t2 - t1) / CLOCKS_PER_SEC);

    PackStats pack_stats;
    before = g_failures;
    randomPack(seed ^ 0x5eed0f9acc0000ULL, pack_count, pack_stats);
    const clock_t t3 = clock();
    printf("test_pack: packReply: %lu random replies (%lu options): %lu "
           "packed, %lu left to Kea (%lu that Pkt4::pack() refuses), %lu both "
           "threw, %d failed checks, %.1f s\n", pack_stats.replies,
           pack_stats.options, pack_stats.packed, pack_stats.left,
           pack_stats.left_kea_threw, pack_stats.both_threw,
           g_failures - before, double(t3 - t2) / CLOCKS_PER_SEC);

    if (g_failures) {
        fprintf(stderr, "test_pack: FAILED: %d checks (%d pack cases)\n",
                g_failures, failed_cases);
        return (1);
    }
    printf("test_pack: all passed\n");
    return (0);
}
