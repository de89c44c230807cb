// boots_log.h - the Boots hook's logger and message IDs.
//
// Kea's message compiler is not shipped in kea-dev, so the message table is
// written by hand in boots_log.cc: each ID below has one line of text with
// %1-style placeholders there.  The logger is "boots-hooks", configured in
// Kea as "kea-dhcp4.boots-hooks".

#ifndef BOOTS_LOG_H
#define BOOTS_LOG_H

#include <log/logger.h>
#include <log/macros.h>
#include <log/message_types.h>

namespace boots_kea {

extern isc::log::Logger boots_logger;

// Debug levels (Kea's convention: higher is more verbose).
const int BOOTS_DBG_DECISION = 40;   // one line per reply: decision + reason
const int BOOTS_DBG_LOOKUP   = 50;   // host data source lookups

extern const isc::log::MessageID BOOTS_LOAD_OK;
extern const isc::log::MessageID BOOTS_LOAD_FAILED;
extern const isc::log::MessageID BOOTS_UNLOAD;
extern const isc::log::MessageID BOOTS_CONFIG_ERROR;
extern const isc::log::MessageID BOOTS_BACKEND_ADDED;
extern const isc::log::MessageID BOOTS_RELOAD_OK;
extern const isc::log::MessageID BOOTS_RELOAD_FAILED;
extern const isc::log::MessageID BOOTS_SOURCE_ERROR;
extern const isc::log::MessageID BOOTS_SOURCE_WARN;
extern const isc::log::MessageID BOOTS_SOURCE_INFO;
extern const isc::log::MessageID BOOTS_SOURCE_DEBUG;
extern const isc::log::MessageID BOOTS_UNKNOWN_DROPPED;
extern const isc::log::MessageID BOOTS_DISABLED_DROPPED;
extern const isc::log::MessageID BOOTS_DECISION;
extern const isc::log::MessageID BOOTS_NO_HARDWARE_OPTIONS;
extern const isc::log::MessageID BOOTS_BOOTFILE_TOO_LONG;
extern const isc::log::MessageID BOOTS_LEASE_TIME;
extern const isc::log::MessageID BOOTS_CALLOUT_ERROR;
extern const isc::log::MessageID BOOTS_COMMAND_ERROR;
extern const isc::log::MessageID BOOTS_HOST_LOOKUP;
extern const isc::log::MessageID BOOTS_PACK_VERIFY;
extern const isc::log::MessageID BOOTS_PACK_MISMATCH;
extern const isc::log::MessageID BOOTS_UNPACK_MISMATCH;

} // namespace boots_kea

#endif // BOOTS_LOG_H
