#!/usr/bin/env python3
"""bulk-test.py FINDINGS_BULK_PY FINDINGS.ndjson: the bulk output of
tools/findings-bulk.py against its own mapping (no server runs here): action
and document lines alternate, one document per finding, every document has
exactly the mapping's fields, and every value fits its mapped type (keyword:
string or list of strings or null, ip: an address, long: an integer, double:
a number, date: ISO 8601).  Exit 1 with the reason on the first mismatch."""
import datetime
import ipaddress
import json
import subprocess
import sys

script, findings = sys.argv[1:]


def run(*args):
    return subprocess.run([sys.executable, "-I", "-S", script] + list(args),
                          check=True, capture_output=True, text=True).stdout


def fits(kind, value):
    if value is None:
        return kind == "keyword"          # observed and finding may be null
    if kind == "keyword":
        return isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value))
    if kind == "ip":
        if not isinstance(value, str):
            return False          # ip_address() would take an int
        try:
            ipaddress.ip_address(value)
            return True
        except ValueError:
            return False
    if kind == "long":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("double", "float"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "date":
        try:
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return value.endswith("Z")
        except (ValueError, AttributeError):
            return False
    return False


def main():
    props = json.loads(run("--mapping"))["mappings"]["properties"]
    types = {name: p["type"] for name, p in props.items()}
    assert set(types.values()) <= {"keyword", "ip", "long", "double", "float", "date"}, types
    rows = [json.loads(l) for l in open(findings, encoding="utf-8") if l.strip()]
    lines = run("--index", "case-7", findings).splitlines()
    assert len(lines) == 2 * len(rows), "%d lines for %d findings" % (len(lines), len(rows))
    ids = set()
    for i, row in enumerate(rows):
        action, doc = json.loads(lines[2 * i]), json.loads(lines[2 * i + 1])
        assert list(action) == ["index"] and action["index"]["_index"] == "case-7", action
        ids.add(action["index"]["_id"])
        missing, extra = set(types) - set(doc), set(doc) - set(types)
        assert not missing and not extra, "row %d: missing %s, unmapped %s" % (i, missing, extra)
        for name, value in doc.items():
            assert fits(types[name], value), "row %d: %s = %r is not a %s" % (i, name, value, types[name])
        for name, value in row.items():
            assert doc[name] == value, "row %d: %s changed" % (i, name)
    assert len(ids) == len(rows), "document ids collide"
    print("PASS: %d findings, %d mapped fields" % (len(rows), len(types)))


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        sys.exit("FAIL: %s" % e)
