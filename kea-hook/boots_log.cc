// boots_log.cc - the Boots hook's logger and its hand-written message table.

#include "boots_log.h"

#include <log/message_initializer.h>

namespace boots_kea {

isc::log::Logger boots_logger("boots-hooks");

const isc::log::MessageID BOOTS_LOAD_OK = "BOOTS_LOAD_OK";
const isc::log::MessageID BOOTS_LOAD_FAILED = "BOOTS_LOAD_FAILED";
const isc::log::MessageID BOOTS_UNLOAD = "BOOTS_UNLOAD";
const isc::log::MessageID BOOTS_CONFIG_ERROR = "BOOTS_CONFIG_ERROR";
const isc::log::MessageID BOOTS_BACKEND_ADDED = "BOOTS_BACKEND_ADDED";
const isc::log::MessageID BOOTS_RELOAD_OK = "BOOTS_RELOAD_OK";
const isc::log::MessageID BOOTS_RELOAD_FAILED = "BOOTS_RELOAD_FAILED";
const isc::log::MessageID BOOTS_SOURCE_ERROR = "BOOTS_SOURCE_ERROR";
const isc::log::MessageID BOOTS_SOURCE_WARN = "BOOTS_SOURCE_WARN";
const isc::log::MessageID BOOTS_SOURCE_INFO = "BOOTS_SOURCE_INFO";
const isc::log::MessageID BOOTS_SOURCE_DEBUG = "BOOTS_SOURCE_DEBUG";
const isc::log::MessageID BOOTS_UNKNOWN_DROPPED = "BOOTS_UNKNOWN_DROPPED";
const isc::log::MessageID BOOTS_DISABLED_DROPPED = "BOOTS_DISABLED_DROPPED";
const isc::log::MessageID BOOTS_DECISION = "BOOTS_DECISION";
const isc::log::MessageID BOOTS_NO_HARDWARE_OPTIONS =
    "BOOTS_NO_HARDWARE_OPTIONS";
const isc::log::MessageID BOOTS_BOOTFILE_TOO_LONG = "BOOTS_BOOTFILE_TOO_LONG";
const isc::log::MessageID BOOTS_LEASE_TIME = "BOOTS_LEASE_TIME";
const isc::log::MessageID BOOTS_CALLOUT_ERROR = "BOOTS_CALLOUT_ERROR";
const isc::log::MessageID BOOTS_COMMAND_ERROR = "BOOTS_COMMAND_ERROR";
const isc::log::MessageID BOOTS_HOST_LOOKUP = "BOOTS_HOST_LOOKUP";
const isc::log::MessageID BOOTS_PACK_VERIFY = "BOOTS_PACK_VERIFY";
const isc::log::MessageID BOOTS_PACK_MISMATCH = "BOOTS_PACK_MISMATCH";
const isc::log::MessageID BOOTS_UNPACK_MISMATCH = "BOOTS_UNPACK_MISMATCH";

namespace {

// Alternating ID / text, NULL-terminated (the layout Kea's
// MessageInitializer expects).
const char* boots_messages[] = {
    "BOOTS_LOAD_OK",
        "Boots hooks library loaded: %1 hardware records (%2 interfaces) "
        "from %3",
    "BOOTS_LOAD_FAILED", "Boots hooks library failed to load: %1",
    "BOOTS_UNLOAD", "Boots hooks library unloaded",
    "BOOTS_CONFIG_ERROR", "Boots hooks library parameter error: %1",
    "BOOTS_BACKEND_ADDED",
        "Boots host data source registered with the host manager (%1)",
    "BOOTS_RELOAD_OK",
        "Boots hardware data replaced: %1 hardware records (%2 interfaces), "
        "generation %3",
    "BOOTS_RELOAD_FAILED",
        "Boots hardware data rejected, the previous data stays in use: %1",
    "BOOTS_SOURCE_ERROR", "Boots hardware source: %1",
    "BOOTS_SOURCE_WARN", "Boots hardware source: %1",
    "BOOTS_SOURCE_INFO", "Boots hardware source: %1",
    "BOOTS_SOURCE_DEBUG", "Boots hardware source: %1",
    "BOOTS_UNKNOWN_DROPPED",
        "Boots dropped a packet from %1: no hardware record for this MAC "
        "(unknown-clients is ignore)",
    "BOOTS_DISABLED_DROPPED",
        "Boots dropped a packet from %1: hardware %2 has disableDhcp set",
    "BOOTS_DECISION",
        "Boots reply to %1 (hardware %2): %3, boot kind %4, file '%5', "
        "reason: %6",
    "BOOTS_NO_HARDWARE_OPTIONS",
        "Boots did not apply hardware options to %1: the reply's address %2 "
        "is not the hardware address %3",
    "BOOTS_BOOTFILE_TOO_LONG",
        "Boots could not send the boot file name to %1: %2 bytes do not fit "
        "a DHCP option",
    "BOOTS_LEASE_TIME", "Boots set the lease time of %1 (%2) to %3 seconds",
    "BOOTS_CALLOUT_ERROR", "Boots callout %1 failed: %2",
    "BOOTS_COMMAND_ERROR", "Boots command %1 failed: %2",
    "BOOTS_HOST_LOOKUP", "Boots host data source: %1",
    "BOOTS_PACK_VERIFY",
        "Boots is checking every packet it packs or unpacks against Kea's "
        "own code (a test build of the hook)",
    "BOOTS_PACK_MISMATCH",
        "Boots packed the reply to %1 differently from Kea, which sent its "
        "own: Boots %2, Kea %3",
    "BOOTS_UNPACK_MISMATCH",
        "Boots parsed the packet %1 differently from Kea: Boots %2, Kea %3",
    NULL
};

const isc::log::MessageInitializer boots_message_init(boots_messages);

} // namespace

} // namespace boots_kea
