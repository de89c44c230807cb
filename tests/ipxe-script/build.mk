# check-ipxe-script: the core's rendered Hook script run by real iPXE
# (Debian's NIC ROM, BIOS and UEFI) in QEMU.  The guest uses QEMU's
# user-mode network with restrict=on: its only peer is QEMU's built-in
# DHCP and TFTP server, no host interface or address is touched.

$(BUILD)/ipxe-script-render: tests/ipxe-script/render.c $(CORE_LIB) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(filter-out -fvisibility=hidden,$(CORE_CFLAGS)) $< $(CORE_LIB) \
	    $(CORE_LIBS) -o $@

.PHONY: check-ipxe-script
check-ipxe-script: $(BUILD)/ipxe-script-render
	BUILD=$(BUILD) bash tests/ipxe-script/check.sh

CHECK_TARGETS += check-ipxe-script
