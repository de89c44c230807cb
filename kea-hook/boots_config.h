// boots_config.h - the hook's parameters ("parameters" of its
// hooks-libraries entry), checked once at load().

#ifndef BOOTS_CONFIG_H
#define BOOTS_CONFIG_H

#include <cc/data.h>

#include <stdint.h>
#include <stdexcept>
#include <string>

namespace isc { namespace hooks { class LibraryHandle; } }

namespace boots_kea {

/// What happens to a client whose MAC is in no hardware record.
enum class UnknownClients {
    IGNORE,            ///< drop its packets (default)
    ALLOCATE,          ///< Kea's pools, no boot options
    ALLOCATE_NETBOOT   ///< Kea's pools, with boot options
};

/// A parameter was missing, of the wrong type or had a bad value.  what()
/// names the parameter.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(const std::string& what) : std::runtime_error(what) {}
};

struct BootsConfig {
    // Hardware source (exactly one of file or url).
    std::string hardware_file;
    std::string hardware_url;
    std::string token_file;
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
    unsigned    refresh_interval = 0;  // 0: the source's default
    unsigned    timeout = 0;           // 0: the source's default
    bool        watch = false;         // follow the Kubernetes watch stream

    // Boot and options.
    uint32_t    tftp_server = 0;       // host order; 0: not set
    uint32_t    syslog_server = 0;     // host order; 0: not set
    std::string ipxe_script_url;
    std::string ipxe_binary_url;
    bool        prepend_mac = true;
    std::string bootfile_bios;
    std::string bootfile_efi_x86_64;
    std::string bootfile_efi_arm64;
    UnknownClients unknown = UnknownClients::IGNORE;

    /// Where the hardware comes from, for log messages.
    std::string sourceName() const {
        return (hardware_file.empty() ? hardware_url : hardware_file);
    }
};

/// Read and check every parameter of the library.  Throws ConfigError
/// naming the first bad parameter (unknown keys included).
BootsConfig parseConfig(isc::hooks::LibraryHandle& handle);

/// The same on a map element (used by parseConfig; kept separate so the
/// checks can be exercised without a LibraryHandle).
BootsConfig parseConfigMap(const isc::data::ConstElementPtr& params);

const char* unknownClientsName(UnknownClients u);

} // namespace boots_kea

#endif // BOOTS_CONFIG_H
