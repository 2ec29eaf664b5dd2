#!/usr/bin/env bash
# measure-payload.sh: how well portnote's payload check does on real
# captures, per protocol, against Wireshark's own dissection (issue 13).
#
#   bash measure/measure-payload.sh [--plugin SO] [--out FILE] [--labels CSV]
#                                   [--protocols LIST] [--no-corpus] [CAPTURE...]
#
# Defaults: the freshly built build/plugins/*/epan/portnote.so; the report
# in docs/payload-measure.md (--out - prints it); the labels in
# tests/data/payload-labels.csv; the protocols the plugin recognises read
# from the plugin itself (--protocols ssh,http,... to say otherwise); the
# captures pcaps/*.pcap* plus every capture in ../shared/pcaps/,
# ../shared/pcaps/protocols/ and ../shared/pcaps/zeek-corpus/ (616 captures
# of Zeek's test suite; --no-corpus leaves it out, for a quick run);
# skipped, saying so, when absent.
#
# Per protocol: the flows (TCP/UDP streams) carrying it on its own port and
# how many portnote confirmed; the flows carrying it on a port not its own
# and how many portnote found (a protocol-mismatch or non-standard-port
# finding naming it); the wrong findings (a confirmation or a finding naming
# a protocol the flow is not).  Then every missed flow and every wrong
# finding, the flows not counted and why, the labels applied.
#
# Ground truth: each capture is read twice with tshark -2: once with
# portnote disabled (-T fields: streams, ports, payload lengths,
# frame.protocols), once with it (-T json of the portnote layer: each
# note's evidence, verdict and observed protocol); frame numbers join the
# two.  A flow's protocol is the first Wireshark decoded in a frame with
# payload, mapped to portnote's names; a row of the labels file (capture
# file name, transport, stream, protocol, reason) overrides it, for flows
# Wireshark cannot decode because the port is not the protocol's.  Details
# in measure/measure-payload.py.
#
# A measurement, not a test: exits non-zero only on errors (no plugin, a
# tshark failure, an unreadable capture), never on the figures.
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED_DIR="$ROOT/../shared/pcaps"
PY="$ROOT/measure/measure-payload.py"
# The truth pass's fields: keep in step with TRUTH_FIELDS in measure-payload.py.
TRUTH_FIELDS=(frame.number frame.protocols tcp.stream udp.stream tcp.srcport tcp.dstport
              udp.srcport udp.dstport tcp.len udp.length tcp.flags.syn)

fail() { echo "measure-payload: $*" >&2; exit 1; }
say() { echo "measure-payload: $*" >&2; }

usage() {
    sed -n '2,13s/^# \{0,1\}//p' "$0"
    exit "${1:-0}"
}

# ---- Arguments and defaults ------------------------------------------------

PLUGIN=""
OUT="$ROOT/docs/payload-measure.md"
LABELS="$ROOT/tests/data/payload-labels.csv"
PROTOCOLS=""
CORPUS=1
CAPTURES=()
# The command line as the report shows it (arguments quoted for the shell).
COMMAND="measure/measure-payload.sh"
for arg in "$@"; do COMMAND+=" $(printf '%q' "$arg")"; done

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --plugin) [ $# -ge 2 ] || usage 2; PLUGIN=$2; shift 2 ;;
            --plugin=*) PLUGIN=${1#--plugin=}; shift ;;
            --out) [ $# -ge 2 ] || usage 2; OUT=$2; shift 2 ;;
            --out=*) OUT=${1#--out=}; shift ;;
            --labels) [ $# -ge 2 ] || usage 2; LABELS=$2; shift 2 ;;
            --labels=*) LABELS=${1#--labels=}; shift ;;
            --protocols) [ $# -ge 2 ] || usage 2; PROTOCOLS=$2; shift 2 ;;
            --protocols=*) PROTOCOLS=${1#--protocols=}; shift ;;
            --no-corpus) CORPUS=0; shift ;;
            -h|--help) usage 0 ;;
            --) shift; CAPTURES+=("$@"); break ;;
            -*) echo "unknown option: $1" >&2; usage 2 ;;
            *) CAPTURES+=("$1"); shift ;;
        esac
    done
}


# The name a capture gets in the report: its path relative to the repository.
capture_label() {
    python3 -I -S -c 'import os, sys; print(os.path.relpath(os.path.abspath(sys.argv[1]), sys.argv[2]))' "$1" "$ROOT"
}

# ---- tshark ------------------------------------------------------------------

# shellcheck source=tests/harness/tshark-stage.sh
. "$ROOT/tests/harness/tshark-stage.sh"

TSHARK_VERSION=""

# run_tshark OUT ARGS...: tshark (as nobody when root, private configuration)
# with stdout in OUT; stops the script when tshark fails or complains.
run_tshark() { pn_run_tshark "$@" || fail "tshark failed"; }

# measure_capture N PATH: the two passes of one capture, as a manifest line.
measure_capture() {
    local n=$1 path=$2 label staged field args=()
    [ -r "$path" ] || fail "cannot read $path"
    label=$(capture_label "$path")
    say "measuring $label"
    staged=$(pn_stage_file "$path")
    for field in "${TRUTH_FIELDS[@]}"; do args+=(-e "$field"); done
    run_tshark "$STAGE/truth.$n.tsv" -r "$staged" -2 --disable-protocol portnote \
        -T fields -E occurrence=l -E separator=/t "${args[@]}"
    run_tshark "$STAGE/notes.$n.json" -r "$staged" -2 -T json -J "frame portnote"
    rm -f "$staged"
    printf '%s\t%s\t%s\n' "$label" "$STAGE/truth.$n.tsv" "$STAGE/notes.$n.json" >>"$STAGE/manifest.tsv"
}

# add_corpus DIR: appends DIR's captures to CAPTURES (nothing when absent).
add_corpus() {
    shopt -s nullglob
    CAPTURES+=("$1"/*.pcap "$1"/*.pcapng "$1"/*.pcap.gz "$1"/*.pcapng.gz)
    shopt -u nullglob
}

main() {
    parse_args "$@"
    command -v python3 >/dev/null || fail "python3 is needed"
    if [ -z "$PLUGIN" ]; then
        PLUGIN=$(pn_built_plugin "$ROOT") || exit 1
    fi
    [ -f "$PLUGIN" ] || fail "no plugin at $PLUGIN"
    if [ ${#CAPTURES[@]} = 0 ]; then
        pn_default_captures "$ROOT" "$SHARED_DIR"
        [ "$CORPUS" = 0 ] || add_corpus "$SHARED_DIR/zeek-corpus"
    fi
    [ ${#CAPTURES[@]} -gt 0 ] || fail "no captures to measure"
    TSHARK_VERSION=$(pn_tshark_release)
    pn_stage_checked "$PLUGIN" || fail "cannot stage the plugin"
    : >"$STAGE/manifest.tsv"
    local n=0 capture revision=""
    for capture in "${CAPTURES[@]}"; do
        n=$((n + 1))
        measure_capture "$n" "$capture"
    done
    revision=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || true)
    local out=$OUT
    [ "$out" = - ] || out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
    python3 -I -S "$PY" --plugin "$PLUGIN" --plugin-label "$(capture_label "$PLUGIN")" \
        --revision "$revision" --tshark-version "$TSHARK_VERSION" \
        --labels "$LABELS" --protocols "$PROTOCOLS" --command "$COMMAND" \
        --out "$out" "$STAGE/manifest.tsv"
    [ "$out" = - ] || say "wrote $(capture_label "$out")"
}

main "$@"
