/*
 * test_k8s_watch.c - following a Kubernetes list with watch events, object
 * by object: ADDED / MODIFIED / DELETED by namespace + name, staged and
 * committed into a new snapshot; BOOKMARK, ERROR, bad lines; an invalid
 * object or a duplicate MAC is rejected and the last good state stays the
 * base for later events; the result equals a full load of the same list;
 * which lists can be watched and which resourceVersions may go into a
 * watch URL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "k8s_watch.h"

/* One Hardware object with one interface. */
#define OBJ(ns, name, rv, mac, host) \
    "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"" name "\"," \
    "\"namespace\":\"" ns "\",\"resourceVersion\":\"" rv "\"}," \
    "\"spec\":{\"interfaces\":[{\"dhcp\":{\"mac\":\"" mac "\"," \
    "\"hostname\":\"" host "\"}}]}}"
#define EV(type, obj) "{\"type\":\"" type "\",\"object\":" obj "}"

#define LIST "{\"kind\":\"HardwareList\",\"metadata\":{\"resourceVersion\":" \
             "\"10\"},\"items\":[" \
             OBJ("default", "a", "1", "02:00:00:00:00:01", "a1") "," \
             OBJ("default", "b", "2", "02:00:00:00:00:02", "b1") "," \
             OBJ("lab", "a", "3", "02:00:00:00:00:03", "la1") "]}"

#define SRC "https://api.test/hw"

static boots_watch_state *load_state(const char *list, boots_hwdb **db,
                                     char *rv)
{
    boots_watch_state *ws = boots_watch_state_new();
    boots_error        err;
    int                rc;

    assert_non_null(ws);
    rc = boots_watch_load_list(ws, list, strlen(list), SRC, db, rv, &err);
    if (rc != 0)
        fail_msg("load: %s", err.message);
    assert_non_null(*db);
    return ws;
}

/* "id=hostname" of every entry, in order, joined by spaces. */
static void entries_str(const boots_hwdb *db, char *out, size_t size)
{
    size_t used = 0;
    size_t i;

    out[0] = '\0';
    for (i = 0; i < boots_hwdb_count(db); i++) {
        const boots_hw *hw = boots_hwdb_at(db, i);

        used += (size_t)snprintf(out + used, size - used, "%s%s=%s",
                                 i ? " " : "", hw->id,
                                 hw->hostname ? hw->hostname : "-");
        assert_true(used < size);
        assert_ptr_equal(boots_hwdb_by_mac(db, hw->mac), hw);
    }
}

static void test_events_table(void **state)
{
    static const struct {
        const char *line;
        int         rc;
        const char *entries;   /* published after the event ("": none) */
        const char *rv;        /* after the event */
    } cases[] = {
        /* MODIFIED matches namespace and name, keeps the position */
        { EV("MODIFIED", OBJ("lab", "a", "11", "02:00:00:00:00:03", "la2")),
          BOOTS_WATCH_CHANGED, "default/a=a1 default/b=b1 lab/a=la2", "11" },
        /* ADDED appends */
        { EV("ADDED", OBJ("default", "c", "12", "02:00:00:00:00:04", "c1")),
          BOOTS_WATCH_CHANGED,
          "default/a=a1 default/b=b1 lab/a=la2 default/c=c1", "12" },
        /* ADDED of an object already there replaces it in place */
        { EV("ADDED", OBJ("default", "b", "13", "02:00:00:00:00:05", "b3")),
          BOOTS_WATCH_CHANGED,
          "default/a=a1 default/b=b3 lab/a=la2 default/c=c1", "13" },
        /* DELETED removes */
        { "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"a\","
          "\"namespace\":\"default\",\"resourceVersion\":\"14\"}}}",
          BOOTS_WATCH_CHANGED, "default/b=b3 lab/a=la2 default/c=c1", "14" },
        /* the MAC of the deleted object is free again */
        { EV("ADDED", OBJ("lab", "z", "15", "02:00:00:00:00:01", "z1")),
          BOOTS_WATCH_CHANGED,
          "default/b=b3 lab/a=la2 default/c=c1 lab/z=z1", "15" },
        /* DELETED of an unknown object changes nothing */
        { "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"zz\","
          "\"namespace\":\"default\",\"resourceVersion\":\"16\"}}}",
          BOOTS_WATCH_UNCHANGED, "", "16" },
        /* BOOKMARK moves the version only */
        { "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":"
          "{\"resourceVersion\":\"20\"}}}", BOOTS_WATCH_UNCHANGED, "", "20" },
        /* an unsafe version is not taken */
        { "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":"
          "{\"resourceVersion\":\"21&x=1\"}}}", BOOTS_WATCH_UNCHANGED, "",
          "20" },
        /* unknown types are ignored */
        { "{\"type\":\"FUTURE\",\"object\":{}}", BOOTS_WATCH_UNCHANGED, "",
          "20" },
        /* ERROR: list again */
        { "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,"
          "\"reason\":\"Expired\"}}", BOOTS_WATCH_EXPIRED, "", "20" },
        /* bad lines: nothing applied */
        { "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"namespace\":"
          "\"default\"},\"spec\":{}}}", BOOTS_WATCH_BAD, "", "20" },
        { "{\"type\":\"MODIFIED\"}", BOOTS_WATCH_BAD, "", "20" },
        { "{\"type\":\"MODIFIED\",\"object\":[]}", BOOTS_WATCH_BAD, "",
          "20" },
        { "{\"type\":\"MODI", BOOTS_WATCH_BAD, "", "20" },
        { "", BOOTS_WATCH_BAD, "", "20" },
        /* an invalid object is rejected (its version was seen) */
        { EV("MODIFIED", OBJ("default", "b", "22", "02:00:00:00:00:zz", "b4")),
          BOOTS_WATCH_REJECTED, "", "22" },
        /* ...and the next valid change applies on the last good state */
        { EV("MODIFIED", OBJ("default", "c", "23", "02:00:00:00:00:04", "c2")),
          BOOTS_WATCH_CHANGED,
          "default/b=b3 lab/a=la2 default/c=c2 lab/z=z1", "23" },
    };
    boots_hwdb        *db = NULL;
    char               rv[BOOTS_WATCH_RV_MAX];
    char               why[256];
    char               got[512];
    boots_watch_state *ws = load_state(LIST, &db, rv);
    size_t             i;

    (void)state;
    assert_string_equal(rv, "10");
    assert_true(boots_watch_ready(ws));
    assert_int_equal(boots_watch_objects(ws), 3);
    entries_str(db, got, sizeof(got));
    assert_string_equal(got, "default/a=a1 default/b=b1 lab/a=la1");
    boots_hwdb_unref(db);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_error err;
        int         rc;

        memset(&err, 0, sizeof(err));
        rc = boots_watch_apply(ws, cases[i].line, strlen(cases[i].line), SRC,
                               rv, why, sizeof(why), &err);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d (%s%s)", i, rc, cases[i].rc,
                     why, err.message);
        assert_int_equal(boots_watch_pending(ws),
                         rc == BOOTS_WATCH_CHANGED);
        db = NULL;
        if (boots_watch_commit(ws, SRC, &db, &err) != 0)
            fail_msg("case %zu: commit: %s", i, err.message);
        if (db == NULL)
            got[0] = '\0';
        else
            entries_str(db, got, sizeof(got));
        boots_hwdb_unref(db);
        if (strcmp(got, cases[i].entries) != 0)
            fail_msg("case %zu: entries \"%s\", want \"%s\"", i, got,
                     cases[i].entries);
        if (strcmp(rv, cases[i].rv) != 0)
            fail_msg("case %zu: rv \"%s\", want \"%s\"", i, rv, cases[i].rv);
        if (rc == BOOTS_WATCH_EXPIRED || rc == BOOTS_WATCH_BAD)
            assert_true(why[0] != '\0');
        if (rc == BOOTS_WATCH_REJECTED) {
            assert_int_equal(err.code, BOOTS_EINVAL);
            assert_non_null(strstr(err.message, SRC ": record default/b: "
                                   "field spec.interfaces[0].dhcp.mac"));
        }
    }
    assert_int_equal(boots_watch_objects(ws), 4);
    boots_watch_state_free(ws);
}

static void test_error_reason_in_why(void **state)
{
    boots_hwdb        *db = NULL;
    char               rv[BOOTS_WATCH_RV_MAX];
    char               why[256];
    boots_error        err;
    boots_watch_state *ws = load_state(LIST, &db, rv);
    const char        *line = "{\"type\":\"ERROR\",\"object\":{\"code\":410,"
                              "\"reason\":\"Expired\"}}";

    (void)state;
    assert_int_equal(boots_watch_apply(ws, line, strlen(line), SRC, rv, why,
                                       sizeof(why), &err),
                     BOOTS_WATCH_EXPIRED);
    assert_non_null(strstr(why, "410"));
    assert_non_null(strstr(why, "Expired"));
    boots_hwdb_unref(db);
    boots_watch_state_free(ws);
}

/* A change that is valid alone but clashes with another object is
 * rejected at commit, naming both records; the state stays the last good
 * one and later changes apply on it. */
static void test_duplicate_rejected_at_commit(void **state)
{
    const char *dup = EV("ADDED", OBJ("default", "d", "11",
                                      "02:00:00:00:00:02", "d1"));
    const char *ok = EV("MODIFIED", OBJ("default", "a", "12",
                                        "02:00:00:00:00:09", "a2"));
    boots_hwdb        *db = NULL;
    boots_hwdb        *next = NULL;
    char               rv[BOOTS_WATCH_RV_MAX];
    char               why[256];
    char               got[512];
    boots_error        err;
    boots_watch_state *ws = load_state(LIST, &db, rv);

    (void)state;
    boots_hwdb_unref(db);
    assert_int_equal(boots_watch_apply(ws, dup, strlen(dup), SRC, rv, why,
                                       sizeof(why), &err),
                     BOOTS_WATCH_CHANGED);
    assert_int_equal(boots_watch_commit(ws, SRC, &next, &err), BOOTS_EDUP);
    assert_null(next);
    assert_non_null(strstr(err.message, "record default/d"));
    assert_non_null(strstr(err.message, "already used by record default/b"));
    assert_non_null(strstr(err.message, "02:00:00:00:00:02"));
    assert_false(boots_watch_pending(ws));
    assert_int_equal(boots_watch_objects(ws), 3);

    assert_int_equal(boots_watch_apply(ws, ok, strlen(ok), SRC, rv, why,
                                       sizeof(why), &err),
                     BOOTS_WATCH_CHANGED);
    assert_int_equal(boots_watch_commit(ws, SRC, &next, &err), 0);
    entries_str(next, got, sizeof(got));
    assert_string_equal(got, "default/a=a2 default/b=b1 lab/a=la1");
    assert_string_equal(rv, "12");
    boots_hwdb_unref(next);
    boots_watch_state_free(ws);
}

/* An object whose own interfaces repeat a MAC is rejected at once. */
static void test_duplicate_inside_object(void **state)
{
    const char *line =
        "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"x\","
        "\"namespace\":\"default\"},\"spec\":{\"interfaces\":["
        "{\"dhcp\":{\"mac\":\"02:00:00:00:00:0a\"}},"
        "{\"dhcp\":{\"mac\":\"02:00:00:00:00:0a\"}}]}}}";
    boots_hwdb        *db = NULL;
    char               rv[BOOTS_WATCH_RV_MAX];
    char               why[256];
    boots_error        err;
    boots_watch_state *ws = load_state(LIST, &db, rv);

    (void)state;
    boots_hwdb_unref(db);
    assert_int_equal(boots_watch_apply(ws, line, strlen(line), SRC, rv, why,
                                       sizeof(why), &err),
                     BOOTS_WATCH_REJECTED);
    assert_int_equal(err.code, BOOTS_EDUP);
    assert_non_null(strstr(err.message, "record default/x"));
    assert_false(boots_watch_pending(ws));
    boots_watch_state_free(ws);
}

/* Several events, one commit: the same snapshot as a full load of the
 * resulting list (order, records without interfaces, items without a
 * name, tink-server-shaped items and records counted). */
static void test_batch_equals_full_load(void **state)
{
    const char *list =
        "{\"kind\":\"HardwareList\",\"metadata\":{\"resourceVersion\":\"5\"},"
        "\"items\":["
        OBJ("default", "a", "1", "02:00:00:00:00:01", "a1") ","
        "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"empty\"},"
        "\"spec\":{}},"
        "{\"id\":\"tink-1\",\"network\":{\"interfaces\":[{\"dhcp\":"
        "{\"mac\":\"02:00:00:00:00:07\",\"hostname\":\"t1\"}}]}},"
        OBJ("default", "b", "2", "02:00:00:00:00:02", "b1") ","
        OBJ("default", "c", "3", "02:00:00:00:00:03", "c1") "]}";
    const char *events[] = {
        EV("ADDED", OBJ("default", "n", "6", "02:00:00:00:00:08", "n1")),
        EV("MODIFIED", OBJ("default", "b", "7", "02:00:00:00:00:03", "b2")),
        "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"c\","
        "\"namespace\":\"default\"}}}",
        EV("ADDED", OBJ("default", "gone", "8", "02:00:00:00:00:0b", "g")),
        "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"gone\","
        "\"namespace\":\"default\"}}}",
        EV("MODIFIED", OBJ("default", "n", "9", "02:00:00:00:00:08", "n2")),
    };
    const char *want_list =
        "{\"kind\":\"HardwareList\",\"items\":["
        OBJ("default", "a", "1", "02:00:00:00:00:01", "a1") ","
        "{\"kind\":\"Hardware\",\"metadata\":{\"name\":\"empty\"},"
        "\"spec\":{}},"
        "{\"id\":\"tink-1\",\"network\":{\"interfaces\":[{\"dhcp\":"
        "{\"mac\":\"02:00:00:00:00:07\",\"hostname\":\"t1\"}}]}},"
        OBJ("default", "b", "7", "02:00:00:00:00:03", "b2") ","
        OBJ("default", "n", "9", "02:00:00:00:00:08", "n2") "]}";
    boots_hwdb        *db = NULL;
    boots_hwdb        *want = NULL;
    char               rv[BOOTS_WATCH_RV_MAX];
    char               why[256];
    char               got[512];
    char               exp[512];
    boots_error        err;
    boots_watch_state *ws = load_state(list, &db, rv);
    size_t             i;

    (void)state;
    assert_int_equal(boots_hwdb_records(db), 5);
    boots_hwdb_unref(db);
    for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        if (boots_watch_apply(ws, events[i], strlen(events[i]), SRC, rv, why,
                              sizeof(why), &err) != BOOTS_WATCH_CHANGED)
            fail_msg("event %zu: %s%s", i, why, err.message);
    }
    assert_int_equal(boots_watch_commit(ws, SRC, &db, &err), 0);
    assert_int_equal(boots_hwdb_load_buffer(want_list, strlen(want_list),
                                            "want", &want, &err), 0);
    entries_str(db, got, sizeof(got));
    entries_str(want, exp, sizeof(exp));
    assert_string_equal(got, exp);
    assert_string_equal(got, "default/a=a1 tink-1=t1 default/b=b2 "
                             "default/n=n2");
    assert_int_equal(boots_hwdb_records(db), boots_hwdb_records(want));
    assert_int_equal(boots_hwdb_count(db), boots_hwdb_count(want));
    for (i = 0; i < boots_hwdb_count(db); i++)
        assert_memory_equal(boots_hwdb_at(db, i)->mac_str,
                            boots_hwdb_at(want, i)->mac_str, 18);
    assert_int_equal(boots_watch_objects(ws), 5);
    assert_string_equal(rv, "9");
    boots_hwdb_unref(db);
    boots_hwdb_unref(want);
    boots_watch_state_free(ws);
}

/* A list that repeats a name (Kubernetes never does): events go to the
 * first object still there, as they would in the list. */
static void test_repeated_name_in_list(void **state)
{
    const char *list =
        "{\"kind\":\"HardwareList\",\"metadata\":{\"resourceVersion\":\"5\"},"
        "\"items\":["
        OBJ("default", "a", "1", "02:00:00:00:00:01", "first") ","
        OBJ("default", "a", "2", "02:00:00:00:00:02", "second") "]}";
    const char *del = "{\"type\":\"DELETED\",\"object\":{\"metadata\":"
                      "{\"name\":\"a\",\"namespace\":\"default\"}}}";
    const char *mod = EV("MODIFIED", OBJ("default", "a", "7",
                                         "02:00:00:00:00:03", "third"));
    boots_hwdb        *db = NULL;
    char               rv[BOOTS_WATCH_RV_MAX];
    char               why[256];
    char               got[512];
    boots_error        err;
    boots_watch_state *ws = load_state(list, &db, rv);

    (void)state;
    boots_hwdb_unref(db);
    assert_int_equal(boots_watch_apply(ws, del, strlen(del), SRC, rv, why,
                                       sizeof(why), &err),
                     BOOTS_WATCH_CHANGED);
    assert_int_equal(boots_watch_apply(ws, mod, strlen(mod), SRC, rv, why,
                                       sizeof(why), &err),
                     BOOTS_WATCH_CHANGED);
    assert_int_equal(boots_watch_commit(ws, SRC, &db, &err), 0);
    entries_str(db, got, sizeof(got));
    assert_string_equal(got, "default/a=third");
    boots_hwdb_unref(db);
    assert_int_equal(boots_watch_apply(ws, del, strlen(del), SRC, rv, why,
                                       sizeof(why), &err),
                     BOOTS_WATCH_CHANGED);
    assert_int_equal(boots_watch_apply(ws, del, strlen(del), SRC, rv, why,
                                       sizeof(why), &err),
                     BOOTS_WATCH_UNCHANGED);
    assert_int_equal(boots_watch_commit(ws, SRC, &db, &err), 0);
    assert_int_equal(boots_hwdb_count(db), 0);
    assert_int_equal(boots_hwdb_records(db), 0);
    boots_hwdb_unref(db);
    boots_watch_state_free(ws);
}

static void test_list_usable(void **state)
{
    static const struct {
        const char *doc;
        int         rc;
        bool        usable;
    } cases[] = {
        { LIST, 0, true },
        { "{\"items\":[],\"metadata\":{\"resourceVersion\":\"1\"}}", 0,
          true },
        { "{\"items\":[]}", 0, false },                     /* no version */
        { "{\"items\":{},\"metadata\":{\"resourceVersion\":\"1\"}}",
          BOOTS_EINVAL, false },                             /* invalid */
        { "[" OBJ("default", "a", "1", "02:00:00:00:00:01", "a") "]", 0,
          false },                                           /* an array */
        { OBJ("default", "a", "1", "02:00:00:00:00:01", "a"), 0,
          false },                                           /* one object */
        { "{\"items\":[],\"metadata\":{\"resourceVersion\":\"1 2\"}}", 0,
          false },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_watch_state *ws = NULL;
        boots_hwdb        *db = NULL;
        boots_error        err;
        char               rv[BOOTS_WATCH_RV_MAX] = "old";
        int                rc;

        /* start from a followed list: a new list replaces it */
        ws = load_state(LIST, &db, rv);
        boots_hwdb_unref(db);
        db = NULL;
        rc = boots_watch_load_list(ws, cases[i].doc, strlen(cases[i].doc),
                                   SRC, &db, rv, &err);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d (%s)", i, rc, err.message);
        if (rc == 0 && boots_watch_ready(ws) != cases[i].usable)
            fail_msg("case %zu: usable should be %d", i, cases[i].usable);
        if (rc != 0) {
            /* a failed load leaves the state as it was */
            assert_null(db);
            assert_true(boots_watch_ready(ws));
            assert_int_equal(boots_watch_objects(ws), 3);
            assert_string_equal(rv, "10");
        } else if (!cases[i].usable) {
            assert_string_equal(rv, "");
        }
        boots_hwdb_unref(db);
        boots_watch_state_free(ws);
    }
}

static void test_rv_is_safe(void **state)
{
    char long_rv[BOOTS_WATCH_RV_MAX + 1];

    (void)state;
    assert_true(boots_watch_rv_is_safe("123456"));
    assert_true(boots_watch_rv_is_safe("a.b_c-D9"));
    assert_false(boots_watch_rv_is_safe(NULL));
    assert_false(boots_watch_rv_is_safe(""));
    assert_false(boots_watch_rv_is_safe("1&watch=0"));
    assert_false(boots_watch_rv_is_safe("1 2"));
    assert_false(boots_watch_rv_is_safe("1\n"));
    memset(long_rv, '1', sizeof(long_rv) - 1);
    long_rv[sizeof(long_rv) - 1] = '\0';
    assert_false(boots_watch_rv_is_safe(long_rv));
}

static void test_apply_without_list(void **state)
{
    boots_watch_state *ws = boots_watch_state_new();
    boots_hwdb        *db = NULL;
    boots_error        err;
    char               rv[BOOTS_WATCH_RV_MAX] = "1";
    char               why[64];
    const char        *line = EV("ADDED", OBJ("default", "a", "2",
                                              "02:00:00:00:00:01", "a"));

    (void)state;
    assert_int_equal(boots_watch_apply(ws, line, strlen(line), SRC, rv, why,
                                       sizeof(why), &err), BOOTS_WATCH_BAD);
    assert_int_equal(boots_watch_apply(NULL, line, strlen(line), SRC, rv,
                                       why, sizeof(why), &err),
                     BOOTS_WATCH_BAD);
    assert_int_equal(boots_watch_commit(ws, SRC, &db, &err), 0);
    assert_null(db);
    assert_string_equal(rv, "1");
    boots_watch_state_free(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_table),
        cmocka_unit_test(test_error_reason_in_why),
        cmocka_unit_test(test_duplicate_rejected_at_commit),
        cmocka_unit_test(test_duplicate_inside_object),
        cmocka_unit_test(test_batch_equals_full_load),
        cmocka_unit_test(test_repeated_name_in_list),
        cmocka_unit_test(test_list_usable),
        cmocka_unit_test(test_rv_is_safe),
        cmocka_unit_test(test_apply_without_list),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
