#!/usr/bin/env bash
# Takes the screenshots of the README and docs/ in the real Wireshark under
# Xvfb, with the freshly built plugin and the PortNote profile: the packet details with Port
# Notes expanded, the Expert Information dialog, the statistics tree, and a
# protocol mismatch found by the payload check.
#   usage: scripts/screenshots.sh [OUTPUT_DIR]    (default docs/screenshots)
# Needs a build (scripts/build.sh) and wireshark-qt, xvfb, xdotool, imagemagick.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
plugin=$(ls build/plugins/*/epan/portnote.so)
ws_version=$(basename "$(dirname "$(dirname "$plugin")")")
. tests/harness/tshark-stage.sh
. tests/harness/wireshark-gui.sh

gui_available && command -v import >/dev/null \
    || { echo "needs wireshark-qt, xvfb, xdotool and imagemagick" >&2; exit 1; }
pn_stage "$plugin" "$ws_version"
trap 'gui_cleanup; rm -rf "$STAGE"' EXIT
bash tools/install-profile.sh "$STAGE/config" >/dev/null
chmod -R a+rX "$STAGE/config"
capture=$(pn_stage_file pcaps/seed.pcap)
gui_start_display || { echo "cannot start Xvfb" >&2; exit 1; }
mkdir -p "$out"

# Opens the capture with extra arguments, waits for WINDOW_NAME, sizes it;
# sets $window.
open_window() {   # WINDOW_NAME WIDTH HEIGHT ARGS...
    local name=$1 width=$2 height=$3
    shift 3
    gui_run_wireshark -C PortNote -r "$capture" "$@"
    window=$(gui_wait_window "$name") || { cat "$STAGE/wireshark.out" >&2; exit 1; }
    sleep 2
    xdo windowmove "$window" 0 0    # no window manager places it for us
    xdo windowsize "$window" "$width" "$height"
    sleep 1
}

close_wireshark() {
    kill "$GUI_WIRESHARK_PID" 2>/dev/null || true
    wait "$GUI_WIRESHARK_PID" 2>/dev/null || true
}

# Packet 23 (Telnet SYN) selected; its Port Notes item (the last of the
# details pane) expanded with all its subtrees.
open_window 'seed\.pcap' 1400 1000 -g 23
xdo mousemove --window "$window" 90 546 click 1
sleep 1
xdo key End
sleep 0.5
xdo key shift+Right
sleep 1
gui_screenshot "$window" "$out/packet-details.png"
close_wireshark

# The Expert Information dialog, from the status bar's expert button once the
# capture has loaded, with the Warning group expanded.
open_window 'seed\.pcap' 1400 1000
main=$window
for _ in $(seq 10); do
    xdo mousemove --window "$main" 16 987 click 1
    sleep 1
    window=$(xdo search --name 'Expert Information' | head -n 1 || true)
    [ -n "$window" ] && break
done
[ -n "$window" ] || { echo "no expert window" >&2; exit 1; }
sleep 5     # the dialog retaps the capture before it shows counts
xdo windowsize "$window" 1100 560
sleep 2
xdo mousemove --window "$window" 21 58 click 1
sleep 2
gui_screenshot "$window" "$out/expert-info.png"
close_wireshark

# Statistics > PortNote > Port notes (the GUI's -z does not open stats trees);
# PortNote is the last entry of the Statistics menu.
open_window 'seed\.pcap' 1400 1000
xdo mousemove --window "$window" 324 10 click 1
sleep 1
xdo key Up Right Return
window=$(gui_wait_window 'Port notes') || { echo "no statistics window" >&2; exit 1; }
sleep 1
xdo windowsize "$window" 1100 700
sleep 1
gui_screenshot "$window" "$out/stats-tree.png"
close_wireshark
# An HTTP request to 22/tcp (pcaps/payload.pcap, frame 39): the port's note
# and the payload check's finding, side by side in the details.
capture=$(pn_stage_file pcaps/payload.pcap)
open_window 'payload\.pcap' 1400 1000 -g 39
gui_screenshot "$window" "$out/payload-mismatch.png"
close_wireshark
echo "Screenshots written to $out"
