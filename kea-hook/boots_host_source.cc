// boots_host_source.cc - hardware records as Kea host reservations.

#include "boots_host_source.h"
#include "boots_log.h"

#include <asiolink/io_address.h>
#include <dhcp/dhcp4.h>
#include <dhcpsrv/cfg_subnets4.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/subnet.h>
#include <exceptions/exceptions.h>

#include <chrono>
#include <cstring>
#include <thread>

using isc::asiolink::IOAddress;
using isc::dhcp::ConstHostCollection;
using isc::dhcp::ConstHostPtr;
using isc::dhcp::Host;
using isc::dhcp::HostPtr;
using isc::dhcp::Option;
using isc::dhcp::OptionBuffer;
using isc::dhcp::OptionPtr;
using isc::dhcp::SubnetID;

namespace boots_kea {

namespace {

void putIp(OptionBuffer& buf, uint32_t ip) {
    buf.push_back(static_cast<uint8_t>(ip >> 24));
    buf.push_back(static_cast<uint8_t>(ip >> 16));
    buf.push_back(static_cast<uint8_t>(ip >> 8));
    buf.push_back(static_cast<uint8_t>(ip));
}

OptionPtr ipOption(uint16_t code, const uint32_t* ips, size_t n) {
    OptionBuffer buf;
    for (size_t i = 0; i < n; ++i) {
        if (ips[i] != 0) {
            putIp(buf, ips[i]);
        }
    }
    if (buf.empty()) {
        return (OptionPtr());
    }
    return (OptionPtr(new Option(Option::V4, code, buf)));
}

} // namespace

// ---------------------------------------------------------------------
// Generation

Generation::Generation(boots_hwdb* db,
                       const std::shared_ptr<const Generation>& prev)
    : db_(db), generation_(db ? boots_hwdb_generation(db) : 0),
      count_(db ? boots_hwdb_count(db) : 0),
      slots_(new std::atomic<Slot*>[db ? boots_hwdb_count(db) : 0]) {
    for (size_t i = 0; i < count_; ++i) {
        const boots_hw* hw = boots_hwdb_at(db_, i);
        if (hw->lease_time != 0) {
            has_lease_times_ = true;
        }
        slots_[i].store(prev ? prev->sharedSlot(hw) : nullptr,
                        std::memory_order_relaxed);
    }
}

Generation::~Generation() {
    for (size_t i = 0; i < count_; ++i) {
        releaseSlot(slots_[i].load(std::memory_order_relaxed));
    }
    boots_hwdb_unref(db_);
}

void Generation::releaseSlot(Slot* s) {
    if (s && s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        delete s;
    }
}

namespace {

bool sameString(const char* a, const char* b) {
    return (a == b || (a && b && strcmp(a, b) == 0));
}

} // namespace

/// Everything buildSlot() reads of an entry (the MAC is the lookup key).
bool Generation::sameSlotInputs(const boots_hw* a, const boots_hw* b) {
    return (a->ip == b->ip && a->disable_dhcp == b->disable_dhcp &&
            a->netmask == b->netmask && a->gateway == b->gateway &&
            a->n_name_servers == b->n_name_servers &&
            memcmp(a->name_servers, b->name_servers,
                   sizeof(a->name_servers)) == 0 &&
            a->n_time_servers == b->n_time_servers &&
            memcmp(a->time_servers, b->time_servers,
                   sizeof(a->time_servers)) == 0 &&
            sameString(a->hostname, b->hostname));
}

/// The cache this (older) generation built for an entry that hw, of a
/// newer one, repeats unchanged, with a reference taken for the caller;
/// null when there is none.  A reload thus neither frees nor rebuilds the
/// caches of unchanged entries.  The caller holds this generation, so its
/// slots stay alive; one a packet thread publishes meanwhile is simply
/// built again in the newer generation when first needed.
Generation::Slot* Generation::sharedSlot(const boots_hw* hw) const {
    const boots_hw* old = byMac(hw->mac);
    size_t j = old ? boots_hwdb_index(db_, old) : SIZE_MAX;
    Slot* s = j < count_ ? slots_[j].load(std::memory_order_acquire)
                         : nullptr;
    if (!s || !sameSlotInputs(hw, old)) {
        return (nullptr);
    }
    s->refs.fetch_add(1, std::memory_order_relaxed);
    return (s);
}

const boots_hw* Generation::byMac(const uint8_t mac[6]) const {
    return (db_ ? boots_hwdb_by_mac(db_, mac) : NULL);
}

const boots_hw* Generation::byIp(uint32_t ip) const {
    return (db_ ? boots_hwdb_by_ip(db_, ip) : NULL);
}

Generation::Slot* Generation::buildSlot(const boots_hw* hw) {
    std::unique_ptr<Slot> s(new Slot());

    // The subnet holding the hardware's address, in the running
    // configuration.  The hook is reloaded whenever the configuration
    // changes, so the answer stays valid for this Generation.
    isc::dhcp::ConstSubnet4Ptr subnet = isc::dhcp::CfgMgr::instance()
        .getCurrentCfg()->getCfgSubnets4()->selectSubnet(IOAddress(hw->ip));
    if (subnet && !hw->disable_dhcp) {
        s->has_subnet = true;
        s->subnet_id = subnet->getID();
        s->host.reset(new Host(hw->mac, 6, Host::IDENT_HWADDR, s->subnet_id,
                               isc::dhcp::SUBNET_ID_UNUSED, IOAddress(hw->ip),
                               hw->hostname ? hw->hostname : ""));
    }

    // Options from the hardware record, replaced in every reply to it.
    OptionPtr o;
    if (hw->netmask != 0) {
        s->options.push_back(ipOption(isc::dhcp::DHO_SUBNET_MASK,
                                      &hw->netmask, 1));
    }
    if (hw->gateway != 0) {
        s->options.push_back(ipOption(isc::dhcp::DHO_ROUTERS,
                                      &hw->gateway, 1));
    }
    o = ipOption(isc::dhcp::DHO_DOMAIN_NAME_SERVERS, hw->name_servers,
                 hw->n_name_servers);
    if (o) {
        s->options.push_back(o);
    }
    if (hw->hostname && hw->hostname[0] != '\0') {
        OptionBuffer name(hw->hostname, hw->hostname + strlen(hw->hostname));
        if (name.size() <= 255) {
            s->options.push_back(OptionPtr(new Option(Option::V4,
                isc::dhcp::DHO_HOST_NAME, name)));
        }
    }
    o = ipOption(isc::dhcp::DHO_NTP_SERVERS, hw->time_servers,
                 hw->n_time_servers);
    if (o) {
        s->options.push_back(o);
    }
    return (s.release());
}

const Generation::Slot* Generation::slot(const boots_hw* hw) const {
    size_t i = boots_hwdb_index(db_, hw);
    if (i >= count_) {
        return (nullptr);
    }
    Slot* s = slots_[i].load(std::memory_order_acquire);
    if (s) {
        return (s);
    }
    // First use: build, then publish.  Two packet threads may race here;
    // the loser frees its copy and uses the winner's.
    Slot* mine = buildSlot(hw);
    Slot* expected = nullptr;
    if (!slots_[i].compare_exchange_strong(expected, mine,
                                           std::memory_order_acq_rel)) {
        releaseSlot(mine);
        return (expected);
    }
    return (mine);
}

ConstHostPtr Generation::hostIn(const boots_hw* hw, SubnetID subnet_id) const {
    const Slot* s = slot(hw);
    if (s && s->has_subnet && s->subnet_id == subnet_id) {
        return (s->host);
    }
    return (ConstHostPtr());
}

ConstHostPtr Generation::homeHost(const boots_hw* hw) const {
    const Slot* s = slot(hw);
    return (s ? s->host : ConstHostPtr());
}

const std::vector<OptionPtr>& Generation::hardwareOptions(
    const boots_hw* hw) const {
    static const std::vector<OptionPtr> none;
    const Slot* s = slot(hw);
    return (s ? s->options : none);
}

// ---------------------------------------------------------------------
// CurrentGeneration

std::mutex CurrentGeneration::mutex_;
GenerationPtr CurrentGeneration::current_;

GenerationPtr CurrentGeneration::get() {
    std::lock_guard<std::mutex> lock(mutex_);
    return (current_);
}

void CurrentGeneration::set(const GenerationPtr& gen) {
    GenerationPtr old;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        old = current_;
        current_ = gen;
    }
    // Free the old generation here, on the loading (or command) thread,
    // rather than on whichever packet thread drops the last reference:
    // freeing 100,000 cached hosts takes milliseconds.  Readers hold a
    // generation only for the length of one callout, so the wait is short;
    // it is bounded, and after it the last reader frees it after all.
    for (int i = 0; old && old.use_count() > 1 && i < 2000; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

// ---------------------------------------------------------------------
// BootsHostDataSource

const char* BootsHostDataSource::TYPE = "boots";

namespace {

const boots_hw* macEntry(const GenerationPtr& gen,
                         const Host::IdentifierType& type,
                         const uint8_t* id, size_t len) {
    if (!gen || type != Host::IDENT_HWADDR || len != 6 || !id) {
        return (NULL);
    }
    return (gen->byMac(id));
}

const boots_hw* ipEntry(const GenerationPtr& gen, const IOAddress& addr) {
    if (!gen || !addr.isV4()) {
        return (NULL);
    }
    return (gen->byIp(addr.toUint32()));
}

} // namespace

ConstHostCollection
BootsHostDataSource::getAll(const IdentifierType& type, const uint8_t* id,
                            const size_t len) const {
    ConstHostCollection out;
    GenerationPtr gen = CurrentGeneration::get();
    const boots_hw* hw = macEntry(gen, type, id, len);
    if (hw) {
        ConstHostPtr h = gen->homeHost(hw);
        if (h) {
            out.push_back(h);
        }
    }
    return (out);
}

ConstHostCollection
BootsHostDataSource::getAll4(const SubnetID&) const {
    // Listing every hardware record per subnet is not offered (the
    // boots-hardware-get command shows entries to operators).
    return (ConstHostCollection());
}

ConstHostCollection
BootsHostDataSource::getAll6(const SubnetID&) const {
    return (ConstHostCollection());
}

ConstHostCollection
BootsHostDataSource::getAllbyHostname(const std::string&) const {
    return (ConstHostCollection());
}

ConstHostCollection
BootsHostDataSource::getAllbyHostname4(const std::string&,
                                       const SubnetID&) const {
    return (ConstHostCollection());
}

ConstHostCollection
BootsHostDataSource::getAllbyHostname6(const std::string&,
                                       const SubnetID&) const {
    return (ConstHostCollection());
}

ConstHostCollection
BootsHostDataSource::getPage4(const SubnetID&, size_t&, uint64_t,
                              const HostPageSize&) const {
    return (ConstHostCollection());
}

ConstHostCollection
BootsHostDataSource::getPage6(const SubnetID&, size_t&, uint64_t,
                              const HostPageSize&) const {
    return (ConstHostCollection());
}

ConstHostCollection
BootsHostDataSource::getPage4(size_t&, uint64_t, const HostPageSize&) const {
    return (ConstHostCollection());
}

ConstHostCollection
BootsHostDataSource::getPage6(size_t&, uint64_t, const HostPageSize&) const {
    return (ConstHostCollection());
}

ConstHostCollection
BootsHostDataSource::getAll4(const IOAddress& address) const {
    ConstHostCollection out;
    GenerationPtr gen = CurrentGeneration::get();
    const boots_hw* hw = ipEntry(gen, address);
    if (hw) {
        ConstHostPtr h = gen->homeHost(hw);
        if (h) {
            out.push_back(h);
        }
    }
    return (out);
}

ConstHostPtr
BootsHostDataSource::get4(const SubnetID& subnet_id,
                          const IdentifierType& type, const uint8_t* id,
                          const size_t len) const {
    GenerationPtr gen = CurrentGeneration::get();
    const boots_hw* hw = macEntry(gen, type, id, len);
    if (!hw) {
        return (ConstHostPtr());
    }
    return (gen->hostIn(hw, subnet_id));
}

ConstHostPtr
BootsHostDataSource::get4(const SubnetID& subnet_id,
                          const IOAddress& address) const {
    GenerationPtr gen = CurrentGeneration::get();
    const boots_hw* hw = ipEntry(gen, address);
    if (!hw) {
        return (ConstHostPtr());
    }
    return (gen->hostIn(hw, subnet_id));
}

ConstHostCollection
BootsHostDataSource::getAll4(const SubnetID& subnet_id,
                             const IOAddress& address) const {
    ConstHostCollection out;
    ConstHostPtr h = get4(subnet_id, address);
    if (h) {
        out.push_back(h);
    }
    return (out);
}

ConstHostPtr
BootsHostDataSource::get6(const SubnetID&, const IdentifierType&,
                          const uint8_t*, const size_t) const {
    return (ConstHostPtr());
}

ConstHostPtr
BootsHostDataSource::get6(const IOAddress&, const uint8_t) const {
    return (ConstHostPtr());
}

ConstHostPtr
BootsHostDataSource::get6(const SubnetID&, const IOAddress&) const {
    return (ConstHostPtr());
}

ConstHostCollection
BootsHostDataSource::getAll6(const SubnetID&, const IOAddress&) const {
    return (ConstHostCollection());
}

void
BootsHostDataSource::add(const HostPtr&) {
    isc_throw(isc::NotImplemented, "the boots host data source is read-only:"
              " edit the hardware data and run boots-reload");
}

bool
BootsHostDataSource::del(const SubnetID&, const IOAddress&) {
    return (false);
}

bool
BootsHostDataSource::del4(const SubnetID&, const IdentifierType&,
                          const uint8_t*, const size_t) {
    return (false);
}

bool
BootsHostDataSource::del6(const SubnetID&, const IdentifierType&,
                          const uint8_t*, const size_t) {
    return (false);
}

bool
BootsHostDataSource::setIPReservationsUnique(const bool) {
    // The core rejects hardware data with a duplicate IP, so reservations
    // are unique whatever Kea asks for.
    return (true);
}

} // namespace boots_kea
