#!/usr/bin/env bash
# review-test.sh: tools/review.sh on the sample captures (in a folder tree,
# one of them gzipped) plus an unreadable file: the batch goes on past the bad
# file and reports it, the merged findings of seed.pcap and payload.pcap are
# those of the reviewed golden files (tests/golden/findings-*.ndjson, tshark
# -2), every row names its capture, a second run reads nothing again, a changed
# capture is read again without duplicating its rows, --merge rebuilds the same
# outputs from parts/, and a batch where nothing is readable fails.
#
# Environment (set by ctest): PN_SOURCE_DIR, PN_PLUGIN.  Exit 77 (skipped)
# when the plugin has no `-z portnote,findings` yet.
set -euo pipefail

SKIP=77
SRC=$PN_SOURCE_DIR
REVIEW=(bash "$SRC/tools/review.sh" --plugin "$PN_PLUGIN")

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/portnote-review.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
IN="$WORK/case-files"
mkdir -p "$IN/ring/older" "$WORK/probe"
cp "$SRC"/pcaps/seed.pcap "$SRC"/pcaps/payload.pcap "$IN/"
cp "$SRC"/pcaps/ipv6.pcap "$SRC"/pcaps/encap.pcap "$IN/ring/"
gzip -c "$SRC/pcaps/edge.pcap" >"$IN/ring/older/edge.pcap.gz"
echo "this is not a capture" >"$IN/ring/broken.pcap"
echo "not a capture name" >"$IN/ring/notes.txt"
EXPECTED_READ=5

# Skip while the plugin has no -z portnote,findings (tshark: invalid -z argument).
rc=0
"${REVIEW[@]}" --one "$IN/seed.pcap" --out "$WORK/probe" >/dev/null 2>&1 || rc=$?
if [ "$rc" = 0 ] && grep -qi 'invalid -z argument' "$WORK"/probe/parts/*.meta.json; then
    echo "SKIP: the plugin does not know -z portnote,findings yet"
    exit $SKIP
fi
[ "$rc" = 0 ] || fail "review.sh --one failed"

# run_review NAME ARGS...: review.sh with stderr in $WORK/NAME.err; sets RC.
run_review() {
    local name=$1
    shift
    RC=0
    "${REVIEW[@]}" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || RC=$?
}

# part_times: the parts' file names and modification times (a re-read changes them).
part_times() { stat -c '%n %Y.%y' "$WORK"/case/parts/* | sort; }

run_review first "$IN" --out "$WORK/case" --jobs 2
[ "$RC" = 0 ] || { cat "$WORK/first.err" >&2; fail "review.sh exit $RC with one unreadable capture"; }
err=$(cat "$WORK/first.err")
case "$err" in
    *"6/6 captures"*) ;;
    *) fail "no progress line for 6/6 captures: $err" ;;
esac
case "$err" in
    *"FAILED $IN/ring/broken.pcap: tshark: The file"*"isn't a capture file"*) ;;
    *) fail "the unreadable capture is not reported with tshark's reason: $err" ;;
esac
grep -L '"passes": 2' "$WORK"/case/parts/*.meta.json >"$WORK/one-pass" || true
[ ! -s "$WORK/one-pass" ] || fail "captures read without -2: $(cat "$WORK/one-pass")"
[ "$(cut -f1 "$WORK/case/failures.tsv")" = "$IN/ring/broken.pcap" ] || fail "failures.tsv"
note "ok: batch of 6 captures, the unreadable one reported with tshark's reason"

python3 -I -S - "$WORK/case" "$IN" "$SRC/tests/golden" "$EXPECTED_READ" <<'EOF' || fail "merged findings are wrong"
import csv, json, os, sys
case, inp, golden, expected_read = sys.argv[1:]
rows = [json.loads(l) for l in open(case + "/findings.ndjson", encoding="utf-8")]
captures = {r["capture"] for r in rows}
assert len(captures) == int(expected_read), captures
for name in ("seed", "payload"):
    want = [json.loads(l) for l in open("%s/findings-%s.ndjson" % (golden, name), encoding="utf-8")]
    got = [{k: v for k, v in r.items() if k != "capture"}
           for r in rows if r["capture"] == "%s/%s.pcap" % (inp, name)]
    assert got == want, "findings of %s.pcap differ from tests/golden/findings-%s.ndjson" % (name, name)
with open(case + "/findings.csv", newline="", encoding="utf-8") as f:
    table = list(csv.DictReader(f))
assert len(table) == len(rows) and all(t["capture"] in captures for t in table), "CSV"
page = open(case + "/report.html", encoding="utf-8").read()
assert "broken.pcap" in page, "the report does not list the failed capture"
EOF
note "ok: merged findings equal the golden files, every row names its capture"

cp "$WORK/case/findings.ndjson" "$WORK/first.ndjson"
before=$(part_times)
run_review second "$IN" --out "$WORK/case"
[ "$RC" = 0 ] || fail "second run exit $RC"
grep -q "5 of 6 captures already done" "$WORK/second.err" || fail "resume: $(cat "$WORK/second.err")"
after=$(part_times)
# Only the failed capture's part is written again (failures are retried).
changed=$(diff <(echo "$before") <(echo "$after") | grep -c '^>' || true)
[ "$changed" = 2 ] || fail "resume re-read captures ($changed part files changed)"
cmp -s "$WORK/first.ndjson" "$WORK/case/findings.ndjson" || fail "resume changed the findings"
note "ok: resume reads only the failed capture again"

# A capture that changed (here replaced by another) is read again; its old
# part no longer counts: its rows are the new content's, once.
cp "$SRC/pcaps/ipv6.pcap" "$IN/seed.pcap"
touch -d '2030-01-01' "$IN/seed.pcap"
run_review third "$IN" --out "$WORK/case"
grep -q "4 of 6 captures already done" "$WORK/third.err" || fail "changed capture: $(cat "$WORK/third.err")"
python3 -I -S - "$WORK/case/findings.ndjson" "$IN" <<'EOF' || fail "the replaced capture's rows are not its new content's"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
def of(path):
    return [{k: v for k, v in r.items() if k != "capture"} for r in rows if r["capture"] == path]
assert of(sys.argv[2] + "/seed.pcap") == of(sys.argv[2] + "/ring/ipv6.pcap")
EOF
note "ok: a changed capture is read again, only its new rows count"
cp "$WORK/case/findings.ndjson" "$WORK/third.ndjson"

rm "$WORK"/case/findings.* "$WORK"/case/report.html
run_review merge --merge "$WORK/case"
[ "$RC" = 0 ] || fail "--merge exit $RC"
cmp -s "$WORK/third.ndjson" "$WORK/case/findings.ndjson" || fail "--merge gives other findings"
[ -s "$WORK/case/report.html" ] || fail "--merge wrote no report"
note "ok: --merge rebuilds the outputs from parts/"

run_review none "$IN/ring/broken.pcap" --out "$WORK/none"
[ "$RC" = 1 ] || fail "nothing readable: exit $RC, not 1"
note "ok: exit 1 when no capture could be read"
echo PASS
