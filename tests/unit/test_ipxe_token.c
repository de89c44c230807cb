/*
 * test_ipxe_token.c - which values may stand in an iPXE script line
 * (shared/ipxe_token.c), table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "boots.h"

static const struct token_case {
    const char *value;
    bool token;    /* boots_ipxe_token_is_safe */
    bool args;     /* boots_ipxe_args_are_safe */
} cases[] = {
    { "x86_64", true, true },
    { "http://10.0.0.1:8080/hook/vmlinuz-x86_64?a=b&c", false, false },
    { "http://10.0.0.1:8080/hook/vmlinuz-x86_64?a=b", true, true },
    { "sm01.example.com", true, true },
    { "console=ttyS0,115200", true, true },
    { "a=b c=d", false, true },
    { "", false, true },            /* empty list: no extra arguments */
    { " a", false, false },
    { "a ", false, false },
    { "a  b", false, false },
    { "a\tb", false, false },
    { "a\nb", false, false },
    { "a\rb", false, false },
    { "${mac}", false, false },
    { "a$b", false, false },
    { "a{b", false, false },
    { "a}b", false, false },
    { "#comment", false, false },
    { "a;b", false, false },
    { "a&&b", false, false },
    { "a||b", false, false },
    { "a\"b", false, false },
    { "a'b", false, false },
    { "a`b", false, false },
    { "a\\b", false, false },
    { "a\x01", false, false },
    { "a\x7f", false, false },
    { "caf\xc3\xa9", false, false },  /* non-ASCII */
};

static void test_tokens(void **state)
{
    size_t i = 0;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (boots_ipxe_token_is_safe(cases[i].value) != cases[i].token)
            fail_msg("token \"%s\": want %d", cases[i].value, cases[i].token);
        if (boots_ipxe_args_are_safe(cases[i].value) != cases[i].args)
            fail_msg("args \"%s\": want %d", cases[i].value, cases[i].args);
    }
    assert_false(boots_ipxe_token_is_safe(NULL));
    assert_false(boots_ipxe_args_are_safe(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
    };

    return cmocka_run_group_tests_name("ipxe_token", tests, NULL, NULL);
}
