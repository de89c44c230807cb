/*
 * bootfile.c - the boot decision: from what a DHCP client sent (options 53,
 * 60, 77, 93 and its MAC), its hardware entry and the settings, decide
 * whether it network boots, with which file or URL, which next-server and
 * which vendor options (43, 60, 175) go into the reply.
 *
 * Pure computation on caller-provided memory: no allocation, no locks, no
 * globals, so it is safe on a packet path from any number of threads.
 */
#include "boots.h"

#include <stdio.h>
#include <string.h>

#define DHCP_DISCOVER 1
#define DHCP_REQUEST  3

#define ARCH_RPIBOOT 41

/* Sub-options of option 43 (vendor specific) that Boots sends. */
#define OPT43_PXE_DISCOVERY_CONTROL 6
#define OPT43_RPI_MENU_PROMPT       9
#define OPT43_RPI_BOOT_MENU         10
#define OPT43_VLAN_ID               116

/* PXE discovery control: use the boot file name, no boot server discovery. */
#define PXE_DISCOVERY_BOOT_FILENAME 0x08

/* Option 175 (iPXE encapsulated), sub-option 176: skip ProxyDHCP wait. */
#define OPT175_NO_PXEDHCP 176

static const char VENDOR_PXE[]  = "PXEClient";
static const char VENDOR_HTTP[] = "HTTPClient";

/* The Raspberry Pi bootloader looks for these two sub-options before it
 * accepts a PXE offer: a menu prompt (timeout 0, then the magic text) and a
 * boot menu entry (type 0, description "PXE"). */
static const uint8_t RPI_MENU_PROMPT[] = "\x00\x00\x11" "Raspberry Pi Boot";
static const uint8_t RPI_BOOT_MENU[]   = "\x00" "PXE";

/* Organisationally unique identifiers of Raspberry Pi network interfaces. */
static const uint8_t RPI_OUIS[][3] = {
    { 0xb8, 0x27, 0xeb },
    { 0xdc, 0xa6, 0x32 },
    { 0xe4, 0x5f, 0x01 },
    { 0x28, 0xcd, 0xc1 },
    { 0xd8, 0x3a, 0xdd },
};

typedef enum {
    BIN_NONE = 0,
    BIN_BIOS,
    BIN_EFI_X86_64,
    BIN_EFI_ARM64
} binary_class;

/* Option 93 value -> binary (behaviour reference, section 1). */
static binary_class arch_binary(int arch)
{
    switch (arch) {
    case 0: case 1: case 2: case 3: case 4: case 5:
    case 20:                                   /* x86 BIOS over HTTP */
        return BIN_BIOS;
    case 6: case 7: case 8: case 9: case 15: case 16:
        return BIN_EFI_X86_64;
    case 10: case 11: case 18: case 19: case ARCH_RPIBOOT:
        return BIN_EFI_ARM64;
    default:
        return BIN_NONE;
    }
}

static const char *binary_name(const boots_settings *s, binary_class c)
{
    switch (c) {
    case BIN_BIOS:
        return s->bootfile_bios && s->bootfile_bios[0]
               ? s->bootfile_bios : BOOTS_BOOTFILE_BIOS;
    case BIN_EFI_X86_64:
        return s->bootfile_efi_x86_64 && s->bootfile_efi_x86_64[0]
               ? s->bootfile_efi_x86_64 : BOOTS_BOOTFILE_EFI_X86_64;
    case BIN_EFI_ARM64:
        return s->bootfile_efi_arm64 && s->bootfile_efi_arm64[0]
               ? s->bootfile_efi_arm64 : BOOTS_BOOTFILE_EFI_ARM64;
    default:
        return NULL;
    }
}

static bool is_rpi(const uint8_t mac[6])
{
    size_t i;

    for (i = 0; i < sizeof(RPI_OUIS) / sizeof(RPI_OUIS[0]); i++) {
        if (memcmp(mac, RPI_OUIS[i], 3) == 0)
            return true;
    }
    return false;
}

static bool has_prefix(const uint8_t *buf, size_t len, const char *prefix,
                       size_t plen)
{
    return buf != NULL && len >= plen && memcmp(buf, prefix, plen) == 0;
}

static bool bytes_equal(const uint8_t *buf, size_t len, const char *s,
                        size_t slen)
{
    return len == slen && memcmp(buf, s, slen) == 0;
}

static bool is_ipxe_class(const uint8_t *buf, size_t len)
{
    return bytes_equal(buf, len, "iPXE", 4)
        || bytes_equal(buf, len, "Tinkerbell", 10);
}

/*
 * Option 77 as iPXE sends it (the bare string), or RFC 3004 framed: a list
 * of length-prefixed strings that exactly fills the option.  Any string of
 * the list may name iPXE.
 */
static bool user_class_is_ipxe(const uint8_t *uc, size_t len)
{
    size_t off = 0;
    bool found = false;

    if (uc == NULL || len == 0)
        return false;
    if (is_ipxe_class(uc, len))
        return true;
    while (off < len) {
        size_t n = uc[off];

        if (n == 0 || n > len - off - 1)
            return false;          /* not a valid RFC 3004 list */
        if (is_ipxe_class(uc + off + 1, n))
            found = true;
        off += 1 + n;
    }
    return found;
}

int boots_client_arch(const boots_dhcp_request *req)
{
    size_t i;

    if (req == NULL)
        return -1;
    if (is_rpi(req->mac))
        return ARCH_RPIBOOT;
    if (req->client_arch == NULL)
        return -1;
    for (i = 0; i + 1 < req->client_arch_len; i += 2) {
        int arch = (req->client_arch[i] << 8) | req->client_arch[i + 1];

        if (arch_binary(arch) != BIN_NONE)
            return arch;
    }
    return -1;
}

const char *boots_reason_str(boots_reason reason)
{
    switch (reason) {
    case BOOTS_REASON_NETBOOT:
        return "network boot";
    case BOOTS_REASON_NOT_NETBOOT_CLIENT:
        return "not a network boot client (no option 60 PXEClient/HTTPClient "
               "with option 93)";
    case BOOTS_REASON_MESSAGE_TYPE:
        return "message type is not DISCOVER or REQUEST";
    case BOOTS_REASON_UNKNOWN_ARCH:
        return "option 93 names no supported architecture";
    case BOOTS_REASON_PXE_NOT_ALLOWED:
        return "allowPXE is false";
    case BOOTS_REASON_NO_SCRIPT_URL:
        return "iPXE client but no iPXE script URL is set";
    case BOOTS_REASON_NO_BINARY_URL:
        return "UEFI HTTP client but no iPXE binary URL is set";
    case BOOTS_REASON_URL_TOO_LONG:
        return "boot URL is longer than the DHCP boot file limit";
    }
    return "unknown reason";
}

/* Append one encoded sub-option to the option 43 payload; false if full. */
static bool opt43_add(boots_decision *d, uint8_t code, const uint8_t *data,
                      size_t len)
{
    if (len > 255 || d->opt43_len + 2 + len > sizeof(d->opt43))
        return false;
    d->opt43[d->opt43_len++] = code;
    d->opt43[d->opt43_len++] = (uint8_t)len;
    memcpy(d->opt43 + d->opt43_len, data, len);
    d->opt43_len += len;
    return true;
}

static void opt43_add_vlan(boots_decision *d, const boots_hw *hw)
{
    char vlan[8];
    int n;

    if (hw == NULL || hw->vlan_id < 1 || hw->vlan_id > 4094)
        return;
    n = snprintf(vlan, sizeof(vlan), "%d", (int)hw->vlan_id);
    if (n > 0 && (size_t)n < sizeof(vlan))
        opt43_add(d, OPT43_VLAN_ID, (const uint8_t *)vlan, (size_t)n);
}

/*
 * The script URL with "/<mac>" inserted before its last path segment:
 * http://h/auto.ipxe -> http://h/<mac>/auto.ipxe.  The last segment is the
 * one after the last '/' of the path (before any '?' or '#'), never inside
 * "scheme://host".  A URL without a path gets "/<mac>/" appended.
 */
static int script_url_with_mac(const char *url, const char *mac,
                               char *out, size_t size)
{
    const char *path = NULL;
    const char *end = NULL;
    const char *slash = NULL;
    const char *p = NULL;
    size_t head = 0;
    int n = 0;

    path = strstr(url, "://");
    path = path ? path + 3 : url;
    end = path + strcspn(path, "?#");
    for (p = path; p < end; p++) {
        if (*p == '/')
            slash = p;
    }
    if (slash == NULL) {
        head = (size_t)(end - url);
        n = snprintf(out, size, "%.*s/%s/%s", (int)head, url, mac, end);
    } else {
        head = (size_t)(slash - url);
        n = snprintf(out, size, "%.*s/%s%s", (int)head, url, mac, slash);
    }
    return (n < 0 || (size_t)n >= size) ? BOOTS_ETOOBIG : 0;
}

/* base + '/' + name with exactly one '/' between them. */
static int join_url(const char *base, const char *name, char *out,
                    size_t size)
{
    size_t blen = strlen(base);
    int n = 0;

    while (blen > 0 && base[blen - 1] == '/')
        blen--;
    while (*name == '/')
        name++;
    n = snprintf(out, size, "%.*s/%s", (int)blen, base, name);
    return (n < 0 || (size_t)n >= size) ? BOOTS_ETOOBIG : 0;
}

static int copy_url(const char *url, char *out, size_t size)
{
    size_t len = strlen(url);

    if (len >= size)
        return BOOTS_ETOOBIG;
    memcpy(out, url, len + 1);
    return 0;
}

/* Drop any boot fields: the client gets its IP options only. */
static void no_boot(boots_decision *d, boots_reason reason)
{
    d->kind = BOOTS_BOOT_NONE;
    d->reason = reason;
    d->next_server = 0;
    d->vendor_class = NULL;
    d->bootfile[0] = '\0';
}

int boots_decide(const boots_settings *settings,
                 const boots_dhcp_request *req, const boots_hw *hw,
                 boots_decision *out)
{
    char mac[BOOTS_MAC_STRLEN];
    binary_class bin = BIN_NONE;
    bool http_client = false;
    bool rpi = false;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    out->arch = -1;
    no_boot(out, BOOTS_REASON_NOT_NETBOOT_CLIENT);
    if (settings == NULL || req == NULL)
        return 0;

    /* Facts from the packet, reported whatever the outcome. */
    out->arch = boots_client_arch(req);
    out->ipxe = user_class_is_ipxe(req->user_class, req->user_class_len);
    rpi = is_rpi(req->mac);
    http_client = has_prefix(req->vendor_class, req->vendor_class_len,
                             VENDOR_HTTP, sizeof(VENDOR_HTTP) - 1);
    if (out->ipxe) {
        out->opt175[0] = OPT175_NO_PXEDHCP;
        out->opt175[1] = 1;
        out->opt175[2] = 1;
        out->opt175_len = 3;
    }

    if (req->msg_type != DHCP_DISCOVER && req->msg_type != DHCP_REQUEST) {
        no_boot(out, BOOTS_REASON_MESSAGE_TYPE);
        goto vlan;
    }
    if ((!http_client && !has_prefix(req->vendor_class,
                                     req->vendor_class_len, VENDOR_PXE,
                                     sizeof(VENDOR_PXE) - 1))
        || req->client_arch == NULL || req->client_arch_len < 2) {
        no_boot(out, BOOTS_REASON_NOT_NETBOOT_CLIENT);
        goto vlan;
    }
    if (hw != NULL && !hw->allow_pxe) {
        no_boot(out, BOOTS_REASON_PXE_NOT_ALLOWED);
        goto vlan;
    }
    bin = out->arch < 0 ? BIN_NONE : arch_binary(out->arch);
    if (bin == BIN_NONE) {
        no_boot(out, BOOTS_REASON_UNKNOWN_ARCH);
        goto vlan;
    }

    out->reason = BOOTS_REASON_NETBOOT;
    if (out->ipxe) {
        /* iPXE is running: hand it the script (or the operator's URL). */
        if (hw != NULL && hw->ipxe_url != NULL && hw->ipxe_url[0]) {
            rc = copy_url(hw->ipxe_url, out->bootfile, sizeof(out->bootfile));
        } else if (settings->ipxe_script_url == NULL
                   || !settings->ipxe_script_url[0]) {
            no_boot(out, BOOTS_REASON_NO_SCRIPT_URL);
            goto vlan;
        } else if (settings->prepend_mac) {
            /* The MAC the client sent (the entry was found by it). */
            boots_mac_format(req->mac, mac);
            rc = script_url_with_mac(settings->ipxe_script_url, mac,
                                     out->bootfile, sizeof(out->bootfile));
        } else {
            rc = copy_url(settings->ipxe_script_url, out->bootfile,
                          sizeof(out->bootfile));
        }
        out->kind = BOOTS_BOOT_SCRIPT;
        out->next_server = settings->tftp_server;
        out->vendor_class = http_client ? VENDOR_HTTP : VENDOR_PXE;
    } else if (http_client) {
        /* UEFI HTTP boot: the firmware fetches the iPXE binary by URL. */
        if (settings->ipxe_binary_url == NULL
            || !settings->ipxe_binary_url[0]) {
            no_boot(out, BOOTS_REASON_NO_BINARY_URL);
            goto vlan;
        }
        rc = join_url(settings->ipxe_binary_url, binary_name(settings, bin),
                      out->bootfile, sizeof(out->bootfile));
        out->kind = BOOTS_BOOT_HTTP_BINARY;
        out->vendor_class = VENDOR_HTTP;
    } else {
        /* Firmware PXE: the iPXE binary over TFTP, no server discovery. */
        uint8_t ctl = PXE_DISCOVERY_BOOT_FILENAME;

        rc = copy_url(binary_name(settings, bin), out->bootfile,
                      sizeof(out->bootfile));
        out->kind = BOOTS_BOOT_TFTP;
        out->next_server = settings->tftp_server;
        out->vendor_class = VENDOR_PXE;
        opt43_add(out, OPT43_PXE_DISCOVERY_CONTROL, &ctl, 1);
    }
    if (rc != 0) {
        out->opt43_len = 0;
        no_boot(out, BOOTS_REASON_URL_TOO_LONG);
        goto vlan;
    }
    if (rpi) {
        opt43_add(out, OPT43_RPI_MENU_PROMPT, RPI_MENU_PROMPT,
                  sizeof(RPI_MENU_PROMPT) - 1);
        opt43_add(out, OPT43_RPI_BOOT_MENU, RPI_BOOT_MENU,
                  sizeof(RPI_BOOT_MENU) - 1);
    }

vlan:
    opt43_add_vlan(out, hw);
    return rc;
}
