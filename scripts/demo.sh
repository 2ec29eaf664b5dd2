#!/usr/bin/env bash
# The main job: installs what is missing, builds portnote, and shows it
# annotating a sample capture (without installing the plugin anywhere).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

plugin=$(ls build/plugins/*/epan/portnote.so)
ws_version=$(basename "$(dirname "$(dirname "$plugin")")")
. scripts/tshark-stage.sh
pn_stage "$plugin" "$ws_version"
capture=$(pn_stage_file pcaps/seed.pcap)

section() { printf '\n==== %s\n' "$*"; }
show() { pn_tshark "$@"; cat "$STAGE/stderr" >&2; }

section "tshark -G plugins (the freshly built plugin)"
show -G plugins | grep portnote
section "Packet details of a Telnet SYN (tshark -V -O portnote)"
show -r "$capture" -V -O portnote -Y 'tcp.dstport == 23 && tcp.flags.syn == 1 && tcp.flags.ack == 0' \
    | grep -v '^ *\[Expert Info\|^ *\[Severity\|^ *\[Group'
section 'Packets with a high or critical warning: tshark -Y '\''portnote.risk >= "high"'\'''
show -r "$capture" -Y 'portnote.risk >= "high"' -T fields -E header=y \
    -e frame.number -e ip.src -e ip.dst -e portnote.port -e portnote.transport \
    -e portnote.role -e portnote.service -e portnote.risk -e portnote.threat
section "Expert Information, warnings and above (tshark -q -z expert,warn)"
show -r "$capture" -q -z expert,warn
payload=$(pn_stage_file pcaps/payload.pcap)
section 'Traffic that is not what its port says (pcaps/payload.pcap): the frame where each direction was found out'
show -r "$payload" -Y 'portnote.category in {"protocol-mismatch", "non-standard-port"} && (portnote.protocol_mismatch || portnote.non_standard_port || portnote.non_standard_port.low)' \
    -T fields -E header=y -e frame.number -e tcp.srcport -e tcp.dstport -e udp.dstport \
    -e portnote.port -e portnote.category -e portnote.observed
