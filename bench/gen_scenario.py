#!/usr/bin/env python3
"""Generates hopsim scenarios equivalent to the ns-3 reference workloads in
bench/ns3 (same topology, addresses, link speeds and delays,
traffic matrix, payload sizes and rates), plus lossy and large variants.

  gen_scenario.py star --n 16 --packets 1000 --size 1024 [--interval-us 100] [--seed 1]
  gen_scenario.py chain --routers 8 --packets 100000 --size 1024 [--interval-us 10]
  gen_scenario.py chain --routers 8 --tcp-bytes 100000000 [--loss 0.01]
  gen_scenario.py tree [--dist 20 --access 20 --per 250 --pings 1000]   (100,000 hosts)

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
    if a.flows:  # lines like "flow src=H0 src_ip=10.0.0.1 dst=H1 dst_ip=10.0.0.2 start_ns=0"
        for line in open(a.flows):
            fields = dict(f.split("=", 1) for f in line.split()[1:] if "=" in f)
            if line.startswith("flow ") and "src" in fields and "dst" in fields:
                peers[int(fields["src"].lstrip("H"))] = int(fields["dst"].lstrip("H"))
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


def tree(a):
    # The scale workload: a core router, `dist` distribution routers, each with
    # `access` switched /24 subnets of `per` hosts: dist*access*per hosts.
    rng = random.Random(a.seed)
    nodes, links, traffic = {}, [], []
    core_if = {}
    core_routes = []
    for d in range(1, a.dist + 1):
        core_if[f"eth{d}"] = {"ip": f"10.255.{d}.1/30"}
        core_routes.append({"to": f"10.{d}.0.0/16", "via": f"10.255.{d}.2"})
        dist_if = {"up": {"ip": f"10.255.{d}.2/30"}}
        for s in range(1, a.access + 1):
            dist_if[f"eth{s}"] = {"ip": f"10.{d}.{s}.1/24"}
        nodes[f"D{d}"] = {"kind": "router", "interfaces": dist_if, "routes": [{"to": "default", "via": f"10.255.{d}.1"}]}
        links.append({"endpoints": [f"C:eth{d}", f"D{d}:up"]})
        for s in range(1, a.access + 1):
            sw = f"S{d}.{s}"
            nodes[sw] = {"kind": "switch"}
            links.append({"endpoints": [f"D{d}:eth{s}", sw]})
            for h in range(2, a.per + 2):
                name = f"H{d}.{s}.{h}"
                nodes[name] = {"kind": "host", "ip": f"10.{d}.{s}.{h}/24", "gateway": f"10.{d}.{s}.1"}
                links.append({"endpoints": [name, sw]})
    nodes = {"C": {"kind": "router", "interfaces": core_if, "routes": core_routes}, **nodes}
    hosts = [n for n in nodes if n.startswith("H")]
    for i in range(a.pings):
        src, dst = rng.sample(hosts, 2)
        traffic.append({"at": f"{i * 10}us", "kind": "ping", "from": src, "to": dst})
    return {"name": f"tree{len(hosts)}", "description": "scale workload: hosts behind switches and routers",
            "seed": a.seed, "run": {"until": "1s"},
            "defaults": {"link": {"bandwidth": "1Gbps", "delay": "1us"}},
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
    t = sub.add_parser("tree")
    t.add_argument("--dist", type=int, default=20)
    t.add_argument("--access", type=int, default=20)
    t.add_argument("--per", type=int, default=250)
    t.add_argument("--pings", type=int, default=1000)
    t.add_argument("--seed", type=int, default=1)
    for q in (s, c):
        q.add_argument("--packets", type=int, default=1000)
        q.add_argument("--size", type=int, default=1024)
        q.add_argument("--interval-us", type=int, default=100 if q is s else 10)
        q.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    make = {"star": star, "chain": chain, "tree": tree}[a.kind]
    json.dump(make(a), sys.stdout, indent=None if a.kind == "tree" else 1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
