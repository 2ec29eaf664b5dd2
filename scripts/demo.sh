#!/usr/bin/env bash
# The main job: installs what is missing, builds portnote, and shows it
# annotating a sample capture (without installing the plugin anywhere).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

plugin=$(ls build/plugins/*/epan/portnote.so)
ws_version=$(basename "$(dirname "$(dirname "$plugin")")")
. tests/harness/tshark-stage.sh
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
section "Expert Information, warnings and above, once per conversation (tshark -2 -q -z expert,warn)"
show -r "$capture" -2 -q -z expert,warn
payload=$(pn_stage_file pcaps/payload.pcap)
section 'Traffic that is not what its port says (pcaps/payload.pcap): the frame where each conversation was found out'
show -r "$payload" -Y 'portnote.category in {"protocol-mismatch", "non-standard-port"} && _ws.expert.message matches "(protocol-mismatch|non-standard-port), [a-z0-9]+ payload"' \
    -T fields -E header=y -e frame.number -e tcp.srcport -e tcp.dstport -e udp.dstport \
    -e portnote.port -e portnote.category -e portnote.observed
section 'Risk follows the evidence (tshark -2): genuine HTTP on 80/tcp, where Executor is only context; then SSH on 80/tcp, where it stands'
show -r "$payload" -2 -Y 'tcp.port in {50101, 50111}' -T fields -E header=y -e frame.number \
    -e tcp.srcport -e tcp.dstport -e portnote.max_risk -e portnote.threat -e portnote.also_used_by -e portnote.observed
section "Statistics for review (tshark -2 -q -z portnote,tree), the first lines"
show -r "$capture" -2 -q -z portnote,tree | cut -c1-60 | sed -n '5,20p'
section "Exports: one self-contained summary per note (the README's CSV recipe)"
show -r "$capture" -2 -Y portnote.risk -T fields -E header=y -E separator=, -E quote=d -E aggregator='|' \
    -e frame.number -e ip.src -e ip.dst -e portnote.max_risk -e portnote.summary | head -8
