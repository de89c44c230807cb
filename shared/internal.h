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

/* ------------------------------------------------------------------ */
/* Building a snapshot (hwdb.c; used by the loader)                    */
/* ------------------------------------------------------------------ */

typedef struct boots_hwdb_builder boots_hwdb_builder;

/* New empty builder, or NULL when out of memory. */
boots_hwdb_builder *boots_hwdb_builder_new(void);

/* Free a builder that was not finished (NULL is ignored). */
void boots_hwdb_builder_free(boots_hwdb_builder *b);

/*
 * Copy s[0..len) into the snapshot's string arena, NUL-terminated, sharing
 * one copy between equal strings.  Returns a pointer that stays valid for
 * the snapshot's life (borrowed), or NULL when out of memory.
 */
const char *boots_hwdb_builder_str(boots_hwdb_builder *b, const char *s,
                                   size_t len);

/*
 * Append a copy of *hw.  Its strings must come from boots_hwdb_builder_str
 * of the same builder.  iface_prefix names the JSON path of the record's
 * interface list ("spec.interfaces"; a static string) for duplicate errors.
 * 0 or BOOTS_ENOMEM.
 */
int boots_hwdb_builder_add(boots_hwdb_builder *b, const boots_hw *hw,
                           const char *iface_prefix);

/* Count one more hardware record (object), with or without interfaces. */
void boots_hwdb_builder_record(boots_hwdb_builder *b);

/* Entries added so far. */
size_t boots_hwdb_builder_count(const boots_hwdb_builder *b);

/*
 * Build the indexes and check that no MAC or IP is used twice (the error
 * names both records, with source as the message prefix).  Always consumes
 * the builder.  0 with *out a new snapshot (one reference), or a negative
 * BOOTS_E* with *out NULL and *err filled.
 */
int boots_hwdb_builder_finish(boots_hwdb_builder *b, const char *source,
                              boots_hwdb **out, boots_error *err);

#endif /* BOOTS_INTERNAL_H */
