/*
 * http_fetch.c - one HTTP(S) GET of a hardware document with libcurl, and
 * the bearer-token helpers.
 *
 * libcurl rules followed here: curl_global_init once per process
 * (pthread_once), a fresh easy handle per fetch so no handle is ever used
 * by two threads, CURLOPT_NOSIGNAL (timeouts without SIGALRM, which would
 * hit whatever thread the host runs).  Redirects are not followed and
 * proxies are not used, so the token only ever goes to the configured
 * host.  The token is read from its file at every fetch (so a rotated
 * token is picked up), lives only in this function's buffers and is wiped
 * before returning.  libcurl copies the Authorization header into its own
 * buffers; it is initialised with allocation functions that wipe every
 * block it frees (when it is the first in the process to initialise
 * libcurl), so those copies do not linger in freed memory either.  (The
 * TLS library's buffers are its own and out of reach.)
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "source_internal.h"

void boots_secret_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;

    if (p == NULL)
        return;
    while (n-- > 0)
        *v++ = 0;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

size_t boots_token_trim(char *s)
{
    size_t len = 0;
    size_t start = 0;

    if (s == NULL)
        return 0;
    len = strlen(s);
    while (len > 0 && is_space(s[len - 1]))
        s[--len] = '\0';
    while (start < len && is_space(s[start]))
        start++;
    if (start > 0) {
        memmove(s, s + start, len - start + 1);
        boots_secret_wipe(s + len - start + 1, start);
        len -= start;
    }
    return len;
}

long boots_token_read(const char *path, char *out, size_t size,
                      boots_error *err)
{
    struct stat st;
    size_t      len = 0;
    size_t      i;
    ssize_t     n = 0;
    long        rc = 0;
    int         fd = -1;

    if (out == NULL || size < 2) {
        boots_source_seterr(err, BOOTS_EINVAL, "token buffer too small");
        return BOOTS_EINVAL;
    }
    out[0] = '\0';
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        rc = BOOTS_EIO;
        boots_source_seterr(err, BOOTS_EIO, "token file %s: %s", path,
                            strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size >= size) {
        rc = BOOTS_EINVAL;
        boots_source_seterr(err, BOOTS_EINVAL,
                            "token file %s: not a regular file of at most "
                            "%zu bytes", path, size - 1);
        goto out;
    }
    while (len < size - 1) {
        n = read(fd, out + len, size - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = BOOTS_EIO;
            boots_source_seterr(err, BOOTS_EIO, "token file %s: read: %s",
                                path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    out[len] = '\0';
    if (strlen(out) != len) {
        rc = BOOTS_EINVAL;
        boots_source_seterr(err, BOOTS_EINVAL,
                            "token file %s: contains a NUL byte", path);
        goto out;
    }
    len = boots_token_trim(out);
    if (len == 0) {
        rc = BOOTS_EINVAL;
        boots_source_seterr(err, BOOTS_EINVAL, "token file %s: empty", path);
        goto out;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)out[i];

        if (c < 0x21 || c > 0x7e) {
            rc = BOOTS_EINVAL;
            boots_source_seterr(err, BOOTS_EINVAL,
                                "token file %s: the token contains a space "
                                "or a non-printable byte at offset %zu",
                                path, i);
            goto out;
        }
    }
    rc = (long)len;
out:
    if (fd >= 0)
        close(fd);
    if (rc < 0)
        boots_secret_wipe(out, size);
    return rc;
}

bool boots_file_readable_by_others(const char *path)
{
    struct stat st;

    if (path == NULL || stat(path, &st) != 0)
        return false;
    return (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
}

void boots_url_redact(const char *url, char *out, size_t size)
{
    const char *scheme_end = NULL;
    const char *auth_start = NULL;
    const char *at = NULL;
    const char *p = NULL;
    size_t      n = 0;

    if (size == 0)
        return;
    out[0] = '\0';
    if (url == NULL)
        return;
    scheme_end = strstr(url, "://");
    auth_start = scheme_end != NULL ? scheme_end + 3 : url;
    /* user:password@ sits before the first '/', '?' or '#' */
    for (p = auth_start; *p != '\0' && *p != '/' && *p != '?' && *p != '#';
         p++) {
        if (*p == '@')
            at = p;
    }
    n = (size_t)(auth_start - url);
    if (n >= size)
        n = size - 1;
    memcpy(out, url, n);
    out[n] = '\0';
    p = at != NULL ? at + 1 : auth_start;
    while (*p != '\0' && *p != '?' && *p != '#' && n + 1 < size)
        out[n++] = *p++;
    out[n] = '\0';
}

/* ------------------------------------------------------------------ */
/* libcurl                                                             */
/* ------------------------------------------------------------------ */

static void warnf(boots_log_fn log, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warnf(boots_log_fn log, void *ctx, const char *fmt, ...)
{
    char    msg[1024];
    va_list ap;

    if (log == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log(ctx, BOOTS_LOG_WARN, msg);
}

/* The file can be opened for reading; a secret one should not be readable
 * by others. */
static int check_file(const char *what, const char *path, bool secret,
                      boots_log_fn log, void *ctx, boots_error *err)
{
    int fd = -1;

    if (path == NULL)
        return 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        boots_source_seterr(err, BOOTS_EIO, "%s %s: %s", what, path,
                            strerror(errno));
        return BOOTS_EIO;
    }
    close(fd);
    if (secret && boots_file_readable_by_others(path))
        warnf(log, ctx, "%s %s is readable by group or others; "
              "restrict it (chmod 600)", what, path);
    return 0;
}

int boots_http_request_check(const boots_http_request *req,
                             const boots_http_names *names,
                             boots_log_fn log, void *ctx, boots_error *err)
{
    int rc = 0;

    if (req->url == NULL || (strncmp(req->url, "https://", 8) != 0 &&
                             strncmp(req->url, "http://", 7) != 0)) {
        boots_source_seterr(err, BOOTS_EINVAL,
                            "%s must start with https:// or http://",
                            names->url);
        return BOOTS_EINVAL;
    }
    if ((req->cert_file == NULL) != (req->key_file == NULL)) {
        boots_source_seterr(err, BOOTS_EINVAL, "%s and %s go together",
                            names->cert_file, names->key_file);
        return BOOTS_EINVAL;
    }
    rc = check_file(names->token_file, req->token_file, true, log, ctx, err);
    if (rc == 0)
        rc = check_file(names->key_file, req->key_file, true, log, ctx, err);
    if (rc == 0)
        rc = check_file(names->cert_file, req->cert_file, false, log, ctx,
                        err);
    if (rc == 0)
        rc = check_file(names->ca_file, req->ca_file, false, log, ctx, err);
    if (rc == 0 && req->token_file != NULL &&
        strncmp(req->url, "http://", 7) == 0)
        warnf(log, ctx, "%s is plain http://: the bearer token is sent "
              "unencrypted", names->url);
    return rc;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode       curl_init_rc = CURLE_OK;
static atomic_ulong   curl_wiped;    /* blocks libcurl freed, wiped */

/* libcurl's allocation functions: the system's, except that a block is
 * wiped before it goes back, and realloc moves into a new block so that
 * the old one can be wiped too. */
static void wiping_free(void *p)
{
    if (p == NULL)
        return;
    boots_secret_wipe(p, malloc_usable_size(p));
    atomic_fetch_add_explicit(&curl_wiped, 1, memory_order_relaxed);
    free(p);
}

static void *wiping_malloc(size_t n)
{
    return malloc(n);
}

static void *wiping_calloc(size_t n, size_t size)
{
    return calloc(n, size);
}

static void *wiping_realloc(void *p, size_t n)
{
    void  *q = NULL;
    size_t old = 0;

    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        wiping_free(p);
        return NULL;
    }
    old = malloc_usable_size(p);
    q = malloc(n);
    if (q == NULL)
        return NULL;            /* p stays valid, as realloc promises */
    memcpy(q, p, old < n ? old : n);
    wiping_free(p);
    return q;
}

static char *wiping_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char  *d = malloc(n);

    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

static void curl_init_once(void)
{
    curl_init_rc = curl_global_init_mem(CURL_GLOBAL_DEFAULT, wiping_malloc,
                                        wiping_free, wiping_realloc,
                                        wiping_strdup, wiping_calloc);
}

unsigned long boots_http_wiped_blocks(void)
{
    return atomic_load_explicit(&curl_wiped, memory_order_relaxed);
}

void *boots_http_wiping_realloc(void *p, size_t n)
{
    return wiping_realloc(p, n);
}

void boots_http_wiping_free(void *p)
{
    wiping_free(p);
}

int boots_http_global_init(boots_error *err)
{
    pthread_once(&curl_once, curl_init_once);
    if (curl_init_rc != CURLE_OK) {
        boots_source_seterr(err, BOOTS_ESOURCE, "libcurl init failed: %s",
                            curl_easy_strerror(curl_init_rc));
        return BOOTS_ESOURCE;
    }
    return 0;
}

typedef struct fetch_state {
    char        *body;
    size_t       len;
    size_t       cap;
    size_t       max;
    bool         too_big;
    bool         oom;
    char         etag[BOOTS_ETAG_MAX];
    atomic_bool *abort_flag;
    /* streaming */
    const boots_http_request *req;
    CURL        *curl;
    bool         checked;       /* status and type checked on first data */
    bool         rejected;      /* not a 200 JSON answer: stopped */
    bool         stopped;       /* on_data asked to stop */
    bool         streamed;      /* on_data saw data */
} fetch_state;

static bool is_json_type(const char *ct);

/* Streaming body: check the answer once, then hand each piece over. */
static size_t on_stream(fetch_state *st, char *data, size_t n)
{
    long        status = 0;
    const char *ct = NULL;

    if (!st->checked) {
        st->checked = true;
        curl_easy_getinfo(st->curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(st->curl, CURLINFO_CONTENT_TYPE, &ct);
        if (status != 200 || !is_json_type(ct)) {
            st->rejected = true;
            return 0;
        }
    }
    if (st->rejected)
        return 0;
    st->streamed = true;
    if (!st->req->on_data(st->req->on_data_ctx, data, n)) {
        st->stopped = true;
        return 0;
    }
    return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
    fetch_state *st = arg;
    size_t       n = size * nmemb;

    if (st->req != NULL && st->req->on_data != NULL)
        return on_stream(st, data, n);
    if (n > st->max || st->len > st->max - n) {
        st->too_big = true;
        return 0;
    }
    if (st->len + n + 1 > st->cap) {
        size_t ncap = st->cap ? st->cap : 65536;
        char  *nbody = NULL;

        while (ncap < st->len + n + 1)
            ncap *= 2;
        nbody = realloc(st->body, ncap);
        if (nbody == NULL) {
            st->oom = true;
            return 0;
        }
        st->body = nbody;
        st->cap = ncap;
    }
    memcpy(st->body + st->len, data, n);
    st->len += n;
    st->body[st->len] = '\0';
    return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
    fetch_state *st = arg;
    size_t       n = size * nmemb;
    size_t       vlen = 0;
    const char  *v = NULL;

    if (n > 5 && strncasecmp(data, "ETag:", 5) == 0) {
        v = data + 5;
        vlen = n - 5;
        while (vlen > 0 && is_space(*v)) {
            v++;
            vlen--;
        }
        while (vlen > 0 && is_space(v[vlen - 1]))
            vlen--;
        /* kept only if it fits and holds nothing that could break the
         * If-None-Match header it goes back into */
        st->etag[0] = '\0';
        if (vlen > 0 && vlen < sizeof(st->etag)) {
            size_t i;

            for (i = 0; i < vlen; i++) {
                if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
                    return n;
            }
            memcpy(st->etag, v, vlen);
            st->etag[vlen] = '\0';
        }
    }
    return n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
    fetch_state *st = arg;

    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return (st->abort_flag != NULL && atomic_load(st->abort_flag)) ? 1 : 0;
}

/* application/json, or any type/subtype+json, parameters allowed. */
static bool is_json_type(const char *ct)
{
    size_t len = 0;

    if (ct == NULL)
        return false;
    while (*ct == ' ')
        ct++;
    len = strcspn(ct, "; \t");
    if (len == 16 && strncasecmp(ct, "application/json", 16) == 0)
        return true;
    return len > 5 && strncasecmp(ct + len - 5, "+json", 5) == 0;
}

static void free_headers(struct curl_slist *headers)
{
    struct curl_slist *h = NULL;

    for (h = headers; h != NULL; h = h->next) {
        if (h->data != NULL)
            boots_secret_wipe(h->data, strlen(h->data));
    }
    curl_slist_free_all(headers);
}

static int add_header(struct curl_slist **headers, const char *line)
{
    struct curl_slist *n = curl_slist_append(*headers, line);

    if (n == NULL)
        return BOOTS_ENOMEM;
    *headers = n;
    return 0;
}

/*
 * curl_easy_perform, but with the abort flag looked at every 100 ms even
 * while the connection is idle (a quiet watch stream, a slow server), so
 * stopping the source is prompt.  A multi handle driving one transfer;
 * without an abort flag this is plain curl_easy_perform.
 */
static CURLcode perform(CURL *curl, atomic_bool *abort_flag)
{
    CURLM    *multi = NULL;
    CURLMsg  *msg = NULL;
    CURLcode  cc = CURLE_OK;
    CURLMcode mc = CURLM_OK;
    int       running = 1;
    int       left = 0;

    if (abort_flag == NULL)
        return curl_easy_perform(curl);
    multi = curl_multi_init();
    if (multi == NULL)
        return CURLE_OUT_OF_MEMORY;
    if (curl_multi_add_handle(multi, curl) != CURLM_OK) {
        curl_multi_cleanup(multi);
        return CURLE_OUT_OF_MEMORY;
    }
    cc = CURLE_ABORTED_BY_CALLBACK;
    while (running) {
        mc = curl_multi_perform(multi, &running);
        if (mc != CURLM_OK) {
            cc = CURLE_RECV_ERROR;
            goto out;
        }
        if (!running)
            break;
        if (atomic_load(abort_flag))
            goto out;
        mc = curl_multi_poll(multi, NULL, 0, 100, NULL);
        if (mc != CURLM_OK) {
            cc = CURLE_RECV_ERROR;
            goto out;
        }
        if (atomic_load(abort_flag))
            goto out;
    }
    cc = CURLE_OK;
    while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == curl)
            cc = msg->data.result;
    }
out:
    curl_multi_remove_handle(multi, curl);
    curl_multi_cleanup(multi);
    return cc;
}

int boots_http_fetch(const boots_http_request *req, boots_http_response *resp,
                     boots_error *err)
{
    CURL              *curl = NULL;
    struct curl_slist *headers = NULL;
    fetch_state        st;
    char               token[BOOTS_TOKEN_MAX];
    char               line[BOOTS_TOKEN_MAX + 32];
    char               errbuf[CURL_ERROR_SIZE];
    char               name[512];
    const char        *ct = NULL;
    unsigned           timeout = 0;
    long               status = 0;
    long               tok = 0;
    CURLcode           cc = CURLE_OK;
    int                rc = 0;

    memset(&st, 0, sizeof(st));
    memset(resp, 0, sizeof(*resp));
    errbuf[0] = '\0';
    token[0] = '\0';
    line[0] = '\0';
    boots_url_redact(req->url, name, sizeof(name));
    timeout = req->timeout ? req->timeout : 10;
    st.max = req->max_body ? req->max_body : BOOTS_SOURCE_MAX_BODY;
    st.abort_flag = req->abort_flag;
    st.req = req;

    rc = boots_http_global_init(err);
    if (rc != 0)
        goto out;
    curl = curl_easy_init();
    if (curl == NULL) {
        rc = BOOTS_ESOURCE;
        boots_source_seterr(err, rc, "%s: cannot create a curl handle", name);
        goto out;
    }
    st.curl = curl;
    if (add_header(&headers, "Accept: application/json") != 0)
        goto oom;
    if (req->token_file != NULL) {
        tok = boots_token_read(req->token_file, token, sizeof(token), err);
        if (tok < 0) {
            rc = BOOTS_EIO;
            if (err != NULL)
                err->code = rc;
            goto out;
        }
        snprintf(line, sizeof(line), "Authorization: Bearer %s", token);
        boots_secret_wipe(token, sizeof(token));
        rc = add_header(&headers, line);
        boots_secret_wipe(line, sizeof(line));
        if (rc != 0)
            goto oom;
    }
    if (req->if_none_match != NULL && req->if_none_match[0] != '\0') {
        snprintf(line, sizeof(line), "If-None-Match: %s", req->if_none_match);
        if (add_header(&headers, line) != 0)
            goto oom;
    }

    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)timeout);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT,
                     (long)(req->total_timeout ? req->total_timeout
                                               : timeout));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "boots/1");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &st);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &st);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (req->ca_file != NULL)
        curl_easy_setopt(curl, CURLOPT_CAINFO, req->ca_file);
    if (req->cert_file != NULL)
        curl_easy_setopt(curl, CURLOPT_SSLCERT, req->cert_file);
    if (req->key_file != NULL)
        curl_easy_setopt(curl, CURLOPT_SSLKEY, req->key_file);
    if (req->abort_flag != NULL) {
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &st);
    }

    cc = perform(curl, req->abort_flag);
    if (req->on_data != NULL && !st.rejected &&
        (cc == CURLE_OPERATION_TIMEDOUT || st.stopped)) {
        /* a stream that ran its course (even a quiet one), or that its
         * reader ended: normal, if it was a 200 JSON answer */
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
        if (status == 200 && is_json_type(ct)) {
            resp->status = 200;
            goto out;
        }
    }
    if (cc == CURLE_WRITE_ERROR && st.rejected)
        cc = CURLE_OK;          /* report the status or type below */
    if (cc != CURLE_OK) {
        rc = BOOTS_ESOURCE;
        if (st.too_big) {
            rc = BOOTS_ETOOBIG;
            boots_source_seterr(err, rc, "%s: body larger than %zu bytes",
                                name, st.max);
        } else if (st.oom) {
            rc = BOOTS_ENOMEM;
            boots_source_seterr(err, rc, "%s: out of memory", name);
        } else if (cc == CURLE_OPERATION_TIMEDOUT) {
            boots_source_seterr(err, rc, "%s: timed out after %u s", name,
                                timeout);
        } else if (cc == CURLE_PARTIAL_FILE) {
            boots_source_seterr(err, rc, "%s: truncated body (%zu bytes "
                                "received)", name, st.len);
        } else if (cc == CURLE_ABORTED_BY_CALLBACK) {
            boots_source_seterr(err, rc, "%s: aborted (stopping)", name);
        } else if (cc == CURLE_PEER_FAILED_VERIFICATION ||
                   cc == CURLE_SSL_CONNECT_ERROR ||
                   cc == CURLE_SSL_CACERT_BADFILE ||
                   cc == CURLE_SSL_CERTPROBLEM ||
                   cc == CURLE_SSL_CIPHER) {
            boots_source_seterr(err, rc, "%s: TLS failure: %s", name,
                                errbuf[0] ? errbuf : curl_easy_strerror(cc));
        } else {
            boots_source_seterr(err, rc, "%s: %s", name,
                                errbuf[0] ? errbuf : curl_easy_strerror(cc));
        }
        goto out;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    resp->status = status;
    if (status == 304 && req->if_none_match != NULL) {
        snprintf(resp->etag, sizeof(resp->etag), "%s", req->if_none_match);
        goto out;
    }
    if (status != 200) {
        rc = BOOTS_ESOURCE;
        boots_source_seterr(err, rc, "%s: HTTP %ld%s", name, status,
                            status == 401 ? " (token missing or rejected)" :
                            status == 403 ? " (token not allowed to list "
                                            "hardware)" : "");
        goto out;
    }
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
    if (!is_json_type(ct)) {
        rc = BOOTS_ESOURCE;
        boots_source_seterr(err, rc, "%s: Content-Type is \"%.64s\", "
                            "not JSON", name, ct ? ct : "(none)");
        goto out;
    }
    if (st.body == NULL) {
        st.body = calloc(1, 1);
        if (st.body == NULL)
            goto oom;
    }
    resp->body = st.body;
    resp->len = st.len;
    st.body = NULL;
    snprintf(resp->etag, sizeof(resp->etag), "%s", st.etag);
    goto out;
oom:
    rc = BOOTS_ENOMEM;
    boots_source_seterr(err, rc, "%s: out of memory", name);
out:
    boots_secret_wipe(token, sizeof(token));
    boots_secret_wipe(line, sizeof(line));
    if (curl != NULL)
        curl_easy_cleanup(curl);
    free_headers(headers);
    free(st.body);
    return rc;
}

void boots_http_response_free(boots_http_response *resp)
{
    if (resp == NULL)
        return;
    free(resp->body);
    memset(resp, 0, sizeof(*resp));
}
