// boots_pack.cc - see boots_pack.h.

#include "boots_pack.h"

#include <dhcp/dhcp4.h>
#include <dhcp/hwaddr.h>
#include <dhcp/libdhcp++.h>
#include <dhcp/std_option_defs.h>
#include <dhcp/option.h>
#include <util/buffer.h>

#include <cstring>
#ifdef BOOTS_VERIFY_PACKING
#include <sstream>
#include <typeinfo>
#endif

using isc::asiolink::IOAddress;
using isc::dhcp::HWAddr;
using isc::dhcp::HWAddrPtr;
using isc::dhcp::OptionCollection;
using isc::dhcp::Pkt4;

namespace boots_kea {

namespace {

/// The longest option Kea 2.2 packs in one piece: Option::packHeader()
/// refuses an option whose length with its 2-byte header is over 255, so
/// Pkt4::pack() splits those (RFC 3396) and so must not we.
const size_t MAX_V4_OPTION_LEN = 255;

uint32_t
be32(const uint8_t* p) {
    return ((static_cast<uint32_t>(p[0]) << 24) |
            (static_cast<uint32_t>(p[1]) << 16) |
            (static_cast<uint32_t>(p[2]) << 8) | p[3]);
}

uint16_t
be16(const uint8_t* p) {
    return (static_cast<uint16_t>((p[0] << 8) | p[1]));
}

/// True when no code repeats among these options or, recursively, among
/// the sub-options of any of them (what LibDHCP::fuseOptions4 would join).
bool
noRepeatedCodes(const OptionCollection& options) {
    bool first = true;
    unsigned int last = 0;
    // A multimap keeps equal keys next to each other.
    for (auto const& opt : options) {
        if (!first && opt.first == last) {
            return (false);
        }
        first = false;
        last = opt.first;
        if (opt.second && !opt.second->getOptions().empty() &&
            !noRepeatedCodes(opt.second->getOptions())) {
            return (false);
        }
    }
    return (true);
}

/// True when Pkt4::pack() would split none of these options: each one,
/// and recursively each sub-option, fits in one piece both as packed
/// (len()) and as raw data (getData()).  The second matters for options
/// Kea parsed from more bytes than their definition uses (an OptionCustom
/// with trailing bytes, an echoed relay option with a truncated
/// sub-option): Pkt4::pack() splits those by their raw data and sends all
/// of it, where Option::pack() would write only the defined fields.
bool
fitsOnePiece(const OptionCollection& options) {
    for (auto const& opt : options) {
        if (!opt.second || opt.second->len() > MAX_V4_OPTION_LEN ||
            opt.second->getData().size() + 2 > MAX_V4_OPTION_LEN) {
            return (false);
        }
        if (!opt.second->getOptions().empty() &&
            !fitsOnePiece(opt.second->getOptions())) {
            return (false);
        }
    }
    return (true);
}

} // namespace

bool
canPackReply(const Pkt4& reply) {
    if (reply.isDhcp4o6()) {
        return (false);         // Pkt4o6 wraps the reply in DHCPv6
    }
    const HWAddrPtr& hw = reply.getHWAddr();
    if (!hw) {
        return (false);         // Kea's pack() refuses it with an error
    }
    return (fitsOnePiece(reply.options_));
}

bool
packReply(Pkt4& reply) {
    if (!canPackReply(reply)) {
        return (false);
    }
    const HWAddrPtr& hw = reply.getHWAddr();
    const size_t max_chaddr = Pkt4::MAX_CHADDR_LEN;
    const size_t hw_len = hw->hwaddr_.size();
    const size_t chaddr_len = hw_len < max_chaddr ? hw_len : max_chaddr;

    // The fixed part: RFC 2131 section 2, figure 1.
    uint8_t head[Pkt4::DHCPV4_PKT_HDR_LEN];
    memset(head, 0, sizeof(head));
    head[0] = reply.getOp();
    head[1] = static_cast<uint8_t>(hw->htype_);
    head[2] = static_cast<uint8_t>(chaddr_len);
    head[3] = reply.getHops();
    const uint32_t xid = reply.getTransid();
    const uint16_t secs = reply.getSecs();
    const uint16_t flags = reply.getFlags();
    const uint32_t addrs[4] = {
        reply.getCiaddr().toUint32(), reply.getYiaddr().toUint32(),
        reply.getSiaddr().toUint32(), reply.getGiaddr().toUint32()
    };
    head[4] = static_cast<uint8_t>(xid >> 24);
    head[5] = static_cast<uint8_t>(xid >> 16);
    head[6] = static_cast<uint8_t>(xid >> 8);
    head[7] = static_cast<uint8_t>(xid);
    head[8] = static_cast<uint8_t>(secs >> 8);
    head[9] = static_cast<uint8_t>(secs);
    head[10] = static_cast<uint8_t>(flags >> 8);
    head[11] = static_cast<uint8_t>(flags);
    for (int i = 0; i < 4; ++i) {
        head[12 + 4 * i] = static_cast<uint8_t>(addrs[i] >> 24);
        head[13 + 4 * i] = static_cast<uint8_t>(addrs[i] >> 16);
        head[14 + 4 * i] = static_cast<uint8_t>(addrs[i] >> 8);
        head[15 + 4 * i] = static_cast<uint8_t>(addrs[i]);
    }
    // As Pkt4::pack(): a hardware address longer than chaddr is not
    // truncated into it; the field stays zero (hlen says 16).
    if (hw_len > 0 && hw_len <= max_chaddr) {
        memcpy(head + 28, &hw->hwaddr_[0], hw_len);
    }
    // sname (64 bytes at 44) and file (128 bytes at 108).
    const std::vector<uint8_t> sname = reply.getSname();
    const std::vector<uint8_t> file = reply.getFile();
    memcpy(head + 44, &sname[0], Pkt4::MAX_SNAME_LEN);
    memcpy(head + 108, &file[0], Pkt4::MAX_FILE_LEN);

    isc::util::OutputBuffer& out = reply.getBuffer();
    out.clear();
    out.writeData(head, sizeof(head));
    out.writeUint32(isc::dhcp::DHCP_OPTIONS_COOKIE);
    isc::dhcp::LibDHCP::packOptions4(out, reply.options_, true);
    out.writeUint8(isc::dhcp::DHO_END);
    return (true);
}

bool
unpackQuery(Pkt4& query) {
    if (query.isDhcp4o6()) {
        return (false);
    }
    const std::vector<uint8_t>& d = query.data_;
    const size_t head = Pkt4::DHCPV4_PKT_HDR_LEN;
    const size_t max_chaddr = Pkt4::MAX_CHADDR_LEN;
    if (d.size() < head + 4 || be32(&d[head]) !=
        isc::dhcp::DHCP_OPTIONS_COOKIE) {
        return (false);
    }
    // Pkt4 has no setter for op (the constructor of a received packet sets
    // BOOTREQUEST); anything else is left to Kea.
    if (d[0] != isc::dhcp::BOOTREQUEST || d[2] > max_chaddr) {
        return (false);
    }

    // Options first, into local containers: if Kea's parser throws, or
    // something would need fusing, the packet is still untouched.
    const std::vector<uint8_t> raw(d.begin() + head + 4, d.end());
    OptionCollection options;
    std::list<uint16_t> deferred;
    try {
        isc::dhcp::LibDHCP::unpackOptions4(raw, DHCP4_OPTION_SPACE, options,
                                           deferred, false);
    } catch (const std::exception&) {
        return (false);
    }
    if (!noRepeatedCodes(options)) {
        return (false);
    }

    HWAddrPtr hw(new HWAddr(&d[28], d[2], d[1]));
    query.setHops(d[3]);
    query.setTransid(be32(&d[4]));
    query.setSecs(be16(&d[8]));
    query.setFlags(be16(&d[10]));
    query.setCiaddr(IOAddress(be32(&d[12])));
    query.setYiaddr(IOAddress(be32(&d[16])));
    query.setSiaddr(IOAddress(be32(&d[20])));
    query.setGiaddr(IOAddress(be32(&d[24])));
    query.setHWAddr(hw);
    query.setSname(&d[44], Pkt4::MAX_SNAME_LEN);
    query.setFile(&d[108], Pkt4::MAX_FILE_LEN);
    query.options_.swap(options);
    query.getDeferredOptions().swap(deferred);
    return (true);
}

#ifdef BOOTS_VERIFY_PACKING
namespace {

std::string
hexBytes(const isc::util::OutputBuffer& b) {
    static const char digits[] = "0123456789abcdef";
    const uint8_t* p = static_cast<const uint8_t*>(b.getData());
    std::string s;
    for (size_t i = 0; i < b.getLength(); ++i) {
        s += digits[p[i] >> 4];
        s += digits[p[i] & 15];
    }
    return (s);
}

/// Every field, deferred option code and option (code, the C++ type Kea
/// chose, wire form) of a parsed packet, in order.
std::string
queryText(Pkt4& q) {
    std::ostringstream s;
    s << int(q.getOp()) << " " << q.getHWAddr()->toText() << " "
      << int(q.getHops()) << " " << q.getTransid() << " " << q.getSecs()
      << " " << q.getFlags() << " " << q.getCiaddr().toText() << " "
      << q.getYiaddr().toText() << " " << q.getSiaddr().toText() << " "
      << q.getGiaddr().toText() << " ";
    const std::vector<uint8_t> sname = q.getSname();
    const std::vector<uint8_t> file = q.getFile();
    isc::util::OutputBuffer b(0);
    b.writeData(&sname[0], sname.size());
    b.writeData(&file[0], file.size());
    s << hexBytes(b) << " deferred";
    for (uint16_t c : q.getDeferredOptions()) {
        s << " " << c;
    }
    for (auto const& o : q.options_) {
        isc::util::OutputBuffer ob(0);
        o.second->pack(ob);
        s << " " << o.first << ":" << typeid(*o.second).name() << "="
          << hexBytes(ob);
    }
    return (s.str());
}

} // namespace

PackDifference
comparePack(Pkt4& reply) {
    PackDifference d;
    d.ours = hexBytes(reply.getBuffer());
    reply.pack();
    d.kea = hexBytes(reply.getBuffer());
    if (d.ours == d.kea) {
        d = PackDifference();
    }
    return (d);
}

PackDifference
compareUnpack(Pkt4& query) {
    Pkt4 ref(&query.data_[0], query.data_.size());
    ref.unpack();
    PackDifference d;
    d.ours = queryText(query);
    d.kea = queryText(ref);
    if (d.ours == d.kea) {
        d = PackDifference();
    }
    return (d);
}
#endif

} // namespace boots_kea
