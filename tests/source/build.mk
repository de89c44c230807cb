# Integration tests of the hardware sources (HTTP with libcurl, boots-sync,
# and kea-dhcp4 with the hook's hardware-url) against a real HTTPS server
# (nginx) on 127.0.0.1:18443, and the Kubernetes watch against a stand-in
# API server (python3, 127.0.0.1:18444); the Kea test runs in namespaces
# bs-srv/bs-cli (10.78.0.0/24).

$(BUILD)/tests/source/source_probe: tests/source/source_probe.c $(CORE_ASAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) $< $(CORE_ASAN_LIB) $(CORE_LIBS) -o $@

.PHONY: check-source
check-source: $(BUILD)/tests/source/source_probe $(BUILD)/boots-sync \
              $(KEA_HOOK_SO)
	BUILD=$(abspath $(BUILD)) bash tests/source/test_http_source.sh
	BUILD=$(abspath $(BUILD)) bash tests/source/test_watch.sh
	BUILD=$(abspath $(BUILD)) bash tests/source/test_boots_sync.sh
	BUILD=$(abspath $(BUILD)) HOOK=$(abspath $(KEA_HOOK_SO)) \
	    bash tests/source/test_kea_source.sh

CHECK_TARGETS += check-source

$(BUILD)/tests/source/bench_source: tests/source/bench_source.c $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(filter-out -fvisibility=hidden,$(CORE_CFLAGS)) $< $(CORE_LIB) \
	    $(CORE_LIBS) -o $@

# the probe without sanitizers, for timing the watch
$(BUILD)/tests/source/source_probe_fast: tests/source/source_probe.c $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(filter-out -fvisibility=hidden,$(CORE_CFLAGS)) $< $(CORE_LIB) \
	    $(CORE_LIBS) -o $@

.PHONY: bench-source
bench-source: $(BUILD)/tests/source/bench_source \
              $(BUILD)/tests/source/source_probe_fast
	BUILD=$(abspath $(BUILD)) bash tests/source/bench.sh

BENCH_TARGETS += bench-source
