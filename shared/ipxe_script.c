/*
 * ipxe_script.c - the iPXE script a worker fetches after DHCP.
 *
 * Three shapes, chosen from the hardware entry:
 *   - netboot.ipxe.url set:      "#!ipxe" then "chain --autofree <url>";
 *   - netboot.ipxe.contents set: the operator's own script after "#!ipxe";
 *   - otherwise the Hook script: fetch the kernel and initrd of the Hook
 *     OS (each step retried), then boot it with the kernel command line
 *     that tells tink-worker who and where it is.
 *
 * Every value placed in a script line is checked first with
 * boots_ipxe_token_is_safe / boots_ipxe_args_are_safe, so no hardware or
 * setting value can add a command, expand an iPXE setting or cut a line
 * short.  Rendering writes straight into the caller's buffer in one pass,
 * with no allocation (nginx renders per request).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define DEFAULT_CONSOLE     "console=tty0 console=ttyS0,115200"
#define DEFAULT_RETRIES     10
#define DEFAULT_RETRY_DELAY 2
#define HOOK_MODULES        "modules=loop,squashfs,sd-mod,usb-storage"

/* A bounded writer with snprintf semantics: len counts every byte the
 * script needs, only what fits is stored. */
typedef struct {
    char  *buf;
    size_t size;
    size_t len;
} writer;

static void put_n(writer *w, const char *s, size_t n)
{
    if (w->len < w->size) {
        size_t room = w->size - w->len;

        memcpy(w->buf + w->len, s, n < room ? n : room);
    }
    w->len += n;
}

static void put(writer *w, const char *s)
{
    put_n(w, s, strlen(s));
}

static void put_int(writer *w, long v)
{
    char num[24];
    int n = snprintf(num, sizeof(num), "%ld", v);

    if (n > 0)
        put_n(w, num, (size_t)n);
}

/* " key=value" on the kernel command line. */
static void put_arg(writer *w, const char *key, const char *value)
{
    put(w, " ");
    put(w, key);
    put(w, "=");
    put(w, value);
}

static long finish(writer *w)
{
    if (w->size > 0)
        w->buf[w->len < w->size ? w->len : w->size - 1] = '\0';
    return (long)w->len;
}

static bool is_set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/*
 * Check one value that goes into the script.  record is the hardware id
 * (NULL for a setting); args selects the space-separated list check; a
 * secret's value is never copied into the message.
 */
static int check_value(const char *record, const char *field,
                       const char *value, bool args, bool secret,
                       boots_error *err)
{
    char quoted[4 * BOOTS_ESCAPE_MAX_INPUT + 4];
    char where[224];
    bool ok = args ? boots_ipxe_args_are_safe(value)
                   : boots_ipxe_token_is_safe(value);

    if (ok)
        return 0;
    if (record != NULL)
        snprintf(where, sizeof(where), "hardware %s: field %s", record,
                 field);
    else
        snprintf(where, sizeof(where), "setting %s", field);
    if (secret)
        return boots_error_set(err, BOOTS_EUNSAFE, record, field,
                               "%s: the value (not shown, it is secret) "
                               "cannot be placed in an iPXE script: only "
                               "printable ASCII without spaces, quotes, "
                               "$ { } # ; & | or \\ is allowed", where);
    boots_escape(value, strlen(value), quoted, sizeof(quoted));
    return boots_error_set(err, BOOTS_EUNSAFE, record, field,
                           "%s: value \"%s\" cannot be placed in an iPXE "
                           "script: only printable ASCII %s, without "
                           "quotes, $ { } # ; & | or \\ is allowed", where,
                           quoted, args ? "tokens separated by single "
                           "spaces" : "without spaces");
}

/* An optional setting: unset (NULL or "") is fine, otherwise one token. */
static int check_opt_setting(const char *field, const char *value,
                             bool secret, boots_error *err)
{
    if (!is_set(value))
        return 0;
    return check_value(NULL, field, value, false, secret, err);
}

int boots_script_settings_check(const boots_script_settings *s,
                                boots_error *err)
{
    int rc = 0;

    if (s == NULL)
        return boots_error_set(err, BOOTS_EINVAL, NULL, NULL,
                               "no script settings given");
    if (!is_set(s->osie_url))
        return boots_error_set(err, BOOTS_EINVAL, NULL, "osie_url",
                               "setting osie_url is required (the base URL "
                               "of the Hook kernel and initrd)");
    if ((rc = check_value(NULL, "osie_url", s->osie_url, false, false,
                          err)) != 0
        || (rc = check_opt_setting("tink_server", s->tink_server, false,
                                   err)) != 0
        || (rc = check_opt_setting("syslog_host", s->syslog_host, false,
                                   err)) != 0
        || (rc = check_opt_setting("facility", s->facility, false,
                                   err)) != 0
        || (rc = check_opt_setting("registry", s->registry, false,
                                   err)) != 0
        || (rc = check_opt_setting("registry_username",
                                   s->registry_username, false, err)) != 0
        || (rc = check_opt_setting("registry_password",
                                   s->registry_password, true, err)) != 0
        || (rc = check_opt_setting("tink_worker_image",
                                   s->tink_worker_image, false, err)) != 0)
        return rc;
    if (s->kernel_args != NULL
        && (rc = check_value(NULL, "kernel_args", s->kernel_args, true,
                             false, err)) != 0)
        return rc;
    if (s->console != NULL
        && (rc = check_value(NULL, "console", s->console, true, false,
                             err)) != 0)
        return rc;
    return 0;
}

/* ---------------------------------------------------------------- */
/* Custom scripts                                                    */
/* ---------------------------------------------------------------- */

static bool has_http_scheme(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0
        || strncasecmp(url, "https://", 8) == 0;
}

static long render_chain(const boots_hw *hw, const char *id, writer *w,
                         boots_error *err)
{
    int rc = 0;

    if (!has_http_scheme(hw->ipxe_url))
        return boots_error_set(err, BOOTS_EINVAL, id, "netboot.ipxe.url",
                               "hardware %s: field netboot.ipxe.url: only "
                               "http:// and https:// URLs can be chained",
                               id);
    rc = check_value(id, "netboot.ipxe.url", hw->ipxe_url, false, false,
                     err);
    if (rc != 0)
        return rc;
    put(w, "#!ipxe\n\nchain --autofree ");
    put(w, hw->ipxe_url);
    put(w, "\n");
    return finish(w);
}

/* The operator's own script goes out as written, after "#!ipxe" unless it
 * already starts with it. */
static long render_contents(const boots_hw *hw, writer *w)
{
    const char *c = hw->ipxe_contents;

    if (strncmp(c, "#!ipxe", 6) != 0
        || (c[6] != '\0' && c[6] != '\n' && c[6] != '\r' && c[6] != ' '
            && c[6] != '\t'))
        put(w, "#!ipxe\n");
    put(w, c);
    return finish(w);
}

/* ---------------------------------------------------------------- */
/* The Hook script                                                   */
/* ---------------------------------------------------------------- */

/*
 * A retried step is written in two halves around its command:
 *   [:<name>]                      entry label (not for the first step)
 *   set idx:int32 0
 *   :<name>_retry
 *   <command> && goto <next> ||    success: on to the next step
 *   iseq ${idx} ${retries} && goto <name>_failed ||
 *   inc idx
 *   echo ...
 *   sleep ${retry_delay}
 *   goto <name>_retry
 * The trailing "||" runs an empty command, so a failed command does not
 * end the script.  ${retries} counts the retries after the first attempt.
 */
static void put_step_head(writer *w, const char *name, bool label)
{
    if (label) {
        put(w, "\n:");
        put(w, name);
        put(w, "\n");
    }
    put(w, "set idx:int32 0\n:");
    put(w, name);
    put(w, "_retry\n");
}

static void put_step_tail(writer *w, const char *name, const char *next)
{
    if (next != NULL) {
        put(w, " && goto ");
        put(w, next);
    }
    put(w, " ||\niseq ${idx} ${retries} && goto ");
    put(w, name);
    put(w, "_failed ||\ninc idx\necho ");
    put(w, name);
    put(w, " failed, retry ${idx} of ${retries} in ${retry_delay}s\n"
           "sleep ${retry_delay}\ngoto ");
    put(w, name);
    put(w, "_retry\n");
}

static void put_failure(writer *w, const char *name, const char *message)
{
    put(w, "\n:");
    put(w, name);
    put(w, "_failed\necho ");
    put(w, message);
    put(w, "\nimgfree\nexit 1\n");
}

/* Last path segment of a kernel or initrd name: iPXE names an image after
 * it, and the EFI stub finds the initrd by that name. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static long render_hook(const boots_script_settings *s, const boots_hw *hw,
                        const char *id, writer *w, boots_error *err)
{
    const char *arch = is_set(hw->arch) ? hw->arch : "x86_64";
    const char *url = NULL;
    const char *url_field = NULL;
    const char *facility = NULL;
    const char *console = s->console ? s->console : DEFAULT_CONSOLE;
    const char *args = s->kernel_args;
    size_t url_len = 0;
    long retries = s->retries < 0 ? DEFAULT_RETRIES : s->retries;
    long delay = s->retry_delay < 0 ? DEFAULT_RETRY_DELAY : s->retry_delay;
    bool wf = hw->allow_workflow;
    int rc = 0;

    if (is_set(hw->osie_base_url)) {
        url = hw->osie_base_url;
        url_field = "netboot.osie.baseURL";
    } else if (is_set(s->osie_url)) {
        url = s->osie_url;
        url_field = "osie_url";
    } else {
        return boots_error_set(err, BOOTS_EINVAL, id, "osie_url",
                               "hardware %s: no Hook download URL: neither "
                               "netboot.osie.baseURL nor the osie_url "
                               "setting is set", id);
    }
    facility = is_set(hw->facility) ? hw->facility : s->facility;
    if (is_set(hw->osie_initrd) && base_name(hw->osie_initrd)[0] == '\0')
        return boots_error_set(err, BOOTS_EINVAL, id, "netboot.osie.initrd",
                               "hardware %s: field netboot.osie.initrd: "
                               "the name ends with '/', no file to load", id);

    /* Hardware values, then the settings this script uses. */
    if ((rc = check_value(id, "dhcp.arch", arch, false, false, err))
        || (rc = check_value(id, "dhcp.mac", hw->mac_str, false, false,
                             err))
        || (rc = check_value(url == s->osie_url ? NULL : id, url_field,
                             url, false, false, err))
        || (is_set(hw->osie_kernel)
            && (rc = check_value(id, "netboot.osie.kernel",
                                 hw->osie_kernel, false, false, err)))
        || (is_set(hw->osie_initrd)
            && (rc = check_value(id, "netboot.osie.initrd",
                                 hw->osie_initrd, false, false, err)))
        || (is_set(facility)
            && (rc = check_value(facility == s->facility ? NULL : id,
                                 facility == s->facility
                                 ? "facility"
                                 : "metadata.facility.facility_code",
                                 facility, false, false, err)))
        || (rc = check_opt_setting("syslog_host", s->syslog_host, false,
                                   err))
        || (rc = check_value(NULL, "console", console, true, false, err))
        || (args != NULL
            && (rc = check_value(NULL, "kernel_args", args, true, false,
                                 err))))
        return rc;
    if (wf
        && ((rc = check_opt_setting("tink_server", s->tink_server, false,
                                    err))
            || (rc = check_opt_setting("registry", s->registry, false, err))
            || (rc = check_opt_setting("registry_username",
                                       s->registry_username, false, err))
            || (rc = check_opt_setting("registry_password",
                                       s->registry_password, true, err))
            || (rc = check_opt_setting("tink_worker_image",
                                       s->tink_worker_image, false, err))))
        return rc;

    /* The download URL without trailing '/' ("${download-url}/file"),
     * never cutting into "scheme://". */
    url_len = strlen(url);
    {
        const char *sep = strstr(url, "://");
        size_t keep = sep != NULL ? (size_t)(sep - url) + 3 : 1;

        while (url_len > keep && url[url_len - 1] == '/')
            url_len--;
    }

    put(w, "#!ipxe\n\necho Tinkerbell Hook boot for ");
    put(w, hw->mac_str);
    put(w, "\nset arch ");
    put(w, arch);
    put(w, "\nset download-url ");
    put_n(w, url, url_len);
    put(w, "\nset kernel ");
    if (is_set(hw->osie_kernel)) {
        put(w, hw->osie_kernel);
    } else {
        put(w, "vmlinuz-");
        put(w, arch);
    }
    put(w, "\nset initrd ");
    if (is_set(hw->osie_initrd)) {
        put(w, hw->osie_initrd);
    } else {
        put(w, "initramfs-");
        put(w, arch);
    }
    put(w, "\nset retries:int32 ");
    put_int(w, retries);
    put(w, "\nset retry_delay:int32 ");
    put_int(w, delay);
    put(w, "\n\n");

    /* The kernel step carries the command line. */
    put_step_head(w, "kernel", false);
    put(w, "kernel ${download-url}/${kernel} initrd=");
    if (is_set(hw->osie_initrd)) {
        put(w, base_name(hw->osie_initrd));
    } else {
        put(w, "initramfs-");
        put(w, arch);
    }
    if (is_set(facility))
        put_arg(w, "facility", facility);
    if (is_set(s->syslog_host))
        put_arg(w, "syslog_host", s->syslog_host);
    if (wf && is_set(s->tink_server))
        put_arg(w, "grpc_authority", s->tink_server);
    if (wf)
        put_arg(w, "tinkerbell_tls", s->tink_tls ? "true" : "false");
    put_arg(w, "worker_id", hw->mac_str);
    put_arg(w, "hw_addr", hw->mac_str);
    if (hw->vlan_id >= 1) {
        put(w, " vlan_id=");
        put_int(w, hw->vlan_id);
    }
    put(w, " " HOOK_MODULES);
    if (console[0]) {
        put(w, " ");
        put(w, console);
    }
    if (is_set(args)) {
        put(w, " ");
        put(w, args);
    }
    if (wf && is_set(s->registry))
        put_arg(w, "docker_registry", s->registry);
    if (wf && is_set(s->registry_username))
        put_arg(w, "registry_username", s->registry_username);
    if (wf && is_set(s->registry_password))
        put_arg(w, "registry_password", s->registry_password);
    if (wf && is_set(s->tink_worker_image))
        put_arg(w, "tink_worker_image", s->tink_worker_image);
    put_step_tail(w, "kernel", "initrd");

    put_step_head(w, "initrd", true);
    put(w, "initrd ${download-url}/${initrd}");
    put_step_tail(w, "initrd", "boot");

    put_step_head(w, "boot", true);
    put(w, "boot");
    put_step_tail(w, "boot", NULL);

    put_failure(w, "kernel", "Could not load ${download-url}/${kernel}");
    put_failure(w, "initrd", "Could not load ${download-url}/${initrd}");
    put_failure(w, "boot", "Could not boot the Hook kernel");
    return finish(w);
}

long boots_ipxe_script_render(const boots_script_settings *s,
                              const boots_hw *hw, char *buf, size_t size,
                              boots_error *err)
{
    const char *id = NULL;
    writer w;
    long rc = 0;

    w.buf = buf;
    w.size = buf != NULL ? size : 0;
    w.len = 0;
    if (s == NULL || hw == NULL)
        return boots_error_set(err, BOOTS_EINVAL, NULL, NULL,
                               "no script settings or hardware given");
    id = is_set(hw->id) ? hw->id : "(no id)";
    if (is_set(hw->ipxe_url))
        rc = render_chain(hw, id, &w, err);
    else if (is_set(hw->ipxe_contents))
        rc = render_contents(hw, &w);
    else
        rc = render_hook(s, hw, id, &w, err);
    if (rc < 0 && w.size > 0)
        w.buf[0] = '\0';
    return rc;
}
