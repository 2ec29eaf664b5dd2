#!/usr/bin/env bash
# Memcheck tier: tshark with the plugin under valgrind over the sample
# captures (one pass with the full tree, one two-pass with the statistics
# tree, the findings, the services view and table).  Fails on any memcheck
# error, or definite leak, whose stack passes through portnote's code;
# Wireshark's own are not ours to judge here.
# Environment: PN_SOURCE_DIR, PN_PLUGIN, PN_WS_VERSION.
set -euo pipefail
. "$PN_SOURCE_DIR/tests/harness/tshark-stage.sh"
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 77; }

pn_stage "$PN_PLUGIN" "$PN_WS_VERSION"
# Runs tshark under valgrind; the log goes where the (unprivileged) tshark can write.
vg_tshark() {   # log, tshark arguments...
    local log=$1
    shift
    local PN_EXTRA_ENV=(G_SLICE=always-malloc)
    local PN_TSHARK_WRAPPER=(valgrind --tool=memcheck --keep-debuginfo=yes --leak-check=full
                             --show-leak-kinds=definite --errors-for-leak-kinds=definite
                             --num-callers=40 --log-file="$log")
    pn_tshark "$@" >/dev/null
}

# Prints the memcheck reports (errors and definite leaks) with a stack frame
# in portnote's sources.  A report is a "==PID== text" line and its frames.
# The nodes of a statistics tree are Wireshark's, made when portnote-stats.c
# counts: tshark 4.0's -z for statistics trees never frees its tree (no
# finish callback), so they are lost at exit whatever the plugin does.
ours() {
    awk 'function wiresharks(b) { return b ~ /definitely lost/ && b ~ /by 0x[0-9A-F]+: stats_tree_(manip_node|create)/ }
         function flush() { if (block ~ /\((packet-portnote|portnote-[a-z-]+|plugin)\.c:[0-9]+\)/ && !wiresharks(block)) print block "\n" }
         /^==[0-9]+== [^ ]/      { flush(); block = $0; next }
         /^==[0-9]+== +(at|by) / { block = block "\n" $0; next }
                                 { flush(); block = "" }
         END                     { flush() }' "$1"
}

failed=0
for capture in "$PN_SOURCE_DIR"/pcaps/*.pcap; do
    staged=$(pn_stage_file "$capture")
    name=$(basename "$capture" .pcap)
    for mode in "-V" "-2 -q -z portnote,tree -z portnote,findings -z portnote,services -z portnote,services-table"; do
        log="$STAGE/home/vg-$name-${mode//[^a-z0-9]/}.log"
        vg_tshark "$log" -r "$staged" $mode || { echo "FAIL: tshark failed under valgrind ($name $mode)" >&2; cat "$STAGE/stderr" >&2; failed=1; continue; }
        grep -q 'ERROR SUMMARY' "$log" || { echo "FAIL: no valgrind summary for $name" >&2; failed=1; continue; }
        reports=$(ours "$log")
        if [ -n "$reports" ]; then
            echo "FAIL: memcheck reports in portnote's code ($name, tshark $mode):" >&2
            echo "$reports" | head -60 >&2
            failed=1
        fi
        echo "# $name ($mode): $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$log") in all of tshark, none in portnote"
    done
done
exit $failed
