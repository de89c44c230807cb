/*
 * test_netaddr.c - MAC and IPv4 parsing/formatting (shared/netaddr.c),
 * table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "boots.h"

static const struct mac_case {
    const char *in;
    int rc;
    const char *canonical;   /* when rc == 0 */
} macs[] = {
    { "3c:ec:ef:4c:4f:54", 0, "3c:ec:ef:4c:4f:54" },
    { "3C:EC:EF:4C:4F:54", 0, "3c:ec:ef:4c:4f:54" },
    { "3c-ec-ef-4c-4f-54", 0, "3c:ec:ef:4c:4f:54" },
    { "3C-Ec-eF-4c-4F-54", 0, "3c:ec:ef:4c:4f:54" },
    { "3cecef4c4f54", 0, "3c:ec:ef:4c:4f:54" },
    { "3CECEF4C4F54", 0, "3c:ec:ef:4c:4f:54" },
    { "00:00:00:00:00:00", 0, "00:00:00:00:00:00" },
    { "ff:ff:ff:ff:ff:ff", 0, "ff:ff:ff:ff:ff:ff" },
    { "", BOOTS_EINVAL, NULL },
    { "3c:ec:ef:4c:4f", BOOTS_EINVAL, NULL },
    { "3c:ec:ef:4c:4f:54:00", BOOTS_EINVAL, NULL },
    { "3c:ec:ef:4c:4f:5g", BOOTS_EINVAL, NULL },
    { "3c:ec-ef:4c:4f:54", BOOTS_EINVAL, NULL },   /* mixed separators */
    { "3c.ec.ef.4c.4f.54", BOOTS_EINVAL, NULL },
    { "3cec.ef4c.4f54", BOOTS_EINVAL, NULL },
    { "3c:ec:ef:4c:4f:5", BOOTS_EINVAL, NULL },
    { "3:cec:ef:4c:4f:54", BOOTS_EINVAL, NULL },
    { " 3c:ec:ef:4c:4f:5", BOOTS_EINVAL, NULL },
    { "3cecef4c4f5 ", BOOTS_EINVAL, NULL },
    { "3cecef4c4f5-", BOOTS_EINVAL, NULL },
};

static void test_mac_parse(void **state)
{
    size_t i = 0;

    (void)state;
    for (i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
        uint8_t mac[6] = { 1, 2, 3, 4, 5, 6 };
        char out[BOOTS_MAC_STRLEN];
        int rc = boots_mac_parse(macs[i].in, strlen(macs[i].in), mac);

        if (rc != macs[i].rc)
            fail_msg("\"%s\": rc %d, want %d", macs[i].in, rc, macs[i].rc);
        if (rc != 0) {
            /* a failed parse leaves the output alone */
            assert_int_equal(mac[0], 1);
            assert_int_equal(mac[5], 6);
            continue;
        }
        boots_mac_format(mac, out);
        assert_string_equal(out, macs[i].canonical);
    }
}

/* len is honoured: the input need not be NUL-terminated. */
static void test_mac_parse_len(void **state)
{
    uint8_t mac[6];
    char out[BOOTS_MAC_STRLEN];

    (void)state;
    assert_int_equal(boots_mac_parse("3c:ec:ef:4c:4f:54trailing", 17, mac), 0);
    boots_mac_format(mac, out);
    assert_string_equal(out, "3c:ec:ef:4c:4f:54");
    assert_int_equal(boots_mac_parse("3c:ec:ef:4c:4f:54", 16, mac),
                     BOOTS_EINVAL);
    assert_int_equal(boots_mac_parse(NULL, 0, mac), BOOTS_EINVAL);
}

static const struct ip_case {
    const char *in;
    int rc;
    uint32_t value;
} ips[] = {
    { "0.0.0.0", 0, 0 },
    { "10.99.0.1", 0, 0x0a630001u },
    { "172.16.10.100", 0, 0xac100a64u },
    { "255.255.255.255", 0, 0xffffffffu },
    { "1.2.3.4", 0, 0x01020304u },
    { "", BOOTS_EINVAL, 0 },
    { "1.2.3", BOOTS_EINVAL, 0 },
    { "1.2.3.4.5", BOOTS_EINVAL, 0 },
    { "1.2.3.256", BOOTS_EINVAL, 0 },
    { "1.2.3.04", BOOTS_EINVAL, 0 },        /* leading zero */
    { "01.2.3.4", BOOTS_EINVAL, 0 },
    { "1.2.3.00", BOOTS_EINVAL, 0 },
    { "1..3.4", BOOTS_EINVAL, 0 },
    { "1.2.3.", BOOTS_EINVAL, 0 },
    { ".1.2.3", BOOTS_EINVAL, 0 },
    { "1.2.3.-4", BOOTS_EINVAL, 0 },
    { "1.2.3.4 ", BOOTS_EINVAL, 0 },
    { " 1.2.3.4", BOOTS_EINVAL, 0 },
    { "a.b.c.d", BOOTS_EINVAL, 0 },
    { "0x1.2.3.4", BOOTS_EINVAL, 0 },
    { "1.2.3.4/24", BOOTS_EINVAL, 0 },
    { "::1", BOOTS_EINVAL, 0 },
    { "1000.2.3.4", BOOTS_EINVAL, 0 },
    { "99999999999999999999.1.1.1", BOOTS_EINVAL, 0 },
};

static void test_ip4_parse(void **state)
{
    size_t i = 0;

    (void)state;
    for (i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
        uint32_t v = 0xdeadbeefu;
        char out[BOOTS_IP4_STRLEN];
        int rc = boots_ip4_parse(ips[i].in, strlen(ips[i].in), &v);

        if (rc != ips[i].rc)
            fail_msg("\"%s\": rc %d, want %d", ips[i].in, rc, ips[i].rc);
        if (rc != 0) {
            assert_int_equal(v, 0xdeadbeefu);
            continue;
        }
        assert_int_equal(v, ips[i].value);
        boots_ip4_format(v, out);
        assert_string_equal(out, ips[i].in);      /* round trip */
    }
}

static void test_ip4_parse_len(void **state)
{
    uint32_t v = 0;

    (void)state;
    assert_int_equal(boots_ip4_parse("10.0.0.1xyz", 8, &v), 0);
    assert_int_equal(v, 0x0a000001u);
    assert_int_equal(boots_ip4_parse("10.0.0.12", 8, &v), 0);
    assert_int_equal(v, 0x0a000001u);
    assert_int_equal(boots_ip4_parse(NULL, 0, &v), BOOTS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mac_parse),
        cmocka_unit_test(test_mac_parse_len),
        cmocka_unit_test(test_ip4_parse),
        cmocka_unit_test(test_ip4_parse_len),
    };

    return cmocka_run_group_tests_name("netaddr", tests, NULL, NULL);
}
