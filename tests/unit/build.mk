# cmocka unit tests for the core, one binary per tests/unit/test_<unit>.c,
# built against the ASan/UBSan twin of the core.

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))

$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_ASAN_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -Itests/unit -DBOOTS_TESTDATA='"tests/unit/data"' \
	    $< $(CORE_ASAN_LIB) -lcmocka $(CORE_LIBS) -o $@

.PHONY: check-unit
check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1 $$t; done

CHECK_TARGETS += check-unit
