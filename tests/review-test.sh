#!/usr/bin/env bash
# review-test.sh: tools/review.sh on the sample captures (in a folder tree,
# one of them gzipped) and on files that are not whole captures, made here from
# them: one cut off mid-packet, one cut mid-way through a packet's header, one
# cut inside the file header, an empty file, two text files and a gzip of
# garbage.  Checks that every file is accounted for once, as reviewed, partial,
# skipped or failed, with the same counts on the command line, in
# captures.ndjson and in the report; that a cut-off capture keeps its packets
# and the findings tshark printed for them; that the findings of seed.pcap and
# payload.pcap equal the golden files (tests/golden/findings-*.ndjson, tshark
# -2); that a second run reads only the failed file again, a changed capture is
# read again without duplicating its rows, --merge rebuilds the same outputs;
# that a tshark killed mid-capture leaves that capture failed and the next run
# completes it; that another -o preference reads the captures again; and that a
# batch where nothing is readable fails.
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
mkdir -p "$IN/ring/older" "$IN/odd" "$WORK/probe"
cp "$SRC"/pcaps/seed.pcap "$SRC"/pcaps/payload.pcap "$IN/"
cp "$SRC"/pcaps/ipv6.pcap "$SRC"/pcaps/encap.pcap "$IN/ring/"
gzip -c "$SRC/pcaps/edge.pcap" >"$IN/ring/older/edge.pcap.gz"

# pcap_record_end FILE N: the offset where the Nth packet record of a classic
# pcap file ends (24-byte file header, 16-byte record headers).
pcap_record_end() {
    python3 -I -S - "$1" "$2" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
order = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
offset = 24
for _ in range(int(sys.argv[2])):
    offset += 16 + struct.unpack(order + "I", data[offset + 8:offset + 12])[0]
print(offset)
PY
}
# Cut-off captures: mid-packet (the 5th packet's data), mid-way through the
# 5th packet's header, inside the file header.
head -c "$(( $(pcap_record_end "$SRC/pcaps/payload.pcap" 4) + 16 + 10 ))" "$SRC/pcaps/payload.pcap" >"$IN/odd/cut-packet.pcap"
head -c "$(( $(pcap_record_end "$SRC/pcaps/payload.pcap" 4) + 8 ))" "$SRC/pcaps/payload.pcap" >"$IN/odd/cut-header.pcap"
head -c 20 "$SRC/pcaps/payload.pcap" >"$IN/odd/cut-filehdr.pcap"
: >"$IN/odd/empty.pcap"
echo "this is not a capture" >"$IN/odd/broken.pcap"
echo "hello" >"$IN/odd/hello.pcap"                  # 6 bytes Wireshark opens as MP4
head -c 2000 "$SRC/pcaps/seed.pcap" | sha256sum | head -c 64 | gzip >"$IN/odd/garbage.pcap.gz"
echo "not a capture name" >"$IN/ring/notes.txt"    # not a capture's name: not listed
FILES=12

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
[ "$RC" = 0 ] || { cat "$WORK/first.err" >&2; fail "review.sh exit $RC with files it could not read"; }
err=$(cat "$WORK/first.err")
case "$err" in *"$FILES/$FILES files"*) ;; *) fail "no progress line for $FILES/$FILES files: $err" ;; esac
summary="review: $FILES files: 5 reviewed, 2 partial, 4 skipped, 1 failed;"
grep -qF "$summary" "$WORK/first.err" || fail "summary is not '$summary': $err"
for expected in \
    "PARTIAL $IN/odd/cut-packet.pcap: tshark: The file \"$IN/odd/cut-packet.pcap\" appears to have been cut short in the middle of a packet." \
    "PARTIAL $IN/odd/cut-header.pcap: tshark: The file" \
    "FAILED $IN/odd/cut-filehdr.pcap: tshark: The file" \
    "SKIPPED $IN/odd/empty.pcap: empty file (0 bytes): not a capture" \
    "SKIPPED $IN/odd/broken.pcap: not a capture: tshark: The file" \
    "SKIPPED $IN/odd/hello.pcap: not a capture: Wireshark reads it as MP4 media" \
    "SKIPPED $IN/odd/garbage.pcap.gz: not a capture: tshark: The file"; do
    grep -qF "review: $expected" "$WORK/first.err" || fail "not reported: $expected"
done
grep -L '"passes": 2' "$WORK"/case/parts/*.meta.json >"$WORK/one-pass" || true
[ ! -s "$WORK/one-pass" ] || fail "captures read without -2: $(cat "$WORK/one-pass")"
note "ok: $FILES files, each reported once with its status and tshark's reason"

# What tshark itself prints for the cut-off captures: the partial parts keep it.
# shellcheck source=tests/harness/tshark-stage.sh
. "$SRC/tests/harness/tshark-stage.sh"
pn_stage_checked "$PN_PLUGIN"
for cut in cut-packet cut-header; do
    staged=$(pn_stage_file "$IN/odd/$cut.pcap")
    pn_tshark -r "$staged" -2 -q -z portnote,findings >"$WORK/$cut.direct" || true
    sed -n '/^=== portnote findings ===$/,/^=== end ===$/p' "$WORK/$cut.direct" | sed '1d;$d' >"$WORK/$cut.expected"
    pn_command capinfos -c -M -T -r "$staged"
    "${PN_CMD[@]}" 2>/dev/null | awk -F'\t' '{ print $2 }' >"$WORK/$cut.packets" || true
done

python3 -I -S - "$WORK/case" "$IN" "$SRC/tests/golden" "$WORK" <<'PY' || fail "merged outputs are wrong"
import csv, json, os, re, subprocess, sys
case, inp, golden, work = sys.argv[1:]
rows = [json.loads(l) for l in open(case + "/findings.ndjson", encoding="utf-8")]
captures = [json.loads(l) for l in open(case + "/captures.ndjson", encoding="utf-8")]
given = sorted(os.path.join(d, f) for d, _, fs in os.walk(inp) for f in fs if not f.endswith(".txt"))
paths = [c["capture"] for c in captures]
assert sorted(paths) == given and len(set(paths)) == len(paths), "not every file once: %s" % paths
assert {c["case"] for c in captures} == {"case-files"}, "default case is not the folder's name"
assert all(r["case"] == "case-files" for r in rows), "a finding without its case"
by = {os.path.relpath(c["capture"], inp): c for c in captures}
for name in ("odd/cut-packet", "odd/cut-header"):
    c = by[name + ".pcap"]
    want = [json.loads(l) for l in open("%s/%s.expected" % (work, name[4:]), encoding="utf-8")]
    got = [{k: v for k, v in r.items() if k not in ("capture", "case")}
           for r in rows if r["capture"] == c["capture"]]
    assert c["status"] == "partial" and want and got == want, "%s: findings not kept: %r" % (name, c)
    assert c["packets"] == int(open("%s/%s.packets" % (work, name[4:])).read()) > 0, c
    assert c["first_packet"] and c["last_packet"] >= c["first_packet"], c
for c in captures:
    assert re.fullmatch("[0-9a-f]{64}", c["sha256"]), c
    assert c["provenance"]["wireshark"] and c["provenance"]["plugin"] and c["provenance"]["notes_sha256"], c
    if c["status"] == "skipped":
        assert c["packets"] == 0 and c["findings"] == 0, c
for name in ("seed", "payload"):
    want = [json.loads(l) for l in open("%s/findings-%s.ndjson" % (golden, name), encoding="utf-8")]
    got = [{k: v for k, v in r.items() if k not in ("capture", "case")}
           for r in rows if r["capture"] == "%s/%s.pcap" % (inp, name)]
    assert got == want, "findings of %s.pcap differ from tests/golden/findings-%s.ndjson" % (name, name)
with open(case + "/findings.csv", newline="", encoding="utf-8") as f:
    table = list(csv.DictReader(f))
assert len(table) == len(rows) and all(t["case"] == "case-files" for t in table), "CSV"
fails = [l.split("\t") for l in open(case + "/failures.tsv", encoding="utf-8").read().splitlines()]
assert sorted(f[0] for f in fails) == sorted(c["capture"] for c in captures if c["status"] != "reviewed")
page = open(case + "/report.html", encoding="utf-8").read()
counts = {s: sum(1 for c in captures if c["status"] == s) for s in ("reviewed", "partial", "skipped", "failed")}
for status, n in counts.items():
    assert "id='count-%s'>%d<" % (status, n) in page, "the report's %s count is not %d" % (status, n)
assert "id='count-files'>%d<" % len(captures) in page and "id='count-findings'>%d<" % len(rows) in page
assert "cut-filehdr.pcap" in page and "hello.pcap" in page, "the report does not list every file"
PY
note "ok: every file once; partial captures keep tshark's findings; counts agree; golden rows"

cp "$WORK/case/findings.ndjson" "$WORK/first.ndjson"
before=$(part_times)
run_review second "$IN" --out "$WORK/case"
[ "$RC" = 0 ] || fail "second run exit $RC"
grep -q "$((FILES - 1)) of $FILES files already done" "$WORK/second.err" || fail "resume: $(cat "$WORK/second.err")"
after=$(part_times)
# Only the failed capture's part is written again (failures are retried).
changed=$(diff <(echo "$before") <(echo "$after") | grep -c '^>' || true)
[ "$changed" = 2 ] || fail "resume re-read captures ($changed part files changed)"
cmp -s "$WORK/first.ndjson" "$WORK/case/findings.ndjson" || fail "resume changed the findings"
note "ok: resume reads only the failed file again"

# A capture that changed (here replaced by another) is read again; its old
# part no longer counts: its rows are the new content's, once.
cp "$SRC/pcaps/ipv6.pcap" "$IN/seed.pcap"
touch -d '2030-01-01' "$IN/seed.pcap"
run_review third "$IN" --out "$WORK/case"
grep -q "$((FILES - 2)) of $FILES files already done" "$WORK/third.err" || fail "changed capture: $(cat "$WORK/third.err")"
python3 -I -S - "$WORK/case/findings.ndjson" "$IN" <<'PY' || fail "the replaced capture's rows are not its new content's"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
def of(path):
    return [{k: v for k, v in r.items() if k != "capture"} for r in rows if r["capture"] == path]
assert of(sys.argv[2] + "/seed.pcap") == of(sys.argv[2] + "/ring/ipv6.pcap")
PY
note "ok: a changed capture is read again, only its new rows count"
cp "$WORK/case/findings.ndjson" "$WORK/third.ndjson"
cp "$WORK/case/captures.ndjson" "$WORK/third-captures.ndjson"

rm "$WORK"/case/findings.* "$WORK"/case/captures.ndjson "$WORK"/case/report.html
run_review merge --merge "$WORK/case"
[ "$RC" = 0 ] || fail "--merge exit $RC"
cmp -s "$WORK/third.ndjson" "$WORK/case/findings.ndjson" || fail "--merge gives other findings"
cmp -s "$WORK/third-captures.ndjson" "$WORK/case/captures.ndjson" || fail "--merge gives other captures"
[ -s "$WORK/case/report.html" ] || fail "--merge wrote no report"
note "ok: --merge rebuilds the outputs from parts/"

# A tshark killed while it reads a capture: that capture is failed (with the
# signal), the others go on; the next run reads it and matches a clean run.
mkdir -p "$WORK/slow"
copies=()
for _ in $(seq 600); do copies+=("$SRC/pcaps/payload.pcap"); done
mergecap -a -w "$WORK/slow/big.pcap" "${copies[@]}"
cp "$SRC/pcaps/seed.pcap" "$WORK/slow/"
"${REVIEW[@]}" "$WORK/slow" --out "$WORK/killed" --jobs 1 >/dev/null 2>"$WORK/killed.err" &
review_pid=$!
victim=""
for _ in $(seq 600); do
    # The tshark reading big.pcap, found among the review's descendants by pid.
    victim=$(ps -e -o pid=,ppid=,args= | awk -v root="$review_pid" '
        { parent[$1] = $2; line[$1] = $0 }
        END { for (p in parent) { q = p; while (q in parent && q != root) q = parent[q]
              if (q == root && line[p] ~ /tshark .*big\.pcap/ && line[p] !~ /setpriv/) print p } }' | head -1)
    [ -z "$victim" ] || break
    sleep 0.05
done
[ -n "$victim" ] || { wait "$review_pid" || true; fail "never saw tshark read big.pcap"; }
kill -KILL "$victim"
wait "$review_pid" || fail "the review stopped with the killed capture: $(cat "$WORK/killed.err")"
grep -qF "FAILED $WORK/slow/big.pcap: tshark was killed by SIGKILL" "$WORK/killed.err" \
    || fail "the killed capture is not failed with its signal: $(cat "$WORK/killed.err")"
run_review resumed "$WORK/slow" --out "$WORK/killed"
grep -q "1 of 2 files already done" "$WORK/resumed.err" || fail "resume after kill: $(cat "$WORK/resumed.err")"
grep -qF "review: 2 files: 2 reviewed," "$WORK/resumed.err" || fail "not completed: $(cat "$WORK/resumed.err")"
run_review clean "$WORK/slow" --out "$WORK/clean"
cmp -s "$WORK/killed/findings.ndjson" "$WORK/clean/findings.ndjson" || fail "the resumed findings differ from a clean run's"
note "ok: a capture whose tshark was killed is failed, then completed by the next run"

# Another preference is another set-up: every capture is read again.
run_review prefs "$WORK/slow" --out "$WORK/killed" -o portnote.info_column:FALSE
grep -q "already done" "$WORK/prefs.err" && fail "a preference change did not read the captures again"
grep -q '"preferences": \["portnote.info_column:FALSE"\]' "$WORK/killed/captures.ndjson" \
    || fail "the preference is not recorded"
note "ok: a preference change reads the captures again and is recorded"

run_review none "$IN/odd/broken.pcap" "$IN/odd/empty.pcap" --out "$WORK/none"
[ "$RC" = 1 ] || fail "nothing readable: exit $RC, not 1"
note "ok: exit 1 when no capture could be read"
echo PASS
