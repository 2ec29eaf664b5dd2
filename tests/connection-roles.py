#!/usr/bin/env python3
"""Checks one capture's roles (tests/connections-test.sh roles).

stdin: tshark -2 -T fields -E occurrence=a -E aggregator='|' with the fields
tcp.stream, tcp.flags.syn, tcp.flags.ack, tcp.srcport, tcp.dstport, ip.src,
ipv6.src, ip.dst, ipv6.dst, portnote.connection, portnote.port,
portnote.transport, portnote.role, then -z portnote,findings.

For each TCP connection whose SYN is seen, the SYN's destination is the
server: every packet of the connection carries the server port's note (when
any packet does) and none carries a note on the client's port; no findings
row of the connection names another server.  Prints "ok LABEL N" or
"FAIL LABEL: why".
"""
import json
import sys

label = sys.argv[1]


def last(value):
    """The innermost of a field's occurrences (tunnels give several)."""
    return value.split("|")[-1] if value else ""


def read(lines):
    """Per packet: its stream, ends and notes; then the findings rows."""
    packets, findings, in_findings = [], [], False
    for line in lines:
        line = line.rstrip("\n")
        if line == "=== portnote findings ===":
            in_findings = True
            continue
        if line == "=== end ===":
            in_findings = False
            continue
        if in_findings:
            findings.append(json.loads(line))
            continue
        f = line.split("\t")
        if len(f) != 13 or not f[0]:
            continue
        stream, syn, ack, sport, dport, src4, src6, dst4, dst6, conn, ports, transports, roles = f
        notes = list(zip(ports.split("|"), transports.split("|"), roles.split("|"))) if ports else []
        packets.append({
            "stream": last(stream), "syn": last(syn) in ("1", "True"), "ack": last(ack) in ("1", "True"),
            "src": (last(src6) or last(src4), last(sport)), "dst": (last(dst6) or last(dst4), last(dport)),
            "keyed": bool(conn),
            "notes": [(int(p), r) for p, t, r in notes if t == "tcp"],
        })
    return packets, findings


def check(packets, findings):
    """The first problem found, or None; and how many connections were checked."""
    servers = {}        # stream -> (server end, client end), from its first SYN
    for p in packets:
        if p["keyed"] and p["syn"] and not p["ack"] and p["stream"] not in servers:
            servers[p["stream"]] = (p["dst"], p["src"])
    by_stream = {}
    for p in packets:
        if p["stream"] in servers and p["keyed"]:
            by_stream.setdefault(p["stream"], []).append(p)
    for stream, (server, client) in servers.items():
        if server[1] == client[1]:
            continue        # one port for both ends: nothing tells the notes apart
        members = by_stream.get(stream, [])
        carries = [any(port == int(server[1]) for port, _ in p["notes"]) for p in members]
        if any(carries) and not all(carries):
            return "tcp.stream %s: the server port %s's note is missing on %d of %d packets" % (
                stream, server[1], carries.count(False), len(carries)), 0
        for p in members:
            if any(port == int(client[1]) for port, _ in p["notes"]):
                return "tcp.stream %s: a note on the client's port %s (SYN %s -> %s)" % (
                    stream, client[1], client, server), 0
    # findings: the connection's rows all name the SYN's destination
    ends = {}
    for server, client in servers.values():
        key = frozenset((server, client))
        if ends.get(key, server) != server:
            ends[key] = None        # SYNs both ways on these ends: ambiguous
        elif key not in ends:
            ends[key] = server
    for row in findings:
        if row["transport"] != "tcp" or not row["client_port"]:
            continue
        server = (row["server"], str(row["server_port"]))
        client = (row["client"], str(row["client_port"]))
        expected = ends.get(frozenset((server, client)))
        if expected and expected != server:
            return "findings: %s:%s is named the server, but the SYN went to %s:%s" % (
                server + expected), 0
    return None, len(servers)


problem, checked = check(*read(sys.stdin))
print("FAIL %s: %s" % (label, problem) if problem else "ok %s %d connections" % (label, checked))
