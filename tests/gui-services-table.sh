#!/usr/bin/env bash
# The services table in the real Wireshark GUI (Statistics > PortNote
# Services), opened under Xvfb the way `wireshark -z` opens a statistics
# dialog: it lists the rows tshark's -z portnote,services-table lists, as
# the dialog's own "Save as…" writes them; after a display filter is
# applied in the dialog (a new pass, which empties the table first), only
# the filtered services remain.  Skips (77) where Wireshark's GUI or a
# display server is missing.  The dialog's buttons are found by their
# place in Wireshark 4.0's layout (Qt widgets are no X windows).
set -euo pipefail
. "$PN_SOURCE_DIR/tests/harness/tshark-stage.sh"
. "$PN_SOURCE_DIR/tests/harness/wireshark-gui.sh"

gui_test_begin
capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/exposure.pcap")

# The rows tshark prints (FILTER: the table's display filter), each as its
# values separated by single spaces, sorted.
tshark_rows() {   # filter
    pn_tshark -r "$capture" -2 -q -z "portnote,services-table${1:+,$1}" |
        awk -F'|' 'NF == 11 && $2 ~ /^ *[0-9]+ *$/ {
            row = ""; for (i = 1; i <= 10; i++) { v = $i; gsub(/^ +| +$/, "", v); row = row (i > 1 ? " " : "") v }
            print row }' | sort
}

# The rows of the dialog's plain-text save (between the dashed rules), the
# same way.
saved_rows() {   # file
    awk '/^-+$/ { inside = !inside; next }
         inside { $1 = $1; print }' "$1" | sort
}

# Clicks a point of the dialog given from its bottom right corner.
click_from_corner() {   # window, dx, dy
    local WIDTH HEIGHT X Y SCREEN WINDOW
    eval "$(xdo getwindowgeometry --shell "$1")"
    xdo mousemove --window "$1" $((WIDTH - $2)) $((HEIGHT - $3)) mousedown 1
    sleep 0.2   # a press and release at once is sometimes not taken as a click
    xdo mouseup 1
}

# Prints the id of the visible "Save Statistics As" file dialog, if any.
save_dialog() {
    xdo search --onlyvisible --name 'Save Statistics As' | head -n 1 || true
}

# Saves the dialog's table as plain text through its "Save as…" button.
# On a loaded machine the file dialog may show before its name field takes
# keys, so the name is typed over (Ctrl+A) and Save clicked again while the
# dialog stays open and nothing is saved.
save_table() {   # dialog, file
    local save attempt
    click_from_corner "$1" 144 24
    for _ in $(seq 20); do
        save=$(save_dialog)
        [ -n "$save" ] && break
        sleep 0.5
    done
    [ -n "$save" ] || fail "no Save Statistics As dialog after clicking \"Save as…\" (has the layout changed?)"
    for attempt in 1 2 3; do
        sleep $attempt
        xdo key --window "$save" ctrl+a
        xdo type --window "$save" "$2"
        sleep 0.5
        # its Save button: a second file dialog of the session does not take Return
        click_from_corner "$save" 50 55
        for _ in $(seq 20); do
            [ -s "$2" ] && return 0
            sleep 0.5
        done
        [ -n "$(save_dialog)" ] || break
        echo "# attempt $attempt: nothing saved and the file dialog is still open: typing the name again" >&2
    done
    fail "the dialog saved nothing in $2"
}

expected=$(tshark_rows "")
expected_tcp=$(tshark_rows tcp)
[ "$(echo "$expected" | grep -c .)" -gt "$(echo "$expected_tcp" | grep -c .)" ] \
    || fail "tshark lists no fewer tcp services than services: $expected"
gui_start_display || { echo "no display server could be started: skipped"; exit 77; }

gui_run_wireshark -r "$capture" -z portnote,services-table
dialog=$(gui_wait_window 'PortNote Services') || fail "no PortNote Services dialog"
sleep 2
save_table "$dialog" "$STAGE/home/all.txt"
got=$(saved_rows "$STAGE/home/all.txt")
[ "$got" = "$expected" ] || { diff <(echo "$expected") <(echo "$got") >&2 || true; fail "the dialog's rows differ from tshark's (< tshark, > dialog)"; }
echo "# the dialog lists $(echo "$got" | grep -c .) services, as tshark does"

# A display filter in the dialog: a new pass over the packets, which
# empties the table and counts again.
click_from_corner "$dialog" 290 55
xdo type --window "$dialog" tcp
sleep 1
# Apply twice: the first click may only close the filter's completion
# popup, and a second pass over the same filter must give the same rows.
for _ in 1 2; do
    click_from_corner "$dialog" 52 55
    sleep 3
done
save_table "$dialog" "$STAGE/home/tcp.txt"
got=$(saved_rows "$STAGE/home/tcp.txt")
[ "$got" = "$expected_tcp" ] || { diff <(echo "$expected_tcp") <(echo "$got") >&2 || true; fail "with the filter tcp, the dialog's rows differ from tshark's (< tshark, > dialog)"; }
echo "# with the display filter tcp: $(echo "$got" | grep -c .) services, as tshark lists"
kill -0 "$GUI_WIRESHARK_PID" || fail "Wireshark is gone"
