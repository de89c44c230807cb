/*
 * fuzz_script.c - libFuzzer target for the iPXE script renderer,
 * boots_ipxe_script_render(), with hostile values in every boots_hw string
 * field and every script setting, and a fuzzed output buffer size.
 *
 * Input layout (fuzz_input.h):
 *   u8  flags    1 allowWorkflow, 2 tink_tls, 4 mac_str taken from the
 *                fuzzed string (else the canonical form of the MAC),
 *                8 console unset (default), 16 kernel_args unset
 *   u16 buffer size for the snprintf-semantics check
 *   u8  retries, u8 retry delay (signed: negative means default)
 *   6   MAC, u16 vlan_id
 *   NUL-separated strings (absent once the input ends = NULL):
 *     hw: id hostname arch facility ipxe_url ipxe_contents osie_base_url
 *         osie_kernel osie_initrd mac_str
 *     settings: osie_url tink_server syslog_host facility registry
 *         registry_username registry_password tink_worker_image
 *         kernel_args console
 *
 * The render either fails (negative BOOTS_E*, error filled, buffer empty,
 * the password never in the message) or yields a script in which no value
 * broke out: the chain and operator-script shapes are exact, and the Hook
 * script has the same lines, labels, commands, blanks and iPXE
 * metacharacters ($ { } # & | ; quotes backslash) as the script rendered
 * from plain values.
 * snprintf semantics hold for any buffer size, and the registry password
 * reaches the script only for workflow-enabled hardware.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boots.h"
#include "fuzz_input.h"

/* The iPXE commands the Hook script uses, and its labels. */
static const char *const COMMANDS[] = {
    "echo", "set", "kernel", "initrd", "boot", "iseq", "inc", "sleep",
    "goto", "imgfree", "exit", NULL
};
static const char *const LABELS[] = {
    ":kernel_retry", ":initrd", ":initrd_retry", ":boot", ":boot_retry",
    ":kernel_failed", ":initrd_failed", ":boot_failed", NULL
};
/* iPXE metacharacters, and the blanks that separate arguments. */
static const char METACHARS[] = "${}#&|;\"'`\\ \t";

/* What must not change when values change: line count and the count of
 * each iPXE metacharacter. */
typedef struct {
    size_t lines;
    size_t meta[sizeof(METACHARS)];
} shape;

static void script_shape(const char *script, shape *sh)
{
    const char *p = NULL;

    memset(sh, 0, sizeof(*sh));
    for (p = script; *p != '\0'; p++) {
        const char *m = strchr(METACHARS, *p);

        if (*p == '\n')
            sh->lines++;
        else if (m != NULL)
            sh->meta[m - METACHARS]++;
    }
}

static bool in_list(const char *const *list, const char *s, size_t n)
{
    size_t i = 0;

    for (i = 0; list[i] != NULL; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return true;
    return false;
}

/* Every line of a Hook script: "#!ipxe" first, then empty lines, known
 * labels, or a known command; "set" lines have exactly one value; only
 * printable ASCII. */
static void check_hook_lines(const char *script)
{
    const char *line = script;
    size_t no = 0;

    fuzz_check(strncmp(script, "#!ipxe\n", 7) == 0);
    while (*line != '\0') {
        const char *nl = strchr(line, '\n');
        size_t len = 0;
        size_t word = 0;
        size_t i = 0;

        fuzz_check(nl != NULL);         /* ends with a newline */
        len = (size_t)(nl - line);
        for (i = 0; i < len; i++)
            fuzz_check(line[i] >= 0x20 && line[i] < 0x7f);
        word = strcspn(line, " \n");
        if (no == 0)
            fuzz_check(len == 6);
        else if (len > 0 && line[0] == ':')
            fuzz_check(word == len && in_list(LABELS, line, len));
        else if (len > 0)
            fuzz_check(in_list(COMMANDS, line, word));
        if (len > 4 && strncmp(line, "set ", 4) == 0) {
            const char *sp = memchr(line + 4, ' ', len - 4);

            fuzz_check(sp != NULL && sp + 1 < nl);
            fuzz_check(memchr(sp + 1, ' ', (size_t)(nl - sp - 1)) == NULL);
        }
        line = nl + 1;
        no++;
    }
}

/* A plain value where v is set; an unset value (NULL or "") stays as is. */
static const char *plain(const char *v, const char *value)
{
    return v != NULL && v[0] != '\0' ? value : v;
}

/*
 * The reference shape of a Hook script: the same hardware and settings
 * with every set value replaced by a plain one-token value (unset ones
 * stay unset, console and kernel_args, which are lists, stay as they
 * are).  A value that added a line, a command, an argument or an iPXE
 * expansion shows as a different shape.
 */
static void reference_shape(const boots_script_settings *s,
                            const boots_hw *hw, shape *sh)
{
    boots_script_settings rs = *s;
    boots_hw rh = *hw;
    boots_error err;
    char buf[8192];
    long n = 0;

    rh.id = plain(hw->id, "default/plain");
    rh.arch = plain(hw->arch, "x86_64");
    rh.facility = plain(hw->facility, "onprem");
    rh.osie_base_url = plain(hw->osie_base_url, "http://10.99.0.2/hook");
    rh.osie_kernel = plain(hw->osie_kernel, "vmlinuz");
    rh.osie_initrd = plain(hw->osie_initrd, "initramfs");
    snprintf(rh.mac_str, sizeof(rh.mac_str), "52:54:00:00:00:01");
    rs.osie_url = plain(s->osie_url, "http://10.99.0.1/hook");
    rs.tink_server = plain(s->tink_server, "10.99.0.1:42113");
    rs.syslog_host = plain(s->syslog_host, "10.99.0.1");
    rs.facility = plain(s->facility, "lab");
    rs.registry = plain(s->registry, "10.99.0.1:5000");
    rs.registry_username = plain(s->registry_username, "admin");
    rs.registry_password = plain(s->registry_password, "Admin1234");
    rs.tink_worker_image = plain(s->tink_worker_image,
                                 "10.99.0.1:5000/tink-worker:latest");
    n = boots_ipxe_script_render(&rs, &rh, buf, sizeof(buf), &err);
    fuzz_check(n > 0 && (size_t)n < sizeof(buf));
    script_shape(buf, sh);
}

/* A value of the same length and the same safety class as the password
 * (an unset password stays unset). */
static char *other_password(fuzz_input *in, const char *pw)
{
    size_t n = 0;
    char *o = NULL;

    if (pw == NULL)
        return NULL;
    n = strlen(pw);
    o = fuzz_keep(in, n + 1);
    memset(o, boots_ipxe_token_is_safe(pw) ? 'Q' : '$', n);
    o[n] = '\0';
    return o;
}

static long render(const boots_script_settings *s, const boots_hw *hw,
                   char *buf, size_t size, boots_error *err)
{
    memset(err, 0, sizeof(*err));
    return boots_ipxe_script_render(s, hw, buf, size, err);
}

static bool is_set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    boots_script_settings s;
    boots_script_settings s2;
    boots_hw hw;
    boots_error err;
    boots_error err2;
    uint8_t flags = 0;
    size_t bufsize = 0;
    uint8_t *mac = NULL;
    size_t n = 0;
    const char *mac_str = NULL;
    char *full = NULL;
    char *full2 = NULL;
    char *small = NULL;
    long len = 0;

    memset(&s, 0, sizeof(s));
    memset(&hw, 0, sizeof(hw));
    fuzz_input_init(&in, data, size);

    flags = fuzz_u8(&in);
    bufsize = fuzz_u16(&in);
    s.retries = (int8_t)fuzz_u8(&in);
    s.retry_delay = (int8_t)fuzz_u8(&in);
    mac = fuzz_bytes(&in, 6, &n);
    memcpy(hw.mac, mac, n);
    hw.vlan_id = (int16_t)fuzz_u16(&in);
    hw.allow_pxe = true;
    hw.allow_workflow = (flags & 1) != 0;
    s.tink_tls = (flags & 2) != 0;

    hw.id = fuzz_string(&in);
    hw.hostname = fuzz_string(&in);
    hw.arch = fuzz_string(&in);
    hw.facility = fuzz_string(&in);
    hw.ipxe_url = fuzz_string(&in);
    hw.ipxe_contents = fuzz_string(&in);
    hw.osie_base_url = fuzz_string(&in);
    hw.osie_kernel = fuzz_string(&in);
    hw.osie_initrd = fuzz_string(&in);
    mac_str = fuzz_string(&in);
    s.osie_url = fuzz_string(&in);
    s.tink_server = fuzz_string(&in);
    s.syslog_host = fuzz_string(&in);
    s.facility = fuzz_string(&in);
    s.registry = fuzz_string(&in);
    s.registry_username = fuzz_string(&in);
    s.registry_password = fuzz_string(&in);
    s.tink_worker_image = fuzz_string(&in);
    s.kernel_args = (flags & 16) ? NULL : fuzz_string(&in);
    s.console = (flags & 8) ? NULL : fuzz_string(&in);
    if ((flags & 4) && mac_str != NULL)
        snprintf(hw.mac_str, sizeof(hw.mac_str), "%s", mac_str);
    else
        boots_mac_format(hw.mac, hw.mac_str);

    /* The same input with another password of the same class. */
    s2 = s;
    s2.registry_password = other_password(&in, s.registry_password);

    len = render(&s, &hw, NULL, 0, &err);
#ifdef FUZZ_VERBOSE
    printf("render: %ld %s\n", len, len < 0 ? err.message : "");
#endif
    if (len < 0) {
        fuzz_check(len == BOOTS_EINVAL || len == BOOTS_EUNSAFE
                   || len == BOOTS_ETOOBIG);
        fuzz_check(err.code == len);
        fuzz_check(memchr(err.message, '\0', sizeof(err.message)) != NULL);
        fuzz_check(err.message[0] != '\0');
        /* The message is the same whatever the password is: it never
         * quotes it. */
        fuzz_check(render(&s2, &hw, NULL, 0, &err2) == len);
        fuzz_check(strcmp(err.message, err2.message) == 0);
        /* A failed render leaves an empty string in any buffer. */
        small = fuzz_keep(&in, bufsize);
        memset(small, 'x', bufsize);
        fuzz_check(render(&s, &hw, small, bufsize, &err) == len);
        fuzz_check(bufsize == 0 || small[0] == '\0');
        goto out;
    }

    /* Exact fit. */
    full = fuzz_keep(&in, (size_t)len + 1);
    fuzz_check(render(&s, &hw, full, (size_t)len + 1, &err) == len);
    fuzz_check(strlen(full) == (size_t)len);
    /* Any size: same length returned, a NUL-terminated prefix stored. */
    small = fuzz_keep(&in, bufsize);
    fuzz_check(render(&s, &hw, small, bufsize, &err) == len);
    if (bufsize > 0) {
        size_t kept = (size_t)len < bufsize ? (size_t)len : bufsize - 1;

        fuzz_check(small[kept] == '\0');
        fuzz_check(memcmp(small, full, kept) == 0);
    }

    if (is_set(hw.ipxe_url)) {
        /* Chain: exactly one line naming a safe http(s) URL. */
        fuzz_check(boots_ipxe_token_is_safe(hw.ipxe_url));
        fuzz_check(strncasecmp(hw.ipxe_url, "http://", 7) == 0
                   || strncasecmp(hw.ipxe_url, "https://", 8) == 0);
        fuzz_check((size_t)len == 25 + strlen(hw.ipxe_url) + 1);
        fuzz_check(strncmp(full, "#!ipxe\n\nchain --autofree ", 25) == 0);
        fuzz_check(memcmp(full + 25, hw.ipxe_url, strlen(hw.ipxe_url)) == 0);
        fuzz_check(full[len - 1] == '\n');
    } else if (is_set(hw.ipxe_contents)) {
        /* The operator's script, as written, behind "#!ipxe". */
        size_t clen = strlen(hw.ipxe_contents);

        fuzz_check((size_t)len == clen || (size_t)len == clen + 7);
        fuzz_check(strcmp(full + (size_t)len - clen, hw.ipxe_contents)
                   == 0);
        fuzz_check((size_t)len == clen
                   || strncmp(full, "#!ipxe\n", 7) == 0);
        fuzz_check(strncmp(full, "#!ipxe", 6) == 0);
    } else {
        shape got;
        shape want;

        check_hook_lines(full);
        script_shape(full, &got);
        reference_shape(&s, &hw, &want);
        fuzz_check(memcmp(&got, &want, sizeof(got)) == 0);
        fuzz_check(strstr(full, hw.mac_str) != NULL);
    }

    /* The password goes to workflow-enabled hardware only. */
    full2 = fuzz_keep(&in, (size_t)len + 1);
    fuzz_check(render(&s2, &hw, full2, (size_t)len + 1, &err2) == len);
    if (!hw.allow_workflow || is_set(hw.ipxe_url) || is_set(hw.ipxe_contents))
        fuzz_check(strcmp(full, full2) == 0);
    else if (is_set(s.registry_password)) {
        /* The last one: kernel_args may hold the same text before it. */
        const char *p = NULL;
        const char *q = full;
        size_t plen = strlen(s.registry_password);

        while ((q = strstr(q, " registry_password=")) != NULL)
            p = q++;
        fuzz_check(p != NULL);
        fuzz_check(strncmp(p + 19, s.registry_password, plen) == 0);
        fuzz_check(p[19 + plen] == ' ' || p[19 + plen] == '\n');
    }
out:
    fuzz_input_free(&in);
    return 0;
}
