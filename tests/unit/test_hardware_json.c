/*
 * test_hardware_json.c - the hardware loader (shared/hardware_json.c):
 * every accepted input shape loads with its fields mapped, and every kind
 * of bad input is rejected with a message naming source, record, field and
 * value (table-driven), returning no snapshot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "boots.h"

#define DATA(f) BOOTS_TESTDATA "/" f

static const boots_hw *by_mac_str(const boots_hwdb *db, const char *s)
{
    uint8_t mac[6];

    assert_int_equal(boots_mac_parse(s, strlen(s), mac), 0);
    return boots_hwdb_by_mac(db, mac);
}

static uint32_t ip(const char *s)
{
    uint32_t v = 0;

    assert_int_equal(boots_ip4_parse(s, strlen(s), &v), 0);
    return v;
}

static boots_hwdb *load_ok(const char *path)
{
    boots_hwdb *db = NULL;
    boots_error err;
    int rc = boots_hwdb_load_file(path, &db, &err);

    if (rc != 0)
        fail_msg("%s: %s", path, err.message);
    assert_non_null(db);
    assert_int_equal(err.code, 0);
    return db;
}

/* ------------------------------------------------------------------ */
/* Every input shape loads                                             */
/* ------------------------------------------------------------------ */

static const struct shape_case {
    const char *file;
    size_t entries;
    size_t records;
    const char *mac;        /* one entry to look at */
    const char *id;
    const char *ip;
    bool allow_pxe;
} shapes[] = {
    { DATA("kubectl_list.json"), 4, 3, "3c:ec:ef:4c:4f:54", "default/sm01",
      "172.16.10.100", true },
    { DATA("hardware_list.json"), 2, 2, "52:54:00:12:34:57",
      "tink-system/worker-2", "10.99.0.12", true },
    { DATA("hardware_single.json"), 1, 1, "3c:ec:ef:4c:4f:54", "default/sm01",
      "172.16.10.100", true },
    { DATA("hardware_array.json"), 2, 2, "02:00:00:00:0a:02", "lab/a2",
      "192.168.50.12", false },
    { DATA("tinkserver.json"), 1, 1, "08:00:27:00:00:01",
      "0eba0bf8-3772-4b4a-ab9f-6ebe93b90a95", "192.168.1.5", true },
    { DATA("tinkserver_array.json"), 2, 2, "08:00:27:9e:f5:3a",
      "f9f56dff-098a-4c5f-a51c-19ad35de85d1", "192.168.1.105", true },
};

static void test_shapes_load(void **state)
{
    size_t i = 0;

    (void)state;
    for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        const struct shape_case *c = &shapes[i];
        boots_hwdb *db = load_ok(c->file);
        const boots_hw *hw = by_mac_str(db, c->mac);

        assert_int_equal(boots_hwdb_count(db), c->entries);
        assert_int_equal(boots_hwdb_records(db), c->records);
        assert_non_null(hw);
        assert_string_equal(hw->id, c->id);
        assert_string_equal(hw->mac_str, c->mac);
        assert_int_equal(hw->ip, ip(c->ip));
        assert_ptr_equal(boots_hwdb_by_ip(db, ip(c->ip)), hw);
        assert_int_equal(hw->allow_pxe, c->allow_pxe);
        boots_hwdb_unref(db);
    }
}

/* The same bytes through load_buffer give the same result. */
static void test_buffer_equals_file(void **state)
{
    FILE *f = fopen(DATA("kubectl_list.json"), "rb");
    char *buf = NULL;
    long len = 0;
    boots_hwdb *db = NULL;
    boots_error err;

    (void)state;
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    buf = malloc((size_t)len);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    assert_int_equal(boots_hwdb_load_buffer(buf, (size_t)len, "mem", &db,
                                            &err), 0);
    free(buf);   /* the snapshot must not point into the input */
    assert_int_equal(boots_hwdb_count(db), 4);
    assert_string_equal(by_mac_str(db, "3c:ec:ef:4c:4f:54")->hostname, "sm01");
    boots_hwdb_unref(db);
}

/* Every field of the kubectl List lands where boots.h says. */
static void test_kubectl_fields(void **state)
{
    boots_hwdb *db = load_ok(DATA("kubectl_list.json"));
    const boots_hw *hw = NULL;

    (void)state;
    hw = by_mac_str(db, "3c:ec:ef:4c:4f:54");
    assert_non_null(hw);
    assert_string_equal(hw->id, "default/sm01");
    assert_string_equal(hw->hostname, "sm01");
    assert_string_equal(hw->arch, "x86_64");
    assert_string_equal(hw->facility, "onprem");
    assert_int_equal(hw->netmask, ip("255.255.255.0"));
    assert_int_equal(hw->gateway, ip("172.16.10.1"));
    assert_int_equal(hw->lease_time, 86400);
    assert_int_equal(hw->n_name_servers, 2);
    assert_int_equal(hw->name_servers[0], ip("172.16.10.1"));
    assert_int_equal(hw->name_servers[1], ip("10.1.1.11"));
    assert_int_equal(hw->n_time_servers, 1);
    assert_int_equal(hw->time_servers[0], ip("172.16.10.1"));
    assert_true(hw->uefi);
    assert_int_equal(hw->vlan_id, 120);            /* CRD string "120" */
    assert_true(hw->allow_pxe);
    assert_true(hw->allow_workflow);
    assert_false(hw->disable_dhcp);
    assert_string_equal(hw->osie_base_url, "http://172.16.10.2:8080/hook");
    assert_string_equal(hw->osie_kernel, "vmlinuz-x86_64");
    assert_string_equal(hw->osie_initrd, "initramfs-x86_64");
    assert_null(hw->ipxe_url);
    assert_null(hw->ipxe_contents);
    assert_int_equal(hw->iface_index, 0);

    /* two interfaces, one entry per MAC; MACs canonicalised */
    hw = by_mac_str(db, "b8:27:eb:00:00:07");
    assert_non_null(hw);
    assert_string_equal(hw->mac_str, "b8:27:eb:00:00:07");
    assert_string_equal(hw->id, "tink-system/rack2-node7");
    assert_string_equal(hw->arch, "aarch64");
    assert_null(hw->facility);
    assert_false(hw->allow_pxe);
    assert_false(hw->allow_workflow);
    assert_int_equal(hw->vlan_id, -1);
    assert_int_equal(hw->lease_time, 0);
    assert_string_equal(hw->ipxe_url, "https://boot.example.com/custom.ipxe");
    hw = by_mac_str(db, "b8:27:eb:00:00:08");
    assert_non_null(hw);
    assert_string_equal(hw->mac_str, "b8:27:eb:00:00:08");
    assert_string_equal(hw->id, "tink-system/rack2-node7");
    assert_int_equal(hw->iface_index, 1);
    assert_true(hw->disable_dhcp);                 /* on the interface */
    assert_int_equal(hw->vlan_id, 42);             /* a number */
    assert_int_equal(hw->gateway, 0);
    assert_null(hw->hostname);
    /* the operator's own script is kept byte for byte */
    assert_string_equal(hw->ipxe_contents,
        "#!ipxe\necho booting ${mac} on \"node7\"\n"
        "dhcp && chain http://10.20.0.2/x.ipxe || shell\n");

    /* defaults */
    hw = by_mac_str(db, "02:00:00:00:00:01");
    assert_non_null(hw);
    assert_string_equal(hw->id, "default/minimal");
    assert_string_equal(hw->arch, "x86_64");
    assert_false(hw->allow_pxe);
    assert_false(hw->allow_workflow);
    assert_false(hw->uefi);
    assert_int_equal(hw->vlan_id, -1);
    assert_int_equal(hw->ip, 0);
    assert_int_equal(hw->n_name_servers, 0);
    boots_hwdb_unref(db);
}

static void test_tinkserver_fields(void **state)
{
    boots_hwdb *db = load_ok(DATA("tinkserver.json"));
    const boots_hw *hw = by_mac_str(db, "08:00:27:00:00:01");

    (void)state;
    assert_non_null(hw);
    assert_string_equal(hw->hostname, "server001");
    assert_string_equal(hw->facility, "ewr1");
    assert_true(hw->allow_pxe);                       /* allow_pxe */
    assert_true(hw->allow_workflow);                  /* allow_workflow */
    assert_string_equal(hw->osie_base_url,            /* osie.base_url */
                        "http://192.168.1.1/misc/osie/current");
    assert_string_equal(hw->osie_kernel, "vmlinuz-x86_64");
    assert_int_equal(hw->netmask, ip("255.255.255.248"));
    boots_hwdb_unref(db);

    db = load_ok(DATA("tinkserver_array.json"));
    hw = by_mac_str(db, "08:00:27:9e:f5:3a");
    assert_non_null(hw);
    assert_null(hw->facility);       /* metadata given as a string */
    assert_int_equal(hw->vlan_id, 7);
    assert_false(hw->disable_dhcp);
    assert_int_equal(hw->n_time_servers, 1);
    assert_string_equal(hw->ipxe_url, "http://192.168.1.1/custom.ipxe");
    hw = by_mac_str(db, "08:00:27:9e:f5:3b");
    assert_non_null(hw);
    assert_true(hw->disable_dhcp);   /* inside dhcp */
    assert_false(hw->allow_pxe);
    assert_true(hw->allow_workflow);
    assert_string_equal(hw->osie_base_url, "http://192.168.1.1/osie");
    boots_hwdb_unref(db);
}

/* Valid edge values, one document each. */
#define REC(dhcp, netboot)                                                   \
    "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\","                 \
    "\"namespace\":\"t\"},\"spec\":{\"interfaces\":[{\"dhcp\":{" dhcp "},"   \
    "\"netboot\":{" netboot "}}]}}"
#define MAC_OK "\"mac\":\"02:00:00:00:00:01\""
#define IP_OK "\"ip\":{\"address\":\"10.0.0.5\",\"netmask\":\"255.255.255.0\"," \
              "\"gateway\":\"10.0.0.1\"}"
#define GOOD MAC_OK "," IP_OK
#define PXE "\"allowPXE\":true"
#define LIST(...) "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" \
                  __VA_ARGS__ "],\"metadata\":{\"resourceVersion\":\"\"}}"
#define REC2 "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"other\",\"namespace\":\"t\"}," \
    "\"spec\":{\"interfaces\":[{\"dhcp\":{\"mac\":\"02:00:00:00:00:99\"," \
    "\"ip\":{\"address\":\"10.0.0.99\",\"netmask\":\"255.255.255.0\"}}}]}}"

static const struct good_case {
    const char *name;
    const char *json;
    size_t entries;
} goods[] = {
    { "empty list", LIST(""), 0 },
    { "list with null items", "{\"kind\":\"HardwareList\",\"items\":null}", 0 },
    { "empty array", "[]", 0 },
    { "no interfaces", "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"x\"},"
      "\"spec\":{}}", 0 },
    { "MAC upper case no separators", REC("\"mac\":\"0200000000AB\"", PXE), 1 },
    { "MAC with dashes", REC("\"mac\":\"02-00-00-00-00-AB\"", PXE), 1 },
    { "lease_time max", REC(GOOD ",\"lease_time\":4294967295", PXE), 1 },
    { "vlan 1", REC(GOOD ",\"vlan_id\":\"1\"", PXE), 1 },
    { "vlan 4094", REC(GOOD ",\"vlan_id\":4094", PXE), 1 },
    { "vlan empty string", REC(GOOD ",\"vlan_id\":\"\"", PXE), 1 },
    { "8 name servers", REC(GOOD ",\"name_servers\":[\"1.1.1.1\",\"1.1.1.2\","
      "\"1.1.1.3\",\"1.1.1.4\",\"1.1.1.5\",\"1.1.1.6\",\"1.1.1.7\",\"1.1.1.8\"]",
      PXE), 1 },
    { "null fields are absent", REC(GOOD ",\"hostname\":null,\"vlan_id\":null",
      "\"allowPXE\":null"), 1 },
    { "/32 netmask", REC(MAC_OK ",\"ip\":{\"address\":\"10.0.0.5\","
      "\"netmask\":\"255.255.255.255\"}", PXE), 1 },
    { "unknown fields ignored", REC(GOOD ",\"future\":{\"x\":[1,2]}",
      PXE ",\"newThing\":true"), 1 },
};

static void test_good_edges(void **state)
{
    size_t i = 0;

    (void)state;
    for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
        boots_hwdb *db = NULL;
        boots_error err;
        int rc = boots_hwdb_load_buffer(goods[i].json, strlen(goods[i].json),
                                        "good.json", &db, &err);

        if (rc != 0)
            fail_msg("%s: %s", goods[i].name, err.message);
        assert_int_equal(boots_hwdb_count(db), goods[i].entries);
        boots_hwdb_unref(db);
    }
}

/* ------------------------------------------------------------------ */
/* Every kind of bad input is rejected, naming record, field and value */
/* ------------------------------------------------------------------ */

#define TS(dhcp)                                                             \
    "{\"id\":\"ts-1\",\"network\":{\"interfaces\":[{\"dhcp\":{" dhcp "}}]}}"

static const struct bad_case {
    const char *name;
    const char *json;
    int code;
    const char *record;     /* err->record */
    const char *field;      /* err->field */
    const char *says;       /* in err->message (value and reason) */
} bads[] = {
    /* MAC */
    { "invalid MAC", REC("\"mac\":\"zz:00:00:00:00:01\"", PXE), BOOTS_EINVAL,
      "t/bad", "spec.interfaces[0].dhcp.mac",
      "invalid MAC address \"zz:00:00:00:00:01\"" },
    { "short MAC", REC("\"mac\":\"02:00:00:00:01\"", PXE), BOOTS_EINVAL,
      "t/bad", "spec.interfaces[0].dhcp.mac",
      "invalid MAC address \"02:00:00:00:01\"" },
    { "mixed separators", REC("\"mac\":\"02:00-00:00:00:01\"", PXE),
      BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.mac",
      "invalid MAC address \"02:00-00:00:00:01\"" },
    { "missing MAC", REC(IP_OK, PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.mac", "missing MAC address" },
    { "MAC not a string", REC("\"mac\":42", PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.mac", "got an integer 42" },
    /* IP, netmask, gateway */
    { "invalid IP", REC(MAC_OK ",\"ip\":{\"address\":\"10.0.0.256\","
      "\"netmask\":\"255.255.255.0\"}", PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.ip.address",
      "invalid IPv4 address \"10.0.0.256\"" },
    { "IP with leading zero", REC(MAC_OK ",\"ip\":{\"address\":\"10.0.0.05\","
      "\"netmask\":\"255.255.255.0\"}", PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.ip.address",
      "invalid IPv4 address \"10.0.0.05\"" },
    { "IPv6 address", REC(MAC_OK ",\"ip\":{\"address\":\"fd00::5\","
      "\"netmask\":\"255.255.255.0\"}", PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.ip.address", "\"fd00::5\"" },
    { "missing address", REC(MAC_OK ",\"ip\":{\"netmask\":\"255.0.0.0\"}",
      PXE), BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.ip.address",
      "missing IP address" },
    { "missing netmask", REC(MAC_OK ",\"ip\":{\"address\":\"10.0.0.5\"}",
      PXE), BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.ip.netmask",
      "missing netmask" },
    { "non-contiguous netmask", REC(MAC_OK ",\"ip\":{\"address\":\"10.0.0.5\","
      "\"netmask\":\"255.0.255.0\"}", PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.ip.netmask",
      "netmask is not contiguous: \"255.0.255.0\"" },
    { "zero netmask", REC(MAC_OK ",\"ip\":{\"address\":\"10.0.0.5\","
      "\"netmask\":\"0.0.0.0\"}", PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.ip.netmask", "\"0.0.0.0\"" },
    { "gateway outside subnet", REC(MAC_OK ",\"ip\":{\"address\":\"10.0.0.5\","
      "\"netmask\":\"255.255.255.0\",\"gateway\":\"10.0.1.1\"}", PXE),
      BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.ip.gateway",
      "gateway \"10.0.1.1\" is outside the interface's subnet "
      "10.0.0.5/255.255.255.0" },
    /* lease time */
    { "negative lease", REC(GOOD ",\"lease_time\":-1", PXE), BOOTS_EINVAL,
      "t/bad", "spec.interfaces[0].dhcp.lease_time",
      "expected an integer 0..4294967295, got -1" },
    { "lease too big", REC(GOOD ",\"lease_time\":4294967296", PXE),
      BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.lease_time",
      "got 4294967296" },
    { "lease as string", REC(GOOD ",\"lease_time\":\"86400\"", PXE),
      BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.lease_time",
      "got \"86400\"" },
    /* VLAN */
    { "vlan 0", REC(GOOD ",\"vlan_id\":\"0\"", PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.vlan_id",
      "invalid VLAN id \"0\" (expected 1..4094)" },
    { "vlan 4095", REC(GOOD ",\"vlan_id\":4095", PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.vlan_id", "invalid VLAN id 4095" },
    { "vlan not numeric", REC(GOOD ",\"vlan_id\":\"12a\"", PXE), BOOTS_EINVAL,
      "t/bad", "spec.interfaces[0].dhcp.vlan_id", "invalid VLAN id \"12a\"" },
    { "vlan boolean", REC(GOOD ",\"vlan_id\":true", PXE), BOOTS_EINVAL,
      "t/bad", "spec.interfaces[0].dhcp.vlan_id", "got a boolean true" },
    /* server lists */
    { "9 name servers", REC(GOOD ",\"name_servers\":[\"1.1.1.1\",\"1.1.1.2\","
      "\"1.1.1.3\",\"1.1.1.4\",\"1.1.1.5\",\"1.1.1.6\",\"1.1.1.7\",\"1.1.1.8\","
      "\"1.1.1.9\"]", PXE), BOOTS_ETOOBIG, "t/bad",
      "spec.interfaces[0].dhcp.name_servers",
      "9 addresses, at most 8 are allowed" },
    { "bad time server", REC(GOOD ",\"time_servers\":[\"1.1.1.1\",\"ntp\"]",
      PXE), BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.time_servers[1]",
      "invalid IPv4 address \"ntp\"" },
    { "name servers not a list", REC(GOOD ",\"name_servers\":\"1.1.1.1\"",
      PXE), BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.name_servers",
      "expected an array of IPv4 addresses, got a string \"1.1.1.1\"" },
    /* values that would change an iPXE script */
    { "hostname with space", REC(GOOD ",\"hostname\":\"a b\"", PXE),
      BOOTS_EUNSAFE, "t/bad", "spec.interfaces[0].dhcp.hostname",
      "unsafe for an iPXE script" },
    { "hostname with ${", REC(GOOD ",\"hostname\":\"x${net0/ip}\"", PXE),
      BOOTS_EUNSAFE, "t/bad", "spec.interfaces[0].dhcp.hostname",
      "\"x${net0/ip}\"" },
    { "hostname with newline", REC(GOOD ",\"hostname\":\"x\\nshell\"", PXE),
      BOOTS_EUNSAFE, "t/bad", "spec.interfaces[0].dhcp.hostname",
      "\"x\\x0ashell\"" },
    { "hostname with control byte", REC(GOOD ",\"hostname\":\"x\\u0001\"",
      PXE), BOOTS_EUNSAFE, "t/bad", "spec.interfaces[0].dhcp.hostname",
      "\"x\\x01\"" },
    { "arch with ;", REC(GOOD ",\"arch\":\"x86_64;shell\"", PXE),
      BOOTS_EUNSAFE, "t/bad", "spec.interfaces[0].dhcp.arch",
      "\"x86_64;shell\"" },
    { "ipxe.url not http", REC(GOOD, PXE ",\"ipxe\":{\"url\":"
      "\"tftp://10.0.0.1/x.ipxe\"}"), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].netboot.ipxe.url",
      "must start with http:// or https://: \"tftp://10.0.0.1/x.ipxe\"" },
    { "ipxe.url with space", REC(GOOD, PXE ",\"ipxe\":{\"url\":"
      "\"http://x/a b\"}"), BOOTS_EUNSAFE, "t/bad",
      "spec.interfaces[0].netboot.ipxe.url", "\"http://x/a b\"" },
    { "osie baseURL with #", REC(GOOD, PXE ",\"osie\":{\"baseURL\":"
      "\"http://x/#a\"}"), BOOTS_EUNSAFE, "t/bad",
      "spec.interfaces[0].netboot.osie.baseURL", "\"http://x/#a\"" },
    { "osie kernel with quote", REC(GOOD, PXE ",\"osie\":{\"kernel\":"
      "\"vm\\\"linuz\"}"), BOOTS_EUNSAFE, "t/bad",
      "spec.interfaces[0].netboot.osie.kernel", "\"vm\\\"linuz\"" },
    { "osie initrd with |", REC(GOOD, PXE ",\"osie\":{\"initrd\":"
      "\"i||shell\"}"), BOOTS_EUNSAFE, "t/bad",
      "spec.interfaces[0].netboot.osie.initrd", "\"i||shell\"" },
    { "facility with space",
      "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\",\"namespace\":"
      "\"t\"},\"spec\":{\"metadata\":{\"facility\":{\"facility_code\":"
      "\"on prem\"}},\"interfaces\":[]}}", BOOTS_EUNSAFE, "t/bad",
      "spec.metadata.facility.facility_code", "\"on prem\"" },
    { "NUL inside a string", REC(GOOD ",\"hostname\":\"a\\u0000b\"", PXE),
      BOOTS_EPARSE, "", "", "\\u0000 is not allowed" },
    { "hostname longer than 255", REC(GOOD ",\"hostname\":\""
      "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
      "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
      "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
      "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
      "\"", PXE), BOOTS_ETOOBIG, "t/bad", "spec.interfaces[0].dhcp.hostname",
      "hostname longer than 255 bytes" },
    { "lease as real number", REC(GOOD ",\"lease_time\":86400.5", PXE),
      BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.lease_time",
      "got 86400.5" },
    /* types */
    { "allowPXE as string", REC(GOOD, "\"allowPXE\":\"yes\""), BOOTS_EINVAL,
      "t/bad", "spec.interfaces[0].netboot.allowPXE",
      "expected true or false, got a string \"yes\"" },
    { "uefi as number", REC(GOOD ",\"uefi\":1", PXE), BOOTS_EINVAL, "t/bad",
      "spec.interfaces[0].dhcp.uefi", "expected true or false" },
    { "disableDhcp as string", REC(GOOD ",\"disableDhcp\":\"true\"", PXE),
      BOOTS_EINVAL, "t/bad", "spec.interfaces[0].dhcp.disableDhcp",
      "expected true or false" },
    { "dhcp not an object",
      "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\",\"namespace\":"
      "\"t\"},\"spec\":{\"interfaces\":[{\"dhcp\":[1]}]}}", BOOTS_EINVAL,
      "t/bad", "spec.interfaces[0].dhcp", "expected an object, got an array" },
    { "interfaces not an array",
      "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\",\"namespace\":"
      "\"t\"},\"spec\":{\"interfaces\":{}}}", BOOTS_EINVAL, "t/bad",
      "spec.interfaces", "expected an array of interfaces" },
    { "items not an array", "{\"kind\":\"List\",\"items\":{}}", BOOTS_EINVAL,
      "(list)", "items", "expected an array of Hardware objects" },
    { "item of another kind", LIST("{\"kind\":\"Pod\",\"metadata\":"
      "{\"name\":\"p\"}}"), BOOTS_EINVAL, "items[0]", "kind",
      "expected \"Hardware\", got \"Pod\"" },
    { "item neither Hardware nor tink-server", "[{\"hello\":1}]",
      BOOTS_EINVAL, "[0]", "(record)", "neither a Hardware object" },
    { "item not an object", LIST(REC2 ",7"), BOOTS_EINVAL, "items[1]",
      "(record)", "got an integer 7" },
    /* records are named: namespace/name, id, or position */
    { "record without a name", LIST(REC2 ",{\"kind\":\"Hardware\",\"spec\":"
      "{\"interfaces\":[{\"dhcp\":{\"mac\":\"nope\"}}]}}"), BOOTS_EINVAL,
      "items[1]", "spec.interfaces[0].dhcp.mac",
      "invalid MAC address \"nope\"" },
    { "tink-server record", TS("\"mac\":\"08:00:27:00:00:0g\""), BOOTS_EINVAL,
      "ts-1", "network.interfaces[0].dhcp.mac",
      "invalid MAC address \"08:00:27:00:00:0g\"" },
    { "tink-server interface 2", "{\"id\":\"ts-2\",\"network\":{\"interfaces\":"
      "[{\"dhcp\":{\"mac\":\"08:00:27:00:00:01\"}},{\"dhcp\":{\"mac\":"
      "\"08:00:27:00:00:02\",\"ip\":{\"address\":\"1.2.3.4\",\"netmask\":"
      "\"255.255.255.0\",\"gateway\":\"1.2.4.1\"}}}]}}", BOOTS_EINVAL, "ts-2",
      "network.interfaces[1].dhcp.ip.gateway", "\"1.2.4.1\"" },
    /* duplicates name both records */
    { "duplicate MAC across records", LIST(REC2 "," REC("\"mac\":"
      "\"02-00-00-00-00-99\"", PXE)), BOOTS_EDUP, "t/bad",
      "spec.interfaces[0].dhcp.mac",
      "duplicate MAC address \"02:00:00:00:00:99\", already used by record "
      "t/other (spec.interfaces[0].dhcp.mac)" },
    { "duplicate IP across records", LIST(REC2 "," REC("\"mac\":"
      "\"02:00:00:00:00:01\",\"ip\":{\"address\":\"10.0.0.99\",\"netmask\":"
      "\"255.0.0.0\"}", PXE)), BOOTS_EDUP, "t/bad",
      "spec.interfaces[0].dhcp.ip.address",
      "duplicate IP address \"10.0.0.99\", already used by record t/other "
      "(spec.interfaces[0].dhcp.ip.address)" },
    { "duplicate MAC within a record", "{\"id\":\"ts-3\",\"network\":"
      "{\"interfaces\":[{\"dhcp\":{\"mac\":\"08:00:27:00:00:01\"}},{\"dhcp\":"
      "{\"mac\":\"08:00:27:00:00:01\"}}]}}", BOOTS_EDUP, "ts-3",
      "network.interfaces[1].dhcp.mac",
      "already used by record ts-3 (network.interfaces[0].dhcp.mac)" },
    /* long values are cut */
    { "long value truncated", REC(GOOD ",\"hostname\":\""
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      " $\"", PXE), BOOTS_EUNSAFE, "t/bad",
      "spec.interfaces[0].dhcp.hostname",
      "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"" },
    /* not JSON */
    { "syntax error", "{\"kind\":\"List\",\n\"items\":[{,]}", BOOTS_EPARSE, "",
      "", "line 2 column 11: invalid JSON" },
    { "trailing comma in items", LIST(REC2 ","), BOOTS_EPARSE, "", "",
      "invalid JSON" },
    { "truncated document", "[" REC2, BOOTS_EPARSE, "", "", "invalid JSON" },
    { "garbage after the document", "[]x", BOOTS_EPARSE, "", "",
      "invalid JSON" },
    { "duplicate key", REC(GOOD ",\"mac\":\"02:00:00:00:00:02\"", PXE),
      BOOTS_EPARSE, "", "", "duplicate object key" },
    /* a list's own members are checked like every nested object's */
    { "duplicate list member", "{\"kind\":\"List\",\"items\":[" REC2 "],"
      "\"kind\":\"List\"}", BOOTS_EPARSE, "", "",
      "duplicate object key near '\"kind\"'" },
    { "duplicate list metadata", "{\"kind\":\"List\",\"metadata\":"
      "{\"resourceVersion\":\"1\"},\"items\":[" REC2 "],\"metadata\":"
      "{\"resourceVersion\":\"2\"}}", BOOTS_EPARSE, "", "",
      "duplicate object key near '\"metadata\"'" },
    { "empty input", "", BOOTS_EPARSE, "", "", "invalid JSON" },
    { "a bare string", "\"hardware\"", BOOTS_EPARSE, "", "", "invalid JSON" },
};

static void test_bad_input(void **state)
{
    size_t i = 0;

    (void)state;
    for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
        const struct bad_case *c = &bads[i];
        boots_hwdb *db = (boots_hwdb *)&db;   /* must be reset to NULL */
        boots_error err;
        int rc = boots_hwdb_load_buffer(c->json, strlen(c->json), "test.json",
                                        &db, &err);

        if (rc != c->code || strcmp(err.record, c->record) != 0 ||
            strcmp(err.field, c->field) != 0 ||
            strstr(err.message, c->says) == NULL ||
            strncmp(err.message, "test.json: ", 11) != 0)
            fail_msg("case \"%s\": rc %d (want %d), record \"%s\" (want "
                     "\"%s\"), field \"%s\" (want \"%s\"), message: %s "
                     "(want it to contain: %s)", c->name, rc, c->code,
                     err.record, c->record, err.field, c->field, err.message,
                     c->says);
        assert_null(db);
        assert_int_equal(err.code, c->code);
        /* the message names the record and the field, not only the struct */
        if (c->record[0] != '\0') {
            char want[300];

            snprintf(want, sizeof(want), "record %s: field %s: ", c->record,
                     c->field);
            if (strstr(err.message, want) == NULL)
                fail_msg("case \"%s\": message lacks \"%s\": %s", c->name,
                         want, err.message);
        }
    }
}

/*
 * Lists and arrays are parsed one element at a time; a syntax error must
 * still be located at the line and column jansson gives for the whole
 * document.
 */
static const char *const syntax_docs[] = {
    "{\"kind\":\"List\",\n\"items\":[{,]}",
    "{\"kind\":\"List\",\n\"items\":[\n{\"kind\":\"Hardware\",\"spec\":{}}\n"
    "{\"kind\":\"Hardware\"}]}",
    "{\"kind\":\"List\",\n\"items\":[\n{\"kind\":\"Hardware\",\"spec\":{}},\n"
    "{\"kind\":\"Hardware\",\"spec\":{\"interfaces\":[{\"dhcp\":{\"mac\":\"02:0",
    "[\n{\"kind\":\"Hardware\",\"spec\":{}},\n]",
    "[\n{\"kind\":\"Hardware\",\"spec\":{}}\n]\nx",
    "{\"kind\":\"List\", \"metadata\":{\"a\":tru}, \"items\":[]}",
    "[{\"kind\":\"Hardware\",\"spec\":{\"a\":1,\"a\":2}}]",
    "[{\"kind\":\"Hardware\",\"spec\":{}}, \"\\u00\"]",
    "[{\"kind\":\"Hardware\",\"spec\":{}}, \"abc",
    "[{\"kind\":\"Hardware\",\"spec\":{}}, 1.2.3]",
    "[{\"kind\":\"Hardware\",\"spec\":{}}, [1}]",
    "{\"apiVersion\":\"v1\",\n\"items\":[\n{\"kind\":\"Hardware\",\"spec\":{}},"
    "\n{\"kind\":\"Hardware\",\"spec\":{}}\n],\n\"kind\":\"List\"\n,}",
};

static void test_syntax_errors_located(void **state)
{
    size_t i = 0;

    (void)state;
    for (i = 0; i < sizeof(syntax_docs) / sizeof(syntax_docs[0]); i++) {
        const char *doc = syntax_docs[i];
        json_error_t jerr;
        json_t *whole = json_loadb(doc, strlen(doc), JSON_REJECT_DUPLICATES,
                                   &jerr);
        boots_hwdb *db = NULL;
        boots_error err;
        char want[64];

        assert_null(whole);
        assert_int_equal(boots_hwdb_load_buffer(doc, strlen(doc), "s.json",
                                                &db, &err), BOOTS_EPARSE);
        assert_null(db);
        snprintf(want, sizeof(want), "s.json: line %d column %d: invalid "
                 "JSON: ", jerr.line, jerr.column);
        if (strncmp(err.message, want, strlen(want)) != 0)
            fail_msg("doc %zu: \"%s\" does not start with \"%s\"", i,
                     err.message, want);
        assert_string_equal(err.record, "");
    }
}

/* The message format promised in boots.h, in full. */
static void test_message_format(void **state)
{
    const char *doc = REC("\"mac\":\"zz:00:00:00:00:01\"", PXE);
    boots_hwdb *db = NULL;
    boots_error err;

    (void)state;
    assert_int_equal(boots_hwdb_load_buffer(doc, strlen(doc), "hardware.json",
                                            &db, &err), BOOTS_EINVAL);
    assert_string_equal(err.message,
        "hardware.json: record t/bad: field spec.interfaces[0].dhcp.mac: "
        "invalid MAC address \"zz:00:00:00:00:01\"");
    /* NULL source name */
    assert_int_equal(boots_hwdb_load_buffer(doc, strlen(doc), NULL, &db,
                                            &err), BOOTS_EINVAL);
    assert_true(strncmp(err.message, "<buffer>: ", 10) == 0);
    /* err may be NULL */
    assert_int_equal(boots_hwdb_load_buffer(doc, strlen(doc), NULL, &db,
                                            NULL), BOOTS_EINVAL);
    assert_null(db);
}

/* A bad record late in a large list still fails the whole load. */
static void test_bad_record_after_many_good(void **state)
{
    size_t n = 3000;
    size_t cap = n * 200 + 512;
    char *buf = malloc(cap);
    size_t len = 0;
    size_t i = 0;
    boots_hwdb *db = NULL;
    boots_error err;

    (void)state;
    assert_non_null(buf);
    len += (size_t)snprintf(buf + len, cap - len, "{\"kind\":\"List\","
                            "\"items\":[");
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, cap - len,
            "%s{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"h%zu\"},"
            "\"spec\":{\"interfaces\":[{\"dhcp\":{\"mac\":\"02:00:00:00:%02zx:"
            "%02zx\"}}]}}", i ? "," : "", i,
            i == n - 1 ? (size_t)0x100 : i >> 8, i & 0xff);
    len += (size_t)snprintf(buf + len, cap - len, "]}");
    assert_true(len < cap);
    assert_int_equal(boots_hwdb_load_buffer(buf, len, "big.json", &db, &err),
                     BOOTS_EINVAL);
    assert_null(db);
    assert_string_equal(err.record, "h2999");
    assert_non_null(strstr(err.message, "\"02:00:00:00:100:b7\""));
    free(buf);
}

/*
 * A file larger than the loader's page-release step (8 MB): every record
 * loads from the mapped file, and a truncated copy is rejected with the
 * line jansson reports for it.
 */
static void test_large_file(void **state)
{
    const size_t n = 120;
    const size_t pad = 100 * 1024;     /* an annotation per record */
    char dir[] = "/tmp/boots-core-unit-XXXXXX";
    char path[64];
    char *note = NULL;
    FILE *f = NULL;
    long size = 0;
    boots_hwdb *db = NULL;
    boots_error err;
    json_error_t jerr;
    char want[96];
    size_t i = 0;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/big.json", dir);
    note = malloc(pad + 1);
    assert_non_null(note);
    memset(note, 'n', pad);
    note[pad] = '\0';
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"apiVersion\":\"v1\",\"items\":[\n");
    for (i = 0; i < n; i++)
        fprintf(f, "%s{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"h%zu\","
                "\"annotations\":{\"note\":\"%s\"}},\"spec\":{\"interfaces\":"
                "[{\"dhcp\":{\"mac\":\"02:00:00:00:00:%02zx\",\"ip\":{"
                "\"address\":\"10.1.0.%zu\",\"netmask\":\"255.255.0.0\"}}}]}}\n",
                i ? "," : "", i, note, i, i + 1);
    fprintf(f, "],\"kind\":\"List\"}\n");
    assert_int_equal(fclose(f), 0);
    free(note);

    assert_int_equal(boots_hwdb_load_file(path, &db, &err), 0);
    assert_int_equal(boots_hwdb_count(db), n);
    for (i = 0; i < n; i++) {
        uint8_t mac[6] = { 2, 0, 0, 0, 0, (uint8_t)i };
        char name[16];

        snprintf(name, sizeof(name), "h%zu", i);
        assert_non_null(boots_hwdb_by_mac(db, mac));
        assert_string_equal(boots_hwdb_by_mac(db, mac)->id, name);
    }
    boots_hwdb_unref(db);

    /* cut in the middle of the 100th record */
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fclose(f);
    assert_int_equal(truncate(path, size / 6 * 5), 0);
    assert_null(json_load_file(path, JSON_REJECT_DUPLICATES, &jerr));
    assert_int_equal(boots_hwdb_load_file(path, &db, &err), BOOTS_EPARSE);
    assert_null(db);
    snprintf(want, sizeof(want), ": line %d column %d: invalid JSON: ",
             jerr.line, jerr.column);
    if (strstr(err.message, want) == NULL ||
        strstr(err.message, jerr.text) == NULL)
        fail_msg("\"%s\" lacks \"%s%s\"", err.message, want, jerr.text);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

/*
 * A file is read in 1 MB pieces: a value cut by a piece boundary (here a
 * bare number, then a Hardware object) must be read whole.
 */
static void test_file_read_boundaries(void **state)
{
    const size_t chunk = 1024 * 1024;
    char dir[] = "/tmp/boots-core-unit-XXXXXX";
    char path[64];
    const char *head = "{\"pad\":\"";
    const char *mid = "\",\"n\":";
    FILE *f = NULL;
    size_t pad = 0;
    size_t i = 0;
    long at = 0;
    boots_hwdb *db = NULL;
    boots_error err;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/cut.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    /* the number 1234567 starts 3 bytes before the first boundary */
    pad = chunk - 3 - strlen(head) - strlen(mid);
    fputs(head, f);
    for (i = 0; i < pad; i++)
        fputc('x', f);
    fputs(mid, f);
    assert_int_equal(ftell(f), (long)(chunk - 3));
    fputs("1234567,\"items\":[", f);
    /* then records until one straddles the second boundary */
    for (i = 0; (at = ftell(f)) < (long)(2 * chunk + 1000); i++)
        fprintf(f, "%s{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"h%zu\","
                "\"note\":\"%0400zu\"},\"spec\":{\"interfaces\":[{\"dhcp\":"
                "{\"mac\":\"02:00:00:00:%02zx:%02zx\"}}]}}", i ? "," : "", i,
                i, i >> 8, i & 0xff);
    fputs("],\"kind\":\"List\"}", f);
    assert_int_equal(fclose(f), 0);

    if (boots_hwdb_load_file(path, &db, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(boots_hwdb_count(db), i);
    boots_hwdb_unref(db);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

static void test_file_errors(void **state)
{
    boots_hwdb *db = NULL;
    boots_error err;

    (void)state;
    assert_int_equal(boots_hwdb_load_file(DATA("does-not-exist.json"), &db,
                                          &err), BOOTS_EIO);
    assert_null(db);
    assert_non_null(strstr(err.message, "does-not-exist.json: cannot open"));
    assert_int_equal(boots_hwdb_load_file(BOOTS_TESTDATA, &db, &err),
                     BOOTS_EIO);
    assert_non_null(strstr(err.message, "not a regular file"));
    assert_int_equal(boots_hwdb_load_file(NULL, &db, &err), BOOTS_EINVAL);
    assert_null(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes_load),
        cmocka_unit_test(test_buffer_equals_file),
        cmocka_unit_test(test_kubectl_fields),
        cmocka_unit_test(test_tinkserver_fields),
        cmocka_unit_test(test_good_edges),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_syntax_errors_located),
        cmocka_unit_test(test_message_format),
        cmocka_unit_test(test_bad_record_after_many_good),
        cmocka_unit_test(test_large_file),
        cmocka_unit_test(test_file_read_boundaries),
        cmocka_unit_test(test_file_errors),
    };

    return cmocka_run_group_tests_name("hardware_json", tests, NULL, NULL);
}
