#!/usr/bin/env python3
"""review-merge.py DIR [CURRENT_KEYS]: merges the per-capture parts of tools/review.sh.

Reads DIR/parts/*.meta.json and their *.ndjson and writes
  DIR/findings.ndjson  every finding of the reviewed and partial captures, each
                       naming its "capture" and "case"; ordered by capture path,
                       then first_seen, server, server_port
  DIR/findings.csv     the same rows, columns CSV_COLUMNS, lists joined with ';'
  DIR/captures.ndjson  one line per file given: case, capture, sha256, status
                       (reviewed, partial, skipped, failed), reason, packets,
                       first and last packet time, findings, provenance
  DIR/failures.tsv     capture<TAB>status<TAB>reason, one line per file not
                       reviewed in full (partial, skipped, failed)
and prints the counts and every file not reviewed in full on stderr.

A file has several parts when it changed or was read with another set-up.
CURRENT_KEYS (a file of part keys, one a line: the batch's) chooses the part of
this set-up; otherwise the newest part counts.  When the chosen parts were made
with different set-ups (plugin, Wireshark, notes, preferences), it says so.
Exit status: 0 when at least one capture was read (reviewed or partial), 1 when none was.
Standard library only.
"""
import csv
import glob
import json
import os
import sys

# The CSV's columns, in this order (documented in docs/case-review.md, "Many captures").
CSV_COLUMNS = ["case", "capture", "first_seen", "last_seen", "rel_first", "rel_last",
               "client", "client_port", "server", "server_port", "transport",
               "service", "risk", "exposure", "categories", "threats", "also_used_by",
               "evidence", "observed", "tunnelled", "finding", "packets", "bytes", "filter"]
STATUSES = ["reviewed", "partial", "skipped", "failed"]
READ = ("reviewed", "partial")


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def write_atomic(path, write):
    with open(path + ".tmp", "w", encoding="utf-8", newline="") as f:
        write(f)
    os.replace(path + ".tmp", path)


def load_meta(meta_path):
    """A part's meta, with the names of older review.sh versions brought up to date."""
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    if meta["status"] == "ok":
        meta["status"] = "reviewed"
    meta.setdefault("case", "")
    meta.setdefault("provenance", {})
    return meta


def chosen_parts(parts_dir, current):
    """{capture path: (meta, ndjson path)}: per capture the part whose key is in
    current, else the newest."""
    chosen = {}
    for meta_path in sorted(glob.glob(os.path.join(parts_dir, "*.meta.json"))):
        prefix = meta_path[:-len(".meta.json")]
        meta = load_meta(meta_path)
        meta["is_current"] = os.path.basename(prefix) in current
        old = chosen.get(meta["capture"])
        if old is None or (meta["is_current"], meta["done"]) > (old[0]["is_current"], old[0]["done"]):
            chosen[meta["capture"]] = (meta, prefix + ".ndjson")
    return chosen


def one_line(text):
    return " ".join(str(text).split())


def capture_record(meta):
    return {k: meta.get(k) for k in ("case", "capture", "sha256", "size", "status", "reason",
                                     "file_type", "packets", "first_packet", "last_packet",
                                     "findings", "provenance")}


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    out = argv[1]
    current = set()
    if len(argv) == 3:
        with open(argv[2], encoding="utf-8") as f:
            current = {line.strip() for line in f if line.strip()}
    parts = chosen_parts(os.path.join(out, "parts"), current)
    rows, captures = [], []
    for capture in sorted(parts):
        meta, ndjson = parts[capture]
        captures.append(capture_record(meta))
        if meta["status"] in READ:
            with open(ndjson, encoding="utf-8") as f:
                rows.extend(json.loads(line) for line in f if line.strip())
    rows.sort(key=lambda r: (r["capture"], r["first_seen"], r["server"], r["server_port"]))

    write_atomic(os.path.join(out, "findings.ndjson"),
                 lambda f: f.writelines(json.dumps(r) + "\n" for r in rows))
    write_atomic(os.path.join(out, "captures.ndjson"),
                 lambda f: f.writelines(json.dumps(c) + "\n" for c in captures))

    def write_csv(f):
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow([csv_value(r.get(c)) for c in CSV_COLUMNS])
    write_atomic(os.path.join(out, "findings.csv"), write_csv)
    not_full = [c for c in captures if c["status"] != "reviewed"]
    write_atomic(os.path.join(out, "failures.tsv"), lambda f: f.writelines(
        "%s\t%s\t%s\n" % (c["capture"], c["status"], one_line(c["reason"])) for c in not_full))

    counts = {s: sum(1 for c in captures if c["status"] == s) for s in STATUSES}
    print("review: %d files: %s; %d packets, %d findings"
          % (len(captures), ", ".join("%d %s" % (counts[s], s) for s in STATUSES),
             sum(c["packets"] or 0 for c in captures if c["status"] in READ), len(rows)),
          file=sys.stderr)
    for c in not_full:
        print("review: %s %s: %s" % (c["status"].upper(), c["capture"], one_line(c["reason"])),
              file=sys.stderr)
    setups = {json.dumps(c["provenance"], sort_keys=True) for c in captures}
    if len(setups) > 1:
        print("review: warning: the parts come from %d different set-ups (plugin, Wireshark, "
              "notes or preferences): run the review again to read them all with one"
              % len(setups), file=sys.stderr)
    return 0 if counts["reviewed"] + counts["partial"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
