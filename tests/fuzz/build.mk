# Fuzzers (not part of `make check`).
#
#   make fuzz-hardware                    fuzz the hardware loader for
#                                         FUZZ_SECONDS (default 60) with clang
#                                         and libFuzzer
#   make fuzz-hardware-replay             replay tests/unit/data/*.json (and
#                                         FUZZ_FILES=...) through the same
#                                         target, built with $(CC) + ASan

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -std=c11 -D_GNU_SOURCE -g -O1 -Ishared \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# Only the loader's own sources, compiled with coverage instrumentation.
FUZZ_HW_SRCS := shared/hardware_json.c shared/hwdb.c shared/error.c \
                shared/netaddr.c shared/ipxe_token.c
FUZZ_DIR     := $(BUILD)/fuzz

$(FUZZ_DIR)/fuzz_hardware_json: tests/fuzz/fuzz_hardware_json.c \
		$(FUZZ_HW_SRCS) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) tests/fuzz/fuzz_hardware_json.c \
	    $(FUZZ_HW_SRCS) -ljansson -lpthread -o $@

$(FUZZ_DIR)/replay_hardware_json: tests/fuzz/fuzz_hardware_json.c \
		tests/fuzz/replay.c $(CORE_ASAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) tests/fuzz/fuzz_hardware_json.c tests/fuzz/replay.c \
	    $(CORE_ASAN_LIB) $(CORE_LIBS) -o $@

.PHONY: fuzz-hardware fuzz-hardware-replay
fuzz-hardware: $(FUZZ_DIR)/fuzz_hardware_json
	@mkdir -p $(FUZZ_DIR)/corpus-hardware $(FUZZ_DIR)/crashes-hardware
	cp -n tests/unit/data/*.json $(FUZZ_DIR)/corpus-hardware/ || true
	$(FUZZ_DIR)/fuzz_hardware_json -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=$(FUZZ_DIR)/crashes-hardware/ \
	    $(FUZZ_DIR)/corpus-hardware

fuzz-hardware-replay: $(FUZZ_DIR)/replay_hardware_json
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    $(FUZZ_DIR)/replay_hardware_json tests/unit/data/*.json $(FUZZ_FILES)
