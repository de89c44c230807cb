# The C core: build/libboots.a (PIC, hidden symbols) and an ASan/UBSan twin
# build/asan/libboots.a for the unit tests.

CORE_SRCS := $(wildcard shared/*.c)
CORE_HDRS := $(wildcard shared/*.h)
CORE_OBJS := $(patsubst shared/%.c,$(BUILD)/core/%.o,$(CORE_SRCS))
CORE_ASAN_OBJS := $(patsubst shared/%.c,$(BUILD)/asan/core/%.o,$(CORE_SRCS))
CORE_LIB  := $(BUILD)/libboots.a
CORE_ASAN_LIB := $(BUILD)/asan/libboots.a
CORE_LIBS := -ljansson -lcurl -lpthread

# Objects follow their flags: a change to Makefile or this file rebuilds.
$(BUILD)/core/%.o: shared/%.c $(CORE_HDRS) Makefile shared/build.mk
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/asan/core/%.o: shared/%.c $(CORE_HDRS) Makefile shared/build.mk
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -c $< -o $@

$(CORE_LIB): $(CORE_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(CORE_ASAN_LIB): $(CORE_ASAN_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

ALL_TARGETS += $(CORE_LIB)
