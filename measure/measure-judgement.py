#!/usr/bin/env python3
"""measure-judgement.py: what an analyst would see on real traffic, counted.

    python3 measure/measure-judgement.py [--plugin SO] [--jobs N] [--sample N]
                                         [--seed S] [--json OUT] [CAPTURES or FOLDERS...]

For every capture (default: pcaps/, ../shared/pcaps, its protocols/ and
zeek-corpus/), tshark reads it twice with the plugin (two passes, as the GUI
shows a loaded file): once for `-z portnote,findings` and `-z expert`, once
for the TCP SYNs (tcp.flags.syn == 1 && tcp.flags.ack == 0).  It prints, in
Markdown:

  - findings (conversation and note rows) by risk, high/critical in total;
  - PortNote's Expert Info items by severity (as the Expert Info dialog
    counts them);
  - findings per service and per exposure (when the plugin reports one);
  - DNS conversations (server port 53) of medium risk or more, of all DNS
    conversations;
  - findings that name the SYN's sender as the server (must be none);
  - a random sample of high/critical findings (--sample, reproducible with
    --seed), to read as an analyst would.

--json OUT writes every figure and the sample as JSON, so two runs (before
and after a change, e.g. with --plugin pointing at an older build) can be
compared.  Captures that tshark cannot read completely still count for what
was read; the number of such captures is reported.
"""
import argparse
import collections
import concurrent.futures
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "pcaps")
RISKS = ["none", "low", "medium", "high", "critical"]
SEVERITIES = {"Errors": "error", "Warns": "warning", "Notes": "note", "Chats": "chat"}
SYN_FILTER = "tcp.flags.syn == 1 && tcp.flags.ack == 0"
CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".pcap.gz", ".pcapng.gz", ".cap", ".trace")


def default_captures():
    folders = [os.path.join(ROOT, "pcaps")]
    if os.path.isdir(SHARED):
        folders += [SHARED, os.path.join(SHARED, "protocols"), os.path.join(SHARED, "zeek-corpus")]
    else:
        print("note: no shared captures (%s is absent)" % SHARED, file=sys.stderr)
    return folders


def expand(paths):
    found = []
    for path in paths:
        if os.path.isdir(path):
            found += sorted(p for p in glob.glob(os.path.join(path, "*"))
                            if p.endswith(CAPTURE_SUFFIXES) and os.path.isfile(p))
        else:
            found.append(path)
    return found


def built_plugin():
    found = glob.glob(os.path.join(ROOT, "build", "plugins", "*", "epan", "portnote.so"))
    if len(found) != 1:
        sys.exit("measure-judgement: need exactly one build/plugins/*/epan/portnote.so "
                 "(build first, or give --plugin)")
    return found[0]


class Stage:
    """A private, world-readable folder with the plugin and an empty
    configuration; tshark runs as nobody when we are root (as root it
    ignores WIRESHARK_PLUGIN_DIR)."""

    def __init__(self, plugin, extra_prefs):
        self.dir = tempfile.mkdtemp(prefix="portnote-judgement.")
        version = re.search(r"(\d+\.\d+)", subprocess.run(
            ["tshark", "--version"], capture_output=True, text=True).stdout).group(1)
        epan = os.path.join(self.dir, "plugins", version, "epan")
        os.makedirs(epan)
        shutil.copy(plugin, os.path.join(epan, "portnote.so"))
        for sub in ("config", "home", "pcaps", "extcap"):
            os.makedirs(os.path.join(self.dir, sub), exist_ok=True)
        for base, dirs, files in os.walk(self.dir):
            for name in dirs + files:
                os.chmod(os.path.join(base, name), 0o755)
        os.chmod(self.dir, 0o755)
        os.chmod(os.path.join(self.dir, "config"), 0o1777)
        os.chmod(os.path.join(self.dir, "home"), 0o1777)
        self.prefs = []
        for pref in extra_prefs:
            self.prefs += ["-o", pref]

    def tshark(self, args):
        cmd = ["env", "-i", "PATH=/usr/bin:/bin", "HOME=" + os.path.join(self.dir, "home"),
               "LC_ALL=C.UTF-8", "TZ=UTC",
               "WIRESHARK_PLUGIN_DIR=" + os.path.join(self.dir, "plugins"),
               "WIRESHARK_CONFIG_DIR=" + os.path.join(self.dir, "config"),
               "WIRESHARK_EXTCAP_DIR=" + os.path.join(self.dir, "extcap"),
               "tshark"] + self.prefs + args
        if os.getuid() == 0:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
        return subprocess.run(cmd, capture_output=True, text=True, errors="replace")

    def stage(self, capture):
        dest = os.path.join(self.dir, "pcaps", "%d-%s" % (os.getpid(), os.path.basename(capture)))
        shutil.copy(capture, dest)
        os.chmod(dest, 0o644)
        return dest

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def parse_findings(text):
    rows, inside = [], False
    for line in text.splitlines():
        if line.startswith("=== portnote findings"):
            inside = True
        elif line.startswith("=== end"):
            inside = False
        elif inside and line.startswith("{"):
            rows.append(json.loads(line))
    return rows


def parse_expert(text):
    counts = collections.Counter()
    section = None
    for line in text.splitlines():
        head = re.match(r"^(\w+) \((\d+)\)$", line)
        row = re.match(r"^ *(\d+) +(\S+) +(.+?)  (.*)$", line)
        if head:
            section = head.group(1)
        elif row and section in SEVERITIES and row.group(3) == "PortNote":
            counts[SEVERITIES[section]] += int(row.group(1))
    return counts


def measure(stage, capture):
    staged = stage.stage(capture)
    try:
        main = stage.tshark(["-r", staged, "-2", "-q", "-z", "portnote,findings", "-z", "expert"])
        syns = stage.tshark(["-r", staged, "-2", "-Y", SYN_FILTER, "-T", "fields",
                             "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport",
                             "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.dstport"])
    finally:
        os.unlink(staged)
    senders = set()
    for line in syns.stdout.splitlines():
        f = line.split("\t")
        if len(f) != 6:
            continue
        # the innermost address and port when tunnelled
        src = (f[0] or f[1]).split(",")[-1]
        dst = (f[3] or f[4]).split(",")[-1]
        senders.add((src, f[2].split(",")[-1], dst, f[5].split(",")[-1]))
    return {
        "capture": capture,
        "findings": parse_findings(main.stdout),
        "expert": parse_expert(main.stdout),
        "syn_senders": senders,
        "partial": main.returncode != 0,
    }


def label(row):
    return "%s %s:%s -> %s:%s/%s %s risk %s%s" % (
        os.path.basename(row.get("capture", "")), row.get("client"), row.get("client_port"),
        row.get("server"), row.get("server_port"), row.get("transport"), row.get("service"),
        row.get("risk"), (" exposure " + row["exposure"]) if row.get("exposure") else "") + \
        "; categories " + ", ".join(row.get("categories", [])) + \
        ("; threats " + ", ".join(row["threats"]) if row.get("threats") else "") + \
        ("; evidence %s observed %s" % (row.get("evidence"), row.get("observed")))


def medium_or_more(row):
    """Whether a finding row's risk is medium or worse."""
    return RISKS.index(row.get("risk", "none")) >= RISKS.index("medium")


def summarise(results, sample_size, seed):
    findings, expert = [], collections.Counter()
    wrong_server, partial = [], 0
    for r in results:
        partial += r["partial"]
        expert.update(r["expert"])
        for row in r["findings"]:
            row["capture"] = r["capture"]
            findings.append(row)
            if row.get("transport") == "tcp" and (
                    str(row.get("server")), str(row.get("server_port")),
                    str(row.get("client")), str(row.get("client_port"))) in r["syn_senders"]:
                wrong_server.append(label(row))
    by_risk = collections.Counter(row.get("risk", "none") for row in findings)
    high = [row for row in findings if row.get("risk") in ("high", "critical")]
    per_service = collections.Counter(row.get("service") for row in high)
    per_exposure = collections.Counter(row.get("exposure", "(none)") for row in findings)
    per_exposure_high = collections.Counter(row.get("exposure", "(none)") for row in high)
    dns = [row for row in findings if row.get("server_port") == 53]
    dns_medium = [row for row in dns if medium_or_more(row)]
    # The anomalies that must stay caught: payload findings (another protocol
    # on the port, or a known one on a port not its own), by risk.
    payload_findings = [row for row in findings if row.get("finding")]
    payload_medium = [row for row in payload_findings if medium_or_more(row)]
    payload_kinds = collections.Counter(
        "%s on %s/%s (%s)" % (row.get("observed"), row.get("server_port"), row.get("transport"), row.get("finding"))
        for row in payload_medium)
    rng = random.Random(seed)
    sample = [label(row) for row in rng.sample(high, min(sample_size, len(high)))]
    return {
        "captures": len(results), "partial_captures": partial,
        "findings": len(findings), "by_risk": {k: by_risk.get(k, 0) for k in RISKS},
        "high_or_critical": len(high),
        "expert": {k: expert.get(k, 0) for k in ("error", "warning", "note", "chat")},
        "high_per_service": dict(per_service.most_common()),
        "per_exposure": dict(per_exposure.most_common()),
        "high_per_exposure": dict(per_exposure_high.most_common()),
        "dns_conversations": len(dns), "dns_medium_or_more": len(dns_medium),
        "syn_sender_as_server": len(wrong_server), "syn_sender_as_server_rows": wrong_server[:50],
        "payload_findings": len(payload_findings), "payload_findings_medium": len(payload_medium),
        "payload_findings_medium_kinds": dict(payload_kinds.most_common()),
        "sample": sample,
    }


def markdown(s):
    out = ["| figure | value |", "|---|---|"]
    out.append("| captures (cut short or unreadable in part) | %d (%d) |" % (s["captures"], s["partial_captures"]))
    out.append("| findings (conversation and note rows) | %d |" % s["findings"])
    out.append("| by risk: %s | %s |" % (" / ".join(RISKS), " / ".join(str(s["by_risk"][k]) for k in RISKS)))
    out.append("| high or critical | %d |" % s["high_or_critical"])
    out.append("| PortNote Expert Info: error / warning / note / chat | %s |" % " / ".join(
        str(s["expert"][k]) for k in ("error", "warning", "note", "chat")))
    out.append("| DNS conversations of medium risk or more | %d of %d |" % (s["dns_medium_or_more"], s["dns_conversations"]))
    out.append("| findings naming the SYN's sender as the server | %d |" % s["syn_sender_as_server"])
    out.append("| payload findings (mismatch, non-standard port); at medium or more | %d; %d |" % (
        s["payload_findings"], s["payload_findings_medium"]))
    out.append("")
    out.append("Payload findings at medium or more: " + ", ".join(
        "%s %d" % (k, v) for k, v in s["payload_findings_medium_kinds"].items()))
    out.append("")
    out.append("High/critical findings per service: " + ", ".join(
        "%s %d" % (k, v) for k, v in s["high_per_service"].items()))
    out.append("")
    out.append("Findings per exposure: " + ", ".join("%s %d" % kv for kv in s["per_exposure"].items()))
    out.append("High/critical per exposure: " + ", ".join("%s %d" % kv for kv in s["high_per_exposure"].items()))
    if s["syn_sender_as_server_rows"]:
        out += ["", "Findings naming the SYN's sender as the server (first 50):"]
        out += ["- " + r for r in s["syn_sender_as_server_rows"]]
    out += ["", "Random sample of high/critical findings:"]
    out += ["%d. %s" % (i + 1, r) for i, r in enumerate(s["sample"])]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plugin")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--json")
    ap.add_argument("-o", "--pref", action="append", default=[],
                    help="a tshark preference (NAME:VALUE) for every run")
    ap.add_argument("captures", nargs="*")
    args = ap.parse_args()
    captures = expand(args.captures or default_captures())
    stage = Stage(args.plugin or built_plugin(), args.pref)
    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda c: measure(stage, c), captures))
    finally:
        stage.close()
    summary = summarise(results, args.sample, args.seed)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1)
    print(markdown(summary))


if __name__ == "__main__":
    main()
