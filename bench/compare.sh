#!/usr/bin/env bash
# Compares the per-packet cost of the freshly built portnote.so with another
# build of it (say, main's before a change) and with tshark without plugins,
# in instructions per packet inside epan_dissect_run* (callgrind), on two
# deterministic captures: a port scan (bench/mkbench: nearly one packet per
# conversation) and a realistic mix (bench/mkrealistic: ~1,000 interleaved
# conversations of ~20 packets).  A script, not a test: it prints figures and
# sets no thresholds.
#   bench/compare.sh [--old PATH/TO/portnote.so] [--packets N]
# To build the other version:  git worktree add /tmp/old COMMIT &&
#   cmake -S /tmp/old -B /tmp/old/build && cmake --build /tmp/old/build
set -euo pipefail
cd "$(dirname "$0")/.."
old="" packets=20000
while [ $# -gt 0 ]; do
    case "$1" in
        --old) old=$2; shift 2 ;;
        --packets) packets=$2; shift 2 ;;
        *) echo "usage: $0 [--old PATH/TO/portnote.so] [--packets N]" >&2; exit 2 ;;
    esac
done

. bench/common.sh
bench_stage
build/mkbench "$packets" "$STAGE/pcaps" scan.pcap >/dev/null
build/mkrealistic "$packets" "$STAGE/pcaps" realistic.pcap >/dev/null
ws_version=$(basename "$(dirname "$(dirname "$PN_STAGED_PLUGIN")")")
if [ -n "$old" ]; then
    mkdir -p "$STAGE/old-plugins/$ws_version/epan"
    cp "$old" "$STAGE/old-plugins/$ws_version/epan/portnote.so"
fi
chmod -R a+rX "$STAGE"

# per_packet CAPTURE PLUGIN_DIR ARGS...: instructions per packet with that plugin folder.
per_packet() {
    local capture=$1 dir=$2
    shift 2
    PN_EXTRA_ENV=(WIRESHARK_PLUGIN_DIR="$dir")
    echo $(( $(callgrind_tshark -r "$STAGE/pcaps/$capture.pcap" "$@") / packets ))
    PN_EXTRA_ENV=()
}

percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (a - b) * 100 / b }'; }

echo "| capture | mode | no plugin | portnote (this build) |${old:+ portnote (--old) |}"
echo "|---|---|--:|--:|${old:+--:|}"
for capture in scan realistic; do
    for mode in plain filter; do
        case $mode in
            plain)  args=(); base_args=() ;;
            # the baseline reads the same fields through a hand-written port filter
            filter) args=(-q -Y portnote.risk); base_args=(-q -Y "tcp.srcport || udp.srcport") ;;
        esac
        base=$(per_packet $capture "$STAGE/no-plugins" "${base_args[@]}")
        new=$(per_packet $capture "$STAGE/plugins" "${args[@]}")
        row="| $capture | $mode | $base | $new ($(percent "$new" "$base")) |"
        if [ -n "$old" ]; then
            prev=$(per_packet $capture "$STAGE/old-plugins" "${args[@]}")
            row+=" $prev ($(percent "$prev" "$base")) |"
        fi
        echo "$row"
    done
done
echo
echo "instructions per packet inside epan_dissect_run*, $packets packets per capture:"
echo "scan = bench/mkbench (nearly one conversation per packet), realistic = bench/mkrealistic"
