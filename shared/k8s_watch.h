/*
 * k8s_watch.h - following a Kubernetes list with watch events, object by
 * object.  Internal to the core (used by shared/source.c, tested by
 * tests/unit/test_k8s_watch.c); not part of the public API.
 *
 * The state keeps, for every object of the list (namespace + name), how
 * many entries it has in the last snapshot and where; not the list
 * itself.  An event parses and validates only its own object; a commit
 * builds the next snapshot from the previous one's entries plus the
 * changed objects.
 */
#ifndef BOOTS_K8S_WATCH_H
#define BOOTS_K8S_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "boots.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BOOTS_WATCH_RV_MAX 128

/* What one event did. */
#define BOOTS_WATCH_UNCHANGED  0   /* BOOKMARK, unknown type, no-op DELETE */
#define BOOTS_WATCH_CHANGED    1   /* ADDED / MODIFIED / DELETED staged */
#define BOOTS_WATCH_EXPIRED   -1   /* ERROR event (e.g. 410): list again */
#define BOOTS_WATCH_BAD       -2   /* not a usable event: list again */
#define BOOTS_WATCH_REJECTED  -3   /* the object is invalid: not staged */

typedef struct boots_watch_state boots_watch_state;

/* New empty state (not ready), or NULL when out of memory. */
boots_watch_state *boots_watch_state_new(void);

/* Free the state and its reference to the last snapshot (NULL ignored). */
void boots_watch_state_free(boots_watch_state *ws);

/* True when rv can go into a watch URL: 1..127 of [A-Za-z0-9._-]. */
bool boots_watch_rv_is_safe(const char *rv);

/*
 * Load a full list (like boots_hwdb_load_buffer, source names it in
 * errors).  On success *out is the new snapshot (the caller's reference)
 * and, when the document is a Kubernetes list that can be watched (an
 * object with an "items" array and a safe metadata.resourceVersion), the
 * state follows it from now on and rv (BOOTS_WATCH_RV_MAX bytes) gets the
 * list's resourceVersion; otherwise the state is emptied (not ready) and
 * rv is "".  On failure nothing changes and *err says why.
 */
int boots_watch_load_list(boots_watch_state *ws, const char *buf, size_t len,
                          const char *source, boots_hwdb **out, char *rv,
                          boots_error *err);

/* True when the state follows a list (events can be applied). */
bool boots_watch_ready(const boots_watch_state *ws);

/* Objects (records) the state follows, committed ones only. */
size_t boots_watch_objects(const boots_watch_state *ws);

/*
 * Apply one event line ({"type": ..., "object": {...}}) of len bytes,
 * matching objects by metadata.namespace + metadata.name.  ADDED and
 * MODIFIED objects are validated on their own first; a valid change is
 * staged until boots_watch_commit.  rv takes the object's
 * resourceVersion when it is safe (also for a rejected object: the
 * version was seen).  Returns a BOOTS_WATCH_* value; for EXPIRED and BAD,
 * why (why_size bytes) says what happened (no object content quoted); for
 * REJECTED, *err holds the validation error (as a load reports it).
 */
int boots_watch_apply(boots_watch_state *ws, const char *line, size_t len,
                      const char *source, char *rv, char *why,
                      size_t why_size, boots_error *err);

/* True when changes are staged. */
bool boots_watch_pending(const boots_watch_state *ws);

/*
 * Build the next snapshot: the last one's entries, in order, with the
 * staged objects replaced, removed or appended, checked for duplicate
 * MACs and IPs as a full load is.  On success *out is the new snapshot
 * (the caller's reference; the state keeps its own).  On failure the
 * staged changes are dropped (the state stays at the last good snapshot)
 * and *err says why.  Nothing staged: 0 with *out NULL.
 */
int boots_watch_commit(boots_watch_state *ws, const char *source,
                       boots_hwdb **out, boots_error *err);

#ifdef __cplusplus
}
#endif

#endif /* BOOTS_K8S_WATCH_H */
