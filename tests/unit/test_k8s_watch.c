/*
 * test_k8s_watch.c - Kubernetes watch events applied to a copy of a list:
 * ADDED / MODIFIED / DELETED by namespace + name, BOOKMARK, ERROR, bad
 * lines, and which resourceVersions may go into a watch URL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "k8s_watch.h"

#define LIST "{\"kind\":\"HardwareList\",\"metadata\":{\"resourceVersion\":" \
             "\"10\"},\"items\":[" \
             "{\"metadata\":{\"name\":\"a\",\"namespace\":\"default\"}," \
             "\"spec\":{\"v\":1}}," \
             "{\"metadata\":{\"name\":\"b\",\"namespace\":\"default\"}," \
             "\"spec\":{\"v\":1}}," \
             "{\"metadata\":{\"name\":\"a\",\"namespace\":\"lab\"}," \
             "\"spec\":{\"v\":1}}]}"

static json_t *load_list(void)
{
    json_error_t jerr;
    json_t      *doc = json_loads(LIST, 0, &jerr);

    assert_non_null(doc);
    return doc;
}

/* "ns/name=v" of every item, in order, joined by spaces. */
static void items_str(json_t *doc, char *out, size_t size)
{
    json_t *items = json_object_get(doc, "items");
    size_t  used = 0;
    size_t  i;

    out[0] = '\0';
    for (i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        json_t *md = json_object_get(it, "metadata");

        used += (size_t)snprintf(out + used, size - used, "%s%s/%s=%lld",
            i ? " " : "",
            json_string_value(json_object_get(md, "namespace")),
            json_string_value(json_object_get(md, "name")),
            (long long)json_integer_value(
                json_object_get(json_object_get(it, "spec"), "v")));
        assert_true(used < size);
    }
}

static void test_events_table(void **state)
{
    static const struct {
        const char *line;
        int         rc;
        const char *items;   /* after the event */
        const char *rv;      /* after the event */
    } cases[] = {
        /* MODIFIED matches namespace and name */
        { "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"a\","
          "\"namespace\":\"lab\",\"resourceVersion\":\"11\"},\"spec\":"
          "{\"v\":2}}}", BOOTS_WATCH_CHANGED,
          "default/a=1 default/b=1 lab/a=2", "11" },
        /* ADDED appends */
        { "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"c\","
          "\"namespace\":\"default\",\"resourceVersion\":\"12\"},\"spec\":"
          "{\"v\":1}}}", BOOTS_WATCH_CHANGED,
          "default/a=1 default/b=1 lab/a=2 default/c=1", "12" },
        /* ADDED of an object already there replaces it */
        { "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"b\","
          "\"namespace\":\"default\",\"resourceVersion\":\"13\"},\"spec\":"
          "{\"v\":3}}}", BOOTS_WATCH_CHANGED,
          "default/a=1 default/b=3 lab/a=2 default/c=1", "13" },
        /* DELETED removes */
        { "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"a\","
          "\"namespace\":\"default\",\"resourceVersion\":\"14\"}}}",
          BOOTS_WATCH_CHANGED, "default/b=3 lab/a=2 default/c=1", "14" },
        /* DELETED of an unknown object changes nothing */
        { "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"zz\","
          "\"namespace\":\"default\",\"resourceVersion\":\"15\"}}}",
          BOOTS_WATCH_UNCHANGED, "default/b=3 lab/a=2 default/c=1", "15" },
        /* BOOKMARK moves the version only */
        { "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":"
          "{\"resourceVersion\":\"20\"}}}", BOOTS_WATCH_UNCHANGED,
          "default/b=3 lab/a=2 default/c=1", "20" },
        /* an unsafe version is not taken */
        { "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":"
          "{\"resourceVersion\":\"21&x=1\"}}}", BOOTS_WATCH_UNCHANGED,
          "default/b=3 lab/a=2 default/c=1", "20" },
        /* unknown types are ignored */
        { "{\"type\":\"FUTURE\",\"object\":{}}", BOOTS_WATCH_UNCHANGED,
          "default/b=3 lab/a=2 default/c=1", "20" },
        /* ERROR: list again */
        { "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,"
          "\"reason\":\"Expired\"}}", BOOTS_WATCH_EXPIRED,
          "default/b=3 lab/a=2 default/c=1", "20" },
        /* bad lines: nothing applied */
        { "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"namespace\":"
          "\"default\"},\"spec\":{\"v\":9}}}", BOOTS_WATCH_BAD,
          "default/b=3 lab/a=2 default/c=1", "20" },
        { "{\"type\":\"MODIFIED\"}", BOOTS_WATCH_BAD,
          "default/b=3 lab/a=2 default/c=1", "20" },
        { "{\"type\":\"MODIFIED\",\"object\":[]}", BOOTS_WATCH_BAD,
          "default/b=3 lab/a=2 default/c=1", "20" },
        { "{\"type\":\"MODI", BOOTS_WATCH_BAD,
          "default/b=3 lab/a=2 default/c=1", "20" },
        { "", BOOTS_WATCH_BAD, "default/b=3 lab/a=2 default/c=1", "20" },
    };
    json_t *doc = load_list();
    char    rv[BOOTS_WATCH_RV_MAX];
    char    why[256];
    char    items[512];
    size_t  i;

    (void)state;
    assert_true(boots_watch_list_usable(doc, rv));
    assert_string_equal(rv, "10");
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = boots_watch_apply(doc, cases[i].line, strlen(cases[i].line),
                                   rv, why, sizeof(why));

        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d (%s)", i, rc, cases[i].rc,
                     why);
        items_str(doc, items, sizeof(items));
        if (strcmp(items, cases[i].items) != 0)
            fail_msg("case %zu: items \"%s\", want \"%s\"", i, items,
                     cases[i].items);
        if (strcmp(rv, cases[i].rv) != 0)
            fail_msg("case %zu: rv \"%s\", want \"%s\"", i, rv, cases[i].rv);
        if (rc < 0)
            assert_true(why[0] != '\0');
    }
    json_decref(doc);
}

static void test_error_reason_in_why(void **state)
{
    json_t     *doc = load_list();
    char        rv[BOOTS_WATCH_RV_MAX] = "10";
    char        why[256];
    const char *line = "{\"type\":\"ERROR\",\"object\":{\"code\":410,"
                       "\"reason\":\"Expired\"}}";

    (void)state;
    assert_int_equal(boots_watch_apply(doc, line, strlen(line), rv, why,
                                       sizeof(why)), BOOTS_WATCH_EXPIRED);
    assert_non_null(strstr(why, "410"));
    assert_non_null(strstr(why, "Expired"));
    json_decref(doc);
}

static void test_list_usable(void **state)
{
    static const struct {
        const char *doc;
        bool        usable;
    } cases[] = {
        { LIST, true },
        { "{\"items\":[],\"metadata\":{\"resourceVersion\":\"1\"}}", true },
        { "{\"items\":[]}", false },                       /* no version */
        { "{\"items\":{},\"metadata\":{\"resourceVersion\":\"1\"}}", false },
        { "[{\"metadata\":{\"name\":\"a\"}}]", false },     /* plain array */
        { "{\"items\":[],\"metadata\":{\"resourceVersion\":\"1 2\"}}",
          false },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_error_t jerr;
        json_t      *doc = json_loads(cases[i].doc, 0, &jerr);
        char         rv[BOOTS_WATCH_RV_MAX] = "";

        assert_non_null(doc);
        if (boots_watch_list_usable(doc, rv) != cases[i].usable)
            fail_msg("case %zu: usable should be %d", i, cases[i].usable);
        json_decref(doc);
    }
    assert_false(boots_watch_list_usable(NULL, (char[BOOTS_WATCH_RV_MAX]){0}));
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

static void test_apply_without_items(void **state)
{
    json_t     *doc = json_object();
    char        rv[BOOTS_WATCH_RV_MAX] = "1";
    char        why[64];
    const char *line = "{\"type\":\"ADDED\",\"object\":{\"metadata\":"
                       "{\"name\":\"a\"}}}";

    (void)state;
    assert_int_equal(boots_watch_apply(doc, line, strlen(line), rv, why,
                                       sizeof(why)), BOOTS_WATCH_BAD);
    assert_int_equal(boots_watch_apply(NULL, line, strlen(line), rv, why,
                                       sizeof(why)), BOOTS_WATCH_BAD);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_table),
        cmocka_unit_test(test_error_reason_in_why),
        cmocka_unit_test(test_list_usable),
        cmocka_unit_test(test_rv_is_safe),
        cmocka_unit_test(test_apply_without_items),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
