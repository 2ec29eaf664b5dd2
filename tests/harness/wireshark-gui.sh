# wireshark-gui.sh: sourced after tshark-stage.sh by the GUI test and the
# screenshot script.  Runs the real Wireshark (Qt) under Xvfb with the staged
# plugin and the private configuration, as nobody when we are root.

GUI_SIZE=1400x1000

gui_available() {
    command -v wireshark >/dev/null && command -v Xvfb >/dev/null && command -v xdotool >/dev/null
}

# Starts Xvfb on a free display; sets GUI_DISPLAY.  Fails when it cannot.
gui_start_display() {
    local n
    for n in $(seq 91 120); do
        [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
        Xvfb ":$n" -screen 0 "${GUI_SIZE}x24" -nolisten tcp >"$STAGE/xvfb.log" 2>&1 &
        GUI_XVFB_PID=$!
        for _ in $(seq 50); do
            # The socket appears before the server accepts clients: ask it.
            [ -e "/tmp/.X11-unix/X$n" ] && DISPLAY=":$n" xdotool getdisplaygeometry >/dev/null 2>&1 \
                && { GUI_DISPLAY=":$n"; return 0; }
            kill -0 "$GUI_XVFB_PID" 2>/dev/null || break
            sleep 0.1
        done
    done
    return 1
}

# Runs wireshark ARGS... in the background; sets GUI_WIRESHARK_PID.
gui_run_wireshark() {
    local runtime="$STAGE/home/runtime"
    mkdir -p "$runtime"
    [ "$(id -u)" = 0 ] && chown 65534:65534 "$runtime"
    chmod 700 "$runtime"
    local PN_EXTRA_ENV=(DISPLAY="$GUI_DISPLAY" XDG_RUNTIME_DIR="$runtime" QT_QPA_PLATFORM=xcb)
    pn_command wireshark "$@"
    "${PN_CMD[@]}" >"$STAGE/wireshark.out" 2>&1 &
    GUI_WIRESHARK_PID=$!
}

xdo() { DISPLAY="$GUI_DISPLAY" xdotool "$@" 2>/dev/null; }

# Prints the id of the first window whose name matches NAME (waits up to 60 s).
gui_wait_window() {
    local id
    for _ in $(seq 120); do
        id=$(xdo search --name "$1" | head -n 1)
        [ -n "$id" ] && { echo "$id"; return 0; }
        kill -0 "$GUI_WIRESHARK_PID" 2>/dev/null || return 1
        sleep 0.5
    done
    return 1
}

gui_screenshot() {   # WINDOW FILE
    DISPLAY="$GUI_DISPLAY" import -window "$1" "$2"
}

# Quits Wireshark the way a person does (Ctrl+Q), so that it saves its state.
gui_quit() {   # MAIN_WINDOW
    xdo mousemove --window "$1" 700 300 click 1
    sleep 0.3
    xdo key ctrl+q
    for _ in $(seq 60); do
        kill -0 "$GUI_WIRESHARK_PID" 2>/dev/null || return 0
        sleep 0.25
    done
    return 1
}

gui_cleanup() {
    local pid
    for pid in ${GUI_WIRESHARK_PID:-} ${GUI_XVFB_PID:-}; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}

# gui_test_begin: what every GUI test does first: defines fail (prints
# Wireshark's own output too), skips (77) where the GUI is missing, stages
# the plugin under test and cleans up on exit.
gui_test_begin() {
    fail() { echo "FAIL: $*" >&2; cat "$STAGE/wireshark.out" >&2 2>/dev/null; exit 1; }
    gui_available || { echo "wireshark (Qt), Xvfb or xdotool not installed: skipped"; exit 77; }
    pn_stage "$PN_PLUGIN" "$PN_WS_VERSION"
    trap 'gui_cleanup; rm -rf "$STAGE"' EXIT
}
