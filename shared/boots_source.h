/*
 * boots_source.h - where hardware data comes from, and keeping it fresh.
 *
 * A boots_source reads hardware data from a file or from an HTTP(S) URL
 * (for example the Kubernetes API, with libcurl), validates it with the
 * loader in boots.h and publishes it into a boots_hwdb_holder.  A failed
 * read or a bad document never replaces the current data.
 *
 * Loads run either synchronously (boots_source_load: at start-up, and for
 * an operator's reload command) or in a background thread started with
 * boots_source_start, which checks a file's identity (mtime, size, inode)
 * or re-fetches the URL every refresh_interval seconds (conditional
 * requests; with watch, follows the Kubernetes watch stream so a change
 * applies within a second).  Nothing here ever runs on a packet path.
 *
 * Thread safety: all functions may be called from any thread; loads are
 * serialised by the source.  Callbacks run on the thread doing the load.
 * Secrets (the bearer token, the key) are never passed to the log callback.
 */
#ifndef BOOTS_SOURCE_H
#define BOOTS_SOURCE_H

#include "boots.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BOOTS_LOG_ERROR 0
#define BOOTS_LOG_WARN  1
#define BOOTS_LOG_INFO  2
#define BOOTS_LOG_DEBUG 3

/* Log sink installed by the host (Kea's logger, stderr in a command). */
typedef void (*boots_log_fn)(void *ctx, int level, const char *message);

typedef struct boots_source_config {
    const char *hardware_file;     /* exactly one of file or url */
    const char *hardware_url;
    const char *token_file;        /* bearer token (whitespace trimmed) */
    const char *ca_file;           /* CA bundle for https */
    const char *cert_file;         /* client certificate (optional) */
    const char *key_file;          /* client key (optional) */
    unsigned    refresh_interval;  /* seconds between checks; 0 = default */
    unsigned    timeout;           /* seconds for one fetch; 0 = default */
    bool        watch;             /* follow ?watch=1 (Kubernetes) */
} boots_source_config;

#define BOOTS_SOURCE_FILE_INTERVAL_DEFAULT 2   /* seconds */
#define BOOTS_SOURCE_URL_INTERVAL_DEFAULT  30  /* seconds */
#define BOOTS_SOURCE_TIMEOUT_DEFAULT       10  /* seconds */

typedef struct boots_source_stats {
    uint64_t reload_ok;        /* new snapshots published */
    uint64_t reload_failed;    /* documents rejected (parse/validation) */
    uint64_t source_errors;    /* reads that failed (I/O, HTTP, TLS, auth) */
    uint64_t unchanged;        /* checks that found nothing new */
    int64_t  last_success;     /* unix time of the last good read; 0 never */
} boots_source_stats;

/* Called after a new snapshot was published (db is borrowed), after a
 * failed load (db NULL, err filled), and after a remote source answered
 * "unchanged" (db and err both NULL: only last_success moved).  May be
 * NULL. */
typedef void (*boots_source_event_fn)(void *ctx, const boots_hwdb *db,
                                      const boots_error *err);

typedef struct boots_source boots_source;

/*
 * Create a source publishing into holder (borrowed; must outlive the
 * source).  Checks the configuration (one of file/url, readable token and
 * key files; warns through log when they are readable by others) but
 * loads nothing.  Returns a new source or NULL with *err filled.
 */
boots_source *boots_source_new(const boots_source_config *cfg,
                               boots_hwdb_holder *holder,
                               boots_log_fn log, boots_source_event_fn event,
                               void *ctx, boots_error *err);

/*
 * Read, validate and publish now, on the caller's thread.  With force
 * false an unchanged file or a 304 answer is not re-parsed (returns 0).
 * Returns 0 or a negative BOOTS_E* with *err filled; the current snapshot
 * is kept on error.
 */
int boots_source_load(boots_source *src, bool force, boots_error *err);

/* Start / stop the background refresh thread (stop joins it; idempotent). */
int boots_source_start(boots_source *src, boots_error *err);
void boots_source_stop(boots_source *src);

/*
 * Ask the background thread to read, validate and publish now, as
 * boots_source_load with force true would, and return at once (a Kubernetes
 * watch stream in progress is ended and the list read again).  The outcome
 * shows in the stats, the log and the event callback.  Requests made
 * before the thread gets to them are served by one load.  Returns 0, or
 * BOOTS_EINVAL with *err filled when the thread is not running.
 */
int boots_source_request_load(boots_source *src, boots_error *err);

/* Stop if running, then free (NULL is ignored).  Wipes secrets. */
void boots_source_free(boots_source *src);

void boots_source_get_stats(boots_source *src, boots_source_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* BOOTS_SOURCE_H */
