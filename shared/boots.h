/*
 * boots.h - the Boots core: hardware data, the boot decision and the iPXE
 * script renderer, shared by the Kea hook and the nginx module.
 *
 * The core knows nothing of Kea or nginx.  It never prints: errors are
 * returned as a negative BOOTS_E* code with details in a caller-provided
 * boots_error.  Ownership of every returned pointer is stated next to the
 * function ("new": the caller frees it with the paired function;
 * "borrowed": valid as long as the object it came from).
 *
 * Threads: a boots_hwdb is immutable once built and may be read from any
 * number of threads.  Snapshots are reference counted; a boots_hwdb_holder
 * publishes the current snapshot and swaps in a new one atomically (see
 * "Snapshots and swapping" below).
 */
#ifndef BOOTS_H
#define BOOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

#define BOOTS_OK          0
#define BOOTS_ENOMEM     -1   /* out of memory */
#define BOOTS_EIO        -2   /* file or source could not be read */
#define BOOTS_EPARSE     -3   /* not valid JSON */
#define BOOTS_EINVAL     -4   /* a field has a bad value */
#define BOOTS_EDUP       -5   /* duplicate MAC or IP across records */
#define BOOTS_ENOTFOUND  -6   /* lookup found nothing */
#define BOOTS_EUNSAFE    -7   /* value would change an iPXE script's meaning */
#define BOOTS_ETOOBIG    -8   /* value or output exceeds a fixed limit */
#define BOOTS_ESOURCE    -9   /* remote hardware source failed (HTTP, TLS) */

/*
 * Details of a failure.  message is complete and human readable, e.g.
 *   hardware.json: record default/sm01: field
 *   spec.interfaces[0].dhcp.mac: invalid MAC address "zz:00:00:00:00:01"
 * record and field are also given on their own (empty when not relevant).
 * Never contains a secret.
 */
typedef struct boots_error {
    int  code;
    char record[160];
    char field[96];
    char message[512];
} boots_error;

/* Clear *err (safe to pass NULL). */
void boots_error_clear(boots_error *err);

/* A static English name for a BOOTS_E* code ("invalid value", ...). */
const char *boots_strerror(int code);

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

#define BOOTS_MAC_STRLEN 18   /* "aa:bb:cc:dd:ee:ff" + NUL */
#define BOOTS_IP4_STRLEN 16   /* "255.255.255.255" + NUL */

/*
 * Parse a MAC written with ':' or '-' separators or none, in any case
 * ("AA-BB-CC-DD-EE-FF", "aabbccddeeff").  len is the length of s (s need
 * not be NUL-terminated).  Returns 0 or BOOTS_EINVAL.
 */
int boots_mac_parse(const char *s, size_t len, uint8_t mac[6]);

/* Write the canonical lower-case colon form into out (18 bytes). */
void boots_mac_format(const uint8_t mac[6], char out[BOOTS_MAC_STRLEN]);

/* Parse a dotted-quad IPv4 address (exactly four decimal parts, no leading
 * zeros beyond a single "0").  *ip is in host byte order.  0 or BOOTS_EINVAL. */
int boots_ip4_parse(const char *s, size_t len, uint32_t *ip);

/* Format a host-order IPv4 address into out (16 bytes). */
void boots_ip4_format(uint32_t ip, char out[BOOTS_IP4_STRLEN]);

/* ------------------------------------------------------------------ */
/* Hardware model                                                      */
/* ------------------------------------------------------------------ */

#define BOOTS_MAX_DNS 8     /* name_servers kept per interface */
#define BOOTS_MAX_NTP 8     /* time_servers kept per interface */

/*
 * One network interface of one hardware record: the unit Boots serves.
 * A Hardware object with three interfaces yields three boots_hw entries
 * sharing the same id.  All strings are NUL-terminated and borrowed from
 * the snapshot that holds the entry; absent optional strings are NULL.
 * Addresses are IPv4 in host byte order; 0 means "not set".
 */
typedef struct boots_hw {
    const char *id;             /* "namespace/name" (Kubernetes) or "id" */
    const char *hostname;       /* dhcp.hostname */
    const char *arch;           /* dhcp.arch, default "x86_64" (never NULL) */
    const char *facility;       /* facility_code */
    const char *ipxe_url;       /* netboot.ipxe.url (http/https only) */
    const char *ipxe_contents;  /* netboot.ipxe.contents (operator script) */
    const char *osie_base_url;  /* netboot.osie.baseURL / base_url */
    const char *osie_kernel;    /* netboot.osie.kernel */
    const char *osie_initrd;    /* netboot.osie.initrd */

    uint32_t    ip;
    uint32_t    netmask;
    uint32_t    gateway;
    uint32_t    lease_time;     /* seconds; 0 = not set */
    uint32_t    name_servers[BOOTS_MAX_DNS];
    uint32_t    time_servers[BOOTS_MAX_NTP];
    uint8_t     n_name_servers;
    uint8_t     n_time_servers;

    uint8_t     mac[6];
    char        mac_str[BOOTS_MAC_STRLEN];  /* canonical "aa:bb:..." */
    int16_t     vlan_id;        /* 1..4094; -1 = not set */
    uint16_t    iface_index;    /* position in the record's interface list */

    bool        uefi;
    bool        disable_dhcp;
    bool        allow_pxe;      /* default false, as in Tinkerbell */
    bool        allow_workflow; /* default false */
} boots_hw;

/* ------------------------------------------------------------------ */
/* Snapshots                                                           */
/* ------------------------------------------------------------------ */

/*
 * An immutable, indexed set of boots_hw entries: O(1) lookup by MAC and by
 * IP.  Reference counted (atomic); freed when the last reference goes.
 */
typedef struct boots_hwdb boots_hwdb;

/*
 * Load hardware data from a file or a memory buffer.  Accepted shapes:
 *  - a Kubernetes List / HardwareList {"kind": ..., "items": [Hardware...]},
 *  - a single tinkerbell.org/v1alpha1 Hardware object,
 *  - a JSON array of Hardware objects (or of tink-server objects),
 *  - the older tink-server object {"id", "metadata", "network": {...}}.
 * source_name names the input in error messages (e.g. the file path or
 * URL); NULL means "<buffer>".
 *
 * The whole input is validated; on any error nothing is returned (*out stays
 * NULL), the code is returned and *err (may be NULL) names source, record,
 * field and value.  On success *out is a new snapshot with one reference.
 */
int boots_hwdb_load_file(const char *path, boots_hwdb **out,
                         boots_error *err);
int boots_hwdb_load_buffer(const char *buf, size_t len,
                           const char *source_name, boots_hwdb **out,
                           boots_error *err);

/* Take another reference (returns db) / drop one (NULL is ignored). */
boots_hwdb *boots_hwdb_ref(boots_hwdb *db);
void boots_hwdb_unref(boots_hwdb *db);

/* Number of entries (interfaces). */
size_t boots_hwdb_count(const boots_hwdb *db);

/* Number of distinct hardware records (objects) the entries came from. */
size_t boots_hwdb_records(const boots_hwdb *db);

/* Entry i, 0 <= i < count (borrowed), for iteration; NULL if out of range. */
const boots_hw *boots_hwdb_at(const boots_hwdb *db, size_t i);

/* Index of an entry of this snapshot (for per-entry caches). */
size_t boots_hwdb_index(const boots_hwdb *db, const boots_hw *hw);

/* Lookups (borrowed; NULL when absent). ip in host byte order. */
const boots_hw *boots_hwdb_by_mac(const boots_hwdb *db,
                                  const uint8_t mac[6]);
const boots_hw *boots_hwdb_by_ip(const boots_hwdb *db, uint32_t ip);

/* Bytes of heap this snapshot holds (entries, strings and indexes). */
size_t boots_hwdb_memory(const boots_hwdb *db);

/* A generation number, unique per process and increasing per load. */
uint64_t boots_hwdb_generation(const boots_hwdb *db);

/* ------------------------------------------------------------------ */
/* Snapshots and swapping                                              */
/* ------------------------------------------------------------------ */

/*
 * A holder publishes "the current snapshot" to many reader threads.
 * Scheme: reference counting.  boots_hwdb_holder_get() takes a new
 * reference under a short mutex; the reader uses the snapshot for as long
 * as it likes and drops it with boots_hwdb_unref().  boots_hwdb_holder_set()
 * swaps the pointer under the same mutex and drops the holder's reference
 * to the old snapshot, which is freed when its last reader lets go.
 * Parsing and index building happen before set(), outside the lock, so
 * readers are never blocked behind a load.
 */
typedef struct boots_hwdb_holder boots_hwdb_holder;

boots_hwdb_holder *boots_hwdb_holder_new(void);          /* new */
void boots_hwdb_holder_free(boots_hwdb_holder *h);       /* drops current */
/* New reference to the current snapshot, or NULL if none was set. */
boots_hwdb *boots_hwdb_holder_get(boots_hwdb_holder *h);
/* Publish db (the holder steals the caller's reference; NULL clears). */
void boots_hwdb_holder_set(boots_hwdb_holder *h, boots_hwdb *db);

/* ------------------------------------------------------------------ */
/* The boot decision (DHCP)                                            */
/* ------------------------------------------------------------------ */

/* Architecture classes and the default binary names (settings). */
#define BOOTS_BOOTFILE_BIOS        "undionly.kpxe"
#define BOOTS_BOOTFILE_EFI_X86_64  "ipxe.efi"
#define BOOTS_BOOTFILE_EFI_ARM64   "snp.efi"

typedef struct boots_settings {
    uint32_t    tftp_server;      /* next-server for TFTP boots (host order) */
    const char *ipxe_script_url;  /* e.g. "http://10.99.0.1/auto.ipxe" */
    const char *ipxe_binary_url;  /* e.g. "http://10.99.0.1/ipxe/" */
    bool        prepend_mac;      /* insert /<mac>/ before the script name */
    const char *bootfile_bios;        /* NULL = BOOTS_BOOTFILE_BIOS */
    const char *bootfile_efi_x86_64;  /* NULL = BOOTS_BOOTFILE_EFI_X86_64 */
    const char *bootfile_efi_arm64;   /* NULL = BOOTS_BOOTFILE_EFI_ARM64 */
} boots_settings;

/* What the client sent.  Option buffers are raw option payloads (borrowed,
 * NULL when the option is absent). */
typedef struct boots_dhcp_request {
    int            msg_type;          /* DHCP message type (option 53) */
    uint8_t        mac[6];            /* chaddr */
    const uint8_t *vendor_class;      /* option 60 */
    size_t         vendor_class_len;
    const uint8_t *client_arch;       /* option 93: big-endian uint16 list */
    size_t         client_arch_len;
    const uint8_t *user_class;        /* option 77: raw or RFC 3004 framed */
    size_t         user_class_len;
} boots_dhcp_request;

typedef enum {
    BOOTS_BOOT_NONE = 0,     /* IP only: no boot file, no next-server */
    BOOTS_BOOT_TFTP,         /* firmware PXE: TFTP binary name */
    BOOTS_BOOT_HTTP_BINARY,  /* UEFI HTTP boot: binary's HTTP URL */
    BOOTS_BOOT_SCRIPT        /* iPXE: the iPXE script URL */
} boots_boot_kind;

typedef enum {
    BOOTS_REASON_NETBOOT = 0,        /* a boot file is given */
    BOOTS_REASON_NOT_NETBOOT_CLIENT, /* no option 60 PXEClient/HTTPClient + 93 */
    BOOTS_REASON_MESSAGE_TYPE,       /* not DISCOVER or REQUEST */
    BOOTS_REASON_UNKNOWN_ARCH,       /* option 93 names no supported arch */
    BOOTS_REASON_PXE_NOT_ALLOWED,    /* allowPXE false */
    BOOTS_REASON_NO_SCRIPT_URL,      /* iPXE client but no script URL set */
    BOOTS_REASON_NO_BINARY_URL,      /* HTTPClient but no binary URL set */
    BOOTS_REASON_URL_TOO_LONG        /* URL exceeds BOOTS_BOOTFILE_MAX */
} boots_reason;

/* Static text for a reason ("allowPXE is false", ...). */
const char *boots_reason_str(boots_reason reason);

#define BOOTS_BOOTFILE_MAX 1024
#define BOOTS_OPT43_MAX    255

typedef struct boots_decision {
    boots_boot_kind kind;
    boots_reason    reason;
    int             arch;          /* option-93 value chosen; -1 if none */
    bool            ipxe;          /* user class iPXE or Tinkerbell */
    uint32_t        next_server;   /* siaddr to set (host order); 0 = none */
    const char     *vendor_class;  /* option 60 to send (static), or NULL */
    char            bootfile[BOOTS_BOOTFILE_MAX]; /* "" when kind == NONE */
    /* Option 43 payload (encoded sub-options, no END), for every client
     * with hardware: 6 = 0x08 for TFTP boots, 9/10 for Raspberry Pis and
     * 116 = VLAN id (ASCII decimal) when the hardware has vlan_id. */
    uint8_t         opt43[BOOTS_OPT43_MAX];
    size_t          opt43_len;
    /* Option 175 payload for iPXE clients: sub-option 176 (no-pxedhcp) = 1,
     * so iPXE does not wait for ProxyDHCP offers. */
    uint8_t         opt175[8];
    size_t          opt175_len;
} boots_decision;

/*
 * Decide how a client boots.  hw may be NULL (unknown client served from a
 * pool with boot options): hardware-specific parts are then skipped.
 * Always fills *out; returns 0, or BOOTS_ETOOBIG if a URL does not fit
 * (then out->kind is BOOTS_BOOT_NONE).
 */
int boots_decide(const boots_settings *settings,
                 const boots_dhcp_request *req, const boots_hw *hw,
                 boots_decision *out);

/* The option-93 architecture Boots would use for this request, or -1. */
int boots_client_arch(const boots_dhcp_request *req);

/* ------------------------------------------------------------------ */
/* The iPXE script                                                     */
/* ------------------------------------------------------------------ */

typedef struct boots_script_settings {
    const char *osie_url;          /* kernel/initrd base URL (required) */
    const char *tink_server;       /* grpc_authority, host:port */
    bool        tink_tls;          /* tinkerbell_tls=true|false */
    const char *syslog_host;
    const char *facility;          /* default when hardware has none */
    const char *registry;          /* docker_registry= */
    const char *registry_username; /* registry_username= */
    const char *registry_password; /* registry_password= (secret) */
    const char *tink_worker_image; /* tink_worker_image= */
    const char *kernel_args;       /* extra space-separated arguments */
    const char *console;           /* NULL = "console=tty0 console=ttyS0,115200" */
    int         retries;           /* kernel/initrd/boot attempts; <0 = 10 */
    int         retry_delay;       /* seconds; <0 = 2 */
} boots_script_settings;

/*
 * True when value can stand as one token in an iPXE script line: non-empty,
 * printable ASCII, no whitespace, quotes, '$', '{', '}', '#', ';', '&',
 * '|', '\\' or control bytes.
 */
bool boots_ipxe_token_is_safe(const char *value);

/* The same for a space-separated list of tokens (kernel_args). */
bool boots_ipxe_args_are_safe(const char *value);

/*
 * Check script settings once (at configuration time).  Returns 0 or
 * BOOTS_EUNSAFE/BOOTS_EINVAL with *err naming the setting (never printing
 * the password's value).
 */
int boots_script_settings_check(const boots_script_settings *s,
                                boots_error *err);

/*
 * Render hw's iPXE script into buf (size bytes, NUL-terminated when it
 * fits).  snprintf semantics: returns the script's length (without NUL);
 * if that is >= size nothing useful is in buf and the caller retries with
 * a bigger buffer.  Returns a negative BOOTS_E* on error (e.g. an unsafe
 * value) with *err filled.  Custom scripts: ipxe_contents after "#!ipxe",
 * or "chain --autofree <ipxe_url>".
 */
long boots_ipxe_script_render(const boots_script_settings *s,
                              const boots_hw *hw, char *buf, size_t size,
                              boots_error *err);

#ifdef __cplusplus
}
#endif

#endif /* BOOTS_H */
