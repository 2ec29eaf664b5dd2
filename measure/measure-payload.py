#!/usr/bin/env python3
"""measure-payload.py: the report of measure/measure-payload.sh (which runs
tshark and calls this with what it wrote).  python3 standard library only.

    measure-payload.py --root DIR --plugin SO --labels CSV --command TEXT
                       [--protocols LIST] --out FILE MANIFEST

MANIFEST: one line per capture, tab-separated: the capture's path, the
ground-truth dissection (tshark -2 with portnote disabled, -T fields with
TRUTH_FIELDS below) and portnote's dissection (tshark -2 -T json -J "frame
portnote").  See the header of measure-payload.sh for what is counted.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tshark_json import packets, get, values  # noqa: E402

# ---- Protocols ---------------------------------------------------------------

# Every protocol name portnote's payload check may report (portnote.observed),
# and Wireshark's names of each one's layers (frame.protocols; some are
# other versions': ssl, bootp, redis): both from the plugin's protocol
# table (plugin/portnote-protocols.def) through the build's own-ports tool,
# filled in by load_own_ports.  Wireshark 4.0 has no Zabbix dissector, so
# Zabbix flows need labels there.
PROTOCOLS = []
WIRESHARK_TO_PORTNOTE = {}
# Layers that only carry the application: look past them.  When nothing
# follows, the value (if any) names the protocol (a NetBIOS session message
# on its own is SMB's transport; a Modbus/TCP header is Modbus).
# Protocols that decide nothing on a port promising no protocol (the
# table's wrappers and protocols on ports assigned at run time): from the
# own-ports tool's flags (these three for a tool that prints none).
ENCRYPTED_WRAPPERS = {"tls", "quic", "dtls"}
WRAPPERS = {"tpkt": None, "cotp": None, "nbss": "smb", "mbtcp": "modbus"}
# Layers that say nothing about the payload's protocol (undecoded bytes).
UNDECODED = {"data", "data-text-lines", "media", "_ws.malformed", "_ws.short",
             "_ws.unreassembled", "tcp.segments"}

# Each protocol's own ports, as the plugin's core has them: printed by the
# build's own-ports tool (measure/own-ports.c), so the two cannot drift
# apart.  A flow is on its protocol's own port when either of its ports is.
def _ports(spec):
    out = set()
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-")
            out.update(range(int(lo), int(hi) + 1))
        elif part:
            out.add(int(part))
    return out


def load_own_ports(tool):
    """{protocol: {transport: set(ports)}} from the own-ports tool's output."""
    try:
        text = subprocess.run([tool], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        fail("cannot run %s (build first): %s" % (tool, e))
    own = {}
    for line in text.splitlines():
        name, *specs = line.split()
        fields = {t: value for t, _, value in (s.partition(":") for s in specs)}
        for layer in filter(None, fields.pop("ws", "").split(",")):
            WIRESHARK_TO_PORTNOTE[layer] = name
        flags = fields.pop("flags", None)
        if flags is not None and ("wrapper" in flags.split(",") or "any-port" in flags.split(",")):
            ENCRYPTED_WRAPPERS.add(name)
        own[name] = {t: _ports(ports) for t, ports in fields.items()}
        PROTOCOLS.append(name)
    if not PROTOCOLS:
        fail("%s printed no protocols" % tool)
    return own


OWN_PORTS = {}

# The finding categories of a payload note (as in measure-findings.sh).
MISMATCH, NON_STANDARD = "protocol-mismatch", "non-standard-port"

# tshark -T fields of the truth pass, in this order (-E occurrence=l: the
# last occurrence, the innermost layer).
TRUTH_FIELDS = ["frame.number", "frame.protocols", "tcp.stream", "udp.stream",
                "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
                "tcp.len", "udp.length", "tcp.flags.syn"]

TARGET_OWN, TARGET_OTHER = 90.0, 80.0


def fail(message):
    sys.exit("measure-payload: " + message)


# ---- Which protocols the plugin recognises -------------------------------------

def recognised_by(plugin):
    """Protocol names present as NUL-terminated strings in the plugin (its
    name table, pn_proto_name), like `strings -n 2 | grep -x NAME`.  The
    linker may store a name as the tail of a longer one ("tls" in "dtls")."""
    with open(plugin, "rb") as f:
        words = set(re.split(rb"[^\x20-\x7e]", f.read()))
    return [p for p in PROTOCOLS if any(w.endswith(p.encode()) for w in words)]


# ---- Ground truth ------------------------------------------------------------------

def frame_truth(layers):
    """(transport index, protocol verdict) of one frame's frame.protocols:
    the verdict is a portnote name, "other:NAME" (a protocol portnote does
    not know), "undecoded", or None (a wrapper with nothing under it yet)."""
    last = max((i for i, l in enumerate(layers) if l in ("tcp", "udp")), default=None)
    if last is None:
        return None, None
    # A TCP/UDP header quoted in an ICMP error is not a conversation of its own.
    if any(l in ("icmp", "icmpv6") for l in layers[:last]):
        return None, None
    hint = None
    for layer in layers[last + 1:]:
        if layer in WRAPPERS:
            hint = hint or WRAPPERS[layer]
            continue
        if layer in WIRESHARK_TO_PORTNOTE:
            return last, WIRESHARK_TO_PORTNOTE[layer]
        if layer in UNDECODED:
            return last, hint or "undecoded"
        return last, "other:" + layer
    return last, hint


class Flow:
    def __init__(self, transport, stream):
        self.transport, self.stream = transport, stream
        self.ports = set()
        self.payload = False
        self.senders = set()       # source ports of the frames with payload
        self.syn = False           # a TCP SYN of the flow was captured
        self.decodes = []          # distinct frame verdicts, in frame order
        self.frames = set()
        self.notes = set()         # (port, verdict, observed) of payload notes
        self.label = None          # (protocol, reason) from the labels file

    @property
    def truth(self):
        if self.label:
            return self.label[0]
        decoded = [d for d in self.decodes if d and d != "undecoded"]
        if decoded:
            return decoded[0]
        return "undecoded" if self.payload else None

    def port_text(self):
        return "%s %s" % (self.transport, "/".join(str(p) for p in sorted(self.ports)))

    def remarks(self):
        """What about the capture may explain a miss."""
        out = []
        if self.transport == "tcp" and not self.syn:
            out.append("start not captured (no SYN)")
        if len(self.senders) == 1 and len(self.ports) == 2:
            out.append("payload in one direction only")
        return "; ".join(out)

    def said(self):
        if not self.notes:
            return "nothing (no payload verdict)"
        return "; ".join("%s %s on %s/%s" % (v, o or "?", self.transport, p)
                         for p, v, o in sorted(self.notes, key=str))


def read_truth(path):
    flows, by_frame = {}, {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != len(TRUTH_FIELDS):
                fail("%s: %d columns, not %d: %r" % (path, len(cols), len(TRUTH_FIELDS), line))
            rec = dict(zip(TRUTH_FIELDS, cols))
            layers = rec["frame.protocols"].split(":")
            index, verdict = frame_truth(layers)
            if index is None:
                continue
            transport = layers[index]
            stream = rec[transport + ".stream"]
            if not stream:
                continue
            key = (transport, int(stream))
            flow = flows.setdefault(key, Flow(*key))
            for field in ("srcport", "dstport"):
                if rec["%s.%s" % (transport, field)]:
                    flow.ports.add(int(rec["%s.%s" % (transport, field)]))
            if transport == "tcp":
                payload = int(rec["tcp.len"] or 0) > 0
            else:
                payload = int(rec["udp.length"] or 0) > 8
            frame = int(rec["frame.number"])
            by_frame[frame] = key
            flow.frames.add(frame)
            if rec["tcp.flags.syn"] in ("1", "True"):
                flow.syn = True
            if payload:
                flow.payload = True
                flow.senders.add(rec["%s.srcport" % transport])
                if verdict and verdict not in flow.decodes:
                    flow.decodes.append(verdict)
    return flows, by_frame


# ---- portnote's verdicts ----------------------------------------------------------

def read_notes(path, flows, by_frame):
    """Adds each frame's payload notes to its flow."""
    for packet in packets(path):
        layers = get(get(packet, "_source")[0], "layers")[0]
        frame = int(values(get(layers, "frame")[0], "frame.number")[0])
        notes = [tree for item in get(layers, "portnote")
                 for tree in (get(item, "portnote.summary_tree") or [item])]
        for note in notes:
            if "payload" not in values(note, "portnote.evidence"):
                continue
            categories = set(values(note, "portnote.category"))
            verdict = (MISMATCH if MISMATCH in categories else
                       NON_STANDARD if NON_STANDARD in categories else "confirmed")
            observed = (values(note, "portnote.observed") or [None])[0]
            port = (values(note, "portnote.port") or ["?"])[0]
            if frame in by_frame:
                flows[by_frame[frame]].notes.add((port, verdict, observed))


# ---- Labels ---------------------------------------------------------------------

def read_labels(path):
    """capture,transport,stream,protocol,reason rows ('#' lines are comments)."""
    labels = {}
    if not path or not os.path.exists(path):
        return labels
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].lstrip().startswith("#")]
    if rows and rows[0][:3] == ["capture", "transport", "stream"]:
        rows = rows[1:]
    for n, row in enumerate(rows, 1):
        if len(row) != 5:
            fail("%s: row %d: want capture,transport,stream,protocol,reason: %r" % (path, n, row))
        capture, transport, stream, proto, reason = (c.strip() for c in row)
        if transport not in ("tcp", "udp") or not stream.isdigit():
            fail("%s: row %d: transport must be tcp or udp and stream a number" % (path, n))
        if proto not in PROTOCOLS and not re.match(r"^other:\S+$", proto):
            fail("%s: row %d: protocol %r is neither one of portnote's nor other:NAME" % (path, n, proto))
        labels[(capture, transport, int(stream))] = (proto, reason)
    return labels


# ---- Counting ---------------------------------------------------------------------

def pct(part, whole):
    return "%.0f%%" % (100.0 * part / whole) if whole else "–"


def new_stats():
    return {p: dict(own=0, own_ok=0, other=0, other_ok=0, wrong=0) for p in PROTOCOLS}


def synthetic(capture):
    """The repository's own sample captures, written by pcaps/mkpcaps.c."""
    return capture.startswith("pcaps/")


def measure(manifest, labels, recognised):
    """Counts per protocol, for all captures and for the real ones only."""
    groups = {"all": new_stats(), "real": new_stats()}
    missed, wrong, unjudged, not_counted, used_labels = [], [], [], {}, set()
    for capture, truth_path, notes_path in manifest:
        flows, by_frame = read_truth(truth_path)
        read_notes(notes_path, flows, by_frame)
        name = os.path.basename(capture)
        tallies = [groups["all"]] + ([] if synthetic(capture) else [groups["real"]])
        def add(proto, field, n=1):
            for stats in tallies:
                stats[proto][field] += n
        for key in sorted(flows):
            flow = flows[key]
            label_key = (name, flow.transport, flow.stream)
            if label_key in labels:
                flow.label = labels[label_key]
                used_labels.add(label_key)
            truth = flow.truth
            row = (capture, "%s %d" % (flow.transport, flow.stream), flow.port_text())
            if truth is None:
                not_counted.setdefault((capture, "no payload", "–"), []).append(flow)
                continue
            if truth == "undecoded":
                if flow.notes:
                    unjudged.append(row + (flow.said(),))
                not_counted.setdefault((capture, "Wireshark decoded no protocol (label it?)",
                                        "undecoded"), []).append(flow)
                continue
            # Wrong findings: any payload note naming a protocol the flow is not.
            for port, verdict, observed in sorted(flow.notes, key=str):
                if observed and observed != truth:
                    wrong.append(row + (truth, "%s %s on %s/%s" % (verdict, observed, flow.transport, port)))
                    if observed in PROTOCOLS:
                        add(observed, "wrong")
            if truth.startswith("other:"):
                not_counted.setdefault((capture, "not one of portnote's protocols", truth[6:]), []).append(flow)
                continue
            if truth not in recognised:
                not_counted.setdefault((capture, "this build does not recognise it", truth), []).append(flow)
                continue
            own = bool(flow.ports & OWN_PORTS[truth].get(flow.transport, set()))
            if not own and truth in ENCRYPTED_WRAPPERS and not any(
                    flow.ports & ports.get(flow.transport, set()) for ports in OWN_PORTS.values()):
                # by design: TLS, QUIC, DTLS and STUN carry any application,
                # RPC and the like run on ports assigned at run time, so on
                # a port that promises no protocol they decide nothing
                not_counted.setdefault((capture, "a wrapper or a protocol on ports assigned at run time, "
                                        "on a port with no protocol of its own (decides nothing, by design)",
                                        truth), []).append(flow)
                continue
            if own:
                ok = any(v == "confirmed" and o == truth for _, v, o in flow.notes)
                add(truth, "own")
                add(truth, "own_ok", int(ok))
                what = "own port, not confirmed"
            else:
                ok = any(v in (MISMATCH, NON_STANDARD) and o == truth for _, v, o in flow.notes)
                add(truth, "other")
                add(truth, "other_ok", int(ok))
                what = "other port, not found"
                if any(v == "confirmed" and o == truth for _, v, o in flow.notes):
                    what += " (portnote takes the port for %s's own)" % truth
            if not ok:
                missed.append(row + (truth, what, flow.said(), flow.remarks()))
    unused = sorted(set(labels) - used_labels)
    return groups, missed, wrong, unjudged, not_counted, unused


# ---- Report -----------------------------------------------------------------------

def totals(stats, recognised):
    rec = [p for p in PROTOCOLS if p in recognised]
    t = {k: sum(stats[p][k] for p in rec) for k in ("own", "own_ok", "other", "other_ok")}
    t["wrong"] = sum(stats[p]["wrong"] for p in PROTOCOLS)
    t["below_own"] = [p for p in rec if stats[p]["own"]
                      and 100.0 * stats[p]["own_ok"] / stats[p]["own"] < TARGET_OWN]
    t["below_other"] = [p for p in rec if stats[p]["other"]
                        and 100.0 * stats[p]["other_ok"] / stats[p]["other"] < TARGET_OTHER]
    return t


def rows_or_none(w, header, rows):
    """A Markdown table of rows under header, or "None." when there are none."""
    if not rows:
        w("None.")
        return
    w("| " + " | ".join(header) + " |")
    w("|" + "---|" * len(header))
    for row in rows:
        w("| " + " | ".join(str(c) for c in row) + " |")


def report(args, manifest, recognised, detected, labels, results):
    groups, missed, wrong, unjudged, not_counted, unused = results
    out = []
    w = out.append
    cell = lambda text: str(text).replace("|", "\\|")
    w("# Payload check, measured on captures")
    w("")
    w("How well portnote's payload check (issue 13) does on every flow of the")
    w("captures below whose protocol Wireshark's own dissection (or a label in")
    w("`tests/data/payload-labels.csv`) names.  Generated by:")
    w("")
    w("```")
    w(args.command)
    w("```")
    w("")
    w("- tshark: %s" % args.tshark_version)
    w("- plugin: `%s`%s" % (args.plugin_label, (" (repository at %s)" % args.revision) if args.revision else ""))
    w("- protocols this build recognises (%s): %s" % (
        "found in the plugin" if detected else "from --protocols",
        " ".join(recognised) if recognised else "none"))
    n_synth = sum(1 for m in manifest if synthetic(m[0]))
    w("- captures: %d (%d real, %d synthetic samples from `pcaps/`); two passes (`tshark -2`)" % (
        len(manifest), len(manifest) - n_synth, n_synth))
    w("")
    w("## Totals against the issue's targets")
    w("")
    w("| target | all captures | real captures only | |")
    w("|---|---|---|---|")
    t_all, t_real = totals(groups["all"], recognised), totals(groups["real"], recognised)

    def own_cell(t):
        return "%d of %d (%s)%s" % (t["own_ok"], t["own"], pct(t["own_ok"], t["own"]),
                                    "; below: " + ", ".join(t["below_own"]) if t["below_own"] else "")

    def other_cell(t):
        return "%d of %d (%s)%s" % (t["other_ok"], t["other"], pct(t["other_ok"], t["other"]),
                                    "; below: " + ", ".join(t["below_other"]) if t["below_other"] else "")

    def met(ok_all, ok_real):
        return "met" if ok_all and ok_real else "**not met**"
    other_ok = lambda t: t["other"] == 0 or 100.0 * t["other_ok"] / t["other"] >= TARGET_OTHER
    w("| ≥%d%% of the flows of each recognised protocol on its own port confirmed | %s | %s | %s |" % (
        TARGET_OWN, own_cell(t_all), own_cell(t_real), met(not t_all["below_own"], not t_real["below_own"])))
    w("| ≥%d%% of the flows carrying a recognised protocol on a port not its own found | %s | %s | %s |" % (
        TARGET_OTHER, other_cell(t_all), other_cell(t_real), met(other_ok(t_all), other_ok(t_real))))
    w("| 0 findings naming the wrong protocol | %d | %d | %s |" % (
        t_all["wrong"], t_real["wrong"], met(t_all["wrong"] == 0, t_real["wrong"] == 0)))
    w("")
    w("\"below\": recognised protocols under the target on their own.  A measurement,")
    w("not a test: the script reports the figures and enforces nothing.")
    w("")
    for group, title in (("all", "all captures"), ("real", "real captures only")):
        stats, t = groups[group], totals(groups[group], recognised)
        w("## Per protocol, %s" % title)
        w("")
        w("| protocol | own-port flows | confirmed | % | other-port flows | found | % | wrong findings |")
        w("|---|--:|--:|--:|--:|--:|--:|--:|")
        for p in PROTOCOLS:
            s = stats[p]
            if p not in recognised:
                if s["wrong"]:
                    w("| %s (not recognised) | | | | | | | %d |" % (p, s["wrong"]))
                continue
            w("| %s | %d | %d | %s | %d | %d | %s | %d |" % (
                p, s["own"], s["own_ok"], pct(s["own_ok"], s["own"]),
                s["other"], s["other_ok"], pct(s["other_ok"], s["other"]), s["wrong"]))
        w("| **total** | %d | %d | %s | %d | %d | %s | %d |" % (
            t["own"], t["own_ok"], pct(t["own_ok"], t["own"]),
            t["other"], t["other_ok"], pct(t["other_ok"], t["other"]), t["wrong"]))
        w("")
    w("own-port flows: either port of the flow is one of the protocol's own (`OWN_PORTS`")
    w("in `measure/measure-payload.py`); confirmed: portnote confirmed that protocol.")
    w("other-port flows: neither port is; found: a protocol-mismatch or")
    w("non-standard-port finding naming that protocol.  Wrong findings, counted")
    w("against the protocol portnote named: a confirmation or a finding naming a")
    w("protocol the flow is not (on any flow whose protocol is known, counted or not).")
    unrec = [p for p in PROTOCOLS if p not in recognised]
    if unrec:
        w("Not recognised by this build (their flows are not counted): %s." % " ".join(unrec))
    w("")
    w("## Missed flows (%d)" % len(missed))
    w("")
    rows_or_none(w, ("capture", "stream", "ports", "truth", "missed", "portnote said", "the capture"),
                 [("`%s`" % c, s_, p_, t, what, cell(said), remarks)
                  for c, s_, p_, t, what, said, remarks in missed])
    w("")
    w("## Wrong findings (%d)" % len(wrong))
    w("")
    rows_or_none(w, ("capture", "stream", "ports", "truth", "portnote said"),
                 [("`%s`" % c, s_, p_, t, cell(said)) for c, s_, p_, t, said in wrong])
    w("")
    w("## Payload verdicts on flows Wireshark did not decode (%d, not judged)" % len(unjudged))
    w("")
    if unjudged:
        w("Label these in `tests/data/payload-labels.csv` to count them.")
        w("")
    rows_or_none(w, ("capture", "stream", "ports", "portnote said"),
                 [("`%s`" % c, s_, p_, cell(said)) for c, s_, p_, said in unjudged])
    w("")
    total_nc = sum(len(v) for v in not_counted.values())
    w("## Not counted (%d flows)" % total_nc)
    w("")
    w("| capture | why | protocol | flows | streams |")
    w("|---|---|---|--:|---|")
    for (capture, why, proto), flows in sorted(not_counted.items()):
        w("| `%s` | %s | %s | %d | %s |" % (capture, why, proto, len(flows),
                                           ", ".join("%s %d" % (f.transport, f.stream) for f in flows)))
    w("")
    w("## Ground truth")
    w("")
    w("A flow is a TCP or UDP stream (`tcp.stream`, `udp.stream` of the innermost")
    w("TCP/UDP layer; a header quoted in an ICMP error is not a flow).  Its")
    w("protocol is the first protocol Wireshark decoded (tshark -2, portnote")
    w("disabled) in a frame of the flow with payload, past TPKT/COTP, NetBIOS")
    w("session and Modbus/TCP headers, mapped to portnote's names (ssl/tls → tls,")
    w("pop → pop3, pgsql → postgresql, resp → redis, mongo → mongodb, vnc, nbss/smb/smb2")
    w("→ smb, mbtcp/modbus → modbus, isakmp → ike, srvloc → slp, bootp/dhcp → dhcp,")
    w("ssdp → http, nbns/mdns/llmnr → dns, ...: `WIRESHARK_TO_PORTNOTE` in the")
    w("script).  Wireshark decodes by port, so a protocol on a port not its own is")
    w("often left undecoded, and a port's protocol is sometimes claimed for a")
    w("payload that is not it: a label overrides the dissection (Wireshark 4.0")
    w("has no Zabbix dissector at all: Zabbix flows need labels there).  The synthetic")
    w("samples in `pcaps/` are counted in \"all captures\" only: some of their")
    w("dialogues are not realistic (seed.pcap and encap.pcap have the client speak")
    w("before an FTP, SMTP or POP3 server's greeting).")
    w("")
    used = [(k, v) for k, v in sorted(labels.items()) if k not in unused]
    w("Labels applied (%d):" % len(used))
    w("")
    if used:
        w("| capture | stream | protocol | reason |")
        w("|---|---|---|---|")
        for (capture, transport, stream), (proto, reason) in used:
            w("| `%s` | %s %d | %s | %s |" % (capture, transport, stream, proto, cell(reason)))
    else:
        w("None.")
    if unused:
        w("")
        w("Labels that matched no flow of the measured captures: %s." %
          ", ".join("%s %s %d" % k for k in unused))
    w("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--plugin-label", default=None)
    ap.add_argument("--revision", default="")
    ap.add_argument("--tshark-version", default="?")
    ap.add_argument("--labels", default="")
    ap.add_argument("--protocols", default="")
    ap.add_argument("--command", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--own-ports", default=None,
                    help="the build's own-ports tool (default: next to the plugin's build folder)")
    ap.add_argument("manifest")
    args = ap.parse_args()
    # plugin: BUILD/plugins/VERSION/epan/portnote.so
    tool = args.own_ports or os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(args.plugin))))),
        "own-ports")
    OWN_PORTS.update(load_own_ports(tool))
    args.plugin_label = args.plugin_label or args.plugin
    manifest = []
    with open(args.manifest, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                manifest.append(line.rstrip("\n").split("\t"))
    if args.protocols:
        recognised = [p.strip() for p in args.protocols.split(",") if p.strip()]
        bad = [p for p in recognised if p not in PROTOCOLS]
        if bad:
            fail("unknown protocols in --protocols: %s (known: %s)" % (" ".join(bad), " ".join(PROTOCOLS)))
        detected = False
    else:
        recognised = recognised_by(args.plugin)
        detected = True
    labels = read_labels(args.labels)
    text = report(args, manifest, recognised, detected, labels, measure(manifest, labels, recognised))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
