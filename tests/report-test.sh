#!/usr/bin/env bash
# report-test.sh: the case review report (tools/review-report.py) in a real
# headless browser.  Generates the report from tests/data/findings-sample.ndjson,
# lets Debian's chromium run the page's script (--dump-dom prints the DOM after
# the load event) and checks the table in the DOM: every row rendered, a
# payload finding first by default, sorting from #sort=..., filtering from
# #filter=..., and that hostile text in the data (a </script>, an <img onerror>)
# stayed text.  Also checks the CSV and NDJSON merge of tools/review-merge.py
# on the same fixture.
#
#   tests/report-test.sh [--screenshot FILE]   FILE: also save a 1400x900 screenshot
#
# Environment: PN_SOURCE_DIR (default: this checkout).  Exit 77 (skipped)
# without chromium (scripts/install-deps.sh --test installs it).
set -euo pipefail

SKIP=77
SRC=${PN_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
FIXTURE="$SRC/tests/data/findings-sample.ndjson"
SCREENSHOT=""
[ "${1:-}" != --screenshot ] || SCREENSHOT=$(realpath -m -- "$2")

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

BROWSER=$(command -v chromium || command -v chromium-browser || true)
[ -n "$BROWSER" ] || { echo "SKIP: chromium is not installed (scripts/install-deps.sh --test)"; exit $SKIP; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/portnote-report.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# chromium ARGS... URL: headless, a throw-away profile, no sandbox (root has
# none); its own chatter (dbus) goes to a log.
browse() {
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$WORK/profile" "$@" 2>>"$WORK/chromium.log"
}

# dom HASH: the rendered DOM of the report opened with #HASH.
dom() {
    browse --dump-dom "file://$WORK/report.html#$1" >"$WORK/dom.html" \
        || { cat "$WORK/chromium.log" >&2; fail "chromium failed on #$1"; }
    cat "$WORK/dom.html"
}

# check_dom NAME EXPECTATION DOM_FILE: checks the table of one rendered DOM
# against the fixture with python (see CHECK_PY).
check_dom() {
    python3 -I -S -c "$CHECK_PY" "$FIXTURE" "$1" "$2" "$WORK/dom.html" \
        || fail "$1: the rendered table is wrong"
    note "ok: $1"
}

# CHECK_PY FIXTURE NAME EXPECTATION DOM: EXPECTATION is default,
# sort:COLUMN, sort:-COLUMN or filter:TEXT.
# shellcheck disable=SC2016
CHECK_PY='
import json, sys
from html.parser import HTMLParser

fixture, name, expectation, dom_path = sys.argv[1:]
rows = [json.loads(l) for l in open(fixture, encoding="utf-8") if l.strip()]

class Table(HTMLParser):
    """The rows of <table id="findings">: one dict column -> text per <tr
    class="row">; also every element name seen anywhere, and body attributes."""
    def __init__(self):
        super().__init__()
        self.rows, self.tags, self.body, self.cell = [], [], {}, None
        self.in_table = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "body":
            self.body = a
        if tag == "table":
            self.in_table = a.get("id") == "findings"
        if self.in_table and tag == "tr" and "row" in a.get("class", "").split():
            self.rows.append({})
        if self.in_table and tag == "td" and self.rows:
            self.cell = a.get("data-col")
            self.rows[-1][self.cell] = ""
    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None
        if tag == "table":
            self.in_table = False
    def handle_data(self, data):
        if self.cell and self.rows:
            self.rows[-1][self.cell] += data

t = Table()
t.feed(open(dom_path, encoding="utf-8").read())

def check(ok, message):
    if not ok:
        sys.exit("%s: %s" % (name, message))

check(t.body.get("data-rendered") == "yes", "the page script did not finish (no data-rendered)")
check(not any(k.startswith("data-pwned") for k in t.body), "data ran as script")
check("img" not in t.tags and "b" not in t.tags, "data was inserted as HTML (an <img> or <b> element)")
got = t.rows
kind, _, arg = expectation.partition(":")
if kind == "filter":
    expected = [r for r in rows if arg.lower() in json.dumps(r, ensure_ascii=False).lower()]
    check(0 < len(expected) < len(rows), "the fixture does not exercise filter %r" % arg)
    check(len(got) == len(expected), "%d rows shown, %d expected" % (len(got), len(expected)))
    check(all(arg.lower() in " ".join(g.values()).lower() for g in got), "a row without %r" % arg)
else:
    check(len(got) == len(rows), "%d rows rendered, %d in the fixture" % (len(got), len(rows)))
if kind == "default":
    check(got[0]["finding"] != "", "the first row is not a payload finding: %r" % got[0])
    flags = [g["finding"] != "" for g in got]
    check(flags == sorted(flags, reverse=True), "a row without a finding comes before one with")
    hostile = [g for g in got if g["server"] == "203.0.113.66"]
    check(hostile and hostile[0]["service"].startswith("<img src=x"), "hostile text not shown as text")
if kind == "sort":
    col = arg.lstrip("-")
    numeric = col in ("server_port", "client_port", "packets", "bytes")
    def value(x):
        return int(x) if numeric else x.lower()
    shown = [value(g[col]) for g in got]
    expected = sorted((value(str(r[col])) for r in rows), reverse=arg.startswith("-"))
    check(shown == expected, "order %r, expected %r" % (shown, expected))
    check(len(set(shown)) > 2, "the fixture does not exercise sorting by %s" % col)
'

note "generating the report from $FIXTURE"
python3 -I -S "$SRC/tools/review-report.py" "$FIXTURE" "$WORK/report.html"
# The page needs nothing from the network.
if grep -Eqi '(src|href)=["'"'"']?(https?:)?//' "$WORK/report.html"; then
    fail "the report refers to an external resource"
fi
# The embedded data cannot close its <script> block.
blocks=$(grep -o '</script>' "$WORK/report.html" | wc -l)
[ "$blocks" = 2 ] || fail "expected 2 </script> (the data and the code), found $blocks"

dom "" >/dev/null;                        check_dom "default order" default
dom "sort=server_port" >/dev/null;        check_dom "#sort=server_port" sort:server_port
dom "sort=-packets" >/dev/null;           check_dom "#sort=-packets" sort:-packets
dom "sort=service" >/dev/null;            check_dom "#sort=service" sort:service
dom "filter=telnet" >/dev/null;           check_dom "#filter=telnet" filter:telnet
dom "filter=seed_00001" >/dev/null;       check_dom "#filter=seed_00001" filter:seed_00001

# The merge: a part per capture -> findings.ndjson and .csv (columns, lists, quoting).
mkdir -p "$WORK/case/parts"
python3 -I -S - "$FIXTURE" "$WORK/case/parts" <<'EOF'
import json, sys
fixture, parts = sys.argv[1:]
by_capture = {}
for line in open(fixture, encoding="utf-8"):
    r = json.loads(line)
    by_capture.setdefault(r["capture"], []).append(r)
for i, (capture, rows) in enumerate(sorted(by_capture.items())):
    with open("%s/k%d.ndjson" % (parts, i), "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)
    with open("%s/k%d.meta.json" % (parts, i), "w") as f:
        json.dump({"capture": capture, "status": "ok", "exit": 0, "reason": "", "done": i}, f)
with open("%s/bad.meta.json" % parts, "w") as f:
    json.dump({"capture": "/cases/broken.pcap", "status": "failed", "exit": 2,
               "reason": "tshark: not a capture file", "done": 9}, f)
EOF
python3 -I -S "$SRC/tools/review-merge.py" "$WORK/case" 2>"$WORK/merge.err" \
    || fail "review-merge.py failed: $(cat "$WORK/merge.err")"
python3 -I -S - "$FIXTURE" "$WORK/case" <<'EOF' || fail "merged outputs are wrong"
import csv, json, sys
fixture, case = sys.argv[1:]
rows = [json.loads(l) for l in open(fixture, encoding="utf-8")]
merged = [json.loads(l) for l in open(case + "/findings.ndjson", encoding="utf-8")]
key = lambda r: json.dumps(r, sort_keys=True)
assert sorted(map(key, merged)) == sorted(map(key, rows)), "findings.ndjson differs from the parts"
with open(case + "/findings.csv", newline="", encoding="utf-8") as f:
    table = list(csv.DictReader(f))
assert len(table) == len(rows), "CSV rows"
first = list(csv.reader(open(case + "/findings.csv", newline="", encoding="utf-8")))[0]
assert first[:2] == ["capture", "first_seen"] and first[-1] == "filter", first
for r, c in zip(merged, table):
    assert c["capture"] == r["capture"] and c["filter"] == r["filter"], c
    assert c["categories"] == ";".join(r["categories"]), c
    assert c["finding"] == (r["finding"] or ""), c
    assert c["service"] == r["service"], "CSV quoting lost text"
fails = open(case + "/failures.tsv", encoding="utf-8").read()
assert fails == "/cases/broken.pcap\ttshark: not a capture file\n", repr(fails)
EOF
grep -q "FAILED /cases/broken.pcap" "$WORK/merge.err" || fail "the failure was not reported on stderr"
note "ok: merge (NDJSON, CSV, failures)"

if [ -n "$SCREENSHOT" ]; then
    mkdir -p "$(dirname "$SCREENSHOT")"
    browse --hide-scrollbars --window-size=1400,900 --screenshot="$SCREENSHOT" \
        "file://$WORK/report.html" >/dev/null
    note "screenshot: $SCREENSHOT"
fi
browse --window-size=1400,900 --screenshot="$WORK/shot.png" "file://$WORK/report.html" >/dev/null
magic=$(head -c 8 "$WORK/shot.png" | od -An -tx1 | tr -d ' \n')
[ "$magic" = 89504e470d0a1a0a ] || fail "no PNG screenshot"
note "ok: screenshot"
echo "PASS"
