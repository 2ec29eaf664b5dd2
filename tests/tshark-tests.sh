#!/usr/bin/env bash
# tshark-driven tests of the PortNote plugin, run by ctest (tests/CMakeLists.txt).
#
#   tshark-tests.sh CASE [ARG]     run one test case (see the case list at the end)
#   tshark-tests.sh update-golden  rewrite every golden file from the current build
#
# Environment (set by ctest): PN_SOURCE_DIR, PN_PLUGIN (the built portnote.so),
# PN_WS_VERSION (MAJOR.MINOR), PN_MKPCAPS, PN_SHARED_PCAPS.
#
# Every tshark run goes through pn_tshark (tests/harness/tshark-stage.sh): the freshly
# built plugin staged in a private folder, a private empty configuration,
# WIRESHARK_ABORT_ON_DISSECTOR_BUG, and an unprivileged user when we are root.
set -euo pipefail

# quiet_grep ARGS...: grep -q that reads all its input.  grep -q stops at
# the first match; under pipefail the writer's SIGPIPE then fails the
# pipeline now and then, depending on timing.
quiet_grep() { grep "$@" >/dev/null; }

SKIP=77
GOLDEN_DIR="$PN_SOURCE_DIR/tests/golden"
DATA_FILE="$PN_SOURCE_DIR/data/portnotes.csv"
# The fields of the golden files, in order.
GOLDEN_FIELDS=(frame.number portnote.port portnote.transport portnote.role
               portnote.service portnote.risk portnote.exposure portnote.category portnote.threat
               portnote.evidence portnote.observed portnote.also_used_by
               portnote.max_risk portnote.summary)

# Any Expert Info item of PortNote's.
PN_EXPERT="portnote.risk.low || portnote.risk.medium || portnote.risk.high || portnote.risk.critical
           || portnote.protocol_mismatch || portnote.protocol_mismatch.critical || portnote.non_standard_port
           || portnote.non_standard_port.low || portnote.non_standard_port.high || portnote.non_standard_port.critical"

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

# ---- Staging and running tshark -----------------------------------------

# shellcheck source=harness/tshark-stage.sh
. "$PN_SOURCE_DIR/tests/harness/tshark-stage.sh"

# Writes stdin to the personal notes file that tshark reads, world-readable.
set_user_notes() {
    cat >"$STAGE/config/portnotes.csv"
    chmod a+r "$STAGE/config/portnotes.csv"
}

assert_clean_stderr() {
    if [ -s "$STAGE/stderr" ]; then
        cat "$STAGE/stderr" >&2
        fail "tshark wrote to stderr"
    fi
}

# The golden-file command line: the portnote fields of every frame, with runs
# of consecutive frames that got the same notes folded into one "first-last" row.
pn_golden_fields() {
    local args=(-r "$1" "${@:2}" -T fields -E header=y -E occurrence=a -E aggregator='|')
    for f in "${GOLDEN_FIELDS[@]}"; do args+=(-e "$f"); done
    pn_tshark "${args[@]}" | awk -F'\t' '
        function flush() { if (first != "") print (first == last ? first : first "-" last) rest }
        NR == 1 { sub(/^frame\.number/, "frames"); print; next }
        { r = substr($0, length($1) + 1)
          if (r == rest && $1 == last + 1) { last = $1; next }
          flush(); first = $1; last = $1; rest = r }
        END { flush() }'
}

# Golden file of a capture (PASSES: "" or -2): sample captures by name,
# shared ones under shared/; the second pass's view in NAME.2pass.tsv.
golden_path() {
    local suffix=.tsv
    [ "${2:-}" = -2 ] && suffix=.2pass.tsv
    case "$1" in
        "$PN_SOURCE_DIR"/pcaps/*) echo "$GOLDEN_DIR/$(basename "$1" .pcap)$suffix" ;;
        *) echo "$GOLDEN_DIR/shared/$(basename "$1")$suffix" ;;
    esac
}

# Frame numbers selected by a display filter, one per line.
frames_matching() {   # capture, filter, tshark options...
    pn_tshark -r "$1" "${@:3}" -Y "$2" -T fields -e frame.number
    assert_clean_stderr
}

# Frame numbers a display filter selects when no tree is shown (summary
# lines, as a plain `tshark -Y` prints them): PortNote then adds only the
# fields asked for, straight under the root, or its item when Expert Info
# fields or the protocol itself are asked for.
frames_matching_hidden() {   # capture, filter, tshark options...
    pn_tshark -r "$1" "${@:3}" -Y "$2" -o 'gui.column.format:"No.","%m"' | awk '{ print $1 }'
    assert_clean_stderr
}

# Frame numbers of golden rows whose column COL (1-based) matches an awk regex.
golden_frames() {
    awk -F'\t' -v col="$2" -v re="$3" '
        NR > 1 && $col ~ re { n = split($1, r, "-"); for (f = r[1]; f <= r[n]; f++) print f }' "$1"
}

same_frames() {   # label, expected, actual
    if [ "$2" != "$3" ]; then
        diff <(echo "$2") <(echo "$3") >&2 || true
        fail "$1: frames differ (expected < > actual)"
    fi
    note "$1: $(echo -n "$3" | grep -c . || true) frames"
}

# ---- Test cases -----------------------------------------------------------

# tshark loaded exactly the staged plugin, nothing installed on the system.
case_plugin_loaded() {
    local plugins
    plugins=$(pn_tshark -G plugins | grep -i portnote || true)
    assert_clean_stderr
    note "$plugins"
    [ "$(echo "$plugins" | grep -c .)" = 1 ] || fail "expected exactly one portnote plugin, got: $plugins"
    echo "$plugins" | quiet_grep -F "$PN_STAGED_PLUGIN" \
        || fail "portnote was not loaded from the staged build"
    # name, short name, filter name: the first columns (4.4 and later add more)
    pn_tshark -G protocols | quiet_grep -P '^Port Notes\tPortNote\tportnote(\t|$)' || fail "protocol not registered"
    for f in port transport role service description risk category threat note source \
             max_risk summary also_used_by evidence observed tunnelled exposure; do
        pn_tshark -G fields | quiet_grep -P "^F\t[^\t]*\tportnote\.$f\t" || fail "field portnote.$f missing"
    done
}

# tshark -T fields output matches the reviewed golden files, in one pass
# (what was known when each frame went by) and in two (-2: the second pass
# applies each conversation's payload verdict to all its frames).
case_golden() {
    local capture="$1" golden actual staged
    staged=$(pn_stage_file "$capture")
    for passes in "" -2; do
        golden=$(golden_path "$capture" "$passes")
        [ -f "$golden" ] || fail "no golden file $golden (run the update-golden target)"
        actual=$(pn_golden_fields "$staged" $passes)
        assert_clean_stderr
        if ! diff -u "$golden" <(echo "$actual") >&2; then
            fail "${passes:-one-pass} output differs from $golden (if intended: cmake --build build --target update-golden)"
        fi
        note "$(($(wc -l <"$golden") - 1)) rows match $golden"
    done
}

# Display filters select exactly the frames the golden file says they should.
case_filters() {
    local capture golden threat category
    capture=$(pn_stage_file "$1")
    golden=$(golden_path "$1")
    same_frames "portnote" "$(golden_frames "$golden" 2 .)" "$(frames_matching "$capture" portnote)"
    same_frames "portnote.risk" "$(golden_frames "$golden" 6 .)" "$(frames_matching "$capture" portnote.risk)"
    same_frames 'portnote.risk >= "high"' "$(golden_frames "$golden" 6 '[34]')" \
        "$(frames_matching "$capture" 'portnote.risk >= "high"')"
    same_frames 'portnote.risk == "critical"' "$(golden_frames "$golden" 6 '4')" \
        "$(frames_matching "$capture" 'portnote.risk == "critical"')"
    while IFS= read -r threat; do
        [ -n "$threat" ] || continue
        same_frames "portnote.threat == \"$threat\"" \
            "$(awk -F'\t' -v t="$threat" 'NR > 1 { n = split($9, a, /[|,]/); for (i = 1; i <= n; i++) if (a[i] == t) { m = split($1, r, "-"); for (f = r[1]; f <= r[m]; f++) print f; break } }' "$golden")" \
            "$(frames_matching "$capture" "portnote.threat == \"$threat\"")"
    done < <(awk -F'\t' 'NR > 1 { n = split($9, a, /[|,]/); for (i = 1; i <= n; i++) print a[i] }' "$golden" | sort -u)
    for category in trojan cleartext-credentials amplification; do
        same_frames "portnote.category == \"$category\"" \
            "$(golden_frames "$golden" 8 "(^|[|,])$category([|,]|$)")" \
            "$(frames_matching "$capture" "portnote.category == \"$category\"")"
    done
    # A tree nobody sees selects what the shown tree selects, whichever way
    # PortNote builds it (fields only, its item, Expert Info items).
    for filter in portnote portnote.risk 'portnote.max_risk >= "high"' 'portnote.threat' \
                  'portnote.risk.high || portnote.risk.critical' \
                  'portnote.protocol_mismatch || portnote.non_standard_port' '_ws.expert.group == "Security"'; do
        same_frames "$filter (no tree shown)" "$(frames_matching "$capture" "$filter")" \
            "$(frames_matching_hidden "$capture" "$filter")"
    done
}

# Every seed port is annotated, on its transports, in both directions.
case_seed_coverage() {
    local capture seen missing=""
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    # "port/transport/to" or ".../from" for every annotated port of every frame
    seen=$(pn_tshark -r "$capture" -Y portnote -T fields -E occurrence=a -E aggregator='|' \
               -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport \
               -e portnote.port -e portnote.transport |
           awk -F'\t' '{ n = split($5, p, "|"); split($6, t, "|");
                         for (i = 1; i <= n; i++) {
                             s = (t[i] == "tcp") ? $1 : $3; d = (t[i] == "tcp") ? $2 : $4;
                             if (p[i] == d) print p[i] "/" t[i] "/to";
                             if (p[i] == s) print p[i] "/" t[i] "/from" } }' | sort -u)
    assert_clean_stderr
    for pt in 0/tcp 0/udp 1/tcp 7/tcp 7/udp 19/tcp 19/udp 21/tcp 22/tcp 23/tcp 25/tcp \
              31/tcp 42/tcp 53/tcp 53/udp 67/udp 68/udp 69/udp 79/tcp 80/tcp 99/tcp \
              102/tcp 110/tcp 553/udp; do
        for dir in to from; do
            [ "$pt" = 69/udp ] && [ "$dir" = from ] && continue   # TFTP answers from a new port
            echo "$seen" | quiet_grep -xF "$pt/$dir" || missing="$missing $pt($dir)"
        done
    done
    [ -z "$missing" ] || fail "seed ports not annotated in seed.pcap:$missing"
    note "all 24 seed port/transport pairs annotated in both directions"
}

# The conversation of every annotated frame (its innermost TCP or UDP
# stream; SCTP and others by address and port pair) with the frame's note
# summaries: "conversation<TAB>summary|summary...", one line per frame
# (only frames that also match $ONLY_FRAMES, when set).
frame_conversations() {   # capture, tshark options...
    pn_tshark -r "$1" "${@:2}" -Y "portnote${ONLY_FRAMES:+ && ($ONLY_FRAMES)}" -T fields -E occurrence=a -E aggregator='|' \
        -e tcp.stream -e udp.stream -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst \
        -e sctp.srcport -e sctp.dstport -e portnote.summary |
    awk -F'\t' 'function last(v, a) { n = split(v, a, "|"); return a[n] }
        { if ($1 != "") c = "tcp" last($1); else if ($2 != "") c = "udp" last($2)
          else { a = last($3) last($5) ":" last($7); b = last($4) last($6) ":" last($8)
                 c = a < b ? a "-" b : b "-" a }
          print c "\t" $9 }'
    assert_clean_stderr
}

# How many (conversation, port) pairs carry a warning in the view of one
# pass or two (tshark options): what Expert Info must raise, once each.
warned_pairs() {   # capture, tshark options...
    frame_conversations "$@" | awk -F'\t' '
        { n = split($2, s, "|"); for (i = 1; i <= n; i++) if (s[i] ~ /; risk /) { split(s[i], w, " "); k[$1 " " w[1]] = 1 } }
        END { print length(k) }'
}

# How many server services carry a warning in the view of one pass or two
# (tshark options): what Expert Info must raise, once each.  A service is
# the server's address (the innermost one: the note's side of the packet),
# the note's port and transport, the payload's verdict and the exposure,
# all read from each note's summary ("80/tcp server HTTP; risk high;
# internal; protocol-mismatch: ssh payload").
warned_services() {   # capture, tshark options...
    pn_tshark -r "$1" "${@:2}" -Y portnote -T fields -E occurrence=a -E aggregator='|' \
        -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e tcp.srcport -e udp.srcport -e sctp.srcport \
        -e tcp.dstport -e udp.dstport -e sctp.dstport -e portnote.summary |
    awk -F'\t' 'function last(v, a) { n = split(v, a, "|"); return a[n] }
        function num(ip, o) { if (split(ip, o, ".") != 4) return ip; return ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4] }
        function group(ip) { return ip ~ /^(22[4-9]|23[0-9])\./ || ip == "255.255.255.255" || ip ~ /^ff/ }
        { src = last($1) last($2); dst = last($3) last($4)
          sp["tcp"] = last($5); sp["udp"] = last($6); sp["sctp"] = last($7)
          dp["tcp"] = last($8); dp["udp"] = last($9); dp["sctp"] = last($10)
          n = split($11, s, "|")
          for (i = 1; i <= n; i++) {
              if (s[i] !~ /; risk /) continue
              split(s[i], w, " "); split(w[1], pt, "/"); sport = sp[pt[2]]; dport = dp[pt[2]]
              # a port on both ends names no side: the group, else the lower address
              server = pt[1] == sport ? src : dst
              if (sport == dport) server = group(dst) || num(dst) < num(src) ? dst : src
              verdict = s[i]; sub(/; tunnelled: [a-z0-9-]+ payload$/, "", verdict)
              sub(/.*; /, "", verdict); if (verdict !~ / payload$/) verdict = "port"
              exposure = s[i]; if (!match(exposure, /; (loopback|internal|inbound|outbound|external)(;|$)/)) exposure = "unknown"
              else exposure = substr(exposure, RSTART, RLENGTH)
              k[server " " w[1] " " verdict " " exposure] = 1 } }
        END { print length(k) }'
    assert_clean_stderr
}

# PortNote's Expert Info items in a -z expert report.
portnote_expert_items() {
    awk '$2 == "Security" && $3 == "PortNote" { n += $1 } END { print n + 0 }'
}

# Expert Info once per server service (two passes: exactly; one pass: at
# most once more, when the payload changed the verdict).
check_expert_once() {   # capture
    local capture="$1" services services_one one two
    services=$(warned_services "$capture" -2)
    services_one=$(warned_services "$capture")
    two=$(pn_tshark -r "$capture" -2 -q -z expert,chat | portnote_expert_items)
    one=$(pn_tshark -r "$capture" -q -z expert,chat | portnote_expert_items)
    assert_clean_stderr
    [ "$two" = "$services" ] || fail "$(basename "$capture"): $services warned services, but $two Expert Info items (two passes)"
    [ "$one" -ge "$services_one" ] && [ "$one" -le $((2 * services_one)) ] \
        || fail "$(basename "$capture"): $one Expert Info items in one pass for $services_one warned services"
    note "$(basename "$capture"): $services warned services, $two Expert Info items (two passes); one pass: $services_one, $one"
}

# Expert Info: one Security item per conversation and warning, severity
# following the risk, with the service and risk in its text.
case_expert() {
    local capture out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    check_expert_once "$capture"
    check_expert_once "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")"
    check_expert_once "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/exposure.pcap")"
    out=$(pn_tshark -r "$capture" -q -z expert,chat)
    assert_clean_stderr
    expert_section() { echo "$out" | awk -v s="$1" '/^[A-Z][a-z]+ \([0-9]+\)$/ { cur = $1 } cur == s'; }
    expert_section Warns | quiet_grep -F '31/tcp MSG Authentication (msg-auth) (server), risk high: trojan; threats: Master'"'"'s Paradise, Hackers Paradise' \
        || fail "high risk is not a Warning"
    expert_section Notes | quiet_grep -F '79/tcp Finger (server), risk medium' || fail "medium risk is not a Note"
    expert_section Chats | quiet_grep -F '7/tcp Echo (server), risk low: reconnaissance' \
        || fail "low risk is not a Chat"
    # The Expert column shows a conversation's Expert Info even after higher
    # severities in earlier frames (PortNote skips an Expert Info only when
    # nothing would show it): the Finger SYN's Note, above TCP's Chat.
    out=$(pn_tshark -r "$capture" -o 'gui.column.format:"No.","%m","Expert","%a"' \
          -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 79')
    assert_clean_stderr
    [ "$(echo "$out" | awk '{ print $2 }')" = "Note" ] || fail "Expert column of the Finger SYN: '$out'"
    # a finding names the port, the service and the risk
    out=$(pn_tshark -r "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")" -q -z expert,chat)
    echo "$out" | quiet_grep -F '22/tcp SSH (server), risk high: protocol-mismatch, http payload' \
        || fail "mismatch text lacks service or risk: $out"
    expert_section Errors | quiet_grep -F '6379/tcp Redis (server), risk critical' || fail "critical risk is not an Error"
}

# The packet details line reads well without expanding anything.
case_details() {
    local capture out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    out=$(pn_tshark -r "$capture" -V -O portnote -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 23')
    assert_clean_stderr
    echo "$out" | quiet_grep -xF 'Port Notes: 23/tcp Telnet (server), highest risk high' || fail "packet line missing: $out"
    echo "$out" | quiet_grep -P '^\s+23/tcp Telnet \(server\), risk high: cleartext-credentials, reconnaissance, worm, default-credentials$' \
        || fail "note line missing: $out"
    ! echo "$out" | quiet_grep 'Ephemeral' || fail "the client's legacy-range port is shown by default"
    echo "$out" | quiet_grep -P '^\s+\[Highest risk: high \(3\)\]$' || fail "highest risk missing"
    # generated items (not bytes of the packet) print in brackets
    echo "$out" | quiet_grep -P '^\s+Port: 23$' || fail "port missing"
    echo "$out" | quiet_grep -P '^\s+\[Risk: high \(3\)\]$' || fail "risk not shown with its name"
    echo "$out" | quiet_grep -P '^\s+\[Threat: Mirai\]$' || fail "threat missing"
    # the trojan that only shares the port is context until the traffic points to it
    echo "$out" | quiet_grep -P '^\s+\[Also used by: Tiny Telnet Server\]$' || fail "port-sharing software missing"
    echo "$out" | quiet_grep -P '^\s+\[Exposure: external\]$' || fail "exposure missing (documentation addresses are external)"
    echo "$out" | quiet_grep -P '^\s+\[Source: Baidu Encyclopedia' || fail "source missing"
    echo "$out" | quiet_grep -P '^\s+\[Defined at: built-in portnotes.csv:\d+\]$' || fail "origin missing"
}

# No note is cut by Wireshark's label length (ITEM_LABEL_LENGTH) in -V.
check_not_truncated() {   # capture, tshark options...
    local out
    out=$(pn_tshark -r "$1" "${@:2}" -V -O portnote -o portnote.iana_names:TRUE)
    assert_clean_stderr
    ! echo "$out" | quiet_grep -F '[truncated]' || fail "$(basename "$1"): $(echo "$out" | grep -m1 -F '[truncated]')"
}

# Long notes, descriptions and sources come in several items, all whole.
# info_notes: "FRAME NOTE NOTE..." from tshark's summary lines: the notes
# PortNote appends to the Info column ("[22/tcp SSH: medium risk]").
info_notes() {
    awk '{ notes = ""; line = $0
           while (match(line, /\[[0-9]+\/(tcp|udp|sctp) [^]]*\]/)) {
               notes = notes " " substr(line, RSTART, RLENGTH); line = substr(line, RSTART + RLENGTH) }
           print $1 notes }'
}

# No protocol tree is forced on tshark: its own output is the same with and
# without the plugin, and where nothing can see the notes PortNote turns
# itself off.  The tree-less path (the conversation layer's header found
# after the IP header) decides exactly what the tree path decides: the
# Info-column notes of a plain read equal those of a read with a tree
# (-Y frame), on one pass and on two.
case_tree_free() {
    local pcap capture with without
    mkdir -p "$STAGE/no-plugins"
    for pcap in "$PN_SOURCE_DIR"/pcaps/*.pcap ${PN_SHARED_PCAPS:+"$PN_SHARED_PCAPS"/*.pcap}; do
        [ -f "$pcap" ] || continue
        capture=$(pn_stage_file "$pcap")
        with=$(pn_tshark -r "$capture")
        PN_EXTRA_ENV=(WIRESHARK_PLUGIN_DIR="$STAGE/no-plugins")
        without=$(pn_tshark -r "$capture")
        PN_EXTRA_ENV=()
        [ "$with" = "$without" ] || fail "$(basename "$pcap"): tshark's output changes with the plugin:
$(diff <(echo "$without") <(echo "$with") | head -5)"
        # (tshark's own columns may differ with a tree: compare PortNote's part)
        for passes in "" -2; do
            with=$(pn_tshark -r "$capture" $passes -o portnote.info_column:TRUE | info_notes)
            without=$(pn_tshark -r "$capture" $passes -o portnote.info_column:TRUE -Y frame | info_notes)
            [ "$with" = "$without" ] || fail "$(basename "$pcap") ${passes:-one pass}: the Info column differs without a tree:
$(diff <(echo "$without") <(echo "$with") | head -5)"
        done
    done
    pn_tshark -r "$capture" -o portnote.info_column:TRUE | quiet_grep -F '/tcp' \
        || pn_tshark -r "$capture" -o portnote.info_column:TRUE | quiet_grep -F '/udp' \
        || fail "no notes in the Info column"
    # -z expert without -q prints summaries with no tree: Expert Info is a consumer
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")
    with=$(pn_tshark -r "$capture" -q -z expert | grep -c 'risk ')
    without=$(pn_tshark -r "$capture" -z expert | grep -c 'risk ')
    [ "$with" -gt 0 ] && [ "$with" = "$without" ] \
        || fail "PortNote's Expert Info: $with items with -q, $without without"
    note "tshark's output unchanged by the plugin; tree-less and tree verdicts agree"
}

case_long_text() {
    local capture long out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    for pcap in "$PN_SOURCE_DIR"/pcaps/*.pcap; do check_not_truncated "$(pn_stage_file "$pcap")"; done
    long=$(printf 'Sentence number %04d of a very long note. ' $(seq 1 60))
    long=${long% }
    printf '"23","tcp","","Telnet","high","cleartext-credentials","","%s","%s","%s %s"\n' \
        "Word$(printf '%.0sx' $(seq 1 500))" "$long" "$long" "Unbroken$(printf '%.0s\xc3\xa9' $(seq 1 300))" | set_user_notes
    check_not_truncated "$capture"
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 23' -T fields -E aggregator=/s -e portnote.note)
    [ "$out" = "$long" ] || fail "the note's pieces do not make up the note"
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 23' -T fields -E occurrence=f -e portnote.note)
    [ "${#out}" -le 220 ] && [ "${out: -1}" = . ] || fail "a piece does not end at a sentence: $out"
    # without sentence ends: between words, never inside a parenthesis
    long="Opening words $(printf 'lead%02d ' $(seq 1 25))(an aside of $(printf 'inner%02d ' $(seq 1 20))ends here) $(printf 'tail%02d ' $(seq 1 30))done"
    printf '"23","tcp","","Telnet","high","cleartext-credentials","","d","%s","s"\n' "$long" | set_user_notes
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 23' -T fields -E aggregator=/s -e portnote.note)
    [ "$out" = "$long" ] || fail "the pieces of a note without sentences do not make it up: $out"
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 23' -T fields -E aggregator=, -e portnote.note)
    [ "$(echo "$out" | tr , '\n' | awk '{ o = gsub(/\(/, "("); c = gsub(/\)/, ")"); if (o != c) bad++ } END { print bad + 0 }')" = 0 ] \
        || fail "a note was split inside a parenthesis: $out"
    note "long text split into whole items"
}

# Silences the notes' row for 8081/tcp, so that edge.pcap has an undocumented server port.
IGNORE_8081='"8081","tcp","ignore","","","","","","",""'

USER_ROWS='# user overrides
"80","tcp","server","HTTP (local policy)","critical","trojan","Executor;Local Web Shell","Web","Port 80 is forbidden here.","local policy"
"8080","tcp","","HTTP proxy","high","exposed-service","","Web proxy","An open proxy relays traffic for anyone.","local policy"
'

# A personal portnotes.csv overrides and extends the built-in notes.
case_override() {
    local capture out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/edge.pcap")
    printf '%s' "$USER_ROWS" | set_user_notes
    out=$(pn_tshark -r "$capture" -Y 'tcp.dstport == 8080 && tcp.flags.syn == 1 && tcp.flags.ack == 0' \
          -T fields -e portnote.port -e portnote.service -e portnote.risk -e portnote.defined_at)
    assert_clean_stderr
    [ "$out" = "8080	HTTP proxy	3	$STAGE/config/portnotes.csv:3" ] || fail "8080 not added: $out"
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    out=$(pn_tshark -r "$capture" -Y 'portnote.threat == "Local Web Shell"' -T fields -e portnote.risk | sort -u)
    assert_clean_stderr
    [ "$out" = "4" ] || fail "80/tcp not overridden: $out"
    out=$(pn_tshark -r "$capture" -Y 'tcp.port == 23' -T fields -e portnote.service | tr , '\n' | sort -u | paste -sd/)
    [ "$out" = "Telnet" ] || fail "other built-in rows lost: $out"
}

# A profile's portnotes.csv is read after the personal one.
case_override_profile() {
    local capture out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    printf '%s' "$USER_ROWS" | set_user_notes
    mkdir -p "$STAGE/config/profiles/incident"
    printf '"80","tcp","","HTTP (incident profile)","","","","Web","",""\n' \
        >"$STAGE/config/profiles/incident/portnotes.csv"
    chmod -R a+rX "$STAGE/config"
    out=$(pn_tshark -C incident -r "$capture" -Y 'tcp.port == 80' -T fields -e portnote.service -e portnote.risk | sort -u)
    assert_clean_stderr
    [ "$out" = "HTTP (incident profile)	" ] || fail "profile file did not win: $out"
    out=$(pn_tshark -r "$capture" -Y 'tcp.port == 80' -T fields -e portnote.service | sort -u)
    [ "$out" = "HTTP (local policy)" ] || fail "default profile should use the personal file: $out"
}

# Malformed user rows are reported as file:line: reason; the rest still loads.
case_override_malformed() {
    local capture out file="$STAGE/config/portnotes.csv"
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/edge.pcap")
    set_user_notes <<'EOF'
"8080","tcp","","HTTP proxy","high","exposed-service","","Web proxy","Open proxy %s%n%x","local"
"65536","tcp","","Too big","","","","d","",""
"8081","tcp","","Reversed","","","","d","","",""
"8082","quic","","Odd","","","","d","",""
"8083","tcp","","Unsure","severe","trojan","","d","n",""
EOF
    out=$(pn_tshark -r "$capture" -Y 'tcp.dstport == 8080 && tcp.flags.ack == 0' -T fields -e portnote.service -e portnote.note)
    [ "$out" = "HTTP proxy	Open proxy %s%n%x" ] || fail "good row lost or text altered: $out"
    for expected in "$file:2: '65536' is not a port" "$file:3: expected 16 fields (or 14 or 10 in the older formats), found 11" \
                    "$file:4: unknown transport 'quic'" "$file:5: unknown risk 'severe'"; do
        grep -qF "$expected" "$STAGE/stderr" || { cat "$STAGE/stderr" >&2; fail "missing warning: $expected"; }
    done
    [ "$(grep -c "$file:" "$STAGE/stderr")" = 4 ] || fail "expected exactly 4 problems"
}

# The committed captures are exactly what the generator writes.
case_pcaps_reproducible() {
    local out="$STAGE/regenerated"
    mkdir -p "$out"
    "$PN_MKPCAPS" "$out"
    for f in "$PN_SOURCE_DIR"/pcaps/*.pcap; do
        cmp "$f" "$out/$(basename "$f")" || fail "$(basename "$f") differs from mkpcaps output"
    done
    [ "$(ls "$out" | wc -l)" = "$(ls "$PN_SOURCE_DIR"/pcaps/*.pcap | wc -l)" ] || fail "file sets differ"
}

# ---- Review: statistics, exports, columns, preferences ----------------------

# "section<TAB>name<TAB>count<TAB>depth" for every node of a -z portnote,tree
# report (section: the top-level node the line is under).
stats_nodes() {
    awk '/^Packets with port notes/ { on = 1 }
         on && NF > 1 && !/^[=-]+$/ {
             match($0, /^ */); depth = RLENGTH; line = substr($0, depth + 1)
             split(line, parts, /  +/); if (depth == 0) section = parts[1]
             print section "\t" parts[1] "\t" parts[2] "\t" depth }'
}

count_matching() {   # capture, filter, tshark options...
    frames_matching "$@" | grep -c . || true
}

# What the statistics tree must say, worked out from each frame's note
# summaries and conversation (frame_conversations), in stats_nodes format.
expected_stats() {   # capture, tshark options...
    frame_conversations "$@" | awk -F'\t' '
        BEGIN { split("none low medium high critical", level, " ")
                for (i = 1; i <= 5; i++) risk_no[level[i]] = i - 1
                P = "Packets with port notes"; C = "Conversations with port notes"; V = "Payload check (conversations)"
                kind["protocol-mismatch"] = "Protocol mismatch"; kind["confirmed"] = "Payload confirms the port'"'"'s protocol"
                kind["non-standard-port"] = "Known protocol on a non-standard port" }
        function add(section, name, depth, key) { if (!(key in done)) { done[key] = 1; count[section "\t" name "\t" depth]++ } }
        { packets++; if (!($1 in convs)) { convs[$1] = 1; conversations++ }
          delete done; n = split($2, notes, "|")
          for (i = 1; i <= n; i++) {
              m = split(notes[i], part, "; "); split(part[1], head, " ")
              service = substr(part[1], length(head[1]) + length(head[2]) + 3)
              risk = "none"; verdict = ""; observed = ""
              for (j = 2; j <= m; j++) {
                  if (part[j] ~ /^risk /) risk = substr(part[j], 6)
                  else if (part[j] ~ /: [a-z0-9]+ payload$/ && part[j] !~ /^tunnelled:/) { verdict = part[j]; sub(/:.*/, "", verdict)
                       observed = part[j]; sub(/^[^:]*: /, "", observed); sub(/ payload$/, "", observed) }
              }
              split(head[1], pt, "/"); port = sprintf("%05d/%s", pt[1], pt[2])
              node = port " " service (verdict == "confirmed" ? ": confirmed by payload" : verdict != "" ? ": " observed " payload" : "")
              r = "Risk " risk " (" risk_no[risk] ")"
              add(P, r, 1, P r); add(P, node, 2, P r node)
              if (!(($1, head[1]) in seen)) {
                  seen[$1, head[1]] = 1; add(C, r, 1, C r); add(C, node, 2, C r node)
              }
              if (verdict != "" && !(($1, head[1], verdict) in judged)) {
                  judged[$1, head[1], verdict] = 1; count[V "\t" kind[verdict] "\t1"]++
                  count[V "\t" node "\t2"]++; verdicts++
              }
          } }
        END { count[P "\t" P "\t0"] = packets; count[C "\t" C "\t0"] = conversations
              count[V "\t" V "\t0"] = verdicts + 0
              for (k in count) { split(k, f, "\t"); print f[1] "\t" f[2] "\t" count[k] "\t" f[3] } }' | sort
}

# Every node of the statistics tree down to the ports agrees with what the
# frames' notes say, and the risk levels with their display filters.
check_stats() {   # capture, extra filter ("" for none), tshark options...
    local capture="$1" extra="$2" report name count level and=""
    [ -n "$extra" ] && and=" && ($extra)"
    report=$(pn_tshark -r "$capture" "${@:3}" -q -z "portnote,tree${extra:+,$extra}")
    assert_clean_stderr
    if ! diff <(ONLY_FRAMES="$extra" expected_stats "$capture" "${@:3}" | grep -v '^Payload.*	0	0$') \
              <(echo "$report" | stats_nodes | awk -F'\t' '$4 < 3' | sort | grep -v '^Payload.*	0	0$') >&2; then
        fail "statistics tree of $(basename "$capture") ${*:3} differs from its frames' notes (expected < > actual)"
    fi
    while IFS=$'\t' read -r name count; do
        level=${name#Risk }; level=${level% (*}
        [ "$count" = "$(count_matching "$capture" "portnote.risk == \"$level\"$and" "${@:3}")" ] \
            || fail "stats node '$name' counts $count, filter portnote.risk == \"$level\"$and disagrees"
    done < <(echo "$report" | stats_nodes | awk -F'\t' '$1 ~ /^Packets/ && $4 == 1 && $2 !~ /^Risk none/ { print $2 "\t" $3 }')
    note "$(basename "$capture") ${*:3}${extra:+ ($extra)}: $(echo "$report" | stats_nodes | awk -F'\t' '$4 < 3' | wc -l) statistics nodes agree"
}

case_stats() {
    local capture report order
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    check_stats "$capture" ""
    check_stats "$capture" "" -2
    check_stats "$capture" "ip.addr == 198.51.100.53"
    report=$(pn_tshark -r "$capture" -q -z portnote,tree | stats_nodes)
    echo "$report" | quiet_grep -P '^Packets with port notes\t198\.51\.100\.20\t4\t3$' || fail "server address level missing"
    echo "$report" | quiet_grep -P '^Packets with port notes\t00053/udp DNS: confirmed by payload\t\d+\t2$' \
        || fail "a confirmed port does not say so"
    # risk levels from the worst down, ports in port order within each, as
    # tshark prints it and the GUI's dialog sorts it by default
    order=$(echo "$report" | awk -F'\t' '$1 ~ /^Packets/ && $4 == 1 { print $2 }' | paste -sd,)
    [ "$order" = "Risk high (3),Risk medium (2),Risk low (1),Risk none (0)" ] || fail "risk levels out of order: $order"
    order=$(echo "$report" | awk -F'\t' '$1 ~ /^Packets/ && $4 == 1 { last = -1 }
        $1 ~ /^Packets/ && $4 == 2 { port = $2 + 0; if (port < last) print "after " last ": " $2; last = port }')
    [ -z "$order" ] || fail "ports out of port order within a level: $order"
    # payload findings and confirmations are nodes of their own
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")
    check_stats "$capture" ""
    check_stats "$capture" "" -2
    report=$(pn_tshark -r "$capture" -q -z portnote,tree | stats_nodes)
    echo "$report" | quiet_grep -P '^Packets with port notes\t00022/tcp SSH: http payload\t2\t2$' || fail "finding node missing"
    echo "$report" | quiet_grep -P '^Payload check \(conversations\)\tProtocol mismatch\t\d+\t1$' || fail "finding kind node missing"
    # the client's legacy-range port is no node of its own, and broadcasts serve nothing
    ! echo "$report" | quiet_grep Ephemeral || fail "client range in the statistics"
    if [ -f "$PN_SHARED_PCAPS/zeek_dhcp_dhcp.pcap" ]; then
        capture=$(pn_stage_file "$PN_SHARED_PCAPS/zeek_dhcp_dhcp.pcap")
        check_stats "$capture" ""
        report=$(pn_tshark -r "$capture" -q -z portnote,tree)
        ! echo "$report" | quiet_grep -F '255.255.255.255' || fail "broadcast listed as a host"
    fi
}

# The export recipes of docs/case-review.md (step 3, word for word; the CSV one is also in the README).
export_csv() {   # capture
    pn_tshark -r "$1" -2 -Y portnote.risk -T fields -E header=y -E separator=, -E quote=d -E aggregator='|' \
        -e frame.number -e ip.src -e ip.dst -e portnote.max_risk -e portnote.summary
}
export_json() {   # capture
    pn_tshark -r "$1" -2 -Y portnote -T json -J portnote --no-duplicate-keys
}

# Machine-readable output through Wireshark's own exporters: each recipe's
# output parses, and every value names the port it belongs to.
case_exports() {
    local capture out mapping
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    export_csv "$capture" >"$STAGE/findings.csv"
    assert_clean_stderr
    python3 - "$STAGE/findings.csv" <<'PY' || fail "CSV recipe"
import csv, re, sys
levels = {"low": 1, "medium": 2, "high": 3, "critical": 4}
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert rows, "no rows"
for row in rows:
    notes = row["portnote.summary"].split("|")
    risks = []
    for note in notes:
        assert re.match(r"^\d+/(tcp|udp|sctp) (server|client|unknown) ", note), note
        m = re.search(r"; risk (\w+)", note)
        risks.append(levels[m.group(1)] if m else 0)
    assert int(row["portnote.max_risk"]) == max(risks), row
print(len(rows), "CSV rows line up")
PY
    export_json "$capture" >"$STAGE/findings.json"
    assert_clean_stderr
    python3 - "$STAGE/findings.json" <<'PY' || fail "JSON recipe"
import json, sys
packets = json.load(open(sys.argv[1]))
multi = 0
for p in packets:
    pn = p["_source"]["layers"]["portnote"]
    assert isinstance(pn, dict), pn
    summaries = pn["portnote.summary"]
    summaries = summaries if isinstance(summaries, list) else [summaries]
    trees = pn["portnote.summary_tree"]
    trees = trees if isinstance(trees, list) else [trees]
    assert len(trees) == len(summaries), p
    for summary, tree in zip(summaries, trees):
        assert summary.startswith(tree["portnote.port"] + "/" + tree["portnote.transport"] + " "), (summary, tree)
    multi += len(summaries) > 1
assert multi > 0, "no packet with two notes to check"
print(len(packets), "JSON packets,", multi, "with several notes, line up")
PY
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 23' -T ek)
    assert_clean_stderr
    for expected in '"portnote_portnote_port":"23"' '"portnote_portnote_risk":"3"' '"portnote_portnote_max_risk":"3"' \
                    '"portnote_portnote_category":["cleartext-credentials","reconnaissance","worm","default-credentials"]'; do
        echo "$out" | quiet_grep -F "$expected" || fail "ek lacks $expected"
    done
    # tshark's own mapping types the numeric fields ...
    out=$(pn_tshark -G elastic-mapping --elastic-mapping-filter portnote | tr -d ' \n')
    echo "$out" | quiet_grep -F '"portnote_portnote_port":{"type":"integer"}' || fail "tshark mapping: port"
    echo "$out" | quiet_grep -F '"portnote_portnote_risk":{"type":"short"}' || fail "tshark mapping: risk"
    # ... and ours covers every field, agreeing with tshark where it maps one.
    pn_tshark -G fields >"$STAGE/fields"
    mapping=$(bash "$PN_SOURCE_DIR/tools/elastic-mapping.sh" "$STAGE/fields" | tr -d ' \n')
    for field in $(pn_tshark -G fields | awk -F'\t' '$1 == "F" && $3 ~ /^portnote\./ && $4 != "FT_NONE" { print $3 }'); do
        echo "$mapping" | quiet_grep -F "\"portnote_${field//./_}\":{\"type\":" || fail "mapping lacks $field"
    done
    echo "$out" | quiet_grep -F "$(echo "$mapping" | grep -oF '"portnote_portnote_port":{"type":"integer"}')" \
        || fail "mapping types disagree with tshark"
}

# Every portnote field as a custom column in a one-pass run (no -V, no -2)
# shows what -T fields shows (risk as its name in the column).
case_columns() {
    local seed edge payload capture field columns fields checked=0
    seed=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    edge=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/edge.pcap")
    payload=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")
    echo "$IGNORE_8081" | set_user_notes
    for field in $(pn_tshark -G fields | awk -F'\t' '$1 == "F" && $3 ~ /^portnote\./ && $4 != "FT_NONE" { print $3 }'); do
        # IANA names on; edge.pcap has the undocumented server ports
        capture=$seed
        [ "$field" = portnote.iana_only ] && capture=$edge
        [ "$field" = portnote.tunnelled ] && capture=$payload
        columns=$(pn_tshark -r "$capture" -o portnote.iana_names:TRUE \
                  -o "gui.column.format:\"No.\",\"%m\",\"F\",\"%Cus:$field\"" \
                  | sed 's/^ *//; s/ *$//')
        assert_clean_stderr
        fields=$(pn_tshark -r "$capture" -o portnote.iana_names:TRUE -T fields -e frame.number -e "$field" \
                 | sed 's/\t/ /; s/ *$//')
        if [ "$field" = portnote.risk ] || [ "$field" = portnote.max_risk ]; then   # columns show the value's name
            fields=$(echo "$fields" | awk 'BEGIN { split("low medium high critical", name, " ") }
                NF > 1 { n = split($2, v, ","); $2 = name[v[1]]; for (i = 2; i <= n; i++) $2 = $2 "," name[v[i]] }
                { print }')
        fi
        [ "$field" = portnote.iana_only ] && fields=$(echo "$fields" | sed 's/ 1$/ True/')
        [ "$columns" = "$fields" ] || { diff <(echo "$fields") <(echo "$columns") >&2; fail "column $field differs from -T fields"; }
        [ -n "$(echo "$columns" | awk 'NF > 1')" ] || fail "column $field is empty everywhere"
        checked=$((checked + 1))
    done
    [ "$checked" -ge 14 ] || fail "only $checked portnote fields found"
    # the profile's Service and Risk columns: one risk per packet
    columns=$(pn_tshark -r "$seed" \
        -o 'gui.column.format:"No.","%m","Service","%Cus:portnote.service","Risk","%Cus:portnote.max_risk"')
    echo "$columns" | quiet_grep -P '^ *23 Telnet high$' || fail "risk column (23)"
    echo "$columns" | quiet_grep -P '^ *71 DNS low$' || fail "risk column (71)"
    columns=$(pn_tshark -r "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")" \
        -o 'gui.column.format:"No.","%m","Service","%Cus:portnote.service","Risk","%Cus:portnote.max_risk"')
    echo "$columns" | quiet_grep -P '^ *39 SSH high$' || fail "a finding's port shows its service once: $(echo "$columns" | grep -P '^ *39 ')"
    note "all $checked portnote fields work as one-pass custom columns"
}

# Each preference does what it says.
case_prefs() {
    local capture edge out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    edge=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/edge.pcap")
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 23' -o portnote.info_column:TRUE)
    echo "$out" | quiet_grep -P ' Len=0 \[23/tcp Telnet: high risk\]$' || fail "info column: $out"
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 69' -o portnote.info_column:TRUE)
    ! echo "$out" | quiet_grep Ephemeral || fail "the client's legacy-range port is in the Info column: $out"
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 69' -o portnote.info_column:TRUE -o portnote.client_ranges:TRUE)
    echo "$out" | quiet_grep -F '[1053/udp Ephemeral port (legacy range)] [53/udp DNS: low risk]' \
        || fail "client_ranges:TRUE does not show the client range: $out"
    out=$(pn_tshark -r "$capture" -q -z expert -o portnote.expert_info:FALSE)
    ! echo "$out" | quiet_grep PortNote || fail "expert_info:FALSE still raises Expert Info"
    out=$(pn_tshark -r "$capture" -q -z expert -o portnote.expert_min_risk:high)
    echo "$out" | quiet_grep 'Security.*PortNote.*risk high' || fail "high risk missing"
    ! echo "$out" | quiet_grep 'PortNote.*risk \(low\|medium\)' || fail "expert_min_risk:high let lower risks through"
    assert_clean_stderr
    out=$(pn_tshark -r "$edge" -Y 'tcp.srcport == 80 && tcp.flags.syn == 1 && tcp.flags.ack == 0' \
          -T fields -e portnote.port -e portnote.role -o portnote.client_side_ports:TRUE)
    [ "$out" = "80,8081	client,server" ] || fail "client_side_ports: $out"
    printf '"40001","udp","","Test service","","","","d","",""\n%s\n' "$IGNORE_8081" | set_user_notes
    out=$(pn_tshark -r "$edge" -Y 'udp.port == 40001' -T fields -e portnote.role | sort -u)
    [ "$out" = "unknown" ] || fail "both ports ephemeral should leave the role unknown: $out"
    out=$(pn_tshark -r "$edge" -Y 'udp.port == 40001' -T fields -e portnote.role \
          -o portnote.ephemeral_preset:custom -o portnote.ephemeral_ports:40000 | sort -u)
    [ "$out" = "server" ] || fail "custom ephemeral range did not decide the role: $out"
    out=$(pn_tshark -r "$edge" -Y 'udp.port == 40001' -T fields -e portnote.role \
          -o portnote.ephemeral_preset:legacy | sort -u)
    [ "$out" = "unknown" ] || fail "legacy range: $out"
    assert_clean_stderr
    # IANA names of undocumented server ports: Wireshark's own name for the
    # port says what to expect (its resolved port column: 4.4 and later have
    # the names built in, with no services file to read)
    [ -z "$(pn_tshark -r "$edge" -Y 'tcp.port == 8081 && portnote')" ] || fail "iana_names is on by default"
    iana=$(pn_tshark -r "$edge" -N t -Y 'tcp.dstport == 8081' -o 'gui.column.format:"Port","%rD"' | sort -u)
    out=$(pn_tshark -r "$edge" -Y 'tcp.port == 8081' -o portnote.iana_names:TRUE -T fields \
          -e portnote.port -e portnote.role -e portnote.service -e portnote.risk -e portnote.evidence | sort -u)
    [ -n "$iana" ] && [ "$iana" != 8081 ] && [ "$out" = "8081	server	$iana		port" ] \
        || fail "iana_names: '$out' (Wireshark's name for 8081/tcp: '$iana')"
    # iana_only is true on each of them (a filter: -T fields prints it 1 on 4.0, True on 4.4)
    [ "$(pn_tshark -r "$edge" -Y 'tcp.port == 8081 && portnote.iana_only == 1' -o portnote.iana_names:TRUE | wc -l)" \
      = "$(pn_tshark -r "$edge" -Y 'tcp.port == 8081' | wc -l)" ] || fail "iana_only is not set on the IANA-named port"
    assert_clean_stderr
    # a server port inside the legacy client range (1024-5000) gets its IANA name too
    printf '"2121","tcp","ignore","","","","","","",""\n"1024-5000","tcp","client","Legacy","","","","d","",""\n' | set_user_notes
    out=$(pn_tshark -r "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")" -Y 'tcp.port == 2121' \
          -o portnote.iana_names:TRUE -T fields -e portnote.port -e portnote.role -e portnote.iana_only | sort -u)
    case "$out" in   # iana_only true: -T fields prints 1 on 4.0, True on 4.4 and later
        "2121	server	1" | "2121	server	True") ;;
        *) fail "iana_names inside the client range: '$out'" ;;
    esac
    assert_clean_stderr
}

# A file written by Wireshark's table editor (its quoting) loads as written.
case_uat_file() {
    local capture out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    set_user_notes <<'EOT'
# This file is automatically generated, DO NOT MODIFY.
"80","tcp","server","HTTP \x22intranet\x22","high","exposed-service","","Caf\xc3\xa9 web \x5c portal","Watch it","our policy","low","trojan","Executor","Squats"
"23","tcp","ignore","","","","","","","","","","",""
EOT
    out=$(pn_tshark -r "$capture" -Y 'tcp.port == 80' -T fields -e portnote.service | sort -u)
    assert_clean_stderr
    [ "$out" = 'HTTP "intranet"' ] || fail "UAT escapes not read: $out"
    # the backslash by value, in a filter (4.4 and later write it as \\ in -T fields)
    [ "$(count_matching "$capture" 'tcp.port == 80 && portnote.description == "Café web \\ portal"')" \
      = "$(count_matching "$capture" 'tcp.port == 80')" ] \
        || fail "UAT escapes not read: $(pn_tshark -r "$capture" -Y 'tcp.port == 80' -V | grep -m1 Description)"
    out=$(pn_tshark -r "$capture" -Y 'tcp.port == 23 && portnote' -T fields -e portnote.service | sort -u | paste -sd/)
    [ -z "$out" ] || fail "ignore row did not silence 23/tcp: $out"
    # A file of the first format (10 fields) still loads, in the table too;
    # the one row that mixes service risks with a trojan is reported as a guess.
    set_user_notes <<'EOT'
"80","tcp","server","HTTP (old file)","low","trojan","Executor","Web","Watch it","our policy"
"21","tcp","server","FTP (old file)","high","cleartext-credentials;trojan","Doly Trojan","Files","Clear","our policy"
EOT
    out=$(pn_tshark -r "$capture" -Y 'tcp.port in {21, 80} && tcp.flags.syn == 1 && tcp.flags.ack == 0' \
          -T fields -e portnote.service -e portnote.risk -e portnote.threat | sort -u)
    # (Executor, rated low, is context until the traffic points to it)
    [ "$out" = "$(printf 'FTP (old file)\t3\tDoly Trojan\nHTTP (old file)\t\t')" ] || fail "old file: $out"
    ! grep -q "Error loading table" "$STAGE/stderr" || fail "the Port notes table refused an old file: $(cat "$STAGE/stderr")"
    grep -qF "$STAGE/config/portnotes.csv:2: a row without also_ fields mixes the service's own risks (cleartext-credentials)" \
        "$STAGE/stderr" || fail "ambiguous old row not reported: $(cat "$STAGE/stderr")"
    [ "$(grep -c portnotes.csv: "$STAGE/stderr")" = 1 ] || fail "an unambiguous old row was reported"
    # the table's own file, in the first format, loads too
    mv "$STAGE/config/portnotes.csv" "$STAGE/config/portnotes-table.csv"
    out=$(pn_tshark -r "$capture" -Y 'tcp.port == 80 && tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e portnote.service | sort -u)
    [ "$out" = "HTTP (old file)" ] || fail "the table's file in the first format: $out"
    ! grep -q "Error loading table" "$STAGE/stderr" || fail "the Port notes table refused its old file: $(cat "$STAGE/stderr")"
    rm "$STAGE/config/portnotes-table.csv"
}

# The shipped profile: columns, colouring rules and filter buttons.
case_profile() {
    local capture payload exposure out filter
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    bash "$PN_SOURCE_DIR/tools/install-profile.sh" "$STAGE/config" >/dev/null
    chmod -R a+rX "$STAGE/config"
    out=$(pn_tshark -C PortNote -r "$capture" -Y 'frame.number == 31')
    assert_clean_stderr
    echo "$out" | quiet_grep -F 'TCP MSG Authentication (msg-auth) high external 54 49160 → 31 [SYN]' \
        || fail "profile columns missing: $out"
    echo "$out" | quiet_grep -F '[31/tcp MSG Authentication (msg-auth): high risk]' || fail "Info column"
    out=$(pn_tshark -C PortNote -r "$capture" --color -T fields -e frame.number -e frame.coloring_rule.name)
    for expected in "31	PortNote high" "23	PortNote high" "27	PortNote medium"; do
        echo "$out" | quiet_grep -xF "$expected" || fail "colouring: expected '$expected'"
    done
    ! echo "$out" | quiet_grep -P '^1\tPortNote' || fail "colouring: a low risk is coloured"
    payload=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")
    out=$(pn_tshark -C PortNote -r "$payload" --color -Y 'tcp.port == 6379' -T fields -e frame.coloring_rule.name | sort -u)
    [ "$out" = "PortNote critical" ] || fail "colouring: critical: $out"
    # a warning reached from outside stands out, the same service inside does not
    out=$(pn_tshark -C PortNote -r "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/exposure.pcap")" --color \
          -Y 'tcp.port == 445' -T fields -e ip.src -e frame.coloring_rule.name | sort -u)
    echo "$out" | quiet_grep -xF "$(printf '203.0.113.7\tPortNote inbound')" || fail "colouring: inbound: $out"
    out=$(pn_tshark -C PortNote -r "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/exposure.pcap")" --color \
          -Y 'tcp.port == 50200' -T fields -e frame.coloring_rule.name | sort -u)
    ! echo "$out" | quiet_grep PortNote || fail "colouring: internal SMB is coloured: $out"
    grep -q '^@Bad TCP@' "$STAGE/config/profiles/PortNote/colorfilters" \
        || fail "Wireshark's default colouring rules were not kept"
    # every filter button is a valid filter that selects something here (the
    # payload check's findings are in payload.pcap)
    payload=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")
    exposure=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/exposure.pcap")
    while IFS= read -r filter; do
        [ "$(count_matching "$capture" "$filter")" -gt 0 ] || [ "$(count_matching "$payload" "$filter")" -gt 0 ] \
            || [ "$(count_matching "$exposure" "$filter")" -gt 0 ] \
            || fail "button filter '$filter' selects nothing"
    done < <(awk -F'","' '/^"TRUE"/ { gsub(/\\x22/, "\"", $3); print $3 }' \
                 "$STAGE/config/profiles/PortNote/dfilter_buttons")
    # every column of the profile has a width, and the Service column fits the
    # longest built-in service name at about 7.5 pixels a character
    python3 -I -S - "$STAGE/config/profiles/PortNote" "$DATA_FILE" <<'PY' || fail "profile column widths"
import csv, re, sys
profile, data = sys.argv[1:]
prefs = open(profile + "/preferences", encoding="utf-8").read()
columns = re.findall(r'"[^"]*", "(%[^"]*?)(?::\d+:R)?"', prefs)
recent = open(profile + "/recent", encoding="utf-8").read()
widths = dict(re.findall(r'"(%[^"]*)", "(\d+)"', recent))
missing = [c for c in columns if c not in widths]
assert columns and not missing, "columns without a width in recent: %s" % missing
services = [r[3] for r in csv.reader(open(data, encoding="utf-8")) if r and not r[0].startswith("#")]
need = int(max(map(len, services)) * 7.5)
assert int(widths["%Cus:portnote.service"]) >= need, "Service column %s px < %d px" % (widths["%Cus:portnote.service"], need)
PY
    note "profile columns, colours and $(grep -c '^"TRUE"' "$STAGE/config/profiles/PortNote/dfilter_buttons") buttons work"
}

# ---- Bad notes files ------------------------------------------------------------

# Installs FILE as the personal portnotes.csv and annotates edge.pcap;
# prints "port service" for the 8080, 8081 and 40001 conversations.
with_user_file() {
    set_user_notes <"$1"
    pn_tshark -r "$EDGE" -Y 'portnote' -T fields -e portnote.port -e portnote.service | sort -u
}

expect_problems() {   # file-in-config, then "line: reason" ...
    local file="$STAGE/config/portnotes.csv" expected
    shift
    for expected in "$@"; do
        grep -qF "$file:$expected" "$STAGE/stderr" || { cat "$STAGE/stderr" >&2; fail "missing warning: $file:$expected"; }
    done
}

case_bad_data_files() {
    local data="$PN_SOURCE_DIR/tests/data" out
    EDGE=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/edge.pcap")

    out=$(with_user_file "$data/bad-rows.csv")
    expect_problems x "3: expected 16 fields (or 14 or 10 in the older formats), found 3" "4: '-1' is not a port" "5: '65536' is not a port" \
        "6: 'abc' is not a port" "7: port range '9000-8000' is reversed" "8: unknown transport 'quic'" \
        "9: unknown risk 'severe'" "10: unknown category 'trojen'" "11: risk 'high' needs a note" \
        "12: unknown role 'both'" "13: unexpected text after field 4" "14: field 2 must be a \"quoted string\"" \
        "15: unknown escape" "17: port 40001/udp is already described at line 16; this row replaces it" \
        "19: port 7050/tcp is already described at line 18"
    [ "$(grep -c "$STAGE/config/portnotes.csv:" "$STAGE/stderr")" = 15 ] || fail "expected 15 problems"
    echo "$out" | quiet_grep -xF "8080	HTTP proxy" || fail "good row before the bad ones lost: $out"
    echo "$out" | quiet_grep -xF "40001	Duplicate of the row above" || fail "later duplicate should win: $out"
    out=$(pn_tshark -r "$EDGE" -Y 'tcp.dstport == 8080' -T fields -e portnote.note | sort -u)
    [ "$out" = "Open proxy: %s%n%x" ] || fail "note text altered: $out"

    out=$(with_user_file "$data/crlf-bom.csv")
    assert_clean_stderr
    echo "$out" | quiet_grep -xF "8081	CRLF service" || fail "BOM/CRLF file not read: $out"

    out=$(with_user_file "$data/invalid-utf8.csv")
    expect_problems x "1: the line is not valid UTF-8"
    echo "$out" | quiet_grep -xF "8081	Good after bad UTF-8" || fail "row after invalid UTF-8 lost: $out"

    out=$(with_user_file "$data/long-field.csv")
    expect_problems x "1: field 8 is 5000 bytes long (at most 4096)"
    echo "$out" | quiet_grep -xF "8081	Good after long" || fail "row after a long field lost: $out"

    with_user_file "$data/empty.csv" >/dev/null
    grep -qF "$STAGE/config/portnotes.csv: the file is empty" "$STAGE/stderr" || fail "empty file not reported"

    cp "$data/crlf-bom.csv" "$STAGE/config/portnotes.csv"
    chmod 000 "$STAGE/config/portnotes.csv"
    out=$(pn_tshark -r "$EDGE" -Y 'tcp.dstport == 8080 && tcp.flags.ack == 0' -T fields -e frame.number)
    grep -qF "$STAGE/config/portnotes.csv: cannot read the file: " "$STAGE/stderr" || fail "unreadable file not reported"
    [ -n "$out" ] || fail "tshark stopped working with an unreadable file"

    # 100,000 rows: every TCP port, then UDP ports 1-34465
    awk 'BEGIN { for (i = 0; i < 100000; i++) {
                     t = i < 65536 ? "tcp" : "udp"; p = i < 65536 ? i : i - 65535
                     printf "\"%d\",\"%s\",\"\",\"svc-%s-%d\",\"low\",\"trojan\",\"t%d\",\"d\",\"n\",\"s\"\n", p, t, t, p, i } }' \
        >"$STAGE/many.csv"
    out=$(with_user_file "$STAGE/many.csv")
    assert_clean_stderr
    echo "$out" | quiet_grep -xF "8080	svc-tcp-8080" || fail "100,000-row file: $out"
    echo "$out" | quiet_grep -xF "40001	svc-tcp-40001" && fail "40001 is udp here"
    note "all bad-data cases reported as file:line with the good rows kept"
}

# Server ports documented for TCP and UDP, as a display-filter set body.
documented_server_ports() {
    awk -F'","' -v t="$1" '/^"/ { sub(/^"/, "", $1); if ($2 == t && $3 != "client") print $1 }' "$DATA_FILE" \
        | sed 's/-/../' | paste -sd,
}

# Real captures from other projects: golden output, and every frame that
# carries a documented server port (outside ICMP quotes) is annotated.
case_shared() {
    local capture="$1" staged missed
    [ -d "$PN_SHARED_PCAPS" ] || { echo "no $PN_SHARED_PCAPS: skipped"; exit $SKIP; }
    case_golden "$capture"
    staged=$(pn_stage_file "$capture")
    missed=$(frames_matching "$staged" \
        "(tcp.port in {$(documented_server_ports tcp)} || udp.port in {$(documented_server_ports udp)}) && !icmp && !icmpv6 && !portnote")
    [ -z "$missed" ] || fail "frames on documented ports without notes: $(echo $missed)"
    note "no frame on a documented port went unannotated"
    check_expert_once "$staged"
    check_not_truncated "$staged"
}

# ---- The payload check ---------------------------------------------------------

# For each conversation of payload.pcap (by client port, as mkpcaps builds it):
# what its last frame says.  evidence: payload, port, or - (no note at all);
# observed: the protocol, or -; finding: protocol-mismatch, non-standard-port or -.
PAYLOAD_EXPECTED="
50100 payload ssh -
50101 payload http -
50102 payload tls -
50103 payload smtp -
50104 payload ftp -
50105 payload pop3 -
50106 payload imap -
50107 payload telnet -
50108 payload dns -
50109 payload http -
50110 payload http protocol-mismatch
50111 payload ssh protocol-mismatch
50112 payload tls protocol-mismatch
50113 payload tls protocol-mismatch
50114 payload http protocol-mismatch
50115 payload ssh non-standard-port
50116 payload http non-standard-port
50117 payload http non-standard-port
50118 payload dns non-standard-port
50119 port - -
50120 payload redis -
50121 port - -
50122 payload ssh protocol-mismatch
50123 payload http -
"
# Conversations the table above does not list, because a later one reused
# their ports: 50123's first connection spoke SSH on 80/tcp.
PAYLOAD_EARLIER_MISMATCHES=1

# Each crafted case is decided as the table says, in both directions.
case_payload() {
    local capture out cport evidence observed finding got checked=0
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")
    out=$(pn_tshark -r "$capture" -T fields -E occurrence=a -E aggregator='|' \
          -e tcp.port -e udp.port -e portnote.evidence -e portnote.observed -e portnote.category)
    assert_clean_stderr
    while read -r cport evidence observed finding; do
        [ -n "$cport" ] || continue
        got=$(echo "$out" | awk -F'\t' -v p="$cport" '
            { n = split($1 "|" $2, ports, /[|,]/); for (i = 1; i <= n; i++) if (ports[i] == p) last = $0 }
            END { split(last, f, "\t"); ev = f[3] ~ /payload/ ? "payload" : f[3] ~ /port/ ? "port" : "-"
                  fi = f[5] ~ /protocol-mismatch/ ? "protocol-mismatch" : f[5] ~ /non-standard-port/ ? "non-standard-port" : "-"
                  print ev, (f[4] == "" ? "-" : f[4]), fi }')
        [ "$got" = "$evidence $observed $finding" ] \
            || fail "conversation from port $cport: expected '$evidence $observed $finding', got '$got'"
        checked=$((checked + 1))
    done <<<"$PAYLOAD_EXPECTED"
    # a finding's Expert Info once per service (server, port, protocol seen),
    # not on every packet nor every conversation
    for passes in "" -2; do
        for kind in protocol-mismatch non-standard-port; do
            local expert_filter="portnote.protocol_mismatch || portnote.protocol_mismatch.critical"
            [ "$kind" = non-standard-port ] && expert_filter="portnote.non_standard_port || portnote.non_standard_port.low
              || portnote.non_standard_port.high || portnote.non_standard_port.critical"
            local services
            # the finding is the first note (TCP layers come first); addresses and ports the innermost
            local kind_filter="portnote.category == \"$kind\""
            [ "$kind" = non-standard-port ] && kind_filter="$kind_filter && !(portnote.category == \"protocol-mismatch\")"
            services=$(pn_tshark -r "$capture" $passes -Y "$kind_filter" -T fields \
                       -E occurrence=a -E aggregator='|' -e ip.dst -e ip.src -e portnote.port -e portnote.observed \
                       -e tcp.srcport -e udp.srcport |
                       awk -F'\t' 'function first(v, a) { split(v, a, "|"); return a[1] }
                                   function last(v, a) { n = split(v, a, "|"); return a[n] }
                                   { port = first($3); server = (port == last($5) || port == last($6)) ? last($2) : last($1)
                                     print server, port, first($4) }' | sort -u | wc -l)
            [ "$(frames_matching "$capture" "$expert_filter" $passes | wc -l)" = "$services" ] \
                || fail "$kind Expert Info is not raised once per service (${passes:-one pass}: $services services)"
        done
    done
    check_evidence_rule "$capture"
    [ -z "$(pn_tshark -r "$capture" -o portnote.payload_check:FALSE -Y 'portnote.observed || portnote.evidence == "payload"')" ] \
        || fail "payload_check:FALSE still checks payloads"
    note "$checked crafted conversations decided as expected"
}

# The findings per conversation (-z portnote,findings), two passes: the JSON
# objects between the markers, one per line.
pn_findings() {   # capture [filter]
    pn_tshark -r "$1" -2 -q -z "portnote,findings${2:+,$2}" |
        awk '/^=== end ===$/ { on = 0 } on { print } /^=== portnote findings ===$/ { on = 1 }'
}

# Every finding parses, names its conversation, and its filter brings back
# exactly its packets; the whole output matches the reviewed golden file.
case_findings() {
    local capture staged golden rows filter port transport packets checked=0
    for capture in "$PN_SOURCE_DIR/pcaps/seed.pcap" "$PN_SOURCE_DIR/pcaps/payload.pcap"; do
        staged=$(pn_stage_file "$capture")
        golden="$GOLDEN_DIR/findings-$(basename "$capture" .pcap).ndjson"
        rows=$(pn_findings "$staged")
        assert_clean_stderr
        diff -u "$golden" <(echo "$rows") >&2 || fail "findings of $(basename "$capture") differ from $golden"
        echo "$rows" | python3 -c '
import json, sys
keys = ["first_seen", "last_seen", "rel_first", "rel_last", "client", "client_port", "server",
        "server_port", "transport", "service", "risk", "exposure", "categories", "threats", "also_used_by",
        "evidence", "observed", "tunnelled", "finding", "packets", "bytes", "filter"]
for n, line in enumerate(sys.stdin):
    row = json.loads(line)
    assert list(row) == keys, row
    assert row["first_seen"] <= row["last_seen"] and row["packets"] > 0, row
    # the filters checked against tshark: every finding, and a sample of the rest
    if row["finding"] or n % 6 == 0:
        print("%s	%d	%s	%d" % (row["filter"], row["server_port"], row["transport"], row["packets"]))
' >"$STAGE/rows" || fail "findings of $(basename "$capture") do not parse"
        while IFS=$'\t' read -r filter port transport packets; do
            [ "$(count_matching "$staged" "($filter) && portnote.port == $port && portnote.transport == \"$transport\"" -2)" = "$packets" ] \
                || fail "finding '$filter' counts $packets packets, its filter disagrees"
            checked=$((checked + 1))
        done <"$STAGE/rows"
    done
    # a filter argument narrows the findings like a display filter
    rows=$(pn_findings "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")" 'udp.port == 53')
    echo "$rows" | python3 -c '
import json, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
assert rows and all(r["server_port"] == 53 and r["transport"] == "udp" for r in rows), rows
' || fail "filtered findings: $rows"
    note "$checked findings parse and their filters bring back their packets"
}

# Risk follows the evidence: HTTP confirmed on 80/tcp (client port 50101)
# drops the Executor trojan, which only uses the port number; SSH on 80/tcp
# (50111) keeps it.
check_evidence_rule() {   # payload.pcap
    local capture="$1" genuine="tcp.port == 50101" mismatch="tcp.port == 50111" all
    all=$(count_matching "$capture" "$genuine")
    [ "$(count_matching "$capture" "$genuine && portnote.also_used_by == \"Executor\"" -2)" = "$all" ] \
        || fail "confirmed HTTP: Executor is not context on every frame (two passes)"
    [ -z "$(frames_matching "$capture" "$genuine && (portnote.threat || portnote.risk || $PN_EXPERT)" -2)" ] \
        || fail "confirmed HTTP still carries a threat, a risk or Expert Info (two passes)"
    [ -z "$(frames_matching "$capture" "$genuine && tcp.len > 0 && portnote.threat")" ] \
        || fail "confirmed HTTP carries a threat once its payload was seen (one pass)"
    # before any payload, software that merely shares the port is context
    # (the service is by far the likelier explanation), not a threat
    [ -n "$(frames_matching "$capture" "$genuine && tcp.flags.syn == 1 && portnote.also_used_by == \"Executor\" && !portnote.threat")" ] \
        || fail "before any payload, Executor should be context on 80/tcp (one pass)"
    [ -n "$(frames_matching "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")" "tcp.port == 31 && portnote.threat == \"Master's Paradise\"")" ] \
        || fail "a trojan whose port has no likelier service should stand before any payload"
    [ "$(count_matching "$capture" "$mismatch && portnote.threat == \"Executor\"" -2)" = \
      "$(count_matching "$capture" "$mismatch")" ] || fail "SSH on 80/tcp lost the port's threats"
    note "HTTP on 80/tcp: Executor only as context; SSH on 80/tcp: Executor stands; 31/tcp: Master's Paradise stands"
}

# Genuine traffic is not flagged: every real capture, conversation by conversation.
case_payload_real() {
    local capture staged conversations confirmed flagged total=0 total_confirmed=0 total_flagged=0
    [ -d "$PN_SHARED_PCAPS" ] || { echo "no $PN_SHARED_PCAPS: skipped"; exit $SKIP; }
    for capture in "$PN_SHARED_PCAPS"/*.pcap*; do
        staged=$(pn_stage_file "$capture")
        conversations=$(pn_tshark -r "$staged" -q -z conv,tcp -z conv,udp | grep -c '<->' || true)
        confirmed=$(pn_tshark -r "$staged" -Y 'portnote.evidence == "payload" && !portnote.category in {"protocol-mismatch", "non-standard-port"}' \
                    -T fields -e tcp.stream -e udp.stream | sort -u | wc -l)
        flagged=$(pn_tshark -r "$staged" -Y 'portnote.category in {"protocol-mismatch", "non-standard-port"}' \
                  -T fields -e tcp.stream -e udp.stream | sort -u | wc -l)
        assert_clean_stderr
        note "$(basename "$capture"): $conversations conversations, $confirmed confirmed by their payload, $flagged flagged"
        total=$((total + conversations)); total_confirmed=$((total_confirmed + confirmed))
        total_flagged=$((total_flagged + flagged))
    done
    note "all real captures: $total conversations, $total_confirmed confirmed, $total_flagged flagged"
    [ "$total_flagged" = 0 ] || fail "genuine traffic flagged: $total_flagged conversations"
}

# Exposure: the same service weighs what who talks to whom makes of it;
# routine services stay quiet; a bad local_networks entry is named and
# the others apply.
services_of() {   # capture, tshark options...
    pn_tshark -r "$1" -2 -q -z portnote,services "${@:2}" | sed -n '/^{/p'
    assert_clean_stderr
}

service_field() {   # json lines, server, port, field
    python3 -c 'import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["server"] == sys.argv[1] and r["server_port"] == int(sys.argv[2]):
        print(r[sys.argv[3]])' "$2" "$3" "$4" <<<"$1"
}

case_exposure() {
    local capture services risk out lines
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/exposure.pcap")
    services=$(services_of "$capture")
    lines=$(python3 -c 'import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["server"], r["server_port"], r["exposure"], r["worst_risk"])' <<<"$services")
    for expected in "10.1.1.10 445 internal low" "10.1.1.10 445 inbound high" \
                    "203.0.113.9 445 external high" "198.51.100.9 445 outbound medium" \
                    "127.0.0.1 6379 loopback none" "10.1.1.2 88 internal low" "10.1.1.2 53 internal low"; do
        echo "$lines" | quiet_grep -x -F "$expected" || fail "expected service '$expected' in: $lines"
    done
    # A kinit is one Kerberos service: one conversation each, one Expert Info.
    [ "$(service_field "$services" 10.1.1.2 88 conversations)" = 3 ] || fail "kinit: $services"
    out=$(pn_tshark -r "$capture" -2 -q -z expert,chat)
    assert_clean_stderr
    [ "$(echo "$out" | grep -c '88/udp Kerberos')" = 1 ] || fail "one Expert Info for the Kerberos service: $out"
    echo "$out" | quiet_grep -E '^ +1 +Security +PortNote  445/tcp SMB over TCP \(server\), risk low' \
        || fail "internal SMB raises one Chat at most: $out"
    # DNS answers with no request (the victim's side of a reflection) weigh
    # the row's own level; the resolver's ordinary answers stay low.
    echo "$lines" | quiet_grep -x -F "198.51.100.53 53 outbound medium" || fail "the reflected DNS answers are not medium: $lines"
    pn_tshark -r "$capture" -2 -Y 'ip.src == 198.51.100.53 && portnote.summary contains "answers amplified"' \
        -T fields -e frame.number | quiet_grep . || fail "the reflected DNS answers do not say they are amplified"
    # SMB to the Internet says why it matters.
    pn_tshark -r "$capture" -Y 'portnote.exposure == "outbound" && portnote.note contains "NTLM"' \
        -T fields -e frame.number | quiet_grep . || fail "outbound SMB has no NTLM note"
    # Nothing local: every conversation is external, and SMB inside is high again.
    risk=$(service_field "$(services_of "$capture" -o 'portnote.local_networks:')" 10.1.1.10 445 worst_risk | sort -u)
    [ "$risk" = high ] || fail "with no local networks, 10.1.1.10:445 should be high only: $risk"
    # A bad entry is named, the others apply.
    pn_tshark -r "$capture" -o 'portnote.local_networks:10.1.1.0/24, 10.300.0.0/16, fd00::/8' -q >/dev/null
    quiet_grep -F "'10.300.0.0/16' is not an address or prefix" "$STAGE/stderr" || fail "bad entry not reported: $(cat "$STAGE/stderr")"
    risk=$(pn_tshark -r "$capture" -o 'portnote.local_networks:10.1.1.0/24, bogus' -Y 'tcp.srcport == 50200' \
           -T fields -e portnote.exposure | sort -u | tr -d '\n')
    [ "$risk" = internal ] || fail "the good entries of a bad list apply: '$risk'"
}

# The services in Wireshark's statistics-table dialog (Statistics >
# PortNote Services), read through tshark's printer of such tables: the
# rows of the JSON view (-z portnote,services), in its order, with the
# same counts and worst risk; and each row's display filter selects as
# many packets as the row counted.
services_table_rows() {   # capture: the table's rows as JSON lines, checked against the view's
    local table json
    table=$(pn_tshark -r "$1" -2 -q -z portnote,services-table)
    assert_clean_stderr
    json=$(services_of "$1")
    python3 -c 'import json, sys
table, view = sys.argv[1].splitlines(), [json.loads(l) for l in sys.argv[2].splitlines()]
columns = ["Server", "Port", "Transport", "Service", "Exposure", "Clients", "Conversations",
           "Packets", "Worst risk", "Display filter"]
header = [i for i, l in enumerate(table) if l == " |".join(columns) + " |"]
if len(header) != 1 or table[header[0] + 1] != "PortNote Services":
    sys.exit("no table with the columns " + " |".join(columns) + ":\n" + sys.argv[1])
rows = []
for line in table[header[0] + 2:]:
    if line.startswith("====="):
        break
    cells = [c.strip() for c in line.split("|")]
    if len(cells) != len(columns) + 1 or cells[-1]:
        sys.exit("not a row of the table: " + line)
    rows.append(dict(zip(columns, cells)))
risks = ["none", "low", "medium", "high", "critical"]
def as_view(r):
    return [r["Server"], int(r["Port"]), r["Transport"], r["Service"], r["Exposure"], int(r["Clients"]),
            int(r["Conversations"]), int(r["Packets"]), r["Worst risk"]]
keys = ["server", "server_port", "transport", "service", "exposure", "clients", "conversations", "packets"]
want = [[v[k] for k in keys] + ["%d %s" % (risks.index(v["worst_risk"]), v["worst_risk"])] for v in view]
got = [as_view(r) for r in rows]
if got != want:
    sys.exit("table rows differ from the view'"'"'s:\n table %s\n view  %s" % (got, want))
for r in rows:
    print(json.dumps(r))' "$table" "$json"
}

case_services_table() {
    local pcap capture rows row filter packets got
    for pcap in "$PN_SOURCE_DIR"/pcaps/*.pcap; do
        capture=$(pn_stage_file "$pcap")
        rows=$(services_table_rows "$capture") || fail "$(basename "$pcap"): the table is not the view"
        [ -n "$rows" ] || fail "$(basename "$pcap"): no rows"
        note "$(basename "$pcap"): $(echo "$rows" | wc -l) services, as in the JSON view"
        case "$(basename "$pcap")" in exposure.pcap|ipv6.pcap) ;; *) continue ;; esac
        while read -r row; do
            filter=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["Display filter"])' "$row")
            packets=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["Packets"])' "$row")
            got=$(frames_matching "$capture" "$filter" -2 | wc -l)
            [ "$got" = "$packets" ] || fail "$(basename "$pcap"): '$filter' selects $got packets, the row counted $packets"
        done <<<"$rows"
        note "$(basename "$pcap"): each row's filter selects the row's packets"
    done
}

# The Port notes table as Wireshark's dialog saves it (tests/table/table-save.c
# calls what the dialog calls): it shows the built-in rows, saves only the
# user's and the changed ones in the profile's portnotes-table.csv, never
# touches a hand-edited portnotes.csv, and tshark reads what it saved.
case_table_save() {
    local capture table rows hand builtins out
    [ -x "${PN_TABLE_SAVE:-}" ] || { note "table-save helper not built"; exit $SKIP; }
    cp "$PN_TABLE_SAVE" "$STAGE/table-save"
    chmod a+rx "$STAGE/table-save"
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    set_user_notes <<'EOT'
# edited by hand
"31337","tcp","server","Hand-written","high","","","Ours","Watch it","our notes","","","",""
EOT
    hand=$(cat "$STAGE/config/portnotes.csv")
    pn_command "$STAGE/table-save" edit
    table=$("${PN_CMD[@]}" 2>"$STAGE/stderr") || { cat "$STAGE/stderr" >&2; fail "table-save edit failed"; }
    assert_clean_stderr
    [ "$table" = "$STAGE/config/portnotes-table.csv" ] || fail "the table saved to '$table'"
    [ "$(cat "$STAGE/config/portnotes.csv")" = "$hand" ] || fail "saving the table changed the hand-edited portnotes.csv"
    rows=$(grep -v '^#' "$table")
    [ "$(echo "$rows" | grep -c .)" = 2 ] || fail "the table's file holds other rows than the changed and the added one: $(head -c 600 "$table")"
    echo "$rows" | quiet_grep '^"23","tcp","server","Telnet","critical",' || fail "changed 23/tcp not saved: $rows"
    echo "$rows" | quiet_grep '^"40404","tcp","server","Lab console",' || fail "added row not saved: $rows"
    # reopened: every built-in row once, the changed one in its place, and the added one
    builtins=$(grep -c '^"' "$PN_SOURCE_DIR/data/portnotes.csv")
    pn_command "$STAGE/table-save" show
    out=$("${PN_CMD[@]}" 2>"$STAGE/stderr") || { cat "$STAGE/stderr" >&2; fail "table-save show failed"; }
    [ "$out" = "$((builtins + 1))	critical	Lab console" ] || fail "reopened table: '$out' (built-in rows: $builtins)"
    # tshark takes the notes from both files
    [ "$(count_matching "$capture" 'portnote.port == 23 && portnote.risk == 4')" -gt 0 ] \
        || fail "the saved 23/tcp change is not in force"
    note "table saved $(echo "$rows" | grep -c .) rows of $((builtins + 1)) shown; tshark reads them"
}

# The signatures added for issue 20 on the real captures that carry them
# (zeek's test suite in ../shared/pcaps): each capture, a display filter,
# the protocol portnote.observed must name on the conversations it selects,
# and the verdict.  The own port confirmed, DNP3 off its port found, the
# ports assigned at run time (NFS's mountd) left alone; NTP's control and
# private (ntpq, ntpdc) queries confirm 123; FTP and IRC captures that
# start mid-session (PASV, a bare PRIVMSG), syslog without its PRI, Teredo
# bubbles with RFC 6081 trailers, DNS over QUIC and mDNS's multi-question
# queries and question-less announcements confirm their ports.  Teredo's UDP
# carries an IPv6 packet whose addresses are the packet's network addresses:
# its header is found after the outer IPv4 header.
case_payload_protocols() {
    local row capture filter proto want staged got wrong
    [ -d "$PN_SHARED_PCAPS/zeek-corpus" ] || { echo "no $PN_SHARED_PCAPS/zeek-corpus: skipped"; exit $SKIP; }
    for row in \
        "zeek-corpus/dnp3_dnp3.pcap|tcp.port == 20000|dnp3|confirmed" \
        "zeek-corpus/dnp3_dnp3_udp_read.pcap|udp.port == 20000|dnp3|confirmed" \
        "zeek-corpus/dnp3_dnp3_read_p20001.pcap|tcp.port == 20001|dnp3|non-standard-port" \
        "zeek-corpus/nfs_nfs_base.pcap|tcp.port == 2049|onc-rpc|confirmed" \
        "zeek-corpus/portmapper-many-unanswered-calls.pcapng.gz|tcp.port == 111|onc-rpc|confirmed" \
        "zeek-corpus/dce-rpc_kerberos135_auth.pcapng|tcp.port == 135|dcerpc|confirmed" \
        "protocols/zeek_bittorrent_tracker.pcap|tcp.port == 6969|bittorrent|confirmed" \
        "zeek-corpus/tunnels_Teredo.pcap|udp.port == 3544|teredo|confirmed" \
        "zeek-corpus/ntp_ntpmode67.pcap|udp.port == 123|ntp|confirmed" \
        "zeek-corpus/ftp_ftp-with-numbers-in-filename.pcap|tcp.port == 21|ftp|confirmed" \
        "zeek-corpus/irc-dcc-send-malformed-host.pcap|tcp.port == 6667|irc|confirmed" \
        "zeek-corpus/syslog-missing-pri.pcap|udp.port == 514|syslog|confirmed" \
        "zeek-corpus/tunnels_gtp_gtp8_teredo.pcap|udp.port == 3544|teredo|confirmed" \
        "zeek-corpus/quic_quicdoq.pcap|udp.port == 853|quic|confirmed" \
        "zeek-corpus/dns_mdns.pcap|udp.port == 5353|dns|confirmed"; do
        IFS='|' read -r capture filter proto want <<<"$row"
        [ -f "$PN_SHARED_PCAPS/$capture" ] || { note "$capture absent: not checked"; continue; }
        staged=$(pn_stage_file "$PN_SHARED_PCAPS/$capture")
        if [ "$want" = confirmed ]; then
            want='!portnote.category in {"protocol-mismatch", "non-standard-port"}'
        else
            want="portnote.category == \"$want\""
        fi
        got=$(pn_tshark -r "$staged" -2 -Y "($filter) && portnote.observed == \"$proto\" && $want" | wc -l)
        assert_clean_stderr
        wrong=$(pn_tshark -r "$staged" -2 -Y "($filter) && portnote.observed && portnote.observed != \"$proto\"" | wc -l)
        note "$capture ($filter): $got packets $proto as expected, $wrong naming another protocol"
        [ "$got" -gt 0 ] || fail "$capture: no packet with $proto and $want"
        [ "$wrong" = 0 ] || fail "$capture: $wrong packets name a protocol other than $proto"
    done
    # What a proxy's or an upgrade's tunnel carries is shown as such, never as a
    # finding on the port: "capture|server port|port's protocol|tunnelled protocol".
    for row in "zeek-corpus/socks-with-ssl.pcap|1080|socks|tls" \
               "zeek-corpus/mysql_tls-12-amazon-rds.pcap|3306|mysql|tls" \
               "zeek-corpus/tls_pop3-starttls.pcap|110|pop3|tls" \
               "zeek-corpus/http_connect-with-header.pcap|80|http|tls"; do
        IFS='|' read -r capture port proto want <<<"$row"
        [ -f "$PN_SHARED_PCAPS/$capture" ] || { note "$capture absent: not checked"; continue; }
        staged=$(pn_stage_file "$PN_SHARED_PCAPS/$capture")
        got=$(pn_tshark -r "$staged" -2 -q -z portnote,findings | python3 -c 'import json, sys
for line in sys.stdin:
    if line.startswith("{"):
        r = json.loads(line)
        if r["server_port"] == int(sys.argv[1]):
            print(r["observed"], r["tunnelled"], r["finding"])' "$port" | sort -u)
        assert_clean_stderr
        note "$capture: $port/tcp observed, tunnelled, finding: $got"
        [ "$got" = "$proto $want None" ] || fail "$capture: expected '$proto $want None' on $port, got '$got'"
    done
    # mountd on a port assigned at run time: ONC RPC there decides nothing
    staged=$(pn_stage_file "$PN_SHARED_PCAPS/zeek-corpus/nfs_nfs_base.pcap")
    got=$(pn_tshark -r "$staged" -2 -Y 'udp.port == 20048 && portnote.category in {"protocol-mismatch", "non-standard-port"}' | wc -l)
    [ "$got" = 0 ] || fail "ONC RPC on mountd's port 20048 raised $got findings"
}

update_golden() {
    local capture staged passes
    mkdir -p "$GOLDEN_DIR/shared"
    for capture in "$PN_SOURCE_DIR"/pcaps/*.pcap "${PN_SHARED_PCAPS:-/nonexistent}"/*.pcap*; do
        [ -f "$capture" ] || continue
        staged=$(pn_stage_file "$capture")
        for passes in "" -2; do
            pn_golden_fields "$staged" $passes >"$(golden_path "$capture" "$passes")"
            assert_clean_stderr
            echo "wrote $(golden_path "$capture" "$passes")"
        done
    done
    for capture in seed payload; do
        pn_findings "$(pn_stage_file "$PN_SOURCE_DIR/pcaps/$capture.pcap")" >"$GOLDEN_DIR/findings-$capture.ndjson"
        assert_clean_stderr
        echo "wrote $GOLDEN_DIR/findings-$capture.ndjson"
    done
}

pn_stage "$PN_PLUGIN" "$PN_WS_VERSION"
case "${1:-}" in
    plugin-loaded)     case_plugin_loaded ;;
    golden)            case_golden "$PN_SOURCE_DIR/pcaps/$2.pcap" ;;
    filters)           case_filters "$PN_SOURCE_DIR/pcaps/$2.pcap" ;;
    seed-coverage)     case_seed_coverage ;;
    expert)            case_expert ;;
    details)           case_details ;;
    override)          case_override ;;
    override-profile)  case_override_profile ;;
    override-malformed) case_override_malformed ;;
    pcaps-reproducible) case_pcaps_reproducible ;;
    stats)             case_stats ;;
    exports)           case_exports ;;
    columns)           case_columns ;;
    prefs)             case_prefs ;;
    uat-file)          case_uat_file ;;
    profile)           case_profile ;;
    bad-data-files)    case_bad_data_files ;;
    shared)            case_shared "$2" ;;
    payload)           case_payload ;;
    payload-real)      case_payload_real ;;
    payload-protocols) case_payload_protocols ;;
    long-text)         case_long_text ;;
    findings)          case_findings ;;
    tree-free)         case_tree_free ;;
    exposure)          case_exposure ;;
    table-save)        case_table_save ;;
    services-table)    case_services_table ;;
    update-golden)     update_golden ;;
    *) echo "usage: $0 CASE [ARG] | update-golden" >&2; exit 2 ;;
esac
