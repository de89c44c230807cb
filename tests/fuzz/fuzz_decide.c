/*
 * fuzz_decide.c - libFuzzer target for the boot decision's packet inputs:
 * boots_decide() and boots_client_arch() fed arbitrary option 53, 60, 77
 * and 93 bytes and MACs, with and without a hardware entry, under fuzzed
 * settings.
 *
 * Input layout (see fuzz_input.h; a short input leaves the rest zero or
 * absent):
 *   u8  flags     1 hw given, 2 allowPXE, 4 prepend_mac, 8 option 60
 *                 present, 16 option 93 present, 32 option 77 present,
 *                 64 hw has netboot.ipxe.url, 128 custom binary names
 *   u8  msg_type  (as a signed byte, so odd values reach the decision)
 *   6   MAC       (chaddr)
 *   u16 vlan_id   (signed)
 *   4   tftp server address
 *   option 60, option 93, option 77: each a u16 length + bytes
 *   NUL-separated strings: script URL, binary URL, hw ipxe_url, then the
 *   three binary names
 *
 * The invariants are what the Kea hook relies on when it copies the
 * decision into a reply: see check_decision().
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "boots.h"
#include "fuzz_input.h"

#define ARCH_RPIBOOT 41

static const uint8_t RPI_OUIS[][3] = {
    { 0xb8, 0x27, 0xeb }, { 0xdc, 0xa6, 0x32 }, { 0xe4, 0x5f, 0x01 },
    { 0x28, 0xcd, 0xc1 }, { 0xd8, 0x3a, 0xdd },
};

/* Binary class of an option-93 value (behaviour reference, section 1):
 * 0 none, 1 BIOS, 2 EFI x86-64, 3 EFI arm64. */
static int arch_class(int arch)
{
    static const int bios[] = { 0, 1, 2, 3, 4, 5, 20 };
    static const int x64[] = { 6, 7, 8, 9, 15, 16 };
    static const int arm[] = { 10, 11, 18, 19, ARCH_RPIBOOT };
    size_t i = 0;

    for (i = 0; i < sizeof(bios) / sizeof(bios[0]); i++)
        if (arch == bios[i])
            return 1;
    for (i = 0; i < sizeof(x64) / sizeof(x64[0]); i++)
        if (arch == x64[i])
            return 2;
    for (i = 0; i < sizeof(arm) / sizeof(arm[0]); i++)
        if (arch == arm[i])
            return 3;
    return 0;
}

static bool mac_is_rpi(const uint8_t mac[6])
{
    size_t i = 0;

    for (i = 0; i < sizeof(RPI_OUIS) / sizeof(RPI_OUIS[0]); i++)
        if (memcmp(mac, RPI_OUIS[i], 3) == 0)
            return true;
    return false;
}

static bool names_ipxe(const uint8_t *p, size_t n)
{
    return (n == 4 && memcmp(p, "iPXE", 4) == 0)
        || (n == 10 && memcmp(p, "Tinkerbell", 10) == 0);
}

/* Option 77 names iPXE: the bare string, or a well-formed RFC 3004 list
 * (non-empty length-prefixed strings filling the option exactly) with an
 * iPXE or Tinkerbell entry. */
static bool user_class_ipxe(const uint8_t *uc, size_t len)
{
    const uint8_t *end = NULL;
    bool found = false;

    if (uc == NULL || len == 0)
        return false;
    end = uc + len;
    if (names_ipxe(uc, len))
        return true;
    while (uc < end) {
        size_t n = *uc++;

        if (n == 0 || n > (size_t)(end - uc))
            return false;
        found = found || names_ipxe(uc, n);
        uc += n;
    }
    return found;
}

static bool starts_with(const uint8_t *p, size_t len, const char *s)
{
    size_t n = strlen(s);

    return p != NULL && len >= n && memcmp(p, s, n) == 0;
}

/* Option 93 value the decision should report: the MAC says Raspberry Pi,
 * else the first supported entry of the big-endian list, else -1. */
static int expected_arch(const boots_dhcp_request *req)
{
    size_t i = 0;

    if (mac_is_rpi(req->mac))
        return ARCH_RPIBOOT;
    for (i = 0; req->client_arch != NULL && i + 2 <= req->client_arch_len;
         i += 2) {
        int a = req->client_arch[i] * 256 + req->client_arch[i + 1];

        if (arch_class(a) != 0)
            return a;
    }
    return -1;
}

static const char *class_name(const boots_settings *s, int cls)
{
    const char *v = NULL;
    const char *def = NULL;

    switch (cls) {
    case 1:
        v = s->bootfile_bios;
        def = BOOTS_BOOTFILE_BIOS;
        break;
    case 2:
        v = s->bootfile_efi_x86_64;
        def = BOOTS_BOOTFILE_EFI_X86_64;
        break;
    default:
        v = s->bootfile_efi_arm64;
        def = BOOTS_BOOTFILE_EFI_ARM64;
        break;
    }
    return v != NULL && v[0] != '\0' ? v : def;
}

static size_t slen(const char *s)
{
    return s != NULL ? strlen(s) : 0;
}

/* The option-43 payload is a sequence of code/length/value sub-options that
 * exactly fills opt43_len; it has 6 (=0x08) for TFTP boots, 9 and 10 for a
 * booting Raspberry Pi, 116 (the VLAN in decimal) when the hardware has
 * one, each at most once and nothing else. */
static void check_opt43(const boots_decision *d, const boots_hw *hw,
                        bool rpi)
{
    bool seen[256];
    size_t off = 0;
    char vlan[8];

    memset(seen, 0, sizeof(seen));
    fuzz_check(d->opt43_len <= sizeof(d->opt43));
    while (off < d->opt43_len) {
        uint8_t code = d->opt43[off];
        size_t n = 0;
        const uint8_t *v = NULL;

        fuzz_check(off + 2 <= d->opt43_len);
        n = d->opt43[off + 1];
        fuzz_check(n <= d->opt43_len - off - 2);
        v = d->opt43 + off + 2;
        fuzz_check(!seen[code]);
        seen[code] = true;
        switch (code) {
        case 6:
            fuzz_check(n == 1 && v[0] == 0x08);
            break;
        case 9:
        case 10:
            fuzz_check(n > 0);
            break;
        case 116:
            fuzz_check(hw != NULL);
            snprintf(vlan, sizeof(vlan), "%d", (int)hw->vlan_id);
            fuzz_check(n == strlen(vlan) && memcmp(v, vlan, n) == 0);
            break;
        default:
            fuzz_check(0);
        }
        off += 2 + n;
    }
    fuzz_check(seen[6] == (d->kind == BOOTS_BOOT_TFTP));
    fuzz_check(seen[9] == (rpi && d->kind != BOOTS_BOOT_NONE));
    fuzz_check(seen[10] == seen[9]);
    fuzz_check(seen[116] == (hw != NULL && hw->vlan_id >= 1
                             && hw->vlan_id <= 4094));
}

static void check_decision(const boots_settings *s,
                           const boots_dhcp_request *req, const boots_hw *hw,
                           int rc, const boots_decision *d)
{
    bool ipxe = user_class_ipxe(req->user_class, req->user_class_len);
    bool http = starts_with(req->vendor_class, req->vendor_class_len,
                            "HTTPClient");
    bool pxe = starts_with(req->vendor_class, req->vendor_class_len,
                           "PXEClient");
    int arch = expected_arch(req);
    bool rpi = mac_is_rpi(req->mac);
    const char *hw_url = hw != NULL && hw->ipxe_url != NULL
                         && hw->ipxe_url[0] ? hw->ipxe_url : NULL;
    boots_reason want = BOOTS_REASON_NETBOOT;
    size_t blen = 0;

    fuzz_check(rc == 0 || rc == BOOTS_ETOOBIG);
    fuzz_check(memchr(d->bootfile, '\0', sizeof(d->bootfile)) != NULL);
    blen = strlen(d->bootfile);
    fuzz_check(d->arch == arch);
    fuzz_check(boots_client_arch(req) == arch);
    fuzz_check(d->ipxe == ipxe);
    fuzz_check(boots_reason_str(d->reason) != NULL);

    /* The gates, in order. */
    if (req->msg_type != 1 && req->msg_type != 3)
        want = BOOTS_REASON_MESSAGE_TYPE;
    else if ((!http && !pxe) || req->client_arch == NULL
             || req->client_arch_len < 2)
        want = BOOTS_REASON_NOT_NETBOOT_CLIENT;
    else if (hw != NULL && !hw->allow_pxe)
        want = BOOTS_REASON_PXE_NOT_ALLOWED;
    else if (arch < 0)
        want = BOOTS_REASON_UNKNOWN_ARCH;
    else if (ipxe && hw_url == NULL
             && (s->ipxe_script_url == NULL || !s->ipxe_script_url[0]))
        want = BOOTS_REASON_NO_SCRIPT_URL;
    else if (!ipxe && http
             && (s->ipxe_binary_url == NULL || !s->ipxe_binary_url[0]))
        want = BOOTS_REASON_NO_BINARY_URL;
    if (d->reason == BOOTS_REASON_URL_TOO_LONG) {
        /* Only a long configured URL or name can overflow the field. */
        fuzz_check(want == BOOTS_REASON_NETBOOT && rc == BOOTS_ETOOBIG);
        fuzz_check(slen(s->ipxe_script_url) + slen(s->ipxe_binary_url)
                   + slen(hw_url) + slen(s->bootfile_bios)
                   + slen(s->bootfile_efi_x86_64)
                   + slen(s->bootfile_efi_arm64) + 32
                   >= BOOTS_BOOTFILE_MAX);
    } else {
        fuzz_check(d->reason == want && rc == 0);
    }

    if (d->kind == BOOTS_BOOT_NONE) {
        fuzz_check(d->reason != BOOTS_REASON_NETBOOT);
        fuzz_check(blen == 0 && d->next_server == 0);
        fuzz_check(d->vendor_class == NULL);
    } else {
        fuzz_check(d->reason == BOOTS_REASON_NETBOOT && blen > 0);
        fuzz_check(d->vendor_class != NULL);
    }
    switch (d->kind) {
    case BOOTS_BOOT_NONE:
        break;
    case BOOTS_BOOT_SCRIPT:
        /* Only iPXE / Tinkerbell user classes get the script. */
        fuzz_check(ipxe);
        fuzz_check(d->next_server == s->tftp_server);
        fuzz_check(strcmp(d->vendor_class,
                          http ? "HTTPClient" : "PXEClient") == 0);
        if (hw_url != NULL) {
            fuzz_check(strcmp(d->bootfile, hw_url) == 0);
        } else if (!s->prepend_mac) {
            fuzz_check(strcmp(d->bootfile, s->ipxe_script_url) == 0);
        } else {
            char mac[BOOTS_MAC_STRLEN + 1];
            size_t ulen = strlen(s->ipxe_script_url);

            mac[0] = '/';
            boots_mac_format(req->mac, mac + 1);
            fuzz_check(strstr(d->bootfile, mac) != NULL);
            fuzz_check(blen == ulen + 18 || blen == ulen + 19);
        }
        break;
    case BOOTS_BOOT_HTTP_BINARY: {
        const char *base = s->ipxe_binary_url;
        const char *name = class_name(s, arch_class(arch));
        size_t n = strlen(base);

        fuzz_check(!ipxe && http && d->next_server == 0);
        fuzz_check(strcmp(d->vendor_class, "HTTPClient") == 0);
        while (n > 0 && base[n - 1] == '/')
            n--;
        while (*name == '/')
            name++;
        fuzz_check(blen == n + 1 + strlen(name));
        fuzz_check(memcmp(d->bootfile, base, n) == 0
                   && d->bootfile[n] == '/'
                   && strcmp(d->bootfile + n + 1, name) == 0);
        break;
    }
    case BOOTS_BOOT_TFTP:
        fuzz_check(!ipxe && !http && pxe);
        fuzz_check(d->next_server == s->tftp_server);
        fuzz_check(strcmp(d->vendor_class, "PXEClient") == 0);
        fuzz_check(strcmp(d->bootfile,
                          class_name(s, arch_class(arch))) == 0);
        break;
    default:
        fuzz_check(0);
    }

    check_opt43(d, hw, rpi);
    fuzz_check(d->opt175_len <= sizeof(d->opt175));
    if (ipxe)
        fuzz_check(d->opt175_len == 3 && d->opt175[0] == 176
                   && d->opt175[1] == 1 && d->opt175[2] == 1);
    else
        fuzz_check(d->opt175_len == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    boots_settings s;
    boots_dhcp_request req;
    boots_hw hw;
    boots_decision d1;
    boots_decision d2;
    uint8_t flags = 0;
    uint8_t *mac = NULL;
    size_t n = 0;
    const char *hw_url = NULL;
    int rc = 0;

    memset(&s, 0, sizeof(s));
    memset(&req, 0, sizeof(req));
    memset(&hw, 0, sizeof(hw));
    fuzz_input_init(&in, data, size);

    flags = fuzz_u8(&in);
    req.msg_type = (int8_t)fuzz_u8(&in);
    mac = fuzz_bytes(&in, 6, &n);
    memcpy(req.mac, mac, n);
    hw.vlan_id = (int16_t)fuzz_u16(&in);
    s.tftp_server = (uint32_t)fuzz_u16(&in) << 16;
    s.tftp_server |= fuzz_u16(&in);
    s.prepend_mac = (flags & 4) != 0;

    req.vendor_class = fuzz_field(&in, &req.vendor_class_len);
    req.client_arch = fuzz_field(&in, &req.client_arch_len);
    req.user_class = fuzz_field(&in, &req.user_class_len);
    if (!(flags & 8)) {
        req.vendor_class = NULL;
        req.vendor_class_len = 0;
    }
    if (!(flags & 16)) {
        req.client_arch = NULL;
        req.client_arch_len = 0;
    }
    if (!(flags & 32)) {
        req.user_class = NULL;
        req.user_class_len = 0;
    }
    s.ipxe_script_url = fuzz_string(&in);
    s.ipxe_binary_url = fuzz_string(&in);
    hw_url = fuzz_string(&in);
    if (flags & 128) {
        s.bootfile_bios = fuzz_string(&in);
        s.bootfile_efi_x86_64 = fuzz_string(&in);
        s.bootfile_efi_arm64 = fuzz_string(&in);
    }

    /* The entry the hook would have found by this MAC. */
    hw.id = "default/fuzz";
    hw.arch = "x86_64";
    hw.allow_pxe = (flags & 2) != 0;
    hw.ipxe_url = (flags & 64) ? hw_url : NULL;
    memcpy(hw.mac, req.mac, 6);
    boots_mac_format(hw.mac, hw.mac_str);

    rc = boots_decide(&s, &req, (flags & 1) ? &hw : NULL, &d1);
    check_decision(&s, &req, (flags & 1) ? &hw : NULL, rc, &d1);
#ifdef FUZZ_VERBOSE
    printf("kind %d reason %d arch %d ipxe %d opt43 %zu bootfile \"%.80s\"\n",
           (int)d1.kind, (int)d1.reason, d1.arch, (int)d1.ipxe,
           d1.opt43_len, d1.bootfile);
#endif
    /* Pure: the same inputs give the same decision. */
    fuzz_check(boots_decide(&s, &req, (flags & 1) ? &hw : NULL, &d2) == rc);
    fuzz_check(memcmp(&d1, &d2, sizeof(d1)) == 0);

    /* Missing settings or request: no boot, never a crash. */
    fuzz_check(boots_decide(NULL, &req, &hw, &d2) == 0);
    fuzz_check(d2.kind == BOOTS_BOOT_NONE && d2.bootfile[0] == '\0');
    fuzz_check(boots_decide(&s, NULL, NULL, &d2) == 0);
    fuzz_check(d2.kind == BOOTS_BOOT_NONE && d2.bootfile[0] == '\0');
    fuzz_check(boots_client_arch(NULL) == -1);

    fuzz_input_free(&in);
    return 0;
}
