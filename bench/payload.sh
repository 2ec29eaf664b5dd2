#!/usr/bin/env bash
# What the payload check costs per packet, in instructions (callgrind), with
# portnote.payload_check on and off on the same captures:
#   - long conversations (FLOWS conversations sharing all packets): the cost
#     once conversations are decided;
#   - one-packet conversations (bench/mkbench's default): the worst case, a
#     new conversation state for nearly every packet.
# and the memory PortNote keeps per conversation (max RSS with and without
# the plugin, on a capture of MEM_PACKETS one-packet conversations).
# Writes docs/benchmarks-payload.md.  A script, not a test: no thresholds.
#   bench/payload.sh [--packets N] [--flows F] [--mem-packets M] [--out FILE]
# Needs a build (scripts/build.sh), valgrind and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
packets=20000 flows=200 mem_packets=400000 out=docs/benchmarks-payload.md
while [ $# -gt 0 ]; do
    case "$1" in
        --packets) packets=$2; shift 2 ;;
        --flows) flows=$2; shift 2 ;;
        --mem-packets) mem_packets=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "usage: $0 [--packets N] [--flows F] [--mem-packets M] [--out FILE]" >&2; exit 2 ;;
    esac
done

. bench/common.sh
bench_stage
build/mkbench "$packets" "$STAGE/pcaps" flows.pcap "$flows"
build/mkbench "$packets" "$STAGE/pcaps" unique.pcap
build/mkbench "$mem_packets" "$STAGE/pcaps" memory.pcap
chmod -R a+rX "$STAGE"

per_packet() { awk -v ir="$1" -v n="$packets" 'BEGIN { printf "%.0f", ir / n }'; }
conversations() {
    pn_tshark -r "$1" -q -z conv,tcp -z conv,udp | grep -c '<->' || true
}

# A plain read that shows nothing of PortNote's is skipped by it altogether;
# the Info-column notes keep it working without a protocol tree.
shown=(-o portnote.info_column:TRUE)
declare -A ir
for capture in flows unique; do
    for variant in none off on; do
        echo "  $capture / $variant" >&2
        case $variant in
            none) PN_EXTRA_ENV=(WIRESHARK_PLUGIN_DIR="$STAGE/no-plugins"); args=() ;;
            off)  PN_EXTRA_ENV=(); args=("${shown[@]}" -o portnote.payload_check:FALSE) ;;
            on)   PN_EXTRA_ENV=(); args=("${shown[@]}" -o portnote.payload_check:TRUE) ;;
        esac
        ir[$capture:$variant]=$(callgrind_tshark -r "$STAGE/pcaps/$capture.pcap" "${args[@]}")
    done
done
PN_EXTRA_ENV=()

# Max RSS in KiB of a plain read without the plugin, or with it (the check on).
max_rss() {   # none|on
    if [ "$1" = none ]; then
        PN_EXTRA_ENV=(WIRESHARK_PLUGIN_DIR="$STAGE/no-plugins")
        time_tshark "%M" -r "$STAGE/pcaps/memory.pcap"
        PN_EXTRA_ENV=()
    else
        time_tshark "%M" -r "$STAGE/pcaps/memory.pcap" "${shown[@]}" -o portnote.payload_check:TRUE
    fi
}
echo "  memory" >&2
rss_none=$(max_rss none) rss_on=$(max_rss on)
conv_memory=$(conversations "$STAGE/pcaps/memory.pcap")
conv_flows=$(conversations "$STAGE/pcaps/flows.pcap")
conv_unique=$(conversations "$STAGE/pcaps/unique.pcap")

row() {   # capture, label, conversations
    local c=$1
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$2" "$3" \
        "$(per_packet "${ir[$c:none]}")" "$(per_packet "${ir[$c:off]}")" "$(per_packet "${ir[$c:on]}")" \
        "$(per_packet "$((ir[$c:on] - ir[$c:off]))")" \
        "$(awk -v a="${ir[$c:on]}" -v b="${ir[$c:off]}" 'BEGIN { printf "%+.1f%%", (a - b) * 100 / b }')"
}

{
cat <<EOF
# Benchmark: the payload check

Measured by \`bench/payload.sh --packets $packets --flows $flows\` on $(date -u +%Y-%m-%d),
$(tshark -v 2>/dev/null | head -1 | sed 's/\.$//'), $(uname -m). Regenerate with \`bash bench/payload.sh\`
after \`bash scripts/build.sh\` (a few minutes); this file is rewritten.

\`valgrind --tool=callgrind --toggle-collect='epan_dissect_run*' tshark -r FILE [-o portnote.info_column:TRUE -o portnote.payload_check:...]\`
(the Info-column notes keep PortNote working on a plain read, which it otherwise skips):
instructions executed inside per-packet dissection, divided by the packet count
($packets packets from \`build/mkbench\`: 60% TCP, 40% UDP, 20% IPv6, filler payloads).
"Added by the check" is the difference between portnote with \`payload_check\` on and off,
per packet: the first-payload classification and applying the verdicts to the frame's
notes (the connection table is used with the check off too: Expert Info is raised once
per conversation).

| capture | conversations | no plugin | portnote, check off | portnote, check on | added by the check | relative to check off |
|---|---|---|---|---|---|---|
EOF
row flows "long conversations ($flows flows)" "$conv_flows"
row unique "one-packet conversations" "$conv_unique"
cat <<EOF

Once a conversation's two directions are decided, the check costs two comparisons per
packet; the first row shows that steady state,
since each of the $flows conversations is decided within its first packets. The second row is the worst case: nearly every packet opens a
conversation, so each one also pays for creating the state and classifying a first
payload. Both are per packet, per capture file (the state lives in file scope).

## Memory

Max RSS of \`tshark -r FILE -o portnote.info_column:TRUE -o portnote.payload_check:...\` on $mem_packets packets
($conv_memory conversations, nearly one per packet: the worst case):

| no plugin | portnote | kept per conversation |
|---|---|---|
| $((rss_none / 1024)) MiB | $((rss_on / 1024)) MiB | $(awk -v a="$rss_on" -v b="$rss_none" -v n="$conv_memory" 'BEGIN { printf "%.0f bytes", (a - b) * 1024 / n }') |

Each conversation keeps one record in PortNote's connection table
(\`plugin/portnote-connections.c\`: its two ends, the TCP sequence state that tells a
reused port, the payload check's verdicts and the notes already raised), from its first
packet to the end of the capture file; nothing is kept per frame. In captures of longer
conversations that is a few bytes per packet.
EOF
} >"$out"
echo "wrote $out" >&2
