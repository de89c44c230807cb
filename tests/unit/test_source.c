/*
 * test_source.c - the hardware source: file mode (change detection, a bad
 * file keeps the old data, stats, events, the background thread and how
 * promptly it stops) and the token / URL helpers used by URL mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "boots_source.h"
#include "source_internal.h"

/* ------------------------------------------------------------------ */
/* Fixtures                                                            */
/* ------------------------------------------------------------------ */

typedef struct fixture {
    char               dir[64];
    char               path[128];
    boots_hwdb_holder *holder;
    boots_source      *src;
    /* what the callbacks saw */
    int                events_ok;
    int                events_failed;
    int                events_unchanged;
    size_t             last_count;
    boots_error        last_err;
    int                log_lines;
    atomic_int         error_lines;  /* logged at BOOTS_LOG_ERROR */
    char               log_all[8192];
} fixture;

static void on_log(void *ctx, int level, const char *message)
{
    fixture *f = ctx;
    size_t   used = strlen(f->log_all);

    f->log_lines++;
    if (level == BOOTS_LOG_ERROR)
        atomic_fetch_add(&f->error_lines, 1);
    snprintf(f->log_all + used, sizeof(f->log_all) - used, "%s\n", message);
}

static void on_event(void *ctx, const boots_hwdb *db, const boots_error *err)
{
    fixture *f = ctx;

    if (db != NULL) {
        f->events_ok++;
        f->last_count = boots_hwdb_count(db);
    } else if (err == NULL) {
        f->events_unchanged++;
    } else {
        f->events_failed++;
        assert_non_null(err);
        f->last_err = *err;
    }
}

static void write_file_at(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* Replace the file the way editors and boots-sync do: new inode + rename. */
static void replace_file(fixture *f, const char *text)
{
    char tmp[160];

    snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
    write_file_at(tmp, text);
    assert_int_equal(rename(tmp, f->path), 0);
}

/* A Kubernetes HardwareList with one record per MAC suffix in macs[]. */
static void hardware_json(char *out, size_t size, const int *macs, int n,
                          const char *hostname_prefix)
{
    size_t used = 0;
    int    i;

    used += (size_t)snprintf(out + used, size - used,
        "{\"apiVersion\":\"tinkerbell.org/v1alpha1\",\"kind\":"
        "\"HardwareList\",\"metadata\":{\"resourceVersion\":\"7\"},"
        "\"items\":[");
    for (i = 0; i < n; i++) {
        used += (size_t)snprintf(out + used, size - used,
            "%s{\"apiVersion\":\"tinkerbell.org/v1alpha1\","
            "\"kind\":\"Hardware\",\"metadata\":{\"name\":\"%s%d\","
            "\"namespace\":\"default\"},\"spec\":{\"interfaces\":[{"
            "\"dhcp\":{\"mac\":\"02:00:00:00:00:%02x\",\"hostname\":"
            "\"%s%d\",\"ip\":{\"address\":\"10.0.0.%d\",\"netmask\":"
            "\"255.255.255.0\"}},\"netboot\":{\"allowPXE\":true}}]}}",
            i ? "," : "", hostname_prefix, macs[i], macs[i],
            hostname_prefix, macs[i], macs[i]);
        assert_true(used < size);
    }
    used += (size_t)snprintf(out + used, size - used, "]}");
    assert_true(used < size);
}

static void write_hardware(fixture *f, int n, const char *prefix)
{
    char text[8192];
    int  macs[16];
    int  i;

    assert_true(n <= 16);
    for (i = 0; i < n; i++)
        macs[i] = i + 1;
    hardware_json(text, sizeof(text), macs, n, prefix);
    replace_file(f, text);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/boots-test-source-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/hardware.json", f->dir);
    f->holder = boots_hwdb_holder_new();
    assert_non_null(f->holder);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char     tmp[160];

    boots_source_free(f->src);
    boots_hwdb_holder_free(f->holder);
    unlink(f->path);
    snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
    unlink(tmp);
    snprintf(tmp, sizeof(tmp), "%s/token", f->dir);
    unlink(tmp);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void new_file_source(fixture *f, unsigned interval)
{
    boots_source_config cfg = { 0 };
    boots_error         err;

    cfg.hardware_file = f->path;
    cfg.refresh_interval = interval;
    f->src = boots_source_new(&cfg, f->holder, on_log, on_event, f, &err);
    assert_non_null(f->src);
}

/* Count of entries in the current snapshot (0 when there is none). */
static size_t current_count(fixture *f)
{
    boots_hwdb *db = boots_hwdb_holder_get(f->holder);
    size_t      n = db ? boots_hwdb_count(db) : 0;

    boots_hwdb_unref(db);
    return n;
}

static uint64_t current_generation(fixture *f)
{
    boots_hwdb *db = boots_hwdb_holder_get(f->holder);
    uint64_t    g = db ? boots_hwdb_generation(db) : 0;

    boots_hwdb_unref(db);
    return g;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Poll (bounded) until the snapshot holds want entries. */
static bool wait_for_count(fixture *f, size_t want, double limit_s)
{
    double          end = now_s() + limit_s;
    struct timespec step = { 0, 20 * 1000 * 1000 };

    while (now_s() < end) {
        if (current_count(f) == want)
            return true;
        nanosleep(&step, NULL);
    }
    return current_count(f) == want;
}

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

static void test_new_rejects_bad_config(void **state)
{
    fixture            *f = *state;
    boots_source_config cfg = { 0 };
    boots_error         err;

    /* neither file nor url */
    assert_null(boots_source_new(&cfg, f->holder, NULL, NULL, NULL, &err));
    assert_int_equal(err.code, BOOTS_EINVAL);
    assert_non_null(strstr(err.message, "exactly one"));

    /* both */
    cfg.hardware_file = f->path;
    cfg.hardware_url = "https://127.0.0.1:18449/hw";
    assert_null(boots_source_new(&cfg, f->holder, NULL, NULL, NULL, &err));
    assert_int_equal(err.code, BOOTS_EINVAL);

    /* a scheme libcurl would accept but Boots does not */
    cfg.hardware_file = NULL;
    cfg.hardware_url = "ftp://127.0.0.1/hw";
    assert_null(boots_source_new(&cfg, f->holder, NULL, NULL, NULL, &err));
    assert_int_equal(err.code, BOOTS_EINVAL);

    /* an unreadable token file is refused up front */
    cfg.hardware_url = "https://127.0.0.1:18449/hw";
    cfg.token_file = "/nonexistent/boots/token";
    assert_null(boots_source_new(&cfg, f->holder, NULL, NULL, NULL, &err));
    assert_int_equal(err.code, BOOTS_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/boots/token"));

    /* token options make no sense for a file */
    cfg.hardware_url = NULL;
    cfg.hardware_file = f->path;
    assert_null(boots_source_new(&cfg, f->holder, NULL, NULL, NULL, &err));
    assert_int_equal(err.code, BOOTS_EINVAL);
}

static void test_token_file_readable_by_others_warns(void **state)
{
    fixture            *f = *state;
    boots_source_config cfg = { 0 };
    boots_error         err;
    char                token[160];

    snprintf(token, sizeof(token), "%s/token", f->dir);
    write_file_at(token, "s3cr3t-token-value\n");
    assert_int_equal(chmod(token, 0644), 0);
    cfg.hardware_url = "https://127.0.0.1:18449/hw";
    cfg.token_file = token;
    f->src = boots_source_new(&cfg, f->holder, on_log, on_event, f, &err);
    assert_non_null(f->src);
    assert_non_null(strstr(f->log_all, "readable by group or others"));
    assert_null(strstr(f->log_all, "s3cr3t"));
    boots_source_free(f->src);
    f->src = NULL;

    /* 0600: no warning */
    f->log_all[0] = '\0';
    assert_int_equal(chmod(token, 0600), 0);
    f->src = boots_source_new(&cfg, f->holder, on_log, on_event, f, &err);
    assert_non_null(f->src);
    assert_null(strstr(f->log_all, "readable"));
}

/* ------------------------------------------------------------------ */
/* File mode                                                           */
/* ------------------------------------------------------------------ */

static void test_file_load_and_unchanged(void **state)
{
    fixture           *f = *state;
    boots_source_stats st;
    boots_error        err;

    write_hardware(f, 2, "a");
    new_file_source(f, 0);
    assert_int_equal(current_count(f), 0);  /* new() loads nothing */

    assert_int_equal(boots_source_load(f->src, false, &err), 0);
    assert_int_equal(current_count(f), 2);
    assert_int_equal(f->events_ok, 1);
    assert_int_equal(f->last_count, 2);

    /* same file again: not re-parsed, same snapshot */
    uint64_t gen = current_generation(f);
    assert_int_equal(boots_source_load(f->src, false, &err), 0);
    assert_int_equal(current_generation(f), gen);
    assert_int_equal(f->events_ok, 1);

    boots_source_get_stats(f->src, &st);
    assert_int_equal(st.reload_ok, 1);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.reload_failed, 0);
    assert_int_equal(st.source_errors, 0);
    assert_true(st.last_success > 0);

    /* force re-reads even an unchanged file */
    assert_int_equal(boots_source_load(f->src, true, &err), 0);
    assert_true(current_generation(f) > gen);
    boots_source_get_stats(f->src, &st);
    assert_int_equal(st.reload_ok, 2);
}

static void test_file_change_detected(void **state)
{
    fixture           *f = *state;
    boots_source_stats st;
    boots_error        err;
    int                fd;

    write_hardware(f, 1, "a");
    new_file_source(f, 0);
    assert_int_equal(boots_source_load(f->src, false, &err), 0);
    assert_int_equal(current_count(f), 1);

    /* replaced by rename (new inode) */
    write_hardware(f, 3, "a");
    assert_int_equal(boots_source_load(f->src, false, &err), 0);
    assert_int_equal(current_count(f), 3);

    /* rewritten in place (same inode, different size) */
    {
        char text[8192];
        int  macs[3] = { 1, 2, 3 };

        hardware_json(text, sizeof(text), macs, 3, "bb");
        write_file_at(f->path, text);
    }
    assert_int_equal(boots_source_load(f->src, false, &err), 0);
    boots_source_get_stats(f->src, &st);
    assert_int_equal(st.reload_ok, 3);

    /* only the mtime moves (touch), content identical: still re-read,
     * since identity is all a file check can see */
    fd = open(f->path, O_RDONLY);
    assert_true(fd >= 0);
    {
        struct timespec times[2] = { { 0, UTIME_OMIT }, { 12345, 678 } };

        assert_int_equal(futimens(fd, times), 0);
    }
    close(fd);
    assert_int_equal(boots_source_load(f->src, false, &err), 0);
    boots_source_get_stats(f->src, &st);
    assert_int_equal(st.reload_ok, 4);
    assert_int_equal(f->events_ok, 4);
}

static void test_bad_file_keeps_old_data(void **state)
{
    fixture           *f = *state;
    boots_source_stats st;
    boots_error        err;
    uint64_t           gen;

    write_hardware(f, 2, "a");
    new_file_source(f, 0);
    assert_int_equal(boots_source_load(f->src, false, &err), 0);
    gen = current_generation(f);

    /* truncated JSON */
    replace_file(f, "{\"kind\":\"HardwareList\",\"items\":[{\"spec\":");
    assert_true(boots_source_load(f->src, false, &err) < 0);
    assert_true(err.message[0] != '\0');
    assert_non_null(strstr(err.message, "hardware.json"));
    assert_int_equal(current_generation(f), gen);
    assert_int_equal(current_count(f), 2);
    assert_int_equal(f->events_failed, 1);
    assert_int_equal(f->last_err.code, err.code);
    assert_non_null(strstr(f->log_all, "keeping the current hardware data"));

    /* the same bad file is not re-parsed or re-reported */
    assert_int_equal(boots_source_load(f->src, false, &err), 0);
    assert_int_equal(f->events_failed, 1);

    /* an invalid MAC in one record rejects the whole document */
    replace_file(f,
        "{\"apiVersion\":\"tinkerbell.org/v1alpha1\",\"kind\":"
        "\"HardwareList\",\"items\":[{\"apiVersion\":"
        "\"tinkerbell.org/v1alpha1\",\"kind\":\"Hardware\",\"metadata\":"
        "{\"name\":\"bad\",\"namespace\":\"default\"},\"spec\":"
        "{\"interfaces\":[{\"dhcp\":{\"mac\":\"zz:00:00:00:00:01\","
        "\"ip\":{\"address\":\"10.0.0.9\",\"netmask\":"
        "\"255.255.255.0\"}}}]}}]}");
    assert_true(boots_source_load(f->src, false, &err) < 0);
    assert_int_equal(current_generation(f), gen);

    /* a missing file is a source error, not a rejected document */
    assert_int_equal(unlink(f->path), 0);
    assert_int_equal(boots_source_load(f->src, false, &err), BOOTS_EIO);
    assert_int_equal(current_count(f), 2);

    boots_source_get_stats(f->src, &st);
    assert_int_equal(st.reload_ok, 1);
    assert_int_equal(st.reload_failed, 2);
    assert_int_equal(st.source_errors, 1);
    assert_int_equal(st.unchanged, 1);

    /* fixed: picked up again */
    write_hardware(f, 4, "a");
    assert_int_equal(boots_source_load(f->src, false, &err), 0);
    assert_int_equal(current_count(f), 4);
}

static void test_background_refresh_and_stop(void **state)
{
    fixture           *f = *state;
    boots_source_stats st;
    boots_error        err;
    double             t0;

    write_hardware(f, 1, "a");
    new_file_source(f, 1);
    assert_int_equal(boots_source_load(f->src, true, &err), 0);
    assert_int_equal(boots_source_start(f->src, &err), 0);
    assert_int_equal(boots_source_start(f->src, &err), 0); /* idempotent */

    write_hardware(f, 5, "a");
    assert_true(wait_for_count(f, 5, 10.0));

    replace_file(f, "not json at all");
    /* the failure is counted by the thread; the data stays */
    {
        double end = now_s() + 10.0;
        struct timespec step = { 0, 20 * 1000 * 1000 };

        do {
            boots_source_get_stats(f->src, &st);
            if (st.reload_failed > 0)
                break;
            nanosleep(&step, NULL);
        } while (now_s() < end);
    }
    assert_int_equal(st.reload_failed, 1);
    assert_int_equal(current_count(f), 5);

    write_hardware(f, 2, "a");
    assert_true(wait_for_count(f, 2, 10.0));

    t0 = now_s();
    boots_source_stop(f->src);
    assert_true(now_s() - t0 < 2.0);
    boots_source_stop(f->src); /* idempotent */
}

static void test_stop_is_prompt_with_long_interval(void **state)
{
    fixture    *f = *state;
    boots_error err;
    double      t0;

    write_hardware(f, 1, "a");
    new_file_source(f, 3600);
    assert_int_equal(boots_source_start(f->src, &err), 0);
    t0 = now_s();
    boots_source_stop(f->src);
    /* a sleeping thread would take an hour; a bounded wait proves the
     * condition variable wakes it */
    assert_true(now_s() - t0 < 2.0);

    /* restartable */
    assert_int_equal(boots_source_start(f->src, &err), 0);
    boots_source_free(f->src);
    f->src = NULL;
}

/* Poll (bounded) until the stats satisfy done(). */
static bool wait_for_stats(fixture *f, bool (*done)(const boots_source_stats *,
                                                    uint64_t), uint64_t arg,
                           double limit_s)
{
    double             end = now_s() + limit_s;
    struct timespec    step = { 0, 20 * 1000 * 1000 };
    boots_source_stats st;

    for (;;) {
        boots_source_get_stats(f->src, &st);
        if (done(&st, arg))
            return true;
        if (now_s() >= end)
            return false;
        nanosleep(&step, NULL);
    }
}

/* Poll (bounded) until more than n lines were logged as errors. */
static bool wait_for_errors(fixture *f, int n, double limit_s)
{
    double          end = now_s() + limit_s;
    struct timespec step = { 0, 20 * 1000 * 1000 };

    while (atomic_load(&f->error_lines) <= n) {
        if (now_s() >= end)
            return false;
        nanosleep(&step, NULL);
    }
    return true;
}

static bool ok_above(const boots_source_stats *st, uint64_t n)
{
    return st->reload_ok > n;
}

static bool failed_above(const boots_source_stats *st, uint64_t n)
{
    return st->reload_failed > n;
}

/* boots_source_request_load: the refresh thread loads at once (forced: an
 * unchanged file is read again), a bad file is counted and logged while
 * the data stays; without the thread the request is refused. */
static void test_request_load(void **state)
{
    fixture           *f = *state;
    boots_source_stats st;
    boots_error        err;
    uint64_t           gen;
    int                errors;
    int                i;

    write_hardware(f, 1, "a");
    /* an hour-long interval: only a request makes the thread load */
    new_file_source(f, 3600);
    assert_int_equal(boots_source_request_load(f->src, &err), BOOTS_EINVAL);
    assert_non_null(strstr(err.message, "not running"));
    assert_int_equal(boots_source_load(f->src, true, &err), 0);
    assert_int_equal(boots_source_start(f->src, &err), 0);

    write_hardware(f, 4, "a");
    assert_int_equal(boots_source_request_load(f->src, &err), 0);
    assert_true(wait_for_count(f, 4, 10.0));

    /* the file is unchanged, yet a requested load reads it again */
    boots_source_get_stats(f->src, &st);
    gen = current_generation(f);
    assert_int_equal(boots_source_request_load(f->src, &err), 0);
    assert_true(wait_for_stats(f, ok_above, st.reload_ok, 10.0));
    assert_true(current_generation(f) > gen);
    assert_int_equal(current_count(f), 4);

    /* a bad file: counted and logged as an error, the data stays; asking
     * again logs the same error again (an operator asked for it) */
    replace_file(f, "not json at all");
    for (i = 0; i < 2; i++) {
        boots_source_get_stats(f->src, &st);
        errors = atomic_load(&f->error_lines);
        assert_int_equal(boots_source_request_load(f->src, &err), 0);
        assert_true(wait_for_stats(f, failed_above, st.reload_failed, 10.0));
        assert_true(wait_for_errors(f, errors, 10.0));
        assert_int_equal(current_count(f), 4);
    }

    boots_source_stop(f->src);
    assert_int_equal(boots_source_request_load(f->src, &err), BOOTS_EINVAL);
}

/* ------------------------------------------------------------------ */
/* URL mode without a server                                           */
/* ------------------------------------------------------------------ */

static void test_url_failure_keeps_data_and_hides_token(void **state)
{
    fixture            *f = *state;
    boots_source_config cfg = { 0 };
    boots_source_stats  st;
    boots_error         err;
    char                token[160];

    snprintf(token, sizeof(token), "%s/token", f->dir);
    write_file_at(token, "  tok-ABCDEF-123456\n");
    chmod(token, 0600);
    /* nothing listens on this loopback port in unit tests */
    cfg.hardware_url = "http://127.0.0.1:18449/apis/tinkerbell.org/v1alpha1/hardware";
    cfg.token_file = token;
    cfg.timeout = 2;
    f->src = boots_source_new(&cfg, f->holder, on_log, on_event, f, &err);
    assert_non_null(f->src);
    assert_non_null(strstr(f->log_all, "sent unencrypted"));
    assert_int_equal(boots_source_load(f->src, false, &err), BOOTS_ESOURCE);
    assert_non_null(strstr(err.message, "127.0.0.1:18449"));
    assert_null(strstr(err.message, "tok-ABCDEF"));
    assert_null(strstr(f->log_all, "tok-ABCDEF"));
    assert_int_equal(f->events_failed, 1);
    boots_source_get_stats(f->src, &st);
    assert_int_equal(st.source_errors, 1);
    assert_int_equal(st.last_success, 0);
    assert_int_equal(current_count(f), 0);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void test_token_trim_table(void **state)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "abc", "abc" },
        { "abc\n", "abc" },
        { "abc\r\n", "abc" },
        { "  abc  \n\n", "abc" },
        { "\t\vabc.def-ghi_jkl\f", "abc.def-ghi_jkl" },
        { "", "" },
        { " \n\t ", "" },
        { "a b", "a b" },       /* inner space kept; read() rejects it */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[64];

        snprintf(buf, sizeof(buf), "%s", cases[i].in);
        assert_int_equal(boots_token_trim(buf), strlen(cases[i].out));
        assert_string_equal(buf, cases[i].out);
    }
}

static void test_token_read(void **state)
{
    fixture *f = *state;
    char     path[160];
    char     tok[64];
    char     big[200];
    boots_error err;

    snprintf(path, sizeof(path), "%s/token", f->dir);

    write_file_at(path, "eyJhbGciOi.payload.sig\n");
    assert_int_equal(boots_token_read(path, tok, sizeof(tok), &err), 22);
    assert_string_equal(tok, "eyJhbGciOi.payload.sig");

    write_file_at(path, "   \n");
    assert_true(boots_token_read(path, tok, sizeof(tok), &err) < 0);
    assert_non_null(strstr(err.message, "empty"));
    assert_string_equal(tok, "");

    write_file_at(path, "two words\n");
    assert_true(boots_token_read(path, tok, sizeof(tok), &err) < 0);
    assert_null(strstr(err.message, "two"));  /* never quoted */
    assert_string_equal(tok, "");

    write_file_at(path, "abc\x01\n");
    assert_true(boots_token_read(path, tok, sizeof(tok), &err) < 0);

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    write_file_at(path, big);
    assert_true(boots_token_read(path, tok, sizeof(tok), &err) < 0);

    assert_int_equal(boots_token_read("/nonexistent/token", tok, sizeof(tok),
                                      &err), BOOTS_EIO);
}

static void test_url_redact_table(void **state)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "https://k8s:6443/apis/x", "https://k8s:6443/apis/x" },
        { "https://user:pw@k8s:6443/apis/x?labelSelector=a",
          "https://k8s:6443/apis/x" },
        { "http://h/p#frag", "http://h/p" },
        { "https://a@b@host/p", "https://host/p" },
    };
    size_t i;
    char   out[128];

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boots_url_redact(cases[i].in, out, sizeof(out));
        assert_string_equal(out, cases[i].out);
    }
    /* a small buffer truncates, never overflows */
    boots_url_redact("https://host/very/long/path", out, 10);
    assert_int_equal(strlen(out), 9);
}

static void test_readable_by_others(void **state)
{
    fixture *f = *state;
    char     path[160];

    snprintf(path, sizeof(path), "%s/token", f->dir);
    write_file_at(path, "t");
    assert_int_equal(chmod(path, 0600), 0);
    assert_false(boots_file_readable_by_others(path));
    assert_int_equal(chmod(path, 0640), 0);
    assert_true(boots_file_readable_by_others(path));
    assert_int_equal(chmod(path, 0604), 0);
    assert_true(boots_file_readable_by_others(path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_rejects_bad_config,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_file_readable_by_others_warns,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_load_and_unchanged,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_change_detected,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_file_keeps_old_data,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_background_refresh_and_stop,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_is_prompt_with_long_interval,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_load, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_url_failure_keeps_data_and_hides_token, setup, teardown),
        cmocka_unit_test(test_token_trim_table),
        cmocka_unit_test_setup_teardown(test_token_read, setup, teardown),
        cmocka_unit_test(test_url_redact_table),
        cmocka_unit_test_setup_teardown(test_readable_by_others,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
