// boots_config.cc - checking the hook's parameters.
//
// Every check names the parameter it rejects; unknown keys are rejected so
// that a typo ("hardware_file") cannot silently fall back to a default.

#include "boots_config.h"

extern "C" {
#include "boots.h"
}

#include <hooks/library_handle.h>

#include <cstring>
#include <set>
#include <sstream>

using isc::data::ConstElementPtr;
using isc::data::Element;

namespace boots_kea {

namespace {

// Longest URL accepted for ipxe-script-url / ipxe-binary-url.  A DHCP
// option holds at most 255 bytes and the boot file name may add "/<mac>/"
// or a binary name, so leave room for that.
const size_t URL_MAX = 200;
// Longest TFTP binary name: it must fit the 128-byte BOOTP file field.
const size_t BOOTFILE_NAME_MAX = 127;

const char* const KNOWN_KEYS[] = {
    "hardware-file", "hardware-url", "hardware-token-file",
    "hardware-ca-file", "hardware-cert-file", "hardware-key-file",
    "refresh-interval", "hardware-timeout", "hardware-watch", "tftp-server",
    "ipxe-script-url", "ipxe-binary-url", "ipxe-script-prepend-mac",
    "syslog-server", "unknown-clients", "boot-files", NULL
};

[[noreturn]] void fail(const std::string& name, const std::string& what) {
    throw ConfigError("parameter '" + name + "': " + what);
}

std::string typeName(const ConstElementPtr& e) {
    return (Element::typeToName(static_cast<Element::types>(e->getType())));
}

bool printable(const std::string& s) {
    for (unsigned char c : s) {
        if (c <= 0x20 || c >= 0x7f) {
            return (false);
        }
    }
    return (true);
}

std::string getString(const ConstElementPtr& params, const std::string& name,
                      bool allow_empty = false) {
    ConstElementPtr e = params->get(name);
    if (!e) {
        return (std::string());
    }
    if (e->getType() != Element::string) {
        fail(name, "must be a string, not " + typeName(e));
    }
    std::string v = e->stringValue();
    if (v.empty() && !allow_empty) {
        fail(name, "must not be empty");
    }
    if (v.size() > 4096) {
        fail(name, "is too long");
    }
    return (v);
}

std::string getPath(const ConstElementPtr& params, const std::string& name) {
    std::string v = getString(params, name);
    if (!v.empty() && v.find('\0') != std::string::npos) {
        fail(name, "contains a NUL byte");
    }
    return (v);
}

uint32_t getIp4(const ConstElementPtr& params, const std::string& name) {
    std::string v = getString(params, name);
    if (v.empty()) {
        return (0);
    }
    uint32_t ip = 0;
    if (boots_ip4_parse(v.c_str(), v.size(), &ip) != BOOTS_OK || ip == 0) {
        fail(name, "\"" + v + "\" is not an IPv4 address");
    }
    return (ip);
}

unsigned getSeconds(const ConstElementPtr& params, const std::string& name,
                    int64_t min, int64_t max) {
    ConstElementPtr e = params->get(name);
    if (!e) {
        return (0);
    }
    if (e->getType() != Element::integer) {
        fail(name, "must be an integer (seconds), not " + typeName(e));
    }
    int64_t v = e->intValue();
    if (v < min || v > max) {
        std::ostringstream s;
        s << v << " is out of range (" << min << " to " << max << " seconds)";
        fail(name, s.str());
    }
    return (static_cast<unsigned>(v));
}

std::string getUrl(const ConstElementPtr& params, const std::string& name) {
    std::string v = getString(params, name);
    if (v.empty()) {
        return (v);
    }
    if (v.compare(0, 7, "http://") != 0 && v.compare(0, 8, "https://") != 0) {
        fail(name, "\"" + v + "\" is not an http:// or https:// URL");
    }
    if (!printable(v)) {
        fail(name, "contains spaces or control characters");
    }
    if (!boots_ipxe_token_is_safe(v.c_str())) {
        fail(name, "contains characters that are unsafe in an iPXE script");
    }
    if (v.size() > URL_MAX) {
        std::ostringstream s;
        s << "is " << v.size() << " bytes long (at most " << URL_MAX
          << " fit a DHCP boot file option)";
        fail(name, s.str());
    }
    return (v);
}

std::string getBootFile(const ConstElementPtr& map, const std::string& key) {
    const std::string name = "boot-files." + key;
    ConstElementPtr e = map->get(key);
    if (!e) {
        return (std::string());
    }
    if (e->getType() != Element::string) {
        fail(name, "must be a string, not " + typeName(e));
    }
    std::string v = e->stringValue();
    if (v.empty()) {
        fail(name, "must not be empty");
    }
    if (!printable(v) || !boots_ipxe_token_is_safe(v.c_str())) {
        fail(name, "\"" + v + "\" contains spaces, control or unsafe "
             "characters");
    }
    if (v.size() > BOOTFILE_NAME_MAX) {
        fail(name, "is longer than the 127 bytes of the BOOTP file field");
    }
    return (v);
}

} // namespace

const char* unknownClientsName(UnknownClients u) {
    switch (u) {
    case UnknownClients::ALLOCATE:
        return ("allocate");
    case UnknownClients::ALLOCATE_NETBOOT:
        return ("allocate-netboot");
    default:
        return ("ignore");
    }
}

BootsConfig parseConfigMap(const ConstElementPtr& params) {
    BootsConfig cfg;
    if (!params || params->getType() != Element::map) {
        throw ConfigError("the library needs \"parameters\" (a map) with at "
                          "least \"hardware-file\" or \"hardware-url\"");
    }

    std::set<std::string> known;
    for (size_t i = 0; KNOWN_KEYS[i] != NULL; ++i) {
        known.insert(KNOWN_KEYS[i]);
    }
    for (auto const& kv : params->mapValue()) {
        if (known.count(kv.first) == 0) {
            fail(kv.first, "unknown parameter");
        }
    }

    cfg.hardware_file = getPath(params, "hardware-file");
    cfg.hardware_url = getString(params, "hardware-url");
    if (cfg.hardware_file.empty() == cfg.hardware_url.empty()) {
        fail("hardware-file", cfg.hardware_file.empty() ?
             "one of \"hardware-file\" or \"hardware-url\" is required" :
             "\"hardware-file\" and \"hardware-url\" are mutually exclusive");
    }
    if (!cfg.hardware_url.empty() &&
        cfg.hardware_url.compare(0, 7, "http://") != 0 &&
        cfg.hardware_url.compare(0, 8, "https://") != 0) {
        fail("hardware-url", "must be an http:// or https:// URL");
    }
    if (!cfg.hardware_url.empty() && !printable(cfg.hardware_url)) {
        fail("hardware-url", "contains spaces or control characters");
    }
    cfg.token_file = getPath(params, "hardware-token-file");
    cfg.ca_file = getPath(params, "hardware-ca-file");
    cfg.cert_file = getPath(params, "hardware-cert-file");
    cfg.key_file = getPath(params, "hardware-key-file");
    const char* url_only[] = { "hardware-token-file", "hardware-ca-file",
                               "hardware-cert-file", "hardware-key-file",
                               "hardware-timeout", "hardware-watch", NULL };
    if (cfg.hardware_url.empty()) {
        for (size_t i = 0; url_only[i] != NULL; ++i) {
            if (params->get(url_only[i])) {
                fail(url_only[i], "only applies with \"hardware-url\"");
            }
        }
    }
    if (cfg.cert_file.empty() != cfg.key_file.empty()) {
        fail(cfg.cert_file.empty() ? "hardware-cert-file" :
             "hardware-key-file",
             "\"hardware-cert-file\" and \"hardware-key-file\" go together");
    }
    cfg.refresh_interval = getSeconds(params, "refresh-interval", 1, 86400);
    cfg.timeout = getSeconds(params, "hardware-timeout", 1, 600);
    ConstElementPtr w = params->get("hardware-watch");
    if (w) {
        if (w->getType() != Element::boolean) {
            fail("hardware-watch", "must be true or false, not " +
                 typeName(w));
        }
        cfg.watch = w->boolValue();
    }

    cfg.tftp_server = getIp4(params, "tftp-server");
    cfg.syslog_server = getIp4(params, "syslog-server");
    cfg.ipxe_script_url = getUrl(params, "ipxe-script-url");
    cfg.ipxe_binary_url = getUrl(params, "ipxe-binary-url");

    ConstElementPtr e = params->get("ipxe-script-prepend-mac");
    if (e) {
        if (e->getType() != Element::boolean) {
            fail("ipxe-script-prepend-mac",
                 "must be true or false, not " + typeName(e));
        }
        cfg.prepend_mac = e->boolValue();
    }

    e = params->get("unknown-clients");
    if (e) {
        if (e->getType() != Element::string) {
            fail("unknown-clients", "must be a string, not " + typeName(e));
        }
        const std::string v = e->stringValue();
        if (v == "ignore") {
            cfg.unknown = UnknownClients::IGNORE;
        } else if (v == "allocate") {
            cfg.unknown = UnknownClients::ALLOCATE;
        } else if (v == "allocate-netboot") {
            cfg.unknown = UnknownClients::ALLOCATE_NETBOOT;
        } else {
            fail("unknown-clients", "\"" + v + "\" is not one of ignore, "
                 "allocate, allocate-netboot");
        }
    }

    e = params->get("boot-files");
    if (e) {
        if (e->getType() != Element::map) {
            fail("boot-files", "must be a map, not " + typeName(e));
        }
        for (auto const& kv : e->mapValue()) {
            if (kv.first != "bios" && kv.first != "efi-x86_64" &&
                kv.first != "efi-arm64") {
                fail("boot-files." + kv.first, "unknown key (expected bios, "
                     "efi-x86_64, efi-arm64)");
            }
        }
        cfg.bootfile_bios = getBootFile(e, "bios");
        cfg.bootfile_efi_x86_64 = getBootFile(e, "efi-x86_64");
        cfg.bootfile_efi_arm64 = getBootFile(e, "efi-arm64");
    }
    return (cfg);
}

BootsConfig parseConfig(isc::hooks::LibraryHandle& handle) {
    isc::data::ElementPtr params = Element::createMap();
    for (auto const& name : handle.getParameterNames()) {
        params->set(name, handle.getParameter(name));
    }
    return (parseConfigMap(params));
}

} // namespace boots_kea
