#!/usr/bin/env bash
# The DHCP reference hopsim is checked against: ISC dhclient and dhcrelay
# and dnsmasq, in network namespaces of this script's own, shaped as the
# test's scenario: a server (10.0.0.2) and a router (10.0.0.1) relaying for
# a client on 10.0.9.0/24. Writes DIR/server.pcap (the server's link) and
# DIR/client.pcap (the client's) once the client is bound, and removes
# everything it made, whatever happens. Usage: dhcp_reference.sh DIR
set -u
dir=$1
tag="hopsim-dhcp-$$"
cleanup() {
    for pid in $(jobs -p); do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    for n in srv rtr cli; do ip netns del "$tag-$n" 2>/dev/null; done
}
trap cleanup EXIT
set -e
for n in srv rtr cli; do
    ip netns add "$tag-$n"
    ip -n "$tag-$n" link set lo up
    ip netns exec "$tag-$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add eth0 netns "$tag-srv" type veth peer name eth0 netns "$tag-rtr"
ip link add eth1 netns "$tag-rtr" type veth peer name eth0 netns "$tag-cli"
ip -n "$tag-srv" addr add 10.0.0.2/24 dev eth0
ip -n "$tag-rtr" addr add 10.0.0.1/24 dev eth0
ip -n "$tag-rtr" addr add 10.0.9.1/24 dev eth1
for n in srv rtr cli; do ip -n "$tag-$n" link set eth0 up; done
ip -n "$tag-rtr" link set eth1 up
ip -n "$tag-srv" route add default via 10.0.0.1
ip netns exec "$tag-rtr" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$tag-srv" dumpcap -q -i eth0 -f "udp port 67 or udp port 68" -w "$dir/server.pcap" 2>/dev/null &
ip netns exec "$tag-cli" dumpcap -q -i eth0 -f "udp port 67 or udp port 68" -w "$dir/client.pcap" 2>/dev/null &
sleep 1
# --no-ping: no 3 s ping before offering, so a loaded machine sees no retransmitted DISCOVER.
ip netns exec "$tag-srv" dnsmasq --no-daemon --no-ping --port=0 --interface=eth0 --bind-interfaces --leasefile-ro \
    --dhcp-range=10.0.9.100,10.0.9.199,255.255.255.0,2m --dhcp-option=3,10.0.9.1 >/dev/null 2>&1 &
ip netns exec "$tag-rtr" dhcrelay -d -4 -q -iu eth0 -id eth1 10.0.0.2 >/dev/null 2>&1 &
sleep 1
mkdir -p "$dir/dhclient"
# -1: one try; bound, it forks into the background, and the script goes on.
timeout 30 ip netns exec "$tag-cli" dhclient -1 -v -lf "$dir/dhclient/lease" -pf "$dir/dhclient/pid" eth0 \
    >"$dir/dhclient.log" 2>&1
sleep 1
kill "$(cat "$dir/dhclient/pid")" 2>/dev/null || true
