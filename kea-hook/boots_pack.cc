// boots_pack.cc - see boots_pack.h.

#include "boots_pack.h"

#include <dhcp/dhcp4.h>
#include <dhcp/hwaddr.h>
#include <dhcp/libdhcp++.h>
#include <dhcp/option.h>
#include <util/buffer.h>

#include <cstring>

using isc::dhcp::HWAddrPtr;
using isc::dhcp::OptionCollection;
using isc::dhcp::Pkt4;

namespace boots_kea {

namespace {

/// The longest option Kea 2.2 packs in one piece: Option::packHeader()
/// refuses an option whose length with its 2-byte header is over 255, so
/// Pkt4::pack() splits those (RFC 3396) and so must not we.
const size_t MAX_V4_OPTION_LEN = 255;

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
    for (auto const& opt : reply.options_) {
        if (!opt.second || opt.second->len() > MAX_V4_OPTION_LEN) {
            return (false);     // needs RFC 3396 splitting
        }
    }
    return (true);
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

} // namespace boots_kea
