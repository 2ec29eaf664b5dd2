#!/usr/bin/env bash
# review.sh: case review across many captures (issue 14).  Reads every capture
# with tshark and portnote's `-z portnote,findings`, in parallel, and writes one
# answer for the whole case: DIR/findings.ndjson, DIR/findings.csv and
# DIR/report.html.
#
#   tools/review.sh CAPTURES_OR_FOLDERS... --out DIR [--jobs N] [--plugin PATH] [-2|--one-pass]
#   tools/review.sh --merge DIR          rebuild the outputs from DIR/parts/ only
#   tools/review.sh --one CAPTURE --out DIR [--plugin PATH] [--one-pass]
#                                          one capture's job (for other job runners)
#
# Folders are searched recursively for *.pcap, *.pcapng, *.cap, *.pcap.gz and
# *.pcapng.gz.  --jobs defaults to the number of cores.  -2 (tshark's two
# passes: each conversation's payload verdict applies to all its packets) is
# the default; --one-pass reads once.  --plugin defaults to the freshly built
# build/plugins/*/epan/portnote.so.
#
# Resume: each capture's result goes to DIR/parts/KEY.ndjson and KEY.meta.json,
# KEY a hash of the capture's absolute path, size and mtime; a capture with a
# successful part is not read again.  A capture tshark cannot read is recorded
# (with tshark's message) and retried on the next run; the others go on.
# Exit status: 0 when at least one capture was read (the failures are listed
# on stderr and in DIR/failures.tsv), 1 when none was, 2 on a usage error.
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SELF="$ROOT/tools/review.sh"
# What a capture is called in a folder (compared case-insensitively).
CAPTURE_NAMES=(-iname '*.pcap' -o -iname '*.pcapng' -o -iname '*.cap'
               -o -iname '*.pcap.gz' -o -iname '*.pcapng.gz')
BEGIN_MARK="=== portnote findings ==="
END_MARK="=== end ==="

fail() { echo "review: $*" >&2; exit 1; }
say() { echo "review: $*" >&2; }
usage() {
    sed -n '2,24s/^# \{0,1\}//p' "$0" >&2
    exit "${1:-0}"
}

# ---- Arguments ---------------------------------------------------------------

MODE=batch OUT="" JOBS="" PLUGIN="" PASSES=(-2) INPUTS=()

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --out) [ $# -ge 2 ] || usage 2; OUT=$2; shift 2 ;;
            --jobs) [ $# -ge 2 ] || usage 2; JOBS=$2; shift 2 ;;
            --plugin) [ $# -ge 2 ] || usage 2; PLUGIN=$2; shift 2 ;;
            -2) PASSES=(-2); shift ;;
            --one-pass) PASSES=(); shift ;;
            --merge) [ $# -ge 2 ] || usage 2; MODE=merge; OUT=$2; shift 2 ;;
            --one) [ $# -ge 2 ] || usage 2; MODE=one; INPUTS+=("$2"); shift 2 ;;
            -h|--help) usage 0 ;;
            --) shift; INPUTS+=("$@"); break ;;
            -*) echo "review: unknown option: $1" >&2; usage 2 ;;
            *) INPUTS+=("$1"); shift ;;
        esac
    done
    [ -n "$OUT" ] || { echo "review: --out DIR is required" >&2; usage 2; }
    case "$JOBS" in
        "") JOBS=$(nproc) ;;
        *[!0-9]*|0) echo "review: --jobs wants a positive number" >&2; usage 2 ;;
    esac
}

default_plugin() {
    pn_built_plugin "$ROOT" || exit 1
}

# ---- One capture (the job a runner spreads) -------------------------------------

# shellcheck source=tests/harness/tshark-stage.sh
. "$ROOT/tests/harness/tshark-stage.sh"

# part_key ABS_PATH: the part's name: changes when the file is replaced or grows.
part_key() {
    local size_mtime
    size_mtime=$(stat -L -c '%s %Y' -- "$1")
    printf '%s\0%s' "$1" "$size_mtime" | sha256sum | cut -c1-32
}

# readable_as_tshark PATH: the path tshark should open.  tshark runs as nobody
# when we are root, and nobody may not read the capture where it is (a root-only
# case folder): then it reads a copy in the private stage.
readable_as_tshark() {
    pn_command test -r "$1"
    if "${PN_CMD[@]}"; then echo "$1"; else pn_stage_file "$1"; fi
}

# one_capture PATH: reads one capture and writes its part: KEY.ndjson (the
# findings, each with "capture": PATH) and KEY.meta.json (status, packets,
# findings, tshark's message).  The meta file is written last and renamed in
# place, so a part exists only when complete (an interrupted run resumes).
# Prints one progress line: "STATUS<TAB>PACKETS<TAB>FINDINGS<TAB>PATH".
one_capture() {
    local path key parts input rc=0 packets status reason started
    path=$(realpath -- "$1")
    key=$(part_key "$path")
    parts="$OUT/parts"
    mkdir -p "$parts"
    started=$(date +%s.%N)
    input=$(readable_as_tshark "$path")
    # Packets, for progress and throughput; capinfos knows every tshark format.
    pn_command capinfos -c -M -T -r "$input"
    packets=$("${PN_CMD[@]}" 2>/dev/null | awk -F'\t' 'NR == 1 { print $2 + 0 }') || packets=0
    pn_tshark -r "$input" "${PASSES[@]}" -q -z portnote,findings >"$STAGE/out" || rc=$?
    [ "$input" = "$path" ] || rm -f "$input"
    # The NDJSON between the markers; everything else on stdout is tshark's.
    awk -v b="$BEGIN_MARK" -v e="$END_MARK" '
        $0 == e { inside = 0 } inside { print } $0 == b { inside = 1; seen = 1 }
        END { exit seen ? 0 : 3 }' "$STAGE/out" >"$STAGE/block" || [ "$rc" != 0 ] || rc=3
    if [ "$rc" = 0 ]; then status=ok; else status=failed; fi
    reason=$(head -c 2000 "$STAGE/stderr")
    [ "$rc" != 3 ] || [ -n "$reason" ] || reason="no '$BEGIN_MARK' block in tshark's output"
    python3 -I -S - "$path" "$STAGE/block" "$parts/$key" "$status" "$packets" "$rc" "$reason" "$started" "$((${#PASSES[@]} + 1))" "$input" <<'EOF'
import json, os, sys, time
path, block, prefix, status, packets, rc, reason, started, passes, read_as = sys.argv[1:]
# tshark's message names the private copy when it read one: name the capture.
reason = reason.replace(read_as, path)
rows = []
if status == "ok":
    for line in open(block, encoding="utf-8"):
        if line.strip():
            row = json.loads(line)
            row["capture"] = path
            rows.append(row)
st = os.stat(path)
meta = {"capture": path, "size": st.st_size, "mtime": int(st.st_mtime), "status": status,
        "passes": int(passes), "exit": int(rc), "reason": reason.strip(), "packets": int(packets),
        "findings": len(rows), "seconds": round(time.time() - float(started), 3),
        "done": time.time()}
for suffix, text in ((".ndjson", "".join(json.dumps(r) + "\n" for r in rows)),
                     (".meta.json", json.dumps(meta) + "\n")):
    with open(prefix + suffix + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(prefix + suffix + ".tmp", prefix + suffix)
print("%s\t%d\t%d\t%s" % (status, meta["packets"], len(rows), path), flush=True)
EOF
}

stage_plugin() {
    local version
    version=$(tshark --version 2>/dev/null | sed -n '1s/^TShark[^0-9]*\([0-9]*\.[0-9]*\)\..*/\1/p')
    [ -n "$version" ] || fail "cannot tell tshark's version (is tshark installed?)"
    pn_stage "$1" "$version"
}

run_one() {
    [ ${#INPUTS[@]} = 1 ] || usage 2
    [ -n "$PLUGIN" ] || PLUGIN=$(default_plugin)
    [ -f "$PLUGIN" ] || fail "no plugin at $PLUGIN"
    [ -e "${INPUTS[0]}" ] || fail "no such capture: ${INPUTS[0]}"
    mkdir -p "$OUT"
    OUT=$(realpath -- "$OUT")
    stage_plugin "$PLUGIN"
    one_capture "${INPUTS[0]}"
}

# ---- The batch ----------------------------------------------------------------

# list_captures INPUTS...: every capture, NUL-terminated, absolute, sorted, once.
list_captures() {
    local input
    for input in "$@"; do
        if [ -d "$input" ]; then
            find "$(realpath -- "$input")" -type f \( "${CAPTURE_NAMES[@]}" \) -print0
        elif [ -e "$input" ]; then
            realpath -z -- "$input"
        else
            say "no such capture or folder: $input"
        fi
    done | sort -zu
}

# done_already PATH: true when PATH has a successful part (resume).
done_already() {
    local meta
    meta="$OUT/parts/$(part_key "$1").meta.json"
    [ -f "$meta" ] && grep -q '"status": "ok"' "$meta"
}

# progress DONE TOTAL PACKETS FINDINGS FAILED: one updating line on a terminal,
# plain lines otherwise (a log keeps every step).
progress() {
    local line="review: $1/$2 captures, $3 packets, $4 findings, $5 failed"
    if [ -t 2 ]; then printf '\r\033[K%s' "$line" >&2; else echo "$line" >&2; fi
}

run_batch() {
    [ ${#INPUTS[@]} -gt 0 ] || usage 2
    [ -n "$PLUGIN" ] || PLUGIN=$(default_plugin)
    [ -f "$PLUGIN" ] || fail "no plugin at $PLUGIN"
    PLUGIN=$(realpath -- "$PLUGIN")
    mkdir -p "$OUT/parts"
    OUT=$(realpath -- "$OUT")
    local all=() todo=() path total done_n=0 packets=0 findings=0 failed=0
    local status n_packets n_findings
    mapfile -d '' all < <(list_captures "${INPUTS[@]}")
    total=${#all[@]}
    [ "$total" -gt 0 ] || fail "no captures found in: ${INPUTS[*]}"
    for path in "${all[@]}"; do
        if done_already "$path"; then done_n=$((done_n + 1)); else todo+=("$path"); fi
    done
    [ "$done_n" = 0 ] || say "$done_n of $total captures already done in $OUT/parts (resumed)"
    progress "$done_n" "$total" 0 0 0
    if [ ${#todo[@]} -gt 0 ]; then
        # One job per capture, JOBS at a time; each job prints one line when done
        # (one short write: lines of parallel jobs do not interleave).
        local pass_opt=-2
        [ ${#PASSES[@]} -gt 0 ] || pass_opt=--one-pass
        while IFS=$'\t' read -r status n_packets n_findings path; do
            done_n=$((done_n + 1))
            packets=$((packets + n_packets))
            findings=$((findings + n_findings))
            [ "$status" = ok ] || failed=$((failed + 1))
            progress "$done_n" "$total" "$packets" "$findings" "$failed"
        done < <(printf '%s\0' "${todo[@]}" |
                 xargs -0 -n 1 -P "$JOBS" bash "$SELF" --out "$OUT" --plugin "$PLUGIN" "$pass_opt" --one)
    fi
    [ ! -t 2 ] || echo >&2
    merge_parts
}

# ---- Merging ------------------------------------------------------------------

# merge_parts: DIR/findings.ndjson, findings.csv, failures.tsv and report.html
# from every part in DIR/parts (also those of earlier runs: a case grows).
# Exit status as documented above.
merge_parts() {
    [ -d "$OUT/parts" ] || fail "no $OUT/parts folder"
    local rc=0
    python3 -I -S "$ROOT/tools/review-merge.py" "$OUT" || rc=$?
    [ "$rc" -le 1 ] || fail "merging $OUT/parts failed"
    python3 -I -S "$ROOT/tools/review-report.py" "$OUT/findings.ndjson" "$OUT/report.html" \
        --failures "$OUT/failures.tsv"
    say "wrote $OUT/findings.ndjson, $OUT/findings.csv, $OUT/report.html"
    return "$rc"
}

main() {
    parse_args "$@"
    command -v python3 >/dev/null || fail "python3 is needed"
    case "$MODE" in
        one) run_one ;;
        merge) merge_parts ;;
        batch) run_batch ;;
    esac
}

main "$@"
