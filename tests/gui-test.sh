#!/usr/bin/env bash
# Starts the real Wireshark GUI under Xvfb with the freshly built plugin and
# the PortNote profile, opens a sample capture, quits, and checks from
# Wireshark's own log and saved state that the plugin ran and the profile was
# applied.  Skips (77) where Wireshark's GUI or a display server is missing.
set -euo pipefail
. "$PN_SOURCE_DIR/tests/harness/tshark-stage.sh"
. "$PN_SOURCE_DIR/tests/harness/wireshark-gui.sh"

gui_test_begin
bash "$PN_SOURCE_DIR/tools/install-profile.sh" "$STAGE/config" >/dev/null
chmod -R a+rX "$STAGE/config"
capture=$(pn_stage_file "$PN_SOURCE_DIR/pcaps/seed.pcap")
gui_start_display || { echo "no display server could be started: skipped"; exit 77; }

gui_run_wireshark -C PortNote -r "$capture" -g 23 \
    --log-level info --log-domains portnote --log-file "$STAGE/home/gui.log"
window=$(gui_wait_window 'seed\.pcap') || fail "no Wireshark window"
sleep 2
gui_quit "$window" || fail "Wireshark did not quit"

grep -q 'port notes rows loaded for profile PortNote ' "$STAGE/home/gui.log" \
    || fail "the plugin did not load its notes in the GUI: $(cat "$STAGE/home/gui.log" 2>/dev/null)"
grep -qx 'gui.last_used_profile: PortNote' "$STAGE/config/recent_common" \
    || fail "Wireshark did not run with the PortNote profile"
echo "# Wireshark GUI ran the plugin ($(grep -o '[0-9]* port notes rows' "$STAGE/home/gui.log" | head -1)) with the PortNote profile"
