/*
 * boots-sync - fetch hardware data from an HTTP(S) source (e.g. the
 * Kubernetes API), validate it with the Boots loader and write it
 * atomically to a file that nginx (or anything else that must not block
 * on the network) reads; run a command when the content changed.
 *
 * Exit codes (also in --help):
 *   0  success: the file was written, or was already up to date
 *   1  usage error (bad or missing option)
 *   2  the source failed (connection, timeout, TLS, HTTP status, token,
 *      wrong Content-Type, body too big or truncated); file untouched
 *   3  the document was fetched but rejected by validation; file untouched
 *   4  the output file could not be written; file untouched
 *   5  the file was updated but the --on-change command failed
 * In loop mode (without --once) the process keeps running after errors
 * and exits 0 on SIGTERM/SIGINT, or 1 on a usage error.
 *
 * The bearer token is read from its file at each fetch, sent only to the
 * URL's host and never printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boots.h"
#include "source_internal.h"

#define EXIT_USAGE   1
#define EXIT_SOURCE  2
#define EXIT_INVALID 3
#define EXIT_WRITE   4
#define EXIT_COMMAND 5

extern char **environ;

typedef struct options {
    boots_http_request http;    /* url, token/CA/cert/key files, timeout */
    const char *output;
    const char *on_change;
    unsigned    interval;
    bool        once;
    bool        quiet;
} options;

static void usage(FILE *fp)
{
    fprintf(fp,
"Usage: boots-sync --url URL --output FILE [options]\n"
"\n"
"Fetch hardware data (a Kubernetes Hardware list or any document the Boots\n"
"loader accepts), validate it, and write it atomically to FILE (temporary\n"
"file in the same directory, fsync, rename; the existing file's mode and\n"
"owner are kept).  FILE and the command are left alone when nothing\n"
"changed or anything failed.\n"
"\n"
"Options:\n"
"  --url URL          https:// (or http://) URL returning the hardware list\n"
"  --token-file FILE  bearer token (surrounding whitespace ignored; re-read\n"
"                     at every fetch; never printed)\n"
"  --ca-file FILE     CA bundle to verify the server (default: system CAs)\n"
"  --cert-file FILE   client certificate (with --key-file)\n"
"  --key-file FILE    client key\n"
"  --timeout SEC      connect and total timeout of one fetch (default 10)\n"
"  --output FILE      where to write the hardware data (required)\n"
"  --on-change CMD    run CMD with /bin/sh -c after FILE changed\n"
"                     (e.g. 'nginx -s reload')\n"
"  --once             sync once and exit (default: loop every --interval)\n"
"  --interval SEC     seconds between syncs in loop mode (default 30)\n"
"  --quiet            print only errors\n"
"  --help             this text\n"
"\n"
"Exit status:\n"
"  0  FILE written, or already up to date\n"
"  1  usage error\n"
"  2  the source failed (connection, timeout, TLS, HTTP status, token,\n"
"     Content-Type, body too big or truncated); FILE untouched\n"
"  3  the data was rejected by validation; FILE untouched\n"
"  4  FILE could not be written; FILE untouched\n"
"  5  FILE was updated but the --on-change command failed\n"
"In loop mode boots-sync keeps going after errors and exits 0 on\n"
"SIGTERM or SIGINT.\n");
}

static void say(const options *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(const options *o, const char *fmt, ...)
{
    va_list ap;

    if (o->quiet)
        return;
    va_start(ap, fmt);
    fputs("boots-sync: ", stdout);
    vfprintf(stdout, fmt, ap);
    fputc('\n', stdout);
    fflush(stdout);
    va_end(ap);
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("boots-sync: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
    va_end(ap);
}

static int parse_seconds(const char *name, const char *s, unsigned *out)
{
    char         *end = NULL;
    unsigned long v = 0;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v == 0 || v > 86400 ||
        s[0] == '-') {
        fail("%s: expected a number of seconds between 1 and 86400, got "
             "\"%s\"", name, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* 1: same content as the file at path; 0: different or absent. */
static int same_content(const char *path, const char *buf, size_t len)
{
    struct stat st;
    char        chunk[65536];
    size_t      off = 0;
    ssize_t     n = 0;
    int         fd = -1;
    int         same = 0;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || (size_t)st.st_size != len)
        goto out;
    for (;;) {
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (off + (size_t)n > len || memcmp(buf + off, chunk, (size_t)n) != 0)
            goto out;
        off += (size_t)n;
    }
    same = n == 0 && off == len;
out:
    if (fd >= 0)
        close(fd);
    return same;
}

/* Write buf to path atomically.  0 or -1 (message printed). */
static int write_atomic(const char *path, const char *buf, size_t len)
{
    struct stat st;
    char        dir[PATH_MAX];
    char        base[PATH_MAX];
    char        tmp[PATH_MAX];
    size_t      off = 0;
    ssize_t     n = 0;
    mode_t      mode = 0;
    mode_t      mask = 0;
    bool        have_old = false;
    int         fd = -1;
    int         dfd = -1;
    int         rc = -1;

    tmp[0] = '\0';
    if (strlen(path) >= sizeof(dir)) {
        fail("%s: path too long", path);
        goto out;
    }
    snprintf(dir, sizeof(dir), "%s", path);
    snprintf(base, sizeof(base), "%s", path);
    if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(dir),
                 basename(base)) >= (int)sizeof(tmp)) {
        tmp[0] = '\0';
        fail("%s: path too long", path);
        goto out;
    }
    if (stat(path, &st) == 0) {
        have_old = true;
        mode = st.st_mode & 07777;
    } else {
        mask = umask(0);
        umask(mask);
        mode = 0644 & ~mask;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        fail("%s: cannot create a temporary file in %s: %s", path, dir,
             strerror(errno));
        tmp[0] = '\0';
        goto out;
    }
    if (fchmod(fd, mode) != 0) {
        fail("%s: chmod: %s", tmp, strerror(errno));
        goto out;
    }
    if (have_old && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
        fchown(fd, st.st_uid, st.st_gid) != 0) {
        fail("%s: cannot keep the owner of %s: %s", tmp, path,
             strerror(errno));
        goto out;
    }
    while (off < len) {
        n = write(fd, buf + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fail("%s: write: %s", tmp, strerror(errno));
            goto out;
        }
        off += (size_t)n;
    }
    if (fsync(fd) != 0) {
        fail("%s: fsync: %s", tmp, strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        fail("%s: close: %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        fail("%s: rename: %s", path, strerror(errno));
        goto out;
    }
    tmp[0] = '\0';
    /* make the rename itself durable */
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp[0] != '\0')
        unlink(tmp);
    return rc;
}

static int run_command(const options *o)
{
    char             *argv[] = { "sh", "-c", NULL, NULL };
    posix_spawnattr_t attr;
    sigset_t          none;
    pid_t             pid = 0;
    int               status = 0;
    int               rc = 0;

    argv[2] = (char *)o->on_change;
    /* the loop blocks SIGTERM/SIGINT; the command must not inherit that */
    sigemptyset(&none);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    rc = posix_spawn(&pid, "/bin/sh", NULL, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        fail("--on-change: cannot start /bin/sh: %s", strerror(rc));
        return -1;
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fail("--on-change: waitpid: %s", strerror(errno));
            return -1;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        say(o, "ran --on-change command");
        return 0;
    }
    if (WIFEXITED(status))
        fail("--on-change command exited with status %d",
             WEXITSTATUS(status));
    else
        fail("--on-change command was killed by signal %d",
             WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return -1;
}

/* One sync.  etag: in/out, kept between syncs in loop mode; sent as
 * If-None-Match only when conditional is true. */
static int sync_once(const options *o, char *etag, size_t etag_size,
                     bool conditional)
{
    boots_http_request  req = { 0 };
    boots_http_response resp = { 0 };
    boots_error         err;
    boots_hwdb         *db = NULL;
    char                name[512];
    int                 rc = 0;

    memset(&err, 0, sizeof(err));
    boots_url_redact(o->http.url, name, sizeof(name));
    req = o->http;
    /* a 304 only means "unchanged" if the output still holds that data */
    if (conditional && etag[0] != '\0' && access(o->output, F_OK) == 0)
        req.if_none_match = etag;

    if (boots_http_fetch(&req, &resp, &err) != 0) {
        fail("%s", err.message);
        rc = EXIT_SOURCE;
        goto out;
    }
    if (resp.status == 304) {
        say(o, "%s: not modified; %s unchanged", name, o->output);
        goto out;
    }
    rc = boots_hwdb_load_buffer(resp.body, resp.len, name, &db, &err);
    if (rc != 0) {
        fail("%s; %s left unchanged",
             err.message[0] ? err.message : boots_strerror(rc), o->output);
        rc = EXIT_INVALID;
        goto out;
    }
    if (same_content(o->output, resp.body, resp.len)) {
        snprintf(etag, etag_size, "%s", resp.etag);
        say(o, "%s: %zu records; %s unchanged", name,
            boots_hwdb_records(db), o->output);
        goto out;
    }
    if (write_atomic(o->output, resp.body, resp.len) != 0) {
        rc = EXIT_WRITE;
        goto out;
    }
    snprintf(etag, etag_size, "%s", resp.etag);
    say(o, "%s: wrote %zu records (%zu interfaces) to %s", name,
        boots_hwdb_records(db), boots_hwdb_count(db), o->output);
    if (o->on_change != NULL && run_command(o) != 0)
        rc = EXIT_COMMAND;
out:
    boots_hwdb_unref(db);
    boots_http_response_free(&resp);
    return rc;
}

/* Warnings from the shared request check, on stderr. */
static void warn_log(void *ctx, int level, const char *message)
{
    (void)ctx;
    (void)level;
    fprintf(stderr, "boots-sync: warning: %s\n", message);
}

int main(int argc, char **argv)
{
    static const boots_http_names names = {
        "--url", "--token-file", "--ca-file", "--cert-file", "--key-file"
    };
    static const struct option longopts[] = {
        { "url",        required_argument, NULL, 'u' },
        { "token-file", required_argument, NULL, 't' },
        { "ca-file",    required_argument, NULL, 'C' },
        { "cert-file",  required_argument, NULL, 'c' },
        { "key-file",   required_argument, NULL, 'k' },
        { "timeout",    required_argument, NULL, 'T' },
        { "interval",   required_argument, NULL, 'i' },
        { "output",     required_argument, NULL, 'o' },
        { "on-change",  required_argument, NULL, 'x' },
        { "once",       no_argument,       NULL, '1' },
        { "quiet",      no_argument,       NULL, 'q' },
        { "help",       no_argument,       NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    options         o;
    boots_error     err;
    sigset_t        sigs;
    struct timespec wait;
    char            etag[BOOTS_ETAG_MAX];
    unsigned long   n = 0;
    int             opt = 0;
    int             rc = 0;

    memset(&o, 0, sizeof(o));
    etag[0] = '\0';
    o.http.timeout = 10;
    o.interval = 30;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'u': o.http.url = optarg; break;
        case 't': o.http.token_file = optarg; break;
        case 'C': o.http.ca_file = optarg; break;
        case 'c': o.http.cert_file = optarg; break;
        case 'k': o.http.key_file = optarg; break;
        case 'o': o.output = optarg; break;
        case 'x': o.on_change = optarg; break;
        case '1': o.once = true; break;
        case 'q': o.quiet = true; break;
        case 'T':
            if (parse_seconds("--timeout", optarg, &o.http.timeout) != 0)
                return EXIT_USAGE;
            break;
        case 'i':
            if (parse_seconds("--interval", optarg, &o.interval) != 0)
                return EXIT_USAGE;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fail("unexpected argument \"%s\"", argv[optind]);
        return EXIT_USAGE;
    }
    if (o.http.url == NULL || o.output == NULL) {
        fail("--url and --output are required (see --help)");
        return EXIT_USAGE;
    }
    if (o.on_change != NULL && o.on_change[0] == '\0') {
        fail("--on-change: empty command");
        return EXIT_USAGE;
    }
    memset(&err, 0, sizeof(err));
    if (boots_http_request_check(&o.http, &names, warn_log, NULL,
                                 &err) != 0) {
        fail("%s", err.message);
        return EXIT_USAGE;
    }
    if (boots_http_global_init(&err) != 0) {
        fail("%s", err.message);
        return EXIT_SOURCE;
    }
    if (o.once)
        return sync_once(&o, etag, sizeof(etag), false);

    /* Loop: wait for the interval or a signal, whichever comes first. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    for (n = 0;; n++) {
        /* every 10th sync is unconditional: a server whose ETag has a
         * coarse clock (nginx: mtime in seconds + size) could otherwise
         * hide a same-size change; unchanged content is still detected
         * by comparing with the file */
        rc = sync_once(&o, etag, sizeof(etag), n % 10 != 0);
        (void)rc;
        wait.tv_sec = (time_t)o.interval;
        wait.tv_nsec = 0;
        if (sigtimedwait(&sigs, NULL, &wait) >= 0)
            break;
        if (errno != EAGAIN && errno != EINTR)
            break;
    }
    say(&o, "stopping");
    return 0;
}
