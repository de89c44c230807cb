/*
 * source.c - hardware sources: a file or an HTTP(S) URL, loaded on demand
 * or refreshed by a background thread, published into a boots_hwdb_holder.
 *
 * File mode: the file's identity (device, inode, size, mtime and ctime
 * with nanoseconds) is compared with the last one read; only a changed
 * file is read and parsed.  The identity is taken with fstat() on the very
 * descriptor that is read, so the data and the identity always match.
 *
 * URL mode: a GET with If-None-Match; a 304 answer, or a 200 body equal
 * to the last good one, counts as unchanged and is not parsed.
 *
 * Watch (Kubernetes): after a full list, the thread follows
 * URL?watch=1&resourceVersion=RV&allowWatchBookmarks=true&timeoutSeconds=
 * refresh_interval.  The list itself is not kept: k8s_watch.c remembers,
 * per object (namespace/name), its entries in the last snapshot.  Each
 * ADDED / MODIFIED object is validated on its own (an invalid one is
 * rejected and counted like a rejected document, and later events still
 * apply); once a piece of the stream has been applied, the next snapshot
 * is built from the last one's entries plus the changed objects (one pass
 * over the entries, no JSON: ~40 ms at 100,000 records, make
 * bench-source) and published.
 * A change that fails the whole-snapshot checks (a duplicate MAC or IP)
 * is rejected the same way; the last good snapshot stays the base.
 * When the stream ends (timeoutSeconds), fails, or reports an ERROR (e.g.
 * 410 Gone: resourceVersion too old), a full list follows: the periodic
 * safety net.  The load lock is only held while events are applied, so
 * an operator's reload is never stuck behind a quiet stream.
 *
 * A failed read or a rejected document never touches the holder.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "boots_source.h"
#include "internal.h"
#include "k8s_watch.h"
#include "source_internal.h"

typedef struct file_ident {
    bool     valid;
    dev_t    dev;
    ino_t    ino;
    off_t    size;
    struct timespec mtime;
    struct timespec ctime;
} file_ident;

struct boots_source {
    /* configuration (owned copies) */
    char    *file;
    char    *url;
    char    *token_file;
    char    *ca_file;
    char    *cert_file;
    char    *key_file;
    unsigned interval;
    unsigned timeout;
    bool     watch;

    boots_hwdb_holder     *holder;   /* borrowed */
    boots_log_fn           log;
    boots_source_event_fn  event;
    void                  *ctx;

    /* loads are serialised by load_lock */
    pthread_mutex_t load_lock;
    file_ident      ident;           /* last file version read */
    char            etag[BOOTS_ETAG_MAX];
    unsigned        conditional;     /* conditional GETs since a full one */
    uint64_t        body_hash;       /* of the last body read from the URL */
    size_t          body_len;
    bool            body_seen;
    char            last_error[512]; /* to log a repeated failure quietly */
    boots_watch_state *ws;           /* watch: the list's objects */
    char            rv[BOOTS_WATCH_RV_MAX]; /* watch: version to follow */
    bool            watch_warned;

    /* stats */
    pthread_mutex_t    stats_lock;
    boots_source_stats stats;

    /* background thread */
    pthread_mutex_t thread_lock;
    pthread_cond_t  wake;
    pthread_t       thread;
    bool            running;
    bool            kick;            /* a forced load was requested */
    atomic_bool     stop;
    atomic_bool     interrupt;       /* ends a watch stream: stop or kick */
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static void err_clear(boots_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof(*err));
}

void boots_source_seterr(boots_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return;
    memset(err, 0, sizeof(*err));
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

static void slog(const boots_source *src, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void slog(const boots_source *src, int level, const char *fmt, ...)
{
    char    msg[1024];
    va_list ap;

    if (src->log == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    src->log(src->ctx, level, msg);
}

static char *dup_opt(const char *s, bool *failed)
{
    char *copy = NULL;

    if (s == NULL || s[0] == '\0')
        return NULL;
    copy = strdup(s);
    if (copy == NULL)
        *failed = true;
    return copy;
}

static void count(boots_source *src, uint64_t *field)
{
    pthread_mutex_lock(&src->stats_lock);
    (*field)++;
    pthread_mutex_unlock(&src->stats_lock);
}

/* Record a failed load: stats, log (quietly when it repeats) and event. */
static void report_failure(boots_source *src, bool rejected,
                           const boots_error *err)
{
    bool repeated = false;

    count(src, rejected ? &src->stats.reload_failed
                        : &src->stats.source_errors);
    repeated = strcmp(src->last_error, err->message) == 0;
    if (!repeated)
        snprintf(src->last_error, sizeof(src->last_error), "%s",
                 err->message);
    slog(src, repeated ? BOOTS_LOG_DEBUG : BOOTS_LOG_ERROR,
         "%s; keeping the current hardware data", err->message);
    if (src->event != NULL)
        src->event(src->ctx, NULL, err);
}

/* Publish db (stealing the caller's reference), count and notify. */
static void publish(boots_source *src, boots_hwdb *db, const char *name)
{
    boots_hwdb *keep = boots_hwdb_ref(db);

    boots_hwdb_holder_set(src->holder, db);
    pthread_mutex_lock(&src->stats_lock);
    src->stats.reload_ok++;
    src->stats.last_success = (int64_t)time(NULL);
    pthread_mutex_unlock(&src->stats_lock);
    src->last_error[0] = '\0';
    slog(src, BOOTS_LOG_INFO,
         "%s: loaded %zu hardware records (%zu interfaces), generation %llu",
         name, boots_hwdb_records(keep), boots_hwdb_count(keep),
         (unsigned long long)boots_hwdb_generation(keep));
    if (src->event != NULL)
        src->event(src->ctx, keep, NULL);
    boots_hwdb_unref(keep);
}

static void mark_success_unchanged(boots_source *src)
{
    pthread_mutex_lock(&src->stats_lock);
    src->stats.unchanged++;
    src->stats.last_success = (int64_t)time(NULL);
    pthread_mutex_unlock(&src->stats_lock);
    /* Tell the host the source is alive (its last-success time moved). */
    if (src->event != NULL)
        src->event(src->ctx, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* File mode                                                           */
/* ------------------------------------------------------------------ */

static void ident_from_stat(file_ident *id, const struct stat *st)
{
    id->valid = true;
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    id->size = st->st_size;
    id->mtime = st->st_mtim;
    id->ctime = st->st_ctim;
}

static bool ident_equal(const file_ident *a, const file_ident *b)
{
    return a->valid && b->valid && a->dev == b->dev && a->ino == b->ino &&
           a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec &&
           a->ctime.tv_sec == b->ctime.tv_sec &&
           a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/* Read all of fd (size bytes expected, capped) into a new buffer. */
static int read_fd(int fd, const char *path, size_t expect, char **out,
                   size_t *out_len, boots_error *err)
{
    char   *buf = NULL;
    size_t  cap = expect + 1;
    size_t  len = 0;
    ssize_t n = 0;
    int     rc = 0;

    if (expect > BOOTS_SOURCE_MAX_BODY) {
        boots_source_seterr(err, BOOTS_ETOOBIG,
                            "%s: file is larger than %zu bytes", path,
                            BOOTS_SOURCE_MAX_BODY);
        rc = BOOTS_ETOOBIG;
        goto out;
    }
    buf = malloc(cap);
    if (buf == NULL) {
        rc = BOOTS_ENOMEM;
        boots_source_seterr(err, rc, "%s: out of memory", path);
        goto out;
    }
    for (;;) {
        if (len == cap) {
            /* the file grew while being read: read on, up to the cap */
            size_t ncap = cap * 2;
            char  *nbuf = NULL;

            if (cap > BOOTS_SOURCE_MAX_BODY) {
                rc = BOOTS_ETOOBIG;
                boots_source_seterr(err, rc,
                                    "%s: file is larger than %zu bytes",
                                    path, BOOTS_SOURCE_MAX_BODY);
                goto out;
            }
            nbuf = realloc(buf, ncap);
            if (nbuf == NULL) {
                rc = BOOTS_ENOMEM;
                boots_source_seterr(err, rc, "%s: out of memory", path);
                goto out;
            }
            buf = nbuf;
            cap = ncap;
        }
        n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = BOOTS_EIO;
            boots_source_seterr(err, rc, "%s: read: %s", path,
                                strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    *out = buf;
    *out_len = len;
    buf = NULL;
out:
    free(buf);
    return rc;
}

/*
 * Parse a document of this source.  Records unchanged since the snapshot
 * now published are copied from it rather than parsed again, so a reload
 * costs little more than reading the document when little changed.
 */
static int load_document(boots_source *src, const char *buf, size_t len,
                         const char *name, boots_hwdb **db, boots_error *err)
{
    boots_hwdb *prev = boots_hwdb_holder_get(src->holder);
    int rc = boots_hwdb_load_buffer_reuse(buf, len, name, prev, db, err);

    boots_hwdb_unref(prev);
    return rc;
}

static int load_file(boots_source *src, bool force, boots_error *err)
{
    struct stat st;
    file_ident  id = { 0 };
    boots_hwdb *db = NULL;
    char       *buf = NULL;
    size_t      len = 0;
    int         fd = -1;
    int         rc = 0;

    fd = open(src->file, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        rc = BOOTS_EIO;
        boots_source_seterr(err, rc, "%s: %s", src->file, strerror(errno));
        report_failure(src, false, err);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = BOOTS_EIO;
        boots_source_seterr(err, rc, "%s: not a regular file", src->file);
        report_failure(src, false, err);
        goto out;
    }
    ident_from_stat(&id, &st);
    if (!force && ident_equal(&id, &src->ident)) {
        pthread_mutex_lock(&src->stats_lock);
        src->stats.unchanged++;
        pthread_mutex_unlock(&src->stats_lock);
        goto out;
    }
    rc = read_fd(fd, src->file, (size_t)st.st_size, &buf, &len, err);
    if (rc != 0) {
        report_failure(src, false, err);
        goto out;
    }
    /* This version has been read: whatever the verdict, it is not read
     * again until it changes (or a forced load asks for it). */
    src->ident = id;
    rc = load_document(src, buf, len, src->file, &db, err);
    if (rc != 0) {
        if (err != NULL && err->message[0] == '\0')
            boots_source_seterr(err, rc, "%s: %s", src->file,
                                boots_strerror(rc));
        report_failure(src, true, err);
        goto out;
    }
    publish(src, db, src->file);
    db = NULL;
out:
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------ */
/* URL mode                                                            */
/* ------------------------------------------------------------------ */

#define BOOTS_SOURCE_FULL_EVERY 10

/* FNV-1a, 64 bits: tells an unchanged body from a changed one. */
static uint64_t body_hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t   i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The connection settings every request to the source's URL carries. */
static void base_request(const boots_source *src, const char *url,
                         boots_http_request *req)
{
    req->url = url;
    req->token_file = src->token_file;
    req->ca_file = src->ca_file;
    req->cert_file = src->cert_file;
    req->key_file = src->key_file;
    req->timeout = src->timeout;
}

/* ------------------------------------------------------------------ */
/* Watch                                                               */
/* ------------------------------------------------------------------ */

#define WATCH_LINE_MAX ((size_t)16 * 1024 * 1024)

static int load_url(boots_source *src, bool force, bool background,
                    boots_error *err)
{
    boots_http_request  req = { 0 };
    boots_http_response resp = { 0 };
    boots_hwdb         *db = NULL;
    char                name[512];
    uint64_t            hash = 0;
    int                 rc = 0;

    boots_url_redact(src->url, name, sizeof(name));
    base_request(src, src->url, &req);
    /* Conditional GET, except every BOOTS_SOURCE_FULL_EVERY-th time: a
     * server whose ETag has a coarse clock (nginx: mtime in seconds +
     * size) could hide a same-size change; the body hash still avoids
     * re-parsing unchanged data. */
    if (!force && src->etag[0] != '\0' &&
        ++src->conditional < BOOTS_SOURCE_FULL_EVERY)
        req.if_none_match = src->etag;
    else
        src->conditional = 0;
    req.abort_flag = background ? &src->stop : NULL;

    rc = boots_http_fetch(&req, &resp, err);
    if (rc != 0) {
        if (background && atomic_load(&src->stop))
            goto out;           /* interrupted by stop: not a failure */
        report_failure(src, false, err);
        goto out;
    }
    if (resp.status == 304) {
        mark_success_unchanged(src);
        goto out;
    }
    hash = body_hash(resp.body, resp.len);
    if (!force && src->body_seen && hash == src->body_hash &&
        resp.len == src->body_len) {
        snprintf(src->etag, sizeof(src->etag), "%s", resp.etag);
        mark_success_unchanged(src);
        goto out;
    }
    /* Remember this body whatever the verdict, so a bad document is
     * reported once, not re-parsed on every refresh. */
    src->body_seen = true;
    src->body_hash = hash;
    src->body_len = resp.len;
    src->etag[0] = '\0';
    if (src->watch)
        rc = boots_watch_load_list(src->ws, resp.body, resp.len, name, &db,
                                   src->rv, err);
    else
        rc = load_document(src, resp.body, resp.len, name, &db, err);
    if (rc != 0) {
        if (err != NULL && err->message[0] == '\0')
            boots_source_seterr(err, rc, "%s: %s", name, boots_strerror(rc));
        report_failure(src, true, err);
        goto out;
    }
    snprintf(src->etag, sizeof(src->etag), "%s", resp.etag);
    publish(src, db, name);
    db = NULL;
    /* Only a Kubernetes list (an object with "items" and a
     * resourceVersion) can be watched; otherwise the source polls. */
    if (src->watch && !boots_watch_ready(src->ws)) {
        if (!src->watch_warned)
            slog(src, BOOTS_LOG_WARN,
                 "watch needs a Kubernetes list with "
                 "metadata.resourceVersion; polling instead");
        src->watch_warned = true;
    }
out:
    boots_http_response_free(&resp);
    return rc;
}

typedef struct watch_ctx {
    boots_source *src;
    char          name[512];
    char         *line;
    size_t        len;
    size_t        cap;
    size_t        scanned;      /* bytes of line known to hold no '\n' */
    bool          relist;       /* the stream asked for a full list */
    bool          failed;       /* ...because of a bad stream */
    unsigned      events;
} watch_ctx;

/* Apply one event line.  Returns 1 when a change was staged, 0 when not
 * (including a rejected object: counted and reported, the stream goes
 * on), -1 when the stream must end (a full list follows). */
static int apply_event(watch_ctx *w, const char *line, size_t len)
{
    boots_error err;
    char        why[256];
    int         rc = 0;

    memset(&err, 0, sizeof(err));
    rc = boots_watch_apply(w->src->ws, line, len, w->name, w->src->rv, why,
                           sizeof(why), &err);
    if (rc == BOOTS_WATCH_CHANGED)
        w->events++;
    if (rc == BOOTS_WATCH_REJECTED) {
        if (err.message[0] == '\0')
            boots_source_seterr(&err, BOOTS_EINVAL, "%s: invalid object",
                                w->name);
        report_failure(w->src, true, &err);
        /* the next full list is parsed even if it equals the last one */
        w->src->body_seen = false;
        w->src->etag[0] = '\0';
        return 0;
    }
    if (rc == BOOTS_WATCH_EXPIRED)
        slog(w->src, BOOTS_LOG_INFO, "%s: %s; listing again", w->name, why);
    if (rc == BOOTS_WATCH_BAD) {
        slog(w->src, BOOTS_LOG_WARN, "%s: watch: %s; listing again",
             w->name, why);
        w->failed = true;
    }
    return rc < 0 ? -1 : rc;
}

/* Build the next snapshot from the staged changes and publish it. */
static void publish_changes(watch_ctx *w)
{
    boots_source *src = w->src;
    boots_hwdb   *db = NULL;
    boots_error   err;
    int           rc = 0;

    memset(&err, 0, sizeof(err));
    rc = boots_watch_commit(src->ws, w->name, &db, &err);
    /* the next full list is parsed even if it equals the last one */
    src->body_seen = false;
    src->etag[0] = '\0';
    if (rc != 0) {
        if (err.message[0] == '\0')
            boots_source_seterr(&err, rc, "%s: %s", w->name,
                                boots_strerror(rc));
        report_failure(src, true, &err);
        return;
    }
    if (db == NULL)
        return;
    publish(src, db, w->name);
    /* give the replaced snapshot's memory back to the system (glibc
     * keeps freed memory otherwise; the loader does the same) */
    malloc_trim(0);
}

static bool on_watch_data(void *ctx, const char *data, size_t len)
{
    watch_ctx *w = ctx;
    bool       changed = false;
    bool       go_on = true;
    size_t     start = 0;
    size_t     i;

    if (w->len + len + 1 > w->cap) {
        size_t ncap = w->cap ? w->cap : 65536;
        char  *nline = NULL;

        while (ncap < w->len + len + 1)
            ncap *= 2;
        if (ncap > WATCH_LINE_MAX) {
            slog(w->src, BOOTS_LOG_WARN, "%s: watch: event larger than %zu "
                 "bytes; listing again", w->name, WATCH_LINE_MAX);
            w->relist = true;
            w->failed = true;
            return false;
        }
        nline = realloc(w->line, ncap);
        if (nline == NULL) {
            w->relist = true;
            w->failed = true;
            return false;
        }
        w->line = nline;
        w->cap = ncap;
    }
    memcpy(w->line + w->len, data, len);
    w->len += len;

    pthread_mutex_lock(&w->src->load_lock);
    for (i = w->scanned; i < w->len && go_on; i++) {
        if (w->line[i] != '\n')
            continue;
        if (i > start) {
            int r = apply_event(w, w->line + start, i - start);

            if (r < 0) {
                w->relist = true;
                go_on = false;
            } else if (r > 0) {
                changed = true;
            }
        }
        start = i + 1;
    }
    if (changed)
        publish_changes(w);
    pthread_mutex_unlock(&w->src->load_lock);
    memmove(w->line, w->line + start, w->len - start);
    w->len -= start;
    w->scanned = w->len;        /* what is left is one partial line */
    return go_on && !atomic_load(&w->src->interrupt);
}

/* Follow the watch stream for up to refresh_interval seconds.  Returns 0
 * when it ran its course (a full list follows), or a negative BOOTS_E*
 * after a failure (counted; the caller waits before listing again). */
static int watch_run(boots_source *src)
{
    boots_http_request  req = { 0 };
    boots_http_response resp = { 0 };
    boots_error         err;
    watch_ctx           w;
    char               *url = NULL;
    size_t              n = 0;
    int                 rc = 0;

    memset(&w, 0, sizeof(w));
    memset(&err, 0, sizeof(err));
    w.src = src;
    boots_url_redact(src->url, w.name, sizeof(w.name));
    pthread_mutex_lock(&src->load_lock);
    if (!boots_watch_ready(src->ws) || src->rv[0] == '\0') {
        pthread_mutex_unlock(&src->load_lock);
        return BOOTS_EINVAL;
    }
    n = strlen(src->url) + strlen(src->rv) + 128;
    url = malloc(n);
    if (url != NULL)
        snprintf(url, n, "%s%cwatch=1&allowWatchBookmarks=true&"
                 "resourceVersion=%s&timeoutSeconds=%u", src->url,
                 strchr(src->url, '?') ? '&' : '?', src->rv, src->interval);
    pthread_mutex_unlock(&src->load_lock);
    if (url == NULL)
        return BOOTS_ENOMEM;

    base_request(src, url, &req);
    req.total_timeout = src->interval + src->timeout;
    req.abort_flag = &src->interrupt;
    req.on_data = on_watch_data;
    req.on_data_ctx = &w;
    rc = boots_http_fetch(&req, &resp, &err);
    if (rc != 0 && !atomic_load(&src->interrupt) && !w.relist) {
        pthread_mutex_lock(&src->load_lock);
        report_failure(src, false, &err);
        pthread_mutex_unlock(&src->load_lock);
    } else {
        /* a bad stream: list again, but only after the interval */
        rc = w.failed ? BOOTS_ESOURCE : 0;
    }
    if (w.events > 0)
        slog(src, BOOTS_LOG_DEBUG, "%s: watch applied %u events", w.name,
             w.events);
    boots_http_response_free(&resp);
    free(w.line);
    free(url);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

boots_source *boots_source_new(const boots_source_config *cfg,
                               boots_hwdb_holder *holder,
                               boots_log_fn log, boots_source_event_fn event,
                               void *ctx, boots_error *err)
{
    boots_source *src = NULL;
    bool          oom = false;
    bool          has_file = false;
    bool          has_url = false;

    err_clear(err);
    if (cfg == NULL || holder == NULL) {
        boots_source_seterr(err, BOOTS_EINVAL,
                            "hardware source: no configuration or holder");
        return NULL;
    }
    has_file = cfg->hardware_file != NULL && cfg->hardware_file[0] != '\0';
    has_url = cfg->hardware_url != NULL && cfg->hardware_url[0] != '\0';
    if (has_file == has_url) {
        boots_source_seterr(err, BOOTS_EINVAL,
                            "hardware source: give exactly one of "
                            "hardware-file and hardware-url");
        return NULL;
    }
    if (has_file && (cfg->token_file != NULL || cfg->ca_file != NULL ||
                     cfg->cert_file != NULL || cfg->key_file != NULL ||
                     cfg->watch)) {
        boots_source_seterr(err, BOOTS_EINVAL,
                            "hardware source: token, CA, certificate, key "
                            "and watch apply to hardware-url only");
        return NULL;
    }
    if (has_url) {
        static const boots_http_names names = {
            "hardware-url", "hardware-token-file", "hardware-ca-file",
            "hardware-cert-file", "hardware-key-file"
        };
        boots_http_request req;

        memset(&req, 0, sizeof(req));
        req.url = cfg->hardware_url;
        req.token_file = cfg->token_file;
        req.ca_file = cfg->ca_file;
        req.cert_file = cfg->cert_file;
        req.key_file = cfg->key_file;
        if (boots_http_request_check(&req, &names, log, ctx, err) != 0)
            return NULL;
    }

    src = calloc(1, sizeof(*src));
    if (src == NULL) {
        boots_source_seterr(err, BOOTS_ENOMEM, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&src->load_lock, NULL);
    pthread_mutex_init(&src->stats_lock, NULL);
    pthread_mutex_init(&src->thread_lock, NULL);
    {
        pthread_condattr_t attr;

        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&src->wake, &attr);
        pthread_condattr_destroy(&attr);
    }
    atomic_init(&src->stop, false);
    atomic_init(&src->interrupt, false);
    src->holder = holder;
    src->log = log;
    src->event = event;
    src->ctx = ctx;
    src->watch = cfg->watch;
    src->file = dup_opt(cfg->hardware_file, &oom);
    src->url = dup_opt(cfg->hardware_url, &oom);
    src->token_file = dup_opt(cfg->token_file, &oom);
    src->ca_file = dup_opt(cfg->ca_file, &oom);
    src->cert_file = dup_opt(cfg->cert_file, &oom);
    src->key_file = dup_opt(cfg->key_file, &oom);
    if (src->watch) {
        src->ws = boots_watch_state_new();
        if (src->ws == NULL)
            oom = true;
    }
    if (oom) {
        boots_source_seterr(err, BOOTS_ENOMEM, "out of memory");
        goto fail;
    }
    src->interval = cfg->refresh_interval;
    if (src->interval == 0)
        src->interval = has_file ? BOOTS_SOURCE_FILE_INTERVAL_DEFAULT
                                 : BOOTS_SOURCE_URL_INTERVAL_DEFAULT;
    src->timeout = cfg->timeout ? cfg->timeout : BOOTS_SOURCE_TIMEOUT_DEFAULT;

    if (has_url && boots_http_global_init(err) != 0)
        goto fail;
    return src;
fail:
    boots_source_free(src);
    return NULL;
}

/* Clears *err; true (with *err filled) when there is no source. */
static bool no_source(const boots_source *src, boots_error *err)
{
    err_clear(err);
    if (src != NULL)
        return false;
    boots_source_seterr(err, BOOTS_EINVAL, "no hardware source");
    return true;
}

int boots_source_load(boots_source *src, bool force, boots_error *err)
{
    boots_error local = { 0 };
    int         rc = 0;

    if (no_source(src, err))
        return BOOTS_EINVAL;
    if (err == NULL)
        err = &local;
    pthread_mutex_lock(&src->load_lock);
    if (src->file != NULL)
        rc = load_file(src, force, err);
    else
        rc = load_url(src, force, false, err);
    pthread_mutex_unlock(&src->load_lock);
    return rc;
}

static void *refresh_main(void *arg)
{
    boots_source   *src = arg;
    boots_error     err;
    struct timespec deadline;
    bool            wait = !src->watch;  /* a watch starts at once */
    bool            watching = false;
    bool            force = false;
    int             rc = 0;

    for (;;) {
        pthread_mutex_lock(&src->thread_lock);
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += wait ? (time_t)src->interval : 0;
        while (wait && !src->kick && !atomic_load(&src->stop)) {
            if (pthread_cond_timedwait(&src->wake, &src->thread_lock,
                                       &deadline) == ETIMEDOUT)
                break;
        }
        force = src->kick;
        src->kick = false;
        if (!atomic_load(&src->stop))
            atomic_store(&src->interrupt, false);
        pthread_mutex_unlock(&src->thread_lock);
        if (atomic_load(&src->stop))
            break;

        err_clear(&err);
        pthread_mutex_lock(&src->load_lock);
        if (force)
            src->last_error[0] = '\0'; /* an asked-for load's error is
                                         * logged even when it repeats */
        if (src->file != NULL)
            rc = load_file(src, force, &err);
        else
            rc = load_url(src, force, true, &err);
        watching = src->watch && rc == 0 && boots_watch_ready(src->ws);
        pthread_mutex_unlock(&src->load_lock);
        wait = true;
        if (watching && !atomic_load(&src->stop)) {
            /* after a stream that ran its course (or was cut short by a
             * requested load), list again at once */
            wait = watch_run(src) != 0;
        }
    }
    return NULL;
}

int boots_source_start(boots_source *src, boots_error *err)
{
    int rc = 0;

    if (no_source(src, err))
        return BOOTS_EINVAL;
    pthread_mutex_lock(&src->thread_lock);
    if (src->running)
        goto out;
    atomic_store(&src->stop, false);
    atomic_store(&src->interrupt, false);
    rc = pthread_create(&src->thread, NULL, refresh_main, src);
    if (rc != 0) {
        boots_source_seterr(err, BOOTS_ENOMEM,
                            "hardware source: cannot start the refresh "
                            "thread: %s", strerror(rc));
        rc = BOOTS_ENOMEM;
        goto out;
    }
    src->running = true;
out:
    pthread_mutex_unlock(&src->thread_lock);
    return rc;
}

int boots_source_request_load(boots_source *src, boots_error *err)
{
    int rc = 0;

    if (no_source(src, err))
        return BOOTS_EINVAL;
    pthread_mutex_lock(&src->thread_lock);
    if (!src->running) {
        boots_source_seterr(err, BOOTS_EINVAL,
                            "hardware source: the refresh thread is not "
                            "running");
        rc = BOOTS_EINVAL;
        goto out;
    }
    /* Requests made before the thread gets to them become one load. */
    src->kick = true;
    atomic_store(&src->interrupt, true);
    pthread_cond_broadcast(&src->wake);
out:
    pthread_mutex_unlock(&src->thread_lock);
    return rc;
}

void boots_source_stop(boots_source *src)
{
    pthread_t thread;
    bool      join = false;

    if (src == NULL)
        return;
    pthread_mutex_lock(&src->thread_lock);
    if (src->running) {
        atomic_store(&src->stop, true);
        atomic_store(&src->interrupt, true);
        pthread_cond_broadcast(&src->wake);
        thread = src->thread;
        src->running = false;
        join = true;
    }
    pthread_mutex_unlock(&src->thread_lock);
    if (join)
        pthread_join(thread, NULL);
}

static void free_secret_path(char *s)
{
    if (s != NULL)
        boots_secret_wipe(s, strlen(s));
    free(s);
}

void boots_source_free(boots_source *src)
{
    if (src == NULL)
        return;
    boots_source_stop(src);
    free(src->file);
    free(src->url);
    free_secret_path(src->token_file);
    free(src->ca_file);
    free(src->cert_file);
    free_secret_path(src->key_file);
    boots_watch_state_free(src->ws);
    pthread_cond_destroy(&src->wake);
    pthread_mutex_destroy(&src->thread_lock);
    pthread_mutex_destroy(&src->stats_lock);
    pthread_mutex_destroy(&src->load_lock);
    boots_secret_wipe(src, sizeof(*src));
    free(src);
}

void boots_source_get_stats(boots_source *src, boots_source_stats *out)
{
    if (out == NULL)
        return;
    memset(out, 0, sizeof(*out));
    if (src == NULL)
        return;
    pthread_mutex_lock(&src->stats_lock);
    *out = src->stats;
    pthread_mutex_unlock(&src->stats_lock);
}
