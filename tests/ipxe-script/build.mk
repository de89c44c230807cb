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

# bench-render (a benchmark, not a test): ns per script render and per boot
# decision, as ratios to copying the rendered script / clearing a decision.
$(BUILD)/bench-render: tests/ipxe-script/bench.c $(CORE_LIB) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(filter-out -fvisibility=hidden,$(CORE_CFLAGS)) $< $(CORE_LIB) \
	    $(CORE_LIBS) -o $@

.PHONY: bench-render
bench-render: $(BUILD)/bench-render
	$(BUILD)/bench-render 1000000

BENCH_TARGETS += bench-render
