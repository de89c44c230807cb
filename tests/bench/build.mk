# Benchmarks (not tests): numbers, printed as ratios to an in-run baseline.

$(BUILD)/tests/bench/bench_core: tests/bench/bench_core.c $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $< $(CORE_LIB) $(CORE_LIBS) -o $@

.PHONY: bench-core
bench-core: $(BUILD)/tests/bench/bench_core
	$(BUILD)/tests/bench/bench_core 100000 3

BENCH_TARGETS += bench-core
