/*
 * fuzz_hardware_json.c - libFuzzer target for the hardware loader.
 *
 * Any input must either load or be rejected with a filled boots_error;
 * never crash, leak or read out of bounds.  A loaded snapshot must keep
 * the loader's promises: every entry is found by its MAC (and IP), MACs
 * are canonical, and values that reach an iPXE script are safe tokens.
 * Lists are parsed element by element, so the loader is also checked
 * against jansson parsing the whole input: what loads must be valid JSON,
 * and what the loader calls invalid JSON must be invalid for jansson too.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boots.h"

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_token(const char *s)
{
    check(s == NULL || boots_ipxe_token_is_safe(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    boots_hwdb *db = NULL;
    boots_error err;
    size_t i = 0;
    int rc = boots_hwdb_load_buffer((const char *)data, size, "fuzz", &db,
                                    &err);

    json_error_t jerr;
    json_t *whole = json_loadb((const char *)data, size,
                               JSON_REJECT_DUPLICATES, &jerr);

    if (rc == 0 || rc == BOOTS_EPARSE)
        check((whole != NULL) == (rc == 0));
    json_decref(whole);
    if (rc != 0) {
        check(db == NULL);
        check(err.code == rc);
        check(memchr(err.message, '\0', sizeof(err.message)) != NULL);
        check(strncmp(err.message, "fuzz: ", 6) == 0);
        return 0;
    }
    check(db != NULL);
    for (i = 0; i < boots_hwdb_count(db); i++) {
        const boots_hw *hw = boots_hwdb_at(db, i);
        char mac[BOOTS_MAC_STRLEN];

        check(boots_hwdb_by_mac(db, hw->mac) == hw);
        check(hw->ip == 0 || boots_hwdb_by_ip(db, hw->ip) == hw);
        check(boots_hwdb_index(db, hw) == i);
        boots_mac_format(hw->mac, mac);
        check(strcmp(mac, hw->mac_str) == 0);
        check(hw->id != NULL && hw->arch != NULL);
        check_token(hw->hostname);
        check_token(hw->arch);
        check_token(hw->facility);
        check_token(hw->ipxe_url);
        check_token(hw->osie_base_url);
        check_token(hw->osie_kernel);
        check_token(hw->osie_initrd);
        check(hw->ipxe_url == NULL ||
              strncmp(hw->ipxe_url, "http://", 7) == 0 ||
              strncmp(hw->ipxe_url, "https://", 8) == 0);
        check(hw->vlan_id == -1 || (hw->vlan_id >= 1 && hw->vlan_id <= 4094));
        check(hw->n_name_servers <= BOOTS_MAX_DNS);
        check(hw->n_time_servers <= BOOTS_MAX_NTP);
        check(hw->ip == 0 || hw->gateway == 0 ||
              (hw->ip & hw->netmask) == (hw->gateway & hw->netmask));
    }
    boots_hwdb_unref(db);
    return 0;
}
