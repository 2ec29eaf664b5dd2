#!/usr/bin/env bash
# Runs the libFuzzer target of the notes parser for a bounded time, seeded with
# data/ and the malformed-row files in tests/data/, after replaying every
# earlier finding in tests/fuzz/regressions/ (a new crash file belongs there).
#   tests/fuzz-parser.sh [SECONDS]     (default 30)
# Environment: PN_SOURCE_DIR, PN_FUZZER (the built fuzz-notes-parser).
set -euo pipefail
seconds=${1:-30}
[ -x "${PN_FUZZER:-}" ] || { echo "no libFuzzer build (clang with libFuzzer missing): skipped"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/portnote-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
cp "$PN_SOURCE_DIR"/data/*.csv "$PN_SOURCE_DIR"/tests/data/*.csv "$work/corpus/"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

shopt -s nullglob
regressions=("$PN_SOURCE_DIR"/tests/fuzz/regressions/*)
shopt -u nullglob
if [ ${#regressions[@]} -gt 0 ]; then
    "$PN_FUZZER" -runs=1 "${regressions[@]}" >"$work/replay.log" 2>&1 \
        || { cat "$work/replay.log" >&2; echo "FAIL: a regression input crashes again" >&2; exit 1; }
fi
if ! "$PN_FUZZER" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/fuzz.log" 2>&1; then
    tail -40 "$work/fuzz.log" >&2
    mkdir -p "${TMPDIR:-/tmp}/portnote-fuzz-findings"
    cp "$work"/artifacts/* "${TMPDIR:-/tmp}/portnote-fuzz-findings/" 2>/dev/null || true
    echo "FAIL: the parser fuzzer found a problem; inputs kept in ${TMPDIR:-/tmp}/portnote-fuzz-findings (add them to tests/fuzz/regressions/)" >&2
    exit 1
fi
echo "# $(grep -oE '#[0-9]+' "$work/fuzz.log" | tail -1 | tr -d '#') parser inputs in ${seconds}s, corpus $(ls "$work/corpus" | wc -l) files: no crash, leak or undefined behaviour"
