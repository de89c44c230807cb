/*
 * Boots compatibility header for Kea 2.2.0 development files.
 *
 * Debian's kea-dev 2.2.0 installs dhcpsrv/network.h and dhcpsrv/srv_config.h
 * but not the dhcpsrv/cfg_globals.h they include (an upstream install-list
 * omission).  The Boots hook needs cfgmgr.h and subnet.h for one purpose:
 * asking the running configuration which subnet holds an address.
 *
 * This header is written for Boots; it is NOT Kea's file.  It only names
 * what the installed headers mention so that they compile: a class
 * CfgGlobals with parameter indexes and accessors.  Boots never creates,
 * reads or calls a CfgGlobals (the indexes' values are therefore
 * irrelevant), and the hook is linked with -Wl,--no-undefined, so any
 * accidental use of an accessor declared here fails the build.
 */
#ifndef BOOTS_COMPAT_CFG_GLOBALS_H
#define BOOTS_COMPAT_CFG_GLOBALS_H

#include <cc/data.h>
#include <boost/shared_ptr.hpp>
#include <string>

namespace isc {
namespace dhcp {

class CfgGlobals {
public:
    /* Parameter indexes referenced by inline code in network.h. */
    enum Index {
        VALID_LIFETIME, MIN_VALID_LIFETIME, MAX_VALID_LIFETIME,
        PREFERRED_LIFETIME, MIN_PREFERRED_LIFETIME, MAX_PREFERRED_LIFETIME,
        RENEW_TIMER, REBIND_TIMER, CALCULATE_TEE_TIMES, T1_PERCENT,
        T2_PERCENT, RESERVATIONS_GLOBAL, RESERVATIONS_IN_SUBNET,
        RESERVATIONS_OUT_OF_POOL, MATCH_CLIENT_ID, AUTHORITATIVE,
        NEXT_SERVER, SERVER_HOSTNAME, BOOT_FILE_NAME, STORE_EXTENDED_INFO,
        CACHE_THRESHOLD, CACHE_MAX_AGE, HOSTNAME_CHAR_SET,
        HOSTNAME_CHAR_REPLACEMENT, DDNS_SEND_UPDATES,
        DDNS_OVERRIDE_NO_UPDATE, DDNS_OVERRIDE_CLIENT_UPDATE,
        DDNS_REPLACE_CLIENT_NAME, DDNS_GENERATED_PREFIX,
        DDNS_QUALIFYING_SUFFIX, DDNS_UPDATE_ON_RENEW,
        DDNS_USE_CONFLICT_RESOLUTION
    };

    /* Declared only (defined in libkea-dhcpsrv); Boots never calls them. */
    isc::data::ConstElementPtr get(const std::string& name) const;
    isc::data::ConstElementPtr get(int index) const;
    void set(const std::string& name, isc::data::ConstElementPtr value);
    void clear();
};

typedef boost::shared_ptr<CfgGlobals> CfgGlobalsPtr;
typedef boost::shared_ptr<const CfgGlobals> ConstCfgGlobalsPtr;

} // namespace dhcp
} // namespace isc

#endif /* BOOTS_COMPAT_CFG_GLOBALS_H */
