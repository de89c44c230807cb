/*
 * fuzz_watch.c - libFuzzer target for the Kubernetes watch event parser:
 * boots_watch_apply() fed arbitrary event lines against a small valid
 * list (and boots_watch_list_usable() on an arbitrary list document).
 *
 * Input layout: one byte of flags (1: the first line is the list document
 * instead of the built-in list), one byte giving the size of the "why"
 * buffer, then lines separated by '\n'.  Each line is handed over in a
 * heap block of exactly its length (no NUL), so a read past it is caught.
 *
 * Invariants (what the source relies on to keep serving good data):
 *  - the result is one of the four BOOTS_WATCH_* values;
 *  - UNCHANGED, EXPIRED and BAD leave the list exactly as it was; CHANGED
 *    adds, replaces or removes exactly one item;
 *  - the list stays a list of objects, each with a metadata.name, no two
 *    with the same namespace and name;
 *  - rv stays NUL-terminated and is only ever replaced by a safe value;
 *  - why is NUL-terminated within its size, and says something for
 *    EXPIRED and BAD.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_watch.h"
#include "fuzz_input.h"

#define MAX_LINES 64

static const char LIST[] =
    "{\"apiVersion\":\"tinkerbell.org/v1alpha1\",\"kind\":\"HardwareList\","
    "\"metadata\":{\"resourceVersion\":\"100\"},\"items\":["
    "{\"metadata\":{\"name\":\"sm01\",\"namespace\":\"default\","
    "\"resourceVersion\":\"90\"},\"spec\":{\"interfaces\":[{\"dhcp\":"
    "{\"mac\":\"52:54:00:00:00:01\",\"ip\":{\"address\":\"10.99.0.11\"}}}]}},"
    "{\"metadata\":{\"name\":\"sm02\",\"namespace\":\"default\"},"
    "\"spec\":{}},"
    "{\"metadata\":{\"name\":\"sm01\",\"namespace\":\"lab\"},\"spec\":{}}"
    "]}";

static const char *meta(json_t *item, const char *key)
{
    return json_string_value(json_object_get(json_object_get(item,
                                                             "metadata"),
                                             key));
}

/* Items are objects with a metadata.name, unique by namespace + name. */
static bool items_well_formed(json_t *doc)
{
    json_t *items = json_object_get(doc, "items");
    size_t i = 0;
    size_t j = 0;

    if (!json_is_array(items))
        return false;
    for (i = 0; i < json_array_size(items); i++) {
        json_t *a = json_array_get(items, i);
        const char *na = meta(a, "name");
        const char *sa = meta(a, "namespace");

        if (!json_is_object(a) || na == NULL)
            return false;
        for (j = i + 1; j < json_array_size(items); j++) {
            json_t *b = json_array_get(items, j);
            const char *nb = meta(b, "name");
            const char *sb = meta(b, "namespace");

            if (nb != NULL && strcmp(na, nb) == 0
                && ((sa == NULL && sb == NULL)
                    || (sa != NULL && sb != NULL && strcmp(sa, sb) == 0)))
                return false;
        }
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    json_t *doc = NULL;
    json_error_t jerr;
    char rv[BOOTS_WATCH_RV_MAX];
    uint8_t flags = 0;
    size_t why_size = 0;
    char *why = NULL;
    size_t lines = 0;
    bool strict = false;

    fuzz_input_init(&in, data, size);
    flags = fuzz_u8(&in);
    why_size = fuzz_u8(&in);
    why = fuzz_keep(&in, why_size);
    memset(rv, 0, sizeof(rv));
    memcpy(rv, "100", 4);

    if (flags & 1) {
        /* The first line is the list the watch would start from. */
        const uint8_t *start = in.data + in.pos;
        const uint8_t *nl = memchr(start, '\n', fuzz_left(&in));
        size_t n = nl != NULL ? (size_t)(nl - start) : fuzz_left(&in);
        size_t len = 0;
        uint8_t *line = fuzz_bytes(&in, n, &len);
        char lrv[BOOTS_WATCH_RV_MAX];

        in.pos += nl != NULL ? 1 : 0;
        doc = json_loadb((const char *)line, len, 0, &jerr);
        memset(lrv, 0x5a, sizeof(lrv));
        if (boots_watch_list_usable(doc, lrv)) {
            fuzz_check(memchr(lrv, '\0', sizeof(lrv)) != NULL);
            fuzz_check(boots_watch_rv_is_safe(lrv));
            memcpy(rv, lrv, sizeof(rv));
        }
        /* A list is only watched if it can be: else use the fixed one. */
        if (!json_is_array(json_object_get(doc, "items"))) {
            json_decref(doc);
            doc = NULL;
        }
    }
    if (doc == NULL)
        doc = json_loads(LIST, 0, &jerr);
    fuzz_check(doc != NULL);
    /* Events keep a well-formed list well formed (a fuzzed list may not
     * be one to begin with). */
    strict = items_well_formed(doc);

    while (fuzz_left(&in) > 0 && lines++ < MAX_LINES) {
        const uint8_t *start = in.data + in.pos;
        const uint8_t *nl = memchr(start, '\n', fuzz_left(&in));
        size_t n = nl != NULL ? (size_t)(nl - start) : fuzz_left(&in);
        size_t len = 0;
        uint8_t *line = fuzz_bytes(&in, n, &len);
        json_t *before = json_deep_copy(doc);
        size_t count = json_array_size(json_object_get(doc, "items"));
        size_t after = 0;
        char old_rv[BOOTS_WATCH_RV_MAX];
        int rc = 0;

        in.pos += nl != NULL ? 1 : 0;
        fuzz_check(before != NULL);
        memcpy(old_rv, rv, sizeof(rv));
        if (why_size > 0)
            memset(why, 0x5a, why_size);
        rc = boots_watch_apply(doc, (const char *)line, len, rv, why,
                               why_size);
        after = json_array_size(json_object_get(doc, "items"));

        fuzz_check(rc == BOOTS_WATCH_UNCHANGED || rc == BOOTS_WATCH_CHANGED
                   || rc == BOOTS_WATCH_EXPIRED || rc == BOOTS_WATCH_BAD);
        if (why_size > 0) {
            fuzz_check(memchr(why, '\0', why_size) != NULL);
            if (why_size > 1 && (rc == BOOTS_WATCH_EXPIRED
                                 || rc == BOOTS_WATCH_BAD))
                fuzz_check(why[0] != '\0');
        }
        fuzz_check(memchr(rv, '\0', sizeof(rv)) != NULL);
        fuzz_check(strcmp(rv, old_rv) == 0 || boots_watch_rv_is_safe(rv));
        if (rc == BOOTS_WATCH_CHANGED)
            fuzz_check(after == count || after == count + 1
                       || after + 1 == count);
        else
            fuzz_check(json_equal(before, doc));
        if (rc == BOOTS_WATCH_EXPIRED || rc == BOOTS_WATCH_BAD)
            fuzz_check(strcmp(rv, old_rv) == 0);
        fuzz_check(json_is_array(json_object_get(doc, "items")));
        fuzz_check(!strict || items_well_formed(doc));
        json_decref(before);
    }

    json_decref(doc);
    fuzz_input_free(&in);
    return 0;
}
