/*
 * k8s_watch.c - following a Kubernetes list with watch events (one JSON
 * object per line: {"type": "ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|
 * "ERROR", "object": {...}}), as the watch in source.c does.
 *
 * The state is an array of the list's objects, in snapshot order: for
 * each, its namespace and name and the number of entries (interfaces) it
 * has in the last snapshot, so object i's entries are the n_i entries
 * after those of objects 0..i-1.  A hash table (namespace + name -> index)
 * finds an event's object.  The list's JSON is not kept: memory is a few
 * dozen bytes per object on top of the snapshot the holder has anyway.
 *
 * An ADDED / MODIFIED event validates its object alone (the loader's own
 * per-object code) and stages it; DELETED stages a removal.  A commit
 * copies the last snapshot's entries of the unchanged objects and parses
 * the staged ones in their place (new objects at the end: the order a
 * full list would have), then builds the indexes, which checks for
 * duplicate MACs and IPs exactly as a full load does.  The cost is one
 * pass over the entries (no JSON), whatever the size of the list.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "k8s_watch.h"

enum { OBJ_KEPT, OBJ_REPLACED, OBJ_DELETED };

typedef struct wobj {
    char       *ns;          /* NULL: no namespace */
    char       *name;        /* NULL: no name (no event can match it) */
    size_t      n;           /* entries in the last snapshot */
    const char *prefix;      /* interface path, for duplicate errors */
    json_t     *pending;     /* staged new content (OBJ_REPLACED) */
    size_t      new_n;       /* during a commit */
    const char *new_prefix;
    int         state;
} wobj;

struct boots_watch_state {
    boots_hwdb *db;          /* the last good snapshot (a reference) */
    wobj       *objs;
    size_t      count;       /* objects, staged additions included */
    size_t      cap;
    size_t      committed;   /* objs[0..committed) are in db */
    size_t      staged;      /* staged changes */
    uint32_t   *slots;       /* index + 1, 0 = empty; open addressing */
    size_t      mask;
    size_t      used;
    bool        ready;
    /* while loading a list */
    char        rv[BOOTS_WATCH_RV_MAX];
    bool        rv_ok;
};

/* ------------------------------------------------------------------ */
/* Objects and their index                                             */
/* ------------------------------------------------------------------ */

static const char *json_str(json_t *obj, const char *k1, const char *k2)
{
    json_t *v = json_object_get(obj, k1);

    if (k2 != NULL)
        v = json_object_get(v, k2);
    return json_string_value(v);
}

static uint64_t key_hash(const char *ns, const char *name)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);     /* FNV-1a */
    const char *p = NULL;

    h ^= ns != NULL ? 's' : 'n';
    h *= UINT64_C(0x100000001b3);
    for (p = ns; p != NULL && *p != '\0'; p++) {
        h ^= (unsigned char)*p;
        h *= UINT64_C(0x100000001b3);
    }
    h ^= 0xff;                  /* separator: not a byte of UTF-8 text */
    h *= UINT64_C(0x100000001b3);
    for (p = name; *p != '\0'; p++) {
        h ^= (unsigned char)*p;
        h *= UINT64_C(0x100000001b3);
    }
    h ^= h >> 31;
    h *= UINT64_C(0x94d049bb133111eb);
    h ^= h >> 29;
    return h;
}

/* The same object: equal names and equal namespaces (both absent counts
 * as equal). */
static bool same_key(const wobj *o, const char *ns, const char *name)
{
    if (o->name == NULL || name == NULL || strcmp(o->name, name) != 0)
        return false;
    if (o->ns == NULL || ns == NULL)
        return o->ns == ns;
    return strcmp(o->ns, ns) == 0;
}

/*
 * The first object (lowest index) with this key that is not staged for
 * deletion, or SIZE_MAX.  A list may repeat a key (Kubernetes does not):
 * then events go to the first, as they would in the list itself.  Equal
 * keys sit in the table in index order (inserted so, linear probing).
 */
static size_t find(const boots_watch_state *ws, const char *ns,
                   const char *name)
{
    size_t i = 0;

    if (ws->slots == NULL || name == NULL)
        return SIZE_MAX;
    for (i = key_hash(ns, name) & ws->mask; ws->slots[i] != 0;
         i = (i + 1) & ws->mask) {
        const wobj *o = &ws->objs[ws->slots[i] - 1];

        if (o->state != OBJ_DELETED && same_key(o, ns, name))
            return ws->slots[i] - 1;
    }
    return SIZE_MAX;
}

/* Put object idx into the table. */
static void slot_put(boots_watch_state *ws, size_t idx)
{
    const wobj *o = &ws->objs[idx];
    size_t      i = 0;

    if (o->name == NULL)
        return;
    for (i = key_hash(o->ns, o->name) & ws->mask; ws->slots[i] != 0;
         i = (i + 1) & ws->mask)
        ;
    ws->slots[i] = (uint32_t)(idx + 1);
    ws->used++;
}

/* Rebuild the table for objs[0..count) with room to grow.  0 or
 * BOOTS_ENOMEM (then the table is empty). */
static int index_rebuild(boots_watch_state *ws, size_t room)
{
    size_t size = 16;
    size_t i = 0;

    free(ws->slots);
    ws->slots = NULL;
    ws->used = 0;
    while (size < (ws->count + room) * 2)
        size *= 2;
    ws->slots = calloc(size, sizeof(*ws->slots));
    if (ws->slots == NULL)
        return BOOTS_ENOMEM;
    ws->mask = size - 1;
    for (i = 0; i < ws->count; i++)
        slot_put(ws, i);
    return BOOTS_OK;
}

/* Append an object (ns, name copied; may be NULL).  Its index, or
 * SIZE_MAX when out of memory. */
static size_t obj_append(boots_watch_state *ws, const char *ns,
                         const char *name)
{
    wobj *o = NULL;

    if (ws->count >= UINT32_MAX - 1)
        return SIZE_MAX;
    if (ws->count == ws->cap) {
        size_t cap = ws->cap ? ws->cap * 2 : 64;
        wobj  *objs = realloc(ws->objs, cap * sizeof(*objs));

        if (objs == NULL)
            return SIZE_MAX;
        ws->objs = objs;
        ws->cap = cap;
    }
    o = &ws->objs[ws->count];
    memset(o, 0, sizeof(*o));
    o->ns = ns != NULL ? strdup(ns) : NULL;
    o->name = name != NULL ? strdup(name) : NULL;
    if ((ns != NULL && o->ns == NULL) || (name != NULL && o->name == NULL)) {
        free(o->ns);
        free(o->name);
        return SIZE_MAX;
    }
    return ws->count++;
}

static void obj_free(wobj *o)
{
    free(o->ns);
    free(o->name);
    json_decref(o->pending);
    o->ns = o->name = NULL;
    o->pending = NULL;
}

static void state_clear(boots_watch_state *ws)
{
    size_t i = 0;

    for (i = 0; i < ws->count; i++)
        obj_free(&ws->objs[i]);
    free(ws->objs);
    free(ws->slots);
    boots_hwdb_unref(ws->db);
    memset(ws, 0, sizeof(*ws));
}

boots_watch_state *boots_watch_state_new(void)
{
    return calloc(1, sizeof(boots_watch_state));
}

void boots_watch_state_free(boots_watch_state *ws)
{
    if (ws == NULL)
        return;
    state_clear(ws);
    free(ws);
}

bool boots_watch_ready(const boots_watch_state *ws)
{
    return ws != NULL && ws->ready;
}

size_t boots_watch_objects(const boots_watch_state *ws)
{
    return ws != NULL ? ws->committed : 0;
}

bool boots_watch_pending(const boots_watch_state *ws)
{
    return ws != NULL && ws->staged > 0;
}

bool boots_watch_rv_is_safe(const char *rv)
{
    size_t i;

    if (rv == NULL || rv[0] == '\0' || strlen(rv) >= BOOTS_WATCH_RV_MAX)
        return false;
    for (i = 0; rv[i] != '\0'; i++) {
        char c = rv[i];

        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* A full list                                                         */
/* ------------------------------------------------------------------ */

static int on_record(void *ctx, const json_t *rec, size_t n,
                     const char *prefix)
{
    boots_watch_state *ws = ctx;
    json_t            *r = (json_t *)(uintptr_t)rec;   /* only read */
    size_t             idx = 0;

    idx = obj_append(ws, json_str(r, "metadata", "namespace"),
                     json_str(r, "metadata", "name"));
    if (idx == SIZE_MAX)
        return BOOTS_ENOMEM;
    ws->objs[idx].n = n;
    ws->objs[idx].prefix = prefix;
    return BOOTS_OK;
}

static void on_member(void *ctx, const char *key, const json_t *value)
{
    boots_watch_state *ws = ctx;
    const char        *v = NULL;

    if (strcmp(key, "metadata") != 0)
        return;
    v = json_str((json_t *)(uintptr_t)value, "resourceVersion", NULL);
    ws->rv_ok = boots_watch_rv_is_safe(v);
    if (ws->rv_ok)
        snprintf(ws->rv, sizeof(ws->rv), "%s", v);
}

int boots_watch_load_list(boots_watch_state *ws, const char *buf, size_t len,
                          const char *source, boots_hwdb **out, char *rv,
                          boots_error *err)
{
    boots_watch_state  *tmp = NULL;
    boots_hw_load_hooks hooks;
    boots_hwdb         *db = NULL;
    int                 rc = 0;

    *out = NULL;
    if (ws == NULL)
        return boots_error_set(err, BOOTS_EINVAL, NULL, NULL,
                               "%s: no watch state", source);
    tmp = boots_watch_state_new();
    if (tmp == NULL)
        return boots_error_set(err, BOOTS_ENOMEM, NULL, NULL,
                               "%s: out of memory", source);
    memset(&hooks, 0, sizeof(hooks));
    hooks.ctx = tmp;
    hooks.record = on_record;
    hooks.member = on_member;
    rc = boots_hwdb_load_buffer_hooks(buf, len, source, &hooks, &db, err);
    if (rc != 0)
        goto cleanup;
    state_clear(ws);
    rv[0] = '\0';
    if (hooks.items_streamed && tmp->rv_ok) {
        *ws = *tmp;
        memset(tmp, 0, sizeof(*tmp));
        ws->db = boots_hwdb_ref(db);
        ws->committed = ws->count;
        ws->ready = index_rebuild(ws, 0) == BOOTS_OK;
        if (ws->ready)
            snprintf(rv, BOOTS_WATCH_RV_MAX, "%s", ws->rv);
        else
            state_clear(ws);
    }
    *out = db;
cleanup:
    boots_watch_state_free(tmp);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/* Validate obj alone: the loader's checks plus duplicates inside it.
 * pos labels an object without a usable name, as in a list. */
static int validate(json_t *obj, const char *source, const char *pos,
                    boots_error *err)
{
    boots_hwdb_builder *b = boots_hwdb_builder_new();
    boots_hwdb         *db = NULL;
    int                 rc = 0;

    if (b == NULL)
        return boots_error_set(err, BOOTS_ENOMEM, NULL, NULL,
                               "%s: out of memory", source);
    rc = boots_hw_parse_object(obj, source, pos, b, NULL, err);
    if (rc != 0) {
        boots_hwdb_builder_free(b);
        return rc;
    }
    rc = boots_hwdb_builder_finish(b, source, &db, err);
    boots_hwdb_unref(db);
    return rc;
}

int boots_watch_apply(boots_watch_state *ws, const char *line, size_t len,
                      const char *source, char *rv, char *why,
                      size_t why_size, boots_error *err)
{
    json_error_t jerr;
    json_t      *ev = NULL;
    json_t      *obj = NULL;
    const char  *type = NULL;
    const char  *orv = NULL;
    const char  *ns = NULL;
    const char  *name = NULL;
    size_t       idx = SIZE_MAX;
    char         pos[32];
    int          rc = BOOTS_WATCH_UNCHANGED;

    if (why_size > 0)
        why[0] = '\0';
    if (source == NULL)
        source = "<watch>";
    if (!boots_watch_ready(ws)) {
        snprintf(why, why_size, "no list to apply events to");
        return BOOTS_WATCH_BAD;
    }
    ev = json_loadb(line, len, 0, &jerr);
    if (ev == NULL) {
        snprintf(why, why_size, "malformed event: %s", jerr.text);
        rc = BOOTS_WATCH_BAD;
        goto out;
    }
    type = json_str(ev, "type", NULL);
    obj = json_object_get(ev, "object");
    if (type == NULL || !json_is_object(obj)) {
        snprintf(why, why_size, "malformed event: no type or object");
        rc = BOOTS_WATCH_BAD;
        goto out;
    }
    if (strcmp(type, "ERROR") == 0) {
        const char *reason = json_str(obj, "reason", NULL);

        snprintf(why, why_size, "watch ended by the server (%lld %.64s)",
                 (long long)json_integer_value(json_object_get(obj, "code")),
                 reason ? reason : "");
        rc = BOOTS_WATCH_EXPIRED;
        goto out;
    }
    orv = json_str(obj, "metadata", "resourceVersion");
    if (strcmp(type, "BOOKMARK") == 0)
        goto rv;
    if (strcmp(type, "ADDED") != 0 && strcmp(type, "MODIFIED") != 0 &&
        strcmp(type, "DELETED") != 0)
        goto out;               /* unknown types are ignored */
    ns = json_str(obj, "metadata", "namespace");
    name = json_str(obj, "metadata", "name");
    if (name == NULL) {
        snprintf(why, why_size, "%.16s event without metadata.name", type);
        rc = BOOTS_WATCH_BAD;
        goto out;
    }
    idx = find(ws, ns, name);
    if (strcmp(type, "DELETED") == 0) {
        if (idx != SIZE_MAX && ws->objs[idx].state != OBJ_DELETED) {
            json_decref(ws->objs[idx].pending);
            ws->objs[idx].pending = NULL;
            ws->objs[idx].state = OBJ_DELETED;
            ws->staged++;
            rc = BOOTS_WATCH_CHANGED;
        }
        goto rv;
    }
    snprintf(pos, sizeof(pos), "items[%zu]",
             idx != SIZE_MAX ? idx : ws->count);
    if (validate(obj, source, pos, err) != 0) {
        rc = BOOTS_WATCH_REJECTED;
        goto rv;
    }
    if (idx == SIZE_MAX) {
        if ((ws->used + 1) * 2 > ws->mask + 1 &&
            index_rebuild(ws, ws->count + 1) != BOOTS_OK) {
            ws->ready = false;
            snprintf(why, why_size, "out of memory");
            rc = BOOTS_WATCH_BAD;
            goto out;
        }
        idx = obj_append(ws, ns, name);
        if (idx == SIZE_MAX) {
            snprintf(why, why_size, "out of memory");
            rc = BOOTS_WATCH_BAD;
            goto out;
        }
        slot_put(ws, idx);
    }
    json_decref(ws->objs[idx].pending);
    ws->objs[idx].pending = json_incref(obj);
    ws->objs[idx].state = OBJ_REPLACED;
    ws->staged++;
    rc = BOOTS_WATCH_CHANGED;
rv:
    if (boots_watch_rv_is_safe(orv))
        snprintf(rv, BOOTS_WATCH_RV_MAX, "%s", orv);
out:
    json_decref(ev);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Commit                                                              */
/* ------------------------------------------------------------------ */

/* Forget what is staged: the state is the last good snapshot again. */
static void drop_staged(boots_watch_state *ws)
{
    size_t i = 0;

    for (i = ws->committed; i < ws->count; i++)
        obj_free(&ws->objs[i]);
    ws->count = ws->committed;
    for (i = 0; i < ws->count; i++) {
        json_decref(ws->objs[i].pending);
        ws->objs[i].pending = NULL;
        ws->objs[i].state = OBJ_KEPT;
    }
    ws->staged = 0;
    if (index_rebuild(ws, 0) != BOOTS_OK)
        ws->ready = false;      /* a full list follows */
}

int boots_watch_commit(boots_watch_state *ws, const char *source,
                       boots_hwdb **out, boots_error *err)
{
    boots_hwdb_builder *b = NULL;
    boots_hwdb         *db = NULL;
    size_t              off = 0;
    size_t              kept = 0;    /* position in the new list */
    char                pos[32];
    size_t              i = 0;
    size_t              j = 0;
    int                 rc = 0;

    *out = NULL;
    if (source == NULL)
        source = "<watch>";
    if (!boots_watch_ready(ws) || ws->staged == 0)
        return BOOTS_OK;
    b = boots_hwdb_builder_new();
    if (b == NULL) {
        rc = boots_error_set(err, BOOTS_ENOMEM, NULL, NULL,
                             "%s: out of memory", source);
        goto fail;
    }
    for (i = 0; i < ws->count; i++) {
        wobj  *o = &ws->objs[i];
        size_t oldn = i < ws->committed ? o->n : 0;
        size_t before = 0;

        if (o->state == OBJ_KEPT) {
            for (j = 0; j < oldn && rc == 0; j++)
                rc = boots_hwdb_builder_copy(b,
                                             boots_hwdb_at(ws->db, off + j),
                                             o->prefix);
            if (rc != 0) {
                rc = boots_error_set(err, rc, NULL, NULL, "%s: %s", source,
                                     boots_strerror(rc));
                goto fail;
            }
            boots_hwdb_builder_record(b);
            kept++;
        } else if (o->state == OBJ_REPLACED) {
            before = boots_hwdb_builder_count(b);
            snprintf(pos, sizeof(pos), "items[%zu]", kept++);
            rc = boots_hw_parse_object(o->pending, source, pos, b,
                                       &o->new_prefix, err);
            if (rc != 0)
                goto fail;
            o->new_n = boots_hwdb_builder_count(b) - before;
        }
        off += oldn;
    }
    rc = boots_hwdb_builder_finish(b, source, &db, err);
    b = NULL;
    if (rc != 0)
        goto fail;

    /* the new snapshot is good: it becomes the state */
    for (i = 0, j = 0; i < ws->count; i++) {
        wobj *o = &ws->objs[i];

        if (o->state == OBJ_DELETED) {
            obj_free(o);
            continue;
        }
        if (o->state == OBJ_REPLACED) {
            o->n = o->new_n;
            o->prefix = o->new_prefix;
            json_decref(o->pending);
            o->pending = NULL;
            o->state = OBJ_KEPT;
        }
        ws->objs[j++] = *o;
    }
    ws->count = ws->committed = j;
    ws->staged = 0;
    boots_hwdb_unref(ws->db);
    ws->db = boots_hwdb_ref(db);
    if (index_rebuild(ws, 0) != BOOTS_OK)
        ws->ready = false;      /* publish anyway; a full list follows */
    *out = db;
    return BOOTS_OK;
fail:
    boots_hwdb_builder_free(b);
    drop_staged(ws);
    return rc;
}
