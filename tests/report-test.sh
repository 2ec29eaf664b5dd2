#!/usr/bin/env bash
# report-test.sh: the case review report (tools/review-report.py) in a real
# headless browser.  Generates the report from tests/data/findings-sample.ndjson,
# lets Debian's chromium run the page's script (--dump-dom prints the DOM after
# the load event) and checks the table in the DOM: every row rendered, a
# payload finding first by default, sorting from #sort=..., filtering from
# #filter=..., and that hostile text in the data (a </script>, an <img onerror>)
# stayed text.  Checks that the page fits windows 1,400 and 1,920 px wide (the
# tables wrap and scroll inside it), that hosts are keyed by case (the same
# address in two cases is two hosts) and that broadcast, multicast and
# unspecified addresses are never servers, on a fixture derived from the
# sample.  Also checks the CSV and NDJSON merge of tools/review-merge.py.
#
#   tests/report-test.sh [--screenshot FILE]   FILE: also save 1400x900 and
#                                              1920x1080 screenshots (FILE, FILE-1920.png)
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
        json.dump({"capture": capture, "status": "reviewed", "exit": 0, "reason": "", "done": i,
                   "packets": sum(r["packets"] for r in rows)}, f)
with open("%s/bad.meta.json" % parts, "w") as f:
    json.dump({"capture": "/cases/broken.pcap", "status": "failed", "exit": 2, "packets": 0,
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
assert first[:3] == ["case", "capture", "first_seen"] and first[-1] == "filter", first
for r, c in zip(merged, table):
    assert c["capture"] == r["capture"] and c["filter"] == r["filter"], c
    assert c["categories"] == ";".join(r["categories"]), c
    assert c["finding"] == (r["finding"] or ""), c
    assert c["service"] == r["service"], "CSV quoting lost text"
fails = open(case + "/failures.tsv", encoding="utf-8").read()
assert fails == "/cases/broken.pcap\tfailed\ttshark: not a capture file\n", repr(fails)
EOF
grep -q "FAILED /cases/broken.pcap" "$WORK/merge.err" || fail "the failure was not reported on stderr"
note "ok: merge (NDJSON, CSV, failures)"

# Hosts by case, no broadcast/multicast/unspecified server: a fixture with
# the sample's rows, one of them again in another case, and conversations to
# 255.255.255.255, 0.0.0.0 and ff02::1:2.
python3 -I -S - "$FIXTURE" "$WORK/hosts.ndjson" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
other = dict(rows[0], case="unrelated", capture="/cases/unrelated/x.pcap")
extra = [dict(rows[0], server=s, service="DHCP", server_port=67, transport="udp")
         for s in ("255.255.255.255", "0.0.0.0", "ff02::1:2")]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.writelines(json.dumps(r) + "\n" for r in rows + [other] + extra)
EOF
python3 -I -S "$SRC/tools/review-report.py" "$WORK/hosts.ndjson" "$WORK/hosts.html"
python3 -I -S - "$WORK/hosts.ndjson" "$WORK/hosts.html" <<'EOF' || fail "the hosts table is wrong"
import json, sys
from html.parser import HTMLParser
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
class Hosts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.on = [], None, False
    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.on = dict(attrs).get("id") == "hosts"
        if self.on and tag == "tr" and dict(attrs).get("class") == "host":
            self.rows.append([])
        if self.on and tag == "td" and self.rows:
            self.rows[-1].append("")
    def handle_endtag(self, tag):
        if tag == "table":
            self.on = False
    def handle_data(self, data):
        if self.on and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data
h = Hosts()
h.feed(open(sys.argv[2], encoding="utf-8").read())
served = {(r[0], r[1]) for r in h.rows if r[3]}
keys = [(r[0], r[1]) for r in h.rows]
assert len(keys) == len(set(keys)), "a (case, host) listed twice"
server = rows[0]["server"]
assert {(rows[0]["case"], server), ("unrelated", server)} <= served, "the same server in two cases merged"
bad = {k for k in served if k[1] in ("255.255.255.255", "0.0.0.0", "ff02::1:2")}
assert not bad, "listed as servers: %s" % bad
assert len(h.rows) >= len({(r["case"], r["server"]) for r in rows[:-3]}), "hosts missing"
EOF
note "ok: hosts keyed by case; no broadcast, multicast or unspecified server"

# fits WIDTH: the report (with a long capture path and filter) rendered in a
# window WIDTH px wide is no wider than the window: the tables wrap and scroll.
fits() {
    browse --window-size="$1,900" --dump-dom "file://$WORK/report.html" >"$WORK/fit.html" \
        || fail "chromium failed at $1 px"
    python3 -I -S - "$WORK/fit.html" "$1" <<'EOF' || fail "the report overflows a $1 px window"
import re, sys
body = re.search(r"<body[^>]*>", open(sys.argv[1], encoding="utf-8").read()).group(0)
page = int(re.search(r'data-page-width="(\d+)"', body).group(1))
window = int(re.search(r'data-window-width="(\d+)"', body).group(1))
assert window == int(sys.argv[2]), "window %d px, not %s" % (window, sys.argv[2])
assert page <= window, "page %d px wide in a %d px window" % (page, window)
EOF
    note "ok: fits a $1 px window"
}
fits 1400
fits 1920

if [ -n "$SCREENSHOT" ]; then
    mkdir -p "$(dirname "$SCREENSHOT")"
    browse --hide-scrollbars --window-size=1400,900 --screenshot="$SCREENSHOT" \
        "file://$WORK/report.html" >/dev/null
    browse --hide-scrollbars --window-size=1920,1080 --screenshot="${SCREENSHOT%.png}-1920.png" \
        "file://$WORK/report.html" >/dev/null
    note "screenshots: $SCREENSHOT, ${SCREENSHOT%.png}-1920.png"
fi
browse --window-size=1400,900 --screenshot="$WORK/shot.png" "file://$WORK/report.html" >/dev/null
magic=$(head -c 8 "$WORK/shot.png" | od -An -tx1 | tr -d ' \n')
[ "$magic" = 89504e470d0a1a0a ] || fail "no PNG screenshot"
note "ok: screenshot"
echo "PASS"
