# End-to-end: QEMU VMs network-boot through Kea + libdhcp_boots.so, tftp-hpa
# and nginx + ngx_http_boots_module.so inside namespace be-srv (root needed).
#
#   make check-e2e    the boots as tests (BIOS, UEFI, allowWorkflow false,
#                     unknown machine); part of `make check`
#   make bench-boot   per-stage boot timings of both paths and variants
#   make demo         (root Makefile) runs tests/e2e/demo.sh
#   make e2e-assets   the stand-in kernel (from Debian's linux-image-cloud-amd64,
#                     via apt-get download) and the busybox initramfs

E2E_ASSETS_DIR := $(BUILD)/e2e/assets
E2E_KERNEL     := $(E2E_ASSETS_DIR)/vmlinuz-x86_64
E2E_INITRD     := $(E2E_ASSETS_DIR)/initramfs-x86_64
E2E_ASSETS     := $(E2E_KERNEL) $(E2E_INITRD)
E2E_PLUGINS    := $(BUILD)/libdhcp_boots.so $(BUILD)/ngx_http_boots_module.so
E2E_DEPS       := $(E2E_ASSETS) $(BUILD)/tftp-root/SHA256SUMS $(E2E_PLUGINS)

# The kernel .deb is cached in $(BUILD)/e2e/kernel-deb: downloaded once.
$(E2E_KERNEL): tests/e2e/fetch-kernel.sh
	bash tests/e2e/fetch-kernel.sh $@

$(E2E_INITRD): tests/e2e/mkinitramfs.sh
	bash tests/e2e/mkinitramfs.sh $@

.PHONY: e2e-assets check-e2e bench-boot
e2e-assets: $(E2E_ASSETS)

check-e2e: $(E2E_DEPS)
	BUILD=$(BUILD) bash tests/e2e/check-e2e.sh

bench-boot: $(E2E_DEPS)
	BUILD=$(BUILD) bash tests/e2e/bench-boot.sh

CHECK_TARGETS += check-e2e
BENCH_TARGETS += bench-boot
