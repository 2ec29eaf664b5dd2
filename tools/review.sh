#!/usr/bin/env bash
# review.sh: case review across many captures (issue 14).  Reads every capture
# with tshark and portnote's `-z portnote,findings`, in parallel, and writes one
# answer for the whole case: DIR/findings.ndjson, findings.csv, captures.ndjson,
# failures.tsv and report.html.
#
#   tools/review.sh CAPTURES_OR_FOLDERS... --out DIR [--case NAME] [--jobs N]
#                     [--plugin PATH] [-2|--one-pass] [-o portnote.PREF:VALUE]...
#   tools/review.sh --merge DIR          rebuild the outputs from DIR/parts/ only
#   tools/review.sh --one CAPTURE --out DIR [--case NAME] [--plugin PATH]
#                     [--one-pass] [-o ...] one capture's job (for other job runners)
#   tools/review.sh CAPTURES_OR_FOLDERS... --out DIR --todo LIST [set-up options]
#                     writes LIST.all (every capture) and LIST (those without a
#                     final part for this set-up), NUL-separated, and reads nothing
#   tools/review.sh --merge DIR --expect LIST.all [set-up options]
#                     merges, then checks that every capture in LIST.all has a
#                     part: exit 3, naming them, when some have none (a job
#                     runner's merge: tools/review-slurm.sh)
#
# Folders are searched recursively for *.pcap, *.pcapng, *.cap, *.pcap.gz and
# *.pcapng.gz; a file given by name is read whatever its name.  --case labels
# the case (default: the name of the first input folder, or of the folder
# holding the first input file): hosts are told apart by case, never merged
# across cases.  -o passes a preference to every tshark run.  --jobs defaults
# to the number of cores.  -2 (tshark's two passes) is the default.
# --plugin defaults to the freshly built build/plugins/*/epan/portnote.so.
#
# Every file given ends up once as reviewed, partial (tshark stopped early, e.g.
# a capture cut off mid-packet: what it read is kept, with its reason), skipped
# (not a capture) or failed (retried on the next run).
# Resume: each file's result goes to DIR/parts/KEY.ndjson and KEY.meta.json,
# KEY a hash of the file's path, size and mtime, the case and the set-up (plugin
# and Wireshark versions, notes, preferences, passes): a file with a part for
# this set-up is not read again; after an upgrade or another -o it is.
# Exit status: 0 when at least one capture was read (reviewed or partial),
# 1 when none was, 2 on a usage error.
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SELF="$ROOT/tools/review.sh"
# What a capture is called in a folder (compared case-insensitively).
CAPTURE_NAMES=(-iname '*.pcap' -o -iname '*.pcapng' -o -iname '*.cap'
               -o -iname '*.pcap.gz' -o -iname '*.pcapng.gz')

fail() { echo "review: $*" >&2; exit 1; }
say() { echo "review: $*" >&2; }
usage() {
    sed -n '2,36s/^# \{0,1\}//p' "$0" >&2
    exit "${1:-0}"
}

# ---- Arguments ---------------------------------------------------------------

MODE=batch OUT="" JOBS="" PLUGIN="" PASSES=(-2) INPUTS=() CASE="" PREFS=() TODO="" EXPECT=""

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --out) [ $# -ge 2 ] || usage 2; OUT=$2; shift 2 ;;
            --case) [ $# -ge 2 ] || usage 2; CASE=$2; shift 2 ;;
            --jobs) [ $# -ge 2 ] || usage 2; JOBS=$2; shift 2 ;;
            --plugin) [ $# -ge 2 ] || usage 2; PLUGIN=$2; shift 2 ;;
            -o) [ $# -ge 2 ] || usage 2; PREFS+=(-o "$2"); shift 2 ;;
            -2) PASSES=(-2); shift ;;
            --one-pass) PASSES=(); shift ;;
            --merge) [ $# -ge 2 ] || usage 2; MODE=merge; OUT=$2; shift 2 ;;
            --todo) [ $# -ge 2 ] || usage 2; MODE=todo; TODO=$2; shift 2 ;;
            --expect) [ $# -ge 2 ] || usage 2; EXPECT=$2; shift 2 ;;
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

# default_case: the name of the first input folder, or of the folder holding
# the first input file (a sensor's ring buffer folder is one case).
default_case() {
    local first
    first=$(realpath -m -- "${INPUTS[0]}")
    [ -d "$first" ] || first=$(dirname "$first")
    basename "$first"
}

default_plugin() {
    pn_built_plugin "$ROOT" || exit 1
}

# ---- The set-up (provenance) ------------------------------------------------

# shellcheck source=tests/harness/tshark-stage.sh
. "$ROOT/tests/harness/tshark-stage.sh"

stage_plugin() {
    local version
    version=$(pn_tshark_release | grep -oE '^[0-9]+\.[0-9]+' || true)
    [ -n "$version" ] || fail "cannot tell tshark's version (is tshark installed?)"
    pn_stage "$1" "$version"
}

# provenance_json: what decides a capture's findings besides its content, as
# one line of JSON with sorted keys: the plugin's version and SHA-256, the
# Wireshark release, a hash of the notes in force (the built-in notes are in
# the plugin; the global portnotes.csv when there is one: the personal
# configuration is private and empty), the preferences given and the passes.
provenance_json() {
    local plugin_version global
    pn_run_tshark "$STAGE/plugins.txt" -G plugins || fail "tshark cannot load $PLUGIN"
    plugin_version=$(awk -F'\t' '$1 ~ /^portnote\.so/ { print $2; exit }' "$STAGE/plugins.txt")
    [ -n "$plugin_version" ] || fail "tshark did not load $PLUGIN (built for another Wireshark?)"
    pn_command tshark -G folders
    global=$("${PN_CMD[@]}" 2>/dev/null | sed -n 's/^Global configuration:[[:space:]]*//p')
    python3 -I -S - "$PLUGIN" "$plugin_version" "$(pn_tshark_release)" "$global/portnotes.csv" \
        "$((${#PASSES[@]} + 1))" ${PREFS[@]+"${PREFS[@]}"} <<'PY'
import hashlib, json, os, sys
plugin, version, wireshark, global_notes, passes = sys.argv[1:6]
prefs = sys.argv[7::2]
def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
notes = hashlib.sha256(("built-in notes of plugin %s\n" % sha256(plugin)).encode())
if os.path.isfile(global_notes):
    notes.update(open(global_notes, "rb").read())
print(json.dumps({"plugin": version, "plugin_sha256": sha256(plugin), "wireshark": wireshark,
                  "notes_sha256": notes.hexdigest(), "preferences": prefs,
                  "passes": int(passes)}, sort_keys=True))
PY
}

# ---- One capture (the job a runner spreads) -------------------------------------

# part_key ABS_PATH: the part's name: changes when the file is replaced or
# grows, when the case label changes and when the set-up does.
part_key() {
    local size_mtime
    size_mtime=$(stat -L -c '%s %Y' -- "$1")
    printf '%s\0%s\0%s\0%s' "$1" "$size_mtime" "$CASE" "$PN_REVIEW_PROVENANCE" |
        sha256sum | cut -c1-32
}

# readable_as_tshark PATH: the path tshark should open.  tshark runs as nobody
# when we are root, and nobody may not read the capture where it is (a root-only
# case folder): then it reads a copy in the private stage.
readable_as_tshark() {
    pn_command test -r "$1"
    if "${PN_CMD[@]}"; then echo "$1"; else pn_stage_file "$1"; fi
}

# one_capture PATH: reads one file and writes its part with review-part.py
# (which decides reviewed, partial, skipped or failed; see there).  Prints one
# progress line: "STATUS<TAB>PACKETS<TAB>FINDINGS<TAB>PATH".
one_capture() {
    local path key input="" rc=0 skip="" started
    path=$(realpath -- "$1")
    key=$(part_key "$path")
    mkdir -p "$OUT/parts"
    started=$(date +%s.%N)
    : >"$STAGE/capinfos"; : >"$STAGE/out"; : >"$STAGE/stderr"
    if [ ! -s "$path" ]; then
        skip="empty file (0 bytes): not a capture"
    else
        input=$(readable_as_tshark "$path")
        # Packets and time span; capinfos prints what it read of a cut-off file.
        pn_command capinfos -T -M -t -E -c -S -a -e "$input"
        "${PN_CMD[@]}" >"$STAGE/capinfos" 2>/dev/null || true
        if ! grep -qE $'\t(mp4|mime|json|rubymarshal)\t' "$STAGE/capinfos"; then
            pn_tshark -r "$input" "${PASSES[@]}" ${PREFS[@]+"${PREFS[@]}"} \
                -q -z portnote,findings >"$STAGE/out" || rc=$?
        fi
        [ "$input" = "$path" ] || rm -f "$input"
    fi
    python3 -I -S "$ROOT/tools/review-part.py" "$OUT/parts/$key" "$(
        python3 -I -S -c 'import json, sys; a = sys.argv[1:]; print(json.dumps({
            "capture": a[0], "read_as": a[1] or a[0], "case": a[2], "sha256": a[3],
            "provenance": json.loads(a[4]), "capinfos": open(a[5]).read(),
            "tshark_out": a[6] if a[7] else "", "tshark_rc": int(a[8]),
            "stderr": open(a[9], errors="replace").read(2000), "skip": a[10],
            "started": float(a[11])}))' \
            "$path" "$input" "$CASE" "$(sha256sum -- "$path" | cut -c1-64)" \
            "$PN_REVIEW_PROVENANCE" "$STAGE/capinfos" "$STAGE/out" "$input" "$rc" \
            "$STAGE/stderr" "$skip" "$started")"
}

# setup PLUGIN: stages it and sets CASE and PN_REVIEW_PROVENANCE (exported: the
# batch's jobs take it from there instead of asking tshark again).
setup() {
    [ -n "$PLUGIN" ] || PLUGIN=$(default_plugin)
    [ -f "$PLUGIN" ] || fail "no plugin at $PLUGIN"
    PLUGIN=$(realpath -- "$PLUGIN")
    [ -n "$CASE" ] || CASE=$(default_case)
    stage_plugin "$PLUGIN"
    [ -n "${PN_REVIEW_PROVENANCE:-}" ] || PN_REVIEW_PROVENANCE=$(provenance_json)
    export PN_REVIEW_PROVENANCE
    mkdir -p "$OUT/parts"
    OUT=$(realpath -- "$OUT")
}

run_one() {
    [ ${#INPUTS[@]} = 1 ] || usage 2
    [ -e "${INPUTS[0]}" ] || fail "no such capture: ${INPUTS[0]}"
    setup
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

# done_already PATH: true when PATH has a final part for this set-up (resume);
# a failed one is retried.
done_already() {
    local meta
    meta="$OUT/parts/$(part_key "$1").meta.json"
    [ -f "$meta" ] && ! grep -q '"status": "failed"' "$meta"
}

# progress DONE TOTAL PACKETS FINDINGS PARTIAL SKIPPED FAILED: one updating
# line on a terminal, plain lines otherwise (a log keeps every step).
progress() {
    local line="review: $1/$2 files, $3 packets, $4 findings, $5 partial, $6 skipped, $7 failed"
    if [ -t 2 ]; then printf '\r\033[K%s' "$line" >&2; else echo "$line" >&2; fi
}

run_batch() {
    [ ${#INPUTS[@]} -gt 0 ] || usage 2
    setup
    local all=() todo=() path total done_n=0 packets=0 findings=0
    local -A count=([partial]=0 [skipped]=0 [failed]=0)
    local status n_packets n_findings pass_opt=-2
    mapfile -d '' all < <(list_captures "${INPUTS[@]}")
    total=${#all[@]}
    [ "$total" -gt 0 ] || fail "no captures found in: ${INPUTS[*]}"
    for path in "${all[@]}"; do
        if done_already "$path"; then done_n=$((done_n + 1)); else todo+=("$path"); fi
    done
    [ "$done_n" = 0 ] || say "$done_n of $total files already done in $OUT/parts (resumed)"
    progress "$done_n" "$total" 0 0 0 0 0
    [ ${#PASSES[@]} -gt 0 ] || pass_opt=--one-pass
    if [ ${#todo[@]} -gt 0 ]; then
        # One job per capture, JOBS at a time; each job prints one line when done
        # (one short write: lines of parallel jobs do not interleave).
        while IFS=$'\t' read -r status n_packets n_findings path; do
            done_n=$((done_n + 1))
            packets=$((packets + n_packets))
            findings=$((findings + n_findings))
            [ "$status" = reviewed ] || count[$status]=$((${count[$status]:-0} + 1))
            progress "$done_n" "$total" "$packets" "$findings" \
                "${count[partial]}" "${count[skipped]}" "${count[failed]}"
        done < <(printf '%s\0' "${todo[@]}" |
                 xargs -0 -n 1 -P "$JOBS" bash "$SELF" --out "$OUT" --plugin "$PLUGIN" \
                     --case "$CASE" "$pass_opt" ${PREFS[@]+"${PREFS[@]}"} --one)
    fi
    [ ! -t 2 ] || echo >&2
    merge_parts "${all[@]}"
}

# write_todo: LIST.all and LIST (see the usage); prints the counts.
write_todo() {
    [ ${#INPUTS[@]} -gt 0 ] || usage 2
    setup
    local all=() path todo_n=0
    mapfile -d '' all < <(list_captures "${INPUTS[@]}")
    [ ${#all[@]} -gt 0 ] || fail "no captures found in: ${INPUTS[*]}"
    printf '%s\0' "${all[@]}" >"$TODO.all"
    : >"$TODO"
    for path in "${all[@]}"; do
        done_already "$path" || { printf '%s\0' "$path" >>"$TODO"; todo_n=$((todo_n + 1)); }
    done
    say "$todo_n of ${#all[@]} files to read ($((${#all[@]} - todo_n)) already done in $OUT/parts)"
}

# merge_expected: merges the parts of the captures in $EXPECT (NUL-separated),
# then names those that have no final part (a job that was killed or never
# ran; a failed capture has one) and returns 3 when there are any.
merge_expected() {
    local all=() path missing=0 rc=0
    mapfile -d '' all <"$EXPECT"
    merge_parts "${all[@]}" || rc=$?
    for path in "${all[@]}"; do
        [ -f "$OUT/parts/$(part_key "$path").meta.json" ] && continue
        say "MISSING $path: no part (its job was killed or did not run)"
        missing=$((missing + 1))
    done
    [ "$missing" = 0 ] || { say "$missing of ${#all[@]} files have no part: run the review again to read them"; return 3; }
    return "$rc"
}

# ---- Merging ------------------------------------------------------------------

# merge_parts [FILE...]: DIR/findings.ndjson, findings.csv, captures.ndjson,
# failures.tsv and report.html from every part in DIR/parts (also those of
# earlier runs: a case grows); for FILEs (the batch's), the part of this
# set-up.  Exit status as documented above.
merge_parts() {
    [ -d "$OUT/parts" ] || fail "no $OUT/parts folder"
    local rc=0 keys=() path
    for path in "$@"; do keys+=("$(part_key "$path")"); done
    printf '%s\n' ${keys[@]+"${keys[@]}"} >"$OUT/parts.current"
    python3 -I -S "$ROOT/tools/review-merge.py" "$OUT" "$OUT/parts.current" || rc=$?
    rm -f "$OUT/parts.current"
    [ "$rc" -le 1 ] || fail "merging $OUT/parts failed"
    python3 -I -S "$ROOT/tools/review-report.py" "$OUT/findings.ndjson" "$OUT/report.html" \
        --captures "$OUT/captures.ndjson"
    say "wrote $OUT/findings.ndjson, findings.csv, captures.ndjson, failures.tsv, report.html"
    return "$rc"
}

main() {
    parse_args "$@"
    command -v python3 >/dev/null || fail "python3 is needed"
    case "$MODE" in
        one) run_one ;;
        merge) if [ -n "$EXPECT" ]; then [ -n "$CASE" ] || fail "--expect needs --case"; setup; merge_expected
               else OUT=$(realpath -- "$OUT"); merge_parts; fi ;;
        todo) write_todo ;;
        batch) run_batch ;;
    esac
}

main "$@"
