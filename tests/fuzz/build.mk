# Fuzz targets for every parser of outside input (tests/fuzz/fuzz_<t>.c):
#
#   hardware_json  the hardware loader (JSON lists, objects, tink-server)
#   decide         the boot decision: DHCP options 53/60/77/93 and MACs
#   script         the iPXE script renderer with hostile hardware/settings
#   watch          Kubernetes watch event lines applied to a list
#   netaddr        MAC / IPv4 text parsing (the nginx module's path MAC)
#
#   make fuzz-hardware | fuzz-decide | fuzz-script | fuzz-watch |
#        fuzz-netaddr          run one libFuzzer target for FUZZ_SECONDS
#                              (default 60) with clang; new inputs go to
#                              build/fuzz/corpus-<name>, crashes to
#                              build/fuzz/crashes-<name>/
#   make fuzz-replay           (in make check) replay every seed corpus
#                              tests/fuzz/corpus/<name>/ (and
#                              tests/unit/data for the loader) through
#                              every target, built with $(CC) + ASan/UBSan,
#                              no libFuzzer
#   make fuzz-replay-<name> FUZZ_FILES="crash-..."
#                              replay that target's corpus plus given files
#   make fuzz-hardware-replay  alias of fuzz-replay-hardware (kept name)

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -g -O1 -Ishared -Itests/fuzz
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_NAMES   := hardware decide script watch netaddr

# make name -> source name, libFuzzer -max_len, seed directories.
fuzz_src_hardware := hardware_json
fuzz_src_decide   := decide
fuzz_src_script   := script
fuzz_src_watch    := watch
fuzz_src_netaddr  := netaddr
fuzz_len_hardware := 65536
fuzz_len_decide   := 4096
fuzz_len_script   := 8192
fuzz_len_watch    := 16384
fuzz_len_netaddr  := 64
fuzz_seeds_hardware := tests/fuzz/corpus/hardware tests/unit/data
fuzz_seeds_decide   := tests/fuzz/corpus/decide
fuzz_seeds_script   := tests/fuzz/corpus/script
fuzz_seeds_watch    := tests/fuzz/corpus/watch
fuzz_seeds_netaddr  := tests/fuzz/corpus/netaddr

# The whole core, coverage-instrumented for libFuzzer (no -Werror: clang
# and gcc warn differently; the core is warning-checked by its own build).
FUZZ_CORE_OBJS := $(patsubst shared/%.c,$(FUZZ_DIR)/core/%.o,$(CORE_SRCS))
FUZZ_CORE_LIB  := $(FUZZ_DIR)/libboots-fuzz.a
FUZZ_HDRS      := $(CORE_HDRS) tests/fuzz/fuzz_input.h

$(FUZZ_DIR)/core/%.o: shared/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
	    -c $< -o $@

$(FUZZ_CORE_LIB): $(FUZZ_CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

# libFuzzer binaries.
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_CORE_LIB) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra -fsanitize=fuzzer $(FUZZ_SAN) \
	    $< $(FUZZ_CORE_LIB) $(CORE_LIBS) -o $@

# Plain replay binaries: the same target + replay.c on the ASan core.
$(FUZZ_DIR)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
		$(CORE_ASAN_LIB) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -Itests/fuzz $< tests/fuzz/replay.c \
	    $(CORE_ASAN_LIB) $(CORE_LIBS) -o $@

FUZZ_RUN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

define fuzz_rules
.PHONY: fuzz-$(1) fuzz-replay-$(1)
fuzz-$(1): $(FUZZ_DIR)/fuzz_$(fuzz_src_$(1))
	@mkdir -p $(FUZZ_DIR)/corpus-$(1) $(FUZZ_DIR)/crashes-$(1)
	$(FUZZ_DIR)/fuzz_$(fuzz_src_$(1)) -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=$(fuzz_len_$(1)) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/crashes-$(1)/ \
	    $(FUZZ_DIR)/corpus-$(1) $(fuzz_seeds_$(1))

fuzz-replay-$(1): $(FUZZ_DIR)/replay_$(fuzz_src_$(1))
	$(FUZZ_RUN_ENV) $(FUZZ_DIR)/replay_$(fuzz_src_$(1)) \
	    $(fuzz_seeds_$(1)) $(FUZZ_FILES)
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call fuzz_rules,$(n))))

.PHONY: fuzz-replay fuzz-hardware-replay
fuzz-replay: $(foreach n,$(FUZZ_NAMES),$(FUZZ_DIR)/replay_$(fuzz_src_$(n)))
	@set -e; $(foreach n,$(FUZZ_NAMES),$(FUZZ_RUN_ENV) \
	    $(FUZZ_DIR)/replay_$(fuzz_src_$(n)) $(fuzz_seeds_$(n));)

fuzz-hardware-replay: fuzz-replay-hardware

# The replay is quick (well under a second once built) and needs no
# libFuzzer: every seed through every target, under ASan/UBSan.
CHECK_TARGETS += fuzz-replay
