/*
 * hardware_json.c - load Tinkerbell hardware data (JSON) into a snapshot.
 *
 * Accepted documents (see boots.h): a Kubernetes List / HardwareList with
 * "items", a single Hardware object, a JSON array of objects, and the
 * older tink-server object {"id", "metadata", "network"}.  Each element
 * is recognised by its own shape: "spec" makes it a Kubernetes Hardware,
 * "network" a tink-server record.  Field names are accepted in camelCase
 * and snake_case (allowPXE / allow_pxe, baseURL / base_url, ...); unknown
 * fields are ignored and JSON null counts as absent.
 *
 * Every value is validated before anything is published; the first error
 * stops the load and names source, record, field path and value.
 *
 * Memory: lists and arrays are parsed one element at a time (see "The
 * document, streamed"), and files are mapped rather than read, so loading
 * 100,000 records peaks at a few tens of MB instead of jansson's ~400+ MB
 * tree; strings are copied once into the snapshot's arena.
 * Thread safety: no shared state; loads may run on any thread.
 *
 * For the Kubernetes watch (k8s_watch.c): boots_hwdb_load_buffer_hooks
 * tells a caller about each record (its object and how many entries it
 * added) and the list's other members, and boots_hw_parse_object runs the
 * per-record code on one object, so an event costs one object's parse.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define FIELD_MAX  96
#define RECORD_MAX 160
#define VALUE_MAX  (4 * BOOTS_ESCAPE_MAX_INPUT + 8)
#define HOSTNAME_MAX 255   /* DHCP option 12 */

typedef struct load_ctx {
    const char *source;
    boots_hwdb_builder *b;
    boots_error *err;
    char record[RECORD_MAX];    /* "namespace/name", "id" or "items[3]" */
    const char *prefix;         /* "spec.interfaces" / "network.interfaces" */
    boots_hw_load_hooks *hooks; /* NULL, or told about records and members */
    bool note;                  /* note each streamed record's digest */
    bool named_by_pos;          /* this record's name is its position */
    boots_hwdb_reuse *reuse;    /* an older snapshot's records, or NULL */
} load_ctx;

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static int field_error(load_ctx *ctx, int code, const char *field,
                       const char *fmt, ...) BOOTS_PRINTF(4, 5);

static int field_error(load_ctx *ctx, int code, const char *field,
                       const char *fmt, ...)
{
    char detail[384];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return boots_error_set(ctx->err, code, ctx->record, field,
                           "%s: record %s: field %s: %s", ctx->source,
                           ctx->record, field, detail);
}

/* The value as it appears in the input, escaped and truncated, for a
 * message: strings in quotes, anything else as compact JSON. */
static const char *show(const json_t *v, char out[VALUE_MAX])
{
    char *dump = NULL;
    char tmp[VALUE_MAX - 2];

    if (json_is_string(v)) {
        boots_escape(json_string_value(v), json_string_length(v), tmp,
                     sizeof(tmp));
        snprintf(out, VALUE_MAX, "\"%s\"", tmp);
        return out;
    }
    dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    if (dump == NULL) {
        snprintf(out, VALUE_MAX, "(a JSON %s)",
                 json_is_object(v) ? "object" : "value");
        return out;
    }
    boots_escape(dump, strlen(dump), out, VALUE_MAX);
    free(dump);
    return out;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:  return "an object";
    case JSON_ARRAY:   return "an array";
    case JSON_STRING:  return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL:    return "a number";
    case JSON_TRUE:
    case JSON_FALSE:   return "a boolean";
    default:           return "null";
    }
}

static int type_error(load_ctx *ctx, const char *field, const char *want,
                      const json_t *v)
{
    char val[VALUE_MAX];

    return field_error(ctx, BOOTS_EINVAL, field, "expected %s, got %s %s",
                       want, type_name(v), show(v, val));
}

/* ------------------------------------------------------------------ */
/* Field access                                                        */
/* ------------------------------------------------------------------ */

/*
 * Look up key (or its alternative spelling alt, may be NULL) in obj.
 * JSON null counts as absent.  *used gets the spelling found (for the
 * field path), or key when absent.
 */
static json_t *get2(const json_t *obj, const char *key, const char *alt,
                    const char **used)
{
    json_t *v = NULL;

    *used = key;
    if (!json_is_object(obj))
        return NULL;
    v = json_object_get(obj, key);
    if ((v == NULL || json_is_null(v)) && alt != NULL) {
        v = json_object_get(obj, alt);
        if (v != NULL && !json_is_null(v))
            *used = alt;
    }
    if (v == NULL || json_is_null(v))
        return NULL;
    return v;
}

/* snprintf that truncates silently (paths and labels are bounded). */
static void bprintf(char *out, size_t size, const char *fmt, ...)
    BOOTS_PRINTF(3, 4);

static void bprintf(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

static void path(char out[FIELD_MAX], const char *base, const char *leaf)
{
    bprintf(out, FIELD_MAX, "%s.%s", base, leaf);
}

/*
 * A string field.  Absent or "" leaves *out NULL.  With safe, the value
 * must be one iPXE token.  The string is copied into the snapshot.
 */
/* get_str flags */
#define STR_SAFE   1    /* must be safe in an iPXE script */
#define STR_UNIQUE 2    /* seldom shared (a hostname): not interned */

static int get_str(load_ctx *ctx, const json_t *obj, const char *base,
                   const char *key, const char *alt, int flags,
                   const char **out)
{
    const char *used = NULL;
    json_t *v = get2(obj, key, alt, &used);
    char field[FIELD_MAX];
    char val[VALUE_MAX];
    const char *s = NULL;
    size_t len = 0;

    *out = NULL;
    if (v == NULL)
        return BOOTS_OK;
    path(field, base, used);
    if (!json_is_string(v))
        return type_error(ctx, field, "a string", v);
    s = json_string_value(v);
    len = json_string_length(v);
    if (len == 0)
        return BOOTS_OK;
    if (strlen(s) != len)
        return field_error(ctx, BOOTS_EINVAL, field,
                           "contains a NUL byte: %s", show(v, val));
    if ((flags & STR_SAFE) && !boots_ipxe_token_is_safe(s))
        return field_error(ctx, BOOTS_EUNSAFE, field,
                           "unsafe for an iPXE script (whitespace, quotes, "
                           "control bytes or one of $ { } # ; & | \\): %s",
                           show(v, val));
    *out = (flags & STR_UNIQUE) ? boots_hwdb_builder_strcopy(ctx->b, s, len)
                                : boots_hwdb_builder_str(ctx->b, s, len);
    if (*out == NULL)
        return field_error(ctx, BOOTS_ENOMEM, field, "out of memory");
    return BOOTS_OK;
}

static int get_bool(load_ctx *ctx, const json_t *obj, const char *base,
                    const char *key, const char *alt, bool *out)
{
    const char *used = NULL;
    json_t *v = get2(obj, key, alt, &used);
    char field[FIELD_MAX];

    if (v == NULL)
        return BOOTS_OK;
    if (!json_is_boolean(v)) {
        path(field, base, used);
        return type_error(ctx, field, "true or false", v);
    }
    *out = json_is_true(v);
    return BOOTS_OK;
}

/* An object field; absent leaves *out NULL. */
static int get_obj(load_ctx *ctx, const json_t *obj, const char *base,
                   const char *key, const char *alt, json_t **out,
                   char field[FIELD_MAX])
{
    const char *used = NULL;
    json_t *v = get2(obj, key, alt, &used);

    path(field, base, used);
    *out = NULL;
    if (v == NULL)
        return BOOTS_OK;
    if (!json_is_object(v))
        return type_error(ctx, field, "an object", v);
    *out = v;
    return BOOTS_OK;
}

static int parse_ip(load_ctx *ctx, const json_t *v, const char *field,
                    uint32_t *ip)
{
    char val[VALUE_MAX];

    if (!json_is_string(v))
        return type_error(ctx, field, "a dotted IPv4 address string", v);
    if (boots_ip4_parse(json_string_value(v), json_string_length(v), ip) != 0)
        return field_error(ctx, BOOTS_EINVAL, field,
                           "invalid IPv4 address %s", show(v, val));
    return BOOTS_OK;
}

/* An IPv4 string field; absent leaves *ip unchanged, *present false. */
static int get_ip(load_ctx *ctx, const json_t *obj, const char *base,
                  const char *key, uint32_t *ip, bool *present)
{
    const char *used = NULL;
    json_t *v = get2(obj, key, NULL, &used);
    char field[FIELD_MAX];

    *present = v != NULL;
    if (v == NULL)
        return BOOTS_OK;
    path(field, base, used);
    return parse_ip(ctx, v, field, ip);
}

static int get_ip_list(load_ctx *ctx, const json_t *obj, const char *base,
                       const char *key, const char *alt, uint32_t *list,
                       uint8_t *n, size_t max)
{
    const char *used = NULL;
    json_t *v = get2(obj, key, alt, &used);
    char field[FIELD_MAX];
    char item[FIELD_MAX];
    size_t i = 0;
    int rc = 0;

    *n = 0;
    if (v == NULL)
        return BOOTS_OK;
    path(field, base, used);
    if (!json_is_array(v))
        return type_error(ctx, field, "an array of IPv4 addresses", v);
    if (json_array_size(v) > max)
        return field_error(ctx, BOOTS_ETOOBIG, field,
                           "%zu addresses, at most %zu are allowed",
                           json_array_size(v), max);
    for (i = 0; i < json_array_size(v); i++) {
        bprintf(item, sizeof(item), "%s[%zu]", field, i);
        rc = parse_ip(ctx, json_array_get(v, i), item, &list[i]);
        if (rc != 0)
            return rc;
    }
    *n = (uint8_t)i;
    return BOOTS_OK;
}

/* ------------------------------------------------------------------ */
/* One interface                                                       */
/* ------------------------------------------------------------------ */

static bool netmask_ok(uint32_t m)
{
    uint32_t inv = ~m;

    /* contiguous: ~m is 0...01...1, i.e. inv & (inv + 1) == 0 */
    return m != 0 && (inv & (inv + 1)) == 0;
}

static int load_vlan(load_ctx *ctx, const json_t *dhcp, const char *base,
                     int16_t *vlan)
{
    const char *used = NULL;
    json_t *v = get2(dhcp, "vlan_id", "vlanId", &used);
    char field[FIELD_MAX];
    char val[VALUE_MAX];
    long long id = 0;

    *vlan = -1;
    if (v == NULL)
        return BOOTS_OK;
    path(field, base, used);
    if (json_is_integer(v)) {
        id = json_integer_value(v);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        size_t i = 0;

        if (len == 0)
            return BOOTS_OK;          /* the CRD's empty string: unset */
        if (len > 4)
            goto bad;
        for (i = 0; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                goto bad;
            id = id * 10 + (s[i] - '0');
        }
    } else {
        return type_error(ctx, field, "a VLAN id 1..4094 (number or string)",
                          v);
    }
    if (id < 1 || id > 4094)
        goto bad;
    *vlan = (int16_t)id;
    return BOOTS_OK;
bad:
    return field_error(ctx, BOOTS_EINVAL, field,
                       "invalid VLAN id %s (expected 1..4094)", show(v, val));
}

static int load_ip_block(load_ctx *ctx, const json_t *dhcp, const char *dbase,
                         boots_hw *hw)
{
    json_t *ipo = NULL;
    char base[FIELD_MAX];
    char field[FIELD_MAX];
    char val[VALUE_MAX];
    bool present = false;
    int rc = 0;

    rc = get_obj(ctx, dhcp, dbase, "ip", NULL, &ipo, base);
    if (rc != 0 || ipo == NULL)
        return rc;
    rc = get_ip(ctx, ipo, base, "address", &hw->ip, &present);
    if (rc != 0)
        return rc;
    path(field, base, "address");
    if (!present)
        return field_error(ctx, BOOTS_EINVAL, field, "missing IP address");
    if (hw->ip == 0)
        return field_error(ctx, BOOTS_EINVAL, field,
                           "invalid IP address \"0.0.0.0\"");
    rc = get_ip(ctx, ipo, base, "netmask", &hw->netmask, &present);
    if (rc != 0)
        return rc;
    path(field, base, "netmask");
    if (!present)
        return field_error(ctx, BOOTS_EINVAL, field, "missing netmask");
    if (!netmask_ok(hw->netmask))
        return field_error(ctx, BOOTS_EINVAL, field,
                           "netmask is not contiguous: %s",
                           show(json_object_get(ipo, "netmask"), val));
    rc = get_ip(ctx, ipo, base, "gateway", &hw->gateway, &present);
    if (rc != 0)
        return rc;
    if (present && hw->gateway != 0 &&
        (hw->gateway & hw->netmask) != (hw->ip & hw->netmask)) {
        char ip[BOOTS_IP4_STRLEN];
        char mask[BOOTS_IP4_STRLEN];

        boots_ip4_format(hw->ip, ip);
        boots_ip4_format(hw->netmask, mask);
        path(field, base, "gateway");
        return field_error(ctx, BOOTS_EINVAL, field,
                           "gateway %s is outside the interface's subnet "
                           "%s/%s", show(json_object_get(ipo, "gateway"), val),
                           ip, mask);
    }
    return BOOTS_OK;
}

static int load_dhcp(load_ctx *ctx, const json_t *iface, const char *ibase,
                     boots_hw *hw)
{
    json_t *dhcp = NULL;
    json_t *v = NULL;
    const char *used = NULL;
    char base[FIELD_MAX];
    char field[FIELD_MAX];
    char val[VALUE_MAX];
    int rc = 0;

    rc = get_obj(ctx, iface, ibase, "dhcp", NULL, &dhcp, base);
    if (rc != 0)
        return rc;
    path(field, base, "mac");
    v = get2(dhcp, "mac", NULL, &used);
    if (v == NULL)
        return field_error(ctx, BOOTS_EINVAL, field, "missing MAC address");
    if (!json_is_string(v))
        return type_error(ctx, field, "a MAC address string", v);
    if (boots_mac_parse(json_string_value(v), json_string_length(v),
                        hw->mac) != 0)
        return field_error(ctx, BOOTS_EINVAL, field,
                           "invalid MAC address %s", show(v, val));
    boots_mac_format(hw->mac, hw->mac_str);

    rc = load_ip_block(ctx, dhcp, base, hw);
    if (rc == 0)
        rc = get_str(ctx, dhcp, base, "hostname", NULL,
                     STR_SAFE | STR_UNIQUE, &hw->hostname);
    if (rc == 0 && hw->hostname != NULL && strlen(hw->hostname) > HOSTNAME_MAX)
    {
        path(field, base, "hostname");
        return field_error(ctx, BOOTS_ETOOBIG, field,
                           "hostname longer than %d bytes", HOSTNAME_MAX);
    }
    if (rc == 0)
        rc = get_str(ctx, dhcp, base, "arch", NULL, STR_SAFE, &hw->arch);
    if (rc != 0)
        return rc;

    v = get2(dhcp, "lease_time", "leaseTime", &used);
    if (v != NULL) {
        path(field, base, used);
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > (json_int_t)UINT32_MAX)
            return field_error(ctx, BOOTS_EINVAL, field,
                               "expected an integer 0..4294967295, got %s",
                               show(v, val));
        hw->lease_time = (uint32_t)json_integer_value(v);
    }
    rc = get_ip_list(ctx, dhcp, base, "name_servers", "nameServers",
                     hw->name_servers, &hw->n_name_servers, BOOTS_MAX_DNS);
    if (rc == 0)
        rc = get_ip_list(ctx, dhcp, base, "time_servers", "timeServers",
                         hw->time_servers, &hw->n_time_servers,
                         BOOTS_MAX_NTP);
    if (rc == 0)
        rc = get_bool(ctx, dhcp, base, "uefi", NULL, &hw->uefi);
    if (rc == 0)
        rc = load_vlan(ctx, dhcp, base, &hw->vlan_id);
    if (rc == 0 && !hw->disable_dhcp)
        rc = get_bool(ctx, dhcp, base, "disableDhcp", "disable_dhcp",
                      &hw->disable_dhcp);
    return rc;
}

static int load_netboot(load_ctx *ctx, const json_t *iface, const char *ibase,
                        boots_hw *hw)
{
    json_t *nb = NULL;
    json_t *ipxe = NULL;
    json_t *osie = NULL;
    char base[FIELD_MAX];
    char sub[FIELD_MAX];
    char field[FIELD_MAX];
    char val[VALUE_MAX];
    int rc = 0;

    rc = get_obj(ctx, iface, ibase, "netboot", NULL, &nb, base);
    if (rc != 0 || nb == NULL)
        return rc;
    rc = get_bool(ctx, nb, base, "allowPXE", "allow_pxe", &hw->allow_pxe);
    if (rc == 0)
        rc = get_bool(ctx, nb, base, "allowWorkflow", "allow_workflow",
                      &hw->allow_workflow);
    if (rc == 0)
        rc = get_obj(ctx, nb, base, "ipxe", NULL, &ipxe, sub);
    if (rc == 0 && ipxe != NULL) {
        rc = get_str(ctx, ipxe, sub, "url", NULL, STR_SAFE, &hw->ipxe_url);
        if (rc == 0 && hw->ipxe_url != NULL &&
            strncmp(hw->ipxe_url, "http://", 7) != 0 &&
            strncmp(hw->ipxe_url, "https://", 8) != 0) {
            path(field, sub, "url");
            return field_error(ctx, BOOTS_EINVAL, field,
                               "iPXE script URL must start with http:// or "
                               "https://: %s",
                               show(json_object_get(ipxe, "url"), val));
        }
        if (rc == 0)
            rc = get_str(ctx, ipxe, sub, "contents", NULL, 0,
                         &hw->ipxe_contents);
    }
    if (rc == 0)
        rc = get_obj(ctx, nb, base, "osie", NULL, &osie, sub);
    if (rc == 0 && osie != NULL) {
        rc = get_str(ctx, osie, sub, "baseURL", "base_url", STR_SAFE,
                     &hw->osie_base_url);
        if (rc == 0)
            rc = get_str(ctx, osie, sub, "kernel", NULL, STR_SAFE,
                         &hw->osie_kernel);
        if (rc == 0)
            rc = get_str(ctx, osie, sub, "initrd", NULL, STR_SAFE,
                         &hw->osie_initrd);
    }
    return rc;
}

static int load_interface(load_ctx *ctx, const json_t *iface, size_t index,
                          const char *id, const char *facility)
{
    boots_hw hw;
    char ibase[FIELD_MAX];
    int rc = 0;

    memset(&hw, 0, sizeof(hw));
    hw.id = id;
    hw.facility = facility;
    hw.vlan_id = -1;
    hw.iface_index = (uint16_t)index;
    bprintf(ibase, sizeof(ibase), "%s[%zu]", ctx->prefix, index);
    if (!json_is_object(iface))
        return type_error(ctx, ibase, "an object", iface);
    rc = get_bool(ctx, iface, ibase, "disableDhcp", "disable_dhcp",
                  &hw.disable_dhcp);
    if (rc == 0)
        rc = load_dhcp(ctx, iface, ibase, &hw);
    if (rc == 0)
        rc = load_netboot(ctx, iface, ibase, &hw);
    if (rc != 0)
        return rc;
    if (hw.arch == NULL) {
        hw.arch = boots_hwdb_builder_str(ctx->b, "x86_64", 6);
        if (hw.arch == NULL)
            return field_error(ctx, BOOTS_ENOMEM, ibase, "out of memory");
    }
    rc = boots_hwdb_builder_add(ctx->b, &hw, ctx->prefix);
    if (rc != 0)
        return field_error(ctx, rc, ibase, "%s", boots_strerror(rc));
    return BOOTS_OK;
}

/* ------------------------------------------------------------------ */
/* One record                                                          */
/* ------------------------------------------------------------------ */

/* A string member usable as (part of) a record name, or NULL. */
static const char *name_part(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_string(v) || json_string_length(v) == 0)
        return NULL;
    return json_string_value(v);
}

static int load_record_fields(load_ctx *ctx, const json_t *rec,
                              const char *pos)
{
    json_t *meta = NULL;
    json_t *holder = NULL;
    json_t *ifaces = NULL;
    json_t *v = NULL;
    const char *ns = NULL;
    const char *name = NULL;
    const char *id = NULL;
    const char *facility = NULL;
    const char *fbase = NULL;
    const char *used = NULL;
    char raw_id[RECORD_MAX * 2];
    char val[VALUE_MAX];
    size_t i = 0;
    int rc = 0;

    bprintf(ctx->record, sizeof(ctx->record), "%s", pos);
    ctx->named_by_pos = false;
    if (!json_is_object(rec))
        return type_error(ctx, "(record)", "a Hardware object", rec);

    if (json_is_object(json_object_get(rec, "spec")) ||
        json_object_get(rec, "kind") != NULL) {
        /* Kubernetes Hardware */
        v = json_object_get(rec, "kind");
        if (v != NULL && !(json_is_string(v) &&
                           strcmp(json_string_value(v), "Hardware") == 0))
            return field_error(ctx, BOOTS_EINVAL, "kind",
                               "expected \"Hardware\", got %s", show(v, val));
        meta = json_object_get(rec, "metadata");
        ns = name_part(meta, "namespace");
        name = name_part(meta, "name");
        if (name != NULL && ns != NULL)
            bprintf(raw_id, sizeof(raw_id), "%s/%s", ns, name);
        else if (name != NULL)
            bprintf(raw_id, sizeof(raw_id), "%s", name);
        else
            bprintf(raw_id, sizeof(raw_id), "%s", pos);
        ctx->named_by_pos = name == NULL;
        holder = json_object_get(rec, "spec");
        if (!json_is_object(holder))
            return field_error(ctx, BOOTS_EINVAL, "spec",
                               "missing Hardware spec");
        ctx->prefix = "spec.interfaces";
        fbase = "spec.metadata.facility";
        meta = json_object_get(holder, "metadata");
    } else if (json_object_get(rec, "network") != NULL) {
        /* tink-server */
        name = name_part(rec, "id");
        bprintf(raw_id, sizeof(raw_id), "%s", name != NULL ? name : pos);
        ctx->named_by_pos = name == NULL;
        holder = json_object_get(rec, "network");
        if (!json_is_object(holder))
            return type_error(ctx, "network", "an object",
                              json_object_get(rec, "network"));
        ctx->prefix = "network.interfaces";
        fbase = "metadata.facility";
        meta = json_object_get(rec, "metadata");
    } else {
        return field_error(ctx, BOOTS_EINVAL, "(record)",
                           "neither a Hardware object (\"spec\") nor a "
                           "tink-server record (\"network\")");
    }
    boots_escape(raw_id, strlen(raw_id), ctx->record, sizeof(ctx->record));
    id = boots_hwdb_builder_strcopy(ctx->b, raw_id, strlen(raw_id));
    if (id == NULL)
        return field_error(ctx, BOOTS_ENOMEM, "", "out of memory");

    /* facility: metadata.facility.facility_code (metadata may be a
     * string in old tink-server dumps: then there is no facility) */
    v = json_object_get(meta, "facility");
    if (json_is_object(v)) {
        rc = get_str(ctx, v, fbase, "facility_code", "facilityCode", STR_SAFE,
                     &facility);
        if (rc != 0)
            return rc;
    }

    ifaces = get2(holder, "interfaces", NULL, &used);
    if (ifaces != NULL && !json_is_array(ifaces))
        return type_error(ctx, ctx->prefix, "an array of interfaces", ifaces);
    for (i = 0; ifaces != NULL && i < json_array_size(ifaces); i++) {
        if (i > UINT16_MAX)
            return field_error(ctx, BOOTS_ETOOBIG, ctx->prefix,
                               "more than %u interfaces", UINT16_MAX + 1);
        rc = load_interface(ctx, json_array_get(ifaces, i), i, id, facility);
        if (rc != 0)
            return rc;
    }
    boots_hwdb_builder_record(ctx->b);
    return BOOTS_OK;
}

/* One record, then the hooks (if any) are told what it produced. */
static int load_record(load_ctx *ctx, const json_t *rec, const char *pos)
{
    size_t before = boots_hwdb_builder_count(ctx->b);
    int rc = 0;

    rc = load_record_fields(ctx, rec, pos);
    if (rc != 0 || ctx->hooks == NULL || ctx->hooks->record == NULL)
        return rc;
    rc = ctx->hooks->record(ctx->hooks->ctx, rec,
                            boots_hwdb_builder_count(ctx->b) - before,
                            ctx->prefix);
    if (rc != 0)
        return boots_error_set(ctx->err, rc, ctx->record, NULL,
                               "%s: record %s: %s", ctx->source, ctx->record,
                               boots_strerror(rc));
    return BOOTS_OK;
}

/* ------------------------------------------------------------------ */
/* The document, as one tree                                           */
/* ------------------------------------------------------------------ */

static int parse_error(load_ctx *ctx, const json_error_t *jerr)
{
    return boots_error_set(ctx->err, BOOTS_EPARSE, NULL, NULL,
                           "%s: line %d column %d: invalid JSON: %s",
                           ctx->source, jerr->line, jerr->column, jerr->text);
}

/* Load the elements of an array, labelled "<label>[i]". */
static int load_array(load_ctx *ctx, const json_t *arr, const char *label)
{
    char pos[RECORD_MAX];
    size_t i = 0;
    int rc = 0;

    for (i = 0; i < json_array_size(arr); i++) {
        bprintf(pos, sizeof(pos), "%s[%zu]", label, i);
        rc = load_record(ctx, json_array_get(arr, i), pos);
        if (rc != 0)
            return rc;
    }
    return BOOTS_OK;
}

/* A Kubernetes list kind: "List", "HardwareList", ... */
static bool is_list_kind(const json_t *kind)
{
    size_t len = json_string_length(kind);

    return json_is_string(kind) && len >= 4 &&
           strcmp(json_string_value(kind) + len - 4, "List") == 0;
}

static int load_root(load_ctx *ctx, const json_t *root)
{
    json_t *items = NULL;

    if (json_is_array(root))
        return load_array(ctx, root, "");
    items = json_object_get(root, "items");
    if (items != NULL && !json_is_null(items)) {
        bprintf(ctx->record, sizeof(ctx->record), "(list)");
        if (!json_is_array(items))
            return type_error(ctx, "items", "an array of Hardware objects",
                              items);
        return load_array(ctx, items, "items");
    }
    if (is_list_kind(json_object_get(root, "kind")))
        return BOOTS_OK;                  /* a list with no items */
    return load_record(ctx, root, "(object)");
}

/* ------------------------------------------------------------------ */
/* The document, streamed                                              */
/* ------------------------------------------------------------------ */

/*
 * jansson's tree costs ~4 KB per Hardware object (~400 MB for 100,000), so
 * lists and arrays are not parsed in one piece: a small scanner finds
 * where each element starts and ends, and jansson parses one element at a
 * time, which is converted and freed before the next.  Everything outside
 * the elements (other members of a List, separators, what follows the
 * document) is checked by the scanner or parsed by jansson piece by piece,
 * so the document as a whole is validated as strictly as by one
 * json_loadb.  Syntax errors are reported with the line and column in the
 * whole document, found by re-parsing from the failing piece.  A single
 * Hardware object is small and is parsed in one piece (STREAM_ONE_PIECE).
 *
 * A file is read as the scanner advances, into an anonymous mapping the
 * size of the file, and the pages already converted are handed back
 * (MADV_DONTNEED), so only a window of a few MB is ever resident.  (The
 * file is read, not mapped: a file truncated by someone else during the
 * load then gives a clean parse error instead of SIGBUS.)
 */

#define STREAM_ONE_PIECE 1      /* not an error: parse in one piece */

/* Bytes read from a file at a time. */
#define READ_CHUNK (1u * 1024u * 1024u)
/* Bytes converted between two madvise(MADV_DONTNEED) calls. */
#define DROP_STEP (8u * 1024u * 1024u)

typedef struct scanner {
    char *buf;            /* the input; for a file, the reading window */
    size_t len;           /* bytes available in buf */
    size_t pos;
    size_t size;          /* bytes buf can hold (the file's size) */
    int fd;               /* file being read, or -1 (whole input in buf) */
    bool eof;             /* nothing more will come */
    int read_errno;       /* a read failed (then eof is set too) */
    bool drop_pages;      /* buf is our own anonymous mapping */
    size_t dropped;       /* bytes of buf already handed back */
    size_t dropped_lines; /* newlines in buf[0..dropped) */
    size_t dropped_nl;    /* offset after the last of them, or 0 */
} scanner;

/* Read more of the file; false when nothing more can come. */
static bool refill(scanner *sc)
{
    size_t want = 0;
    ssize_t n = 0;

    if (sc->eof)
        return false;
    want = sc->size - sc->len;
    if (want > READ_CHUNK)
        want = READ_CHUNK;
    do {
        n = want > 0 ? read(sc->fd, sc->buf + sc->len, want) : 0;
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        sc->read_errno = errno;
    if (n <= 0) {             /* end (or the file shrank), or an error */
        sc->eof = true;
        return false;
    }
    sc->len += (size_t)n;
    if (sc->len == sc->size)
        sc->eof = true;
    return true;
}

/*
 * For a file: hand the bytes already converted back to the system, so the
 * input does not sit in our RSS on top of the snapshot.  Their newlines
 * are counted first, for the line numbers of later syntax errors.
 */
static void drop_consumed(scanner *sc)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t upto = sc->pos / page * page;
    size_t i = sc->dropped;

    if (!sc->drop_pages || upto < sc->dropped + DROP_STEP)
        return;
    while (i < upto) {
        const char *nl = memchr(sc->buf + i, '\n', upto - i);

        if (nl == NULL)
            break;
        i = (size_t)(nl - sc->buf) + 1;
        sc->dropped_lines++;
        sc->dropped_nl = i;
    }
    madvise(sc->buf + sc->dropped, upto - sc->dropped, MADV_DONTNEED);
    sc->dropped = upto;
}

/*
 * A syntax error at byte offset off (the offending byte; len = end of
 * input), reported like jansson does for a whole document: 1-based line
 * and column.  off is never inside the part already handed back.
 */
static int syntax_error(load_ctx *ctx, const scanner *sc, size_t off,
                        const char *text)
{
    size_t line = 1 + sc->dropped_lines;
    size_t line_start = sc->dropped_nl;
    size_t i = sc->dropped;
    size_t end = off < sc->len ? off : sc->len;

    while (i < end) {
        const char *nl = memchr(sc->buf + i, '\n', end - i);

        if (nl == NULL)
            break;
        i = (size_t)(nl - sc->buf) + 1;
        line++;
        line_start = i;
    }
    if (sc->read_errno != 0) {
        char ebuf[128];

        return boots_error_set(ctx->err, BOOTS_EIO, NULL, NULL,
                               "%s: read error after %zu bytes: %s",
                               ctx->source, sc->len,
                               strerror_r(sc->read_errno, ebuf,
                                          sizeof(ebuf)));
    }
    return boots_error_set(ctx->err, BOOTS_EPARSE, NULL, NULL,
                           "%s: line %zu column %zu: invalid JSON: %s",
                           ctx->source, line, off - line_start + 1, text);
}

/*
 * The input is malformed at or after byte start: let jansson say what is
 * wrong with the value starting there (it stops at the first error, so
 * this costs one element, not the document).  If a whole value parses
 * there, the fault is the byte after it: report `what` (the separator the
 * grammar wants) there.  start == SIZE_MAX: report `what` at sc->pos.
 */
static int syntax_error_from(load_ctx *ctx, scanner *sc, size_t start,
                             const char *what)
{
    json_error_t jerr;
    json_t *v = NULL;
    char text[JSON_ERROR_TEXT_LENGTH + 64];
    size_t at = sc->pos;

    if (start != SIZE_MAX) {
        while (refill(sc))      /* jansson needs the rest of the input */
            ;
        v = json_loadb(sc->buf + start, sc->len - start,
                       JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK |
                       JSON_REJECT_DUPLICATES, &jerr);
        if (v == NULL) {
            at = start + (jerr.position > 0 ? (size_t)jerr.position - 1 : 0);
            return syntax_error(ctx, sc, at, jerr.text);
        }
        json_decref(v);
        at = start + (size_t)jerr.position;   /* bytes the value used */
    }
    if (at >= sc->len) {
        bprintf(text, sizeof(text), "%s at the end of the input", what);
    } else {
        unsigned char c = (unsigned char)sc->buf[at];

        if (c > 0x20 && c < 0x7f)
            bprintf(text, sizeof(text), "%s near '%c'", what, c);
        else
            bprintf(text, sizeof(text), "%s near byte 0x%02x", what, c);
    }
    return syntax_error(ctx, sc, at, text);
}

/* Skip whitespace, reading more as needed; false at the end of input. */
static bool skip_ws(scanner *sc)
{
    for (;;) {
        while (sc->pos < sc->len &&
               (sc->buf[sc->pos] == ' ' || sc->buf[sc->pos] == '\t' ||
                sc->buf[sc->pos] == '\n' || sc->buf[sc->pos] == '\r'))
            sc->pos++;
        if (sc->pos < sc->len)
            return true;
        if (!refill(sc))
            return false;
    }
}

/* Move past one string; sc->pos is at its opening quote.  false (with
 * sc->pos at the end of what is available) if it does not end there. */
static bool skip_string(scanner *sc)
{
    const char *p = sc->buf + sc->pos + 1;
    const char *end = sc->buf + sc->len;

    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        const char *b = NULL;
        size_t backslashes = 0;

        if (q == NULL)
            break;
        for (b = q; b > p && b[-1] == '\\'; b--)
            backslashes++;
        p = q + 1;
        if (backslashes % 2 == 0) {
            sc->pos = (size_t)(p - sc->buf);
            return true;
        }
    }
    sc->pos = sc->len;
    return false;
}

/*
 * Move past one value in what is available, without checking it (jansson
 * checks it next).  false when a closing bracket comes unopened (sc->pos
 * < sc->len) or the available input ends first (sc->pos == sc->len).
 */
static bool skip_value_avail(scanner *sc)
{
    size_t depth = 0;

    do {
        char c = 0;

        if (sc->pos >= sc->len)
            return false;
        c = sc->buf[sc->pos];
        if (c == '"') {
            if (!skip_string(sc))
                return false;
        } else if (c == '{' || c == '[') {
            depth++;
            sc->pos++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return false;
            depth--;
            sc->pos++;
        } else if (depth > 0) {
            sc->pos++;
        } else {
            size_t start = sc->pos;

            while (sc->pos < sc->len && strchr(",]} \t\r\n",
                                                sc->buf[sc->pos]) == NULL)
                sc->pos++;
            return sc->pos > start;
        }
    } while (depth > 0);
    return true;
}

/* The same, reading more of the file until the value is complete. */
static bool skip_value(scanner *sc)
{
    size_t start = sc->pos;

    for (;;) {
        bool ok = skip_value_avail(sc);

        /* complete: ended inside the input, or nothing more will come
         * (a bare number running into the end may continue in the file) */
        if (sc->pos < sc->len || sc->eof)
            return ok;
        if (!refill(sc))
            return ok && sc->eof;
        sc->pos = start;
    }
}

/* Parse buf[start..sc->pos) on its own; NULL if jansson rejects it. */
static json_t *parse_span(const scanner *sc, size_t start, size_t flags)
{
    json_error_t jerr;

    return json_loadb(sc->buf + start, sc->pos - start,
                      flags | JSON_REJECT_DUPLICATES, &jerr);
}

/*
 * One element of a streamed array, buf[start..sc->pos): copied from the
 * older snapshot when its text is unchanged, parsed and loaded otherwise;
 * its digest is noted for the next load.
 */
static int stream_element(load_ctx *ctx, scanner *sc, size_t start,
                          const char *label, size_t i)
{
    char pos[RECORD_MAX];
    boots_span_digest digest;
    size_t before = boots_hwdb_builder_count(ctx->b);
    json_t *elem = NULL;
    int rc = 0;

    if (ctx->note) {
        boots_span_digest_of(sc->buf + start, sc->pos - start, &digest);
        rc = boots_hwdb_builder_reuse(ctx->b, ctx->reuse, &digest);
        if (rc > 0)
            return BOOTS_OK;            /* unchanged since the last load */
        if (rc < 0)
            goto nomem;
    }
    elem = parse_span(sc, start, JSON_DECODE_ANY);
    if (elem == NULL)
        return syntax_error_from(ctx, sc, start, "',' or ']' expected");
    bprintf(pos, sizeof(pos), "%s[%zu]", label, i);
    rc = load_record(ctx, elem, pos);
    json_decref(elem);
    if (rc != 0 || !ctx->note || ctx->named_by_pos)
        return rc;
    rc = boots_hwdb_builder_note(ctx->b, &digest,
                                 boots_hwdb_builder_count(ctx->b) - before,
                                 ctx->prefix);
    if (rc == 0)
        return BOOTS_OK;
nomem:
    return boots_error_set(ctx->err, rc, NULL, NULL, "%s: out of memory",
                           ctx->source);
}

/* Stream the elements of the array at sc->pos, labelled "<label>[i]". */
static int stream_array(load_ctx *ctx, scanner *sc, const char *label)
{
    size_t i = 0;
    int rc = 0;

    sc->pos++;                          /* '[' */
    if (skip_ws(sc) && sc->buf[sc->pos] == ']') {
        sc->pos++;
        return BOOTS_OK;
    }
    for (i = 0;; i++) {
        size_t start = sc->pos;

        if (!skip_value(sc))
            return syntax_error_from(ctx, sc, start, "',' or ']' expected");
        rc = stream_element(ctx, sc, start, label, i);
        if (rc != 0)
            return rc;
        drop_consumed(sc);
        if (skip_ws(sc) && sc->buf[sc->pos] == ']') {
            sc->pos++;
            return BOOTS_OK;
        }
        if (sc->pos >= sc->len || sc->buf[sc->pos] != ',')
            return syntax_error_from(ctx, sc, SIZE_MAX,
                                     "',' or ']' expected");
        sc->pos++;
        skip_ws(sc);
    }
}

/*
 * Stream a top-level object: a list's "items" element by element, the
 * other members parsed one by one.  An object without an "items" array
 * (a single Hardware object, or items null / not an array) is left to the
 * one-piece parser: STREAM_ONE_PIECE.
 */
static int stream_members(load_ctx *ctx, scanner *sc, json_t *seen)
{
    bool seen_items = false;
    bool list_kind = false;
    int rc = 0;

    sc->pos++;                          /* '{' */
    if (skip_ws(sc) && sc->buf[sc->pos] == '}')
        return STREAM_ONE_PIECE;
    for (;;) {
        size_t start = sc->pos;
        json_t *key = NULL;
        json_t *value = NULL;
        bool is_items = false;

        /* (json_is_string evaluates its argument twice: parse first) */
        if (sc->pos < sc->len && sc->buf[sc->pos] == '"' && skip_value(sc))
            key = parse_span(sc, start, JSON_DECODE_ANY);
        if (!json_is_string(key)) {
            json_decref(key);
            sc->pos = start;
            return syntax_error_from(ctx, sc, SIZE_MAX,
                                     "string or '}' expected");
        }
        is_items = strcmp(json_string_value(key), "items") == 0 &&
                   json_string_length(key) == 5;
        if (!skip_ws(sc) || sc->buf[sc->pos] != ':') {
            json_decref(key);
            return syntax_error_from(ctx, sc, SIZE_MAX, "':' expected");
        }
        sc->pos++;
        skip_ws(sc);
        /* Every member name once, as jansson's JSON_REJECT_DUPLICATES
         * wants it of every nested object. */
        if (json_object_getn(seen, json_string_value(key),
                             json_string_length(key)) != NULL) {
            char text[96];

            bprintf(text, sizeof(text), "duplicate object key near "
                    "'\"%.64s\"'", json_string_value(key));
            json_decref(key);
            return syntax_error(ctx, sc, start, text);
        }
        if (json_object_setn_new(seen, json_string_value(key),
                                 json_string_length(key), json_null()) != 0) {
            json_decref(key);
            return boots_error_set(ctx->err, BOOTS_ENOMEM, NULL, NULL,
                                   "%s: out of memory", ctx->source);
        }
        if (is_items && (sc->pos >= sc->len || sc->buf[sc->pos] != '[')) {
            json_decref(key);
            return STREAM_ONE_PIECE;    /* null or not an array */
        }
        if (is_items) {
            json_decref(key);
            seen_items = true;
            if (ctx->hooks != NULL)
                ctx->hooks->items_streamed = true;
            rc = stream_array(ctx, sc, "items");
            if (rc != 0)
                return rc;
        } else {
            start = sc->pos;
            if (!skip_value(sc) ||
                (value = parse_span(sc, start, JSON_DECODE_ANY)) == NULL) {
                json_decref(key);
                return syntax_error_from(ctx, sc, start,
                                         "',' or '}' expected");
            }
            if (strcmp(json_string_value(key), "kind") == 0)
                list_kind = is_list_kind(value);
            if (ctx->hooks != NULL && ctx->hooks->member != NULL)
                ctx->hooks->member(ctx->hooks->ctx,
                                   json_string_value(key), value);
            json_decref(value);
            json_decref(key);
        }
        if (skip_ws(sc) && sc->buf[sc->pos] == '}') {
            sc->pos++;
            break;
        }
        if (sc->pos >= sc->len || sc->buf[sc->pos] != ',')
            return syntax_error_from(ctx, sc, SIZE_MAX,
                                     "',' or '}' expected");
        sc->pos++;
        skip_ws(sc);
    }
    if (!seen_items && !list_kind)
        return STREAM_ONE_PIECE;        /* a single Hardware object */
    return BOOTS_OK;
}

/* stream_members with the set of member names met so far. */
static int stream_object(load_ctx *ctx, scanner *sc)
{
    json_t *seen = json_object();       /* member names met so far */
    int rc = 0;

    if (seen == NULL)
        return boots_error_set(ctx->err, BOOTS_ENOMEM, NULL, NULL,
                               "%s: out of memory", ctx->source);
    rc = stream_members(ctx, sc, seen);
    json_decref(seen);
    return rc;
}

static int stream_root(load_ctx *ctx, scanner *sc)
{
    int rc = 0;

    if (!skip_ws(sc))
        return STREAM_ONE_PIECE;   /* empty: jansson says so */
    if (sc->buf[sc->pos] == '[')
        rc = stream_array(ctx, sc, "");
    else if (sc->buf[sc->pos] == '{')
        rc = stream_object(ctx, sc);
    else
        return STREAM_ONE_PIECE;   /* not an array or object: jansson says */
    if (rc != 0)
        return rc;
    if (skip_ws(sc))
        return syntax_error_from(ctx, sc, SIZE_MAX, "end of file expected");
    return BOOTS_OK;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

/* Load from a scanner set up over a buffer or a file. */
static int load_scanner(scanner *sc, const char *source,
                        boots_hw_load_hooks *hooks, const boots_hwdb *prev,
                        boots_hwdb **out, boots_error *err)
{
    load_ctx ctx;
    json_t *root = NULL;
    json_error_t jerr;
    int rc = 0;

    memset(&ctx, 0, sizeof(ctx));
    ctx.source = source;
    ctx.err = err;
    ctx.hooks = hooks;
    if (hooks != NULL)
        hooks->items_streamed = false;
    /* A caller told about each record's object needs it parsed. */
    ctx.note = hooks == NULL || hooks->record == NULL;
    if (ctx.note && prev != NULL)
        ctx.reuse = boots_hwdb_reuse_new(prev);
    ctx.b = boots_hwdb_builder_new();
    if (ctx.b == NULL) {
        rc = boots_error_set(err, BOOTS_ENOMEM, NULL, NULL,
                             "%s: out of memory", ctx.source);
        goto cleanup;
    }
    rc = stream_root(&ctx, sc);
    if (rc == STREAM_ONE_PIECE) {
        /* Start again with the whole document as one tree (nothing was
         * converted or handed back yet). */
        while (refill(sc))
            ;
        if (sc->read_errno != 0) {
            rc = syntax_error(&ctx, sc, sc->len, "read error");
            goto cleanup;
        }
        if (hooks != NULL)
            hooks->items_streamed = false;
        boots_hwdb_builder_free(ctx.b);
        ctx.b = boots_hwdb_builder_new();
        if (ctx.b == NULL) {
            rc = boots_error_set(err, BOOTS_ENOMEM, NULL, NULL,
                                 "%s: out of memory", ctx.source);
            goto cleanup;
        }
        root = json_loadb(sc->buf, sc->len, JSON_REJECT_DUPLICATES, &jerr);
        if (root == NULL) {
            rc = parse_error(&ctx, &jerr);
            goto cleanup;
        }
        rc = load_root(&ctx, root);
    }
    if (rc != 0)
        goto cleanup;
    rc = boots_hwdb_builder_finish(ctx.b, ctx.source, out, err);
    ctx.b = NULL;
cleanup:
    json_decref(root);
    boots_hwdb_builder_free(ctx.b);
    boots_hwdb_reuse_free(ctx.reuse);
    /* give the parser's freed memory back to the system (glibc keeps it) */
    malloc_trim(0);
    return rc;
}

static int load_buffer(const char *buf, size_t len, const char *source_name,
                       boots_hw_load_hooks *hooks, const boots_hwdb *prev,
                       boots_hwdb **out, boots_error *err);

int boots_hwdb_load_buffer(const char *buf, size_t len,
                           const char *source_name, boots_hwdb **out,
                           boots_error *err)
{
    return boots_hwdb_load_buffer_hooks(buf, len, source_name, NULL, out,
                                        err);
}

int boots_hwdb_load_buffer_hooks(const char *buf, size_t len,
                                 const char *source_name,
                                 boots_hw_load_hooks *hooks,
                                 boots_hwdb **out, boots_error *err)
{
    return load_buffer(buf, len, source_name, hooks, NULL, out, err);
}

int boots_hwdb_load_buffer_reuse(const char *buf, size_t len,
                                 const char *source_name,
                                 const boots_hwdb *prev, boots_hwdb **out,
                                 boots_error *err)
{
    return load_buffer(buf, len, source_name, NULL, prev, out, err);
}

static int load_buffer(const char *buf, size_t len, const char *source_name,
                       boots_hw_load_hooks *hooks, const boots_hwdb *prev,
                       boots_hwdb **out, boots_error *err)
{
    const char *source = source_name != NULL ? source_name : "<buffer>";
    scanner sc;
    int rc = 0;

    boots_error_clear(err);
    if (out == NULL)
        return boots_error_set(err, BOOTS_EINVAL, NULL, NULL,
                               "%s: no output pointer", source);
    *out = NULL;
    if (buf == NULL && len > 0)
        return boots_error_set(err, BOOTS_EINVAL, NULL, NULL,
                               "%s: no input buffer", source);
    memset(&sc, 0, sizeof(sc));
    sc.buf = (char *)(uintptr_t)(buf != NULL ? buf : "");  /* only read */
    sc.len = sc.size = buf != NULL ? len : 0;
    sc.fd = -1;
    sc.eof = true;
    rc = load_scanner(&sc, source, hooks, prev, out, err);
    if (rc == 0)
        boots_error_clear(err);
    return rc;
}

int boots_hwdb_load_file(const char *path, boots_hwdb **out, boots_error *err)
{
    struct stat st;
    scanner sc;
    void *map = MAP_FAILED;
    size_t size = 0;
    char ebuf[128];
    int fd = -1;
    int rc = 0;

    boots_error_clear(err);
    if (out != NULL)
        *out = NULL;
    if (path == NULL || out == NULL)
        return boots_error_set(err, BOOTS_EINVAL, NULL, NULL,
                               "no hardware file given");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = boots_error_set(err, BOOTS_EIO, NULL, NULL, "%s: cannot open: %s",
                             path, strerror_r(errno, ebuf, sizeof(ebuf)));
        goto cleanup;
    }
    if (fstat(fd, &st) != 0) {
        rc = boots_error_set(err, BOOTS_EIO, NULL, NULL, "%s: cannot stat: %s",
                             path, strerror_r(errno, ebuf, sizeof(ebuf)));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = boots_error_set(err, BOOTS_EIO, NULL, NULL,
                             "%s: not a regular file", path);
        goto cleanup;
    }
    size = (size_t)st.st_size;
    if (size == 0) {
        rc = boots_hwdb_load_buffer("", 0, path, out, err);
        goto cleanup;
    }
    /* Address space for the whole file; pages become resident only as
     * they are read, and are handed back once converted. */
    map = mmap(NULL, size, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        rc = boots_error_set(err, BOOTS_ENOMEM, NULL, NULL,
                             "%s: cannot map %zu bytes: %s", path, size,
                             strerror_r(errno, ebuf, sizeof(ebuf)));
        goto cleanup;
    }
    memset(&sc, 0, sizeof(sc));
    sc.buf = map;
    sc.size = size;
    sc.fd = fd;
    sc.drop_pages = true;
    rc = load_scanner(&sc, path, NULL, NULL, out, err);
    if (rc == 0)
        boots_error_clear(err);
cleanup:
    if (map != MAP_FAILED)
        munmap(map, size);
    if (fd >= 0)
        close(fd);
    return rc;
}

int boots_hw_parse_object(const json_t *obj, const char *source,
                          const char *pos, boots_hwdb_builder *b,
                          const char **prefix, boots_error *err)
{
    load_ctx ctx;
    int rc = 0;

    memset(&ctx, 0, sizeof(ctx));
    ctx.source = source != NULL ? source : "<object>";
    ctx.err = err;
    ctx.b = b;
    if (prefix != NULL)
        *prefix = NULL;
    if (b == NULL)
        return boots_error_set(err, BOOTS_EINVAL, NULL, NULL,
                               "%s: no snapshot builder", ctx.source);
    rc = load_record(&ctx, obj, pos != NULL ? pos : "(object)");
    if (rc == 0 && prefix != NULL)
        *prefix = ctx.prefix;
    return rc;
}
