/*
 * fuzz_input.h - splitting one fuzz input into the fields a target needs.
 *
 * Every variable field is copied into its own heap block of exactly its
 * size, so ASan reports any read past a field's end (the targets hand
 * these blocks to the core as borrowed buffers).  A reader that runs out
 * of input yields zero bytes and absent fields.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_BLOCKS 128

typedef struct fuzz_input {
    const uint8_t *data;
    size_t         size;
    size_t         pos;
    void          *blocks[FUZZ_MAX_BLOCKS];   /* freed by fuzz_input_free */
    size_t         n_blocks;
} fuzz_input;

static inline void fuzz_check(int ok)
{
    if (!ok)
        abort();
}

static inline void fuzz_input_init(fuzz_input *in, const uint8_t *data,
                                   size_t size)
{
    memset(in, 0, sizeof(*in));
    in->data = data;
    in->size = size;
}

static inline void fuzz_input_free(fuzz_input *in)
{
    size_t i = 0;

    for (i = 0; i < in->n_blocks; i++)
        free(in->blocks[i]);
    in->n_blocks = 0;
}

static inline size_t fuzz_left(const fuzz_input *in)
{
    return in->size - in->pos;
}

static inline uint8_t fuzz_u8(fuzz_input *in)
{
    return fuzz_left(in) > 0 ? in->data[in->pos++] : 0;
}

static inline uint16_t fuzz_u16(fuzz_input *in)
{
    uint16_t hi = fuzz_u8(in);

    return (uint16_t)(hi << 8 | fuzz_u8(in));
}

static inline void *fuzz_keep(fuzz_input *in, size_t size)
{
    void *p = NULL;

    fuzz_check(in->n_blocks < FUZZ_MAX_BLOCKS);
    p = malloc(size > 0 ? size : 1);
    fuzz_check(p != NULL);
    in->blocks[in->n_blocks++] = p;
    return p;
}

/* Copy of the next n bytes (fewer if the input ends), in a block of
 * exactly that size; *len receives the size. */
static inline uint8_t *fuzz_bytes(fuzz_input *in, size_t n, size_t *len)
{
    uint8_t *p = NULL;

    if (n > fuzz_left(in))
        n = fuzz_left(in);
    p = fuzz_keep(in, n);
    memcpy(p, in->data + in->pos, n);
    in->pos += n;
    *len = n;
    return p;
}

/* A field with a 16-bit length prefix; NULL (len 0) once the input ended. */
static inline uint8_t *fuzz_field(fuzz_input *in, size_t *len)
{
    size_t n = 0;

    *len = 0;
    if (fuzz_left(in) == 0)
        return NULL;
    n = fuzz_u16(in);
    return fuzz_bytes(in, n, len);
}

/*
 * A NUL-terminated string: the bytes up to the next NUL of the input (or
 * its end).  NULL once the input ended, so later fields are "not set".
 */
static inline const char *fuzz_string(fuzz_input *in)
{
    const uint8_t *start = in->data + in->pos;
    const uint8_t *nul = NULL;
    size_t n = 0;
    char *s = NULL;

    if (fuzz_left(in) == 0)
        return NULL;
    nul = memchr(start, '\0', fuzz_left(in));
    n = nul != NULL ? (size_t)(nul - start) : fuzz_left(in);
    s = fuzz_keep(in, n + 1);
    memcpy(s, start, n);
    s[n] = '\0';
    in->pos += n + (nul != NULL ? 1 : 0);
    return s;
}

#endif /* FUZZ_INPUT_H */
