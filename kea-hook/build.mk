# Kea DHCPv4 hook: build/libdhcp_boots.so (C++ shim + the C core).
#
# kea-dev ships no pkg-config file; headers are in /usr/include/kea.
# kea-hook/compat supplies the one header kea-dev 2.2.0 forgot to install
# (see kea-hook/compat/dhcpsrv/cfg_globals.h).

KEA_INCLUDE  ?= /usr/include/kea
KEA_HOOK_SRCS := $(wildcard kea-hook/*.cc)
KEA_HOOK_HDRS := $(wildcard kea-hook/*.h) $(wildcard kea-hook/compat/*/*.h)
KEA_HOOK_OBJS := $(patsubst kea-hook/%.cc,$(BUILD)/kea-hook/%.o,$(KEA_HOOK_SRCS))
KEA_HOOK_ASAN_OBJS := $(patsubst kea-hook/%.cc,$(BUILD)/asan/kea-hook/%.o,$(KEA_HOOK_SRCS))
# -fno-plt: calls into Kea's libraries go through the GOT, without a PLT
# stub in between (fewer instruction-cache lines per packet, callgrind).
# Not -fvisibility=hidden: Kea keeps objects the hook created (the query's
# HWAddr ends up in leases) after it unloads the library on config-reload,
# and a hidden copy of a template's vtable (boost's shared_ptr control
# block) would leave them pointing into the unmapped library.  With
# default visibility the dynamic linker binds them to Kea's own copies.
KEA_HOOK_CXXFLAGS = -std=c++14 -Wall -Wextra -Werror -O2 -g -fPIC -fno-plt \
                    -Ikea-hook/compat -I$(KEA_INCLUDE) -Ishared
KEA_HOOK_LIBS = -lkea-dhcpsrv -lkea-dhcp++ -lkea-hooks -lkea-log -lkea-cc \
                -lkea-stats -lkea-asiolink -lkea-database -lkea-exceptions \
                $(CORE_LIBS)
KEA_HOOK_SO := $(BUILD)/libdhcp_boots.so
# An ASan/UBSan build of the same hook, loaded into kea-dhcp4 with
# LD_PRELOAD=libasan by `make check-kea-asan`.  It also packs every reply
# a second time with Kea's Pkt4::pack() and logs BOOTS_PACK_MISMATCH when
# the bytes differ (BOOTS_VERIFY_PACKING, see kea-hook/boots_pack.h).  The core's ASan archive is
# not position independent, so the hook gets its own PIC copy of it.
KEA_HOOK_ASAN_SO := $(BUILD)/asan/libdhcp_boots.so
KEA_HOOK_ASAN_CORE_OBJS := $(patsubst shared/%.c,$(BUILD)/asan-pic/core/%.o,$(CORE_SRCS))

$(BUILD)/asan-pic/core/%.o: shared/%.c $(CORE_HDRS) \
                        Makefile kea-hook/build.mk
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/kea-hook/%.o: kea-hook/%.cc $(KEA_HOOK_HDRS) $(CORE_HDRS) \
                        Makefile kea-hook/build.mk
	@mkdir -p $(@D)
	$(CXX) $(KEA_HOOK_CXXFLAGS) -c $< -o $@

$(BUILD)/asan/kea-hook/%.o: kea-hook/%.cc $(KEA_HOOK_HDRS) $(CORE_HDRS) \
                        Makefile kea-hook/build.mk
	@mkdir -p $(@D)
	$(CXX) $(KEA_HOOK_CXXFLAGS) -O1 $(SAN_FLAGS) -DBOOTS_VERIFY_PACKING -c $< -o $@

$(KEA_HOOK_SO): $(KEA_HOOK_OBJS) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CXX) -shared -fPIC -Wl,--no-undefined -Wl,-z,defs -o $@ \
	    $(KEA_HOOK_OBJS) $(CORE_LIB) $(KEA_HOOK_LIBS)

$(KEA_HOOK_ASAN_SO): $(KEA_HOOK_ASAN_OBJS) $(KEA_HOOK_ASAN_CORE_OBJS)
	@mkdir -p $(@D)
	$(CXX) -shared -fPIC $(SAN_FLAGS) -Wl,--no-undefined \
	    -o $@ $(KEA_HOOK_ASAN_OBJS) $(KEA_HOOK_ASAN_CORE_OBJS) $(KEA_HOOK_LIBS)

.PHONY: kea-hook
kea-hook: $(KEA_HOOK_SO)

ALL_TARGETS += $(KEA_HOOK_SO)
