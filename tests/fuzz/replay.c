/*
 * replay.c - run a libFuzzer target's LLVMFuzzerTestOneInput over files
 * and directories given on the command line, without libFuzzer (plain
 * compiler + ASan/UBSan).  Used by `make fuzz-replay` to replay every seed
 * corpus (and any crash a fuzzer found) through its target.
 *
 * A directory stands for every regular file directly inside it.  Every
 * argument must hold at least one input: an empty or missing corpus is an
 * error, not a silent pass.  A broken invariant aborts inside the target.
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run one file through the target; 0, or -1 if it cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long len = 0;
    int rc = -1;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) {
        perror(path);
        goto out;
    }
    rewind(f);
    /* Exactly len bytes, so ASan sees any read past the input. */
    buf = malloc(len > 0 ? (size_t)len : 1);
    if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
        perror(path);
        goto out;
    }
    LLVMFuzzerTestOneInput(buf, (size_t)len);
    rc = 0;
out:
    free(buf);
    if (f != NULL)
        fclose(f);
    return rc;
}

/* Replay every regular file of dir; returns the count, or -1. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e = NULL;
    long n = 0;

    if (d == NULL) {
        perror(dir);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        char path[PATH_MAX];
        struct stat st;
        int len = 0;

        if (e->d_name[0] == '.')
            continue;
        len = snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (len < 0 || (size_t)len >= sizeof(path) || stat(path, &st) != 0) {
            fprintf(stderr, "%s/%s: cannot read\n", dir, e->d_name);
            n = -1;
            break;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        if (replay_file(path) != 0) {
            n = -1;
            break;
        }
        n++;
    }
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    long total = 0;
    int i = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (i = 1; i < argc; i++) {
        struct stat st;
        long n = 0;

        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        n = S_ISDIR(st.st_mode) ? replay_dir(argv[i])
                                : (replay_file(argv[i]) == 0 ? 1 : -1);
        if (n < 0)
            return 1;
        if (n == 0) {
            fprintf(stderr, "%s: no inputs to replay\n", argv[i]);
            return 1;
        }
        total += n;
    }
    printf("%s: replayed %ld inputs, all invariants held\n", argv[0], total);
    return 0;
}
