// boots_pack.h - wire format of an outgoing DHCPv4 reply, built by the hook.
//
// Kea 2.2's Pkt4::pack() first runs LibDHCP::splitOptions4(), which takes
// a deep copy of every option of the reply to look for options too long for
// one piece (RFC 3396) and puts the originals back afterwards.  For the
// replies Boots sends (a dozen short options) that copy is most of the cost
// of packing: about 20,000 instructions per reply, measured with callgrind.
//
// packReply() writes the same bytes without the copy: the fixed BOOTP
// header, the magic cookie, LibDHCP::packOptions4() over the reply's
// options (Kea's own option packing: message type first, relay agent
// information last) and END.  Whenever a reply needs anything else it
// returns false and leaves the packet alone, and Kea packs it as usual:
// an option longer than 255 bytes with its 2-byte header (Kea splits those),
// DHCPv4-over-DHCPv6, or a reply without a hardware address.
//
// pkt4_send uses it through Kea's documented contract: a callout that
// packed the reply itself sets the SKIP status and Kea sends the buffer as
// it is.  make check compares packReply() byte for byte with Pkt4::pack()
// (tests/kea/test_pack.cc), and the ASan build of the hook compares every
// reply it packs during check-kea-asan (built with BOOTS_VERIFY_PACKING;
// a difference is logged as BOOTS_PACK_MISMATCH).

// The other direction: Kea 2.2's Pkt4::unpack() parses the options with
// LibDHCP::unpackOptions4() and then runs LibDHCP::fuseOptions4(), which
// joins options sent in several pieces (RFC 3396).  fuseOptions4() copies
// the whole option collection once per option even when nothing repeats:
// about 10,000 instructions per received packet.  unpackQuery() does what
// Pkt4::unpack() does with Kea's own unpackOptions4() and skips the fusing
// when no option code (nor any sub-option code) repeats; otherwise it
// leaves the packet to Kea.  buffer4_receive uses it the documented way:
// SKIP tells Kea the hook has unpacked the query.

#ifndef BOOTS_PACK_H
#define BOOTS_PACK_H

#include <dhcp/pkt4.h>

#include <string>

namespace boots_kea {

/// True when packReply() can pack this reply (see above).
bool canPackReply(const isc::dhcp::Pkt4& reply);

/// Pack the reply into reply.getBuffer() exactly as Pkt4::pack() would.
/// Returns false, with the buffer untouched, when canPackReply() is false.
/// May throw what Kea's option packing throws.
bool packReply(isc::dhcp::Pkt4& reply);

/// Unpack a received query from its raw bytes (query.data_) exactly as
/// Pkt4::unpack() would.  Returns false, with the packet untouched, when
/// Kea should unpack it itself: DHCPv4-over-DHCPv6, a BOOTP packet without
/// the DHCP magic cookie, a header Kea would refuse or treat specially
/// (op other than BOOTREQUEST, hlen over 16), options Kea's parser rejects,
/// or an option or sub-option code that appears more than once (Kea fuses
/// those).
bool unpackQuery(isc::dhcp::Pkt4& query);

#ifdef BOOTS_VERIFY_PACKING
/// Test builds of the hook (check-kea-asan): how the hook's work on a
/// packet differs from Kea's own.  Both strings are empty when they agree;
/// otherwise each describes its side (hex bytes, fields, options).
struct PackDifference {
    std::string ours;
    std::string kea;
};

/// After packReply(reply): pack it again with Pkt4::pack(), whose bytes
/// then stay in the buffer (the ones sent), and compare.
PackDifference comparePack(isc::dhcp::Pkt4& reply);

/// After unpackQuery(query): parse query.data_ again with Pkt4::unpack()
/// into a second packet and compare every field, option and deferred code.
PackDifference compareUnpack(isc::dhcp::Pkt4& query);
#endif

} // namespace boots_kea

#endif // BOOTS_PACK_H
