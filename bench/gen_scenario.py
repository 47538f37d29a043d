#!/usr/bin/env python3
"""Generates hopsim scenarios equivalent to the ns-3 reference workloads in
../shared/bench/ns3 (same topology, addresses, link speeds and delays,
traffic matrix, payload sizes and rates), plus lossy and large variants.

  gen_scenario.py star --n 16 --packets 1000 --size 1024 [--interval-us 100] [--seed 1]
  gen_scenario.py chain --routers 8 --packets 100000 --size 1024 [--interval-us 10]
  gen_scenario.py chain --routers 8 --tcp-bytes 100000000 [--loss 0.01]

Writes the scenario JSON to stdout.
"""
import argparse
import json
import random
import sys


def star(a):
    # ns-3 switch_star: N hosts on one learning switch, 10.0.0.1.. in one /16,
    # 1 Gbps / 1 us links, queue 100; each host sends P datagrams of S bytes
    # every `interval` to port 9 on one other host, host i starting at i*interval/N.
    # ns-3 draws the peers with std::mt19937_64(seed); Python's Mersenne Twister
    # is the 32-bit one, so the peer choice is equivalent in distribution, and
    # --flows FILE takes ns-3's exact list (switch_star --flows) when given.
    nodes = {"S1": {"kind": "switch", "ports": a.n}}
    links, traffic = [], []
    peers = {}
    if a.flows:
        for line in open(a.flows):
            src, dst = line.replace("->", " ").split()[:2]
            peers[int(src.lstrip("H"))] = int(dst.lstrip("H"))
    rng = random.Random(a.seed)
    for i in range(a.n):
        ip = f"10.0.{(i + 1) // 256}.{(i + 1) % 256}"
        nodes[f"H{i}"] = {"kind": "host", "ip": f"{ip}/16", "services": [{"kind": "udp-sink", "port": 9}]}
        links.append({"endpoints": [f"H{i}", "S1"]})
    for i in range(a.n):
        dst = peers.get(i)
        if dst is None:
            dst = rng.randrange(a.n - 1)
            dst += dst >= i
        start_ns = i * a.interval_us * 1000 // a.n
        traffic.append({"id": f"H{i}->H{dst}", "at": f"{start_ns}ns", "kind": "udp", "from": f"H{i}",
                        "to": f"H{dst}:9", "payload": {"size": a.size}, "count": a.packets,
                        "interval": f"{a.interval_us}us"})
    until = (a.packets + 10) * a.interval_us
    return {"name": f"star{a.n}", "description": "ns-3 switch_star equivalent", "seed": a.seed,
            "run": {"until": f"{until}us"},
            "defaults": {"link": {"bandwidth": "1Gbps", "delay": "1us", "queue": 100, "mtu": 1500}},
            "nodes": nodes, "links": links, "traffic": traffic}


def chain(a):
    # ns-3 router_chain: A, R1..RR, B in a line; link k joins node k and k+1
    # with subnet 10.0.0.(4k)/30 (lower node .4k+1); static routes.
    def ip(link, host):
        v = 4 * link + host
        return f"10.0.{v // 256}.{v % 256}"
    r = a.routers
    nodes = {"A": {"kind": "host", "ip": f"{ip(0, 1)}/30", "gateway": ip(0, 2)}}
    for k in range(1, r + 1):
        nodes[f"R{k}"] = {"kind": "router",
                          "interfaces": {"eth0": {"ip": f"{ip(k - 1, 2)}/30"}, "eth1": {"ip": f"{ip(k, 1)}/30"}},
                          "routes": ([{"to": "10.0.0.0/30", "via": ip(k - 1, 1)}] if k > 1 else []) +
                                    ([{"to": "default", "via": ip(k, 2)}] if k < r else [])}
    svc = [{"kind": "tcp-sink", "port": 9}] if a.tcp_bytes else [{"kind": "udp-sink", "port": 9}]
    nodes["B"] = {"kind": "host", "ip": f"{ip(r, 2)}/30", "gateway": ip(r, 1), "services": svc}
    links = [{"endpoints": ["A", "R1:eth0"]}]
    links += [{"endpoints": [f"R{k}:eth1", f"R{k + 1}:eth0"]} for k in range(1, r)]
    links.append({"endpoints": [f"R{r}:eth1", "B"]})
    if a.tcp_bytes:
        traffic = [{"id": "bulk", "kind": "tcp", "from": "A", "to": "B:9", "payload": {"size": a.tcp_bytes}}]
        until = "600s"
    else:
        traffic = [{"id": "stream", "kind": "udp", "from": "A", "to": "B:9", "payload": {"size": a.size},
                    "count": a.packets, "interval": f"{a.interval_us}us"}]
        until = f"{(a.packets + 100) * a.interval_us}us"
    link = {"bandwidth": "1Gbps", "delay": "1us", "queue": 100, "mtu": 1500}
    if a.loss:
        link["loss"] = a.loss
    return {"name": f"chain{r}" + ("-tcp" if a.tcp_bytes else ""), "description": "ns-3 router_chain equivalent",
            "seed": a.seed, "run": {"until": until}, "defaults": {"link": link},
            "nodes": nodes, "links": links, "traffic": traffic}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="kind", required=True)
    s = sub.add_parser("star")
    s.add_argument("--n", type=int, required=True)
    s.add_argument("--flows", help="ns-3's `switch_star --flows` output, for its exact peers")
    c = sub.add_parser("chain")
    c.add_argument("--routers", type=int, required=True)
    c.add_argument("--tcp-bytes", type=int, default=0)
    c.add_argument("--loss", type=float, default=0.0)
    for q in (s, c):
        q.add_argument("--packets", type=int, default=1000)
        q.add_argument("--size", type=int, default=1024)
        q.add_argument("--interval-us", type=int, default=100 if q is s else 10)
        q.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    json.dump(star(a) if a.kind == "star" else chain(a), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
