/*
 * test_hwdb.c - the snapshot (shared/hwdb.c): lookups by MAC and IP,
 * iteration, generations, memory, reference counting, and the holder
 * swapping snapshots while other threads read.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boots.h"

#define BASE_IP 0x0a000100u    /* 10.0.1.0 */

static void mac_of(size_t i, uint8_t mac[6])
{
    mac[0] = 0x02;
    mac[1] = 0x00;
    mac[2] = (uint8_t)(i >> 24);
    mac[3] = (uint8_t)(i >> 16);
    mac[4] = (uint8_t)(i >> 8);
    mac[5] = (uint8_t)i;
}

/*
 * A List of n Hardware objects; record i has MAC 02:00:<i>, IP
 * 10.0.1.0 + i and hostname "<tag>-<i>".  Returns a new snapshot.
 */
static boots_hwdb *make_db(size_t n, const char *tag)
{
    size_t cap = n * 260 + 64;
    char *buf = malloc(cap);
    size_t len = 0;
    size_t i = 0;
    boots_hwdb *db = NULL;
    boots_error err;

    assert_non_null(buf);
    len += (size_t)snprintf(buf, cap, "{\"kind\":\"List\",\"items\":[");
    for (i = 0; i < n; i++) {
        uint8_t m[6];
        char mac[BOOTS_MAC_STRLEN];
        char ip[BOOTS_IP4_STRLEN];

        mac_of(i, m);
        boots_mac_format(m, mac);
        boots_ip4_format(BASE_IP + (uint32_t)i, ip);
        len += (size_t)snprintf(buf + len, cap - len,
            "%s{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"hw-%zu\","
            "\"namespace\":\"ns\"},\"spec\":{\"interfaces\":[{\"dhcp\":"
            "{\"mac\":\"%s\",\"hostname\":\"%s-%zu\",\"ip\":{\"address\":"
            "\"%s\",\"netmask\":\"255.0.0.0\",\"gateway\":\"10.0.0.1\"}},"
            "\"netboot\":{\"allowPXE\":true}}]}}",
            i ? "," : "", i, mac, tag, i, ip);
        assert_true(len < cap);
    }
    len += (size_t)snprintf(buf + len, cap - len, "]}");
    assert_true(len < cap);
    if (boots_hwdb_load_buffer(buf, len, "gen.json", &db, &err) != 0)
        fail_msg("%s", err.message);
    free(buf);
    return db;
}

static void test_lookups(void **state)
{
    const size_t n = 5000;
    boots_hwdb *db = make_db(n, "t");
    uint8_t mac[6];
    size_t i = 0;

    (void)state;
    assert_int_equal(boots_hwdb_count(db), n);
    assert_int_equal(boots_hwdb_records(db), n);
    for (i = 0; i < n; i++) {
        const boots_hw *by_mac = NULL;
        char host[32];

        mac_of(i, mac);
        by_mac = boots_hwdb_by_mac(db, mac);
        assert_non_null(by_mac);
        assert_memory_equal(by_mac->mac, mac, 6);
        snprintf(host, sizeof(host), "t-%zu", i);
        assert_string_equal(by_mac->hostname, host);
        assert_ptr_equal(boots_hwdb_by_ip(db, BASE_IP + (uint32_t)i), by_mac);
        assert_ptr_equal(boots_hwdb_at(db, boots_hwdb_index(db, by_mac)),
                         by_mac);
    }
    /* absent keys */
    mac_of(n, mac);
    assert_null(boots_hwdb_by_mac(db, mac));
    mac_of(0, mac);
    mac[0] = 0x03;
    assert_null(boots_hwdb_by_mac(db, mac));
    assert_null(boots_hwdb_by_ip(db, BASE_IP + (uint32_t)n));
    assert_null(boots_hwdb_by_ip(db, BASE_IP - 1));
    assert_null(boots_hwdb_by_ip(db, 0));
    /* iteration bounds and foreign pointers */
    assert_non_null(boots_hwdb_at(db, n - 1));
    assert_null(boots_hwdb_at(db, n));
    {
        boots_hw other;

        memset(&other, 0, sizeof(other));
        assert_int_equal(boots_hwdb_index(db, &other), SIZE_MAX);
        assert_int_equal(boots_hwdb_index(db, NULL), SIZE_MAX);
    }
    /* NULL snapshot is harmless */
    assert_null(boots_hwdb_by_mac(NULL, mac));
    assert_null(boots_hwdb_by_ip(NULL, BASE_IP));
    assert_int_equal(boots_hwdb_count(NULL), 0);
    boots_hwdb_unref(NULL);
    boots_hwdb_unref(db);
}

static void test_multiple_interfaces(void **state)
{
    const char *doc =
        "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"m\",\"namespace\":"
        "\"ns\"},\"spec\":{\"interfaces\":["
        "{\"dhcp\":{\"mac\":\"02:00:00:00:00:01\",\"ip\":{\"address\":"
        "\"10.0.0.1\",\"netmask\":\"255.255.255.0\"}}},"
        "{\"dhcp\":{\"mac\":\"02:00:00:00:00:02\",\"ip\":{\"address\":"
        "\"10.0.0.2\",\"netmask\":\"255.255.255.0\"}}},"
        "{\"dhcp\":{\"mac\":\"02:00:00:00:00:03\"}}]}}";
    boots_hwdb *db = NULL;
    boots_error err;
    size_t i = 0;

    (void)state;
    assert_int_equal(boots_hwdb_load_buffer(doc, strlen(doc), NULL, &db,
                                            &err), 0);
    assert_int_equal(boots_hwdb_count(db), 3);
    assert_int_equal(boots_hwdb_records(db), 1);
    for (i = 0; i < 3; i++) {
        const boots_hw *hw = boots_hwdb_at(db, i);
        uint8_t mac[6] = { 2, 0, 0, 0, 0, (uint8_t)(i + 1) };

        assert_string_equal(hw->id, "ns/m");
        assert_int_equal(hw->iface_index, i);
        assert_ptr_equal(boots_hwdb_by_mac(db, mac), hw);
    }
    assert_ptr_equal(boots_hwdb_by_ip(db, 0x0a000002u), boots_hwdb_at(db, 1));
    boots_hwdb_unref(db);
}

static void test_generation_increases(void **state)
{
    boots_hwdb *a = make_db(3, "a");
    boots_hwdb *b = make_db(3, "b");
    boots_hwdb *c = make_db(0, "c");

    (void)state;
    assert_true(boots_hwdb_generation(a) > 0);
    assert_true(boots_hwdb_generation(b) > boots_hwdb_generation(a));
    assert_true(boots_hwdb_generation(c) > boots_hwdb_generation(b));
    boots_hwdb_unref(a);
    boots_hwdb_unref(b);
    boots_hwdb_unref(c);
}

/* Memory is accounted and small per record. */
static void test_memory(void **state)
{
    boots_hwdb *small = make_db(10, "m");
    boots_hwdb *big = make_db(5000, "m");
    size_t per = boots_hwdb_memory(big) / boots_hwdb_count(big);

    (void)state;
    assert_true(boots_hwdb_memory(small) >= 10 * sizeof(boots_hw));
    assert_true(boots_hwdb_memory(big) > boots_hwdb_memory(small));
    /* entry + its strings + two index slots: well under 512 bytes */
    assert_true(per >= sizeof(boots_hw));
    if (per > 512)
        fail_msg("%zu bytes per record", per);
    boots_hwdb_unref(small);
    boots_hwdb_unref(big);
}

static void test_refcount(void **state)
{
    boots_hwdb *db = make_db(4, "r");
    uint8_t mac[6];

    (void)state;
    mac_of(2, mac);
    assert_ptr_equal(boots_hwdb_ref(db), db);
    boots_hwdb_unref(db);
    /* still alive: one reference left (ASan would catch a use after free) */
    assert_string_equal(boots_hwdb_by_mac(db, mac)->hostname, "r-2");
    boots_hwdb_unref(db);   /* freed; LeakSanitizer checks nothing is lost */
}

static void test_holder_swap(void **state)
{
    boots_hwdb_holder *h = boots_hwdb_holder_new();
    boots_hwdb *a = make_db(4, "a");
    boots_hwdb *b = make_db(4, "b");
    boots_hwdb *reader = NULL;
    boots_hwdb *got = NULL;
    uint8_t mac[6];

    (void)state;
    assert_non_null(h);
    assert_null(boots_hwdb_holder_get(h));
    boots_hwdb_holder_set(h, a);             /* holder owns a */
    reader = boots_hwdb_holder_get(h);       /* a reader keeps a */
    assert_ptr_equal(reader, a);
    boots_hwdb_holder_set(h, b);             /* a stays alive for the reader */
    mac_of(1, mac);
    assert_string_equal(boots_hwdb_by_mac(reader, mac)->hostname, "a-1");
    got = boots_hwdb_holder_get(h);
    assert_ptr_equal(got, b);
    assert_string_equal(boots_hwdb_by_mac(got, mac)->hostname, "b-1");
    boots_hwdb_unref(got);
    boots_hwdb_unref(reader);                /* a is freed now */
    boots_hwdb_holder_set(h, NULL);          /* clears; b is freed */
    assert_null(boots_hwdb_holder_get(h));
    boots_hwdb_holder_set(h, make_db(1, "c"));
    boots_hwdb_holder_free(h);               /* drops c */
    boots_hwdb_holder_free(NULL);
}

/* A rejected document never replaces what the holder publishes. */
static void test_failed_load_keeps_current(void **state)
{
    static const char *bad[] = {
        "{\"kind\":\"List\",\"items\":[{\"kind\":\"Hardware\",\"metadata\":"
        "{\"name\":\"x\"},\"spec\":{\"interfaces\":[{\"dhcp\":{\"mac\":"
        "\"02:00:00:00:00:01\",\"ip\":{\"address\":\"10.0.0.1\","
        "\"netmask\":\"255.255.0.255\"}}}]}}]}",
        "{\"kind\":\"List\",\"items\":[",
        "",
    };
    boots_hwdb_holder *h = boots_hwdb_holder_new();
    boots_hwdb *good = make_db(8, "good");
    uint64_t gen = boots_hwdb_generation(good);
    size_t i = 0;

    (void)state;
    boots_hwdb_holder_set(h, good);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        boots_hwdb *db = NULL;
        boots_hwdb *cur = NULL;
        boots_error err;
        uint8_t mac[6];
        int rc = boots_hwdb_load_buffer(bad[i], strlen(bad[i]), "bad.json",
                                        &db, &err);

        assert_true(rc < 0);
        assert_null(db);
        if (rc == 0)
            boots_hwdb_holder_set(h, db);    /* what a source does */
        cur = boots_hwdb_holder_get(h);
        assert_ptr_equal(cur, good);
        assert_int_equal(boots_hwdb_generation(cur), gen);
        assert_int_equal(boots_hwdb_count(cur), 8);
        mac_of(7, mac);
        assert_string_equal(boots_hwdb_by_mac(cur, mac)->hostname, "good-7");
        boots_hwdb_unref(cur);
    }
    boots_hwdb_holder_free(h);
}

/* ------------------------------------------------------------------ */
/* Readers on several threads while a writer loads and swaps           */
/* ------------------------------------------------------------------ */

#define THREAD_RECORDS 200
#define SWAPS 40
#define READERS 4
#define MAX_READS 2000000L

typedef struct shared_state {
    boots_hwdb_holder *holder;
    atomic_bool done;
} shared_state;

typedef struct reader_result {
    shared_state *s;
    long reads;
    long inconsistent;
    long went_back;
} reader_result;

static void *reader(void *arg)
{
    reader_result *r = arg;
    uint64_t last_gen = 0;
    uint32_t seed = 12345;

    /* at least one read, even if the writer finished before we started */
    while ((!atomic_load(&r->s->done) || r->reads == 0) &&
           r->reads < MAX_READS) {
        boots_hwdb *db = boots_hwdb_holder_get(r->s->holder);
        const boots_hw *first = NULL;
        const boots_hw *hw = NULL;
        uint8_t mac[6];
        size_t i = 0;

        if (db == NULL)
            continue;
        seed = seed * 1103515245u + 12345u;
        i = (seed >> 8) % THREAD_RECORDS;
        mac_of(i, mac);
        first = boots_hwdb_at(db, 0);
        hw = boots_hwdb_by_mac(db, mac);
        /* every entry of one snapshot carries the same tag ("a-" / "b-") */
        if (hw == NULL || first == NULL ||
            hw->hostname[0] != first->hostname[0] ||
            boots_hwdb_by_ip(db, BASE_IP + (uint32_t)i) != hw)
            r->inconsistent++;
        if (boots_hwdb_generation(db) < last_gen)
            r->went_back++;
        last_gen = boots_hwdb_generation(db);
        boots_hwdb_unref(db);
        r->reads++;
    }
    return NULL;
}

static void test_holder_threads(void **state)
{
    shared_state s;
    reader_result results[READERS];
    pthread_t threads[READERS];
    int i = 0;

    (void)state;
    s.holder = boots_hwdb_holder_new();
    atomic_init(&s.done, false);
    boots_hwdb_holder_set(s.holder, make_db(THREAD_RECORDS, "a"));
    for (i = 0; i < READERS; i++) {
        memset(&results[i], 0, sizeof(results[i]));
        results[i].s = &s;
        assert_int_equal(pthread_create(&threads[i], NULL, reader,
                                        &results[i]), 0);
    }
    /* load and swap while the readers run */
    for (i = 0; i < SWAPS; i++)
        boots_hwdb_holder_set(s.holder,
                              make_db(THREAD_RECORDS, i % 2 ? "a" : "b"));
    atomic_store(&s.done, true);
    for (i = 0; i < READERS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_true(results[i].reads > 0);
        assert_int_equal(results[i].inconsistent, 0);
        assert_int_equal(results[i].went_back, 0);
    }
    boots_hwdb_holder_free(s.holder);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_multiple_interfaces),
        cmocka_unit_test(test_generation_increases),
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_refcount),
        cmocka_unit_test(test_holder_swap),
        cmocka_unit_test(test_failed_load_keeps_current),
        cmocka_unit_test(test_holder_threads),
    };

    return cmocka_run_group_tests_name("hwdb", tests, NULL, NULL);
}
