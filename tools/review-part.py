#!/usr/bin/env python3
"""review-part.py: writes one capture's part for tools/review.sh.

  review-part.py PREFIX JSON_ARGS

JSON_ARGS (one JSON object, so that no value is ever parsed as an option):
  capture     the capture's absolute path          read_as   the path tshark read
  case        the case label                       sha256    the capture's SHA-256
  provenance  the set-up (review.sh: plugin, Wireshark, notes, preferences, passes)
  capinfos    capinfos -T -M -t -E -c -S -a -e output (header row + one row), or ""
  tshark_out  tshark's stdout file, or "" when tshark was not run
  tshark_rc   tshark's exit status                 stderr    tshark's stderr text
  skip        a reason to skip without reading ("" otherwise)
  started     time.time() when the capture's job began

Writes PREFIX.ndjson (the findings, each with "capture" and "case") and then
PREFIX.meta.json (the capture's accounting), each to a temporary name renamed
in place, so a part exists only when complete.  Prints one progress line:
STATUS<TAB>PACKETS<TAB>FINDINGS<TAB>PATH.

Statuses: "reviewed" (tshark read it all), "partial" (tshark stopped early,
e.g. a capture cut off mid-packet, but printed its findings for what it read:
they are kept, with tshark's reason), "skipped" (not a capture: an empty file,
a file tshark does not know, or one Wireshark reads as a media file) and
"failed" (a capture tshark could not review; retried on the next run).
Standard library only.
"""
import json
import os
import signal
import sys
import time

BEGIN_MARK = "=== portnote findings ==="
END_MARK = "=== end ==="
# Wiretap file types that are documents, not network captures: Wireshark opens
# them (its MP4 reader even takes a short text file) but they hold no packets.
MEDIA_FILE_TYPES = {"mp4": "MP4 media", "mime": "MIME (image, document)",
                    "json": "JSON", "rubymarshal": "Ruby marshal"}
NOT_A_CAPTURE = "isn't a capture file in a format"


def capinfos_row(text):
    """The capinfos table's one row as {column: value}; {} when it has none."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return {}
    return dict(zip(lines[0].split("\t"), lines[1].split("\t")))


def number(text, kind=float):
    try:
        return kind(text)
    except (TypeError, ValueError):
        return None


def findings_block(path):
    """(lines between the markers, whether the end marker was seen)."""
    lines, inside, complete = [], False, False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line == END_MARK and inside:
                complete = True
                break
            if inside and line.strip():
                lines.append(line)
            if line == BEGIN_MARK:
                inside = True
    return lines, complete


def exit_reason(rc):
    """tshark's exit status in words, for a failure without a message."""
    if rc > 128:
        try:
            return "tshark was killed by %s" % signal.Signals(rc - 128).name
        except ValueError:
            pass
    return "tshark exit status %d" % rc


def classify(a, info):
    """(status, reason, rows) for the capture described by a and capinfos' info."""
    stderr = a["stderr"].replace(a["read_as"], a["capture"]).strip()
    if a["skip"]:
        return "skipped", a["skip"], []
    media = MEDIA_FILE_TYPES.get(info.get("File type", ""))
    if media:
        return "skipped", "not a capture: Wireshark reads it as %s" % media, []
    lines, complete = findings_block(a["tshark_out"]) if a["tshark_out"] else ([], False)
    rc = a["tshark_rc"]
    if complete:
        rows = []
        for line in lines:
            row = json.loads(line)
            row["capture"] = a["capture"]
            row["case"] = a["case"]
            rows.append(row)
        if rc == 0:
            return "reviewed", stderr, rows
        return "partial", stderr or exit_reason(rc), rows
    if NOT_A_CAPTURE in stderr:
        return "skipped", "not a capture: " + stderr, []
    if stderr:
        return "failed", stderr, []
    if rc == 0:
        return "failed", "no '%s' block in tshark's output" % BEGIN_MARK, []
    return "failed", exit_reason(rc), []


def write_atomic(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    prefix, a = argv[1], json.loads(argv[2])
    info = capinfos_row(a["capinfos"])
    status, reason, rows = classify(a, info)
    st = os.stat(a["capture"])
    packets = number(info.get("Number of packets"), int) or 0
    meta = {"capture": a["capture"], "case": a["case"], "size": st.st_size,
            "mtime": int(st.st_mtime), "sha256": a["sha256"], "status": status,
            "reason": reason[:2000], "exit": a["tshark_rc"],
            "file_type": info.get("File type"), "packets": packets if status != "skipped" else 0,
            "first_packet": number(info.get("Start time")),
            "last_packet": number(info.get("End time")),
            "findings": len(rows), "provenance": a["provenance"],
            "seconds": round(time.time() - a["started"], 3), "done": time.time()}
    write_atomic(prefix + ".ndjson", "".join(json.dumps(r) + "\n" for r in rows))
    write_atomic(prefix + ".meta.json", json.dumps(meta) + "\n")
    print("%s\t%d\t%d\t%s" % (status, meta["packets"], len(rows), a["capture"]), flush=True)


if __name__ == "__main__":
    main(sys.argv)
