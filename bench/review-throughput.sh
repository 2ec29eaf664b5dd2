#!/usr/bin/env bash
# Throughput of the case review batch (tools/review.sh): generated captures
# (build/mkbench, the same bytes each time) read with one job and with two,
# each run from scratch (no resume).  Prints a Markdown table: wall time of
# the whole batch (tshark -2 on every capture, merge, CSV, report) and packets
# per second.  A script, not a test: it sets no thresholds.
#   bench/review-throughput.sh [--captures N] [--packets P] [--flows F] [--jobs "1 2"]
# Defaults: 8 captures of 50,000 packets over 1,000 conversations each.
# Needs a build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
captures=8 packets=50000 flows=1000 jobs_list="1 2"
while [ $# -gt 0 ]; do
    case "$1" in
        --captures) captures=$2; shift 2 ;;
        --packets) packets=$2; shift 2 ;;
        --flows) flows=$2; shift 2 ;;
        --jobs) jobs_list=$2; shift 2 ;;
        *) echo "usage: $0 [--captures N] [--packets P] [--flows F] [--jobs \"1 2\"]" >&2; exit 2 ;;
    esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/portnote-bench-review.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/captures"
for i in $(seq -w 1 "$captures"); do
    # Same content, different names: each is its own capture for review.sh.
    build/mkbench "$packets" "$WORK/captures" "bench-$i.pcap" "$flows" >/dev/null
done
chmod -R a+rX "$WORK"
total=$((captures * packets))
load=$(cut -d" " -f1-3 /proc/loadavg)

echo "| jobs | captures | packets | findings | wall (s) | packets/s |"
echo "|--:|--:|--:|--:|--:|--:|"
for jobs in $jobs_list; do
    out="$WORK/out-$jobs"
    start=$(date +%s.%N)
    bash tools/review.sh "$WORK/captures" --out "$out" --jobs "$jobs" 2>"$WORK/log-$jobs"
    end=$(date +%s.%N)
    findings=$(wc -l <"$out/findings.ndjson")
    awk -v j="$jobs" -v c="$captures" -v p="$total" -v f="$findings" -v s="$start" -v e="$end" \
        'BEGIN { w = e - s; printf "| %d | %d | %d | %d | %.1f | %.0f |\n", j, c, p, f, w, p / w }'
done
echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(tshark --version 2>/dev/null | head -1 | sed 's/ *(Git.*//'); load average before the runs: $load."
