/*
 * test_ipxe_script.c - the iPXE script renderer (shared/ipxe_script.c):
 * the Hook script and its kernel command line, custom scripts, rejection
 * of every value that could change the script, snprintf semantics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "boots.h"

#define MAC_STR "3c:ec:ef:4c:4f:54"
#define PASSWORD "s3cretPassw0rd"

static char buf[8192];

static boots_script_settings minimal_settings(void)
{
    boots_script_settings s;

    memset(&s, 0, sizeof(s));
    s.osie_url = "http://10.99.0.1/hook";
    s.retries = -1;
    s.retry_delay = -1;
    return s;
}

static boots_script_settings full_settings(void)
{
    boots_script_settings s = minimal_settings();

    s.tink_server = "10.99.0.1:42113";
    s.tink_tls = true;
    s.syslog_host = "10.99.0.2";
    s.facility = "lab1";
    s.registry = "10.99.0.1:5000";
    s.registry_username = "admin";
    s.registry_password = PASSWORD;
    s.tink_worker_image = "10.99.0.1:5000/tink-worker:v0.12";
    s.kernel_args = "intel_iommu=on iommu=pt";
    return s;
}

static boots_hw hardware(void)
{
    boots_hw hw;

    memset(&hw, 0, sizeof(hw));
    hw.id = "default/sm01";
    hw.arch = "x86_64";
    memcpy(hw.mac_str, MAC_STR, sizeof(MAC_STR));
    hw.vlan_id = -1;
    hw.allow_pxe = true;
    return hw;
}

static long render(const boots_script_settings *s, const boots_hw *hw,
                   boots_error *err)
{
    memset(buf, 0x55, sizeof(buf));
    return boots_ipxe_script_render(s, hw, buf, sizeof(buf), err);
}

/* The "kernel ..." line of a rendered script, copied into line. */
static void kernel_line(const char *script, char *line, size_t size)
{
    const char *start = strstr(script, "\nkernel ");
    const char *end = NULL;

    assert_non_null(start);
    start++;
    end = strchr(start, '\n');
    assert_non_null(end);
    assert_true((size_t)(end - start) < size);
    memcpy(line, start, (size_t)(end - start));
    line[end - start] = '\0';
}

/* ---------------------------------------------------------------- */
/* The Hook script                                                   */
/* ---------------------------------------------------------------- */

static const char DEFAULT_SCRIPT[] =
    "#!ipxe\n"
    "\n"
    "echo Tinkerbell Hook boot for " MAC_STR "\n"
    "set arch x86_64\n"
    "set download-url http://10.99.0.1/hook\n"
    "set kernel vmlinuz-x86_64\n"
    "set initrd initramfs-x86_64\n"
    "set retries:int32 10\n"
    "set retry_delay:int32 2\n"
    "\n"
    "set idx:int32 0\n"
    ":kernel_retry\n"
    "kernel ${download-url}/${kernel} initrd=initramfs-x86_64"
    " worker_id=" MAC_STR " hw_addr=" MAC_STR
    " modules=loop,squashfs,sd-mod,usb-storage"
    " console=tty0 console=ttyS0,115200 && goto initrd ||\n"
    "iseq ${idx} ${retries} && goto kernel_failed ||\n"
    "inc idx\n"
    "echo kernel failed, retry ${idx} of ${retries} in ${retry_delay}s\n"
    "sleep ${retry_delay}\n"
    "goto kernel_retry\n"
    "\n"
    ":initrd\n"
    "set idx:int32 0\n"
    ":initrd_retry\n"
    "initrd ${download-url}/${initrd} && goto boot ||\n"
    "iseq ${idx} ${retries} && goto initrd_failed ||\n"
    "inc idx\n"
    "echo initrd failed, retry ${idx} of ${retries} in ${retry_delay}s\n"
    "sleep ${retry_delay}\n"
    "goto initrd_retry\n"
    "\n"
    ":boot\n"
    "set idx:int32 0\n"
    ":boot_retry\n"
    "boot ||\n"
    "iseq ${idx} ${retries} && goto boot_failed ||\n"
    "inc idx\n"
    "echo boot failed, retry ${idx} of ${retries} in ${retry_delay}s\n"
    "sleep ${retry_delay}\n"
    "goto boot_retry\n"
    "\n"
    ":kernel_failed\n"
    "echo Could not load ${download-url}/${kernel}\n"
    "imgfree\n"
    "exit 1\n"
    "\n"
    ":initrd_failed\n"
    "echo Could not load ${download-url}/${initrd}\n"
    "imgfree\n"
    "exit 1\n"
    "\n"
    ":boot_failed\n"
    "echo Could not boot the Hook kernel\n"
    "imgfree\n"
    "exit 1\n";

static void test_default_script(void **state)
{
    boots_script_settings s = minimal_settings();
    boots_hw hw = hardware();
    boots_error err;

    (void)state;
    assert_int_equal(boots_script_settings_check(&s, &err), 0);
    assert_int_equal(render(&s, &hw, &err), sizeof(DEFAULT_SCRIPT) - 1);
    assert_string_equal(buf, DEFAULT_SCRIPT);

    /* A trailing '/' on the download URL is not doubled. */
    s.osie_url = "http://10.99.0.1/hook//";
    assert_int_equal(render(&s, &hw, &err), sizeof(DEFAULT_SCRIPT) - 1);
    assert_string_equal(buf, DEFAULT_SCRIPT);

    /* No arch in the entry: x86_64. */
    hw.arch = NULL;
    assert_int_equal(render(&s, &hw, &err), sizeof(DEFAULT_SCRIPT) - 1);
    assert_string_equal(buf, DEFAULT_SCRIPT);
}

static void test_cmdline_order_workflow(void **state)
{
    boots_script_settings s = full_settings();
    boots_hw hw = hardware();
    boots_error err;
    char line[2048];

    (void)state;
    hw.allow_workflow = true;
    hw.vlan_id = 42;
    hw.facility = "onprem";
    assert_int_equal(boots_script_settings_check(&s, &err), 0);
    assert_true(render(&s, &hw, &err) > 0);
    kernel_line(buf, line, sizeof(line));
    assert_string_equal(line,
        "kernel ${download-url}/${kernel}"
        " initrd=initramfs-x86_64"
        " facility=onprem"
        " syslog_host=10.99.0.2"
        " grpc_authority=10.99.0.1:42113"
        " tinkerbell_tls=true"
        " worker_id=" MAC_STR
        " hw_addr=" MAC_STR
        " vlan_id=42"
        " modules=loop,squashfs,sd-mod,usb-storage"
        " console=tty0 console=ttyS0,115200"
        " intel_iommu=on iommu=pt"
        " docker_registry=10.99.0.1:5000"
        " registry_username=admin"
        " registry_password=" PASSWORD
        " tink_worker_image=10.99.0.1:5000/tink-worker:v0.12"
        " && goto initrd ||");

    /* TLS off, no tink server: tinkerbell_tls=false, no grpc_authority. */
    s.tink_tls = false;
    s.tink_server = NULL;
    assert_true(render(&s, &hw, &err) > 0);
    kernel_line(buf, line, sizeof(line));
    assert_non_null(strstr(line, " tinkerbell_tls=false worker_id="));
    assert_null(strstr(buf, "grpc_authority"));
}

static void test_cmdline_workflow_off(void **state)
{
    boots_script_settings s = full_settings();
    boots_hw hw = hardware();
    boots_error err;
    char line[2048];

    (void)state;
    hw.allow_workflow = false;
    assert_true(render(&s, &hw, &err) > 0);
    kernel_line(buf, line, sizeof(line));
    assert_string_equal(line,
        "kernel ${download-url}/${kernel}"
        " initrd=initramfs-x86_64"
        " facility=lab1"
        " syslog_host=10.99.0.2"
        " worker_id=" MAC_STR
        " hw_addr=" MAC_STR
        " modules=loop,squashfs,sd-mod,usb-storage"
        " console=tty0 console=ttyS0,115200"
        " intel_iommu=on iommu=pt"
        " && goto initrd ||");
    /* Nothing of the workflow settings anywhere in the script. */
    assert_null(strstr(buf, "grpc_authority"));
    assert_null(strstr(buf, "tinkerbell_tls"));
    assert_null(strstr(buf, "docker_registry"));
    assert_null(strstr(buf, "registry_username"));
    assert_null(strstr(buf, PASSWORD));
    assert_null(strstr(buf, "tink_worker_image"));
    assert_null(strstr(buf, "10.99.0.1:5000"));

    /* Workflow settings are not even checked when they are not used. */
    s.registry_password = "bad value";
    assert_true(render(&s, &hw, &err) > 0);
}

static void test_optional_settings_omitted(void **state)
{
    boots_script_settings s = minimal_settings();
    boots_hw hw = hardware();
    boots_error err;
    char line[2048];

    (void)state;
    hw.allow_workflow = true;
    s.syslog_host = "";
    s.facility = "";
    s.registry = "";
    s.kernel_args = "";
    assert_true(render(&s, &hw, &err) > 0);
    kernel_line(buf, line, sizeof(line));
    assert_string_equal(line,
        "kernel ${download-url}/${kernel}"
        " initrd=initramfs-x86_64"
        " tinkerbell_tls=false"
        " worker_id=" MAC_STR
        " hw_addr=" MAC_STR
        " modules=loop,squashfs,sd-mod,usb-storage"
        " console=tty0 console=ttyS0,115200"
        " && goto initrd ||");

    /* An empty console setting means no console argument at all. */
    s.console = "";
    assert_true(render(&s, &hw, &err) > 0);
    kernel_line(buf, line, sizeof(line));
    assert_null(strstr(line, "console="));
    s.console = "console=ttyAMA0,115200";
    assert_true(render(&s, &hw, &err) > 0);
    kernel_line(buf, line, sizeof(line));
    assert_non_null(strstr(line,
        "usb-storage console=ttyAMA0,115200 && goto"));
}

static void test_facility_precedence(void **state)
{
    boots_script_settings s = minimal_settings();
    boots_hw hw = hardware();
    boots_error err;

    (void)state;
    s.facility = "lab1";
    assert_true(render(&s, &hw, &err) > 0);
    assert_non_null(strstr(buf, " facility=lab1 "));
    hw.facility = "onprem";
    assert_true(render(&s, &hw, &err) > 0);
    assert_non_null(strstr(buf, " facility=onprem "));
    assert_null(strstr(buf, "lab1"));
}

static void test_osie_overrides(void **state)
{
    boots_script_settings s = minimal_settings();
    boots_hw hw = hardware();
    boots_error err;
    char line[2048];

    (void)state;
    hw.osie_base_url = "http://mirror.example/hook/v0.9/";
    hw.osie_kernel = "vmlinuz-custom";
    hw.osie_initrd = "images/initramfs-custom";
    assert_true(render(&s, &hw, &err) > 0);
    assert_non_null(strstr(buf,
        "\nset download-url http://mirror.example/hook/v0.9\n"
        "set kernel vmlinuz-custom\n"
        "set initrd images/initramfs-custom\n"));
    assert_null(strstr(buf, "10.99.0.1"));
    kernel_line(buf, line, sizeof(line));
    /* iPXE names the image after the URL's last segment. */
    {
        static const char want[] = "kernel ${download-url}/${kernel} "
                                   "initrd=initramfs-custom worker_id=";

        assert_memory_equal(line, want, sizeof(want) - 1);
    }

    /* The base URL alone is enough, even without the osie_url setting. */
    s.osie_url = NULL;
    hw.osie_kernel = NULL;
    hw.osie_initrd = NULL;
    hw.arch = "aarch64";
    assert_true(render(&s, &hw, &err) > 0);
    assert_non_null(strstr(buf, "\nset arch aarch64\n"));
    assert_non_null(strstr(buf, "\nset kernel vmlinuz-aarch64\n"));
    assert_non_null(strstr(buf, "\nset initrd initramfs-aarch64\n"));
    assert_non_null(strstr(buf, " initrd=initramfs-aarch64 "));

    /* An initrd name ending in '/' names no file. */
    hw.osie_initrd = "images/";
    assert_int_equal(render(&s, &hw, &err), BOOTS_EINVAL);
    assert_string_equal(err.field, "netboot.osie.initrd");
    hw.osie_initrd = NULL;

    /* An entry without an id is still named in errors. */
    hw.id = NULL;
    hw.osie_kernel = "bad kernel";
    assert_int_equal(render(&s, &hw, &err), BOOTS_EUNSAFE);
    assert_non_null(strstr(err.message, "(no id)"));
    hw.id = "default/sm01";
    hw.osie_kernel = NULL;

    /* Neither: a clear error. */
    hw.osie_base_url = NULL;
    assert_int_equal(render(&s, &hw, &err), BOOTS_EINVAL);
    assert_int_equal(err.code, BOOTS_EINVAL);
    assert_non_null(strstr(err.message, "default/sm01"));
    assert_non_null(strstr(err.message, "osie"));
}

static void test_retries(void **state)
{
    boots_script_settings s = minimal_settings();
    boots_hw hw = hardware();
    boots_error err;

    (void)state;
    s.retries = 0;
    s.retry_delay = 5;
    assert_true(render(&s, &hw, &err) > 0);
    assert_non_null(strstr(buf, "\nset retries:int32 0\n"
                                "set retry_delay:int32 5\n"));
    s.retries = 3;
    s.retry_delay = 0;
    assert_true(render(&s, &hw, &err) > 0);
    assert_non_null(strstr(buf, "\nset retries:int32 3\n"
                                "set retry_delay:int32 0\n"));
}

static void test_vlan(void **state)
{
    static const struct { int vlan; const char *want; } cases[] = {
        { 1, " vlan_id=1 modules=" }, { 4094, " vlan_id=4094 modules=" },
        { -1, NULL }, { 0, NULL },
    };
    boots_script_settings s = minimal_settings();
    boots_hw hw = hardware();
    boots_error err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hw.vlan_id = (int16_t)cases[i].vlan;
        assert_true(render(&s, &hw, &err) > 0);
        if (cases[i].want)
            assert_non_null(strstr(buf, cases[i].want));
        else
            assert_null(strstr(buf, "vlan_id"));
    }
}

/* ---------------------------------------------------------------- */
/* Custom scripts                                                    */
/* ---------------------------------------------------------------- */

static void test_custom_contents(void **state)
{
    static const char contents[] =
        "echo ${hostname} say \"hi\" # operator's own script\n"
        "chain http://10.99.0.1/other.ipxe || shell\n";
    static const char with_banner[] = "#!ipxe\necho already a script\n";
    boots_script_settings s = minimal_settings();
    boots_hw hw = hardware();
    boots_error err;

    (void)state;
    hw.ipxe_contents = contents;
    hw.allow_workflow = true;
    s.registry_password = PASSWORD;
    assert_int_equal(render(&s, &hw, &err), 7 + sizeof(contents) - 1);
    assert_true(strncmp(buf, "#!ipxe\n", 7) == 0);
    assert_string_equal(buf + 7, contents);

    hw.ipxe_contents = with_banner;
    assert_int_equal(render(&s, &hw, &err), sizeof(with_banner) - 1);
    assert_string_equal(buf, with_banner);

    /* "#!ipxe" must be the whole first word to count as the banner. */
    hw.ipxe_contents = "#!ipxe2\n";
    assert_true(render(&s, &hw, &err) > 0);
    assert_string_equal(buf, "#!ipxe\n#!ipxe2\n");
    hw.ipxe_contents = "#!ipxe\techo tab\n";
    assert_true(render(&s, &hw, &err) > 0);
    assert_string_equal(buf, "#!ipxe\techo tab\n");
    hw.ipxe_contents = "#!ipxe";
    assert_true(render(&s, &hw, &err) > 0);
    assert_string_equal(buf, "#!ipxe");
}

static void test_custom_url(void **state)
{
    static const struct { const char *url; long rc; } cases[] = {
        { "http://10.99.0.1/custom.ipxe", 0 },
        { "https://boot.netboot.xyz", 0 },
        { "HTTPS://boot.example/a?b=c", 0 },
        { "ftp://10.99.0.1/custom.ipxe", BOOTS_EINVAL },
        { "tftp://10.99.0.1/custom.ipxe", BOOTS_EINVAL },
        { "10.99.0.1/custom.ipxe", BOOTS_EINVAL },
        { "http://10.99.0.1/a b", BOOTS_EUNSAFE },
        { "http://10.99.0.1/a\nshell", BOOTS_EUNSAFE },
        { "http://10.99.0.1/${x}", BOOTS_EUNSAFE },
    };
    boots_script_settings s = minimal_settings();
    boots_hw hw = hardware();
    size_t i;

    (void)state;
    hw.ipxe_contents = "echo not used\n";   /* the URL wins */
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char want[256];
        boots_error err;
        long n = 0;

        memset(&err, 0, sizeof(err));
        hw.ipxe_url = cases[i].url;
        n = render(&s, &hw, &err);
        if (cases[i].rc != 0) {
            assert_int_equal(n, cases[i].rc);
            assert_int_equal(err.code, cases[i].rc);
            assert_string_equal(err.field, "netboot.ipxe.url");
            assert_string_equal(err.record, "default/sm01");
            assert_string_equal(buf, "");
            continue;
        }
        snprintf(want, sizeof(want), "#!ipxe\n\nchain --autofree %s\n",
                 cases[i].url);
        assert_int_equal(n, (long)strlen(want));
        assert_string_equal(buf, want);
    }
}

/* ---------------------------------------------------------------- */
/* Unsafe values                                                     */
/* ---------------------------------------------------------------- */

static const char *const BAD_BYTES[] = {
    " ", "\t", "\n", "\r", "\"", "'", "`", "$", "{", "}", "#", ";", "&",
    "|", "\\", "\x01", "\x1b", "\x7f", "\x80", "\xff",
};
#define N_BAD (sizeof(BAD_BYTES) / sizeof(BAD_BYTES[0]))

/* A hardware field, where it is, and the error's field name. */
typedef struct {
    const char *name;
    size_t offset;
} hw_field;

static const hw_field HW_FIELDS[] = {
    { "dhcp.arch", offsetof(boots_hw, arch) },
    { "netboot.osie.baseURL", offsetof(boots_hw, osie_base_url) },
    { "netboot.osie.kernel", offsetof(boots_hw, osie_kernel) },
    { "netboot.osie.initrd", offsetof(boots_hw, osie_initrd) },
    { "metadata.facility.facility_code", offsetof(boots_hw, facility) },
};

static void test_unsafe_hardware_values(void **state)
{
    boots_script_settings s = full_settings();
    size_t f;
    size_t b;

    (void)state;
    for (f = 0; f < sizeof(HW_FIELDS) / sizeof(HW_FIELDS[0]); f++) {
        for (b = 0; b < N_BAD; b++) {
            boots_hw hw = hardware();
            boots_error err;
            char value[64];

            snprintf(value, sizeof(value), "ok%sok", BAD_BYTES[b]);
            *(const char **)((char *)&hw + HW_FIELDS[f].offset) = value;
            memset(&err, 0, sizeof(err));
            if (render(&s, &hw, &err) != BOOTS_EUNSAFE)
                fail_msg("field %s byte 0x%02x accepted", HW_FIELDS[f].name,
                         (unsigned char)BAD_BYTES[b][0]);
            assert_int_equal(err.code, BOOTS_EUNSAFE);
            assert_string_equal(err.field, HW_FIELDS[f].name);
            assert_string_equal(err.record, "default/sm01");
            assert_non_null(strstr(err.message, HW_FIELDS[f].name));
            assert_non_null(strstr(err.message, "default/sm01"));
            assert_string_equal(buf, "");
        }
    }
    /* A corrupt MAC string cannot slip in either. */
    {
        boots_hw hw = hardware();
        boots_error err;

        memcpy(hw.mac_str, "3c:ec:ef:4c:4f:5$", 18);
        assert_int_equal(render(&s, &hw, &err), BOOTS_EUNSAFE);
        assert_string_equal(err.field, "dhcp.mac");
    }
}

typedef struct {
    const char *name;
    size_t offset;
    bool list;       /* space-separated list (kernel_args, console) */
    bool workflow;   /* only rendered for allowWorkflow hardware */
    bool secret;
} setting_field;

static const setting_field SETTINGS[] = {
    { "osie_url", offsetof(boots_script_settings, osie_url), false, false,
      false },
    { "tink_server", offsetof(boots_script_settings, tink_server), false,
      true, false },
    { "syslog_host", offsetof(boots_script_settings, syslog_host), false,
      false, false },
    { "facility", offsetof(boots_script_settings, facility), false, false,
      false },
    { "registry", offsetof(boots_script_settings, registry), false, true,
      false },
    { "registry_username",
      offsetof(boots_script_settings, registry_username), false, true,
      false },
    { "registry_password",
      offsetof(boots_script_settings, registry_password), false, true,
      true },
    { "tink_worker_image",
      offsetof(boots_script_settings, tink_worker_image), false, true,
      false },
    { "kernel_args", offsetof(boots_script_settings, kernel_args), true,
      false, false },
    { "console", offsetof(boots_script_settings, console), true, false,
      false },
};

static void check_setting_rejected(const setting_field *f, const char *value)
{
    boots_script_settings s = full_settings();
    boots_hw hw = hardware();
    boots_error err;

    hw.allow_workflow = true;
    *(const char **)((char *)&s + f->offset) = value;

    memset(&err, 0, sizeof(err));
    if (boots_script_settings_check(&s, &err) != BOOTS_EUNSAFE)
        fail_msg("setting %s accepted \"%s\"", f->name, value);
    assert_string_equal(err.field, f->name);
    assert_non_null(strstr(err.message, f->name));
    if (f->secret)
        assert_null(strstr(err.message, value));

    memset(&err, 0, sizeof(err));
    if (render(&s, &hw, &err) != BOOTS_EUNSAFE)
        fail_msg("render with setting %s accepted \"%s\"", f->name, value);
    assert_string_equal(err.field, f->name);
    assert_string_equal(buf, "");
    if (f->secret)
        assert_null(strstr(err.message, value));
}

static void test_unsafe_settings(void **state)
{
    static const char *const list_bad[] = {
        " a", "a ", "a  b", "a\tb", "a\nb",
    };
    size_t f;
    size_t b;

    (void)state;
    for (f = 0; f < sizeof(SETTINGS) / sizeof(SETTINGS[0]); f++) {
        for (b = 0; b < N_BAD; b++) {
            char value[64];

            if (SETTINGS[f].list && BAD_BYTES[b][0] == ' ')
                continue;    /* a single space separates arguments */
            snprintf(value, sizeof(value), "ok%sok", BAD_BYTES[b]);
            check_setting_rejected(&SETTINGS[f], value);
        }
        if (SETTINGS[f].list) {
            for (b = 0; b < sizeof(list_bad) / sizeof(list_bad[0]); b++)
                check_setting_rejected(&SETTINGS[f], list_bad[b]);
        } else {
            check_setting_rejected(&SETTINGS[f], "two words");
        }
    }
}

/* The registry password never appears in an error, whatever fails. */
static void test_password_never_in_errors(void **state)
{
    static const char *const secrets[] = {
        PASSWORD "$", "pa ss", "p\"w", "\x01" PASSWORD,
    };
    boots_script_settings s = full_settings();
    boots_hw hw = hardware();
    boots_error err;
    size_t i;

    (void)state;
    hw.allow_workflow = true;
    for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
        s.registry_password = secrets[i];
        memset(&err, 0, sizeof(err));
        assert_int_equal(boots_script_settings_check(&s, &err),
                         BOOTS_EUNSAFE);
        assert_string_equal(err.field, "registry_password");
        assert_null(strstr(err.message, PASSWORD));
        assert_null(strstr(err.message, secrets[i]));
        assert_null(strstr(err.message, "pa ss"));
        assert_int_equal(render(&s, &hw, &err), BOOTS_EUNSAFE);
        assert_null(strstr(err.message, PASSWORD));
        assert_null(strstr(err.message, secrets[i]));
    }
    /* Another field failing: the (good) password is not mentioned. */
    s.registry_password = PASSWORD;
    s.registry_username = "ad min";
    assert_int_equal(render(&s, &hw, &err), BOOTS_EUNSAFE);
    assert_null(strstr(err.message, PASSWORD));
    assert_null(strstr(err.record, PASSWORD));
}

static void test_settings_check(void **state)
{
    boots_script_settings s = minimal_settings();
    boots_error err;

    (void)state;
    assert_int_equal(boots_script_settings_check(&s, &err), 0);
    s = full_settings();
    assert_int_equal(boots_script_settings_check(&s, &err), 0);
    s.osie_url = NULL;
    assert_int_equal(boots_script_settings_check(&s, &err), BOOTS_EINVAL);
    assert_string_equal(err.field, "osie_url");
    s.osie_url = "";
    assert_int_equal(boots_script_settings_check(&s, &err), BOOTS_EINVAL);
    assert_int_equal(boots_script_settings_check(NULL, &err), BOOTS_EINVAL);
    /* A NULL error pointer is allowed. */
    assert_int_equal(boots_script_settings_check(&s, NULL), BOOTS_EINVAL);
}

/* ---------------------------------------------------------------- */
/* snprintf semantics                                                */
/* ---------------------------------------------------------------- */

static void test_snprintf_semantics(void **state)
{
    boots_script_settings s = full_settings();
    boots_hw hw = hardware();
    boots_error err;
    char full[4096];
    char small[4096 + 16];
    long n = 0;
    long m = 0;
    size_t size;

    (void)state;
    hw.allow_workflow = true;
    n = boots_ipxe_script_render(&s, &hw, full, sizeof(full), &err);
    assert_true(n > 0 && (size_t)n < sizeof(full));
    assert_int_equal(strlen(full), (size_t)n);

    /* Measuring with no buffer gives the same length. */
    assert_int_equal(boots_ipxe_script_render(&s, &hw, NULL, 0, &err), n);

    /* Every too-small size: same length returned, NUL-terminated prefix,
     * nothing written past size. */
    for (size = 1; size <= (size_t)n + 1; size++) {
        memset(small, 0x55, sizeof(small));
        m = boots_ipxe_script_render(&s, &hw, small, size, &err);
        assert_int_equal(m, n);
        if (size <= (size_t)n) {
            assert_int_equal(strlen(small), size - 1);
            assert_memory_equal(small, full, size - 1);
        } else {
            assert_string_equal(small, full);
        }
        assert_int_equal((unsigned char)small[size], 0x55);
    }

    /* A size-0 buffer is never touched. */
    small[0] = 'x';
    assert_int_equal(boots_ipxe_script_render(&s, &hw, small, 0, &err), n);
    assert_int_equal(small[0], 'x');

    /* The same for a custom script. */
    hw.ipxe_contents = "echo hello\n";
    assert_int_equal(boots_ipxe_script_render(&s, &hw, small, 5, &err),
                     7 + 11);
    assert_string_equal(small, "#!ip");
}

static void test_bad_arguments(void **state)
{
    boots_script_settings s = minimal_settings();
    boots_hw hw = hardware();
    boots_error err;

    (void)state;
    assert_int_equal(boots_ipxe_script_render(NULL, &hw, buf, sizeof(buf),
                                              &err), BOOTS_EINVAL);
    assert_int_equal(boots_ipxe_script_render(&s, NULL, buf, sizeof(buf),
                                              &err), BOOTS_EINVAL);
    assert_int_equal(boots_ipxe_script_render(&s, NULL, buf, sizeof(buf),
                                              NULL), BOOTS_EINVAL);
}

/* ---------------------------------------------------------------- */
/* Random values: whatever is accepted cannot change the script      */
/* ---------------------------------------------------------------- */

static uint32_t rng_state = 0x9e3779b9u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* A short value, mostly harmless bytes, sometimes a dangerous one. */
static const char *random_value(char *out, size_t size, bool spaces)
{
    static const char plain[] = "abcXYZ019-_.:/=,@+";
    static const char risky[] = " \t\n\"'`${}#;&|\\\x01\x7f\x80";
    size_t len = 1 + rng() % (size - 1);
    size_t i;

    if (rng() % 8 == 0)
        return NULL;
    for (i = 0; i + 1 < len; i++) {
        if (rng() % 24 == 0)
            out[i] = risky[rng() % (sizeof(risky) - 1)];
        else if (spaces && rng() % 10 == 0)
            out[i] = ' ';
        else
            out[i] = plain[rng() % (sizeof(plain) - 1)];
    }
    out[i] = '\0';
    return out;
}

/*
 * The script with the template's own ${...} references, "&&", "||" and
 * the "#!ipxe" banner taken out must hold no character that means
 * something to iPXE: then no value added a command, a reference or a
 * comment.
 */
static void assert_no_injection(const char *script)
{
    static const char *const allowed[] = {
        "${download-url}", "${kernel}", "${initrd}", "${idx}",
        "${retries}", "${retry_delay}", " && ", " ||\n",
    };
    const char *p = script;

    assert_true(strncmp(p, "#!ipxe\n", 7) == 0);
    p += 7;
    while (*p != '\0') {
        size_t i;
        bool skipped = false;

        for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
            size_t n = strlen(allowed[i]);

            if (strncmp(p, allowed[i], n) == 0) {
                p += n;
                skipped = true;
                break;
            }
        }
        if (skipped)
            continue;
        if (strchr("$\"'`{}#;&|\\\t\r", *p) != NULL
            || (unsigned char)*p < 0x0a
            || ((unsigned char)*p > 0x0a && (unsigned char)*p < 0x20)
            || (unsigned char)*p >= 0x7f)
            fail_msg("unexpected byte 0x%02x in the script at \"%.20s\"",
                     (unsigned char)*p, p);
        p++;
    }
}

static void test_random_values(void **state)
{
    char v[12][24];
    int ok = 0;
    int rejected = 0;
    int i;

    (void)state;
    for (i = 0; i < 5000; i++) {
        boots_script_settings s = minimal_settings();
        boots_hw hw = hardware();
        boots_error err;
        long n;

        s.osie_url = random_value(v[0], sizeof(v[0]), false);
        s.tink_server = random_value(v[1], sizeof(v[1]), false);
        s.syslog_host = random_value(v[2], sizeof(v[2]), false);
        s.facility = random_value(v[3], sizeof(v[3]), false);
        s.registry_password = random_value(v[4], sizeof(v[4]), false);
        s.kernel_args = random_value(v[5], sizeof(v[5]), true);
        s.console = random_value(v[6], sizeof(v[6]), true);
        hw.osie_base_url = random_value(v[7], sizeof(v[7]), false);
        hw.osie_kernel = random_value(v[8], sizeof(v[8]), false);
        hw.osie_initrd = random_value(v[9], sizeof(v[9]), false);
        hw.facility = random_value(v[10], sizeof(v[10]), false);
        hw.arch = random_value(v[11], sizeof(v[11]), false);
        hw.allow_workflow = rng() % 2;
        hw.vlan_id = (int16_t)(rng() % 2 ? -1 : 1 + (int)(rng() % 4094));

        n = render(&s, &hw, &err);
        if (n < 0) {
            assert_true(n == BOOTS_EUNSAFE || n == BOOTS_EINVAL);
            assert_int_equal(err.code, n);
            assert_true(err.field[0] != '\0');
            assert_string_equal(buf, "");
            if (s.registry_password != NULL && strlen(s.registry_password) > 3)
                assert_null(strstr(err.message, s.registry_password));
            rejected++;
            continue;
        }
        assert_true((size_t)n < sizeof(buf));
        assert_int_equal(strlen(buf), (size_t)n);
        assert_no_injection(buf);
        ok++;
    }
    /* Both outcomes are exercised (fixed seed: deterministic). */
    assert_true(ok > 100);
    assert_true(rejected > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_script),
        cmocka_unit_test(test_cmdline_order_workflow),
        cmocka_unit_test(test_cmdline_workflow_off),
        cmocka_unit_test(test_optional_settings_omitted),
        cmocka_unit_test(test_facility_precedence),
        cmocka_unit_test(test_osie_overrides),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_vlan),
        cmocka_unit_test(test_custom_contents),
        cmocka_unit_test(test_custom_url),
        cmocka_unit_test(test_unsafe_hardware_values),
        cmocka_unit_test(test_unsafe_settings),
        cmocka_unit_test(test_password_never_in_errors),
        cmocka_unit_test(test_settings_check),
        cmocka_unit_test(test_snprintf_semantics),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_random_values),
    };

    return cmocka_run_group_tests_name("ipxe_script", tests, NULL, NULL);
}
