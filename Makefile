# Boots - top-level build.
#
#   make            build everything under build/
#   make deps       install the Debian packages needed (idempotent)
#   make demo       the main job: a real network boot on the sample hardware
#   make check      every test (unit, Kea, nginx, TFTP, end-to-end)
#   make bench      every benchmark (bench-core, bench-dhcp, bench-http, ...)
#
# Each component adds its own rules in a build.mk fragment and appends its
# targets to ALL_TARGETS, CHECK_TARGETS and BENCH_TARGETS.

BUILD    ?= build
CC       ?= cc
CXX      ?= c++

# The C core: C11, warnings are errors, position independent (it is linked
# into shared objects), symbols hidden so the plugins export only their own;
# -fno-plt: calls into libc go through the GOT, without a PLT stub.
CORE_CFLAGS  = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g -fPIC \
               -fno-plt -fvisibility=hidden -Ishared
# The same core, instrumented, for unit tests.
SAN_FLAGS    = -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
ASAN_CFLAGS  = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g \
               $(SAN_FLAGS) -Ishared

ALL_TARGETS   :=
CHECK_TARGETS :=
BENCH_TARGETS :=

.PHONY: all deps check bench demo clean
.DEFAULT_GOAL := all

-include shared/build.mk
-include shared/cmd/build.mk
-include tests/unit/build.mk
-include tests/bench/build.mk
-include tests/fuzz/build.mk
-include kea-hook/build.mk
-include nginx-module/build.mk
-include tftp-assets/build.mk
-include tests/kea/build.mk
-include tests/nginx/build.mk
-include tests/tftp/build.mk
-include tests/source/build.mk
-include tests/ipxe-script/build.mk
-include tests/e2e/build.mk

all: $(ALL_TARGETS)

deps:
	bash ci/deps.sh

# Tests run one after the other (they start daemons and namespaces); the
# first failure stops the run with a non-zero status.
check: deps
	$(MAKE) all
	@set -e; for t in $(CHECK_TARGETS); do \
	    echo "==> $$t"; $(MAKE) --no-print-directory $$t; done
	@echo "==> all tests passed: $(CHECK_TARGETS)"

bench: deps
	$(MAKE) all
	@set -e; for t in $(BENCH_TARGETS); do \
	    echo "==> $$t"; $(MAKE) --no-print-directory $$t; done

demo: deps
	$(MAKE) all
	bash tests/e2e/demo.sh

clean:
	rm -rf $(BUILD)
