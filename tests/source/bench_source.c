/*
 * bench_source - what a refresh costs, for make bench-source.
 *
 *   bench_source --file PATH --url URL [--url-noetag URL] [--ca-file F]
 *                [--rounds N]
 *
 * PATH and URL serve the same document.  Prints the median wall time (ms)
 * of N rounds of:
 *   file-load       forced load of the file (read + parse + publish): the
 *                   baseline
 *   file-unchanged  refresh of an unchanged file (identity check only)
 *   url-load        forced load from the URL (fetch + parse + publish)
 *   url-304         refresh answered 304 Not Modified (If-None-Match)
 *   url-samebody    refresh without ETag, same body (hash, no parse)
 * and each as a ratio to file-load.
 *
 *   bench_source --watch-doc PATH [--rounds N]
 *
 * PATH is a HardwareList written by bench.sh (items m0..m<n-1>).  Prints
 * the median of N rounds of:
 *   full-load       boots_hwdb_load_buffer of the whole list: the
 *                   baseline (what every watch event cost before the
 *                   watch kept per-object state)
 *   watch-event     one MODIFIED event (the middle item, new hostname):
 *                   parse + validate the object, build and index the next
 *                   snapshot (boots_watch_apply + boots_watch_commit)
 * and each as a ratio to full-load.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boots_source.h"
#include "k8s_watch.h"

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Median ms of rounds loads; for unchanged refreshes (force false) a
 * forced load comes first so there is something to compare with. */
static double measure(const boots_source_config *cfg, bool force, int rounds,
                      uint64_t *reloads, uint64_t *unchanged)
{
    boots_hwdb_holder *holder = boots_hwdb_holder_new();
    boots_source      *src = NULL;
    boots_source_stats st;
    boots_error        err;
    double            *t = calloc((size_t)rounds, sizeof(double));
    double             med = -1;
    int                i;

    src = boots_source_new(cfg, holder, NULL, NULL, NULL, &err);
    if (src == NULL || t == NULL) {
        fprintf(stderr, "bench_source: %s\n", err.message);
        goto out;
    }
    if (!force && boots_source_load(src, true, &err) != 0) {
        fprintf(stderr, "bench_source: %s\n", err.message);
        goto out;
    }
    for (i = 0; i < rounds; i++) {
        double t0 = now_ms();

        if (boots_source_load(src, force, &err) != 0) {
            fprintf(stderr, "bench_source: %s\n", err.message);
            goto out;
        }
        t[i] = now_ms() - t0;
    }
    qsort(t, (size_t)rounds, sizeof(double), cmp_double);
    med = t[rounds / 2];
    boots_source_get_stats(src, &st);
    *reloads = st.reload_ok;
    *unchanged = st.unchanged;
out:
    boots_source_free(src);
    boots_hwdb_holder_free(holder);
    free(t);
    return med;
}

static char *read_all(const char *path, size_t *len)
{
    FILE  *f = fopen(path, "rb");
    char  *buf = NULL;
    long   n = 0;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0)
        goto out;
    buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    *len = (size_t)n;
out:
    if (f != NULL)
        fclose(f);
    return buf;
}

static int bench_watch(const char *path, int rounds)
{
    boots_watch_state *ws = boots_watch_state_new();
    boots_hwdb        *db = NULL;
    boots_error        err;
    char               rv[BOOTS_WATCH_RV_MAX];
    char               why[256];
    char               line[1024];
    double            *full = calloc((size_t)rounds, sizeof(double));
    double            *ev = calloc((size_t)rounds, sizeof(double));
    size_t             len = 0;
    size_t             n = 0;
    char              *doc = read_all(path, &len);
    unsigned long      i = 0;
    int                r = 0;
    int                rc = 1;

    if (ws == NULL || full == NULL || ev == NULL || doc == NULL) {
        fprintf(stderr, "bench_source: cannot read %s\n", path);
        goto out;
    }
    for (r = 0; r < rounds; r++) {
        double t0 = now_ms();

        if (boots_hwdb_load_buffer(doc, len, path, &db, &err) != 0) {
            fprintf(stderr, "bench_source: %s\n", err.message);
            goto out;
        }
        full[r] = now_ms() - t0;
        n = boots_hwdb_records(db);
        boots_hwdb_unref(db);
        db = NULL;
    }
    if (boots_watch_load_list(ws, doc, len, path, &db, rv, &err) != 0 ||
        !boots_watch_ready(ws)) {
        fprintf(stderr, "bench_source: %s: not a watchable list %s\n", path,
                err.message);
        goto out;
    }
    boots_hwdb_unref(db);
    db = NULL;
    free(doc);
    doc = NULL;
    i = (unsigned long)n / 2;
    for (r = 0; r < rounds; r++) {
        const boots_hw *hw = NULL;
        double          t0 = 0;
        int             k = 0;

        snprintf(line, sizeof(line),
            "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":"
            "\"tinkerbell.org/v1alpha1\",\"kind\":\"Hardware\","
            "\"metadata\":{\"name\":\"m%lu\",\"namespace\":\"default\","
            "\"resourceVersion\":\"%d\"},\"spec\":{\"interfaces\":[{"
            "\"dhcp\":{\"mac\":\"02:%02lx:%02lx:%02lx:%02lx:%02lx\","
            "\"hostname\":\"m%lu-r%d\",\"arch\":\"x86_64\","
            "\"lease_time\":86400,\"ip\":{\"address\":\"10.%lu.%lu.%lu\","
            "\"netmask\":\"255.0.0.0\",\"gateway\":\"10.0.0.1\"},"
            "\"name_servers\":[\"10.0.0.53\"]},\"netboot\":{\"allowPXE\":"
            "true,\"allowWorkflow\":true}}]}}}",
            i, 1000000 + r, (i >> 32) & 255, (i >> 24) & 255,
            (i >> 16) & 255, (i >> 8) & 255, i & 255, i, r, i >> 16,
            (i >> 8) & 255, i & 255);
        t0 = now_ms();
        k = boots_watch_apply(ws, line, strlen(line), path, rv, why,
                              sizeof(why), &err);
        if (k != BOOTS_WATCH_CHANGED ||
            boots_watch_commit(ws, path, &db, &err) != 0 || db == NULL) {
            fprintf(stderr, "bench_source: event %d: %s%s\n", r, why,
                    err.message);
            goto out;
        }
        ev[r] = now_ms() - t0;
        /* the change is there, the rest is intact */
        hw = boots_hwdb_by_ip(db, (uint32_t)(10u << 24 | i));
        snprintf(line, sizeof(line), "m%lu-r%d", i, r);
        if (hw == NULL || strcmp(hw->hostname, line) != 0 ||
            boots_hwdb_records(db) != n) {
            fprintf(stderr, "bench_source: event %d not applied\n", r);
            goto out;
        }
        boots_hwdb_unref(db);
        db = NULL;
    }
    qsort(full, (size_t)rounds, sizeof(double), cmp_double);
    qsort(ev, (size_t)rounds, sizeof(double), cmp_double);
    printf("%zu records\n", n);
    printf("%-15s %10.3f ms  %7.4fx full-load\n", "full-load",
           full[rounds / 2], 1.0);
    printf("%-15s %10.3f ms  %7.4fx full-load\n", "watch-event",
           ev[rounds / 2], ev[rounds / 2] / full[rounds / 2]);
    rc = 0;
out:
    boots_hwdb_unref(db);
    boots_watch_state_free(ws);
    free(doc);
    free(full);
    free(ev);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "file",       required_argument, NULL, 'f' },
        { "url",        required_argument, NULL, 'u' },
        { "url-noetag", required_argument, NULL, 'n' },
        { "ca-file",    required_argument, NULL, 'C' },
        { "rounds",     required_argument, NULL, 'r' },
        { "watch-doc",  required_argument, NULL, 'w' },
        { NULL, 0, NULL, 0 }
    };
    boots_source_config fcfg, ucfg, ncfg;
    const char *noetag = NULL;
    const char *watch_doc = NULL;
    const char *names[5] = { "file-load", "file-unchanged", "url-load",
                             "url-304", "url-samebody" };
    double      ms[5];
    uint64_t    reloads[5] = { 0 }, unch[5] = { 0 };
    int         rounds = 5;
    int         opt = 0;
    int         i;

    memset(&fcfg, 0, sizeof(fcfg));
    memset(&ucfg, 0, sizeof(ucfg));
    memset(&ncfg, 0, sizeof(ncfg));
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f': fcfg.hardware_file = optarg; break;
        case 'u': ucfg.hardware_url = optarg; break;
        case 'n': noetag = optarg; break;
        case 'C': ucfg.ca_file = optarg; break;
        case 'r': rounds = atoi(optarg); break;
        case 'w': watch_doc = optarg; break;
        default: return 2;
        }
    }
    if (watch_doc != NULL && rounds >= 1)
        return bench_watch(watch_doc, rounds);
    if (fcfg.hardware_file == NULL || ucfg.hardware_url == NULL ||
        noetag == NULL || rounds < 1) {
        fprintf(stderr, "bench_source: --file, --url and --url-noetag are "
                "required\n");
        return 2;
    }
    ncfg = ucfg;
    ncfg.hardware_url = noetag;
    ucfg.timeout = ncfg.timeout = 60;
    ms[0] = measure(&fcfg, true, rounds, &reloads[0], &unch[0]);
    ms[1] = measure(&fcfg, false, rounds, &reloads[1], &unch[1]);
    ms[2] = measure(&ucfg, true, rounds, &reloads[2], &unch[2]);
    ms[3] = measure(&ucfg, false, rounds, &reloads[3], &unch[3]);
    ms[4] = measure(&ncfg, false, rounds, &reloads[4], &unch[4]);
    for (i = 0; i < 5; i++) {
        if (ms[i] < 0)
            return 1;
    }
    /* the unchanged refreshes must really have been "unchanged" */
    if (unch[1] != (uint64_t)rounds || unch[3] != (uint64_t)rounds ||
        unch[4] != (uint64_t)rounds) {
        fprintf(stderr, "bench_source: unchanged refreshes were re-parsed "
                "(%llu/%llu/%llu of %d)\n", (unsigned long long)unch[1],
                (unsigned long long)unch[3], (unsigned long long)unch[4],
                rounds);
        return 1;
    }
    for (i = 0; i < 5; i++)
        printf("%-15s %10.3f ms  %7.4fx file-load\n", names[i], ms[i],
               ms[i] / ms[0]);
    return 0;
}
