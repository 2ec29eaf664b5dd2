# tshark-stage.sh: sourced by the test harness and the demo.  Runs tshark with
# one freshly built portnote.so and nothing else from this machine: the plugin
# is staged in a private, world-readable folder, the configuration folder is
# private and empty, no extcap helper is started (an empty extcap folder),
# and dissector bugs abort.  tshark ignores
# WIRESHARK_PLUGIN_DIR when run as root, so as root it runs as nobody.

# pn_stage PLUGIN_SO WS_MAJOR_MINOR: creates $STAGE (removed on exit).
pn_stage() {
    STAGE=$(mktemp -d "${TMPDIR:-/tmp}/portnote.XXXXXX")
    trap 'rm -rf "$STAGE"' EXIT
    mkdir -p "$STAGE/plugins/$2/epan" "$STAGE/config" "$STAGE/home" "$STAGE/pcaps" "$STAGE/extcap"
    cp "$1" "$STAGE/plugins/$2/epan/portnote.so"
    chmod -R a+rX "$STAGE"
    chmod 1777 "$STAGE/config" "$STAGE/home"
    PN_STAGED_PLUGIN="$STAGE/plugins/$2/epan/portnote.so"
}

# pn_stage_file FILE: copies FILE into the stage, prints the staged path.
pn_stage_file() {
    local dest="$STAGE/pcaps/$(basename "$1")"
    cp "$1" "$dest"
    chmod a+r "$dest"
    echo "$dest"
}

# pn_tshark ARGS...: tshark as described above; stderr goes to $STAGE/stderr.
# Extra environment (e.g. LD_PRELOAD of a sanitizer runtime) comes from the
# array PN_EXTRA_ENV, as NAME=VALUE words (later ones win); a command to run
# tshark under (valgrind, /usr/bin/time) from the array PN_TSHARK_WRAPPER.
pn_tshark() {
    local cmd=(env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME="$STAGE/home"
               LC_ALL=C.UTF-8 TZ=UTC
               WIRESHARK_PLUGIN_DIR="$STAGE/plugins"
               WIRESHARK_CONFIG_DIR="$STAGE/config"
               WIRESHARK_EXTCAP_DIR="$STAGE/extcap"
               WIRESHARK_ABORT_ON_DISSECTOR_BUG=1
               ${PN_EXTRA_ENV[@]+"${PN_EXTRA_ENV[@]}"}
               ${PN_TSHARK_WRAPPER[@]+"${PN_TSHARK_WRAPPER[@]}"}
               tshark "$@")
    if [ "$(id -u)" = 0 ]; then
        cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups "${cmd[@]}")
    fi
    "${cmd[@]}" 2>"$STAGE/stderr"
}
