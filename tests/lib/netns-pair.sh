# Sourced by test harnesses: two network namespaces joined by a veth pair.
#
#   netns_pair SRV CLI V0 V1 SRV_CIDR CLI_CIDR
#
# Deletes leftovers of an interrupted earlier run with the same names, then
# creates namespaces SRV and CLI, the veth pair V0 (in SRV, SRV_CIDR) and
# V1 (in CLI, CLI_CIDR), loopback and both ends up.  Removing the two
# namespaces (the caller's trap) removes the pair too.
netns_pair() {
    local srv=$1 cli=$2 v0=$3 v1=$4 srv_cidr=$5 cli_cidr=$6
    ip netns del "$srv" 2>/dev/null || true
    ip netns del "$cli" 2>/dev/null || true
    ip netns add "$srv"
    ip netns add "$cli"
    ip link add "$v0" type veth peer name "$v1"
    ip link set "$v0" netns "$srv"
    ip link set "$v1" netns "$cli"
    ip -n "$srv" link set lo up
    ip -n "$cli" link set lo up
    ip -n "$srv" addr add "$srv_cidr" dev "$v0"
    ip -n "$cli" addr add "$cli_cidr" dev "$v1"
    ip -n "$srv" link set "$v0" up
    ip -n "$cli" link set "$v1" up
}
