/*
 * test_bootfile.c - the boot decision (shared/bootfile.c), table-driven
 * from the behaviour reference (section 1: option 93 -> binary, boot file
 * and next-server rules, option 43 sub-options).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "boots.h"

#define TFTP_IP 0x0a630001u   /* 10.99.0.1 */

static const uint8_t MAC[6] = { 0x3c, 0xec, 0xef, 0x4c, 0x4f, 0x54 };
static const char MAC_STR[] = "3c:ec:ef:4c:4f:54";

static const char PXE_X64[] = "PXEClient:Arch:00007:UNDI:003000";
static const char HTTP_X64[] = "HTTPClient:Arch:00016:UNDI:003000";

static boots_settings settings(void)
{
    boots_settings s;

    memset(&s, 0, sizeof(s));
    s.tftp_server = TFTP_IP;
    s.ipxe_script_url = "http://10.99.0.1/auto.ipxe";
    s.ipxe_binary_url = "http://10.99.0.1/ipxe/";
    s.prepend_mac = true;
    return s;
}

static boots_hw hardware(void)
{
    boots_hw hw;

    memset(&hw, 0, sizeof(hw));
    hw.id = "default/sm01";
    hw.arch = "x86_64";
    memcpy(hw.mac, MAC, 6);
    memcpy(hw.mac_str, MAC_STR, sizeof(MAC_STR));
    hw.vlan_id = -1;
    hw.allow_pxe = true;
    return hw;
}

/* A request under construction, with storage for option 93. */
typedef struct {
    boots_dhcp_request r;
    uint8_t arch[8];
} request;

static void request_init(request *q, int msg_type, const char *vendor,
                         int arch, const void *uc, size_t uc_len)
{
    memset(q, 0, sizeof(*q));
    q->r.msg_type = msg_type;
    memcpy(q->r.mac, MAC, 6);
    if (vendor != NULL) {
        q->r.vendor_class = (const uint8_t *)vendor;
        q->r.vendor_class_len = strlen(vendor);
    }
    if (arch >= 0) {
        q->arch[0] = (uint8_t)(arch >> 8);
        q->arch[1] = (uint8_t)arch;
        q->r.client_arch = q->arch;
        q->r.client_arch_len = 2;
    }
    q->r.user_class = uc;
    q->r.user_class_len = uc_len;
}

static void assert_opt43(const boots_decision *d, const void *want,
                         size_t len)
{
    assert_int_equal(d->opt43_len, len);
    if (len > 0)
        assert_memory_equal(d->opt43, want, len);
}

static void assert_no_boot(const boots_decision *d, boots_reason reason)
{
    assert_int_equal(d->kind, BOOTS_BOOT_NONE);
    assert_int_equal(d->reason, reason);
    assert_string_equal(d->bootfile, "");
    assert_int_equal(d->next_server, 0);
    assert_null(d->vendor_class);
}

/* ---------------------------------------------------------------- */
/* Option 93 -> binary, every value 0..41 and beyond                 */
/* ---------------------------------------------------------------- */

static const char *expected_binary(int arch)
{
    switch (arch) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 20:
        return "undionly.kpxe";
    case 6: case 7: case 8: case 9: case 15: case 16:
        return "ipxe.efi";
    case 10: case 11: case 18: case 19: case 41:
        return "snp.efi";
    default:
        return NULL;
    }
}

static void test_arch_table_tftp(void **state)
{
    static const uint8_t tftp43[] = { 6, 1, 0x08 };
    boots_settings s = settings();
    boots_hw hw = hardware();
    int arch;
    int known = 0;

    (void)state;
    for (arch = 0; arch <= 0x10000; arch++) {
        const char *want = NULL;
        boots_decision d;
        request q;

        if (arch > 45 && arch != 255 && arch != 0x1234 && arch != 0xffff)
            continue;
        request_init(&q, 1, PXE_X64, arch == 0x10000 ? -1 : arch, NULL, 0);
        want = arch == 0x10000 ? NULL : expected_binary(arch);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        if (want == NULL) {
            if (arch == 0x10000)
                assert_no_boot(&d, BOOTS_REASON_NOT_NETBOOT_CLIENT);
            else
                assert_no_boot(&d, BOOTS_REASON_UNKNOWN_ARCH);
            assert_int_equal(d.arch, -1);
            assert_int_equal(boots_client_arch(&q.r), -1);
            assert_int_equal(d.opt43_len, 0);
            continue;
        }
        known++;
        assert_int_equal(d.kind, BOOTS_BOOT_TFTP);
        assert_int_equal(d.reason, BOOTS_REASON_NETBOOT);
        assert_int_equal(d.arch, arch);
        assert_int_equal(boots_client_arch(&q.r), arch);
        assert_false(d.ipxe);
        assert_string_equal(d.bootfile, want);
        assert_int_equal(d.next_server, TFTP_IP);
        assert_string_equal(d.vendor_class, "PXEClient");
        assert_opt43(&d, tftp43, sizeof(tftp43));
        assert_int_equal(d.opt175_len, 0);
    }
    assert_int_equal(known, 18);   /* 6 BIOS + 1 (20) + 6 EFI + 5 ARM */
}

static void test_arch_table_http(void **state)
{
    boots_settings s = settings();
    boots_hw hw = hardware();
    int arch;

    (void)state;
    for (arch = 0; arch <= 45; arch++) {
        const char *want = expected_binary(arch);
        char url[128];
        boots_decision d;
        request q;

        request_init(&q, 3, HTTP_X64, arch, NULL, 0);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        if (want == NULL) {
            assert_no_boot(&d, BOOTS_REASON_UNKNOWN_ARCH);
            continue;
        }
        snprintf(url, sizeof(url), "http://10.99.0.1/ipxe/%s", want);
        assert_int_equal(d.kind, BOOTS_BOOT_HTTP_BINARY);
        assert_string_equal(d.bootfile, url);
        assert_string_equal(d.vendor_class, "HTTPClient");
        assert_int_equal(d.next_server, 0);
        assert_int_equal(d.opt43_len, 0);   /* no 6=8 for HTTP boots */
    }
}

/* Settings may rename the three binaries. */
static void test_binary_names_from_settings(void **state)
{
    static const struct { int arch; const char *want; } cases[] = {
        { 0, "bios.kpxe" }, { 7, "x64.efi" }, { 11, "arm64.efi" },
    };
    boots_settings s = settings();
    boots_hw hw = hardware();
    size_t i;

    (void)state;
    s.bootfile_bios = "bios.kpxe";
    s.bootfile_efi_x86_64 = "x64.efi";
    s.bootfile_efi_arm64 = "arm64.efi";
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_decision d;
        request q;

        request_init(&q, 1, "PXEClient", cases[i].arch, NULL, 0);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        assert_string_equal(d.bootfile, cases[i].want);
    }
}

/* Option 93 lists several values: the first known one wins. */
static void test_arch_list(void **state)
{
    static const uint8_t list1[] = { 0x00, 0x17, 0x00, 0x07, 0x00, 0x00 };
    static const uint8_t list2[] = { 0x00, 0x0b, 0x00 };     /* odd length */
    static const uint8_t list3[] = { 0x00 };                 /* too short */
    static const uint8_t list4[] = { 0x01, 0x00, 0x00, 0x0e };
    static const struct { const uint8_t *a; size_t len; int want; } cases[] = {
        { list1, sizeof(list1), 7 },
        { list2, sizeof(list2), 11 },
        { list3, sizeof(list3), -1 },
        { list4, sizeof(list4), -1 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        request q;

        request_init(&q, 1, "PXEClient", -1, NULL, 0);
        q.r.client_arch = cases[i].a;
        q.r.client_arch_len = cases[i].len;
        assert_int_equal(boots_client_arch(&q.r), cases[i].want);
    }
    assert_int_equal(boots_client_arch(NULL), -1);
}

/* ---------------------------------------------------------------- */
/* Who is a netboot client                                           */
/* ---------------------------------------------------------------- */

static void test_vendor_class(void **state)
{
    static const struct {
        const char *vendor;
        int arch;
        boots_boot_kind kind;
    } cases[] = {
        { "PXEClient", 7, BOOTS_BOOT_TFTP },
        { "PXEClient:Arch:00000:UNDI:002001", 0, BOOTS_BOOT_TFTP },
        { "HTTPClient", 16, BOOTS_BOOT_HTTP_BINARY },
        { "HTTPClient:Arch:00016:UNDI:003000", 16, BOOTS_BOOT_HTTP_BINARY },
        { NULL, 7, BOOTS_BOOT_NONE },            /* no option 60 */
        { "MSFT 5.0", 7, BOOTS_BOOT_NONE },
        { "pxeclient", 7, BOOTS_BOOT_NONE },      /* case matters */
        { "PXEClien", 7, BOOTS_BOOT_NONE },       /* too short */
        { "XPXEClient", 7, BOOTS_BOOT_NONE },     /* prefix, not substring */
        { "PXEClient", -1, BOOTS_BOOT_NONE },     /* no option 93 */
        { "HTTPClient", -1, BOOTS_BOOT_NONE },
    };
    boots_settings s = settings();
    boots_hw hw = hardware();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_decision d;
        request q;

        request_init(&q, 1, cases[i].vendor, cases[i].arch, NULL, 0);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        assert_int_equal(d.kind, cases[i].kind);
        if (cases[i].kind == BOOTS_BOOT_NONE)
            assert_no_boot(&d, BOOTS_REASON_NOT_NETBOOT_CLIENT);
    }
}

static void test_message_type(void **state)
{
    static const struct { int type; bool boots; } cases[] = {
        { 1, true },   /* DISCOVER */
        { 2, false },  /* OFFER */
        { 3, true },   /* REQUEST */
        { 4, false },  /* DECLINE */
        { 5, false },  /* ACK */
        { 7, false },  /* RELEASE */
        { 8, false },  /* INFORM */
        { 0, false },
    };
    boots_settings s = settings();
    boots_hw hw = hardware();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_decision d;
        request q;

        request_init(&q, cases[i].type, "PXEClient", 7, "iPXE", 4);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        if (cases[i].boots) {
            assert_int_equal(d.kind, BOOTS_BOOT_SCRIPT);
        } else {
            assert_no_boot(&d, BOOTS_REASON_MESSAGE_TYPE);
            assert_true(d.ipxe);             /* still reported */
            assert_int_equal(d.arch, 7);
        }
    }
}

/* ---------------------------------------------------------------- */
/* User class: raw, RFC 3004 framed, absent, other                   */
/* ---------------------------------------------------------------- */

static void test_user_class(void **state)
{
    static const struct {
        const char *name;
        const char *uc;
        size_t len;
        bool ipxe;
    } cases[] = {
        { "raw iPXE", "iPXE", 4, true },
        { "raw Tinkerbell", "Tinkerbell", 10, true },
        { "3004 iPXE", "\x04iPXE", 5, true },
        { "3004 Tinkerbell", "\x0aTinkerbell", 11, true },
        { "3004 second", "\x03" "foo" "\x04iPXE", 9, true },
        { "3004 first", "\x0aTinkerbell" "\x03" "foo", 15, true },
        { "absent", NULL, 0, false },
        { "empty", "", 0, false },
        { "other", "gPXE", 4, false },
        { "lower case", "ipxe", 4, false },
        { "longer", "iPXE2", 5, false },
        { "prefix", "iPX", 3, false },
        { "with NUL", "iPXE\0", 5, false },
        { "3004 other", "\x03" "foo", 4, false },
        { "3004 overrun", "\x05iPXE", 5, false },
        { "3004 trailing", "\x04iPXE\x01", 6, false },
        { "3004 zero len", "\x00\x04iPXE", 6, false },
    };
    static const uint8_t o175[] = { 176, 1, 1 };
    boots_settings s = settings();
    boots_hw hw = hardware();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_decision d;
        request q;

        request_init(&q, 1, PXE_X64, 7, cases[i].uc, cases[i].len);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        if (d.ipxe != cases[i].ipxe)
            fail_msg("user class case \"%s\"", cases[i].name);
        if (cases[i].ipxe) {
            assert_int_equal(d.kind, BOOTS_BOOT_SCRIPT);
            assert_string_equal(d.bootfile,
                                "http://10.99.0.1/3c:ec:ef:4c:4f:54/auto.ipxe");
            assert_int_equal(d.opt175_len, sizeof(o175));
            assert_memory_equal(d.opt175, o175, sizeof(o175));
            assert_int_equal(d.opt43_len, 0);   /* no 6=8 for iPXE */
            assert_string_equal(d.vendor_class, "PXEClient");
        } else {
            assert_int_equal(d.kind, BOOTS_BOOT_TFTP);
            assert_string_equal(d.bootfile, "ipxe.efi");
            assert_int_equal(d.opt175_len, 0);
        }
    }
}

/* iPXE wins over HTTPClient: the running iPXE wants its script. */
static void test_ipxe_over_http_client(void **state)
{
    boots_settings s = settings();
    boots_hw hw = hardware();
    boots_decision d;
    request q;

    (void)state;
    request_init(&q, 1, HTTP_X64, 16, "iPXE", 4);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_int_equal(d.kind, BOOTS_BOOT_SCRIPT);
    assert_string_equal(d.vendor_class, "HTTPClient");
}

/* ---------------------------------------------------------------- */
/* The script URL                                                    */
/* ---------------------------------------------------------------- */

static void test_script_url_mac_insertion(void **state)
{
    static const struct { const char *url; const char *want; } cases[] = {
        { "http://10.0.0.1/auto.ipxe",
          "http://10.0.0.1/3c:ec:ef:4c:4f:54/auto.ipxe" },
        { "http://10.0.0.1:8080/boot/auto.ipxe",
          "http://10.0.0.1:8080/boot/3c:ec:ef:4c:4f:54/auto.ipxe" },
        { "https://boot.example/a/b/auto.ipxe",
          "https://boot.example/a/b/3c:ec:ef:4c:4f:54/auto.ipxe" },
        { "http://10.0.0.1/auto.ipxe?x=a/b",
          "http://10.0.0.1/3c:ec:ef:4c:4f:54/auto.ipxe?x=a/b" },
        { "http://10.0.0.1/",
          "http://10.0.0.1/3c:ec:ef:4c:4f:54/" },
        { "http://10.0.0.1",
          "http://10.0.0.1/3c:ec:ef:4c:4f:54/" },
    };
    boots_settings s = settings();
    boots_hw hw = hardware();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_decision d;
        request q;

        s.ipxe_script_url = cases[i].url;
        request_init(&q, 1, PXE_X64, 7, "Tinkerbell", 10);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        assert_int_equal(d.kind, BOOTS_BOOT_SCRIPT);
        assert_string_equal(d.bootfile, cases[i].want);
        assert_int_equal(d.next_server, TFTP_IP);
    }
}

static void test_script_url_prepend_mac_off(void **state)
{
    boots_settings s = settings();
    boots_hw hw = hardware();
    boots_decision d;
    request q;

    (void)state;
    s.prepend_mac = false;
    request_init(&q, 1, PXE_X64, 7, "iPXE", 4);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_int_equal(d.kind, BOOTS_BOOT_SCRIPT);
    assert_string_equal(d.bootfile, "http://10.99.0.1/auto.ipxe");
}

static void test_custom_ipxe_url(void **state)
{
    boots_settings s = settings();
    boots_hw hw = hardware();
    boots_decision d;
    request q;

    (void)state;
    hw.ipxe_url = "https://boot.netboot.xyz";
    request_init(&q, 1, PXE_X64, 7, "iPXE", 4);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_int_equal(d.kind, BOOTS_BOOT_SCRIPT);
    assert_string_equal(d.bootfile, "https://boot.netboot.xyz");

    /* Used even when no global script URL is set. */
    s.ipxe_script_url = NULL;
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_string_equal(d.bootfile, "https://boot.netboot.xyz");

    /* It does not change what firmware PXE gets. */
    request_init(&q, 1, PXE_X64, 7, NULL, 0);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_string_equal(d.bootfile, "ipxe.efi");
}

static void test_missing_urls(void **state)
{
    boots_settings s = settings();
    boots_hw hw = hardware();
    boots_decision d;
    request q;

    (void)state;
    s.ipxe_script_url = "";
    request_init(&q, 1, PXE_X64, 7, "iPXE", 4);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_no_boot(&d, BOOTS_REASON_NO_SCRIPT_URL);
    s.ipxe_script_url = NULL;
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_no_boot(&d, BOOTS_REASON_NO_SCRIPT_URL);

    s.ipxe_binary_url = NULL;
    request_init(&q, 1, HTTP_X64, 16, NULL, 0);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_no_boot(&d, BOOTS_REASON_NO_BINARY_URL);
}

static void test_binary_url_join(void **state)
{
    static const struct { const char *base; const char *name;
                          const char *want; } cases[] = {
        { "http://10.99.0.1/ipxe/", NULL, "http://10.99.0.1/ipxe/ipxe.efi" },
        { "http://10.99.0.1/ipxe", NULL, "http://10.99.0.1/ipxe/ipxe.efi" },
        { "http://10.99.0.1/ipxe//", NULL, "http://10.99.0.1/ipxe/ipxe.efi" },
        { "http://10.99.0.1:8080", NULL, "http://10.99.0.1:8080/ipxe.efi" },
        { "http://10.99.0.1/ipxe/", "/x64.efi", "http://10.99.0.1/ipxe/x64.efi" },
        { "http://10.99.0.1/ipxe", "//x64.efi", "http://10.99.0.1/ipxe/x64.efi" },
    };
    boots_hw hw = hardware();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_settings s = settings();
        boots_decision d;
        request q;

        s.ipxe_binary_url = cases[i].base;
        s.bootfile_efi_x86_64 = cases[i].name;
        request_init(&q, 1, HTTP_X64, 16, NULL, 0);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        assert_string_equal(d.bootfile, cases[i].want);
    }
}

/* prefix, then fill times 'a', then suffix (out must be big enough). */
static void make_url(char *out, const char *prefix, size_t fill,
                     const char *suffix)
{
    size_t p = strlen(prefix);

    memcpy(out, prefix, p);
    memset(out + p, 'a', fill);
    strcpy(out + p + fill, suffix);
}

/* A URL that does not fit BOOTS_BOOTFILE_MAX: ETOOBIG and IP only. */
static void test_url_too_long(void **state)
{
    static char url[BOOTS_BOOTFILE_MAX + 64];
    static const char prefix[] = "http://10.99.0.1/";
    static const char suffix[] = "/auto.ipxe";
    size_t fill = 0;
    boots_settings s = settings();
    boots_hw hw = hardware();
    boots_decision d;
    request q;

    (void)state;
    request_init(&q, 1, PXE_X64, 7, "iPXE", 4);

    /* Script URL whose MAC-inserted form is exactly MAX - 1: fits. */
    fill = BOOTS_BOOTFILE_MAX - 1 - (sizeof(prefix) - 1) - (sizeof(suffix) - 1)
           - (sizeof(MAC_STR) - 1) - 1;
    make_url(url, prefix, fill, suffix);
    s.ipxe_script_url = url;
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_int_equal(d.kind, BOOTS_BOOT_SCRIPT);
    assert_int_equal(strlen(d.bootfile), BOOTS_BOOTFILE_MAX - 1);

    /* One byte more: too big. */
    make_url(url, prefix, fill + 1, suffix);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), BOOTS_ETOOBIG);
    assert_no_boot(&d, BOOTS_REASON_URL_TOO_LONG);
    assert_non_null(boots_reason_str(d.reason));

    /* The same without MAC insertion still fits. */
    s.prepend_mac = false;
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_string_equal(d.bootfile, url);

    /* Hardware ipxe.url of exactly MAX bytes (no room for NUL). */
    memset(url, 'a', BOOTS_BOOTFILE_MAX);
    memcpy(url, "http://", 7);
    url[BOOTS_BOOTFILE_MAX] = '\0';
    hw.ipxe_url = url;
    hw.vlan_id = 7;
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), BOOTS_ETOOBIG);
    assert_no_boot(&d, BOOTS_REASON_URL_TOO_LONG);
    assert_opt43(&d, "\x74\x01" "7", 3);     /* the VLAN still goes out */

    /* Binary URL too long for an HTTP boot. */
    s.ipxe_binary_url = url;
    request_init(&q, 1, HTTP_X64, 16, NULL, 0);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), BOOTS_ETOOBIG);
    assert_no_boot(&d, BOOTS_REASON_URL_TOO_LONG);
}

/* ---------------------------------------------------------------- */
/* Hardware rules                                                    */
/* ---------------------------------------------------------------- */

static void test_allow_pxe_false(void **state)
{
    static const struct { const char *vendor; int arch; const char *uc; }
    cases[] = {
        { PXE_X64, 7, NULL }, { PXE_X64, 7, "iPXE" }, { HTTP_X64, 16, NULL },
        { "PXEClient", 0, "Tinkerbell" },
    };
    boots_settings s = settings();
    boots_hw hw = hardware();
    size_t i;

    (void)state;
    hw.allow_pxe = false;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_decision d;
        request q;

        request_init(&q, 1, cases[i].vendor, cases[i].arch, cases[i].uc,
                     cases[i].uc ? strlen(cases[i].uc) : 0);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        assert_no_boot(&d, BOOTS_REASON_PXE_NOT_ALLOWED);
        assert_int_equal(d.opt43_len, 0);
    }
}

/* Unknown client from a pool: decided from the packet alone. */
static void test_hw_null(void **state)
{
    static const uint8_t other[6] = { 0x52, 0x54, 0x00, 0x98, 0x00, 0x10 };
    static const uint8_t tftp43[] = { 6, 1, 0x08 };
    boots_settings s = settings();
    boots_decision d;
    request q;

    (void)state;
    request_init(&q, 1, PXE_X64, 7, "iPXE", 4);
    memcpy(q.r.mac, other, 6);
    assert_int_equal(boots_decide(&s, &q.r, NULL, &d), 0);
    assert_int_equal(d.kind, BOOTS_BOOT_SCRIPT);
    assert_string_equal(d.bootfile,
                        "http://10.99.0.1/52:54:00:98:00:10/auto.ipxe");

    request_init(&q, 1, "PXEClient", 0, NULL, 0);
    assert_int_equal(boots_decide(&s, &q.r, NULL, &d), 0);
    assert_int_equal(d.kind, BOOTS_BOOT_TFTP);
    assert_string_equal(d.bootfile, "undionly.kpxe");
    assert_opt43(&d, tftp43, sizeof(tftp43));

    request_init(&q, 1, NULL, -1, NULL, 0);
    assert_int_equal(boots_decide(&s, &q.r, NULL, &d), 0);
    assert_no_boot(&d, BOOTS_REASON_NOT_NETBOOT_CLIENT);
    assert_int_equal(d.opt43_len, 0);
}

static void test_vlan_option43(void **state)
{
    boots_settings s = settings();
    boots_hw hw = hardware();
    boots_decision d;
    request q;

    (void)state;
    /* A non-netboot client with hardware (the installed OS) still gets
     * its VLAN id. */
    hw.vlan_id = 42;
    request_init(&q, 3, NULL, -1, NULL, 0);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_no_boot(&d, BOOTS_REASON_NOT_NETBOOT_CLIENT);
    assert_opt43(&d, "\x74\x02" "42", 4);

    /* TFTP boot: 6 = 8 then 116. */
    hw.vlan_id = 4094;
    request_init(&q, 1, PXE_X64, 7, NULL, 0);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_opt43(&d, "\x06\x01\x08" "\x74\x04" "4094", 9);

    /* iPXE: only 116. */
    hw.vlan_id = 1;
    request_init(&q, 1, PXE_X64, 7, "iPXE", 4);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_opt43(&d, "\x74\x01" "1", 3);

    /* INFORM and allowPXE false keep it too. */
    request_init(&q, 8, PXE_X64, 7, NULL, 0);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_opt43(&d, "\x74\x01" "1", 3);
    hw.allow_pxe = false;
    request_init(&q, 1, PXE_X64, 7, NULL, 0);
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_opt43(&d, "\x74\x01" "1", 3);

    /* Not set (or out of 1..4094): nothing. */
    hw.vlan_id = -1;
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_int_equal(d.opt43_len, 0);
    hw.vlan_id = 0;
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_int_equal(d.opt43_len, 0);
    hw.vlan_id = 4095;
    assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
    assert_int_equal(d.opt43_len, 0);
}

static void test_raspberry_pi(void **state)
{
    static const uint8_t ouis[][3] = {
        { 0xb8, 0x27, 0xeb }, { 0xdc, 0xa6, 0x32 }, { 0xe4, 0x5f, 0x01 },
        { 0x28, 0xcd, 0xc1 }, { 0xd8, 0x3a, 0xdd },
    };
    static const uint8_t want43[] =
        "\x06\x01\x08"
        "\x09\x14" "\x00\x00\x11" "Raspberry Pi Boot"
        "\x0a\x04" "\x00" "PXE";
    boots_settings s = settings();
    boots_hw hw = hardware();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ouis) / sizeof(ouis[0]); i++) {
        boots_decision d;
        request q;

        request_init(&q, 1, "PXEClient:Arch:00000:UNDI:002001", 0, NULL, 0);
        memcpy(q.r.mac, ouis[i], 3);
        memcpy(hw.mac, q.r.mac, 6);
        assert_int_equal(boots_client_arch(&q.r), 41);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        assert_int_equal(d.kind, BOOTS_BOOT_TFTP);
        assert_int_equal(d.arch, 41);
        assert_string_equal(d.bootfile, "snp.efi");
        assert_opt43(&d, want43, sizeof(want43) - 1);
    }

    /* A neighbouring OUI is not a Pi. */
    {
        boots_decision d;
        request q;

        request_init(&q, 1, "PXEClient", 0, NULL, 0);
        q.r.mac[0] = 0xb8; q.r.mac[1] = 0x27; q.r.mac[2] = 0xec;
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        assert_int_equal(d.arch, 0);
        assert_string_equal(d.bootfile, "undionly.kpxe");
        assert_opt43(&d, "\x06\x01\x08", 3);
    }

    /* A Pi with a VLAN: 6, 9, 10, then 116. */
    {
        static const uint8_t want_vlan[] =
            "\x06\x01\x08"
            "\x09\x14" "\x00\x00\x11" "Raspberry Pi Boot"
            "\x0a\x04" "\x00" "PXE"
            "\x74\x03" "100";
        boots_decision d;
        request q;

        hw.vlan_id = 100;
        request_init(&q, 1, "PXEClient", 0, NULL, 0);
        memcpy(q.r.mac, ouis[0], 3);
        assert_int_equal(boots_decide(&s, &q.r, &hw, &d), 0);
        assert_opt43(&d, want_vlan, sizeof(want_vlan) - 1);
    }
}

static void test_reason_str(void **state)
{
    int r;
    int s;

    (void)state;
    for (r = BOOTS_REASON_NETBOOT; r <= BOOTS_REASON_URL_TOO_LONG; r++) {
        const char *text = boots_reason_str((boots_reason)r);

        assert_non_null(text);
        assert_true(strlen(text) > 0);
        assert_string_not_equal(text, "unknown reason");
        for (s = BOOTS_REASON_NETBOOT; s < r; s++)
            assert_string_not_equal(text, boots_reason_str((boots_reason)s));
    }
    assert_string_equal(boots_reason_str(BOOTS_REASON_PXE_NOT_ALLOWED),
                        "allowPXE is false");
    assert_string_equal(boots_reason_str((boots_reason)99), "unknown reason");
}

/* ---------------------------------------------------------------- */
/* Random packets: invariants that must hold for any option bytes    */
/* ---------------------------------------------------------------- */

static uint32_t rng_state = 0x2545f491u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Random bytes, often starting with a meaningful prefix. */
static size_t random_option(uint8_t *out, size_t max)
{
    static const char *const prefixes[] = {
        "PXEClient", "HTTPClient", "iPXE", "Tinkerbell", "\x04iPXE",
        "\x0aTinkerbell", "", "\x00\x07", "\x00\x29",
    };
    size_t len = rng() % (max + 1);
    size_t i = 0;

    if (rng() % 2) {
        const char *p = prefixes[rng() % (sizeof(prefixes) /
                                           sizeof(prefixes[0]))];
        size_t plen = strlen(p);

        if (p == prefixes[7] || p == prefixes[8])
            plen = 2;
        if (rng() % 2 && plen <= max)
            len = plen;              /* exactly the meaningful value */
        for (i = 0; i < plen && i < len; i++)
            out[i] = (uint8_t)p[i];
    }
    for (; i < len; i++)
        out[i] = (uint8_t)(rng() % 4 ? rng() % 64 : rng());
    return len;
}

/* Option 43 must be a well-formed list of code/length/data. */
static void assert_opt43_well_formed(const boots_decision *d)
{
    size_t off = 0;

    assert_true(d->opt43_len <= sizeof(d->opt43));
    while (off < d->opt43_len) {
        assert_true(off + 2 <= d->opt43_len);
        assert_true(d->opt43[off] == 6 || d->opt43[off] == 9
                    || d->opt43[off] == 10 || d->opt43[off] == 116);
        off += 2 + d->opt43[off + 1];
    }
    assert_int_equal(off, d->opt43_len);
}

static void test_random_packets(void **state)
{
    boots_settings s = settings();
    boots_hw hw = hardware();
    int seen[4] = { 0, 0, 0, 0 };
    int i;

    (void)state;
    for (i = 0; i < 20000; i++) {
        uint8_t vc[48], arch[12], uc[48];
        boots_decision d;
        request q;
        int rc;

        request_init(&q, rng() % 2 ? 1 + 2 * (int)(rng() % 2)
                                   : (int)(rng() % 10), NULL, -1, NULL, 0);
        q.r.mac[0] = (uint8_t)rng();
        if (rng() % 3 == 0)
            memcpy(q.r.mac, "\xb8\x27\xeb", 3);
        if (rng() % 4) {
            q.r.vendor_class = vc;
            q.r.vendor_class_len = random_option(vc, sizeof(vc));
        }
        if (rng() % 4) {
            q.r.client_arch = arch;
            q.r.client_arch_len = random_option(arch, sizeof(arch));
        }
        if (rng() % 2) {
            q.r.user_class = uc;
            q.r.user_class_len = random_option(uc, sizeof(uc));
        }
        hw.allow_pxe = rng() % 4 != 0;
        hw.vlan_id = (int16_t)(rng() % 2 ? -1 : (int)(rng() % 4096));
        rc = boots_decide(&s, &q.r, rng() % 5 ? &hw : NULL, &d);

        assert_int_equal(rc, 0);
        assert_int_equal(d.arch, boots_client_arch(&q.r));
        assert_non_null(memchr(d.bootfile, '\0', sizeof(d.bootfile)));
        assert_opt43_well_formed(&d);
        assert_int_equal(d.opt175_len, d.ipxe ? 3 : 0);
        assert_true(d.kind >= BOOTS_BOOT_NONE && d.kind <= BOOTS_BOOT_SCRIPT);
        seen[d.kind]++;
        if (d.kind == BOOTS_BOOT_NONE) {
            assert_string_equal(d.bootfile, "");
            assert_int_equal(d.next_server, 0);
            assert_null(d.vendor_class);
            assert_true(d.reason != BOOTS_REASON_NETBOOT);
        } else {
            assert_int_equal(d.reason, BOOTS_REASON_NETBOOT);
            assert_true(d.bootfile[0] != '\0');
            assert_true(q.r.msg_type == 1 || q.r.msg_type == 3);
            assert_non_null(q.r.vendor_class);
            assert_true(d.arch >= 0);
            assert_non_null(d.vendor_class);
        }
    }
    /* The generator reaches every outcome (fixed seed: deterministic). */
    for (i = 0; i < 4; i++)
        assert_true(seen[i] > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arch_table_tftp),
        cmocka_unit_test(test_arch_table_http),
        cmocka_unit_test(test_binary_names_from_settings),
        cmocka_unit_test(test_arch_list),
        cmocka_unit_test(test_vendor_class),
        cmocka_unit_test(test_message_type),
        cmocka_unit_test(test_user_class),
        cmocka_unit_test(test_ipxe_over_http_client),
        cmocka_unit_test(test_script_url_mac_insertion),
        cmocka_unit_test(test_script_url_prepend_mac_off),
        cmocka_unit_test(test_custom_ipxe_url),
        cmocka_unit_test(test_missing_urls),
        cmocka_unit_test(test_binary_url_join),
        cmocka_unit_test(test_url_too_long),
        cmocka_unit_test(test_allow_pxe_false),
        cmocka_unit_test(test_hw_null),
        cmocka_unit_test(test_vlan_option43),
        cmocka_unit_test(test_raspberry_pi),
        cmocka_unit_test(test_reason_str),
        cmocka_unit_test(test_random_packets),
    };

    return cmocka_run_group_tests_name("bootfile", tests, NULL, NULL);
}
