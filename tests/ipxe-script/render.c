/*
 * render.c - print the Hook script of one fixed test worker, for
 * check.sh, which runs it in real iPXE under QEMU.
 *
 *   ipxe-script-render DOWNLOAD_URL RETRIES RETRY_DELAY [OSIE_INITRD]
 *
 * The worker has every optional part set (facility, VLAN, workflow with
 * registry credentials) so the whole kernel command line is exercised.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boots.h"

int main(int argc, char **argv)
{
    boots_script_settings s;
    boots_hw hw;
    boots_error err;
    static char buf[16384];
    long n = 0;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s DOWNLOAD_URL RETRIES RETRY_DELAY "
                "[OSIE_INITRD]\n", argv[0]);
        return 2;
    }
    memset(&s, 0, sizeof(s));
    s.osie_url = argv[1];
    s.retries = atoi(argv[2]);
    s.retry_delay = atoi(argv[3]);
    s.tink_server = "10.0.2.2:42113";
    s.tink_tls = true;
    s.syslog_host = "10.0.2.2";
    s.registry = "10.0.2.2:5000";
    s.registry_username = "admin";
    s.registry_password = "s3cret";
    s.tink_worker_image = "10.0.2.2:5000/tink-worker:v1";
    s.kernel_args = "panic=-1";

    memset(&hw, 0, sizeof(hw));
    hw.id = "default/vm1";
    hw.arch = "x86_64";
    hw.facility = "onprem";
    memcpy(hw.mac_str, "52:54:00:12:34:56", BOOTS_MAC_STRLEN);
    hw.vlan_id = 42;
    hw.allow_pxe = true;
    hw.allow_workflow = true;
    if (argc == 5)
        hw.osie_initrd = argv[4];

    if (boots_script_settings_check(&s, &err) != 0) {
        fprintf(stderr, "ipxe-script-render: %s\n", err.message);
        return 1;
    }
    n = boots_ipxe_script_render(&s, &hw, buf, sizeof(buf), &err);
    if (n < 0 || (size_t)n >= sizeof(buf)) {
        fprintf(stderr, "ipxe-script-render: %s\n",
                n < 0 ? err.message : "script too long");
        return 1;
    }
    fwrite(buf, 1, (size_t)n, stdout);
    return 0;
}
