#!/usr/bin/env bash
# measure-findings.sh: how many of portnote's warnings an analyst can trust,
# per capture.  A Markdown table (one row per capture and a totals row) on
# stdout; --tsv prints the same figures tab-separated instead.
#
#   bash measure/measure-findings.sh [--plugin PATH/TO/portnote.so] [--tsv] [CAPTURES...]
#
# Defaults: the freshly built build/plugins/*/epan/portnote.so, and the
# captures pcaps/*.pcap plus the shared real captures in ../shared/pcaps/
# (top level and protocols/) when that folder exists.  The shared captures
# are read where they are (staged in a temporary folder, never copied into
# the repository).
#
# Every figure is measured twice: one pass (tshark's default) and two passes
# (tshark -2, what Wireshark's GUI shows once a file is loaded), because a
# design where a conversation's payload verdict reaches back to the packets
# before the payload shows up only in the second pass.
#
# Columns (per capture; the totals row sums them):
#   packets       frames in the capture.
#   selected      frames the display filter `portnote.risk` selects (what
#                 -Y portnote.risk prints): frames with a portnote.risk field.
#   sel. convs    distinct conversations among the selected frames (see
#                 "Conversations" below).
#   expert E/W/N/C  Expert Info items whose protocol is PortNote, by severity
#                 (Error, Warning, Note, Chat), as Wireshark's Expert Info
#                 dialog counts them (tshark -z expert; see expert_counts).
#   confirmed     distinct conversations with a note whose payload confirmed
#                 the port's protocol: a portnote item with
#                 portnote.evidence == "payload" that is not a finding.
#   findings      distinct conversations with a payload finding: a portnote
#                 item with portnote.evidence == "payload" and a finding
#                 category (FINDING_CATEGORIES below).
#
# Conversations: a frame belongs to the conversation of its innermost TCP or
# UDP layer (the last top-level tcp/udp layer of the dissection, so the inner
# TCP of a VXLAN tunnel, not the outer UDP; the TCP/UDP header quoted inside
# an ICMP error is nested under icmp and does not count), keyed by tcp.stream
# or udp.stream, the conversation the payload check itself follows.  A frame
# with neither (SCTP) is keyed by its innermost IP address pair and SCTP
# ports, sorted so both directions meet; a frame without any of these by its
# innermost address pair.  The keys come from the two-pass dissection and
# serve both modes (in one pass, a dissector expecting a reply, like SNMP's,
# can give a request and its reply different udp.stream numbers; a frame's
# conversation should not change with the mode).  Conversations are counted
# per capture; the totals row adds them up.
#
# Why JSON for the notes: a packet can carry several portnote items (both
# ports of a layer, or a port's own note next to a finding on the same
# port), and portnote.category repeats within an item.  `-T fields` flattens
# all items of a packet into one list, so it cannot say which item a
# category or an evidence belongs to; `-T json` keeps each item apart.
#
# Fails (non-zero) when tshark fails on a capture or writes anything to stderr.
set -euo pipefail
# Failures inside $(...) (a measuring function) stop the script too.
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED_DIR="$ROOT/../shared/pcaps"
# A portnote item with one of these categories is a payload finding (today's
# plugin: protocol-mismatch comes with non-standard-port, or the latter alone).
FINDING_CATEGORIES="protocol-mismatch,non-standard-port"
# The layers the JSON pass keeps: enough for the conversation key and the
# notes (frame for the frame number).
JSON_LAYERS="frame ip ipv6 tcp udp sctp portnote"

fail() { echo "measure-findings: $*" >&2; exit 1; }
say() { echo "measure-findings: $*" >&2; }

usage() {
    sed -n '2,12s/^# \{0,1\}//p' "$0"
    exit "${1:-0}"
}

# ---- Arguments and defaults ------------------------------------------------

PLUGIN=""
FORMAT=markdown
CAPTURES=()

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --plugin) [ $# -ge 2 ] || usage 2; PLUGIN=$2; shift 2 ;;
            --plugin=*) PLUGIN=${1#--plugin=}; shift ;;
            --tsv) FORMAT=tsv; shift ;;
            -h|--help) usage 0 ;;
            --) shift; CAPTURES+=("$@"); break ;;
            -*) echo "unknown option: $1" >&2; usage 2 ;;
            *) CAPTURES+=("$1"); shift ;;
        esac
    done
}

default_plugin() {
    pn_built_plugin "$ROOT" || exit 1
}


# The name a capture gets in the table: its path relative to the repository.
capture_label() {
    case "$1" in
        "$ROOT"/*) echo "${1#"$ROOT"/}" ;;
        *) echo "$1" ;;
    esac
}

# ---- tshark ------------------------------------------------------------------

# shellcheck source=tests/harness/tshark-stage.sh
. "$ROOT/tests/harness/tshark-stage.sh"

# run_tshark OUT ARGS...: tshark (as nobody when root, private configuration)
# with stdout in OUT; stops the script when tshark fails or complains.
run_tshark() { pn_run_tshark "$@" || fail "tshark failed"; }

# ---- Measuring -------------------------------------------------------------

# measure_mode CAPTURE OUT_PREFIX [-2]: the two tshark passes of one mode:
# the Expert Info report (OUT_PREFIX.expert) and the JSON dissection
# (OUT_PREFIX.json: conversations, notes and selection; see dissection()).
measure_mode() {
    local capture=$1 out=$2
    shift 2   # the rest: tshark's pass options (none, or -2)
    run_tshark "$out.expert" -r "$capture" "$@" -q -z expert
    run_tshark "$out.json" -r "$capture" "$@" -T json -J "$JSON_LAYERS"
}

# measure_capture PATH: one TSV row, each figure one-pass then two-pass.
measure_capture() {
    local path=$1 label staged
    label=$(capture_label "$path")
    [ -r "$path" ] || fail "cannot read $path"
    say "measuring $label"
    staged=$(pn_stage_file "$path")
    measure_mode "$staged" "$STAGE/one"
    measure_mode "$staged" "$STAGE/two" -2
    # -I -S: no site packages (only json and re are needed; starts faster).
    python3 -I -S -c "$SUMMARISE_PY" "$ROOT/measure" "$label" "$FINDING_CATEGORIES" \
        "$STAGE/one.json" "$STAGE/one.expert" "$STAGE/two.json" "$STAGE/two.expert"
    # The JSON of a long capture is large (tcp.payload is in it): not kept.
    rm -f "$staged" "$STAGE"/one.* "$STAGE"/two.*
}

# SUMMARISE_PY LABEL CATEGORIES JSON1 EXPERT1 JSON2 EXPERT2: the TSV row of
# a capture from its one-pass and two-pass outputs.
# shellcheck disable=SC2016
SUMMARISE_PY='
import json, re, sys

sys.path.insert(0, sys.argv[1])
from tshark_json import packets, get, values

label, categories = sys.argv[2:4]
FINDING = set(categories.split(","))
SEVERITIES = {"Errors": 0, "Warns": 1, "Notes": 2, "Chats": 3}

def fail(message):
    sys.exit("measure-findings: %s: %s" % (label, message))

def conversation(frame, layers):
    """The conversation key of a frame (see the script header)."""
    inner_tcp_udp, inner_net, sctp = None, None, None
    for name, layer in layers:
        if not isinstance(layer, list):
            continue
        if name in ("tcp", "udp"):
            inner_tcp_udp = (name, values(layer, name + ".stream"))
        elif name == "ip":
            inner_net = values(layer, "ip.src") + values(layer, "ip.dst")
        elif name == "ipv6":
            inner_net = values(layer, "ipv6.src") + values(layer, "ipv6.dst")
        elif name == "sctp":
            sctp = (inner_net, values(layer, "sctp.srcport") + values(layer, "sctp.dstport"))
    if inner_tcp_udp and inner_tcp_udp[1]:
        return "%s stream %s" % (inner_tcp_udp[0], inner_tcp_udp[1][0])
    if sctp and sctp[0] and len(sctp[0]) == 2 and len(sctp[1]) == 2:
        (src, dst), (sport, dport) = sctp
        return "sctp " + " ".join(sorted(["%s:%s" % (src, sport), "%s:%s" % (dst, dport)]))
    if inner_net and len(inner_net) == 2:
        return "addresses " + " ".join(sorted(inner_net))
    return "frame %s" % frame

def dissection(path):
    """Per frame of one -T json pass: (frame number, conversation key,
    selected, has a payload confirmation, has a payload finding).  The JSON
    holds every field of the tree, hidden ones included (ip.addr and
    tcp.port are there), so a frame with a portnote.risk field is exactly a
    frame the display filter portnote.risk selects: no -Y pass is needed."""
    frames = []
    for packet in packets(path):
        layers = get(get(packet, "_source")[0], "layers")[0]
        frame = values(get(layers, "frame")[0], "frame.number")[0]
        # One portnote item per note (until 91f6451), or one per packet
        # holding a portnote.summary_tree per note (since).
        notes = [tree for item in get(layers, "portnote")
                 for tree in (get(item, "portnote.summary_tree") or [item])]
        selected = any(values(note, "portnote.risk") for note in notes)
        confirmed = finding = False
        for note in notes:
            if "payload" not in values(note, "portnote.evidence"):
                continue
            if FINDING & set(values(note, "portnote.category")):
                finding = True
            else:
                confirmed = True
        frames.append((frame, conversation(frame, layers), selected, confirmed, finding))
    return frames

def figures(frames, conv_of):
    """packets, selected, selected conversations, confirmed conversations,
    finding conversations."""
    def convs(i):
        return len({conv_of[f[0]] for f in frames if f[i]})
    return [len(frames), sum(1 for f in frames if f[2]), convs(2), convs(3), convs(4)]

def expert_counts(path):
    """PortNote items by severity from tshark -q -z expert.  The report has
    a section per severity ("Warns (30)") and rows "Frequency Group
    Protocol  Summary" (printf %12u %10s %18s, two spaces, summary): the
    protocol is whatever stands between the group word and the first double
    space.  This is the count the Expert Info dialog shows, wherever in the
    tree the item sits; the -T fields expert fields do not say which protocol
    raised an item.  Each section must add up to its header, or the report
    was misread."""
    counts, section, expected, total = [0, 0, 0, 0], None, 0, 0
    def close():
        if section is not None and total != expected:
            fail("%s: section %s adds up to %d, not %d" % (path, section, total, expected))
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        head = re.match(r"^(\w+) \((\d+)\)$", line)
        row = re.match(r"^ *(\d+) +(\S+) +(.+?)  (.*)$", line)
        if head:
            close()
            section, expected, total = head.group(1), int(head.group(2)), 0
        elif row and section is not None:
            total += int(row.group(1))
            if row.group(3) == "PortNote":
                if section not in SEVERITIES:
                    fail("%s: PortNote items under an unknown severity %s" % (path, section))
                counts[SEVERITIES[section]] += int(row.group(1))
        elif line.strip() and not re.match(r"^=+$|^ *Frequency +Group +Protocol +Summary$", line):
            fail("%s: unexpected line in the expert report: %s" % (path, line))
    close()
    return counts

one_frames, two_frames = dissection(sys.argv[4]), dissection(sys.argv[6])
if [f[0] for f in one_frames] != [f[0] for f in two_frames]:
    fail("one pass and two passes do not show the same frames")
# Both modes count conversations with the keys of the two-pass dissection:
# in one pass, a dissector that sets up a conversation for an expected reply
# (SNMP) can give a request and its reply different udp.stream numbers; the
# second pass has the settled numbering, and a frame should not change
# conversation with the mode.
conv_of = {f[0]: f[1] for f in two_frames}
modes = []
for frames, expert_path in ((one_frames, sys.argv[5]), (two_frames, sys.argv[7])):
    d = figures(frames, conv_of)
    modes.append(d[:3] + expert_counts(expert_path) + d[3:])
one, two = modes
print("\t".join([label, str(one[0])] + [str(v) for pair in zip(one[1:], two[1:]) for v in pair]))
'

TSV_HEADER="capture	packets	selected_1p	selected_2p	selected_convs_1p	selected_convs_2p	expert_error_1p	expert_error_2p	expert_warning_1p	expert_warning_2p	expert_note_1p	expert_note_2p	expert_chat_1p	expert_chat_2p	confirmed_convs_1p	confirmed_convs_2p	finding_convs_1p	finding_convs_2p"

# Rows on stdin (TSV, header first); appends the totals row.
add_totals() {
    awk -F'\t' -v OFS='\t' '
        { print }
        NR > 1 { for (i = 2; i <= NF; i++) sum[i] += $i; n = NF }
        END { if (NR > 1) { line = "total"; for (i = 2; i <= n; i++) line = line OFS sum[i]; print line } }'
}

# TSV with totals on stdin -> Markdown table: one-pass / two-pass in a cell.
markdown() {
    awk -F'\t' '
        NR == 1 {
            print "| capture | packets | selected packets | selected conversations | PortNote Expert Info, one pass (E/W/N/C) | PortNote Expert Info, two passes (E/W/N/C) | payload-confirmed conversations | payload-finding conversations |"
            print "|---|--:|--:|--:|--:|--:|--:|--:|"
            next
        }
        { name = ($1 == "total") ? "**total**" : "`" $1 "`"
          printf "| %s | %s | %s / %s | %s / %s | %s/%s/%s/%s | %s/%s/%s/%s | %s / %s | %s / %s |\n",
                 name, $2, $3, $4, $5, $6, $7, $9, $11, $13, $8, $10, $12, $14, $15, $16, $17, $18 }'
    echo
    echo "Cells with two figures: one pass / two passes (tshark -2, what the GUI shows)."
    echo "E/W/N/C: Expert Info items raised by PortNote, by severity Error/Warning/Note/Chat."
}

main() {
    parse_args "$@"
    if [ -z "$PLUGIN" ]; then
        PLUGIN=$(default_plugin)
    fi
    [ -f "$PLUGIN" ] || fail "no plugin at $PLUGIN"
    if [ ${#CAPTURES[@]} = 0 ]; then
        pn_default_captures "$ROOT" "$SHARED_DIR"
    fi
    [ ${#CAPTURES[@]} -gt 0 ] || fail "no captures to measure"
    command -v python3 >/dev/null || fail "python3 is needed"
    pn_stage_checked "$PLUGIN" || fail "cannot stage the plugin"
    local table="$STAGE/table.tsv" capture
    echo "$TSV_HEADER" >"$table"
    for capture in "${CAPTURES[@]}"; do
        measure_capture "$capture" >>"$table"
    done
    if [ "$FORMAT" = tsv ]; then
        add_totals <"$table"
    else
        add_totals <"$table" | markdown
    fi
}

main "$@"
