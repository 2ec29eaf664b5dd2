#!/usr/bin/env python3
"""measure-ndpi.py: the report of measure/measure-ndpi.sh (which runs
ndpiReader and tshark and calls this with what they wrote).  python3
standard library only.

    measure-ndpi.py --own-ports TOOL MANIFEST

MANIFEST: one line per capture, tab-separated: the capture, ndpiReader's
"-v 2" flow list, and portnote's packets with a payload verdict (tshark
fields: ip.src ipv6.src ip.dst ipv6.dst tcp/udp ports, portnote.observed,
portnote.category, each aggregated with ';').
"""
import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict

# nDPI's protocol names (ndpi_protocol_ids.h, nDPI 4.2) -> portnote's.
NDPI_TO_PORTNOTE = {
    "http": "http", "http_proxy": "http", "http_connect": "http", "ssdp": "http",
    "tls": "tls", "ssh": "ssh", "smtp": "smtp", "ftp_control": "ftp", "pop3": "pop3",
    "imap": "imap", "telnet": "telnet", "dns": "dns", "mdns": "dns", "llmnr": "dns",
    "rdp": "rdp", "smbv1": "smb", "smbv23": "smb", "mysql": "mysql", "postgresql": "postgresql",
    "redis": "redis", "mongodb": "mongodb", "mqtt": "mqtt", "rtsp": "rtsp", "irc": "irc",
    "socks": "socks", "vnc": "vnc", "s7comm": "s7comm", "modbus": "modbus", "ldap": "ldap",
    "kerberos": "kerberos", "bittorrent": "bittorrent", "sip": "sip", "ntp": "ntp",
    "snmp": "snmp", "syslog": "syslog", "dhcp": "dhcp", "quic": "quic", "stun": "stun",
    "dtls": "dtls", "ipsec": "ike", "radius": "radius", "zabbix": "zabbix",
    "gnutella": "gnutella", "dnp3": "dnp3", "iec60870": "iec104", "openvpn": "openvpn",
    "nfs": "onc-rpc", "dce_rpc": "dcerpc", "h323": "h225", "someip": "someip",
    "netflow": "netflow", "ipfix": "netflow", "teredo": "teredo", "jabber": "xmpp", "xmpp": "xmpp",
    "finger": "finger", "rtps": "rtps", "hl7": "hl7",
}
FLOW = re.compile(r"^\s+\d+\s+(TCP|UDP) (\S+) <-> (\S+) \[proto: [\d.]+/([^\]]+)\].*?\[Confidence: ([^\]]+)\]")
FINDINGS = ("protocol-mismatch", "non-standard-port")


def endpoint(text):
    """('addr', port) of nDPI's "1.2.3.4:80" or "[2001:db8::1]:80"."""
    addr, _, port = text.rpartition(":")
    return addr.strip("[]"), int(port)


def ndpi_flows(path):
    """[(transport, key, ndpi name)] of the flows nDPI names by payload."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = FLOW.match(line)
            if not m or "DPI" not in m.group(5):
                continue
            a, b = endpoint(m.group(2)), endpoint(m.group(3))
            out.append((m.group(1).lower(), frozenset((a, b)), m.group(4).split(".")[0].lower()))
    return out


def portnote_flows(path):
    """{(transport, key): (observed set, finding?)} from portnote's packets."""
    flows = defaultdict(lambda: [set(), False])
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 10:
                continue
            # tunnels repeat the address and port fields: the outer ones count
            c[:8] = [x.split(";")[0] for x in c[:8]]
            src, dst = c[0] or c[1], c[2] or c[3]
            transport, sp, dp = ("tcp", c[4], c[5]) if c[4] else ("udp", c[6], c[7])
            if not sp or not dp:
                continue
            key = (transport, frozenset(((src, int(sp)), (dst, int(dp)))))
            flows[key][0].update(x for x in re.split("[;,]", c[8]) if x)
            flows[key][1] |= any(f in c[9] for f in FINDINGS)
    return flows


def own_ports(tool):
    """{protocol: {transport: set(ports)}} from the build's own-ports tool."""
    own = {}
    for line in subprocess.run([tool], check=True, capture_output=True, text=True).stdout.splitlines():
        name, *specs = line.split()
        own[name] = {}
        for spec in specs:
            t, _, ports = spec.partition(":")
            if t in ("ws", "flags"):    # Wireshark's names, the table's flags: no ports
                continue
            own[name][t] = set()
            for part in filter(None, ports.split(",")):
                lo, _, hi = part.partition("-")
                own[name][t].update(range(int(lo), int(hi or lo) + 1))
    return own


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--own-ports", required=True)
    ap.add_argument("manifest")
    args = ap.parse_args()
    own = own_ports(args.own_ports)
    stats = defaultdict(Counter)
    unknown, wrong_rows, captures = Counter(), [], 0
    with open(args.manifest, encoding="utf-8") as f:
        for line in f:
            capture, ndpi, pn = line.rstrip("\n").split("\t")
            captures += 1
            verdicts = portnote_flows(pn)
            for transport, key, name in ndpi_flows(ndpi):
                proto = NDPI_TO_PORTNOTE.get(name)
                if proto not in own:
                    unknown[name] += 1
                    continue
                observed, finding = verdicts.get((transport, key), (set(), False))
                ports = {p for _, p in key}
                s = stats[proto]
                if ports & own[proto].get(transport, set()):
                    s["own"] += 1
                    s["own_ok"] += proto in observed and not finding
                else:
                    s["other"] += 1
                    s["other_ok"] += proto in observed and finding
                if observed - {proto}:
                    s["wrong"] += 1
                    wrong_rows.append((capture.rsplit("/", 1)[-1], transport, sorted(ports), name,
                                       ",".join(sorted(observed)), finding))
    pct = lambda a, b: "%d%%" % (100 * a // b) if b else "–"
    print("# portnote beside nDPI (ndpiReader %s)\n" % "4.2")
    print("%d captures; flows nDPI names by payload (Confidence: DPI).\n" % captures)
    print("| protocol | own-port flows | confirmed | % | other-port flows | found | % | portnote named another |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    tot = Counter()
    for proto in sorted(stats):
        s = stats[proto]
        tot.update(s)
        print("| %s | %d | %d | %s | %d | %d | %s | %d |" % (proto, s["own"], s["own_ok"], pct(s["own_ok"], s["own"]),
              s["other"], s["other_ok"], pct(s["other_ok"], s["other"]), s["wrong"]))
    print("| **total** | %d | %d | %s | %d | %d | %s | %d |\n" % (tot["own"], tot["own_ok"], pct(tot["own_ok"], tot["own"]),
          tot["other"], tot["other_ok"], pct(tot["other_ok"], tot["other"]), tot["wrong"]))
    print("## portnote named another protocol (%d)\n" % len(wrong_rows))
    for row in wrong_rows:
        print("- `%s` %s ports %s: nDPI %s, portnote %s%s" % (row[0], row[1], row[2], row[3], row[4],
                                                            " (finding)" if row[5] else ""))
    print("\n## nDPI protocols portnote has no signature for (flows)\n")
    print(", ".join("%s %d" % kv for kv in unknown.most_common()))


if __name__ == "__main__":
    sys.exit(main())
