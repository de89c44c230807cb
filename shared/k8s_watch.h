/*
 * k8s_watch.h - applying Kubernetes watch events to a copy of a list.
 * Internal to the core (used by shared/source.c, tested by
 * tests/unit/test_k8s_watch.c); not part of the public API.
 */
#ifndef BOOTS_K8S_WATCH_H
#define BOOTS_K8S_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BOOTS_WATCH_RV_MAX 128

/* What one event did to the copy. */
#define BOOTS_WATCH_UNCHANGED  0   /* BOOKMARK, unknown type, no-op DELETE */
#define BOOTS_WATCH_CHANGED    1   /* ADDED / MODIFIED / DELETED applied */
#define BOOTS_WATCH_EXPIRED   -1   /* ERROR event (e.g. 410): list again */
#define BOOTS_WATCH_BAD       -2   /* not a usable event: list again */

/* True when rv can go into a watch URL: 1..127 of [A-Za-z0-9._-]. */
bool boots_watch_rv_is_safe(const char *rv);

/*
 * If doc (borrowed) is a Kubernetes list that can be watched (an object
 * with an "items" array and a safe metadata.resourceVersion), copy its
 * resourceVersion into rv (BOOTS_WATCH_RV_MAX bytes) and return true.
 */
bool boots_watch_list_usable(json_t *doc, char *rv);

/*
 * Apply one event line ({"type": ..., "object": {...}}) of len bytes to
 * doc's "items", matching objects by metadata.namespace + metadata.name.
 * On success rv takes the object's resourceVersion when it is safe.
 * Returns a BOOTS_WATCH_* value; for EXPIRED and BAD, why (why_size
 * bytes) says what happened (no object content is quoted).
 */
int boots_watch_apply(json_t *doc, const char *line, size_t len, char *rv,
                      char *why, size_t why_size);

#ifdef __cplusplus
}
#endif

#endif /* BOOTS_K8S_WATCH_H */
