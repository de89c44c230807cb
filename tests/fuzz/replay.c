/*
 * replay.c - run a libFuzzer target's LLVMFuzzerTestOneInput over files
 * given on the command line, without libFuzzer (plain compiler + ASan).
 * Used to replay the unit-test data and any crash a fuzzer found.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int i = 0;

    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        uint8_t *buf = NULL;
        long len = 0;

        if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) {
            perror(argv[i]);
            return 1;
        }
        rewind(f);
        buf = malloc(len > 0 ? (size_t)len : 1);
        if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
            perror(argv[i]);
            return 1;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, (size_t)len);
        free(buf);
        printf("replayed %s (%ld bytes)\n", argv[i], len);
    }
    return 0;
}
