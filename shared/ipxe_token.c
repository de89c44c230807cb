/*
 * ipxe_token.c - is a value safe to place in an iPXE script line?
 *
 * iPXE expands ${...} settings, treats '#' as a comment, splits on
 * whitespace, joins commands with '&&' / '||', and honours quotes and
 * backslash escapes.  A hardware value that contains any of these could
 * change what the script does, so the loader and the script renderer accept
 * only values made of "plain" printable ASCII.
 */
#include "boots.h"

/* True for a byte that may appear inside one iPXE token. */
static bool token_byte_ok(unsigned char c)
{
    if (c <= 0x20 || c >= 0x7f)     /* controls, space, DEL, non-ASCII */
        return false;
    switch (c) {
    case '"': case '\'': case '`':
    case '$': case '{': case '}':
    case '#': case ';': case '&': case '|':
    case '\\':
        return false;
    default:
        return true;
    }
}

bool boots_ipxe_token_is_safe(const char *value)
{
    const unsigned char *p = (const unsigned char *)value;

    if (p == NULL || *p == '\0')
        return false;
    for (; *p != '\0'; p++) {
        if (!token_byte_ok(*p))
            return false;
    }
    return true;
}

/*
 * A list of tokens separated by single spaces: no leading, trailing or
 * doubled space, and no other whitespace.  The empty string is an empty
 * list and is safe (no extra arguments).
 */
bool boots_ipxe_args_are_safe(const char *value)
{
    const unsigned char *p = (const unsigned char *)value;
    bool prev_space = true;         /* forbids a leading space */

    if (p == NULL)
        return false;
    if (*p == '\0')
        return true;
    for (; *p != '\0'; p++) {
        if (*p == ' ') {
            if (prev_space)
                return false;
            prev_space = true;
            continue;
        }
        if (!token_byte_ok(*p))
            return false;
        prev_space = false;
    }
    return !prev_space;             /* forbids a trailing space */
}
