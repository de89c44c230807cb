/*
 * hwdb.c - the immutable hardware snapshot, its builder and the holder.
 *
 * Layout of a snapshot:
 *  - entries: one array of boots_hw, one per interface;
 *  - strings: an arena of large blocks (no per-string malloc), with equal
 *    strings stored once (arch, facility and OSIE URLs repeat a lot);
 *  - two open-addressing hash tables (linear probing, power-of-two size,
 *    load factor <= 1/2) holding entry index + 1 (0 = empty slot), keyed
 *    by MAC and by IPv4 address.  Entries without an IP are not in the IP
 *    table.
 *  - for each record of a streamed list, a digest of its JSON text and the
 *    entries it produced, so that the next load of the same source copies
 *    an unchanged record instead of parsing and checking it again (see
 *    "Reusing records").
 * Nothing is written after the builder finishes except the reference
 * count, so any number of threads may read a snapshot without locks, and a
 * forked process (nginx workers) shares it copy-on-write.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Arena blocks start small (a handful of records costs little) and double
 * up to ARENA_BLOCK_MAX. */
#define ARENA_BLOCK_MIN (4u * 1024u)
#define ARENA_BLOCK_MAX (256u * 1024u)

typedef struct arena_block {
    struct arena_block *next;
    size_t size;
    size_t used;
    char data[];
} arena_block;

/* A record's digest and the entries it produced (entries[first..+n)). */
typedef struct source_rec {
    boots_span_digest digest;
    const char *prefix;       /* static: "spec.interfaces", ... */
    uint32_t first;
    uint32_t n;
} source_rec;

struct boots_hwdb {
    atomic_uint_fast32_t refs;
    uint64_t generation;
    boots_hw *entries;
    size_t count;
    size_t records;
    arena_block *blocks;
    size_t next_block;        /* size of the next arena block */
    uint32_t *mac_slots;
    uint32_t *ip_slots;
    size_t mask;              /* both tables have mask + 1 slots */
    size_t memory;
    source_rec *recs;         /* records with a digest, in load order */
    size_t nrecs;
    size_t reused;            /* records copied from an older snapshot */
};

struct boots_hwdb_builder {
    boots_hwdb *db;
    size_t cap;               /* entries allocated */
    const char **prefixes;    /* per entry, for duplicate errors */
    const char **intern;      /* string set, open addressing */
    size_t intern_mask;
    size_t intern_used;
    size_t recs_cap;
    const char *copied_id;    /* boots_hwdb_builder_copy: the last id */
    const char *copied_id_to; /* and its copy here */
};

/* Process-wide, so generations from different holders never repeat. */
static atomic_uint_fast64_t generation_counter;

/* ------------------------------------------------------------------ */
/* Hashing                                                             */
/* ------------------------------------------------------------------ */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

static uint64_t mac_key(const uint8_t mac[6])
{
    uint64_t k = 0;
    int i = 0;

    for (i = 0; i < 6; i++)
        k = k << 8 | mac[i];
    return k;
}

/* Strings are hashed eight bytes at a time. */
static uint64_t str_hash(const char *s, size_t len)
{
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)len;
    uint64_t w = 0;

    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 29;
    }
    if (len > 0) {
        w = 0;
        memcpy(&w, s, len);
        h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
    }
    return mix64(h);
}

/* ------------------------------------------------------------------ */
/* Freeing and reference counting                                      */
/* ------------------------------------------------------------------ */

static void hwdb_free(boots_hwdb *db)
{
    arena_block *blk = NULL;

    if (db == NULL)
        return;
    blk = db->blocks;
    while (blk != NULL) {
        arena_block *next = blk->next;
        free(blk);
        blk = next;
    }
    free(db->entries);
    free(db->recs);
    free(db->mac_slots);
    free(db->ip_slots);
    free(db);
}

boots_hwdb *boots_hwdb_ref(boots_hwdb *db)
{
    if (db != NULL)
        atomic_fetch_add_explicit(&db->refs, 1, memory_order_relaxed);
    return db;
}

void boots_hwdb_unref(boots_hwdb *db)
{
    if (db == NULL)
        return;
    if (atomic_fetch_sub_explicit(&db->refs, 1, memory_order_acq_rel) == 1)
        hwdb_free(db);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

size_t boots_hwdb_count(const boots_hwdb *db)
{
    return db != NULL ? db->count : 0;
}

size_t boots_hwdb_records(const boots_hwdb *db)
{
    return db != NULL ? db->records : 0;
}

const boots_hw *boots_hwdb_at(const boots_hwdb *db, size_t i)
{
    if (db == NULL || i >= db->count)
        return NULL;
    return &db->entries[i];
}

size_t boots_hwdb_index(const boots_hwdb *db, const boots_hw *hw)
{
    uintptr_t base = 0;
    uintptr_t p = (uintptr_t)hw;

    if (db == NULL || hw == NULL || db->count == 0)
        return SIZE_MAX;
    base = (uintptr_t)db->entries;
    if (p < base || p >= base + db->count * sizeof(boots_hw) ||
        (p - base) % sizeof(boots_hw) != 0)
        return SIZE_MAX;
    return (p - base) / sizeof(boots_hw);
}

const boots_hw *boots_hwdb_by_mac(const boots_hwdb *db, const uint8_t mac[6])
{
    size_t i = 0;

    if (db == NULL || mac == NULL || db->mac_slots == NULL)
        return NULL;
    for (i = mix64(mac_key(mac)) & db->mask;; i = (i + 1) & db->mask) {
        uint32_t slot = db->mac_slots[i];
        const boots_hw *hw = NULL;

        if (slot == 0)
            return NULL;
        hw = &db->entries[slot - 1];
        if (memcmp(hw->mac, mac, 6) == 0)
            return hw;
    }
}

const boots_hw *boots_hwdb_by_ip(const boots_hwdb *db, uint32_t ip)
{
    size_t i = 0;

    if (db == NULL || ip == 0 || db->ip_slots == NULL)
        return NULL;
    for (i = mix64(ip) & db->mask;; i = (i + 1) & db->mask) {
        uint32_t slot = db->ip_slots[i];

        if (slot == 0)
            return NULL;
        if (db->entries[slot - 1].ip == ip)
            return &db->entries[slot - 1];
    }
}

size_t boots_hwdb_memory(const boots_hwdb *db)
{
    return db != NULL ? db->memory : 0;
}

uint64_t boots_hwdb_generation(const boots_hwdb *db)
{
    return db != NULL ? db->generation : 0;
}

/* ------------------------------------------------------------------ */
/* Building                                                            */
/* ------------------------------------------------------------------ */

boots_hwdb_builder *boots_hwdb_builder_new(void)
{
    boots_hwdb_builder *b = NULL;

    b = calloc(1, sizeof(*b));
    if (b == NULL)
        goto fail;
    b->db = calloc(1, sizeof(*b->db));
    if (b->db == NULL)
        goto fail;
    b->intern_mask = 255;
    b->intern = calloc(b->intern_mask + 1, sizeof(*b->intern));
    if (b->intern == NULL)
        goto fail;
    return b;
fail:
    boots_hwdb_builder_free(b);
    return NULL;
}

void boots_hwdb_builder_free(boots_hwdb_builder *b)
{
    if (b == NULL)
        return;
    hwdb_free(b->db);
    free(b->prefixes);
    free(b->intern);
    free(b);
}

/* Copy s into the arena (not interned); NULL when out of memory. */
static char *arena_copy(boots_hwdb *db, const char *s, size_t len)
{
    arena_block *blk = db->blocks;
    char *p = NULL;

    if (blk == NULL || blk->size - blk->used < len + 1) {
        size_t size = 0;

        if (db->next_block == 0)
            db->next_block = ARENA_BLOCK_MIN;
        size = len + 1 > db->next_block ? len + 1 : db->next_block;

        blk = malloc(sizeof(*blk) + size);
        if (blk == NULL)
            return NULL;
        blk->size = size;
        blk->used = 0;
        /* Keep the partly used block at the head when the new one is a
         * one-off for a big string, so small strings keep filling it. */
        if (db->blocks != NULL && size > db->next_block) {
            blk->next = db->blocks->next;
            db->blocks->next = blk;
        } else {
            blk->next = db->blocks;
            db->blocks = blk;
        }
        db->memory += sizeof(*blk) + size;
        if (size == db->next_block && db->next_block < ARENA_BLOCK_MAX)
            db->next_block *= 2;
    }
    p = blk->data + blk->used;
    memcpy(p, s, len);
    p[len] = '\0';
    blk->used += len + 1;
    return p;
}

static int intern_grow(boots_hwdb_builder *b)
{
    size_t new_mask = b->intern_mask * 2 + 1;
    const char **slots = NULL;
    size_t i = 0;

    slots = calloc(new_mask + 1, sizeof(*slots));
    if (slots == NULL)
        return BOOTS_ENOMEM;
    for (i = 0; i <= b->intern_mask; i++) {
        const char *s = b->intern[i];
        size_t j = 0;

        if (s == NULL)
            continue;
        for (j = str_hash(s, strlen(s)) & new_mask; slots[j] != NULL;
             j = (j + 1) & new_mask)
            ;
        slots[j] = s;
    }
    free(b->intern);
    b->intern = slots;
    b->intern_mask = new_mask;
    return BOOTS_OK;
}

const char *boots_hwdb_builder_str(boots_hwdb_builder *b, const char *s,
                                   size_t len)
{
    size_t i = 0;
    char *copy = NULL;

    if (b == NULL || s == NULL)
        return NULL;
    if ((b->intern_used + 1) * 2 > b->intern_mask + 1 &&
        intern_grow(b) != BOOTS_OK)
        return NULL;
    for (i = str_hash(s, len) & b->intern_mask; b->intern[i] != NULL;
         i = (i + 1) & b->intern_mask) {
        const char *t = b->intern[i];

        if (strncmp(t, s, len) == 0 && t[len] == '\0')
            return t;
    }
    copy = arena_copy(b->db, s, len);
    if (copy == NULL)
        return NULL;
    b->intern[i] = copy;
    b->intern_used++;
    return copy;
}

const char *boots_hwdb_builder_strcopy(boots_hwdb_builder *b, const char *s,
                                       size_t len)
{
    if (b == NULL || s == NULL)
        return NULL;
    return arena_copy(b->db, s, len);
}

int boots_hwdb_builder_add(boots_hwdb_builder *b, const boots_hw *hw,
                           const char *iface_prefix)
{
    if (b->db->count >= UINT32_MAX - 1)
        return BOOTS_ETOOBIG;
    if (b->db->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        boots_hw *entries = NULL;
        const char **prefixes = NULL;

        entries = realloc(b->db->entries, cap * sizeof(*entries));
        if (entries == NULL)
            return BOOTS_ENOMEM;
        b->db->entries = entries;
        prefixes = realloc(b->prefixes, cap * sizeof(*prefixes));
        if (prefixes == NULL)
            return BOOTS_ENOMEM;
        b->prefixes = prefixes;
        b->cap = cap;
    }
    b->db->entries[b->db->count] = *hw;
    b->prefixes[b->db->count] = iface_prefix;
    b->db->count++;
    return BOOTS_OK;
}

int boots_hwdb_builder_copy(boots_hwdb_builder *b, const boots_hw *hw,
                            const char *iface_prefix)
{
    boots_hw c = *hw;
    const char **strs[] = {
        &c.arch, &c.facility, &c.ipxe_url, &c.ipxe_contents,
        &c.osie_base_url, &c.osie_kernel, &c.osie_initrd,
    };
    size_t i = 0;

    /* As the loader stores them: the id once per record (its entries
     * come one after the other), the hostname not interned. */
    if (c.id != NULL && c.id != b->copied_id) {
        b->copied_id = c.id;
        b->copied_id_to = boots_hwdb_builder_strcopy(b, c.id, strlen(c.id));
        if (b->copied_id_to == NULL)
            return BOOTS_ENOMEM;
    }
    c.id = c.id != NULL ? b->copied_id_to : NULL;
    if (c.hostname != NULL) {
        c.hostname = boots_hwdb_builder_strcopy(b, c.hostname,
                                                strlen(c.hostname));
        if (c.hostname == NULL)
            return BOOTS_ENOMEM;
    }
    for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        const char *s = *strs[i];

        if (s == NULL)
            continue;
        *strs[i] = boots_hwdb_builder_str(b, s, strlen(s));
        if (*strs[i] == NULL)
            return BOOTS_ENOMEM;
    }
    return boots_hwdb_builder_add(b, &c, iface_prefix);
}

void boots_hwdb_builder_record(boots_hwdb_builder *b)
{
    b->db->records++;
}

size_t boots_hwdb_builder_count(const boots_hwdb_builder *b)
{
    return b != NULL ? b->db->count : 0;
}

/* ------------------------------------------------------------------ */
/* Reusing records                                                     */
/* ------------------------------------------------------------------ */

/*
 * A record of a streamed list is converted from its JSON text alone (its
 * position only names a record that has no name, and such records are not
 * noted), so text seen before converts to the same entries again.  The
 * loader notes each record's digest; the next load of the same source
 * looks every record's digest up in the older snapshot and copies the
 * entries of a match instead of parsing and checking them.  Whole-list
 * checks (duplicate MACs and IPs) run on the result as always.
 *
 * The digest is 128 bits, so two different texts colliding by chance is
 * out of reach (about 2^-100 for a million records).  It is keyed per
 * process, so a collision cannot be prepared offline; it is not a
 * cryptographic hash, but whoever can write records into the document
 * decides what they say anyway.
 */

static uint64_t digest_key[2];
static pthread_once_t digest_once = PTHREAD_ONCE_INIT;

static void digest_init(void)
{
    uint64_t k[2] = { 0, 0 };

    if (getrandom(k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        k[0] = mix64((uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32);
        k[1] = mix64(k[0] ^ (uint64_t)getpid() ^ (uintptr_t)&ts);
    }
    digest_key[0] = k[0];
    digest_key[1] = k[1] | 1;
}

static uint64_t rotl64(uint64_t x, int r)
{
    return x << r | x >> (64 - r);
}

/* One lane: every 8-byte word is multiplied in, rotated and multiplied
 * again, so each word changes the whole state. */
static uint64_t lane_step(uint64_t h, uint64_t w, uint64_t m1, uint64_t m2)
{
    h += w * m1;
    h = rotl64(h, 31);
    return h * m2;
}

void boots_span_digest_of(const char *p, size_t len, boots_span_digest *out)
{
    const uint64_t m1 = UINT64_C(0x9fb21c651e98df25);
    const uint64_t m2 = UINT64_C(0xc2b2ae3d27d4eb4f);
    const uint64_t m3 = UINT64_C(0xd6e8feb86659fd93);
    const uint64_t m4 = UINT64_C(0x87c37b91114253d5);
    uint64_t a = 0;
    uint64_t b = 0;
    size_t i = 0;

    pthread_once(&digest_once, digest_init);
    a = digest_key[0] ^ (uint64_t)len * m3;
    b = digest_key[1] ^ (uint64_t)len;
    for (i = 0; i + 8 <= len; i += 8) {
        uint64_t w = 0;

        memcpy(&w, p + i, 8);
        a = lane_step(a, w, m1, m2);
        b = lane_step(b, w ^ (uint64_t)i, m3, m4);
    }
    if (i < len) {
        uint64_t w = 0;

        memcpy(&w, p + i, len - i);
        a = lane_step(a, w, m1, m2);
        b = lane_step(b, w ^ (uint64_t)i, m3, m4);
    }
    out->h[0] = mix64(a ^ rotl64(b, 17));
    out->h[1] = mix64(b + a * m3);
}

int boots_hwdb_builder_note(boots_hwdb_builder *b,
                            const boots_span_digest *digest, size_t n,
                            const char *prefix)
{
    boots_hwdb *db = b->db;
    source_rec *r = NULL;

    if (n > db->count)
        return BOOTS_EINVAL;
    if (db->nrecs == b->recs_cap) {
        size_t cap = b->recs_cap ? b->recs_cap * 2 : 64;
        source_rec *recs = realloc(db->recs, cap * sizeof(*recs));

        if (recs == NULL)
            return BOOTS_ENOMEM;
        db->recs = recs;
        b->recs_cap = cap;
    }
    r = &db->recs[db->nrecs++];
    r->digest = *digest;
    r->prefix = prefix;
    r->first = (uint32_t)(db->count - n);
    r->n = (uint32_t)n;
    return BOOTS_OK;
}

struct boots_hwdb_reuse {
    const boots_hwdb *prev;   /* one reference held */
    uint32_t *slots;          /* index into prev->recs + 1; 0 = empty */
    size_t mask;
    size_t next;              /* the record after the last one reused */
};

boots_hwdb_reuse *boots_hwdb_reuse_new(const boots_hwdb *prev)
{
    boots_hwdb_reuse *r = NULL;
    size_t size = 16;
    size_t i = 0;

    if (prev == NULL || prev->nrecs == 0 || prev->nrecs >= UINT32_MAX / 2)
        return NULL;
    r = calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    while (size < prev->nrecs * 2)
        size *= 2;
    r->mask = size - 1;
    r->slots = calloc(size, sizeof(*r->slots));
    if (r->slots == NULL) {
        free(r);
        return NULL;
    }
    for (i = 0; i < prev->nrecs; i++) {
        size_t j = 0;

        for (j = prev->recs[i].digest.h[0] & r->mask; r->slots[j] != 0;
             j = (j + 1) & r->mask)
            ;
        r->slots[j] = (uint32_t)(i + 1);
    }
    r->prev = boots_hwdb_ref((boots_hwdb *)(uintptr_t)prev);
    return r;
}

void boots_hwdb_reuse_free(boots_hwdb_reuse *r)
{
    if (r == NULL)
        return;
    boots_hwdb_unref((boots_hwdb *)(uintptr_t)r->prev);
    free(r->slots);
    free(r);
}

static bool same_digest(const boots_span_digest *a,
                        const boots_span_digest *b)
{
    return a->h[0] == b->h[0] && a->h[1] == b->h[1];
}

int boots_hwdb_builder_reuse(boots_hwdb_builder *b, boots_hwdb_reuse *r,
                             const boots_span_digest *digest)
{
    const source_rec *rec = NULL;
    size_t j = 0;
    uint32_t k = 0;
    int rc = 0;

    if (r == NULL)
        return 0;
    /* Lists mostly keep their order: try the record after the last one
     * first, then the index. */
    if (r->next < r->prev->nrecs &&
        same_digest(&r->prev->recs[r->next].digest, digest)) {
        rec = &r->prev->recs[r->next];
    } else {
        for (j = digest->h[0] & r->mask;; j = (j + 1) & r->mask) {
            uint32_t slot = r->slots[j];

            if (slot == 0)
                return 0;
            rec = &r->prev->recs[slot - 1];
            if (same_digest(&rec->digest, digest))
                break;
        }
    }
    r->next = (size_t)(rec - r->prev->recs) + 1;
    for (k = 0; k < rec->n; k++) {
        rc = boots_hwdb_builder_copy(b, &r->prev->entries[rec->first + k],
                                     rec->prefix);
        if (rc != 0)
            return rc;
    }
    rc = boots_hwdb_builder_note(b, digest, rec->n, rec->prefix);
    if (rc != 0)
        return rc;
    boots_hwdb_builder_record(b);
    b->db->reused++;
    return 1;
}

size_t boots_hwdb_reused(const boots_hwdb *db)
{
    return db != NULL ? db->reused : 0;
}

static int dup_error(const boots_hwdb_builder *b, const char *source,
                     size_t first, size_t second, bool is_mac,
                     boots_error *err)
{
    const boots_hw *a = &b->db->entries[first];
    const boots_hw *c = &b->db->entries[second];
    char field[96];
    char ipbuf[BOOTS_IP4_STRLEN];
    const char *leaf = is_mac ? "dhcp.mac" : "dhcp.ip.address";

    snprintf(field, sizeof(field), "%s[%u].%s", b->prefixes[second],
             (unsigned)c->iface_index, leaf);
    boots_ip4_format(c->ip, ipbuf);
    return boots_error_set(err, BOOTS_EDUP, c->id, field,
        "%s: record %s: field %s: duplicate %s \"%s\", "
        "already used by record %s (%s[%u].%s)",
        source, c->id, field, is_mac ? "MAC address" : "IP address",
        is_mac ? c->mac_str : ipbuf, a->id, b->prefixes[first],
        (unsigned)a->iface_index, leaf);
}

int boots_hwdb_builder_finish(boots_hwdb_builder *b, const char *source,
                              boots_hwdb **out, boots_error *err)
{
    boots_hwdb *db = NULL;
    size_t size = 16;
    size_t i = 0;
    int rc = BOOTS_OK;

    *out = NULL;
    if (b == NULL)
        return boots_error_set(err, BOOTS_ENOMEM, NULL, NULL,
                               "%s: out of memory", source);
    db = b->db;
    /* The string set is only needed while adding. */
    free(b->intern);
    b->intern = NULL;
    if (db->count > 0 && db->count < b->cap) {
        boots_hw *shrunk = realloc(db->entries, db->count * sizeof(boots_hw));
        if (shrunk != NULL)
            db->entries = shrunk;
    }
    if (db->nrecs > 0 && db->nrecs < b->recs_cap) {
        source_rec *shrunk = realloc(db->recs, db->nrecs * sizeof(*shrunk));
        if (shrunk != NULL)
            db->recs = shrunk;
    }
    while (size < db->count * 2)
        size *= 2;
    db->mask = size - 1;
    db->mac_slots = calloc(size, sizeof(uint32_t));
    db->ip_slots = calloc(size, sizeof(uint32_t));
    if (db->mac_slots == NULL || db->ip_slots == NULL) {
        rc = boots_error_set(err, BOOTS_ENOMEM, NULL, NULL,
                             "%s: out of memory building indexes", source);
        goto cleanup;
    }
    for (i = 0; i < db->count; i++) {
        const boots_hw *hw = &db->entries[i];
        size_t j = 0;

        for (j = mix64(mac_key(hw->mac)) & db->mask; db->mac_slots[j] != 0;
             j = (j + 1) & db->mask) {
            if (memcmp(db->entries[db->mac_slots[j] - 1].mac, hw->mac, 6)
                == 0) {
                rc = dup_error(b, source, db->mac_slots[j] - 1, i, true, err);
                goto cleanup;
            }
        }
        db->mac_slots[j] = (uint32_t)(i + 1);
        if (hw->ip == 0)
            continue;
        for (j = mix64(hw->ip) & db->mask; db->ip_slots[j] != 0;
             j = (j + 1) & db->mask) {
            if (db->entries[db->ip_slots[j] - 1].ip == hw->ip) {
                rc = dup_error(b, source, db->ip_slots[j] - 1, i, false, err);
                goto cleanup;
            }
        }
        db->ip_slots[j] = (uint32_t)(i + 1);
    }
    db->memory += sizeof(*db) + db->count * sizeof(boots_hw) +
                  2 * size * sizeof(uint32_t) +
                  db->nrecs * sizeof(source_rec);
    atomic_init(&db->refs, 1);
    db->generation = atomic_fetch_add(&generation_counter, 1) + 1;
    *out = db;
    b->db = NULL;
cleanup:
    boots_hwdb_builder_free(b);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The holder                                                          */
/* ------------------------------------------------------------------ */

struct boots_hwdb_holder {
    pthread_mutex_t lock;
    boots_hwdb *current;
};

boots_hwdb_holder *boots_hwdb_holder_new(void)
{
    boots_hwdb_holder *h = NULL;

    h = calloc(1, sizeof(*h));
    if (h == NULL)
        return NULL;
    if (pthread_mutex_init(&h->lock, NULL) != 0) {
        free(h);
        return NULL;
    }
    return h;
}

void boots_hwdb_holder_free(boots_hwdb_holder *h)
{
    if (h == NULL)
        return;
    boots_hwdb_unref(h->current);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

boots_hwdb *boots_hwdb_holder_get(boots_hwdb_holder *h)
{
    boots_hwdb *db = NULL;

    if (h == NULL)
        return NULL;
    pthread_mutex_lock(&h->lock);
    db = boots_hwdb_ref(h->current);
    pthread_mutex_unlock(&h->lock);
    return db;
}

void boots_hwdb_holder_set(boots_hwdb_holder *h, boots_hwdb *db)
{
    boots_hwdb *old = NULL;

    if (h == NULL) {
        boots_hwdb_unref(db);
        return;
    }
    pthread_mutex_lock(&h->lock);
    old = h->current;
    h->current = db;
    pthread_mutex_unlock(&h->lock);
    boots_hwdb_unref(old);   /* outside the lock: freeing may take time */
}
