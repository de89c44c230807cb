/*
 * source_probe - a minimal host for a boots_source, for the integration
 * tests: loads once, starts the background refresh, and keeps a status
 * file up to date (rewritten atomically every 100 ms) with the stats and
 * the "mac=hostname" pairs of the test machines 02:00:00:00:00:01..0f in
 * the current snapshot, so a shell test can poll it.  Log lines go to
 * stderr.  SIGUSR1 asks the refresh thread for a load now
 * (boots_source_request_load).  Stops on SIGTERM/SIGINT.
 *
 *   source_probe --status FILE (--file PATH | --url URL [--token-file F]
 *                [--ca-file F] [--cert-file F --key-file F])
 *                [--interval S] [--timeout S] [--watch]
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boots_source.h"

static void on_log(void *ctx, int level, const char *message)
{
    static const char *names[] = { "error", "warn", "info", "debug" };

    (void)ctx;
    fprintf(stderr, "source_probe: %s: %s\n",
            level >= 0 && level <= 3 ? names[level] : "?", message);
    fflush(stderr);
}

static int write_status(const char *path, boots_source *src,
                        boots_hwdb_holder *holder)
{
    boots_source_stats st;
    boots_hwdb        *db = NULL;
    char               tmp[4096];
    FILE              *fp = NULL;
    size_t             i;

    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    fp = fopen(tmp, "w");
    if (fp == NULL)
        return -1;
    boots_source_get_stats(src, &st);
    db = boots_hwdb_holder_get(holder);
    fprintf(fp, "reload_ok=%llu\nreload_failed=%llu\nsource_errors=%llu\n"
            "unchanged=%llu\nlast_success=%lld\n",
            (unsigned long long)st.reload_ok,
            (unsigned long long)st.reload_failed,
            (unsigned long long)st.source_errors,
            (unsigned long long)st.unchanged, (long long)st.last_success);
    fprintf(fp, "generation=%llu\nentries=%zu\n",
            db ? (unsigned long long)boots_hwdb_generation(db) : 0ULL,
            db ? boots_hwdb_count(db) : (size_t)0);
    /* the test machines are 02:00:00:00:00:01 .. 0f (looked up by MAC,
     * so the file stays small however many records there are) */
    for (i = 1; db != NULL && i < 16; i++) {
        const uint8_t   mac[6] = { 2, 0, 0, 0, 0, (uint8_t)i };
        const boots_hw *hw = boots_hwdb_by_mac(db, mac);

        if (hw != NULL)
            fprintf(fp, "host %s=%s\n", hw->mac_str,
                    hw->hostname ? hw->hostname : "-");
    }
    boots_hwdb_unref(db);
    if (fclose(fp) != 0)
        return -1;
    return rename(tmp, path);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "status",     required_argument, NULL, 's' },
        { "file",       required_argument, NULL, 'f' },
        { "url",        required_argument, NULL, 'u' },
        { "token-file", required_argument, NULL, 't' },
        { "ca-file",    required_argument, NULL, 'C' },
        { "cert-file",  required_argument, NULL, 'c' },
        { "key-file",   required_argument, NULL, 'k' },
        { "interval",   required_argument, NULL, 'i' },
        { "timeout",    required_argument, NULL, 'T' },
        { "watch",      no_argument,       NULL, 'w' },
        { NULL, 0, NULL, 0 }
    };
    boots_source_config cfg;
    boots_hwdb_holder  *holder = NULL;
    boots_source       *src = NULL;
    boots_error         err;
    const char         *status = NULL;
    sigset_t            sigs;
    struct timespec     tick = { 0, 100 * 1000 * 1000 };
    int                 opt = 0;
    int                 sig = 0;
    int                 rc = 1;

    memset(&cfg, 0, sizeof(cfg));
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 's': status = optarg; break;
        case 'f': cfg.hardware_file = optarg; break;
        case 'u': cfg.hardware_url = optarg; break;
        case 't': cfg.token_file = optarg; break;
        case 'C': cfg.ca_file = optarg; break;
        case 'c': cfg.cert_file = optarg; break;
        case 'k': cfg.key_file = optarg; break;
        case 'i': cfg.refresh_interval = (unsigned)atoi(optarg); break;
        case 'T': cfg.timeout = (unsigned)atoi(optarg); break;
        case 'w': cfg.watch = true; break;
        default:
            fprintf(stderr, "source_probe: bad option\n");
            return 2;
        }
    }
    if (status == NULL) {
        fprintf(stderr, "source_probe: --status is required\n");
        return 2;
    }
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGUSR1);
    sigprocmask(SIG_BLOCK, &sigs, NULL);

    holder = boots_hwdb_holder_new();
    if (holder == NULL)
        goto out;
    src = boots_source_new(&cfg, holder, on_log, NULL, NULL, &err);
    if (src == NULL) {
        fprintf(stderr, "source_probe: %s\n", err.message);
        goto out;
    }
    if (boots_source_load(src, true, &err) != 0)
        fprintf(stderr, "source_probe: first load failed: %s\n",
                err.message);
    if (boots_source_start(src, &err) != 0) {
        fprintf(stderr, "source_probe: %s\n", err.message);
        goto out;
    }
    for (;;) {
        if (write_status(status, src, holder) != 0) {
            fprintf(stderr, "source_probe: cannot write %s: %s\n", status,
                    strerror(errno));
            goto out;
        }
        sig = sigtimedwait(&sigs, NULL, &tick);
        if (sig == SIGUSR1) {
            if (boots_source_request_load(src, &err) != 0)
                fprintf(stderr, "source_probe: %s\n", err.message);
        } else if (sig >= 0) {
            break;
        }
    }
    rc = 0;
out:
    boots_source_free(src);
    boots_hwdb_holder_free(holder);
    return rc;
}
