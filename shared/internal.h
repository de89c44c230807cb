/*
 * internal.h - helpers shared by the core's own files (not installed, not
 * part of the plugins' API).
 */
#ifndef BOOTS_INTERNAL_H
#define BOOTS_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "boots.h"

#if defined(__GNUC__)
#define BOOTS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BOOTS_PRINTF(f, a)
#endif

/*
 * Fill *err (err may be NULL): code, record and field (NULL means "") are
 * copied, truncated to their fixed sizes; message is formatted from fmt
 * (printf style) and is the complete human-readable text, so callers put
 * the source, record and field into it themselves.  Returns code, so a
 * caller can write `return boots_error_set(err, BOOTS_EINVAL, ...)`.
 * Never pass a secret as an argument.
 */
int boots_error_set(boots_error *err, int code, const char *record,
                    const char *field, const char *fmt, ...)
    BOOTS_PRINTF(5, 6);

/* The same with a va_list. */
int boots_error_setv(boots_error *err, int code, const char *record,
                     const char *field, const char *fmt, va_list ap)
    BOOTS_PRINTF(5, 0);

/* Longest value (in input bytes) quoted in an error message. */
#define BOOTS_ESCAPE_MAX_INPUT 64

/*
 * Write s[0..len) into out (size bytes, always NUL-terminated when size > 0)
 * for quoting in a message: printable ASCII is copied, '"' and '\\' get a
 * backslash, every other byte becomes \xNN; input beyond
 * BOOTS_ESCAPE_MAX_INPUT bytes (or what does not fit) is cut and "..."
 * appended.  Returns out.  size >= 4 * BOOTS_ESCAPE_MAX_INPUT + 4 never
 * truncates early.
 */
char *boots_escape(const char *s, size_t len, char *out, size_t size);

#endif /* BOOTS_INTERNAL_H */
