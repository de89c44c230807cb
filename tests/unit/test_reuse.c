/*
 * test_reuse.c - record reuse in the loader (boots_hwdb_load_buffer_reuse,
 * shared/hwdb.c "Reusing records"): a load that copies unchanged records
 * from an older snapshot gives exactly the snapshot a fresh load gives
 * (every field of every entry, in the same order, and the same lookups),
 * copies exactly the records whose text is byte-identical and named by
 * their content, rejects the same inputs with the same errors, and keeps
 * no pointer into the older snapshot.  Also the record digest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

/* ------------------------------------------------------------------ */
/* Building documents                                                  */
/* ------------------------------------------------------------------ */

/* A growing string. */
typedef struct sbuf {
    char *s;
    size_t len;
    size_t cap;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) BOOTS_PRINTF(2, 3);

static void sb_add(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n = 0;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(b->s != NULL ? b->s + b->len : NULL,
                      b->s != NULL ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        assert_true(n >= 0);
        if (b->s != NULL && b->len + (size_t)n < b->cap)
            break;
        b->cap = (b->cap + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    b->len += (size_t)n;
}

/* How record i of a generated list looks. */
typedef struct rec_opts {
    const char *tag;        /* hostname prefix */
    unsigned ip_shift;      /* added to the second octet of every IP */
    bool unnamed;           /* no metadata.name / no tink "id" */
} rec_opts;

static const rec_opts PLAIN = { "h", 0, false };

/* Record i's text (new, compact JSON).  Its shape varies with i: 1-3
 * interfaces, Kubernetes or tink-server, netboot, osie, facility, VLAN,
 * lease time, name and time servers, disableDhcp, no interfaces. */
static char *record_text(size_t i, const rec_opts *o)
{
    sbuf b = { NULL, 0, 0 };
    bool tink = i % 17 == 8;
    size_t nif = 1 + (i % 7 == 0) + (i % 11 == 0);
    size_t j = 0;

    if (tink) {
        sb_add(&b, "{");
        if (!o->unnamed)
            sb_add(&b, "\"id\":\"tink-%zu\",", i);
        sb_add(&b, "\"metadata\":{\"facility\":{\"facility_code\":"
               "\"ewr%zu\"}},\"network\":{\"interfaces\":[", i % 3);
    } else {
        sb_add(&b, "{\"apiVersion\":\"tinkerbell.org/v1alpha1\","
               "\"kind\":\"Hardware\",\"metadata\":{");
        if (!o->unnamed)
            sb_add(&b, "\"name\":\"hw-%zu\",", i);
        sb_add(&b, "\"namespace\":\"ns%zu\"},\"spec\":{", i % 2);
        if (i % 3 == 0)
            sb_add(&b, "\"metadata\":{\"facility\":{\"%s\":\"fac%zu\"}},",
                   i % 2 ? "facilityCode" : "facility_code", i % 4);
        if (i == 124) {             /* a record without interfaces */
            sb_add(&b, "\"disks\":[{\"device\":\"/dev/sda\"}]}}");
            return b.s;
        }
        sb_add(&b, "\"interfaces\":[");
    }
    if (i == 123)                   /* an empty interface list */
        nif = 0;
    for (j = 0; j < nif; j++) {
        unsigned oct = (unsigned)j + 1 + o->ip_shift;

        sb_add(&b, "%s{", j ? "," : "");
        if (i % 13 == 0)
            sb_add(&b, "\"%s\":true,", tink ? "disable_dhcp" : "disableDhcp");
        sb_add(&b, "\"dhcp\":{\"mac\":\"02:00:%02x:%02x:%02x:%02x\","
               "\"hostname\":\"%s-%zu-%zu\"", (unsigned)j,
               (unsigned)(i >> 16) & 0xff, (unsigned)(i >> 8) & 0xff,
               (unsigned)i & 0xff, o->tag, i, j);
        if (i % 6 == 0)
            sb_add(&b, ",\"arch\":\"aarch64\",\"uefi\":true");
        if (j < 2)                  /* a third interface has no IP */
            sb_add(&b, ",\"ip\":{\"address\":\"10.%u.%u.%u\",\"netmask\":"
                   "\"255.255.0.0\",\"gateway\":\"10.%u.0.1\"}", oct,
                   (unsigned)(i >> 8) & 0xff, (unsigned)i & 0xff, oct);
        if (i % 4 == 1)
            sb_add(&b, ",\"%s\":%zu,\"%s\":[\"8.8.8.8\",\"1.1.1.%zu\"]",
                   i % 8 == 1 ? "lease_time" : "leaseTime", 3600 + i,
                   i % 8 == 1 ? "name_servers" : "nameServers", i % 200);
        if (i % 8 == 1)
            sb_add(&b, ",\"time_servers\":[\"10.0.0.%zu\"],\"vlan_id\":%zu",
                   1 + i % 100, 1 + i % 4000);
        if (i % 8 == 5)
            sb_add(&b, ",\"vlanId\":\"%zu\"", 2 + i % 4000);
        sb_add(&b, "}");
        if (i % 5 == 0) {
            sb_add(&b, ",\"netboot\":{\"%s\":true,\"%s\":%s,\"ipxe\":{"
                   "\"url\":\"http://10.99.0.1/ipxe/%zu.ipxe\"",
                   tink ? "allow_pxe" : "allowPXE",
                   tink ? "allow_workflow" : "allowWorkflow",
                   i % 10 ? "true" : "false", i);
            if (i % 19 == 0)
                sb_add(&b, ",\"contents\":\"#!ipxe\\necho %zu\\nexit\"", i);
            sb_add(&b, "},\"osie\":{\"%s\":\"http://10.99.0.1/osie\","
                   "\"kernel\":\"vmlinuz-%zu\",\"initrd\":\"initramfs\"}}",
                   i % 2 ? "base_url" : "baseURL", i % 3);
        } else if (i % 5 == 1) {
            sb_add(&b, ",\"netboot\":{\"%s\":true}",
                   tink ? "allow_pxe" : "allowPXE");
        }
        sb_add(&b, "}");
    }
    sb_add(&b, "]}}");
    return b.s;
}

/* The same text with a space after every ':' and ',' outside strings and
 * a newline before the end (new).  (Generated strings have no escaped
 * quotes.) */
static char *spaced(const char *text)
{
    sbuf b = { NULL, 0, 0 };
    bool in_str = false;
    const char *p = NULL;

    sb_add(&b, "%s", "");
    for (p = text; *p != '\0'; p++) {
        if (*p == '"' && (p == text || p[-1] != '\\'))
            in_str = !in_str;
        if (*p == '}' && p[1] == '\0')
            sb_add(&b, "\n");
        sb_add(&b, "%c", *p);
        if (!in_str && (*p == ':' || *p == ','))
            sb_add(&b, " ");
    }
    return b.s;
}

/* A list of record texts (each owned), and whether each is named. */
typedef struct doc {
    char **recs;
    bool *named;
    size_t n;
    size_t cap;
} doc;

static void doc_insert(doc *d, size_t at, char *text, bool named)
{
    assert_true(at <= d->n);
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->recs = realloc(d->recs, d->cap * sizeof(*d->recs));
        d->named = realloc(d->named, d->cap * sizeof(*d->named));
        assert_non_null(d->recs);
        assert_non_null(d->named);
    }
    memmove(d->recs + at + 1, d->recs + at, (d->n - at) * sizeof(*d->recs));
    memmove(d->named + at + 1, d->named + at,
            (d->n - at) * sizeof(*d->named));
    d->recs[at] = text;
    d->named[at] = named;
    d->n++;
}

static void doc_add(doc *d, char *text, bool named)
{
    doc_insert(d, d->n, text, named);
}

static void doc_remove(doc *d, size_t at)
{
    assert_true(at < d->n);
    free(d->recs[at]);
    memmove(d->recs + at, d->recs + at + 1,
            (d->n - at - 1) * sizeof(*d->recs));
    memmove(d->named + at, d->named + at + 1,
            (d->n - at - 1) * sizeof(*d->named));
    d->n--;
}

static void doc_set(doc *d, size_t at, char *text)
{
    assert_true(at < d->n);
    free(d->recs[at]);
    d->recs[at] = text;
}

static void doc_copy(doc *to, const doc *from)
{
    size_t i = 0;

    for (i = 0; i < from->n; i++) {
        char *t = strdup(from->recs[i]);

        assert_non_null(t);
        doc_add(to, t, from->named[i]);
    }
}

static void doc_free(doc *d)
{
    size_t i = 0;

    for (i = 0; i < d->n; i++)
        free(d->recs[i]);
    free(d->recs);
    free(d->named);
    memset(d, 0, sizeof(*d));
}

/* Where record i (generated by record_text) sits in d, by its MAC
 * "02:00:00:<i>" or its hostname; SIZE_MAX when absent. */
static size_t doc_find(const doc *d, size_t i)
{
    char mac[40];
    size_t k = 0;

    snprintf(mac, sizeof(mac), "\"02:00:00:%02x:%02x:%02x\"",
             (unsigned)(i >> 16) & 0xff, (unsigned)(i >> 8) & 0xff,
             (unsigned)i & 0xff);
    for (k = 0; k < d->n; k++)
        if (strstr(d->recs[k], mac) != NULL)
            return k;
    return SIZE_MAX;
}

/* The standard list: records 0..n-1; 250 and 251 have no name. */
static void make_list(doc *d, size_t n)
{
    size_t i = 0;

    for (i = 0; i < n; i++) {
        rec_opts o = PLAIN;

        o.unnamed = i == 250 || i == 251;
        doc_add(d, record_text(i, &o), !o.unnamed);
    }
}

/* The document text (new): a List when list, else a top-level array;
 * sep goes between records. */
static char *render(const doc *d, bool list, const char *sep, size_t *len)
{
    sbuf b = { NULL, 0, 0 };
    size_t i = 0;

    if (list)
        sb_add(&b, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":"
               "{\"resourceVersion\":\"%zu\"},\"items\":[", d->n);
    else
        sb_add(&b, "[");
    for (i = 0; i < d->n; i++)
        sb_add(&b, "%s%s", i ? sep : "", d->recs[i]);
    sb_add(&b, list ? "]}\n" : "]\n");
    *len = b.len;
    return b.s;
}

/* Records of next a load reusing prev must copy: texts identical to a
 * named record of prev (next's own name status follows from its text). */
static size_t expected_reused(const doc *prev, const doc *next)
{
    size_t count = 0;
    size_t i = 0;
    size_t j = 0;

    for (i = 0; i < next->n; i++) {
        for (j = 0; j < prev->n; j++) {
            if (prev->named[j] && strcmp(prev->recs[j], next->recs[i]) == 0) {
                count++;
                break;
            }
        }
    }
    return count;
}

/* ------------------------------------------------------------------ */
/* Loading and comparing                                               */
/* ------------------------------------------------------------------ */

static boots_hwdb *load_fresh(const char *buf, size_t len)
{
    boots_hwdb *db = NULL;
    boots_error err;

    if (boots_hwdb_load_buffer(buf, len, "hw.json", &db, &err) != 0)
        fail_msg("fresh load: %s", err.message);
    assert_non_null(db);
    assert_int_equal(boots_hwdb_reused(db), 0);
    return db;
}

static boots_hwdb *load_reuse(const char *buf, size_t len,
                              const boots_hwdb *prev)
{
    boots_hwdb *db = NULL;
    boots_error err;

    if (boots_hwdb_load_buffer_reuse(buf, len, "hw.json", prev, &db,
                                     &err) != 0)
        fail_msg("reusing load: %s", err.message);
    assert_non_null(db);
    assert_int_equal(err.code, 0);
    return db;
}

static void doc_load(const doc *d, bool list, const char *sep,
                     const boots_hwdb *prev, boots_hwdb **fresh,
                     boots_hwdb **reused)
{
    size_t len = 0;
    char *buf = render(d, list, sep, &len);

    if (fresh != NULL)
        *fresh = load_fresh(buf, len);
    if (reused != NULL)
        *reused = load_reuse(buf, len, prev);
    free(buf);
}

static bool str_same(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

#define SAME_STR(f)                                                        \
    do {                                                                   \
        if (!str_same(x->f, y->f))                                         \
            fail_msg("entry %zu (%s): " #f ": \"%s\" != \"%s\"", i,        \
                     x->id != NULL ? x->id : "?",                          \
                     x->f != NULL ? x->f : "(null)",                       \
                     y->f != NULL ? y->f : "(null)");                      \
    } while (0)

#define SAME_NUM(f)                                                        \
    do {                                                                   \
        if (x->f != y->f)                                                  \
            fail_msg("entry %zu (%s): " #f ": %lld != %lld", i,            \
                     x->id != NULL ? x->id : "?", (long long)x->f,         \
                     (long long)y->f);                                     \
    } while (0)

/* Entry by entry, field by field, and the lookups. */
static void assert_same_db(const boots_hwdb *a, const boots_hwdb *b)
{
    size_t i = 0;
    size_t k = 0;

    assert_int_equal(boots_hwdb_count(a), boots_hwdb_count(b));
    assert_int_equal(boots_hwdb_records(a), boots_hwdb_records(b));
    for (i = 0; i < boots_hwdb_count(a); i++) {
        const boots_hw *x = boots_hwdb_at(a, i);
        const boots_hw *y = boots_hwdb_at(b, i);

        assert_non_null(x);
        assert_non_null(y);
        assert_non_null(x->id);
        assert_non_null(x->arch);
        SAME_STR(id);
        SAME_STR(hostname);
        SAME_STR(arch);
        SAME_STR(facility);
        SAME_STR(ipxe_url);
        SAME_STR(ipxe_contents);
        SAME_STR(osie_base_url);
        SAME_STR(osie_kernel);
        SAME_STR(osie_initrd);
        SAME_NUM(ip);
        SAME_NUM(netmask);
        SAME_NUM(gateway);
        SAME_NUM(lease_time);
        SAME_NUM(n_name_servers);
        SAME_NUM(n_time_servers);
        for (k = 0; k < BOOTS_MAX_DNS; k++)
            SAME_NUM(name_servers[k]);
        for (k = 0; k < BOOTS_MAX_NTP; k++)
            SAME_NUM(time_servers[k]);
        for (k = 0; k < 6; k++)
            SAME_NUM(mac[k]);
        SAME_STR(mac_str);
        SAME_NUM(vlan_id);
        SAME_NUM(iface_index);
        SAME_NUM(uefi);
        SAME_NUM(disable_dhcp);
        SAME_NUM(allow_pxe);
        SAME_NUM(allow_workflow);
        /* the same entry is found by its keys */
        assert_int_equal(boots_hwdb_index(b, boots_hwdb_by_mac(b, y->mac)),
                         i);
        assert_int_equal(boots_hwdb_index(a, boots_hwdb_by_mac(a, x->mac)),
                         i);
        if (y->ip != 0)
            assert_int_equal(boots_hwdb_index(b, boots_hwdb_by_ip(b, y->ip)),
                             i);
    }
}

/* Load d as a fresh document and reusing prev, check that both give the
 * same snapshot and that want records were copied; returns the reusing
 * load's snapshot. */
static boots_hwdb *load_same(const doc *d, bool list, const char *sep,
                             const boots_hwdb *prev, size_t want)
{
    boots_hwdb *fresh = NULL;
    boots_hwdb *reused = NULL;

    doc_load(d, list, sep, prev, &fresh, &reused);
    assert_same_db(fresh, reused);
    assert_int_equal(boots_hwdb_reused(reused), want);
    boots_hwdb_unref(fresh);
    return reused;
}

/* Every string of every entry, read to its end (ASan sees a freed one). */
static size_t read_all_strings(const boots_hwdb *db)
{
    size_t total = 0;
    size_t i = 0;

    for (i = 0; i < boots_hwdb_count(db); i++) {
        const boots_hw *h = boots_hwdb_at(db, i);
        const char *s[] = {
            h->id, h->hostname, h->arch, h->facility, h->ipxe_url,
            h->ipxe_contents, h->osie_base_url, h->osie_kernel,
            h->osie_initrd,
        };
        size_t k = 0;

        for (k = 0; k < sizeof(s) / sizeof(s[0]); k++)
            if (s[k] != NULL)
                total += strlen(s[k]);
    }
    return total;
}

/* The entry of interface j of generated record i, by its MAC. */
static const boots_hw *entry_of(const boots_hwdb *db, size_t i, size_t j)
{
    uint8_t mac[6] = { 0x02, 0x00, (uint8_t)j, (uint8_t)(i >> 16),
                       (uint8_t)(i >> 8), (uint8_t)i };

    return boots_hwdb_by_mac(db, mac);
}

/*
 * A' of the standard list: hostnames of 10, 20 and 30 and the IPs of 40
 * changed, 50 removed, 1000 added after 260 and 1001 at the end, 60 and
 * 200 swapped, 77 (three interfaces) reformatted.  Whatever of this is in
 * a (a copy of the standard list, possibly edited) is applied to it.
 */
static void make_next(doc *a)
{
    rec_opts o = PLAIN;
    size_t k = 0;
    size_t k2 = 0;
    char *t = NULL;
    bool nm = false;

    o.tag = "renamed";
    doc_set(a, doc_find(a, 10), record_text(10, &o));
    doc_set(a, doc_find(a, 20), record_text(20, &o));
    doc_set(a, doc_find(a, 30), record_text(30, &o));
    o = PLAIN;
    o.ip_shift = 100;
    doc_set(a, doc_find(a, 40), record_text(40, &o));
    doc_remove(a, doc_find(a, 50));
    doc_insert(a, doc_find(a, 260) + 1, record_text(1000, &PLAIN), true);
    doc_add(a, record_text(1001, &PLAIN), true);
    k = doc_find(a, 60);
    k2 = doc_find(a, 200);
    t = a->recs[k];
    a->recs[k] = a->recs[k2];
    a->recs[k2] = t;
    nm = a->named[k];
    a->named[k] = a->named[k2];
    a->named[k2] = nm;
    k = doc_find(a, 77);
    doc_set(a, k, spaced(a->recs[k]));
}

/* ------------------------------------------------------------------ */
/* Equivalence                                                         */
/* ------------------------------------------------------------------ */

static void test_equivalence(void **state)
{
    doc a = { 0 };
    doc next = { 0 };
    boots_hwdb *db_a = NULL;
    boots_hwdb *fresh = NULL;
    boots_hwdb *reused = NULL;
    const boots_hw *h = NULL;
    size_t i = 0;

    (void)state;
    make_list(&a, 300);
    doc_load(&a, true, ",", NULL, NULL, &db_a);
    assert_int_equal(boots_hwdb_records(db_a), 300);
    assert_int_equal(boots_hwdb_reused(db_a), 0);

    doc_copy(&next, &a);
    make_next(&next);
    /* the reformatted record has the same entries as before */
    assert_string_not_equal(next.recs[doc_find(&next, 77)],
                            a.recs[doc_find(&a, 77)]);
    assert_int_equal(expected_reused(&a, &next), 300 - 4 - 1 - 1 - 2);

    /* other separators between the records do not matter */
    reused = load_same(&next, true, ",\n    ", db_a, expected_reused(&a, &next));
    assert_int_equal(boots_hwdb_records(reused), 301);

    /* the edits are there (a record reused by mistake would hide them) */
    assert_string_equal(entry_of(reused, 10, 0)->hostname, "renamed-10-0");
    assert_string_equal(entry_of(reused, 30, 0)->hostname, "renamed-30-0");
    assert_int_equal(entry_of(reused, 40, 0)->ip, 0x0a650028u);
    assert_null(entry_of(reused, 50, 0));
    assert_non_null(entry_of(reused, 1000, 0));
    assert_non_null(entry_of(reused, 77, 2));
    /* the unnamed records are named by their new position */
    h = entry_of(reused, 250, 0);
    assert_non_null(h);
    assert_string_equal(h->id, "items[249]");
    boots_hwdb_unref(reused);

    /* the same records as a top-level array: named records are still
     * copied, unnamed ones get "[k]" */
    reused = load_same(&next, false, ",", db_a, expected_reused(&a, &next));
    assert_string_equal(entry_of(reused, 251, 0)->id, "[250]");
    boots_hwdb_unref(reused);

    /* the unchanged document: every named record is copied */
    doc_load(&a, true, ",", db_a, &fresh, &reused);
    assert_same_db(fresh, reused);
    assert_same_db(db_a, reused);
    assert_int_equal(boots_hwdb_reused(reused), 298);
    boots_hwdb_unref(fresh);
    boots_hwdb_unref(reused);

    /* the list reversed: every named record is found by the index */
    for (i = 0; i < a.n / 2; i++) {
        char *t = a.recs[i];
        bool nm = a.named[i];

        a.recs[i] = a.recs[a.n - 1 - i];
        a.named[i] = a.named[a.n - 1 - i];
        a.recs[a.n - 1 - i] = t;
        a.named[a.n - 1 - i] = nm;
    }
    reused = load_same(&a, true, ",", db_a, 298);
    boots_hwdb_unref(reused);

    boots_hwdb_unref(db_a);
    doc_free(&a);
    doc_free(&next);
}

/* Records with equal texts: empty records (no interfaces) with one name,
 * three times in prev and four times in the next document. */
static void test_repeated_texts(void **state)
{
    static const char *empty =
        "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"e\"},\"spec\":{}}";
    doc a = { 0 };
    doc next = { 0 };
    boots_hwdb *db_a = NULL;
    boots_hwdb *fresh = NULL;
    boots_hwdb *reused = NULL;

    (void)state;
    make_list(&a, 40);
    doc_insert(&a, 5, strdup(empty), true);
    doc_insert(&a, 6, strdup(empty), true);
    doc_add(&a, strdup(empty), true);
    doc_load(&a, true, ",", NULL, &fresh, &db_a);
    assert_same_db(fresh, db_a);
    boots_hwdb_unref(fresh);

    doc_copy(&next, &a);
    doc_insert(&next, 0, strdup(empty), true);
    doc_remove(&next, doc_find(&next, 3));
    reused = load_same(&next, true, ",", db_a, expected_reused(&a, &next));
    assert_int_equal(boots_hwdb_reused(reused), 40 - 1 + 4);
    boots_hwdb_unref(reused);

    boots_hwdb_unref(db_a);
    doc_free(&a);
    doc_free(&next);
}

/* ------------------------------------------------------------------ */
/* Chains                                                              */
/* ------------------------------------------------------------------ */

static void test_chains(void **state)
{
    doc docs[6] = { { 0 } };
    boots_hwdb *prev = NULL;
    boots_hwdb *reused = NULL;
    rec_opts o = PLAIN;
    size_t g = 0;

    (void)state;
    make_list(&docs[0], 300);
    doc_load(&docs[0], true, ",", NULL, NULL, &prev);

    /* A' */
    doc_copy(&docs[1], &docs[0]);
    make_next(&docs[1]);
    /* A'': 10's hostname back as in A (not in A': parsed), the first
     * record removed, 1000 changed, 1002 added in front, a record of A'
     * that was copied from A changed, one that was parsed in A' kept */
    doc_copy(&docs[2], &docs[1]);
    doc_set(&docs[2], doc_find(&docs[2], 10), record_text(10, &PLAIN));
    doc_remove(&docs[2], 0);
    o.tag = "third";
    doc_set(&docs[2], doc_find(&docs[2], 1000), record_text(1000, &o));
    doc_set(&docs[2], doc_find(&docs[2], 90), record_text(90, &o));
    doc_insert(&docs[2], 0, record_text(1002, &PLAIN), true);
    /* then a few generations each changing a little */
    for (g = 3; g < 6; g++) {
        doc_copy(&docs[g], &docs[g - 1]);
        o.tag = g % 2 ? "odd" : "even";
        doc_set(&docs[g], doc_find(&docs[g], 100 + g), record_text(100 + g,
                                                                   &o));
        doc_set(&docs[g], doc_find(&docs[g], 20), record_text(20, &o));
        doc_remove(&docs[g], doc_find(&docs[g], 150 + g));
    }
    for (g = 1; g < 6; g++) {
        size_t want = expected_reused(&docs[g - 1], &docs[g]);

        reused = load_same(&docs[g], true, ",", prev, want);
        boots_hwdb_unref(prev);
        prev = reused;
    }
    /* 10, 90, 1000, 1002 and the two unnamed records are not copied */
    assert_int_equal(expected_reused(&docs[1], &docs[2]), 301 - 6);
    assert_string_equal(entry_of(prev, 10, 0)->hostname, "h-10-0");
    assert_string_equal(entry_of(prev, 90, 0)->hostname, "third-90-0");
    assert_string_equal(entry_of(prev, 20, 0)->hostname, "odd-20-0");
    boots_hwdb_unref(prev);
    for (g = 0; g < 6; g++)
        doc_free(&docs[g]);
}

/* ------------------------------------------------------------------ */
/* Records named by their position                                     */
/* ------------------------------------------------------------------ */

static void test_position_named(void **state)
{
    doc a = { 0 };
    doc b = { 0 };
    boots_hwdb *db_a = NULL;
    boots_hwdb *fresh = NULL;
    boots_hwdb *reused = NULL;
    rec_opts o = PLAIN;
    size_t i = 0;
    size_t named = 0;

    (void)state;
    /* Kubernetes records without metadata.name and tink-server records
     * without "id" (i % 17 == 8), plus every fifth record named */
    for (i = 0; i < 60; i++) {
        o.unnamed = i % 5 != 0;
        doc_add(&a, record_text(i, &o), !o.unnamed);
    }
    doc_load(&a, false, ",", NULL, &fresh, &db_a);
    assert_same_db(fresh, db_a);
    assert_string_equal(entry_of(db_a, 3, 0)->id, "[3]");
    assert_string_equal(entry_of(db_a, 8, 0)->id, "[8]");      /* tink */
    assert_string_equal(entry_of(db_a, 5, 0)->id, "ns1/hw-5");
    boots_hwdb_unref(fresh);

    /* reversed */
    for (i = a.n; i-- > 0;) {
        char *t = strdup(a.recs[i]);

        assert_non_null(t);
        doc_add(&b, t, a.named[i]);
        named += a.named[i];
    }
    reused = load_same(&b, false, ",", db_a, named);
    assert_int_equal(named, 12);
    assert_string_equal(entry_of(reused, 3, 0)->id, "[56]");
    assert_string_equal(entry_of(reused, 8, 0)->id, "[51]");
    boots_hwdb_unref(reused);

    /* the same records in a List: "items[k]" */
    reused = load_same(&b, true, ",", db_a, named);
    assert_string_equal(entry_of(reused, 3, 0)->id, "items[56]");
    boots_hwdb_unref(reused);

    /* unchanged order: still nothing unnamed is copied */
    reused = load_same(&a, false, ",", db_a, named);
    boots_hwdb_unref(reused);

    /* a name that is empty is no name */
    {
        const char *d1 =
            "[{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"\"},\"spec\":"
            "{\"interfaces\":[{\"dhcp\":{\"mac\":\"02:00:00:00:00:01\"}}]}},"
            "{\"id\":\"\",\"network\":{\"interfaces\":[{\"dhcp\":{\"mac\":"
            "\"02:00:00:00:00:02\"}}]}}]";
        const char *d2 =
            "[{\"id\":\"\",\"network\":{\"interfaces\":[{\"dhcp\":{\"mac\":"
            "\"02:00:00:00:00:02\"}}]}},"
            "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"\"},\"spec\":"
            "{\"interfaces\":[{\"dhcp\":{\"mac\":\"02:00:00:00:00:01\"}}]}}]";
        boots_hwdb *p = load_reuse(d1, strlen(d1), NULL);

        reused = load_reuse(d2, strlen(d2), p);
        fresh = load_fresh(d2, strlen(d2));
        assert_same_db(fresh, reused);
        assert_int_equal(boots_hwdb_reused(reused), 0);
        assert_string_equal(boots_hwdb_at(reused, 0)->id, "[0]");
        assert_string_equal(boots_hwdb_at(reused, 1)->id, "[1]");
        boots_hwdb_unref(p);
        boots_hwdb_unref(fresh);
        boots_hwdb_unref(reused);
    }

    boots_hwdb_unref(db_a);
    doc_free(&a);
    doc_free(&b);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* Loading buf with and without prev fails alike; prev stays as it was
 * (still equal to keep, a fresh load of its document). */
static void assert_same_failure(const char *buf, size_t len,
                                const boots_hwdb *prev,
                                const boots_hwdb *keep, int code)
{
    boots_error e1;
    boots_error e2;
    boots_hwdb *sentinel = (boots_hwdb *)(uintptr_t)&e1;
    boots_hwdb *out1 = sentinel;
    boots_hwdb *out2 = sentinel;
    int rc1 = boots_hwdb_load_buffer(buf, len, "hw.json", &out1, &e1);
    int rc2 = boots_hwdb_load_buffer_reuse(buf, len, "hw.json", prev, &out2,
                                           &e2);

    if (rc1 != code)
        fail_msg("expected code %d, fresh load gave %d: %s", code, rc1,
                 e1.message);
    assert_int_equal(rc2, rc1);
    assert_null(out1);
    assert_null(out2);
    assert_int_equal(e2.code, e1.code);
    assert_string_equal(e2.message, e1.message);
    assert_string_equal(e2.record, e1.record);
    assert_string_equal(e2.field, e1.field);
    assert_same_db(keep, prev);
}

/* A Kubernetes record (new text) named name: one interface with mac and
 * ip, and a second one with mac2 (ip and mac2 may be NULL: none). */
static char *custom_record(const char *name, const char *mac,
                           const char *mac2, const char *ip)
{
    sbuf b = { NULL, 0, 0 };

    sb_add(&b, "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"%s\"},"
           "\"spec\":{\"interfaces\":[{\"dhcp\":{\"mac\":\"%s\"", name, mac);
    if (ip != NULL)
        sb_add(&b, ",\"ip\":{\"address\":\"%s\",\"netmask\":"
               "\"255.255.255.0\"}", ip);
    sb_add(&b, "}}");
    if (mac2 != NULL)
        sb_add(&b, ",{\"dhcp\":{\"mac\":\"%s\"}}", mac2);
    sb_add(&b, "]}}");
    return b.s;
}

static void expect_failure(const doc *d, bool list, const boots_hwdb *prev,
                           const boots_hwdb *keep, int code,
                           const char *in_message)
{
    size_t len = 0;
    char *buf = render(d, list, ",", &len);
    boots_error err;
    boots_hwdb *db = NULL;

    assert_same_failure(buf, len, prev, keep, code);
    assert_int_equal(boots_hwdb_load_buffer_reuse(buf, len, "hw.json", prev,
                                                  &db, &err), code);
    if (in_message != NULL && strstr(err.message, in_message) == NULL)
        fail_msg("\"%s\" not in \"%s\"", in_message, err.message);
    free(buf);
}

static void test_duplicate_through_reused(void **state)
{
    doc a = { 0 };
    doc d = { 0 };
    boots_hwdb *db_a = NULL;
    boots_hwdb *keep = NULL;
    boots_hwdb *again = NULL;
    size_t reused_a = 0;
    size_t k = 0;

    (void)state;
    make_list(&a, 300);
    doc_load(&a, true, ",", NULL, &keep, &db_a);
    reused_a = boots_hwdb_reused(db_a);

    /* a new record at the end takes the MAC of unchanged record 5 */
    doc_copy(&d, &a);
    doc_add(&d, custom_record("late", "02:00:00:00:00:05", NULL, NULL), true);
    expect_failure(&d, true, db_a, keep, BOOTS_EDUP,
                   "duplicate MAC address \"02:00:00:00:00:05\", already "
                   "used by record ns1/hw-5 (spec.interfaces[0].dhcp.mac)");
    doc_free(&d);

    /* ... at the front: the copied record is the duplicate */
    doc_copy(&d, &a);
    doc_insert(&d, 0, custom_record("early", "02-00-00-00-00-05", NULL, NULL),
               true);
    expect_failure(&d, true, db_a, keep, BOOTS_EDUP,
                   "record ns1/hw-5: field spec.interfaces[0].dhcp.mac");
    doc_free(&d);

    /* ... the copied duplicate being a tink-server record */
    doc_copy(&d, &a);
    doc_insert(&d, 0, custom_record("early", "02:00:00:00:00:08", NULL, NULL),
               true);
    expect_failure(&d, true, db_a, keep, BOOTS_EDUP,
                   "record tink-8: field network.interfaces[0].dhcp.mac: "
                   "duplicate MAC address \"02:00:00:00:00:08\", already "
                   "used by record early (spec.interfaces[0].dhcp.mac)");
    doc_free(&d);

    /* ... with its second interface, the MAC of 77's second one */
    doc_copy(&d, &a);
    doc_insert(&d, 100, custom_record("two", "02:00:09:00:00:01",
                                      "02:00:01:00:00:4d", NULL), true);
    expect_failure(&d, true, db_a, keep, BOOTS_EDUP,
                   "record two: field spec.interfaces[1].dhcp.mac: "
                   "duplicate MAC address \"02:00:01:00:00:4d\", already "
                   "used by record ns1/hw-77 (spec.interfaces[1].dhcp.mac)");
    doc_free(&d);

    /* an unchanged record twice: both copies come from one record */
    doc_copy(&d, &a);
    k = doc_find(&d, 43);
    doc_insert(&d, 200, strdup(d.recs[k]), true);
    expect_failure(&d, true, db_a, keep, BOOTS_EDUP,
                   "record ns1/hw-43: field spec.interfaces[0].dhcp.mac: "
                   "duplicate MAC address");
    doc_free(&d);

    /* a changed record takes the IP of an unchanged one (10.1.0.9) */
    doc_copy(&d, &a);
    doc_set(&d, doc_find(&d, 3), custom_record("hw-3", "02:00:00:00:00:03",
                                               NULL, "10.1.0.9"));
    expect_failure(&d, true, db_a, keep, BOOTS_EDUP,
                   "duplicate IP address \"10.1.0.9\"");
    doc_free(&d);

    /* the same as a top-level array */
    doc_copy(&d, &a);
    doc_add(&d, custom_record("late", "02:00:00:00:00:05", NULL, NULL), true);
    expect_failure(&d, false, db_a, keep, BOOTS_EDUP, "ns1/hw-5");
    doc_free(&d);

    /* prev still works as it did */
    assert_int_equal(boots_hwdb_reused(db_a), reused_a);
    doc_load(&a, true, ",", db_a, NULL, &again);
    assert_same_db(keep, again);
    assert_int_equal(boots_hwdb_reused(again), 298);
    boots_hwdb_unref(again);

    boots_hwdb_unref(keep);
    boots_hwdb_unref(db_a);
    doc_free(&a);
}

static void test_bad_record(void **state)
{
    static const struct {
        const char *text;     /* replaces a record; NULL: see below */
        int code;
        const char *in_message;
    } cases[] = {
        { "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\"},\"spec\":"
          "{\"interfaces\":[{\"dhcp\":{\"mac\":\"zz:00:00:00:00:01\"}}]}}",
          BOOTS_EINVAL, "record bad: field spec.interfaces[0].dhcp.mac" },
        { "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\"},\"spec\":"
          "{\"interfaces\":[{\"dhcp\":{\"mac\":\"02:00:00:00:ff:01\","
          "\"hostname\":\"a b\"}}]}}",
          BOOTS_EUNSAFE, "dhcp.hostname" },
        { "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\"},\"spec\":"
          "{\"interfaces\":[{\"dhcp\":{\"mac\":\"02:00:00:00:ff:01\","
          "\"ip\":{\"address\":\"10.1.2.3\",\"netmask\":\"255.0.255.0\"}}}]}}",
          BOOTS_EINVAL, "netmask" },
        { "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\"} "
          "\"spec\":{}}",
          BOOTS_EPARSE, "invalid JSON" },
        { "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\",\"name\":"
          "\"x\"},\"spec\":{}}",
          BOOTS_EPARSE, "duplicate" },
        { "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"bad\"},\"spec\":"
          "{\"interfaces\":[}}",
          BOOTS_EPARSE, "invalid JSON" },
        { "\"a string\"", BOOTS_EINVAL, "a Hardware object" },
        { "{\"metadata\":{}}", BOOTS_EINVAL, "neither a Hardware object" },
    };
    static const size_t where[] = { 0, 150, 299 };
    doc a = { 0 };
    doc d = { 0 };
    boots_hwdb *db_a = NULL;
    boots_hwdb *keep = NULL;
    size_t c = 0;
    size_t w = 0;

    (void)state;
    make_list(&a, 300);
    doc_load(&a, true, ",", NULL, &keep, &db_a);
    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        for (w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
            doc_copy(&d, &a);
            doc_set(&d, where[w], strdup(cases[c].text));
            expect_failure(&d, true, db_a, keep, cases[c].code,
                           cases[c].in_message);
            expect_failure(&d, false, db_a, keep, cases[c].code,
                           cases[c].in_message);
            doc_free(&d);
        }
    }

    /* the document around unchanged records is broken */
    {
        size_t len = 0;
        char *buf = render(&a, true, ",", &len);
        char *cut = NULL;
        char *p = NULL;

        /* cut off in the last record */
        assert_same_failure(buf, len - 40, db_a, keep, BOOTS_EPARSE);
        /* no list end */
        assert_same_failure(buf, len - 3, db_a, keep, BOOTS_EPARSE);
        /* something after the document */
        cut = malloc(len + 8);
        assert_non_null(cut);
        memcpy(cut, buf, len);
        memcpy(cut + len, "{}", 2);
        assert_same_failure(cut, len + 2, db_a, keep, BOOTS_EPARSE);
        free(cut);
        /* a missing ',' between two unchanged records */
        p = strstr(buf, "},{\"apiVersion\":\"tinkerbell.org/v1alpha1\","
                   "\"kind\":\"Hardware\",\"metadata\":{\"name\":\"hw-200\"");
        assert_non_null(p);
        p[1] = ' ';
        assert_same_failure(buf, len, db_a, keep, BOOTS_EPARSE);
        free(buf);
    }

    boots_hwdb_unref(keep);
    boots_hwdb_unref(db_a);
    doc_free(&a);
}

/* ------------------------------------------------------------------ */
/* Nothing to reuse                                                    */
/* ------------------------------------------------------------------ */

static void test_no_prev_and_one_piece(void **state)
{
    doc a = { 0 };
    boots_hwdb *fresh = NULL;
    boots_hwdb *reused = NULL;
    boots_hwdb *one = NULL;
    boots_hwdb *list = NULL;
    size_t k = 0;

    (void)state;
    make_list(&a, 100);
    /* no prev */
    reused = load_same(&a, true, ",", NULL, 0);
    list = reused;

    /* prev was one object (Kubernetes, then tink-server): not noted */
    for (k = 7; k <= 8; k++) {
        const char *rec = a.recs[doc_find(&a, k)];

        one = load_reuse(rec, strlen(rec), NULL);
        fresh = load_fresh(rec, strlen(rec));
        assert_same_db(fresh, one);
        assert_int_equal(boots_hwdb_reused(one), 0);
        assert_int_equal(boots_hwdb_records(one), 1);
        boots_hwdb_unref(fresh);
        reused = load_same(&a, true, ",", one, 0);
        boots_hwdb_unref(reused);

        /* and the other way: one object, prev a list holding its text */
        reused = load_reuse(rec, strlen(rec), list);
        assert_same_db(one, reused);
        assert_int_equal(boots_hwdb_reused(reused), 0);
        boots_hwdb_unref(reused);
        boots_hwdb_unref(one);
    }

    /* an empty list and a list without items, with and as prev */
    {
        static const char *empties[] = {
            "{\"kind\":\"List\",\"items\":[]}", "[]",
            "{\"kind\":\"HardwareList\",\"items\":null}",
            "{\"kind\":\"List\"}",
        };
        size_t i = 0;

        for (i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
            one = load_reuse(empties[i], strlen(empties[i]), list);
            assert_int_equal(boots_hwdb_count(one), 0);
            assert_int_equal(boots_hwdb_reused(one), 0);
            reused = load_same(&a, false, ",", one, 0);
            boots_hwdb_unref(reused);
            boots_hwdb_unref(one);
        }
    }

    boots_hwdb_unref(list);
    doc_free(&a);
}

/* ------------------------------------------------------------------ */
/* Lifetime                                                            */
/* ------------------------------------------------------------------ */

static void test_prev_released(void **state)
{
    doc docs[3] = { { 0 } };
    boots_hwdb *prev = NULL;
    boots_hwdb *mid = NULL;
    boots_hwdb *last = NULL;
    boots_hwdb *fresh = NULL;
    boots_hwdb *fresh_mid = NULL;
    size_t len = 0;
    char *buf = NULL;

    (void)state;
    make_list(&docs[0], 300);
    doc_copy(&docs[1], &docs[0]);
    make_next(&docs[1]);
    doc_copy(&docs[2], &docs[1]);
    doc_remove(&docs[2], 7);

    doc_load(&docs[0], true, ",", NULL, NULL, &prev);
    /* the document is freed before the snapshot is read, too */
    buf = render(&docs[1], true, ",", &len);
    mid = load_reuse(buf, len, prev);
    boots_hwdb_unref(prev);         /* the last reference: freed */
    memset(buf, 'x', len);
    free(buf);
    doc_load(&docs[1], true, ",", NULL, &fresh_mid, NULL);
    assert_true(read_all_strings(mid) > 0);
    assert_same_db(fresh_mid, mid);
    assert_true(boots_hwdb_reused(mid) > 250);

    /* a chain: the middle snapshot goes before the last is read */
    doc_load(&docs[2], true, ",", mid, &fresh, &last);
    boots_hwdb_unref(mid);
    assert_int_equal(read_all_strings(last), read_all_strings(fresh));
    assert_same_db(fresh, last);
    assert_int_equal(boots_hwdb_reused(last),
                     expected_reused(&docs[1], &docs[2]));
    assert_int_equal(boots_hwdb_reused(last), docs[2].n - 2);
    boots_hwdb_unref(fresh);
    boots_hwdb_unref(fresh_mid);
    boots_hwdb_unref(last);
    doc_free(&docs[0]);
    doc_free(&docs[1]);
    doc_free(&docs[2]);
}

/* ------------------------------------------------------------------ */
/* Loads without reuse                                                 */
/* ------------------------------------------------------------------ */

typedef struct hook_count {
    size_t records;
    size_t entries;
} hook_count;

static int count_record(void *ctx, const json_t *rec, size_t n,
                        const char *prefix)
{
    hook_count *c = ctx;

    assert_true(json_is_object(rec));
    assert_non_null(prefix);
    c->records++;
    c->entries += n;
    return 0;
}

static void test_plain_and_hooked_loads(void **state)
{
    doc a = { 0 };
    boots_hwdb *plain = NULL;
    boots_hwdb *again = NULL;
    boots_hwdb *hooked = NULL;
    boots_hwdb *reused = NULL;
    boots_hw_load_hooks hooks;
    hook_count c = { 0, 0 };
    boots_error err;
    size_t len = 0;
    char *buf = NULL;

    (void)state;
    make_list(&a, 200);
    buf = render(&a, true, ",", &len);

    /* the plain loader never copies, even the same text twice */
    plain = load_fresh(buf, len);
    again = load_fresh(buf, len);
    assert_int_equal(boots_hwdb_reused(plain), 0);
    assert_int_equal(boots_hwdb_reused(again), 0);
    assert_same_db(plain, again);
    assert_int_equal(boots_hwdb_reused(NULL), 0);

    /* the hooked loader (Kubernetes watch) sees every record */
    memset(&hooks, 0, sizeof(hooks));
    hooks.ctx = &c;
    hooks.record = count_record;
    assert_int_equal(boots_hwdb_load_buffer_hooks(buf, len, "hw.json",
                                                  &hooks, &hooked, &err), 0);
    assert_true(hooks.items_streamed);
    assert_int_equal(c.records, 200);
    assert_int_equal(c.entries, boots_hwdb_count(plain));
    assert_int_equal(boots_hwdb_reused(hooked), 0);
    assert_same_db(plain, hooked);

    /* a plain load's snapshot serves as prev; a hooked one's too */
    reused = load_reuse(buf, len, plain);
    assert_same_db(plain, reused);
    assert_int_equal(boots_hwdb_reused(reused), 200);
    boots_hwdb_unref(reused);
    reused = load_reuse(buf, len, hooked);
    assert_same_db(plain, reused);
    boots_hwdb_unref(reused);

    boots_hwdb_unref(plain);
    boots_hwdb_unref(again);
    boots_hwdb_unref(hooked);
    free(buf);
    doc_free(&a);
}

/* ------------------------------------------------------------------ */
/* The digest                                                          */
/* ------------------------------------------------------------------ */

static bool digest_equal(const boots_span_digest *a,
                         const boots_span_digest *b)
{
    return a->h[0] == b->h[0] && a->h[1] == b->h[1];
}

static void test_digest(void **state)
{
    static const unsigned char flips[] = { 0x01, 0x02, 0x20, 0x80, 0xff };
    char text[128];
    char copy[160];
    boots_span_digest base;
    boots_span_digest d;
    boots_span_digest lens[129];
    size_t len = 0;
    size_t i = 0;
    size_t f = 0;
    size_t j = 0;

    (void)state;
    for (i = 0; i < 101; i++)
        text[i] = (char)('!' + (i * 7) % 90);
    len = 101;
    boots_span_digest_of(text, len, &base);

    /* the same text elsewhere in memory: the same digest */
    memcpy(copy + 3, text, len);
    boots_span_digest_of(copy + 3, len, &d);
    assert_true(digest_equal(&base, &d));

    /* one byte different, at any position */
    for (i = 0; i < len; i++) {
        for (f = 0; f < sizeof(flips); f++) {
            memcpy(copy, text, len);
            copy[i] = (char)(copy[i] ^ flips[f]);
            boots_span_digest_of(copy, len, &d);
            if (digest_equal(&base, &d))
                fail_msg("byte %zu ^ 0x%02x: same digest", i, flips[f]);
        }
        memcpy(copy, text, len);
        copy[i] = '\0';
        boots_span_digest_of(copy, len, &d);
        assert_false(digest_equal(&base, &d));
    }

    /* two adjacent bytes swapped */
    for (i = 0; i + 1 < len; i++) {
        memcpy(copy, text, len);
        copy[i] = text[i + 1];
        copy[i + 1] = text[i];
        if (copy[i] == copy[i + 1])
            continue;
        boots_span_digest_of(copy, len, &d);
        assert_false(digest_equal(&base, &d));
    }

    /* only the length differs, the rest being zero bytes ("ab" vs
     * "ab\0"); also for an all-zero text, and lengths 0..128 */
    memset(copy, 0, sizeof(copy));
    memcpy(copy, "ab", 2);
    boots_span_digest_of(copy, 2, &base);
    boots_span_digest_of(copy, 3, &d);
    assert_false(digest_equal(&base, &d));
    for (len = 0; len <= 128; len++)
        boots_span_digest_of(copy, len, &lens[len]);
    for (i = 0; i <= 128; i++)
        for (j = i + 1; j <= 128; j++)
            if (digest_equal(&lens[i], &lens[j]))
                fail_msg("\"ab\" + zeros: lengths %zu and %zu collide", i,
                         j);
    memset(copy, 0, sizeof(copy));
    for (len = 0; len <= 128; len++)
        boots_span_digest_of(copy, len, &lens[len]);
    for (i = 0; i <= 128; i++)
        for (j = i + 1; j <= 128; j++)
            if (digest_equal(&lens[i], &lens[j]))
                fail_msg("zeros: lengths %zu and %zu collide", i, j);
    /* and text + zeros against text of the next word's length */
    memcpy(copy, text, 101);
    copy[101] = '\0';
    boots_span_digest_of(copy, 101, &base);
    boots_span_digest_of(copy, 102, &d);
    assert_false(digest_equal(&base, &d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equivalence),
        cmocka_unit_test(test_repeated_texts),
        cmocka_unit_test(test_chains),
        cmocka_unit_test(test_position_named),
        cmocka_unit_test(test_duplicate_through_reused),
        cmocka_unit_test(test_bad_record),
        cmocka_unit_test(test_no_prev_and_one_piece),
        cmocka_unit_test(test_prev_released),
        cmocka_unit_test(test_plain_and_hooked_loads),
        cmocka_unit_test(test_digest),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
