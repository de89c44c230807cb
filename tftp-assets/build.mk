# tftp-assets: Debian's iPXE binaries staged into $(BUILD)/tftp-root under
# the names the hook hands out, with a SHA256SUMS manifest.
#
#   make build/tftp-root/SHA256SUMS                       (part of `make all`)
#   make build/tftp-root/SHA256SUMS ARM64_SNP=/path/snp.efi   (arm64 binary)

IPXE_DIR   ?= /usr/lib/ipxe
ARM64_SNP  ?=
TFTP_ROOT  := $(BUILD)/tftp-root
TFTP_STAGED := $(TFTP_ROOT)/SHA256SUMS

$(TFTP_STAGED): tftp-assets/stage.sh $(wildcard $(IPXE_DIR)/undionly.kpxe \
                $(IPXE_DIR)/ipxe.efi $(IPXE_DIR)/snponly.efi) $(ARM64_SNP)
	bash tftp-assets/stage.sh --ipxe-dir $(IPXE_DIR) \
	    $(if $(ARM64_SNP),--arm64 $(ARM64_SNP)) $(TFTP_ROOT)

.PHONY: tftp-root
tftp-root: $(TFTP_STAGED)

ALL_TARGETS += $(TFTP_STAGED)
