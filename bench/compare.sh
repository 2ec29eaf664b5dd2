#!/usr/bin/env bash
# Compares the per-packet cost of the freshly built portnote.so with another
# build of it (say, main's before a change) and with tshark without plugins,
# in instructions per packet inside epan_dissect_run* (callgrind), on two
# deterministic captures: a port scan (bench/mkbench: nearly one packet per
# conversation) and a realistic mix (bench/mkrealistic: ~1,000 interleaved
# conversations of ~20 packets).  A script, not a test: it prints figures and
# sets no thresholds.
#   bench/compare.sh [--old PATH/TO/portnote.so] [--packets N] [--runs R] [--out FILE]
# Each figure is the median of R runs (3): the counts move by a few tenths
# of a percent from run to run, because Wireshark seeds its hash maps at
# random (wmem_map's universal hashing), its own and PortNote's.
# With --out, the table is also written to FILE (docs/benchmarks-cost.md) with
# how it was made.
# To build the other version:  git worktree add /tmp/old COMMIT &&
#   cmake -S /tmp/old -B /tmp/old/build && cmake --build /tmp/old/build
set -euo pipefail
cd "$(dirname "$0")/.."
# (PN_BENCH_COMMAND: how the report says it was made, when a wrapper ran it:
# scripts/test-versions.sh --bench)
command=${PN_BENCH_COMMAND:-bash bench/compare.sh $*}
old="" packets=20000 runs=3 out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --old) old=$2; shift 2 ;;
        --packets) packets=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "usage: $0 [--old PATH/TO/portnote.so] [--packets N] [--runs R] [--out FILE]" >&2; exit 2 ;;
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

# per_packet CAPTURE PLUGIN_DIR ARGS...: instructions per packet with that
# plugin folder, the median of $runs runs.
per_packet() {
    local capture=$1 dir=$2
    shift 2
    PN_EXTRA_ENV=(WIRESHARK_PLUGIN_DIR="$dir")
    for _ in $(seq "$runs"); do
        echo $(( $(callgrind_tshark -r "$STAGE/pcaps/$capture.pcap" "$@") / packets ))
    done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
    PN_EXTRA_ENV=()
}

percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (a - b) * 100 / b }'; }

table() {
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
            cp "$STAGE/home/callgrind.out" "$STAGE/home/$capture.$mode.callgrind.out"
            row="| $capture | $mode | $base | $new ($(percent "$new" "$base")) |"
            if [ -n "$old" ]; then
                prev=$(per_packet $capture "$STAGE/old-plugins" "${args[@]}")
                row+=" $prev ($(percent "$prev" "$base")) |"
            fi
            echo "$row"
        done
    done
    echo
    echo "instructions per packet inside epan_dissect_run*, $packets packets per capture, median of $runs runs:"
    echo "scan = bench/mkbench (nearly one conversation per packet), realistic = bench/mkrealistic"
}

# inclusive FILE FUNCTION: the instructions spent in FUNCTION and what it calls.
inclusive() {
    callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
        awk -v f=":$2" 'index($0, f) && ($NF ~ (f "$") || $(NF-1) ~ (f "$")) { v = $1; gsub(/,/, "", v); v += 0; if (v > max) max = v }
                        END { print max + 0 }'
}

# breakdown CAPTURE MODE: where this build's instructions per packet go.
breakdown() {
    local f="$STAGE/home/$1.$2.callgrind.out" whole conv lookup notes site show
    whole=$(inclusive "$f" dissect_portnote)
    conv=$(inclusive "$f" portnote_conv_update)
    lookup=$(inclusive "$f" portnote_connection)
    notes=$(( $(inclusive "$f" portnote_layers_collect) + $(inclusive "$f" portnote_layers_notes) ))
    site=$(( $(inclusive "$f" portnote_site_apply) + $(inclusive "$f" portnote_services_flag) ))
    show=$(inclusive "$f" portnote_show)
    echo "| part | instructions per packet |"
    echo "|---|--:|"
    echo "| the post-dissector, all of it (\`dissect_portnote\`) | $((whole / packets)) |"
    echo "| the connection table: lookup, new connections, TCP port reuse (\`portnote_connection\`) | $((lookup / packets)) |"
    echo "| the payload check and the conversation's state, without the table | $(((conv - lookup) / packets)) |"
    echo "| finding the notes: layers, proto data, headers, the notes lookup (\`portnote_layers_collect\`, \`portnote_layers_notes\`) | $((notes / packets)) |"
    echo "| exposure and the first frame of each service (\`portnote_site_apply\`, \`portnote_services_flag\`) | $((site / packets)) |"
    echo "| showing them: the fields the filter reads, Expert Info (\`portnote_show\`) | $((show / packets)) |"
    echo "| the rest: verdicts applied to the notes, the tap | $(((whole - conv - notes - site - show) / packets)) |"
    echo
    echo "(callgrind inclusive costs on the $1 capture, \`$2\` mode; calling the post-dissector itself"
    echo "costs a few hundred more, in Wireshark's code.)"
}

table | tee "$STAGE/table.md"
{
    echo
    echo "## Where the filtered read's cost goes"
    echo
    breakdown realistic filter
    echo
    breakdown scan filter
} | tee -a "$STAGE/table.md"
if [ -n "$out" ]; then
    {
        echo "# Per-packet cost: the scan and the realistic capture"
        echo
        echo "Generated by \`$command\` on $(date -u +%Y-%m-%d),"
        echo "$(tshark --version 2>/dev/null | head -1), $(nproc) cores."
        echo "\`valgrind --tool=callgrind --toggle-collect='epan_dissect_run*'\`: instructions inside"
        echo "Wireshark's per-packet dissection divided by the packet count; the median of $runs runs, since"
        echo "the counts move by a few tenths of a percent between runs (Wireshark seeds its hash maps at random)."
        echo "\`plain\` is \`tshark -r FILE\`; \`filter\` is \`tshark -r FILE -q -Y portnote.risk\`, against"
        echo "\`-Y \"tcp.srcport || udp.srcport\"\` without the plugin (a hand-written port filter)."
        echo
        cat "$STAGE/table.md"
    } > "$out"
fi
