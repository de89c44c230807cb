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
 * Nothing is written after the builder finishes except the reference
 * count, so any number of threads may read a snapshot without locks, and a
 * forked process (nginx workers) shares it copy-on-write.
 */
#include <pthread.h>
#include <stdatomic.h>
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
};

struct boots_hwdb_builder {
    boots_hwdb *db;
    size_t cap;               /* entries allocated */
    const char **prefixes;    /* per entry, for duplicate errors */
    const char **intern;      /* string set, open addressing */
    size_t intern_mask;
    size_t intern_used;
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

static uint64_t str_hash(const char *s, size_t len)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);   /* FNV-1a */
    size_t i = 0;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(0x100000001b3);
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
        &c.id, &c.hostname, &c.arch, &c.facility, &c.ipxe_url,
        &c.ipxe_contents, &c.osie_base_url, &c.osie_kernel, &c.osie_initrd,
    };
    size_t i = 0;

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
                  2 * size * sizeof(uint32_t);
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
