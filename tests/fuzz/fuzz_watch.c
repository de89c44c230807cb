/*
 * fuzz_watch.c - libFuzzer target for the Kubernetes watch event parser
 * (shared/k8s_watch.h), fed arbitrary event lines against a small valid
 * list, or against a list that is itself the first fuzzed line.
 *
 * The watch follows a list object by object (boots_watch_load_list,
 * boots_watch_apply, boots_watch_commit); the target commits after every
 * n events or at the end, and keeps its own model of the list to compare
 * each committed snapshot with.
 *
 * Input layout: one byte of flags (1: the first line is the list document
 * instead of the built-in list; bits 1-3: commit after every n events,
 * 0 = once at the end), one byte giving the size of the "why" buffer,
 * then event lines separated by '\n' (at most 64).  Each line is handed
 * over in a heap block of exactly its length (no NUL), so a read past it
 * is caught.
 *
 * Invariants (what the source relies on to keep serving good data):
 *  - the result is one of the BOOTS_WATCH_* values; why is NUL-terminated
 *    within its size and says something for EXPIRED and BAD; a REJECTED
 *    event comes with a filled error;
 *  - rv stays NUL-terminated, only ever replaced by a safe value, and not
 *    by an EXPIRED or BAD event;
 *  - only an accepted (CHANGED) event stages anything;
 *  - a commit yields the same entries as loading the list with every
 *    accepted event applied (the model), and fails exactly when that load
 *    fails, keeping the last good snapshot.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boots.h"
#include "k8s_watch.h"
#include "fuzz_input.h"

#define MAX_LINES 64

static const char LIST[] =
    "{\"apiVersion\":\"tinkerbell.org/v1alpha1\",\"kind\":\"HardwareList\","
    "\"metadata\":{\"resourceVersion\":\"100\"},\"items\":["
    "{\"metadata\":{\"name\":\"sm01\",\"namespace\":\"default\","
    "\"resourceVersion\":\"90\"},\"spec\":{\"interfaces\":[{\"dhcp\":"
    "{\"mac\":\"52:54:00:00:00:01\",\"ip\":{\"address\":\"10.99.0.11\","
    "\"netmask\":\"255.255.255.0\"}}}]}},"
    "{\"metadata\":{\"name\":\"sm02\",\"namespace\":\"default\"},"
    "\"spec\":{\"interfaces\":[{\"dhcp\":{\"mac\":\"52:54:00:00:00:02\"}}]}},"
    "{\"metadata\":{\"name\":\"sm01\",\"namespace\":\"lab\"},"
    "\"spec\":{\"interfaces\":[{\"dhcp\":{\"mac\":\"52:54:00:00:00:03\"}}]}}"
    "]}";

static const char *meta(json_t *item, const char *key)
{
    return json_string_value(json_object_get(json_object_get(item,
                                                             "metadata"),
                                             key));
}



/*
 * A model of what the watch must serve: the list's items with every
 * accepted event applied (replace by namespace + name, or append; delete
 * removes).  After a commit, loading the model as a plain list must give
 * the same entries as the snapshot the commit built, and must fail when
 * the commit failed.
 */
typedef struct {
    json_t *committed;          /* items of the last good snapshot */
    json_t *staged;             /* committed + accepted events */
} model;

static bool same_key(json_t *a, json_t *b)
{
    const char *na = meta(a, "name");
    const char *nb = meta(b, "name");
    const char *sa = meta(a, "namespace");
    const char *sb = meta(b, "namespace");

    if (na == NULL || nb == NULL || strcmp(na, nb) != 0)
        return false;
    if (sa == NULL || sb == NULL)
        return sa == sb;
    return strcmp(sa, sb) == 0;
}

static void model_apply(model *m, const char *type, json_t *obj)
{
    size_t i = 0;

    for (i = 0; i < json_array_size(m->staged); i++)
        if (same_key(json_array_get(m->staged, i), obj))
            break;
    if (strcmp(type, "DELETED") == 0) {
        fuzz_check(i < json_array_size(m->staged));
        json_array_remove(m->staged, i);
    } else if (i < json_array_size(m->staged)) {
        json_array_set(m->staged, i, obj);
    } else {
        json_array_append(m->staged, obj);
    }
}

/* Load items as a Kubernetes list (the model's view of the snapshot). */
static int model_load(json_t *items, boots_hwdb **db)
{
    json_t *list = json_pack("{s:s, s:O}", "kind", "HardwareList", "items",
                             items);
    char *text = NULL;
    boots_error err;
    int rc = 0;

    fuzz_check(list != NULL);
    text = json_dumps(list, JSON_COMPACT);
    fuzz_check(text != NULL);
    rc = boots_hwdb_load_buffer(text, strlen(text), "model", db, &err);
    free(text);
    json_decref(list);
    return rc;
}

/* An id the loader made from the position ("items[3]") for an object
 * without metadata.name (only a list can hold one; Kubernetes never
 * sends one).  Positions move when earlier items go, so such ids are not
 * compared. */
static bool positional_id(const char *id)
{
    const char *p = strncmp(id, "items[", 6) == 0 ? id + 6 : NULL;

    if (p == NULL || *p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    return strcmp(p, "]") == 0;
}

/* Same entries, whatever the order (a re-added object keeps its place in
 * the watch, moves to the end in the model). */
static void same_entries(const boots_hwdb *a, const boots_hwdb *b)
{
    size_t i = 0;

    fuzz_check(boots_hwdb_count(a) == boots_hwdb_count(b));
    fuzz_check(boots_hwdb_records(a) == boots_hwdb_records(b));
    for (i = 0; i < boots_hwdb_count(a); i++) {
        const boots_hw *x = boots_hwdb_at(a, i);
        const boots_hw *y = boots_hwdb_by_mac(b, x->mac);

        fuzz_check(y != NULL);
        fuzz_check(positional_id(x->id) == positional_id(y->id));
        fuzz_check(positional_id(x->id) || strcmp(x->id, y->id) == 0);
        fuzz_check(x->ip == y->ip && x->netmask == y->netmask
                   && x->gateway == y->gateway);
        fuzz_check(x->allow_pxe == y->allow_pxe
                   && x->allow_workflow == y->allow_workflow);
        fuzz_check(x->vlan_id == y->vlan_id);
        fuzz_check((x->hostname == NULL) == (y->hostname == NULL));
        fuzz_check(x->hostname == NULL
                   || strcmp(x->hostname, y->hostname) == 0);
        fuzz_check(strcmp(x->arch, y->arch) == 0);
    }
}

/* The snapshot keeps the loader's promises (see fuzz_hardware_json.c). */
static void check_snapshot(const boots_hwdb *db)
{
    size_t i = 0;

    for (i = 0; i < boots_hwdb_count(db); i++) {
        const boots_hw *hw = boots_hwdb_at(db, i);

        fuzz_check(boots_hwdb_by_mac(db, hw->mac) == hw);
        fuzz_check(hw->ip == 0 || boots_hwdb_by_ip(db, hw->ip) == hw);
        fuzz_check(hw->id != NULL && hw->arch != NULL);
    }
}

static void check_error(int rc, const boots_error *err)
{
    fuzz_check(rc < 0 && err->code == rc);
    fuzz_check(memchr(err->message, '\0', sizeof(err->message)) != NULL);
    fuzz_check(err->message[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    boots_watch_state *ws = NULL;
    boots_hwdb *db = NULL;
    boots_hwdb *cur = NULL;
    boots_error err;
    model m = { NULL, NULL };
    char rv[BOOTS_WATCH_RV_MAX];
    uint8_t flags = 0;
    uint8_t every = 0;
    size_t why_size = 0;
    char *why = NULL;
    size_t lines = 0;
    bool fuzzed_list = false;
    int rc = 0;

    fuzz_input_init(&in, data, size);
    flags = fuzz_u8(&in);
    why_size = fuzz_u8(&in);
    why = fuzz_keep(&in, why_size);
    every = (uint8_t)((flags >> 1) & 7);   /* commit every n events; 0: end */
    ws = boots_watch_state_new();
    fuzz_check(ws != NULL);
    fuzz_check(!boots_watch_ready(ws) && !boots_watch_pending(ws));
    memset(rv, 0x5a, sizeof(rv));

    if (flags & 1) {
        /* The first line is the list the watch starts from. */
        const uint8_t *start = in.data + in.pos;
        const uint8_t *nl = memchr(start, '\n', fuzz_left(&in));
        size_t n = nl != NULL ? (size_t)(nl - start) : fuzz_left(&in);
        size_t len = 0;
        uint8_t *line = fuzz_bytes(&in, n, &len);

        in.pos += nl != NULL ? 1 : 0;
        rc = boots_watch_load_list(ws, (const char *)line, len, "list", &db,
                                   rv, &err);
        if (rc != 0) {
            check_error(rc, &err);
            fuzz_check(db == NULL && !boots_watch_ready(ws));
        } else {
            fuzz_check(db != NULL);
            fuzz_check(memchr(rv, '\0', sizeof(rv)) != NULL);
            fuzz_check(boots_watch_ready(ws) == (rv[0] != '\0'));
            fuzz_check(rv[0] == '\0' || boots_watch_rv_is_safe(rv));
            fuzz_check(!boots_watch_pending(ws));
            check_snapshot(db);
            fuzzed_list = boots_watch_ready(ws);
            if (fuzzed_list) {
                json_error_t jerr;
                json_t *doc = json_loadb((const char *)line, len, 0, &jerr);

                fuzz_check(doc != NULL);
                m.committed = json_deep_copy(json_object_get(doc, "items"));
                json_decref(doc);
                fuzz_check(json_is_array(m.committed));
                cur = db;
            } else {
                boots_hwdb_unref(db);
            }
            db = NULL;
        }
    }
    if (!fuzzed_list) {
        json_error_t jerr;
        json_t *doc = json_loads(LIST, 0, &jerr);

        fuzz_check(doc != NULL);
        fuzz_check(boots_watch_load_list(ws, LIST, strlen(LIST), "list",
                                         &cur, rv, &err) == 0);
        fuzz_check(cur != NULL && boots_watch_ready(ws));
        fuzz_check(strcmp(rv, "100") == 0);
        m.committed = json_deep_copy(json_object_get(doc, "items"));
        json_decref(doc);
    }
    m.staged = json_deep_copy(m.committed);
    fuzz_check(m.staged != NULL);
    fuzz_check(boots_watch_objects(ws) == json_array_size(m.committed));

    while (lines < MAX_LINES) {
        const uint8_t *start = in.data + in.pos;
        const uint8_t *nl = NULL;
        size_t n = 0;
        size_t len = 0;
        uint8_t *line = NULL;
        char old_rv[BOOTS_WATCH_RV_MAX];
        bool was_pending = boots_watch_pending(ws);
        bool last = fuzz_left(&in) == 0;

        if (!last) {
            nl = memchr(start, '\n', fuzz_left(&in));
            n = nl != NULL ? (size_t)(nl - start) : fuzz_left(&in);
            line = fuzz_bytes(&in, n, &len);
            in.pos += nl != NULL ? 1 : 0;
            lines++;
            memcpy(old_rv, rv, sizeof(rv));
            if (why_size > 0)
                memset(why, 0x5a, why_size);
            memset(&err, 0, sizeof(err));
            rc = boots_watch_apply(ws, (const char *)line, len, "watch", rv,
                                   why, why_size, &err);
#ifdef FUZZ_VERBOSE
            fprintf(stderr, "apply %d why \"%s\" err \"%s\"\n", rc,
                    why_size > 0 ? why : "", err.message);
#endif
            fuzz_check(rc == BOOTS_WATCH_UNCHANGED
                       || rc == BOOTS_WATCH_CHANGED
                       || rc == BOOTS_WATCH_EXPIRED
                       || rc == BOOTS_WATCH_BAD
                       || rc == BOOTS_WATCH_REJECTED);
            if (why_size > 0) {
                fuzz_check(memchr(why, '\0', why_size) != NULL);
                if (why_size > 1 && (rc == BOOTS_WATCH_EXPIRED
                                     || rc == BOOTS_WATCH_BAD))
                    fuzz_check(why[0] != '\0');
            }
            fuzz_check(memchr(rv, '\0', sizeof(rv)) != NULL);
            fuzz_check(strcmp(rv, old_rv) == 0
                       || boots_watch_rv_is_safe(rv));
            if (rc == BOOTS_WATCH_EXPIRED || rc == BOOTS_WATCH_BAD)
                fuzz_check(strcmp(rv, old_rv) == 0);
            if (rc == BOOTS_WATCH_REJECTED)
                check_error(err.code, &err);
            /* Only an accepted change is staged. */
            if (rc == BOOTS_WATCH_CHANGED) {
                json_error_t jerr;
                json_t *ev = json_loadb((const char *)line, len, 0, &jerr);

                fuzz_check(ev != NULL && boots_watch_pending(ws));
                model_apply(&m, json_string_value(json_object_get(ev,
                                                                  "type")),
                            json_object_get(ev, "object"));
                json_decref(ev);
            } else {
                fuzz_check(boots_watch_pending(ws) == was_pending);
            }
        }
        if (last || (every != 0 && lines % every == 0)) {
            boots_hwdb *want = NULL;
            int mrc = 0;

            was_pending = boots_watch_pending(ws);
            memset(&err, 0, sizeof(err));
            rc = boots_watch_commit(ws, "watch", &db, &err);
#ifdef FUZZ_VERBOSE
            fprintf(stderr, "commit %d (pending %d) %s\n", rc,
                    (int)was_pending, err.message);
#endif
            fuzz_check(!boots_watch_pending(ws));
            if (!was_pending) {
                fuzz_check(rc == 0 && db == NULL);
            } else {
                mrc = model_load(m.staged, &want);
                if (rc == 0) {
                    /* Good data: the new snapshot is the model's list. */
                    fuzz_check(db != NULL && mrc == 0);
                    check_snapshot(db);
                    same_entries(db, want);
                    boots_hwdb_unref(cur);
                    cur = db;
                    json_decref(m.committed);
                    m.committed = json_deep_copy(m.staged);
                } else {
                    /* Bad data replaces nothing: the last good snapshot
                     * stays, and a full load would refuse it too. */
                    check_error(rc, &err);
                    fuzz_check(db == NULL && mrc != 0);
                    json_decref(m.staged);
                    m.staged = json_deep_copy(m.committed);
                }
                boots_hwdb_unref(want);
                db = NULL;
                if (boots_watch_ready(ws))
                    fuzz_check(boots_watch_objects(ws)
                               == json_array_size(m.committed));
            }
            if (last)
                break;
        }
    }
    boots_hwdb_unref(cur);
    json_decref(m.committed);
    json_decref(m.staged);
    boots_watch_state_free(ws);
    fuzz_input_free(&in);
    return 0;
}
