# Kea hook tests and benchmark.
#
#   make check-kea-pack  the hook's reply packer and query unpacker
#                      (kea-hook/boots_pack.cc) against Kea's Pkt4::pack()
#                      and Pkt4::unpack(): fixed cases plus 20,000 seeded
#                      random packets each way, under valgrind
#                      (tests/kea/test_pack.cc)
#   make check-kea     real kea-dhcp4 + build/libdhcp_boots.so in namespaces
#                      bk-srv/bk-cli, scapy client (tests/kea/test_kea.py),
#                      after tests/kea/symbols.sh (no private template
#                      vtables, the 9 entry points exported)
#   make check-kea-leaks  libreload / config-reload / shutdown under valgrind
#   make check-kea-asan   check-kea with the ASan/UBSan build of the hook
#   make bench-dhcp    perfdhcp: native reservations vs the hook (10k, 100k)
#   make bench-dhcp-insn  the same comparison in instructions per exchange
#                      (callgrind), repeatable on a busy machine

.PHONY: check-kea-pack check-kea check-kea-leaks check-kea-asan bench-dhcp \
        bench-dhcp-insn

KEA_PACK_TEST := $(BUILD)/tests/kea/test_pack

# -isystem: Kea's option_int.h trips -Wsign-compare when instantiated.
$(KEA_PACK_TEST): tests/kea/test_pack.cc $(BUILD)/kea-hook/boots_pack.o \
                  kea-hook/boots_pack.h
	@mkdir -p $(@D)
	$(CXX) $(KEA_HOOK_CXXFLAGS) -isystem $(KEA_INCLUDE) -Ikea-hook \
	    -o $@ tests/kea/test_pack.cc \
	    $(BUILD)/kea-hook/boots_pack.o $(KEA_HOOK_LIBS)

check-kea-pack: $(KEA_PACK_TEST)
	valgrind -q --error-exitcode=1 --leak-check=full \
	    --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	    $(KEA_PACK_TEST)

check-kea: $(KEA_HOOK_SO)
	bash tests/kea/symbols.sh $(KEA_HOOK_SO)
	bash tests/kea/run.sh --hook $(KEA_HOOK_SO)

check-kea-leaks: $(KEA_HOOK_SO)
	bash tests/kea/run.sh --hook $(KEA_HOOK_SO) --leaks

# The same scenarios with the ASan/UBSan build of the hook inside kea-dhcp4.
check-kea-asan: $(KEA_HOOK_ASAN_SO)
	BK_KEA_PRELOAD=$$($(CC) -print-file-name=libasan.so) \
	    bash tests/kea/run.sh --hook $(KEA_HOOK_ASAN_SO)

bench-dhcp: $(KEA_HOOK_SO)
	bash tests/kea/bench.sh --hook $(KEA_HOOK_SO)

bench-dhcp-insn: $(KEA_HOOK_SO)
	bash tests/kea/bench.sh --hook $(KEA_HOOK_SO) --instructions

CHECK_TARGETS += check-kea-pack check-kea check-kea-leaks check-kea-asan
BENCH_TARGETS += bench-dhcp bench-dhcp-insn
