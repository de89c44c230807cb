/*
 * fuzz_netaddr.c - libFuzzer target for the address parsers that read
 * outside text: boots_mac_parse() and boots_ip4_parse().
 *
 * The nginx module takes the MAC from the request path: the segment before
 * "/auto.ipxe" goes to boots_mac_parse() as (pointer, length) into the
 * URI, not NUL-terminated, with any length.  That path code is static
 * inside the module and needs an ngx_http_request_t, so this target fuzzes
 * the parser the way the module calls it: the whole input (after one
 * selector byte) as an unterminated block of exactly its length.
 *
 * Each parser is checked against an independent reading of its contract:
 *  - a MAC is 12 hex digits, or 17 characters with one separator (':' or
 *    '-') used at all five places; accepted iff so, the result formats
 *    back to the same digits, and a rejected input leaves mac untouched;
 *  - an IPv4 address is four dot-separated decimal parts of 1..3 digits,
 *    each <= 255 and without leading zeros; accepted iff so, and it then
 *    formats back to exactly the input.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "boots.h"
#include "fuzz_input.h"

static bool all_hex(const char *s, size_t n)
{
    size_t i = 0;

    for (i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool mac_ok(const char *s, size_t len)
{
    size_t i = 0;

    if (len == 12)
        return all_hex(s, 12);
    if (len != 17 || (s[2] != ':' && s[2] != '-'))
        return false;
    for (i = 0; i < 6; i++) {
        if (!all_hex(s + 3 * i, 2))
            return false;
        if (i < 5 && s[3 * i + 2] != s[2])
            return false;
    }
    return true;
}

static bool ip4_ok(const char *s, size_t len)
{
    size_t pos = 0;
    int part = 0;

    for (part = 0; part < 4; part++) {
        size_t start = pos;
        unsigned v = 0;

        if (part > 0) {
            if (pos >= len || s[pos] != '.')
                return false;
            start = ++pos;
        }
        while (pos < len && pos - start < 4 && s[pos] >= '0'
               && s[pos] <= '9')
            v = v * 10 + (unsigned)(s[pos++] - '0');
        if (pos == start || pos - start > 3 || v > 255
            || (pos - start > 1 && s[start] == '0'))
            return false;
    }
    return pos == len;
}

static void fuzz_mac(const char *s, size_t len)
{
    static const uint8_t canary[6] = { 0xa5, 0x5a, 0xa5, 0x5a, 0xa5, 0x5a };
    uint8_t mac[6];
    char out[BOOTS_MAC_STRLEN];
    size_t i = 0;
    int rc = 0;

    memcpy(mac, canary, 6);
    rc = boots_mac_parse(s, len, mac);
    fuzz_check(rc == BOOTS_OK || rc == BOOTS_EINVAL);
    fuzz_check((rc == BOOTS_OK) == mac_ok(s, len));
    if (rc != BOOTS_OK) {
        fuzz_check(memcmp(mac, canary, 6) == 0);
        return;
    }
    boots_mac_format(mac, out);
    fuzz_check(strlen(out) == 17);
    for (i = 0; i < 6; i++) {
        const char *in = s + i * (len == 12 ? 2 : 3);

        fuzz_check(tolower((unsigned char)in[0]) == out[3 * i]);
        fuzz_check(tolower((unsigned char)in[1]) == out[3 * i + 1]);
    }
}

static void fuzz_ip4(const char *s, size_t len)
{
    uint32_t ip = 0x5a5a5a5a;
    char out[BOOTS_IP4_STRLEN];
    int rc = boots_ip4_parse(s, len, &ip);

    fuzz_check(rc == BOOTS_OK || rc == BOOTS_EINVAL);
    fuzz_check((rc == BOOTS_OK) == ip4_ok(s, len));
    if (rc != BOOTS_OK)
        return;
    boots_ip4_format(ip, out);
    fuzz_check(strlen(out) == len && memcmp(out, s, len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    uint8_t which = 0;
    size_t len = 0;
    const char *s = NULL;

    fuzz_input_init(&in, data, size);
    which = fuzz_u8(&in);
    s = (const char *)fuzz_bytes(&in, fuzz_left(&in), &len);
    if (which & 1)
        fuzz_ip4(s, len);
    else
        fuzz_mac(s, len);
    /* Both parsers take a NULL string as invalid input. */
    fuzz_check(boots_mac_parse(NULL, len, (uint8_t[6]){ 0 })
               == BOOTS_EINVAL);
    fuzz_check(boots_ip4_parse(NULL, len, &(uint32_t){ 0 }) == BOOTS_EINVAL);
    fuzz_input_free(&in);
    return 0;
}
