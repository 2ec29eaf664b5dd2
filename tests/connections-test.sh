#!/usr/bin/env bash
# PortNote's own connection table against Wireshark's, over every capture of
# the repository (pcaps/) and of the shared real captures (PN_SHARED_PCAPS:
# its top level, protocols/ and zeek-corpus/; skipped, saying so, when absent).
#
#   connections-test.sh streams   portnote.connection (hidden: the frame that
#       started PortNote's record of the packet's TCP connection) and
#       tcp.stream name the same connections: a bijection per capture, in one
#       pass (headers from the tree) and in two (-2: the first pass builds the
#       table without a tree, the second looks each frame's record up).
#   connections-test.sh roles     each TCP connection whose SYN is seen has
#       the SYN's destination as server: in -z portnote,findings, no row names
#       its sender as server; and every one of its packets carries the server
#       port's note and not the client port's (both passes).
#
# Environment (set by ctest): PN_SOURCE_DIR, PN_PLUGIN, PN_WS_VERSION,
# PN_SHARED_PCAPS; PN_JOBS (2) tshark runs at once.
set -euo pipefail

# ---- One capture (run by xargs, PN_CHILD=1) ------------------------------------

# The check of one capture prints "ok NAME DETAIL" or "FAIL NAME: WHY".
check_streams() {   # capture, label, tshark options...
    local capture=$1 label=$2 out
    shift 2
    pn_command tshark -r "$capture" "$@" -Y portnote.connection -T fields -E occurrence=l \
        -e tcp.stream -e portnote.connection
    out=$("${PN_CMD[@]}" 2>/dev/null) || { echo "FAIL $label: tshark failed"; return; }
    echo "$out" | awk -v label="$label" '
        $1 == "" || $2 == "" { next }
        { if (($1 in conn) && conn[$1] != $2) { bad = "tcp.stream " $1 " is portnote.connection " conn[$1] " and " $2; exit }
          if (($2 in stream) && stream[$2] != $1) { bad = "portnote.connection " $2 " is tcp.stream " stream[$2] " and " $1; exit }
          if (!($1 in conn)) n++
          conn[$1] = $2; stream[$2] = $1 }
        END { if (bad) print "FAIL " label ": " bad; else print "ok " label " " n + 0 " connections" }'
}

# Per packet: stream, SYN/ACK flags, source and destination port, then
# PortNote's notes (port, role, is it the source) after two passes; then the
# findings.  The SYN's destination port is the server port.
check_roles() {   # capture, label
    local capture=$1 label=$2 out
    pn_command tshark -r "$capture" -2 -T fields -E occurrence=a -E aggregator='|' \
        -e tcp.stream -e tcp.flags.syn -e tcp.flags.ack -e tcp.srcport -e tcp.dstport \
        -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e portnote.connection -e portnote.port \
        -e portnote.transport -e portnote.role -z portnote,findings
    out=$("${PN_CMD[@]}" 2>/dev/null) || { echo "FAIL $label: tshark failed"; return; }
    echo "$out" | python3 "$PN_SOURCE_DIR/tests/connection-roles.py" "$label"
}

# check CAPTURE LABEL: the mode's checks of one capture.
check() {
    case "$PN_MODE" in
        streams) check_streams "$1" "$2"; check_streams "$1" "$2 (-2)" -2 ;;
        roles)   check_roles "$1" "$2" ;;
    esac
}

# check_batch FILE...: the captures concatenated into one (tshark starts
# once, which costs more than reading most of them); when the batch fails,
# or cannot be merged, each capture alone, to name the ones that fail.
check_batch() {
    local batch result
    batch=$(mktemp "$STAGE/batches/batch.XXXXXX")
    if mergecap -a -F pcapng -w "$batch" "$@" 2>/dev/null; then
        chmod a+r "$batch"
        result=$(check "$batch" "batch of $# from ${1#"$STAGE/pcaps/"}")
        rm -f "$batch"
        if ! echo "$result" | grep -q '^FAIL'; then
            echo "$result" | sed "s/^ok /ok $# captures: /"
            return
        fi
    fi
    rm -f "$batch"
    for capture in "$@"; do
        check "$capture" "${capture#"$STAGE/pcaps/"}"
    done
}

if [ "${PN_CHILD:-}" = 1 ]; then
    # shellcheck source=harness/tshark-stage.sh
    . "$PN_SOURCE_DIR/tests/harness/tshark-stage.sh"
    check_batch "$@"
    exit 0
fi

# ---- All captures ----------------------------------------------------------------

mode=${1:?usage: connections-test.sh streams|roles}
# shellcheck source=harness/tshark-stage.sh
. "$PN_SOURCE_DIR/tests/harness/tshark-stage.sh"
pn_stage "$PN_PLUGIN" "$PN_WS_VERSION"

# folder to read, and its name in the stage (and in the results)
shopt -s nullglob
dirs=("$PN_SOURCE_DIR/pcaps" repo)
if [ -d "${PN_SHARED_PCAPS:-}" ]; then
    dirs+=("$PN_SHARED_PCAPS" shared "$PN_SHARED_PCAPS/protocols" shared/protocols
           "$PN_SHARED_PCAPS/zeek-corpus" shared/zeek-corpus)
else
    echo "# no ${PN_SHARED_PCAPS:-shared captures}: the repository's captures only"
fi
count=0
for ((i = 0; i < ${#dirs[@]}; i += 2)); do
    dir=${dirs[i]}
    [ -d "$dir" ] || continue
    sub=$STAGE/pcaps/${dirs[i + 1]}
    mkdir -p "$sub"
    for f in "$dir"/*.pcap "$dir"/*.pcapng "$dir"/*.pcap.gz "$dir"/*.pcapng.gz; do
        cp "$f" "$sub/"
        count=$((count + 1))
    done
done
shopt -u nullglob
chmod -R a+rX "$STAGE/pcaps"
[ "$count" -gt 0 ] || { echo "no captures"; exit 77; }

mkdir "$STAGE/batches"
results=$(find "$STAGE/pcaps" -type f | sort |
          PN_CHILD=1 PN_MODE=$mode STAGE=$STAGE xargs -d '\n' -n "${PN_BATCH:-40}" -P "${PN_JOBS:-2}" bash "$0")
failures=$(echo "$results" | grep '^FAIL' || true)
echo "$results" | awk '/^ok/ { n++; c += $(NF - 1) } END { print "# " n " checks passed, " c + 0 " connections" }'
checked=$(echo "$results" | awk '/^ok/ { c += $(NF - 1) } END { print c + 0 }')
[ "$checked" -gt 0 ] || failures+="FAIL: no connection checked (is portnote.connection missing?)"
if [ -n "$failures" ]; then
    echo "$failures"
    echo "FAIL: $(echo "$failures" | wc -l) of $(echo "$results" | wc -l) checks ($mode)" >&2
    exit 1
fi
echo "# $mode: all $count captures agree"
