/*
 * source_internal.h - helpers shared by shared/source.c, shared/http_fetch.c
 * and the boots-sync command.  Not part of the public API (boots.h,
 * boots_source.h); names keep the boots_ prefix but may change.
 */
#ifndef BOOTS_SOURCE_INTERNAL_H
#define BOOTS_SOURCE_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "boots.h"
#include "boots_source.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest token accepted from a token file (Kubernetes tokens are ~1-2 KB). */
#define BOOTS_TOKEN_MAX       8192
/* Largest hardware document accepted from a file or a URL. */
#define BOOTS_SOURCE_MAX_BODY ((size_t)256 * 1024 * 1024)
/* Longest ETag kept for If-None-Match. */
#define BOOTS_ETAG_MAX        256

/* Overwrite n bytes at p with zeros in a way the compiler keeps. */
void boots_secret_wipe(void *p, size_t n);

/*
 * Trim ASCII whitespace (space, tab, CR, LF, VT, FF) from both ends of the
 * NUL-terminated s, in place.  Returns the new length.
 */
size_t boots_token_trim(char *s);

/*
 * Read a bearer token from path into out (size bytes, NUL-terminated),
 * trimmed.  The token must be non-empty printable ASCII without spaces
 * (it goes into an HTTP header).  Returns its length, or a negative
 * BOOTS_E* with *err filled (never quoting the token).  On error out is
 * wiped.
 */
long boots_token_read(const char *path, char *out, size_t size,
                      boots_error *err);

/* True when the file at path is readable by group or others (mode bits).
 * False when it cannot be stat()ed. */
bool boots_file_readable_by_others(const char *path);

/*
 * Copy url into out (size bytes) without any user:password@ part and
 * without the query string, for log and error messages.
 */
void boots_url_redact(const char *url, char *out, size_t size);

/* One HTTP GET of a hardware document. */
typedef struct boots_http_request {
    const char *url;
    const char *token_file;    /* NULL: no Authorization header */
    const char *ca_file;       /* NULL: the system's CA store */
    const char *cert_file;     /* client certificate, optional */
    const char *key_file;      /* client key, optional */
    unsigned    timeout;       /* seconds, connect and total; 0 = default */
    size_t      max_body;      /* 0 = BOOTS_SOURCE_MAX_BODY */
    const char *if_none_match; /* ETag of the last good body, or NULL */
    atomic_bool *abort_flag;   /* when set to true, the transfer stops */
    /* Streaming (watch): when on_data is set, the body is not collected;
     * each piece of a 200 JSON answer is passed to on_data, which returns
     * false to stop.  The stream may last total_timeout seconds (0 =
     * timeout); reaching it ends the fetch normally. */
    bool      (*on_data)(void *ctx, const char *data, size_t len);
    void       *on_data_ctx;
    unsigned    total_timeout;
} boots_http_request;

typedef struct boots_http_response {
    long   status;                 /* HTTP status (200, 304, ...) */
    char  *body;                   /* new (free with ..._response_free) */
    size_t len;
    char   etag[BOOTS_ETAG_MAX];   /* "" when the server sent none */
} boots_http_response;

/* What a caller calls the request's settings in its messages (Kea's
 * "hardware-url", boots-sync's "--url", ...). */
typedef struct boots_http_names {
    const char *url;
    const char *token_file;
    const char *ca_file;
    const char *cert_file;
    const char *key_file;
} boots_http_names;

/*
 * Check a request's settings before its first fetch: the URL is http:// or
 * https://, a client certificate and key come together, and every file
 * given can be opened.  Warns through log (level BOOTS_LOG_WARN; may be
 * NULL) when the token or key file is readable by others and when a token
 * would go over plain http://.  Returns 0, or BOOTS_EINVAL / BOOTS_EIO with
 * *err naming the setting by names.
 */
int boots_http_request_check(const boots_http_request *req,
                             const boots_http_names *names,
                             boots_log_fn log, void *ctx, boots_error *err);

/*
 * Initialise libcurl once per process (thread-safe, idempotent).
 * Returns 0 or BOOTS_ESOURCE.
 */
int boots_http_global_init(boots_error *err);

/* libcurl's allocation functions (installed by boots_http_global_init)
 * wipe each block before freeing it; for the tests: how many blocks they
 * wiped so far, and the realloc and free they use. */
unsigned long boots_http_wiped_blocks(void);
void *boots_http_wiping_realloc(void *p, size_t n);
void boots_http_wiping_free(void *p);

/*
 * Perform the GET.  Returns 0 with resp->status 200 and a body that is
 * complete and labelled JSON, or 0 with status 304 (no body) when
 * if_none_match matched.  Every other outcome (connection refused,
 * timeout, TLS failure, HTTP error status, wrong Content-Type, body too
 * big or truncated, aborted) returns BOOTS_ESOURCE (BOOTS_ETOOBIG for a
 * body over max_body, BOOTS_EIO for an unreadable token file) with *err
 * saying what failed; the token is never part of the message.
 */
int boots_http_fetch(const boots_http_request *req, boots_http_response *resp,
                     boots_error *err);

/* Free the body and clear *resp (NULL is ignored). */
void boots_http_response_free(boots_http_response *resp);

/* Fill *err (may be NULL) with code and a printf-style message. */
void boots_source_seterr(boots_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif /* BOOTS_SOURCE_INTERNAL_H */
