#!/usr/bin/env bash
# Fuzz tier: the sample captures (and ../shared/pcaps when present), mutated by
# `editcap -E` with several seeds and error rates, dissected by tshark with the
# ASan+UBSan build of the plugin (the ASan runtime preloaded into tshark) and
# WIRESHARK_ABORT_ON_DISSECTOR_BUG=1.  Any crash or sanitizer report fails.
#   tests/fuzz-captures.sh short   a few hundred runs (ctest, CI)
#   tests/fuzz-captures.sh long    thousands of runs:
#       cmake --build build --target fuzz-long
# Environment: PN_SOURCE_DIR, PN_ASAN_PLUGIN, PN_ASAN_RUNTIME, PN_WS_VERSION,
# PN_SHARED_PCAPS.
set -euo pipefail
. "$PN_SOURCE_DIR/tests/harness/tshark-stage.sh"

tier=${1:-short}
case "$tier" in
    short) seeds=$(seq 1 3); rates="0.02 0.1" ;;
    long)  seeds=$(seq 1 30); rates="0.002 0.01 0.05 0.1 0.3" ;;
    *) echo "usage: $0 short|long" >&2; exit 2 ;;
esac
[ -f "${PN_ASAN_PLUGIN:-}" ] && [ -f "${PN_ASAN_RUNTIME:-}" ] \
    || { echo "no sanitizer build (build the robustness target; PORTNOTE_SANITIZERS=OFF leaves it out): skipped"; exit 77; }

pn_stage "$PN_ASAN_PLUGIN" "$PN_WS_VERSION"
PN_EXTRA_ENV=(LD_PRELOAD="$PN_ASAN_RUNTIME"
              ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1:allocator_may_return_null=1
              UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)

captures=("$PN_SOURCE_DIR"/pcaps/*.pcap)
if [ -d "${PN_SHARED_PCAPS:-/nonexistent}" ]; then
    for f in "$PN_SHARED_PCAPS"/*.pcap; do captures+=("$f"); done
fi

# The sanitized plugin must really be the one tshark runs.
pn_tshark -G plugins | grep -F "$PN_STAGED_PLUGIN" >/dev/null || { echo "FAIL: sanitized plugin not loaded" >&2; exit 1; }

runs=0
run_one() {   # mutated capture, tshark arguments...
    local status=0
    pn_tshark -r "$@" >/dev/null || status=$?
    if [ $status -ne 0 ] || grep -qE 'ERROR: AddressSanitizer|runtime error:|Dissector bug|SUMMARY: ' "$STAGE/stderr"; then
        cp "$1" "${TMPDIR:-/tmp}/portnote-fuzz-failure.pcap"
        echo "FAIL: tshark exited $status on $1 (kept as ${TMPDIR:-/tmp}/portnote-fuzz-failure.pcap):" >&2
        head -40 "$STAGE/stderr" >&2
        exit 1
    fi
    runs=$((runs + 1))
    if [ "$tier" = long ] && [ $((runs % 500)) = 0 ]; then echo "# $runs runs so far"; fi
}

for capture in "${captures[@]}"; do
    for seed in $seeds; do
        for rate in $rates; do
            mutated="$STAGE/pcaps/fuzz.pcap"
            editcap -E "$rate" --seed "$seed" "$capture" "$mutated" 2>/dev/null
            chmod a+r "$mutated"
            run_one "$mutated" -V -o portnote.info_column:TRUE
            run_one "$mutated" -2 -Y portnote.risk -q -z portnote,tree -z portnote,findings
        done
    done
done
echo "# $runs tshark runs over ${#captures[@]} captures mutated with seeds $(echo $seeds | tr ' ' ,) and rates ${rates// /,}: no crash, no sanitizer report"
