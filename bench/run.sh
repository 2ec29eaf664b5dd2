#!/usr/bin/env bash
# Benchmarks tshark with no plugin (the baseline), with portnote.so and with
# the Lua peer (bench/portnote.lua) side by side, and writes the results with
# the exact commands to docs/benchmarks.md.  A script, not a test: it sets no
# thresholds; the targets are judged in the report.
#   bench/run.sh [--packets N] [--runs R] [--out FILE]
# Needs a build (scripts/build.sh), valgrind and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
packets=1000000 runs=3 out=docs/benchmarks.md
while [ $# -gt 0 ]; do
    case "$1" in
        --packets) packets=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "usage: $0 [--packets N] [--runs R] [--out FILE]" >&2; exit 2 ;;
    esac
done
verbose_packets=$((packets / 10)) callgrind_packets=20000

. bench/common.sh
bench_stage
cp data/portnotes.csv bench/portnote.lua "$STAGE/"
build/mkbench "$packets" "$STAGE/pcaps" big.pcap
build/mkbench "$callgrind_packets" "$STAGE/pcaps" small.pcap
build/mkbench 1 "$STAGE/pcaps" one.pcap
chmod -R a+rX "$STAGE"
BIG="$STAGE/pcaps/big.pcap" SMALL="$STAGE/pcaps/small.pcap"

# variant: none | portnote | lua.  Sets PN_EXTRA_ENV and VARIANT_ARGS.
use_variant() {
    case "$1" in
        none)     PN_EXTRA_ENV=(WIRESHARK_PLUGIN_DIR="$STAGE/no-plugins"); VARIANT_ARGS=() ;;
        portnote) PN_EXTRA_ENV=(); VARIANT_ARGS=() ;;
        lua)      PN_EXTRA_ENV=(WIRESHARK_PLUGIN_DIR="$STAGE/no-plugins" PORTNOTE_CSV="$STAGE/portnotes.csv")
                  VARIANT_ARGS=(-X "lua_script:$STAGE/portnote.lua") ;;
    esac
}

# mode: plain | filter | verbose, for a variant.  Prints tshark's arguments.
mode_args() {   # mode variant capture
    case "$1:$2" in
        plain:*)          echo "-r $3" ;;
        filter:none)      echo "-r $3 -q -Y tcp.srcport||udp.srcport" ;;
        filter:portnote)  echo "-r $3 -q -Y portnote.risk" ;;
        filter:lua)       echo "-r $3 -q -Y luanote.risk" ;;
        verbose:*)        echo "-r $3 -V -c $verbose_packets" ;;
    esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs tshark once under /usr/bin/time; prints "wall cpu maxrss_kb".
timed_run() {   # variant, tshark args...
    use_variant "$1"
    shift
    time_tshark "%e %U %S %M" "${VARIANT_ARGS[@]}" "$@" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }'
}

# Median wall, CPU and max RSS over $runs runs.  Prints "wall cpu rss_mb".
measure() {   # variant, tshark args...
    local samples
    samples=$(for _ in $(seq "$runs"); do timed_run "$@"; done)
    printf '%s %s %s\n' "$(echo "$samples" | cut -d' ' -f1 | median)" \
        "$(echo "$samples" | cut -d' ' -f2 | median)" \
        "$(echo "$samples" | cut -d' ' -f3 | median | awk '{ printf "%.0f", $1 / 1024 }')"
}

# Instructions executed inside epan_dissect_run* (per-packet dissection only).
callgrind_ir() {   # variant, tshark args...
    local total own
    use_variant "$1"
    shift
    total=$(callgrind_tshark "${VARIANT_ARGS[@]}" "$@")
    own=$(callgrind_annotate --inclusive=yes "$STAGE/home/callgrind.out" 2>/dev/null \
          | awk '/:dissect_portnote( |$)/ { gsub(/,/, "", $1); if ($1 > max) max = $1 } END { print max + 0 }')
    echo "$total $own"
}

# Notes load time, from portnote's own log line, median of 7 runs.
load_ms() {   # extra tshark args...
    use_variant portnote
    for _ in $(seq 7); do
        pn_tshark -r "$STAGE/pcaps/one.pcap" --log-level info --log-domains portnote "$@" >/dev/null
        grep -o 'in [0-9.]* ms' "$STAGE/stderr" | awk '{ print $2 }'
    done | median
}

echo "benchmark: $packets packets, $runs runs per measurement" >&2
declare -A wall cpu rss ir own
for mode in plain filter verbose; do
    for variant in none portnote lua; do
        echo "  $mode / $variant" >&2
        read -r w c r < <(measure "$variant" $(mode_args "$mode" "$variant" "$BIG"))
        wall[$mode:$variant]=$w cpu[$mode:$variant]=$c rss[$mode:$variant]=$r
        read -r ir[$mode:$variant] own[$mode:$variant] < <(callgrind_ir "$variant" $(mode_args "$mode" "$variant" "$SMALL"))
    done
done

# Memory against capture length: plain and two-pass, a quarter vs all packets.
quarter=$((packets / 4))
for variant in none portnote; do
    echo "  memory / $variant" >&2
    for count in $quarter $packets; do
        rss[plain-$count:$variant]=$(measure "$variant" -r "$BIG" -c "$count" | cut -d' ' -f3)
        rss[twopass-$count:$variant]=$(measure "$variant" -2 -q -r "$BIG" -c "$count" -Y "frame.number==1" | cut -d' ' -f3)
    done
done

echo "  start-up" >&2
awk 'BEGIN { for (i = 0; i < 10000; i++)
               printf "\"%d\",\"tcp\",\"\",\"Service %d\",\"low\",\"trojan\",\"T%d\",\"d\",\"Note %d\",\"s\"\n", 10000 + i, i, i, i }' \
    >"$STAGE/config/portnotes.csv"
chmod a+r "$STAGE/config/portnotes.csv"
load_10k=$(load_ms)
rm "$STAGE/config/portnotes.csv"
load_embedded=$(load_ms)
embedded_rows=$(grep -o '[0-9]* port notes rows' "$STAGE/stderr" | awk '{ print $1 }')

# ---- Report -------------------------------------------------------------------

per_packet() { awk -v ir="$1" -v n="$callgrind_packets" 'BEGIN { printf "%.0f", ir / n }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f%%", (a - b) * 100 / b }'; }
ratio() { awk -v p="$1" -v b="$2" -v l="$3" 'BEGIN { if (l == b) print "n/a"; else if (p <= b) print "none added"; else printf "1/%.1f", (l - b) / (p - b) }'; }
mb_per_m() {   # rss at quarter and full for variant vs baseline -> bytes per packet added
    awk -v pq="$1" -v pf="$2" -v bq="$3" -v bf="$4" -v n="$((packets - quarter))" \
        'BEGIN { printf "%.1f", ((pf - pq) - (bf - bq)) * 1048576 / n }'
}

verdict() {   # value, limit (both numbers; smaller is better)
    awk -v v="$1" -v l="$2" 'BEGIN { if (v <= l) print "**met**"; else printf "**missed** by %.2f points", v - l }'
}
sign() { case "$1" in -*) echo "$1" ;; *) echo "+$1" ;; esac; }
added_pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a - b) * 100 / b }'; }
own_pct() { awk -v o="$1" -v b="$2" 'BEGIN { printf "%.2f", o * 100 / b }'; }
lua_verdict() {   # portnote, baseline, lua
    awk -v p="$1" -v b="$2" -v l="$3" 'BEGIN { if (p <= b) { print "nothing added: **met**"; exit }
        r = (l - b) / (p - b);
        if (r >= 25) printf "1/%.1f: **met**", r; else printf "1/%.1f: **missed** (target 1/25)", r }'
}
targets() {
    local p f
    p=$(added_pct "${ir[plain:portnote]}" "${ir[plain:none]}")
    f=$(added_pct "${ir[filter:portnote]}" "${ir[filter:none]}")
    cat <<EOT
| target | measured | verdict |
|---|---|---|
| plain read: added instructions per packet at most 1% of the baseline | $(sign "$p")% | $(verdict "$p" 1) |
| \`-Y portnote.risk\`: added at most 5% | $(sign "$f")% | $(verdict "$f" 5) |
| added cost at most 1/25 of the Lua peer's, plain | | $(lua_verdict "${ir[plain:portnote]}" "${ir[plain:none]}" "${ir[plain:lua]}") |
| added cost at most 1/25 of the Lua peer's, filter | | $(lua_verdict "${ir[filter:portnote]}" "${ir[filter:none]}" "${ir[filter:lua]}") |
| added cost at most 1/25 of the Lua peer's, \`-V\` | | $(lua_verdict "${ir[verbose:portnote]}" "${ir[verbose:none]}" "${ir[verbose:lua]}") |
| start-up with a 10,000-row file under 50 ms | ${load_10k} ms | $(verdict "$load_10k" 50) |

**Where the cost comes from.** portnote's own code (\`dissect_portnote\`, inclusive of
everything it calls) costs $(own_pct "${own[plain:portnote]}" "${ir[plain:none]}")% of the baseline per packet in plain mode,
$(own_pct "${own[filter:portnote]}" "${ir[filter:none]}")% in filter mode and $(own_pct "${own[verbose:portnote]}" "${ir[verbose:none]}")% with \`-V\`. portnote asks for no fields, so
tshark builds no protocol tree for it; a plain read shows nothing of portnote's, so it turns
itself off for the file (docs/performance.md). The Lua peer asks for the port fields
(\`Field.new\`), which makes tshark build a tree for every packet: most of its added cost
in plain mode. With a filter and with \`-V\` the tree is built anyway, and the comparison is
of the two post-dissectors' own work. The scan and the realistic capture, and where the
filtered read's cost goes: [benchmarks-cost.md](benchmarks-cost.md) (\`bench/compare.sh\`).

**The payload check** is included in every portnote figure, and this capture is its worst
case: nearly every packet is a conversation of its own, so nearly every packet creates a
conversation state and classifies a first payload. \`bench/payload.sh\` measures it alone
([benchmarks-payload.md](benchmarks-payload.md)): once conversations are decided it costs two
comparisons per packet.

**Memory.** portnote keeps nothing per frame: every pass finds a frame's notes afresh
from the ports the transport dissectors leave in the packet's data. It keeps one record
per conversation in its connection table (the two ends, the TCP sequence state that tells
a reused port, the payload check's verdicts and the notes already raised; measured in
[benchmarks-payload.md](benchmarks-payload.md)), which in this capture means per packet.
That is the growth in the table above, small next to Wireshark's own growth per packet
over the same capture.
EOT
}

{
cat <<EOF
# Benchmarks

Measured by \`bench/run.sh --packets $packets --runs $runs\` on $(date -u +%Y-%m-%d), on
this project's machine ($(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB),
$(tshark -v 2>/dev/null | head -1), $(uname -m).
Regenerate with \`bash bench/run.sh\` after \`bash scripts/build.sh\` (about 40 minutes);
this whole file is rewritten, verdicts included.

The capture is made by \`build/mkbench\` (deterministic): $packets packets, 60% TCP and
40% UDP, 20% IPv6, half on seed ports the notes document, half on other server ports
(5001-30000, nearly all undocumented).
Three variants run the same tshark command:

- **baseline**: tshark with no plugin (\`WIRESHARK_PLUGIN_DIR\` pointing at an empty folder);
- **portnote**: the freshly built \`portnote.so\`;
- **Lua peer**: no plugin, \`-X lua_script:bench/portnote.lua\`, a Lua post-dissector
  that does the same lookup the way a Wireshark user would script it.

Every run is unprivileged, with a private empty configuration (\`tests/harness/tshark-stage.sh\`).

## Per-packet cost in instructions (callgrind)

\`valgrind --tool=callgrind --toggle-collect='epan_dissect_run*' tshark ARGS\` on a
$callgrind_packets-packet capture from the same generator: instructions executed inside
per-packet dissection, divided by the packet count, one run each. The counts move by a few
tenths of a percent between runs (Wireshark seeds its hash maps at random); medians of
three runs on the scan and the realistic capture are in [benchmarks-cost.md](benchmarks-cost.md).

| mode | tshark arguments | baseline | portnote | added | Lua peer | Lua added | portnote's added cost vs Lua's |
|---|---|---|---|---|---|---|---|
EOF
for mode in plain filter verbose; do
    b=${ir[$mode:none]} p=${ir[$mode:portnote]} l=${ir[$mode:lua]}
    printf '| %s | `%s` / `%s` | %s | %s | %s | %s | %s | %s |\n' "$mode" \
        "$(mode_args "$mode" portnote FILE)" "$(mode_args "$mode" lua FILE | sed 's/.*-Y/-Y/; s/.*-V.*/same/; s/^-r FILE$/same/')" \
        "$(per_packet "$b")" "$(per_packet "$p")" "$(pct "$p" "$b")" \
        "$(per_packet "$l")" "$(pct "$l" "$b")" "$(ratio "$p" "$b" "$l")"
done
cat <<EOF

(The baseline's filter mode uses \`-Y "tcp.srcport||udp.srcport"\`, which builds the same
tree of port fields without any notes.)

## Wall and CPU time, $packets packets (median of $runs runs)

\`/usr/bin/time -f "%e %U %S %M" tshark ARGS > /dev/null\`; verbose mode reads the first
$verbose_packets packets (\`-c $verbose_packets\`). On this shared 2-core machine these medians move by
several points from one run of the script to the next; the instruction counts above are
the figures to compare.

| mode | baseline wall / CPU s | portnote wall / CPU s | CPU added | Lua peer wall / CPU s | Lua CPU added |
|---|---|---|---|---|---|
EOF
for mode in plain filter verbose; do
    printf '| %s | %s / %s | %s / %s | %s | %s / %s | %s |\n' "$mode" \
        "${wall[$mode:none]}" "${cpu[$mode:none]}" "${wall[$mode:portnote]}" "${cpu[$mode:portnote]}" \
        "$(pct "${cpu[$mode:portnote]}" "${cpu[$mode:none]}")" \
        "${wall[$mode:lua]}" "${cpu[$mode:lua]}" "$(pct "${cpu[$mode:lua]}" "${cpu[$mode:none]}")"
done
cat <<EOF

## Memory

Peak resident memory (max RSS, MiB), median of $runs runs:

| run | baseline | portnote | Lua peer |
|---|---|---|---|
EOF
for mode in plain filter verbose; do
    printf '| %s | %s | %s | %s |\n' "$mode" "${rss[$mode:none]}" "${rss[$mode:portnote]}" "${rss[$mode:lua]}"
done
cat <<EOF

Growth with capture length: max RSS after $quarter and after $packets packets.

| run | baseline ${quarter} / ${packets} | portnote ${quarter} / ${packets} | portnote's own growth, bytes per packet |
|---|---|---|---|
| one pass, \`-r FILE -c N\` | ${rss[plain-$quarter:none]} / ${rss[plain-$packets:none]} | ${rss[plain-$quarter:portnote]} / ${rss[plain-$packets:portnote]} | $(mb_per_m "${rss[plain-$quarter:portnote]}" "${rss[plain-$packets:portnote]}" "${rss[plain-$quarter:none]}" "${rss[plain-$packets:none]}") |
| two pass, \`-2 -q -r FILE -c N -Y frame.number==1\` | ${rss[twopass-$quarter:none]} / ${rss[twopass-$packets:none]} | ${rss[twopass-$quarter:portnote]} / ${rss[twopass-$packets:portnote]} | $(mb_per_m "${rss[twopass-$quarter:portnote]}" "${rss[twopass-$packets:portnote]}" "${rss[twopass-$quarter:none]}" "${rss[twopass-$packets:none]}") |

## Start-up: loading the notes

portnote's own measurement of building the notes database (the built-in notes, plus any
user files), read from its log line (\`--log-level info --log-domains portnote\`), median of 7:

| notes | load time |
|---|---|
| built-in only (${embedded_rows} rows) | ${load_embedded} ms |
| built-in plus a 10,000-row personal portnotes.csv | ${load_10k} ms |

## Targets

$(targets)

The payload check (on by default, included in every portnote figure above) is measured on
its own, with long and one-packet conversations, by \`bash bench/payload.sh\`:
[benchmarks-payload.md](benchmarks-payload.md).
EOF
} >"$out"
echo "wrote $out" >&2
