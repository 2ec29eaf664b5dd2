#!/usr/bin/env bash
# tshark-driven tests of the PortNote plugin, run by ctest (tests/CMakeLists.txt).
#
#   tshark-tests.sh CASE [ARG]     run one test case (see the case list at the end)
#   tshark-tests.sh update-golden  rewrite every golden file from the current build
#
# Environment (set by ctest): PN_SOURCE_DIR, PN_PLUGIN (the built portnote.so),
# PN_WS_VERSION (MAJOR.MINOR), PN_MKPCAPS, PN_SHARED_PCAPS.
#
# Every tshark run goes through pn_tshark (scripts/tshark-stage.sh): the freshly
# built plugin staged in a private folder, a private empty configuration,
# WIRESHARK_ABORT_ON_DISSECTOR_BUG, and an unprivileged user when we are root.
set -euo pipefail

SKIP=77
GOLDEN_DIR="$PN_SOURCE_DIR/tests/golden"
DATA_FILE="$PN_SOURCE_DIR/data/portnotes.csv"
# The fields of the golden files, in order.
GOLDEN_FIELDS=(frame.number portnote.port portnote.transport portnote.role
               portnote.service portnote.risk portnote.category portnote.threat
               portnote.evidence portnote.observed)

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

# ---- Staging and running tshark -----------------------------------------

# shellcheck source=../scripts/tshark-stage.sh
. "$PN_SOURCE_DIR/scripts/tshark-stage.sh"

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

# Golden file of a capture: sample captures by name, shared ones under shared/.
golden_path() {
    case "$1" in
        "$PN_SOURCE_DIR"/pcaps/*) echo "$GOLDEN_DIR/$(basename "$1" .pcap).tsv" ;;
        *) echo "$GOLDEN_DIR/shared/$(basename "$1").tsv" ;;
    esac
}

# Frame numbers selected by a display filter, one per line.
frames_matching() {
    pn_tshark -r "$1" -Y "$2" -T fields -e frame.number
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
    echo "$plugins" | grep -qF "$PN_STAGED_PLUGIN" \
        || fail "portnote was not loaded from the staged build"
    # name, short name, filter name: the first columns (4.4 and later add more)
    pn_tshark -G protocols | grep -qP '^Port Notes\tPortNote\tportnote(\t|$)' || fail "protocol not registered"
    for f in port transport role service description risk category threat note source; do
        pn_tshark -G fields | grep -qP "^F\t[^\t]*\tportnote\.$f\t" || fail "field portnote.$f missing"
    done
}

# tshark -T fields output matches the reviewed golden file, in one pass and
# in two (-2: the second pass shows the notes kept from the first).
case_golden() {
    local capture="$1" golden actual staged
    golden=$(golden_path "$capture")
    [ -f "$golden" ] || fail "no golden file $golden (run the update-golden target)"
    staged=$(pn_stage_file "$capture")
    for passes in "" -2; do
        actual=$(pn_golden_fields "$staged" $passes)
        assert_clean_stderr
        if ! diff -u "$golden" <(echo "$actual") >&2; then
            fail "${passes:-one-pass} output differs from $golden (if intended: cmake --build build --target update-golden)"
        fi
    done
    note "$(($(wc -l <"$golden") - 1)) rows match $golden, one pass and two"
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
            "$(awk -F'\t' -v t="$threat" 'NR > 1 { n = split($8, a, /[|,]/); for (i = 1; i <= n; i++) if (a[i] == t) { m = split($1, r, "-"); for (f = r[1]; f <= r[m]; f++) print f; break } }' "$golden")" \
            "$(frames_matching "$capture" "portnote.threat == \"$threat\"")"
    done < <(awk -F'\t' 'NR > 1 { n = split($8, a, /[|,]/); for (i = 1; i <= n; i++) print a[i] }' "$golden" | sort -u)
    for category in trojan cleartext-credentials amplification; do
        same_frames "portnote.category == \"$category\"" \
            "$(golden_frames "$golden" 7 "(^|[|,])$category([|,]|$)")" \
            "$(frames_matching "$capture" "portnote.category == \"$category\"")"
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
            echo "$seen" | grep -qxF "$pt/$dir" || missing="$missing $pt($dir)"
        done
    done
    [ -z "$missing" ] || fail "seed ports not annotated in seed.pcap:$missing"
    note "all 24 seed port/transport pairs annotated in both directions"
}

# Expert Info: one Security item per warning, severity following the risk.
case_expert() {
    local capture golden out expected actual
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    golden="$GOLDEN_DIR/seed.tsv"
    out=$(pn_tshark -r "$capture" -q -z expert,chat)
    assert_clean_stderr
    expected=$(awk -F'\t' 'NR > 1 && $6 != "" { m = split($1, r, "-"); n += split($6, a, "|") * (r[m] - r[1] + 1) } END { print n + 0 }' "$golden")
    actual=$(echo "$out" | awk '$2 == "Security" && $3 == "PortNote" { n += $1 } END { print n + 0 }')
    [ "$expected" = "$actual" ] || fail "expected $expected PortNote expert items, got $actual"
    expert_section() { echo "$out" | awk -v s="$1" '/^[A-Z][a-z]+ \([0-9]+\)$/ { cur = $1 } cur == s'; }
    expert_section Errors | grep -qF '31/tcp MSG Authentication (msg-auth) (server), risk critical: trojan; threats: Master'"'"'s Paradise, Hackers Paradise' \
        || fail "critical risk is not an Error"
    expert_section Warns | grep -qF '23/tcp Telnet (server), risk high' || fail "high risk is not a Warning"
    expert_section Notes | grep -qF '53/udp DNS' || fail "medium risk is not a Note"
    expert_section Chats | grep -qF '80/tcp HTTP (server), risk low: trojan; threats: Executor' \
        || fail "low risk is not a Chat"
    note "$actual PortNote expert items"
}

# The packet details line reads well without expanding anything.
case_details() {
    local capture out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    out=$(pn_tshark -r "$capture" -V -O portnote -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 23')
    assert_clean_stderr
    echo "$out" | grep -qF 'Port Notes: 23/tcp Telnet (server), risk high: cleartext-credentials, reconnaissance, trojan' \
        || fail "summary line missing: $out"
    echo "$out" | grep -qF 'Port Notes: 1029/tcp Ephemeral port (legacy range) (client)' || fail "client line missing"
    # generated items (not bytes of the packet) print in brackets
    echo "$out" | grep -qP '^\s+Port: 23$' || fail "port missing"
    echo "$out" | grep -qP '^\s+\[Risk: high \(3\)\]$' || fail "risk not shown with its name"
    echo "$out" | grep -qP '^\s+\[Threat: Tiny Telnet Server\]$' || fail "threat missing"
    echo "$out" | grep -qP '^\s+\[Source: Baidu Encyclopedia' || fail "source missing"
    echo "$out" | grep -qP '^\s+\[Defined at: built-in portnotes.csv:\d+\]$' || fail "origin missing"
}

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
    [ "$out" = "Ephemeral port (legacy range)/Telnet" ] || fail "other built-in rows lost: $out"
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
    for expected in "$file:2: '65536' is not a port" "$file:3: expected 10 fields, found 11" \
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

# "name<TAB>count<TAB>depth" for every node of a -z portnote,tree report.
stats_nodes() {
    awk '/^Packets with port notes/ { on = 1 }
         on && NF > 1 && !/^=+$/ {
             match($0, /^ */); depth = RLENGTH; line = substr($0, depth + 1)
             split(line, parts, /  +/); print parts[1] "\t" parts[2] "\t" depth }'
}

count_matching() {   # capture, filter
    frames_matching "$1" "$2" | grep -c . || true
}

# Each node of the statistics tree agrees with the matching display filter.
check_stats_against_filters() {   # capture, extra filter ("" for none)
    local capture="$1" extra="$2" report name count depth filter and="" checked=0 port rest observed
    [ -n "$extra" ] && and=" && ($extra)"
    report=$(pn_tshark -r "$capture" -q -z "portnote,tree${extra:+,$extra}")
    assert_clean_stderr
    while IFS=$'\t' read -r name count depth; do
        case "$depth:$name" in
            0:*) filter="portnote" ;;
            1:"No warning") continue ;;
            1:"Risk "*) filter="portnote.risk == \"${name#Risk }\"" ;;
            2:*" payload, "*)   # "22/tcp SSH: http payload, protocol-mismatch"
                 port=${name%%/*}; rest=${name#*/}; observed=${name##*: }; observed=${observed%% *}
                 filter="portnote.port == $port && portnote.transport == \"${rest%% *}\""
                 filter+=" && portnote.category == \"${name##*, }\" && portnote.observed == \"$observed\"" ;;
            2:*) port=${name%%/*}; rest=${name#*/}
                 filter="portnote.port == $port && portnote.transport == \"${rest%% *}\"" ;;
            *) continue ;;
        esac
        [ "$count" = "$(count_matching "$capture" "$filter$and")" ] \
            || fail "stats node '$name' counts $count, filter '$filter$and' disagrees"
        checked=$((checked + 1))
    done < <(echo "$report" | stats_nodes)
    [ "$checked" -gt 5 ] || fail "only $checked stats nodes found in: $report"
    note "$checked stats nodes agree with their filters${extra:+ (with $extra)}"
}

case_stats() {
    local capture
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    check_stats_against_filters "$capture" ""
    check_stats_against_filters "$capture" "ip.addr == 198.51.100.53"
    pn_tshark -r "$capture" -q -z portnote,tree | stats_nodes | grep -qP '^198\.51\.100\.20\t4\t3$' \
        || fail "server address level missing"
    # payload findings are nodes of their own, under their risk
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")
    check_stats_against_filters "$capture" ""
    pn_tshark -r "$capture" -q -z portnote,tree | stats_nodes \
        | grep -qP '^22/tcp SSH: http payload, protocol-mismatch\t2\t2$' || fail "finding node missing"
}

# Machine-readable output through Wireshark's own exporters.
case_exports() {
    local capture out mapping
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 23' -T json -j portnote)
    assert_clean_stderr
    for expected in '"portnote.port": "23"' '"portnote.threat": "Tiny Telnet Server"' \
                    '"portnote.risk": "3"' '"portnote.role": "client"' '"portnote.category": "trojan"'; do
        echo "$out" | grep -qF "$expected" || fail "json lacks $expected"
    done
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 23' -T ek)
    assert_clean_stderr
    for expected in '"portnote_portnote_port":"23"' '"portnote_portnote_risk":"3"' \
                    '"portnote_portnote_category":["cleartext-credentials","reconnaissance","trojan","worm","default-credentials"]'; do
        echo "$out" | grep -qF "$expected" || fail "ek lacks $expected"
    done
    # tshark's own mapping types the numeric fields ...
    out=$(pn_tshark -G elastic-mapping --elastic-mapping-filter portnote | tr -d ' \n')
    echo "$out" | grep -qF '"portnote_portnote_port":{"type":"integer"}' || fail "tshark mapping: port"
    echo "$out" | grep -qF '"portnote_portnote_risk":{"type":"short"}' || fail "tshark mapping: risk"
    # ... and ours covers every field, agreeing with tshark where it maps one.
    pn_tshark -G fields >"$STAGE/fields"
    mapping=$(bash "$PN_SOURCE_DIR/scripts/elastic-mapping.sh" "$STAGE/fields" | tr -d ' \n')
    for field in $(pn_tshark -G fields | awk -F'\t' '$1 == "F" && $3 ~ /^portnote\./ && $4 != "FT_NONE" { print $3 }'); do
        echo "$mapping" | grep -qF "\"portnote_${field//./_}\":{\"type\":" || fail "mapping lacks $field"
    done
    echo "$out" | grep -qF "$(echo "$mapping" | grep -oF '"portnote_portnote_port":{"type":"integer"}')" \
        || fail "mapping types disagree with tshark"
}

# Every portnote field as a custom column in a one-pass run (no -V, no -2)
# shows what -T fields shows (risk as its name in the column).
case_columns() {
    local seed edge capture field columns fields checked=0
    seed=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    edge=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/edge.pcap")
    for field in $(pn_tshark -G fields | awk -F'\t' '$1 == "F" && $3 ~ /^portnote\./ && $4 != "FT_NONE" { print $3 }'); do
        # IANA names on; edge.pcap has the undocumented server ports
        capture=$seed
        [ "$field" = portnote.iana_only ] && capture=$edge
        columns=$(pn_tshark -r "$capture" -o portnote.iana_names:TRUE \
                  -o "gui.column.format:\"No.\",\"%m\",\"F\",\"%Cus:$field\"" \
                  | sed 's/^ *//; s/ *$//')
        assert_clean_stderr
        fields=$(pn_tshark -r "$capture" -o portnote.iana_names:TRUE -T fields -e frame.number -e "$field" \
                 | sed 's/\t/ /; s/ *$//')
        if [ "$field" = portnote.risk ]; then   # columns show the value's name
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
    columns=$(pn_tshark -r "$seed" \
        -o 'gui.column.format:"No.","%m","Service","%Cus:portnote.service","Risk","%Cus:portnote.risk"')
    echo "$columns" | grep -qP '^ *23 Ephemeral port \(legacy range\),Telnet high$' || fail "risk column (23)"
    echo "$columns" | grep -qP '^ *71 DNS,DNS medium,medium$' || fail "risk column (71)"
    note "all $checked portnote fields work as one-pass custom columns"
}

# Each preference does what it says.
case_prefs() {
    local capture edge out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    edge=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/edge.pcap")
    out=$(pn_tshark -r "$capture" -Y 'frame.number == 23' -o portnote.info_column:TRUE)
    echo "$out" | grep -qF '[1029/tcp Ephemeral port (legacy range)] [23/tcp Telnet: high risk]' \
        || fail "info column: $out"
    out=$(pn_tshark -r "$capture" -q -z expert -o portnote.expert_info:FALSE)
    ! echo "$out" | grep -q PortNote || fail "expert_info:FALSE still raises Expert Info"
    out=$(pn_tshark -r "$capture" -q -z expert -o portnote.expert_min_risk:high)
    echo "$out" | grep -q 'Security.*PortNote.*risk high' || fail "high risk missing"
    ! echo "$out" | grep -q 'PortNote.*risk \(low\|medium\)' || fail "expert_min_risk:high let lower risks through"
    assert_clean_stderr
    out=$(pn_tshark -r "$edge" -Y 'tcp.srcport == 80 && tcp.flags.syn == 1 && tcp.flags.ack == 0' \
          -T fields -e portnote.port -e portnote.role -o portnote.client_side_ports:TRUE)
    [ "$out" = "80	client" ] || fail "client_side_ports: $out"
    printf '"40001","udp","","Test service","","","","d","",""\n' | set_user_notes
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
}

# A file written by Wireshark's table editor (its quoting) loads as written.
case_uat_file() {
    local capture out
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    set_user_notes <<'EOT'
# This file is automatically generated, DO NOT MODIFY.
"80","tcp","server","HTTP \x22intranet\x22","high","trojan;exposed-service","Executor","Caf\xc3\xa9 web \x5c portal","Watch it","our policy"
"23","tcp","ignore","","","","","","",""
EOT
    out=$(pn_tshark -r "$capture" -Y 'tcp.port == 80' -T fields -e portnote.service | sort -u)
    assert_clean_stderr
    [ "$out" = 'HTTP "intranet"' ] || fail "UAT escapes not read: $out"
    # the backslash by value, in a filter (4.4 and later write it as \\ in -T fields)
    [ "$(count_matching "$capture" 'tcp.port == 80 && portnote.description == "Café web \\ portal"')" \
      = "$(count_matching "$capture" 'tcp.port == 80')" ] \
        || fail "UAT escapes not read: $(pn_tshark -r "$capture" -Y 'tcp.port == 80' -V | grep -m1 Description)"
    out=$(pn_tshark -r "$capture" -Y 'tcp.port == 23' -T fields -e portnote.service | sort -u | paste -sd/)
    [ "$out" = "Ephemeral port (legacy range)" ] || fail "ignore row did not silence 23/tcp: $out"
}

# The shipped profile: columns, colouring rules and filter buttons.
case_profile() {
    local capture payload out filter
    capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
    bash "$PN_SOURCE_DIR/scripts/install-profile.sh" "$STAGE/config" >/dev/null
    chmod -R a+rX "$STAGE/config"
    out=$(pn_tshark -C PortNote -r "$capture" -Y 'frame.number == 31')
    assert_clean_stderr
    echo "$out" | grep -qF 'TCP MSG Authentication (msg-auth) critical 54 49160 → 31 [SYN]' \
        || fail "profile columns missing: $out"
    echo "$out" | grep -qF '[31/tcp MSG Authentication (msg-auth): critical risk]' || fail "Info column"
    out=$(pn_tshark -C PortNote -r "$capture" --color -T fields -e frame.number -e frame.coloring_rule.name)
    for expected in "31	PortNote critical" "23	PortNote high" "27	PortNote medium" "1	PortNote medium"; do
        echo "$out" | grep -qxF "$expected" || fail "colouring: expected '$expected'"
    done
    grep -q '^@Bad TCP@' "$STAGE/config/profiles/PortNote/colorfilters" \
        || fail "Wireshark's default colouring rules were not kept"
    # every filter button is a valid filter that selects something here (the
    # payload check's findings are in payload.pcap)
    payload=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/payload.pcap")
    while IFS= read -r filter; do
        [ "$(count_matching "$capture" "$filter")" -gt 0 ] || [ "$(count_matching "$payload" "$filter")" -gt 0 ] \
            || fail "button filter '$filter' selects nothing"
    done < <(awk -F'","' '/^"TRUE"/ { gsub(/\\x22/, "\"", $3); print $3 }' \
                 "$STAGE/config/profiles/PortNote/dfilter_buttons")
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
    expect_problems x "3: expected 10 fields, found 3" "4: '-1' is not a port" "5: '65536' is not a port" \
        "6: 'abc' is not a port" "7: port range '9000-8000' is reversed" "8: unknown transport 'quic'" \
        "9: unknown risk 'severe'" "10: unknown category 'trojen'" "11: risk 'high' needs a note" \
        "12: unknown role 'both'" "13: unexpected text after field 4" "14: field 2 must be a \"quoted string\"" \
        "15: unknown escape" "17: port 40001/udp is already described at line 16; this row replaces it" \
        "19: port 7050/tcp is already described at line 18"
    [ "$(grep -c "$STAGE/config/portnotes.csv:" "$STAGE/stderr")" = 15 ] || fail "expected 15 problems"
    echo "$out" | grep -qxF "8080	HTTP proxy" || fail "good row before the bad ones lost: $out"
    echo "$out" | grep -qxF "40001	Duplicate of the row above" || fail "later duplicate should win: $out"
    out=$(pn_tshark -r "$EDGE" -Y 'tcp.dstport == 8080' -T fields -e portnote.note | sort -u)
    [ "$out" = "Open proxy: %s%n%x" ] || fail "note text altered: $out"

    out=$(with_user_file "$data/crlf-bom.csv")
    assert_clean_stderr
    echo "$out" | grep -qxF "8081	CRLF service" || fail "BOM/CRLF file not read: $out"

    out=$(with_user_file "$data/invalid-utf8.csv")
    expect_problems x "1: the line is not valid UTF-8"
    echo "$out" | grep -qxF "8081	Good after bad UTF-8" || fail "row after invalid UTF-8 lost: $out"

    out=$(with_user_file "$data/long-field.csv")
    expect_problems x "1: field 8 is 5000 bytes long (at most 4096)"
    echo "$out" | grep -qxF "8081	Good after long" || fail "row after a long field lost: $out"

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
    echo "$out" | grep -qxF "8080	svc-tcp-8080" || fail "100,000-row file: $out"
    echo "$out" | grep -qxF "40001	svc-tcp-40001" && fail "40001 is udp here"
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
50119 - - -
50120 port - -
50121 port - -
50122 payload ssh protocol-mismatch
"

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
    # Expert Info once per decided direction, not on every packet
    [ "$(frames_matching "$capture" portnote.protocol_mismatch | wc -l)" = 9 ] \
        || fail "protocol-mismatch Expert Info is not raised once per decided direction"
    [ "$(frames_matching "$capture" portnote.non_standard_port | wc -l)" = 6 ] \
        || fail "non-standard-port Expert Info is not raised once per decided direction"
    [ -z "$(pn_tshark -r "$capture" -o portnote.payload_check:FALSE -Y 'portnote.observed || portnote.evidence == "payload"')" ] \
        || fail "payload_check:FALSE still checks payloads"
    note "$checked crafted conversations decided as expected"
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

update_golden() {
    mkdir -p "$GOLDEN_DIR/shared"
    for capture in "$PN_SOURCE_DIR"/pcaps/*.pcap "${PN_SHARED_PCAPS:-/nonexistent}"/*.pcap*; do
        [ -f "$capture" ] || continue
        pn_golden_fields "$(pn_stage_file "$capture")" >"$(golden_path "$capture")"
        assert_clean_stderr
        echo "wrote $(golden_path "$capture")"
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
    update-golden)     update_golden ;;
    *) echo "usage: $0 CASE [ARG] | update-golden" >&2; exit 2 ;;
esac
