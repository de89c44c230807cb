# Kea hook tests and benchmark.
#
#   make check-kea     real kea-dhcp4 + build/libdhcp_boots.so in namespaces
#                      bk-srv/bk-cli, scapy client (tests/kea/test_kea.py)
#   make check-kea-leaks  libreload / config-reload / shutdown under valgrind
#   make bench-dhcp    perfdhcp: native reservations vs the hook (10k, 100k)

.PHONY: check-kea check-kea-leaks bench-dhcp

check-kea: $(KEA_HOOK_SO)
	bash tests/kea/run.sh --hook $(KEA_HOOK_SO)

check-kea-leaks: $(KEA_HOOK_SO)
	bash tests/kea/run.sh --hook $(KEA_HOOK_SO) --leaks

bench-dhcp: $(KEA_HOOK_SO)
	bash tests/kea/bench.sh --hook $(KEA_HOOK_SO)

CHECK_TARGETS += check-kea check-kea-leaks
BENCH_TARGETS += bench-dhcp
