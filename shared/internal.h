/*
 * internal.h - helpers shared by the core's own files (not installed, not
 * part of the plugins' API).
 */
#ifndef BOOTS_INTERNAL_H
#define BOOTS_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

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

/* The same without sharing: for strings that seldom repeat (record ids,
 * hostnames), which would only crowd the string set. */
const char *boots_hwdb_builder_strcopy(boots_hwdb_builder *b, const char *s,
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

/*
 * Append a copy of *hw, an entry of another snapshot: its strings are
 * copied into (and shared within) this builder's arena.  0, BOOTS_ENOMEM
 * or BOOTS_ETOOBIG.
 */
int boots_hwdb_builder_copy(boots_hwdb_builder *b, const boots_hw *hw,
                            const char *iface_prefix);

/*
 * Reusing unchanged records across loads (see hwdb.c, "Reusing records").
 * A digest names a record's JSON text; it is keyed per process.
 */
typedef struct boots_span_digest {
    uint64_t h[2];
} boots_span_digest;

void boots_span_digest_of(const char *p, size_t len, boots_span_digest *out);

/* The last n entries added came from one record whose text has digest d;
 * prefix as for boots_hwdb_builder_add.  0 or a BOOTS_E*. */
int boots_hwdb_builder_note(boots_hwdb_builder *b, const boots_span_digest *d,
                            size_t n, const char *prefix);

/* An index of an older snapshot's noted records (holds a reference to it);
 * NULL when it noted none or memory is short (then nothing is reused). */
typedef struct boots_hwdb_reuse boots_hwdb_reuse;
boots_hwdb_reuse *boots_hwdb_reuse_new(const boots_hwdb *prev);
void boots_hwdb_reuse_free(boots_hwdb_reuse *r);

/* If the older snapshot noted a record with digest d: copy its entries,
 * note and count the record, return 1.  0 when there is none (r may be
 * NULL); a BOOTS_E* (< 0) when memory ran out. */
int boots_hwdb_builder_reuse(boots_hwdb_builder *b, boots_hwdb_reuse *r,
                             const boots_span_digest *d);

/* Records a snapshot copied from an older one instead of parsing them. */
size_t boots_hwdb_reused(const boots_hwdb *db);

/* ------------------------------------------------------------------ */
/* Loading with hooks (hardware_json.c; used by the Kubernetes watch)  */
/* ------------------------------------------------------------------ */

typedef struct boots_hw_load_hooks {
    void *ctx;
    /*
     * After each record was loaded and added: rec is its JSON object
     * (borrowed, valid during the call), n the entries it added (they
     * are the last n of the builder), prefix its interface path
     * ("spec.interfaces", static).  A non-zero return (a BOOTS_E*)
     * stops the load.  May be NULL.
     */
    int (*record)(void *ctx, const json_t *rec, size_t n,
                  const char *prefix);
    /* Each member of a streamed top-level object other than "items"
     * (e.g. a list's "metadata"); value is borrowed.  May be NULL. */
    void (*member)(void *ctx, const char *key, const json_t *value);
    /* Set by the loader: the document was an object whose "items" array
     * was streamed (a Kubernetes list). */
    bool items_streamed;
} boots_hw_load_hooks;

/*
 * boots_hwdb_load_buffer for a source loaded before: records of a streamed
 * list that are unchanged since prev (the source's current snapshot; may
 * be NULL) are copied from it instead of parsed.  Same result and errors.
 */
int boots_hwdb_load_buffer_reuse(const char *buf, size_t len,
                                 const char *source_name,
                                 const boots_hwdb *prev, boots_hwdb **out,
                                 boots_error *err);

/* boots_hwdb_load_buffer, telling hooks (may be NULL) what it loads. */
int boots_hwdb_load_buffer_hooks(const char *buf, size_t len,
                                 const char *source_name,
                                 boots_hw_load_hooks *hooks,
                                 boots_hwdb **out, boots_error *err);

/*
 * Validate one Hardware object (or tink-server record) obj exactly as the
 * loader does for a list element, and add its entries and its record to
 * b.  pos (e.g. "items[3]"; NULL: "(object)") names an object that has
 * no name, as the loader names a list element by its position.  *prefix
 * (may be NULL) gets its interface path.  Errors are those of a load
 * ("SOURCE: record NS/NAME: field ...: ...").  0 or a negative BOOTS_E*;
 * on error b may hold some of the object's entries.
 */
int boots_hw_parse_object(const json_t *obj, const char *source,
                          const char *pos, boots_hwdb_builder *b,
                          const char **prefix, boots_error *err);

#endif /* BOOTS_INTERNAL_H */
