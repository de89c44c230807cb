// boots_host_source.h - hardware records as Kea host reservations.
//
// A Generation wraps one immutable core snapshot (boots_hwdb) together with
// per-entry caches built lazily on first use: the Kea Host object of the
// entry (for the subnet that holds its IP) and the entry's ready-made DHCP
// options.  Lookups therefore allocate nothing once an entry has been seen.
// A new snapshot gets a new Generation, which takes over the caches of
// entries that did not change from the one before (a reload that changes a
// few records rebuilds a few hosts); the old one is freed when its last
// reader (a packet being processed) lets go.
//
// BootsHostDataSource is the host data source registered with Kea's
// HostMgr as "type=boots".  It only reads the current Generation.

#ifndef BOOTS_HOST_SOURCE_H
#define BOOTS_HOST_SOURCE_H

extern "C" {
#include "boots.h"
}

#include <dhcp/option.h>
#include <dhcpsrv/base_host_data_source.h>
#include <dhcpsrv/host.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace boots_kea {

class Generation {
public:
    /// Takes over one reference to db.  Entries whose reservation inputs
    /// are the same as in prev (may be null) share prev's built caches.
    explicit Generation(boots_hwdb* db,
                        const std::shared_ptr<const Generation>& prev =
                        std::shared_ptr<const Generation>());
    ~Generation();
    Generation(const Generation&) = delete;
    Generation& operator=(const Generation&) = delete;

    const boots_hwdb* db() const { return (db_); }

    /// True when some entry sets its own lease time (the lease callouts
    /// have nothing to do otherwise).
    bool hasLeaseTimes() const { return (has_lease_times_); }
    uint64_t generation() const { return (generation_); }

    /// Entry by MAC / IP (host order), or NULL.  Borrowed from db().
    const boots_hw* byMac(const uint8_t mac[6]) const;
    const boots_hw* byIp(uint32_t ip) const;

    /// The reservation for hw when hw's IP lies in subnet subnet_id (null
    /// otherwise, and for disableDhcp hardware).
    isc::dhcp::ConstHostPtr hostIn(const boots_hw* hw,
                                   isc::dhcp::SubnetID subnet_id) const;

    /// The reservation for hw in whichever subnet holds its IP (or null).
    isc::dhcp::ConstHostPtr homeHost(const boots_hw* hw) const;

    /// Options 1, 3, 6, 12 and 42 built from hw (shared, immutable).
    const std::vector<isc::dhcp::OptionPtr>& hardwareOptions(
        const boots_hw* hw) const;

private:
    /// Shared by the generations that hold it; freed with the last.
    struct Slot {
        std::atomic<uint32_t> refs{1};
        bool has_subnet = false;
        isc::dhcp::SubnetID subnet_id = 0;
        isc::dhcp::ConstHostPtr host;
        std::vector<isc::dhcp::OptionPtr> options;
    };
    const Slot* slot(const boots_hw* hw) const;
    static Slot* buildSlot(const boots_hw* hw);
    static bool sameSlotInputs(const boots_hw* a, const boots_hw* b);
    static void releaseSlot(Slot* s);
    Slot* sharedSlot(const boots_hw* hw) const;

    boots_hwdb* db_ = nullptr;
    uint64_t generation_ = 0;
    size_t count_ = 0;
    bool has_lease_times_ = false;
    std::unique_ptr<std::atomic<Slot*>[]> slots_;
};

typedef std::shared_ptr<const Generation> GenerationPtr;

/// The Generation in use, shared by the host data source and the
/// callouts.  get() and set() take a short mutex.
class CurrentGeneration {
public:
    static GenerationPtr get();
    static void set(const GenerationPtr& gen);
private:
    static std::mutex mutex_;
    static GenerationPtr current_;
};

class BootsHostDataSource : public isc::dhcp::BaseHostDataSource {
public:
    static const char* TYPE;   // "boots"

    using ConstHostCollection = isc::dhcp::ConstHostCollection;
    using ConstHostPtr = isc::dhcp::ConstHostPtr;
    using SubnetID = isc::dhcp::SubnetID;
    using IOAddress = isc::asiolink::IOAddress;
    using IdentifierType = isc::dhcp::Host::IdentifierType;
    using HostPageSize = isc::dhcp::HostPageSize;

    ConstHostCollection getAll(const IdentifierType& type,
                               const uint8_t* id, const size_t len)
        const override;
    ConstHostCollection getAll4(const SubnetID& subnet_id) const override;
    ConstHostCollection getAll6(const SubnetID& subnet_id) const override;
    ConstHostCollection getAllbyHostname(const std::string& hostname)
        const override;
    ConstHostCollection getAllbyHostname4(const std::string& hostname,
                                          const SubnetID& subnet_id)
        const override;
    ConstHostCollection getAllbyHostname6(const std::string& hostname,
                                          const SubnetID& subnet_id)
        const override;
    ConstHostCollection getPage4(const SubnetID& subnet_id,
                                 size_t& source_index, uint64_t lower_host_id,
                                 const HostPageSize& page_size)
        const override;
    ConstHostCollection getPage6(const SubnetID& subnet_id,
                                 size_t& source_index, uint64_t lower_host_id,
                                 const HostPageSize& page_size)
        const override;
    ConstHostCollection getPage4(size_t& source_index, uint64_t lower_host_id,
                                 const HostPageSize& page_size)
        const override;
    ConstHostCollection getPage6(size_t& source_index, uint64_t lower_host_id,
                                 const HostPageSize& page_size)
        const override;
    ConstHostCollection getAll4(const IOAddress& address) const override;
    ConstHostPtr get4(const SubnetID& subnet_id, const IdentifierType& type,
                      const uint8_t* id, const size_t len) const override;
    ConstHostPtr get4(const SubnetID& subnet_id, const IOAddress& address)
        const override;
    ConstHostCollection getAll4(const SubnetID& subnet_id,
                                const IOAddress& address) const override;
    ConstHostPtr get6(const SubnetID& subnet_id, const IdentifierType& type,
                      const uint8_t* id, const size_t len) const override;
    ConstHostPtr get6(const IOAddress& prefix, const uint8_t prefix_len)
        const override;
    ConstHostPtr get6(const SubnetID& subnet_id, const IOAddress& address)
        const override;
    ConstHostCollection getAll6(const SubnetID& subnet_id,
                                const IOAddress& address) const override;
    void add(const isc::dhcp::HostPtr& host) override;
    bool del(const SubnetID& subnet_id, const IOAddress& addr) override;
    bool del4(const SubnetID& subnet_id, const IdentifierType& type,
              const uint8_t* id, const size_t len) override;
    bool del6(const SubnetID& subnet_id, const IdentifierType& type,
              const uint8_t* id, const size_t len) override;
    std::string getType() const override { return (TYPE); }
    bool setIPReservationsUnique(const bool unique) override;
};

} // namespace boots_kea

#endif // BOOTS_HOST_SOURCE_H
