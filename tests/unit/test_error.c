/*
 * test_error.c - boots_error helpers (shared/error.c): code names,
 * clearing, bounded copies and the escaping of values in messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "boots.h"
#include "internal.h"

static void test_strerror(void **state)
{
    static const int codes[] = {
        BOOTS_OK, BOOTS_ENOMEM, BOOTS_EIO, BOOTS_EPARSE, BOOTS_EINVAL,
        BOOTS_EDUP, BOOTS_ENOTFOUND, BOOTS_EUNSAFE, BOOTS_ETOOBIG,
        BOOTS_ESOURCE,
    };
    size_t i = 0;
    size_t j = 0;

    (void)state;
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        assert_non_null(boots_strerror(codes[i]));
        assert_string_not_equal(boots_strerror(codes[i]), "unknown error");
        for (j = 0; j < i; j++)
            assert_string_not_equal(boots_strerror(codes[i]),
                                    boots_strerror(codes[j]));
    }
    assert_string_equal(boots_strerror(-1000), "unknown error");
    assert_string_equal(boots_strerror(BOOTS_EINVAL), "invalid value");
}

static void test_set_and_clear(void **state)
{
    boots_error err;
    char longrec[400];

    (void)state;
    memset(longrec, 'r', sizeof(longrec) - 1);
    longrec[sizeof(longrec) - 1] = '\0';
    assert_int_equal(boots_error_set(&err, BOOTS_EINVAL, longrec, "a.b",
                                     "%s: %d", "x", 7), BOOTS_EINVAL);
    assert_int_equal(err.code, BOOTS_EINVAL);
    assert_int_equal(strlen(err.record), sizeof(err.record) - 1);
    assert_string_equal(err.field, "a.b");
    assert_string_equal(err.message, "x: 7");
    boots_error_set(&err, BOOTS_EIO, NULL, NULL, "io");
    assert_string_equal(err.record, "");
    assert_string_equal(err.field, "");
    boots_error_clear(&err);
    assert_int_equal(err.code, 0);
    assert_string_equal(err.message, "");
    boots_error_clear(NULL);
    assert_int_equal(boots_error_set(NULL, BOOTS_EDUP, "r", "f", "m"),
                     BOOTS_EDUP);
}

static const struct escape_case {
    const char *in;
    size_t len;
    size_t size;
    const char *out;
} escapes[] = {
    { "plain", 5, 64, "plain" },
    { "a\"b\\c", 5, 64, "a\\\"b\\\\c" },
    { "a\nb\x01\x7f\xc3\xa9", 7, 64, "a\\x0ab\\x01\\x7f\\xc3\\xa9" },
    { "a\0b", 3, 64, "a\\x00b" },
    { "abcdefgh", 8, 8, "abcd..." },       /* cut to fit the buffer */
    { "", 0, 4, "" },
};

static void test_escape(void **state)
{
    char out[300];
    char big[200];
    size_t i = 0;

    (void)state;
    for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
        boots_escape(escapes[i].in, escapes[i].len, out, escapes[i].size);
        assert_string_equal(out, escapes[i].out);
    }
    /* long input: at most BOOTS_ESCAPE_MAX_INPUT bytes, then "..." */
    memset(big, 'x', sizeof(big));
    boots_escape(big, sizeof(big), out, sizeof(out));
    assert_int_equal(strlen(out), BOOTS_ESCAPE_MAX_INPUT + 3);
    assert_string_equal(out + BOOTS_ESCAPE_MAX_INPUT, "...");
    /* never a partial \xNN */
    boots_escape("\x01\x02\x03", 3, out, 10);
    assert_string_equal(out, "\\x01...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_set_and_clear),
        cmocka_unit_test(test_escape),
    };

    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
