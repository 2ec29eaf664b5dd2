#!/usr/bin/env python3
"""review-merge.py DIR: merges the per-capture parts of tools/review.sh.

Reads DIR/parts/*.meta.json and their *.ndjson and writes
  DIR/findings.ndjson  every finding, each naming its "capture"; ordered by
                       capture path, then first_seen, server, server_port
  DIR/findings.csv     the same rows, columns CSV_COLUMNS, lists joined with ';'
  DIR/failures.tsv     capture<TAB>reason, one line per capture tshark could not read
and prints the failures on stderr.  When a capture has several parts (the file
changed between runs: its key changed), only the newest counts.
Exit status: 0 when at least one capture was read, 1 when none was.
Standard library only.
"""
import csv
import glob
import json
import os
import sys

# The CSV's columns, in this order (documented in docs/case-review.md).
CSV_COLUMNS = ["capture", "first_seen", "last_seen", "rel_first", "rel_last",
               "client", "client_port", "server", "server_port", "transport",
               "service", "risk", "exposure", "categories", "threats", "also_used_by",
               "evidence", "observed", "finding", "packets", "bytes", "filter"]


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


def newest_parts(parts_dir):
    """{capture path: (meta, ndjson path)}, the newest part of each capture."""
    newest = {}
    for meta_path in sorted(glob.glob(os.path.join(parts_dir, "*.meta.json"))):
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        old = newest.get(meta["capture"])
        if old is None or meta["done"] > old[0]["done"]:
            newest[meta["capture"]] = (meta, meta_path[:-len(".meta.json")] + ".ndjson")
    return newest


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    parts = newest_parts(os.path.join(out, "parts"))
    rows, failures, read = [], [], 0
    for capture in sorted(parts):
        meta, ndjson = parts[capture]
        if meta["status"] != "ok":
            failures.append((capture, meta["reason"] or "tshark exit status %d" % meta["exit"]))
            continue
        read += 1
        with open(ndjson, encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    rows.sort(key=lambda r: (r["capture"], r["first_seen"], r["server"], r["server_port"]))

    write_atomic(os.path.join(out, "findings.ndjson"),
                 lambda f: f.writelines(json.dumps(r) + "\n" for r in rows))

    def write_csv(f):
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow([csv_value(r.get(c)) for c in CSV_COLUMNS])
    write_atomic(os.path.join(out, "findings.csv"), write_csv)

    def one_line(text):
        return " ".join(text.split())
    write_atomic(os.path.join(out, "failures.tsv"),
                 lambda f: f.writelines("%s\t%s\n" % (c, one_line(r)) for c, r in failures))

    print("review: %d captures read, %d findings, %d failed"
          % (read, len(rows), len(failures)), file=sys.stderr)
    for capture, reason in failures:
        print("review: FAILED %s: %s" % (capture, one_line(reason)), file=sys.stderr)
    return 0 if read else 1


if __name__ == "__main__":
    sys.exit(main())
