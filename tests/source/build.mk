# Integration tests of the hardware sources (HTTP with libcurl, boots-sync)
# against a real HTTPS server (nginx) on 127.0.0.1:18443.

$(BUILD)/tests/source/source_probe: tests/source/source_probe.c $(CORE_ASAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) $< $(CORE_ASAN_LIB) $(CORE_LIBS) -o $@

.PHONY: check-source
check-source: $(BUILD)/tests/source/source_probe $(BUILD)/boots-sync
	BUILD=$(abspath $(BUILD)) bash tests/source/test_http_source.sh
	BUILD=$(abspath $(BUILD)) bash tests/source/test_boots_sync.sh

CHECK_TARGETS += check-source
