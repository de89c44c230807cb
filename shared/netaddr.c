/*
 * netaddr.c - parsing and formatting MAC and IPv4 addresses.
 */
#include <stdio.h>

#include "boots.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int boots_mac_parse(const char *s, size_t len, uint8_t mac[6])
{
    uint8_t tmp[6];
    char sep = '\0';
    size_t step = 2;
    size_t i = 0;

    if (s == NULL || mac == NULL)
        return BOOTS_EINVAL;
    if (len == 17) {
        sep = s[2];
        if (sep != ':' && sep != '-')
            return BOOTS_EINVAL;
        step = 3;
    } else if (len != 12) {
        return BOOTS_EINVAL;
    }
    for (i = 0; i < 6; i++) {
        const char *p = s + i * step;
        int hi = hex_value(p[0]);
        int lo = hex_value(p[1]);

        if (hi < 0 || lo < 0)
            return BOOTS_EINVAL;
        if (sep != '\0' && i < 5 && p[2] != sep)
            return BOOTS_EINVAL;      /* mixed or missing separators */
        tmp[i] = (uint8_t)(hi << 4 | lo);
    }
    for (i = 0; i < 6; i++)
        mac[i] = tmp[i];
    return BOOTS_OK;
}

void boots_mac_format(const uint8_t mac[6], char out[BOOTS_MAC_STRLEN])
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0;

    for (i = 0; i < 6; i++) {
        out[i * 3] = hex[mac[i] >> 4];
        out[i * 3 + 1] = hex[mac[i] & 0xf];
        out[i * 3 + 2] = i < 5 ? ':' : '\0';
    }
}

int boots_ip4_parse(const char *s, size_t len, uint32_t *ip)
{
    uint32_t value = 0;
    size_t pos = 0;
    int part = 0;

    if (s == NULL || ip == NULL || len == 0 || len > 15)
        return BOOTS_EINVAL;
    for (part = 0; part < 4; part++) {
        unsigned octet = 0;
        size_t digits = 0;

        if (part > 0) {
            if (pos >= len || s[pos] != '.')
                return BOOTS_EINVAL;
            pos++;
        }
        while (pos < len && s[pos] >= '0' && s[pos] <= '9') {
            if (digits == 1 && octet == 0)
                return BOOTS_EINVAL;  /* leading zero: "01" */
            octet = octet * 10 + (unsigned)(s[pos] - '0');
            if (octet > 255)
                return BOOTS_EINVAL;
            digits++;
            pos++;
        }
        if (digits == 0)
            return BOOTS_EINVAL;
        value = value << 8 | octet;
    }
    if (pos != len)
        return BOOTS_EINVAL;
    *ip = value;
    return BOOTS_OK;
}

void boots_ip4_format(uint32_t ip, char out[BOOTS_IP4_STRLEN])
{
    snprintf(out, BOOTS_IP4_STRLEN, "%u.%u.%u.%u",
             (unsigned)(ip >> 24), (unsigned)(ip >> 16 & 0xff),
             (unsigned)(ip >> 8 & 0xff), (unsigned)(ip & 0xff));
}
