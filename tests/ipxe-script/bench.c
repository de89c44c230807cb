/*
 * bench.c - how fast the per-request core work is (a benchmark, not a
 * test): rendering a full Hook script (nginx, per HTTP request) and the
 * boot decision (Kea, per DHCP packet).  Each is reported in ns per call
 * and as a ratio to a baseline measured in the same run: copying the
 * already rendered script (the least any server does to send it), and
 * clearing a boots_decision (the least a decision costs).
 *
 *   bench-render [ITERATIONS]     (default 1000000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boots.h"

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Keep the compiler from dropping work whose result is unused. */
static void use(const void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

int main(int argc, char **argv)
{
    static char script[8192];
    static char copy[8192];
    boots_script_settings s;
    boots_settings ds;
    boots_dhcp_request req;
    boots_decision d;
    boots_hw hw;
    boots_error err;
    long iters = argc > 1 ? atol(argv[1]) : 1000000;
    long i;
    long n = 0;
    double t0, t_render, t_copy, t_decide, t_clear;

    if (iters <= 0)
        iters = 1000000;
    memset(&s, 0, sizeof(s));
    s.osie_url = "http://10.99.0.1:8080/hook";
    s.tink_server = "10.99.0.1:42113";
    s.syslog_host = "10.99.0.1";
    s.facility = "onprem";
    s.registry = "10.99.0.1:5000";
    s.registry_username = "admin";
    s.registry_password = "s3cret";
    s.tink_worker_image = "10.99.0.1:5000/tink-worker:v0.12";
    s.kernel_args = "intel_iommu=on iommu=pt";
    s.retries = -1;
    s.retry_delay = -1;
    memset(&hw, 0, sizeof(hw));
    hw.id = "default/sm01";
    hw.arch = "x86_64";
    memcpy(hw.mac, "\x3c\xec\xef\x4c\x4f\x54", 6);
    memcpy(hw.mac_str, "3c:ec:ef:4c:4f:54", BOOTS_MAC_STRLEN);
    hw.vlan_id = 42;
    hw.allow_pxe = true;
    hw.allow_workflow = true;

    memset(&ds, 0, sizeof(ds));
    ds.tftp_server = 0x0a630001;
    ds.ipxe_script_url = "http://10.99.0.1:8080/auto.ipxe";
    ds.ipxe_binary_url = "http://10.99.0.1:8080/ipxe/";
    ds.prepend_mac = true;
    memset(&req, 0, sizeof(req));
    req.msg_type = 1;
    memcpy(req.mac, hw.mac, 6);
    req.vendor_class = (const uint8_t *)"PXEClient:Arch:00007:UNDI:003000";
    req.vendor_class_len = 32;
    req.client_arch = (const uint8_t *)"\x00\x07";
    req.client_arch_len = 2;
    req.user_class = (const uint8_t *)"iPXE";
    req.user_class_len = 4;

    n = boots_ipxe_script_render(&s, &hw, script, sizeof(script), &err);
    if (n < 0 || (size_t)n >= sizeof(script)) {
        fprintf(stderr, "bench-render: render failed: %s\n",
                n < 0 ? err.message : "too long");
        return 1;
    }

    t0 = now();
    for (i = 0; i < iters; i++) {
        boots_ipxe_script_render(&s, &hw, script, sizeof(script), &err);
        use(script);
    }
    t_render = now() - t0;

    t0 = now();
    for (i = 0; i < iters; i++) {
        size_t len = strlen(script);

        memcpy(copy, script, len + 1);
        use(copy);
    }
    t_copy = now() - t0;

    t0 = now();
    for (i = 0; i < iters; i++) {
        boots_decide(&ds, &req, &hw, &d);
        use(&d);
    }
    t_decide = now() - t0;

    t0 = now();
    for (i = 0; i < iters; i++) {
        memset(&d, 0, sizeof(d));
        use(&d);
    }
    t_clear = now() - t0;

    printf("iterations          %ld\n", iters);
    printf("script              %ld bytes (workflow on, every argument)\n",
           n);
    printf("render              %8.1f ns/call  %6.2f M/s\n",
           t_render / (double)iters * 1e9, (double)iters / t_render / 1e6);
    printf("baseline copy       %8.1f ns/call\n",
           t_copy / (double)iters * 1e9);
    printf("render / copy       %8.1fx\n", t_render / t_copy);
    printf("decide (iPXE)       %8.1f ns/call  %6.2f M/s\n",
           t_decide / (double)iters * 1e9, (double)iters / t_decide / 1e6);
    printf("baseline clear      %8.1f ns/call\n",
           t_clear / (double)iters * 1e9);
    printf("decide / clear      %8.1fx\n", t_decide / t_clear);
    return 0;
}
