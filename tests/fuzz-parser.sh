#!/usr/bin/env bash
# Runs a libFuzzer target for a bounded time, after replaying every earlier
# finding in its regressions folder (a new crash file belongs there):
#   parser   the notes parser, seeded with data/ and the malformed-row files in
#            tests/data/; regressions in tests/fuzz/regressions/
#   payload  the payload signatures, seeded with first payloads of each protocol;
#            regressions in tests/fuzz/regressions-payload/
#   tests/fuzz-parser.sh [SECONDS] [parser|payload]     (defaults 30, parser)
# Environment: PN_SOURCE_DIR, PN_FUZZER (the built fuzz-notes-parser or fuzz-payload).
set -euo pipefail
seconds=${1:-30}
target=${2:-parser}
[ -x "${PN_FUZZER:-}" ] || { echo "no libFuzzer build (clang with libFuzzer missing, or the robustness target not built): skipped"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/portnote-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
if [ "$target" = payload ]; then
    regression_dir="$PN_SOURCE_DIR/tests/fuzz/regressions-payload"
    i=0
    for seed in 'SSH-2.0-OpenSSH_9.2\r\n' 'GET / HTTP/1.1\r\nHost: a\r\n\r\n' 'HTTP/1.1 200 OK\r\n' \
                '220 mail ESMTP\r\n' '220 FTP ready\r\n' '+OK ready\r\n' '* OK IMAP\r\n' \
                '\xff\xfd\x18\xff\xfb\x01' '\x16\x03\x01\x00\x2d\x01\x00\x00\x29\x03\x03' \
                '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03org\x00\x00\x01\x00\x01' \
                'M-SEARCH * HTTP/1.1\r\n'; do
        printf "$seed" >"$work/corpus/seed$((i++))"
    done
else
    regression_dir="$PN_SOURCE_DIR/tests/fuzz/regressions"
    cp "$PN_SOURCE_DIR"/data/*.csv "$PN_SOURCE_DIR"/tests/data/*.csv "$work/corpus/"
fi
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

shopt -s nullglob
regressions=("$regression_dir"/*)
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
    echo "FAIL: the $target fuzzer found a problem; inputs kept in ${TMPDIR:-/tmp}/portnote-fuzz-findings (add them to $regression_dir/)" >&2
    exit 1
fi
echo "# $(grep -oE '#[0-9]+' "$work/fuzz.log" | tail -1 | tr -d '#') $target inputs in ${seconds}s, corpus $(ls "$work/corpus" | wc -l) files: no crash, leak or undefined behaviour"
