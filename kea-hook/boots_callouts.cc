// boots_callouts.cc - the Kea entry points of libdhcp_boots.so.
//
// load()/unload(), the packet callouts and the boots-* commands.  The
// hardware data comes from a boots_source (file or HTTP) that publishes
// snapshots into a holder; every published snapshot becomes the current
// Generation (boots_host_source.h), which Kea's host manager and the
// callouts read.  Loading and parsing never run on a packet path: at
// start-up in load(), in the source's background thread, or on the thread
// of the boots-reload command.
//
// Every callout catches everything: a failure is logged and Kea goes on.

#include "boots_config.h"
#include "boots_host_source.h"
#include "boots_log.h"
#include "boots_pack.h"

extern "C" {
#include "boots.h"
#include "boots_source.h"
}

#include <asiolink/io_address.h>
#include <cc/command_interpreter.h>
#include <cc/data.h>
#include <dhcp/dhcp4.h>
#include <dhcp/hwaddr.h>
#include <dhcp/option.h>
#include <dhcp/pkt4.h>
#include <dhcpsrv/host_data_source_factory.h>
#include <dhcpsrv/host_mgr.h>
#include <dhcpsrv/lease.h>
#include <hooks/hooks.h>
#include <hooks/hooks_manager.h>
#include <stats/stats_mgr.h>

#include <atomic>
#include <cstring>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>

using namespace isc::hooks;
using isc::asiolink::IOAddress;
using isc::config::createAnswer;
using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::data::ElementPtr;
using isc::dhcp::Lease4Ptr;
using isc::dhcp::Option;
using isc::dhcp::OptionBuffer;
using isc::dhcp::OptionPtr;
using isc::dhcp::Pkt4Ptr;
using isc::stats::StatsMgr;

namespace boots_kea {

namespace {

/// Everything the library owns between load() and unload().
struct HookState {
    BootsConfig cfg;
    boots_settings settings;
    boots_hwdb_holder* holder = nullptr;
    boots_source* source = nullptr;
    isc::dhcp::HostDataSourcePtr backend;
    OptionPtr syslog_option;    // option 7, or null
    // Replies share these immutable options instead of building their own.
    OptionPtr opt60_pxe;        // "PXEClient"
    OptionPtr opt60_http;       // "HTTPClient"
    OptionPtr opt43_pxe;        // PXE_DISCOVERY_CONTROL = 8 (TFTP boots)
    // How many hooks libraries Kea loaded, read on the first packet (-1:
    // not yet): the callouts unpack queries and pack replies only when this
    // library is the last one, so that no later callout sees a packet in a
    // state Kea would not have left it in (wireHere()).
    std::atomic<int> library_count{-1};
#ifdef BOOTS_VERIFY_PACKING
    std::atomic<bool> verify_logged{false};
#endif
};

HookState* state = nullptr;

const char* const STAT_NAMES[] = {
    "boots.hardware-records", "boots.hardware-interfaces",
    "boots.netboot-offers", "boots.netboot-acks", "boots.unknown-dropped",
    "boots.disabled-dropped", "boots.address-mismatch", "boots.reload-ok",
    "boots.reload-failed", "boots.source-errors", "boots.source-last-success",
    "boots.generation", NULL
};

void statSet(const char* name, int64_t v) {
    StatsMgr::instance().setValue(name, v);
}

/// Counters bumped on the packet path take a prebuilt name (no string
/// construction per packet).
const std::string STAT_NETBOOT_OFFERS("boots.netboot-offers");
const std::string STAT_NETBOOT_ACKS("boots.netboot-acks");
const std::string STAT_UNKNOWN_DROPPED("boots.unknown-dropped");
const std::string STAT_DISABLED_DROPPED("boots.disabled-dropped");
const std::string STAT_ADDRESS_MISMATCH("boots.address-mismatch");

/// Callout argument names, built once.
const std::string ARG_QUERY4("query4");
const std::string ARG_RESPONSE4("response4");
const std::string ARG_LEASE4("lease4");

void statAdd(const std::string& name) {
    StatsMgr::instance().addValue(name, static_cast<int64_t>(1));
}

/// Refresh the statistics that mirror the source and the snapshot.
void updateSourceStats(HookState* st) {
    boots_source_stats s;
    memset(&s, 0, sizeof(s));
    if (st->source) {
        boots_source_get_stats(st->source, &s);
    }
    statSet("boots.reload-ok", static_cast<int64_t>(s.reload_ok));
    statSet("boots.reload-failed", static_cast<int64_t>(s.reload_failed));
    statSet("boots.source-errors", static_cast<int64_t>(s.source_errors));
    statSet("boots.source-last-success", s.last_success);
    GenerationPtr gen = CurrentGeneration::get();
    const boots_hwdb* db = gen ? gen->db() : nullptr;
    statSet("boots.hardware-records",
            db ? static_cast<int64_t>(boots_hwdb_records(db)) : 0);
    statSet("boots.hardware-interfaces",
            db ? static_cast<int64_t>(boots_hwdb_count(db)) : 0);
    statSet("boots.generation",
            gen ? static_cast<int64_t>(gen->generation()) : 0);
}

// ---------------------------------------------------------------------
// Callbacks from the core (any thread)

void logFromCore(void*, int level, const char* message) {
    try {
        const char* m = message ? message : "";
        switch (level) {
        case BOOTS_LOG_ERROR:
            LOG_ERROR(boots_logger, BOOTS_SOURCE_ERROR).arg(m);
            break;
        case BOOTS_LOG_WARN:
            LOG_WARN(boots_logger, BOOTS_SOURCE_WARN).arg(m);
            break;
        case BOOTS_LOG_INFO:
            LOG_INFO(boots_logger, BOOTS_SOURCE_INFO).arg(m);
            break;
        default:
            LOG_DEBUG(boots_logger, BOOTS_DBG_LOOKUP, BOOTS_SOURCE_DEBUG)
                .arg(m);
            break;
        }
    } catch (...) {
        // Nothing sensible to do when logging itself fails.
    }
}

void sourceEvent(void* ctx, const boots_hwdb* db, const boots_error* err) {
    HookState* st = static_cast<HookState*>(ctx);
    try {
        if (db) {
            // The holder now publishes this snapshot: take our own
            // reference from it and wrap it in a fresh Generation.
            boots_hwdb* ref = boots_hwdb_holder_get(st->holder);
            if (ref) {
                GenerationPtr gen(new Generation(ref,
                                                 CurrentGeneration::get()));
                CurrentGeneration::set(gen);
                LOG_INFO(boots_logger, BOOTS_RELOAD_OK)
                    .arg(boots_hwdb_records(ref))
                    .arg(boots_hwdb_count(ref))
                    .arg(gen->generation());
            }
        } else if (err) {
            LOG_ERROR(boots_logger, BOOTS_RELOAD_FAILED).arg(err->message);
        }
        // Otherwise the source answered "unchanged": only the statistics
        // (boots.source-last-success) move.
        updateSourceStats(st);
    } catch (const std::exception& ex) {
        try {
            LOG_ERROR(boots_logger, BOOTS_CALLOUT_ERROR)
                .arg("source event").arg(ex.what());
        } catch (...) {
        }
    } catch (...) {
    }
}

// ---------------------------------------------------------------------
// Host data source registration

isc::dhcp::HostDataSourcePtr
backendFactory(const isc::db::DatabaseConnection::ParameterMap&) {
    if (!state) {
        isc_throw(isc::Unexpected, "the boots hooks library is not loaded");
    }
    return (state->backend);
}

bool backendPresent() {
    for (auto const& src :
         isc::dhcp::HostMgr::instance().getHostDataSourceList()) {
        if (src && src->getType() == BootsHostDataSource::TYPE) {
            return (true);
        }
    }
    return (false);
}

/// Remove the backend from HostMgr.  HostMgr::instance() creates the
/// manager when it does not exist yet (a failed first load), which the
/// static delBackend() does not.
void dropBackend() {
    isc::dhcp::HostMgr::instance();
    isc::dhcp::HostMgr::delBackend(BootsHostDataSource::TYPE);
}

/// Add the backend to HostMgr unless it is there.  Needed both in load()
/// (libreload does not call dhcp4_srv_configured) and in
/// dhcp4_srv_configured (a configuration commit re-creates HostMgr after
/// the libraries were loaded).
void ensureBackend(const char* where) {
    if (!backendPresent()) {
        isc::dhcp::HostMgr::addBackend(std::string("type=") +
                                       BootsHostDataSource::TYPE);
        LOG_INFO(boots_logger, BOOTS_BACKEND_ADDED).arg(where);
    }
}

// ---------------------------------------------------------------------
// Packet helpers

const boots_hw* entryFor(const GenerationPtr& gen, const Pkt4Ptr& pkt) {
    if (!gen || !pkt) {
        return (NULL);
    }
    isc::dhcp::HWAddrPtr hw = pkt->getHWAddr();
    if (!hw || hw->hwaddr_.size() != 6) {
        return (NULL);
    }
    return (gen->byMac(&hw->hwaddr_[0]));
}

std::string macText(const Pkt4Ptr& pkt) {
    isc::dhcp::HWAddrPtr hw = pkt ? pkt->getHWAddr() : isc::dhcp::HWAddrPtr();
    if (!hw || hw->hwaddr_.size() != 6) {
        return ("(no MAC)");
    }
    char s[BOOTS_MAC_STRLEN];
    boots_mac_format(&hw->hwaddr_[0], s);
    return (s);
}

/// The chaddr of a packet Kea has not parsed yet, for log messages.
std::string wireMacText(const std::vector<uint8_t>& d) {
    if (d.size() < 34 || d[2] != 6) {
        return ("(no MAC)");
    }
    char s[BOOTS_MAC_STRLEN];
    boots_mac_format(&d[28], s);
    return (s);
}

/// Put opt in the reply in place of every option with its code, working
/// on the packet's option container directly: one search, and the entry
/// Kea made is reused (a delOption() loop searches once per copy plus once
/// more, frees the entry, and addOption() searches again and allocates).
void replaceOption(const Pkt4Ptr& pkt, const OptionPtr& opt) {
    const uint16_t code = opt->getType();
    isc::dhcp::OptionCollection& opts = pkt->options_;
    auto range = opts.equal_range(code);
    if (range.first == range.second) {
        opts.insert(range.second, std::make_pair(code, opt));
        return;
    }
    // Reuse the first entry in place; drop any further copies.
    range.first->second = opt;
    opts.erase(std::next(range.first), range.second);
}

void replaceOption(const Pkt4Ptr& pkt, uint16_t code, const uint8_t* data,
                   size_t len) {
    replaceOption(pkt, OptionPtr(new Option(Option::V4, code,
                                            OptionBuffer(data, data + len))));
}

/// Find option `code` in the received bytes of the query (no copy, no
/// allocation): *data points into query->data_, which lives as long as
/// the packet.  Returns false when the option is absent.  Options carried
/// in an overloaded file/sname field (option 52) are not searched; PXE
/// and iPXE clients do not use overload.
bool rawOption(const Pkt4Ptr& pkt, uint8_t code, const uint8_t** data,
               size_t* len) {
    const std::vector<uint8_t>& buf = pkt->data_;
    static const uint8_t cookie[4] = { 0x63, 0x82, 0x53, 0x63 };
    if (buf.size() < 240 || memcmp(&buf[236], cookie, 4) != 0) {
        return (false);
    }
    size_t i = 240;
    while (i < buf.size()) {
        uint8_t c = buf[i];
        if (c == 0) {
            ++i;
            continue;
        }
        if (c == 255 || i + 1 >= buf.size()) {
            break;
        }
        size_t l = buf[i + 1];
        if (i + 2 + l > buf.size()) {
            break;      // truncated option: ignore the rest
        }
        if (c == code) {
            *data = &buf[i + 2];
            *len = l;
            return (true);
        }
        i += 2 + l;
    }
    return (false);
}

const char* kindName(boots_boot_kind k) {
    switch (k) {
    case BOOTS_BOOT_TFTP:
        return ("tftp");
    case BOOTS_BOOT_HTTP_BINARY:
        return ("http-binary");
    case BOOTS_BOOT_SCRIPT:
        return ("ipxe-script");
    default:
        return ("none");
    }
}

/// Apply the boot decision and the hardware options to an OFFER or ACK.
void decorateReply(HookState* st, const Pkt4Ptr& query,
                   const Pkt4Ptr& response, uint8_t type) {
    GenerationPtr gen = CurrentGeneration::get();
    const boots_hw* hw = entryFor(gen, query);
    if (!hw && st->cfg.unknown != UnknownClients::ALLOCATE_NETBOOT) {
        return;
    }

    if (hw) {
        // Hardware options only when the reply carries the hardware's own
        // address (Kea may hand a pool address while a conflict resolves).
        uint32_t addr = response->getYiaddr().toUint32();
        if (addr == 0) {
            addr = query->getCiaddr().toUint32();   // INFORM
        }
        if (addr == hw->ip) {
            for (auto const& opt : gen->hardwareOptions(hw)) {
                replaceOption(response, opt);
            }
            if (st->syslog_option) {
                replaceOption(response, st->syslog_option);
            }
        } else {
            statAdd(STAT_ADDRESS_MISMATCH);
            char want[BOOTS_IP4_STRLEN];
            boots_ip4_format(hw->ip, want);
            LOG_DEBUG(boots_logger, BOOTS_DBG_DECISION,
                      BOOTS_NO_HARDWARE_OPTIONS)
                .arg(hw->mac_str).arg(response->getYiaddr().toText())
                .arg(want);
        }
    }

    boots_dhcp_request req;
    memset(&req, 0, sizeof(req));
    req.msg_type = query->getType();
    isc::dhcp::HWAddrPtr mac = query->getHWAddr();
    if (mac && mac->hwaddr_.size() == 6) {
        memcpy(req.mac, &mac->hwaddr_[0], 6);
    }
    rawOption(query, isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER,
              &req.vendor_class, &req.vendor_class_len);
    rawOption(query, isc::dhcp::DHO_SYSTEM, &req.client_arch,
              &req.client_arch_len);
    rawOption(query, isc::dhcp::DHO_USER_CLASS, &req.user_class,
              &req.user_class_len);

    boots_decision d;
    boots_decide(&st->settings, &req, hw, &d);

    if (d.kind != BOOTS_BOOT_NONE) {
        size_t len = strnlen(d.bootfile, sizeof(d.bootfile));
        if (len > 255) {
            LOG_ERROR(boots_logger, BOOTS_BOOTFILE_TOO_LONG)
                .arg(macText(query)).arg(len);
        } else {
            if (d.next_server != 0) {
                response->setSiaddr(IOAddress(d.next_server));
            }
            // The BOOTP file field holds 128 bytes: a name that fits goes
            // there (as Smee does); a longer URL goes in option 67 and the
            // field is cleared.
            static const uint8_t empty_file[1] = { 0 };
            if (len < 128) {
                response->setFile(reinterpret_cast<const uint8_t*>(
                                      d.bootfile), len);
                response->options_.erase(isc::dhcp::DHO_BOOT_FILE_NAME);
            } else {
                response->setFile(empty_file, 1);
                replaceOption(response, isc::dhcp::DHO_BOOT_FILE_NAME,
                              reinterpret_cast<const uint8_t*>(d.bootfile),
                              len);
            }
            // The core only ever answers "PXEClient" or "HTTPClient":
            // both options are built once in load().
            if (d.vendor_class) {
                replaceOption(response,
                              strcmp(d.vendor_class, "HTTPClient") == 0 ?
                              st->opt60_http : st->opt60_pxe);
            }
            if (type == isc::dhcp::DHCPOFFER) {
                statAdd(STAT_NETBOOT_OFFERS);
            } else if (type == isc::dhcp::DHCPACK) {
                statAdd(STAT_NETBOOT_ACKS);
            }
        }
    }
    if (d.opt43_len > 0 && d.opt43_len < sizeof(d.opt43)) {
        // Encapsulated vendor options end with an END sub-option.
        uint8_t buf[BOOTS_OPT43_MAX + 1];
        memcpy(buf, d.opt43, d.opt43_len);
        buf[d.opt43_len] = 0xff;
        const OptionBuffer& pxe = st->opt43_pxe->getData();
        if (pxe.size() == d.opt43_len + 1u &&
            memcmp(&pxe[0], buf, pxe.size()) == 0) {
            replaceOption(response, st->opt43_pxe);     // the usual case
        } else {
            replaceOption(response,
                          isc::dhcp::DHO_VENDOR_ENCAPSULATED_OPTIONS,
                          buf, d.opt43_len + 1);
        }
    }
    if (d.opt175_len > 0 && d.opt175_len <= sizeof(d.opt175)) {
        replaceOption(response, 175, d.opt175, d.opt175_len);
    }

    LOG_DEBUG(boots_logger, BOOTS_DBG_DECISION, BOOTS_DECISION)
        .arg(macText(query)).arg(hw ? hw->id : "(unknown client)")
        .arg(response->getName()).arg(kindName(d.kind))
        .arg(d.kind != BOOTS_BOOT_NONE ? d.bootfile : "")
        .arg(boots_reason_str(d.reason));
}

/// Whether a callout may pack or unpack the packet itself: no callout
/// before it asked Kea to skip or drop that step, and no library after this
/// one has callouts that could still work on the packet as Kea would leave
/// it (this library is the last one in hooks-libraries).
bool wireHere(HookState* st, const CalloutHandle& handle) {
    if (handle.getStatus() != CalloutHandle::NEXT_STEP_CONTINUE) {
        return (false);
    }
    int n = st->library_count.load(std::memory_order_relaxed);
    if (n < 0) {
        n = static_cast<int>(HooksManager::getLibraryNames().size());
        st->library_count.store(n, std::memory_order_relaxed);
    }
    return (handle.getCurrentLibrary() == n);
}

#ifdef BOOTS_VERIFY_PACKING
/// Test builds: log once that the checks run, and log every difference
/// between the hook's and Kea's handling of a packet (boots_pack.h).
void logVerify(HookState* st, const isc::log::MessageID& id,
               const Pkt4Ptr& pkt, const PackDifference& diff) {
    if (!st->verify_logged.exchange(true)) {
        LOG_INFO(boots_logger, BOOTS_PACK_VERIFY);
    }
    if (!diff.ours.empty() || !diff.kea.empty()) {
        LOG_ERROR(boots_logger, id).arg(pkt->getLabel()).arg(diff.ours)
            .arg(diff.kea);
    }
}
#endif

// ---------------------------------------------------------------------
// Commands

ElementPtr entryToElement(const boots_hw* hw) {
    ElementPtr m = Element::createMap();
    char ip[BOOTS_IP4_STRLEN];
    auto str = [&m](const char* k, const char* v) {
        if (v) {
            m->set(k, Element::create(std::string(v)));
        }
    };
    auto addr = [&m, &ip](const char* k, uint32_t v) {
        if (v) {
            boots_ip4_format(v, ip);
            m->set(k, Element::create(std::string(ip)));
        }
    };
    str("id", hw->id);
    str("mac", hw->mac_str);
    addr("ip", hw->ip);
    addr("netmask", hw->netmask);
    addr("gateway", hw->gateway);
    str("hostname", hw->hostname);
    str("arch", hw->arch);
    str("facility", hw->facility);
    str("ipxe-url", hw->ipxe_url);
    if (hw->ipxe_contents) {
        m->set("ipxe-contents", Element::create(true));  // set, not shown
    }
    str("osie-base-url", hw->osie_base_url);
    if (hw->lease_time) {
        m->set("lease-time", Element::create(static_cast<int64_t>(
                                                 hw->lease_time)));
    }
    ElementPtr dns = Element::createList();
    for (unsigned i = 0; i < hw->n_name_servers && i < BOOTS_MAX_DNS; ++i) {
        boots_ip4_format(hw->name_servers[i], ip);
        dns->add(Element::create(std::string(ip)));
    }
    m->set("name-servers", dns);
    ElementPtr ntp = Element::createList();
    for (unsigned i = 0; i < hw->n_time_servers && i < BOOTS_MAX_NTP; ++i) {
        boots_ip4_format(hw->time_servers[i], ip);
        ntp->add(Element::create(std::string(ip)));
    }
    m->set("time-servers", ntp);
    if (hw->vlan_id >= 0) {
        m->set("vlan-id", Element::create(static_cast<int64_t>(hw->vlan_id)));
    }
    m->set("interface-index", Element::create(
               static_cast<int64_t>(hw->iface_index)));
    m->set("uefi", Element::create(hw->uefi));
    m->set("allow-pxe", Element::create(hw->allow_pxe));
    m->set("allow-workflow", Element::create(hw->allow_workflow));
    m->set("disable-dhcp", Element::create(hw->disable_dhcp));
    return (m);
}

void setResponse(CalloutHandle& handle, const ConstElementPtr& answer) {
    handle.setArgument("response", answer);
}

} // namespace

} // namespace boots_kea

using namespace boots_kea;

/// What Kea looks up by name with dlsym(): version, load, unload,
/// multi_threading_compatible and the callouts named after hook points
/// (exported whatever the visibility flags; kea-hook/build.mk says why the
/// library keeps default visibility).
#define BOOTS_KEA_ENTRY __attribute__((visibility("default")))

extern "C" {

BOOTS_KEA_ENTRY int version() {
    return (KEA_HOOKS_VERSION);
}

BOOTS_KEA_ENTRY int multi_threading_compatible() {
    return (1);
}

int boots_reload_command(CalloutHandle& handle);
int boots_hardware_get_command(CalloutHandle& handle);

BOOTS_KEA_ENTRY int load(LibraryHandle& handle) {
    HookState* st = nullptr;
    try {
        st = new HookState();
        st->cfg = parseConfig(handle);

        memset(&st->settings, 0, sizeof(st->settings));
        st->settings.tftp_server = st->cfg.tftp_server;
        st->settings.ipxe_script_url = st->cfg.ipxe_script_url.empty() ?
            NULL : st->cfg.ipxe_script_url.c_str();
        st->settings.ipxe_binary_url = st->cfg.ipxe_binary_url.empty() ?
            NULL : st->cfg.ipxe_binary_url.c_str();
        st->settings.prepend_mac = st->cfg.prepend_mac;
        st->settings.bootfile_bios = st->cfg.bootfile_bios.empty() ?
            NULL : st->cfg.bootfile_bios.c_str();
        st->settings.bootfile_efi_x86_64 =
            st->cfg.bootfile_efi_x86_64.empty() ?
            NULL : st->cfg.bootfile_efi_x86_64.c_str();
        st->settings.bootfile_efi_arm64 = st->cfg.bootfile_efi_arm64.empty() ?
            NULL : st->cfg.bootfile_efi_arm64.c_str();
        if (st->cfg.syslog_server) {
            uint32_t ip = st->cfg.syslog_server;
            uint8_t b[4] = { static_cast<uint8_t>(ip >> 24),
                             static_cast<uint8_t>(ip >> 16),
                             static_cast<uint8_t>(ip >> 8),
                             static_cast<uint8_t>(ip) };
            st->syslog_option.reset(new Option(Option::V4,
                isc::dhcp::DHO_LOG_SERVERS, OptionBuffer(b, b + 4)));
        }

        static const char pxe[] = "PXEClient";
        static const char http[] = "HTTPClient";
        st->opt60_pxe.reset(new Option(Option::V4,
            isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER,
            OptionBuffer(pxe, pxe + sizeof(pxe) - 1)));
        st->opt60_http.reset(new Option(Option::V4,
            isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER,
            OptionBuffer(http, http + sizeof(http) - 1)));
        static const uint8_t pxe43[] = { 6, 1, 8, 0xff };
        st->opt43_pxe.reset(new Option(Option::V4,
            isc::dhcp::DHO_VENDOR_ENCAPSULATED_OPTIONS,
            OptionBuffer(pxe43, pxe43 + sizeof(pxe43))));

        st->holder = boots_hwdb_holder_new();
        if (!st->holder) {
            throw std::bad_alloc();
        }
        boots_source_config sc;
        memset(&sc, 0, sizeof(sc));
        const BootsConfig& c = st->cfg;
        sc.hardware_file = c.hardware_file.empty() ?
            NULL : c.hardware_file.c_str();
        sc.hardware_url = c.hardware_url.empty() ?
            NULL : c.hardware_url.c_str();
        sc.token_file = c.token_file.empty() ? NULL : c.token_file.c_str();
        sc.ca_file = c.ca_file.empty() ? NULL : c.ca_file.c_str();
        sc.cert_file = c.cert_file.empty() ? NULL : c.cert_file.c_str();
        sc.key_file = c.key_file.empty() ? NULL : c.key_file.c_str();
        sc.refresh_interval = c.refresh_interval;
        sc.timeout = c.timeout;
        sc.watch = c.watch;

        boots_error err;
        boots_error_clear(&err);
        st->source = boots_source_new(&sc, st->holder, logFromCore,
                                      sourceEvent, st, &err);
        if (!st->source) {
            throw ConfigError(std::string("hardware source: ") + err.message);
        }
        state = st;

        // Statistics exist (at zero) from the start.
        for (size_t i = 0; STAT_NAMES[i] != NULL; ++i) {
            statSet(STAT_NAMES[i], 0);
        }

        // First load, on this thread.  A bad or missing file refuses the
        // configuration; an unreachable URL is retried in the background
        // (a DHCP server should come up even while the API is down).
        boots_error_clear(&err);
        int rc = boots_source_load(st->source, true, &err);
        if (rc < 0 && !c.hardware_file.empty()) {
            throw ConfigError(err.message);
        }
        rc = boots_source_start(st->source, &err);
        if (rc < 0) {
            throw ConfigError(std::string("hardware source: ") + err.message);
        }

        st->backend.reset(new BootsHostDataSource());
        isc::dhcp::HostDataSourceFactory::deregisterFactory(
            BootsHostDataSource::TYPE, true);
        isc::dhcp::HostDataSourceFactory::registerFactory(
            BootsHostDataSource::TYPE, backendFactory, true);
        ensureBackend("load");

        handle.registerCommandCallout("boots-reload", boots_reload_command);
        handle.registerCommandCallout("boots-hardware-get",
                                      boots_hardware_get_command);

        GenerationPtr gen = CurrentGeneration::get();
        const boots_hwdb* db = gen ? gen->db() : nullptr;
        LOG_INFO(boots_logger, BOOTS_LOAD_OK)
            .arg(db ? boots_hwdb_records(db) : 0)
            .arg(db ? boots_hwdb_count(db) : 0)
            .arg(c.sourceName());
        return (0);
    } catch (const std::exception& ex) {
        try {
            LOG_ERROR(boots_logger, BOOTS_LOAD_FAILED).arg(ex.what());
        } catch (...) {
        }
    } catch (...) {
        try {
            LOG_ERROR(boots_logger, BOOTS_LOAD_FAILED).arg("unknown error");
        } catch (...) {
        }
    }
    // Failure: undo whatever was set up.
    if (st) {
        if (st->source) {
            boots_source_free(st->source);
            st->source = nullptr;
        }
        try {
            dropBackend();
            isc::dhcp::HostDataSourceFactory::deregisterFactory(
                BootsHostDataSource::TYPE, true);
        } catch (...) {
        }
        CurrentGeneration::set(GenerationPtr());
        boots_hwdb_holder_free(st->holder);
        if (state == st) {
            for (size_t i = 0; STAT_NAMES[i] != NULL; ++i) {
                StatsMgr::instance().del(STAT_NAMES[i]);
            }
            state = nullptr;
        }
        delete st;
    }
    return (1);
}

BOOTS_KEA_ENTRY int unload() {
    HookState* st = state;
    if (!st) {
        return (0);
    }
    try {
        // Stop the background thread first: nothing may publish after this.
        boots_source_free(st->source);
        st->source = nullptr;
        dropBackend();
        isc::dhcp::HostDataSourceFactory::deregisterFactory(
            BootsHostDataSource::TYPE, true);
        CurrentGeneration::set(GenerationPtr());
        boots_hwdb_holder_free(st->holder);
        st->holder = nullptr;
        for (size_t i = 0; STAT_NAMES[i] != NULL; ++i) {
            StatsMgr::instance().del(STAT_NAMES[i]);
        }
        LOG_INFO(boots_logger, BOOTS_UNLOAD);
    } catch (...) {
    }
    state = nullptr;
    delete st;
    return (0);
}

/// Kea committed a configuration (start-up, config-reload, config-set):
/// HostMgr was re-created after load(), so register the backend again.
BOOTS_KEA_ENTRY int dhcp4_srv_configured(CalloutHandle&) {
    try {
        if (state) {
            ensureBackend("dhcp4_srv_configured");
        }
    } catch (const std::exception& ex) {
        LOG_ERROR(boots_logger, BOOTS_CALLOUT_ERROR)
            .arg("dhcp4_srv_configured").arg(ex.what());
        return (1);
    }
    return (0);
}

/// The first look at a received packet, before Kea parses it: drop
/// packets from unknown MACs (unknown-clients "ignore") and from hardware
/// with disableDhcp, straight from the chaddr field; then unpack the
/// packet for Kea (boots_pack.h) when that is safe.
BOOTS_KEA_ENTRY int buffer4_receive(CalloutHandle& handle) {
    try {
        HookState* st = state;
        if (!st) {
            return (0);
        }
        Pkt4Ptr query;
        handle.getArgument(ARG_QUERY4, query);
        if (!query) {
            return (0);
        }
        const std::vector<uint8_t>& d = query->data_;
        if (d.size() < isc::dhcp::Pkt4::DHCPV4_PKT_HDR_LEN) {
            return (0);         // Kea refuses it with its own message
        }
        // chaddr: hlen at offset 2, the address at 28.
        const uint8_t* mac = d[2] == 6 ? &d[28] : NULL;
        GenerationPtr gen = CurrentGeneration::get();
        const boots_hw* hw = (mac && gen) ? gen->byMac(mac) : NULL;
        if (!hw) {
            if (st->cfg.unknown == UnknownClients::IGNORE) {
                handle.setStatus(CalloutHandle::NEXT_STEP_DROP);
                statAdd(STAT_UNKNOWN_DROPPED);
                LOG_DEBUG(boots_logger, BOOTS_DBG_DECISION,
                          BOOTS_UNKNOWN_DROPPED).arg(wireMacText(d));
                return (0);
            }
        } else if (hw->disable_dhcp) {
            handle.setStatus(CalloutHandle::NEXT_STEP_DROP);
            statAdd(STAT_DISABLED_DROPPED);
            LOG_DEBUG(boots_logger, BOOTS_DBG_DECISION,
                      BOOTS_DISABLED_DROPPED)
                .arg(wireMacText(d)).arg(hw->id);
            return (0);
        }
        // Unpack here unless another library already parsed the packet.
        if (wireHere(st, handle) && query->options_.empty() &&
            unpackQuery(*query)) {
#ifdef BOOTS_VERIFY_PACKING
            logVerify(st, BOOTS_UNPACK_MISMATCH, query,
                      compareUnpack(*query));
#endif
            handle.setStatus(CalloutHandle::NEXT_STEP_SKIP);
        }
    } catch (const std::exception& ex) {
        LOG_ERROR(boots_logger, BOOTS_CALLOUT_ERROR)
            .arg("buffer4_receive").arg(ex.what());
    } catch (...) {
        LOG_ERROR(boots_logger, BOOTS_CALLOUT_ERROR)
            .arg("buffer4_receive").arg("unknown error");
    }
    return (0);
}

/// Per-hardware lease time (Kea 2.2 has no per-host lifetime): set on
/// new allocations (lease4_select) and on existing leases (lease4_renew).
static void applyLeaseTime(CalloutHandle& handle, const char* where) {
    try {
        GenerationPtr gen = CurrentGeneration::get();
        if (!gen || !gen->hasLeaseTimes()) {
            return;     // no record sets a lease time: Kea's value stands
        }
        Pkt4Ptr query;
        Lease4Ptr lease;
        handle.getArgument(ARG_QUERY4, query);
        handle.getArgument(ARG_LEASE4, lease);
        if (!lease) {
            return;
        }
        const boots_hw* hw = entryFor(gen, query);
        if (hw && hw->lease_time != 0 && lease->addr_.isV4() &&
            lease->addr_.toUint32() == hw->ip) {
            lease->valid_lft_ = hw->lease_time;
            LOG_DEBUG(boots_logger, BOOTS_DBG_LOOKUP, BOOTS_LEASE_TIME)
                .arg(hw->mac_str).arg(lease->addr_.toText())
                .arg(hw->lease_time);
        }
    } catch (const std::exception& ex) {
        LOG_ERROR(boots_logger, BOOTS_CALLOUT_ERROR).arg(where)
            .arg(ex.what());
    } catch (...) {
        LOG_ERROR(boots_logger, BOOTS_CALLOUT_ERROR).arg(where)
            .arg("unknown error");
    }
}

BOOTS_KEA_ENTRY int lease4_select(CalloutHandle& handle) {
    applyLeaseTime(handle, "lease4_select");
    return (0);
}

BOOTS_KEA_ENTRY int lease4_renew(CalloutHandle& handle) {
    applyLeaseTime(handle, "lease4_renew");
    return (0);
}

/// Boot fields and hardware options on OFFERs and ACKs; then the reply is
/// packed here rather than by Kea when that is safe (boots_pack.h).
BOOTS_KEA_ENTRY int pkt4_send(CalloutHandle& handle) {
    try {
        HookState* st = state;
        if (!st) {
            return (0);
        }
        Pkt4Ptr query;
        Pkt4Ptr response;
        handle.getArgument(ARG_QUERY4, query);
        handle.getArgument(ARG_RESPONSE4, response);
        if (!query || !response) {
            return (0);
        }
        uint8_t type = response->getType();
        if (type == isc::dhcp::DHCPOFFER || type == isc::dhcp::DHCPACK) {
            decorateReply(st, query, response, type);
        }
        if (wireHere(st, handle) && packReply(*response)) {
#ifdef BOOTS_VERIFY_PACKING
            logVerify(st, BOOTS_PACK_MISMATCH, response,
                      comparePack(*response));
#endif
            handle.setStatus(CalloutHandle::NEXT_STEP_SKIP);
        }
    } catch (const std::exception& ex) {
        LOG_ERROR(boots_logger, BOOTS_CALLOUT_ERROR)
            .arg("pkt4_send").arg(ex.what());
    } catch (...) {
        LOG_ERROR(boots_logger, BOOTS_CALLOUT_ERROR)
            .arg("pkt4_send").arg("unknown error");
    }
    return (0);
}

/// {"command": "boots-reload"}: re-read and validate the hardware source
/// now and swap it in; on failure the old data stays and the answer names
/// record, field and value.  With {"arguments": {"wait": false}} the
/// refresh thread does the same while the command answers at once.
int boots_reload_command(CalloutHandle& handle) {
    try {
        HookState* st = state;
        if (!st || !st->source) {
            setResponse(handle, createAnswer(isc::config::CONTROL_RESULT_ERROR,
                                             "boots is not loaded"));
            return (0);
        }
        ConstElementPtr command;
        handle.getArgument("command", command);
        ConstElementPtr cmd_args;
        isc::config::parseCommand(cmd_args, command);
        bool wait = true;
        if (cmd_args) {
            std::string bad;
            if (cmd_args->getType() != Element::map) {
                bad = "arguments must be a map";
            } else {
                for (auto const& kv : cmd_args->mapValue()) {
                    if (kv.first != "wait") {
                        bad = "unknown argument '" + kv.first + "'";
                    } else if (kv.second->getType() != Element::boolean) {
                        bad = "'wait' must be true or false";
                    } else {
                        wait = kv.second->boolValue();
                    }
                }
            }
            if (!bad.empty()) {
                setResponse(handle, createAnswer(
                    isc::config::CONTROL_RESULT_ERROR, "boots-reload: " + bad +
                    " (it takes no arguments or {\"wait\": false})"));
                return (0);
            }
        }
        boots_error err;
        boots_error_clear(&err);
        if (!wait) {
            // Kea runs commands on the thread that receives packets: hand
            // the load to the refresh thread and answer at once.
            if (boots_source_request_load(st->source, &err) < 0) {
                setResponse(handle, createAnswer(
                    isc::config::CONTROL_RESULT_ERROR, err.message));
                return (0);
            }
            GenerationPtr gen = CurrentGeneration::get();
            ElementPtr started = Element::createMap();
            started->set("generation", Element::create(static_cast<int64_t>(
                             gen ? gen->generation() : 0)));
            setResponse(handle, createAnswer(
                isc::config::CONTROL_RESULT_SUCCESS,
                "reload of " + st->cfg.sourceName() + " started in the "
                "background; boots.generation moves when it is in use, "
                "boots.reload-failed and the log tell a failure", started));
            return (0);
        }
        int rc = boots_source_load(st->source, true, &err);
        updateSourceStats(st);
        if (rc < 0) {
            setResponse(handle, createAnswer(isc::config::CONTROL_RESULT_ERROR,
                                             err.message));
            return (0);
        }
        GenerationPtr gen = CurrentGeneration::get();
        const boots_hwdb* db = gen ? gen->db() : nullptr;
        ElementPtr args = Element::createMap();
        size_t records = db ? boots_hwdb_records(db) : 0;
        size_t entries = db ? boots_hwdb_count(db) : 0;
        args->set("records", Element::create(static_cast<int64_t>(records)));
        args->set("interfaces",
                  Element::create(static_cast<int64_t>(entries)));
        args->set("generation", Element::create(static_cast<int64_t>(
                      gen ? gen->generation() : 0)));
        std::ostringstream text;
        text << "hardware reloaded from " << st->cfg.sourceName() << ": "
             << records << " records, " << entries << " interfaces";
        setResponse(handle, createAnswer(isc::config::CONTROL_RESULT_SUCCESS,
                                         text.str(), args));
    } catch (const std::exception& ex) {
        LOG_ERROR(boots_logger, BOOTS_COMMAND_ERROR)
            .arg("boots-reload").arg(ex.what());
        setResponse(handle, createAnswer(isc::config::CONTROL_RESULT_ERROR,
                                         ex.what()));
    }
    return (0);
}

/// {"command": "boots-hardware-get", "arguments": {"mac": "..."}} or
/// {"arguments": {"ip": "..."}}: show the entry Boots serves.
int boots_hardware_get_command(CalloutHandle& handle) {
    try {
        ConstElementPtr command;
        handle.getArgument("command", command);
        ConstElementPtr args;
        isc::config::parseCommand(args, command);
        ConstElementPtr mac = args ? args->get("mac") : ConstElementPtr();
        ConstElementPtr ip = args ? args->get("ip") : ConstElementPtr();
        if (!args || args->getType() != Element::map ||
            (!mac == !ip) ||
            (mac && mac->getType() != Element::string) ||
            (ip && ip->getType() != Element::string)) {
            setResponse(handle, createAnswer(isc::config::CONTROL_RESULT_ERROR,
                "boots-hardware-get needs arguments {\"mac\": \"aa:bb:cc:dd:"
                "ee:ff\"} or {\"ip\": \"a.b.c.d\"}"));
            return (0);
        }
        GenerationPtr gen = CurrentGeneration::get();
        const boots_hw* hw = NULL;
        if (mac) {
            uint8_t m[6];
            const std::string s = mac->stringValue();
            if (boots_mac_parse(s.c_str(), s.size(), m) != BOOTS_OK) {
                setResponse(handle, createAnswer(
                    isc::config::CONTROL_RESULT_ERROR,
                    "'mac': \"" + s + "\" is not a MAC address"));
                return (0);
            }
            hw = gen ? gen->byMac(m) : NULL;
        } else {
            uint32_t a = 0;
            const std::string s = ip->stringValue();
            if (boots_ip4_parse(s.c_str(), s.size(), &a) != BOOTS_OK) {
                setResponse(handle, createAnswer(
                    isc::config::CONTROL_RESULT_ERROR,
                    "'ip': \"" + s + "\" is not an IPv4 address"));
                return (0);
            }
            hw = gen ? gen->byIp(a) : NULL;
        }
        if (!hw) {
            setResponse(handle, createAnswer(isc::config::CONTROL_RESULT_EMPTY,
                                             "no hardware entry found"));
            return (0);
        }
        setResponse(handle, createAnswer(isc::config::CONTROL_RESULT_SUCCESS,
                                         std::string("hardware ") + hw->id,
                                         entryToElement(hw)));
    } catch (const std::exception& ex) {
        LOG_ERROR(boots_logger, BOOTS_COMMAND_ERROR)
            .arg("boots-hardware-get").arg(ex.what());
        setResponse(handle, createAnswer(isc::config::CONTROL_RESULT_ERROR,
                                         ex.what()));
    }
    return (0);
}

} // extern "C"
