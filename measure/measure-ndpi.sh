#!/usr/bin/env bash
# measure-ndpi.sh: portnote's payload verdicts beside a peer's, nDPI
# (Debian's libndpi-bin, ndpiReader), flow by flow (issue 20, "Measure it").
#
#   bash measure/measure-ndpi.sh [--plugin SO] [--out FILE] [CAPTURE...]
#
# Defaults: the built plugin; the report on stdout; the captures of
# ../shared/pcaps, its protocols/ and zeek-corpus/.  For every TCP/UDP flow
# nDPI names by its payload (confidence "DPI", not a port guess), the
# report counts, per nDPI protocol that is one of portnote's: flows on the
# protocol's own port (portnote's table) and how many portnote confirmed,
# flows elsewhere and how many portnote found (a protocol-mismatch or
# non-standard-port finding naming it), and flows where portnote named
# another protocol.  A measurement, not a test.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED_DIR="$ROOT/../shared/pcaps"
PLUGIN="" OUT=- CAPTURES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --plugin) PLUGIN=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) CAPTURES+=("$1"); shift ;;
    esac
done
command -v ndpiReader >/dev/null || { echo "measure-ndpi: ndpiReader missing (apt-get install libndpi-bin)" >&2; exit 1; }
# shellcheck source=tests/harness/tshark-stage.sh
. "$ROOT/tests/harness/tshark-stage.sh"
[ -n "$PLUGIN" ] || PLUGIN=$(pn_built_plugin "$ROOT")
if [ ${#CAPTURES[@]} = 0 ]; then
    shopt -s nullglob
    for dir in "$SHARED_DIR" "$SHARED_DIR/protocols" "$SHARED_DIR/zeek-corpus"; do
        CAPTURES+=("$dir"/*.pcap "$dir"/*.pcapng "$dir"/*.pcap.gz "$dir"/*.pcapng.gz)
    done
    shopt -u nullglob
fi
pn_stage_checked "$PLUGIN" || exit 1
: >"$STAGE/manifest.tsv"
n=0
for capture in "${CAPTURES[@]}"; do
    n=$((n + 1))
    staged=$(pn_stage_file "$capture")
    # ndpiReader reads plain pcap/pcapng only
    case "$capture" in *.gz) gzip -dc "$capture" >"$STAGE/plain.$n" ;; *) cp "$capture" "$STAGE/plain.$n" ;; esac
    ndpiReader -q -i "$STAGE/plain.$n" -v 2 >"$STAGE/ndpi.$n.txt" 2>/dev/null || true
    pn_tshark -r "$staged" -2 -Y "portnote.evidence == \"payload\"" -T fields -E separator=/t -E occurrence=a \
        -E aggregator=';' -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e tcp.srcport -e tcp.dstport \
        -e udp.srcport -e udp.dstport -e portnote.observed -e portnote.category >"$STAGE/pn.$n.tsv" 2>/dev/null || true
    rm -f "$staged" "$STAGE/plain.$n"
    printf '%s\t%s\t%s\n' "$capture" "$STAGE/ndpi.$n.txt" "$STAGE/pn.$n.tsv" >>"$STAGE/manifest.tsv"
done
python3 -I -S "$ROOT/measure/measure-ndpi.py" --own-ports "$(dirname "$(dirname "$(dirname "$(dirname "$PLUGIN")")")")/own-ports" \
    "$STAGE/manifest.tsv" >"${OUT/#-//dev/stdout}"
