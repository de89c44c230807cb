/*
 * bench_core.c - how fast and how big is the hardware snapshot?
 *
 * Generates N Kubernetes Hardware records (a `kubectl get hardware -A -o
 * json` style List, unique MACs and IPs) into a temporary file, then:
 *  - baseline: jansson's json_load_file of the same file alone;
 *  - boots_hwdb_load_file: time, ratio to the baseline, memory per record
 *    (boots_hwdb_memory / count and RSS growth), peak RSS;
 *  - lookups per second by MAC and by IP over random keys.
 *  - the error path: the same file cut at 90% (a truncated download) must
 *    be rejected without building the whole document's tree;
 *  - a reload through a file source (boots_source_load) after 1% of the
 *    records changed (their hostnames), against the first, full load.
 * Each load runs in its own child process so that peak RSS (ru_maxrss) is
 * measured for that load alone.  Loads are repeated and the median taken.
 *
 * Usage: bench_core [records] [runs]     (defaults 100000, 3)
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boots.h"
#include "boots_source.h"

#define LOOKUPS 2000000u

typedef struct result {
    double seconds;
    long rss_before_kb;
    long rss_after_kb;
    long peak_kb;
    size_t count;
    size_t memory;
    double mac_lookups_per_s;
    double ip_lookups_per_s;
    double reload_seconds;
    size_t changed;
    int ok;
} result;

static char variant_path[64];     /* the file with 1% of records changed */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    long pages = 0;
    long resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f == NULL)
        return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* change_every > 0: every change_every-th record gets another hostname. */
static int generate(const char *path, unsigned n, unsigned change_every)
{
    FILE *f = fopen(path, "w");
    unsigned i = 0;

    if (f == NULL)
        return -1;
    fprintf(f, "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
    for (i = 0; i < n; i++) {
        uint32_t ip = 0x0a000000u + 0x100u + i;     /* 10.0.1.0 + i */
        fprintf(f,
"        {\n"
"            \"apiVersion\": \"tinkerbell.org/v1alpha1\",\n"
"            \"kind\": \"Hardware\",\n"
"            \"metadata\": {\n"
"                \"creationTimestamp\": \"2026-11-20T10:00:00Z\",\n"
"                \"generation\": 1,\n"
"                \"labels\": {\"rack\": \"r%02u\"},\n"
"                \"managedFields\": [{\"apiVersion\": \"tinkerbell.org/v1alpha1\", \"fieldsType\": \"FieldsV1\", \"manager\": \"kubectl-client-side-apply\", \"operation\": \"Update\", \"time\": \"2026-11-20T10:00:00Z\"}],\n"
"                \"name\": \"hw-%06u\",\n"
"                \"namespace\": \"tink-system\",\n"
"                \"resourceVersion\": \"%u\",\n"
"                \"uid\": \"6a1c2f0e-0000-4000-8000-%012u\"\n"
"            },\n"
"            \"spec\": {\n"
"                \"interfaces\": [\n"
"                    {\n"
"                        \"dhcp\": {\n"
"                            \"arch\": \"x86_64\",\n"
"                            \"hostname\": \"hw-%06u%s\",\n"
"                            \"ip\": {\"address\": \"%u.%u.%u.%u\", \"gateway\": \"10.0.0.1\", \"netmask\": \"255.0.0.0\"},\n"
"                            \"lease_time\": 86400,\n"
"                            \"mac\": \"02:00:%02x:%02x:%02x:%02x\",\n"
"                            \"name_servers\": [\"10.0.0.1\"],\n"
"                            \"uefi\": true\n"
"                        },\n"
"                        \"netboot\": {\"allowPXE\": true, \"allowWorkflow\": true}\n"
"                    }\n"
"                ],\n"
"                \"metadata\": {\"facility\": {\"facility_code\": \"onprem\"}}\n"
"            }\n"
"        }%s\n",
            i % 40, i, 100000 + i, i, i,
            change_every > 0 && i % change_every == 0 ? "-renamed" : "",
            ip >> 24, ip >> 16 & 0xff, ip >> 8 & 0xff, ip & 0xff,
            i >> 24 & 0xff, i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff,
            i + 1 < n ? "," : "");
    }
    fprintf(f, "    ],\n    \"kind\": \"List\",\n"
               "    \"metadata\": {\"resourceVersion\": \"\"}\n}\n");
    return fclose(f) == 0 ? 0 : -1;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void child_jansson(const char *path, result *r)
{
    json_error_t jerr;
    json_t *root = NULL;
    double t0 = 0;

    r->rss_before_kb = rss_kb();
    t0 = now();
    root = json_load_file(path, 0, &jerr);
    r->seconds = now() - t0;
    r->rss_after_kb = rss_kb();
    r->ok = root != NULL;
    if (root != NULL)
        r->count = json_array_size(json_object_get(root, "items"));
    json_decref(root);
}

static void child_boots(const char *path, result *r)
{
    boots_error err;
    boots_hwdb *db = NULL;
    uint8_t (*macs)[6] = NULL;
    uint32_t *ips = NULL;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    size_t found = 0;
    double t0 = 0;
    size_t i = 0;

    r->rss_before_kb = rss_kb();
    t0 = now();
    if (boots_hwdb_load_file(path, &db, &err) != 0) {
        fprintf(stderr, "bench_core: %s\n", err.message);
        return;
    }
    r->seconds = now() - t0;
    r->rss_after_kb = rss_kb();
    r->count = boots_hwdb_count(db);
    r->memory = boots_hwdb_memory(db);

    /* random keys drawn from the snapshot, prepared before timing */
    macs = malloc(LOOKUPS * sizeof(*macs));
    ips = malloc(LOOKUPS * sizeof(*ips));
    if (macs == NULL || ips == NULL || r->count == 0)
        goto cleanup;
    for (i = 0; i < LOOKUPS; i++) {
        const boots_hw *hw = boots_hwdb_at(db, xorshift(&seed) % r->count);
        memcpy(macs[i], hw->mac, 6);
        ips[i] = boots_hwdb_at(db, xorshift(&seed) % r->count)->ip;
    }
    t0 = now();
    for (i = 0; i < LOOKUPS; i++)
        found += boots_hwdb_by_mac(db, macs[i]) != NULL;
    r->mac_lookups_per_s = LOOKUPS / (now() - t0);
    t0 = now();
    for (i = 0; i < LOOKUPS; i++)
        found += boots_hwdb_by_ip(db, ips[i]) != NULL;
    r->ip_lookups_per_s = LOOKUPS / (now() - t0);
    r->ok = found == 2u * LOOKUPS;     /* every key must be found */
    if (!r->ok)
        fprintf(stderr, "bench_core: %zu of %u lookups failed\n",
                2u * LOOKUPS - found, 2u * LOOKUPS);
cleanup:
    free(macs);
    free(ips);
    boots_hwdb_unref(db);
}

/* A file source: the full first load, then a reload of the file after 1%
 * of its records changed. */
static void child_reload(const char *path, result *r)
{
    char current[80];
    char next[80];
    boots_source_config cfg;
    boots_hwdb_holder *holder = NULL;
    boots_source *src = NULL;
    boots_hwdb *db = NULL;
    boots_error err;
    double t0 = 0;
    const boots_hw *hw = NULL;

    snprintf(current, sizeof(current), "%s.current", path);
    snprintf(next, sizeof(next), "%s.next", path);
    unlink(current);
    unlink(next);
    memset(&cfg, 0, sizeof(cfg));
    cfg.hardware_file = current;
    holder = boots_hwdb_holder_new();
    if (holder == NULL || link(path, current) != 0 ||
        link(variant_path, next) != 0)
        goto cleanup;
    src = boots_source_new(&cfg, holder, NULL, NULL, NULL, &err);
    if (src == NULL)
        goto fail;
    t0 = now();
    if (boots_source_load(src, true, &err) != 0)
        goto fail;
    r->seconds = now() - t0;
    if (rename(next, current) != 0)
        goto cleanup;
    t0 = now();
    if (boots_source_load(src, true, &err) != 0)
        goto fail;
    r->reload_seconds = now() - t0;
    /* the change must show: record 0 was renamed */
    db = boots_hwdb_holder_get(holder);
    r->count = boots_hwdb_count(db);
    hw = boots_hwdb_at(db, 0);
    r->ok = hw != NULL && hw->hostname != NULL &&
            strcmp(hw->hostname, "hw-000000-renamed") == 0;
    if (!r->ok)
        fprintf(stderr, "bench_core: the reload did not take the change\n");
    goto cleanup;
fail:
    fprintf(stderr, "bench_core: %s\n", err.message);
cleanup:
    boots_hwdb_unref(db);
    boots_source_free(src);
    boots_hwdb_holder_free(holder);
    unlink(current);
    unlink(next);
}

static void child_truncated(const char *path, result *r)
{
    boots_error err;
    boots_hwdb *db = NULL;
    double t0 = 0;
    int rc = 0;

    r->rss_before_kb = rss_kb();
    t0 = now();
    rc = boots_hwdb_load_file(path, &db, &err);
    r->seconds = now() - t0;
    r->rss_after_kb = rss_kb();
    r->ok = rc == BOOTS_EPARSE && db == NULL;
    if (!r->ok)
        fprintf(stderr, "bench_core: truncated file: rc %d, want %d\n", rc,
                BOOTS_EPARSE);
    boots_hwdb_unref(db);
}

/* Copy the first 9/10 of src to dst. */
static int truncate_copy(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb");
    FILE *out = fopen(dst, "wb");
    long size = 0;
    long left = 0;
    char buf[65536];
    int rc = -1;

    if (in == NULL || out == NULL || fseek(in, 0, SEEK_END) != 0)
        goto cleanup;
    size = ftell(in);
    rewind(in);
    for (left = size / 10 * 9; left > 0;) {
        size_t n = fread(buf, 1, left < (long)sizeof(buf) ? (size_t)left
                                                           : sizeof(buf), in);
        if (n == 0 || fwrite(buf, 1, n, out) != n)
            goto cleanup;
        left -= (long)n;
    }
    rc = 0;
cleanup:
    if (in != NULL)
        fclose(in);
    if (out != NULL && fclose(out) != 0)
        rc = -1;
    return rc;
}

/* Run fn in a child; the result comes back through a pipe, peak RSS from
 * the child's rusage. */
static int run_child(void (*fn)(const char *, result *), const char *path,
                     result *r)
{
    int fds[2];
    pid_t pid = 0;
    int status = 0;
    struct rusage ru;

    memset(r, 0, sizeof(*r));
    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        result cr;

        close(fds[0]);
        memset(&cr, 0, sizeof(cr));
        fn(path, &cr);
        if (write(fds[1], &cr, sizeof(cr)) != (ssize_t)sizeof(cr))
            _exit(2);
        _exit(0);
    }
    close(fds[1]);
    if (read(fds[0], r, sizeof(*r)) != (ssize_t)sizeof(*r))
        r->ok = 0;
    close(fds[0]);
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    r->peak_kb = ru.ru_maxrss;
    return r->ok ? 0 : -1;
}

static int cmp_reload_seconds(const void *a, const void *b)
{
    double x = ((const result *)a)->reload_seconds;
    double y = ((const result *)b)->reload_seconds;

    return (x > y) - (x < y);
}

static int cmp_seconds(const void *a, const void *b)
{
    double x = ((const result *)a)->seconds;
    double y = ((const result *)b)->seconds;

    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100000u;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    char dir[] = "/tmp/boots-core-bench-XXXXXX";
    char path[64];
    char cut[64];
    result base[9];
    result trunc;
    result load[9];
    result reload[9];
    long file_kb = 0;
    FILE *f = NULL;
    int rc = 1;
    int i = 0;

    if (n == 0 || runs < 1 || runs > 9) {
        fprintf(stderr, "usage: bench_core [records>0] [runs 1..9]\n");
        return 2;
    }
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof(path), "%s/hardware.json", dir);
    snprintf(cut, sizeof(cut), "%s/truncated.json", dir);
    snprintf(variant_path, sizeof(variant_path), "%s/changed.json", dir);
    if (generate(path, n, 0) != 0 || generate(variant_path, n, 100) != 0) {
        perror("generate");
        goto cleanup;
    }
    f = fopen(path, "r");
    if (f != NULL) {
        fseek(f, 0, SEEK_END);
        file_kb = ftell(f) / 1024;
        fclose(f);
    }
    printf("bench-core: %u Kubernetes Hardware records, %ld KB of JSON, "
           "median of %d runs\n", n, file_kb, runs);
    for (i = 0; i < runs; i++) {
        if (run_child(child_jansson, path, &base[i]) != 0 ||
            run_child(child_boots, path, &load[i]) != 0 ||
            run_child(child_reload, path, &reload[i]) != 0) {
            fprintf(stderr, "bench_core: run %d failed\n", i + 1);
            goto cleanup;
        }
        if (load[i].count != n || base[i].count != n) {
            fprintf(stderr, "bench_core: loaded %zu entries, expected %u\n",
                    load[i].count, n);
            goto cleanup;
        }
    }
    if (truncate_copy(path, cut) != 0 ||
        run_child(child_truncated, cut, &trunc) != 0) {
        fprintf(stderr, "bench_core: truncated-file run failed\n");
        goto cleanup;
    }
    qsort(base, (size_t)runs, sizeof(result), cmp_seconds);
    qsort(load, (size_t)runs, sizeof(result), cmp_seconds);
    qsort(reload, (size_t)runs, sizeof(result), cmp_reload_seconds);
    {
        const result *b = &base[runs / 2];
        const result *l = &load[runs / 2];

        printf("  baseline json_load_file:  %8.3f s   RSS growth %7ld KB"
               "   peak RSS %7ld KB\n", b->seconds,
               b->rss_after_kb - b->rss_before_kb, b->peak_kb);
        printf("  boots_hwdb_load_file:     %8.3f s   RSS growth %7ld KB"
               "   peak RSS %7ld KB\n", l->seconds,
               l->rss_after_kb - l->rss_before_kb, l->peak_kb);
        printf("  load time ratio (boots / jansson alone): %.2f\n",
               l->seconds / b->seconds);
        printf("  peak RSS ratio  (boots / jansson alone): %.2f\n",
               (double)l->peak_kb / (double)b->peak_kb);
        printf("  snapshot memory: %zu bytes = %.1f bytes per record "
               "(sizeof(boots_hw) = %zu)\n", l->memory,
               (double)l->memory / (double)l->count, sizeof(boots_hw));
        printf("  RSS growth per record after load: %.1f bytes\n",
               (double)(l->rss_after_kb - l->rss_before_kb) * 1024.0 /
               (double)l->count);
        printf("  lookups by MAC: %.1f M/s   by IP: %.1f M/s "
               "(%u random keys each)\n", l->mac_lookups_per_s / 1e6,
               l->ip_lookups_per_s / 1e6, LOOKUPS);
        printf("  truncated file (90%%) rejected in %.3f s, peak RSS %ld KB "
               "(ratio to jansson's peak: %.2f)\n", trunc.seconds,
               trunc.peak_kb, (double)trunc.peak_kb / (double)b->peak_kb);
        printf("  file source, reload after 1%% of records changed: %.3f s "
               "(ratio to its first, full load %.3f s: %.2f)\n",
               reload[runs / 2].reload_seconds, reload[runs / 2].seconds,
               reload[runs / 2].reload_seconds / reload[runs / 2].seconds);
    }
    rc = 0;
cleanup:
    unlink(path);
    unlink(cut);
    unlink(variant_path);
    rmdir(dir);
    return rc;
}
