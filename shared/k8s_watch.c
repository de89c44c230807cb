/*
 * k8s_watch.c - applying Kubernetes watch events (one JSON object per
 * line: {"type": "ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|"ERROR",
 * "object": {...}}) to a copy of a list, as the watch in source.c does.
 */
#include <stdio.h>
#include <string.h>

#include "k8s_watch.h"

static const char *json_str(json_t *obj, const char *k1, const char *k2)
{
    json_t *v = json_object_get(obj, k1);

    if (k2 != NULL)
        v = json_object_get(v, k2);
    return json_string_value(v);
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

bool boots_watch_list_usable(json_t *doc, char *rv)
{
    const char *v = json_str(json_object_get(doc, "metadata"),
                             "resourceVersion", NULL);

    if (!json_is_object(doc) || !json_is_array(json_object_get(doc, "items"))
        || !boots_watch_rv_is_safe(v))
        return false;
    snprintf(rv, BOOTS_WATCH_RV_MAX, "%s", v);
    return true;
}

static bool same_object(json_t *a, json_t *b)
{
    const char *na = json_str(a, "metadata", "name");
    const char *nb = json_str(b, "metadata", "name");
    const char *sa = json_str(a, "metadata", "namespace");
    const char *sb = json_str(b, "metadata", "namespace");

    if (na == NULL || nb == NULL || strcmp(na, nb) != 0)
        return false;
    if (sa == NULL || sb == NULL)
        return sa == sb;
    return strcmp(sa, sb) == 0;
}

int boots_watch_apply(json_t *doc, const char *line, size_t len, char *rv,
                      char *why, size_t why_size)
{
    json_error_t jerr;
    json_t      *ev = NULL;
    json_t      *obj = NULL;
    json_t      *items = NULL;
    const char  *type = NULL;
    const char  *orv = NULL;
    size_t       i;
    int          rc = BOOTS_WATCH_UNCHANGED;

    if (why_size > 0)
        why[0] = '\0';
    items = json_object_get(doc, "items");
    if (!json_is_array(items)) {
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
    if (json_str(obj, "metadata", "name") == NULL) {
        snprintf(why, why_size, "%.16s event without metadata.name", type);
        rc = BOOTS_WATCH_BAD;
        goto out;
    }
    for (i = 0; i < json_array_size(items); i++) {
        if (same_object(json_array_get(items, i), obj))
            break;
    }
    if (strcmp(type, "DELETED") == 0) {
        if (i < json_array_size(items)) {
            json_array_remove(items, i);
            rc = BOOTS_WATCH_CHANGED;
        }
    } else {
        if (i < json_array_size(items))
            json_array_set(items, i, obj);
        else
            json_array_append(items, obj);
        rc = BOOTS_WATCH_CHANGED;
    }
rv:
    if (boots_watch_rv_is_safe(orv))
        snprintf(rv, BOOTS_WATCH_RV_MAX, "%s", orv);
out:
    json_decref(ev);
    return rc;
}
