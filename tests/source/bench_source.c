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
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boots_source.h"

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

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "file",       required_argument, NULL, 'f' },
        { "url",        required_argument, NULL, 'u' },
        { "url-noetag", required_argument, NULL, 'n' },
        { "ca-file",    required_argument, NULL, 'C' },
        { "rounds",     required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 }
    };
    boots_source_config fcfg, ucfg, ncfg;
    const char *noetag = NULL;
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
        default: return 2;
        }
    }
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
