/*
 * error.c - the boots_error record and the names of BOOTS_E* codes.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

void boots_error_clear(boots_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof(*err));
}

const char *boots_strerror(int code)
{
    switch (code) {
    case BOOTS_OK:        return "success";
    case BOOTS_ENOMEM:    return "out of memory";
    case BOOTS_EIO:       return "input/output error";
    case BOOTS_EPARSE:    return "invalid JSON";
    case BOOTS_EINVAL:    return "invalid value";
    case BOOTS_EDUP:      return "duplicate MAC or IP address";
    case BOOTS_ENOTFOUND: return "not found";
    case BOOTS_EUNSAFE:   return "unsafe value for an iPXE script";
    case BOOTS_ETOOBIG:   return "value too big";
    case BOOTS_ESOURCE:   return "hardware source failed";
    default:              return "unknown error";
    }
}

/* Copy src into dst[size], truncating; NULL counts as "". */
static void copy_bounded(char *dst, size_t size, const char *src)
{
    size_t n = 0;

    if (src != NULL) {
        n = strlen(src);
        if (n >= size)
            n = size - 1;
        memcpy(dst, src, n);
    }
    dst[n] = '\0';
}

int boots_error_setv(boots_error *err, int code, const char *record,
                     const char *field, const char *fmt, va_list ap)
{
    if (err == NULL)
        return code;
    err->code = code;
    copy_bounded(err->record, sizeof(err->record), record);
    copy_bounded(err->field, sizeof(err->field), field);
    if (vsnprintf(err->message, sizeof(err->message), fmt, ap) < 0)
        copy_bounded(err->message, sizeof(err->message),
                     boots_strerror(code));
    return code;
}

int boots_error_set(boots_error *err, int code, const char *record,
                    const char *field, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    boots_error_setv(err, code, record, field, fmt, ap);
    va_end(ap);
    return code;
}

char *boots_escape(const char *s, size_t len, char *out, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    size_t i = 0;
    size_t limit = len;

    if (size == 0)
        return out;
    if (s == NULL)
        len = limit = 0;
    if (limit > BOOTS_ESCAPE_MAX_INPUT)
        limit = BOOTS_ESCAPE_MAX_INPUT;
    for (i = 0; i < limit; i++) {
        unsigned char c = (unsigned char)s[i];
        char piece[5];
        size_t n = 0;

        if (c == '"' || c == '\\') {
            piece[n++] = '\\';
            piece[n++] = (char)c;
        } else if (c >= 0x20 && c < 0x7f) {
            piece[n++] = (char)c;
        } else {
            piece[n++] = '\\';
            piece[n++] = 'x';
            piece[n++] = hex[c >> 4];
            piece[n++] = hex[c & 0xf];
        }
        if (o + n + 4 > size)   /* keep room for "..." and NUL */
            break;
        memcpy(out + o, piece, n);
        o += n;
    }
    if (i < len && o + 4 <= size) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}
