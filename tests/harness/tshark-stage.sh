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

# pn_built_plugin ROOT: prints the portnote.so built in ROOT/build; fails,
# saying why, when there is none or more than one.
pn_built_plugin() {
    local found=("$1"/build/plugins/*/epan/portnote.so)
    [ -f "${found[0]}" ] || { echo "no build/plugins/*/epan/portnote.so: build first (cmake -S . -B build && cmake --build build)" >&2; return 1; }
    [ ${#found[@]} = 1 ] || { echo "several built plugins (${found[*]}): choose one with --plugin" >&2; return 1; }
    echo "${found[0]}"
}

# pn_stage_file FILE: copies FILE into the stage, prints the staged path.
pn_stage_file() {
    local dest="$STAGE/pcaps/$(basename "$1")"
    cp "$1" "$dest"
    chmod a+r "$dest"
    echo "$dest"
}

# pn_command PROGRAM ARGS...: sets the array PN_CMD to run PROGRAM as
# described above: a clean environment with the staged plugin and private
# configuration, as nobody when we are root.  Extra environment (e.g.
# LD_PRELOAD of a sanitizer runtime, DISPLAY) comes from the array
# PN_EXTRA_ENV, as NAME=VALUE words (later ones win).
pn_command() {
    PN_CMD=(env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME="$STAGE/home"
            LC_ALL=C.UTF-8 TZ=UTC
            WIRESHARK_PLUGIN_DIR="$STAGE/plugins"
            WIRESHARK_CONFIG_DIR="$STAGE/config"
            WIRESHARK_EXTCAP_DIR="$STAGE/extcap"
            WIRESHARK_ABORT_ON_DISSECTOR_BUG=1
            ${PN_EXTRA_ENV[@]+"${PN_EXTRA_ENV[@]}"}
            "$@")
    if [ "$(id -u)" = 0 ]; then
        PN_CMD=(setpriv --reuid=65534 --regid=65534 --clear-groups "${PN_CMD[@]}")
    fi
}

# pn_tshark ARGS...: tshark run by pn_command, under the command in the array
# PN_TSHARK_WRAPPER when set (valgrind, /usr/bin/time); stderr goes to
# $STAGE/stderr.
pn_tshark() {
    pn_command ${PN_TSHARK_WRAPPER[@]+"${PN_TSHARK_WRAPPER[@]}"} tshark "$@"
    "${PN_CMD[@]}" 2>"$STAGE/stderr"
}

# pn_tshark_release: the version of the tshark on PATH ("4.4.19"; empty if
# there is none).  4.4's banner ends it with a dot.
pn_tshark_release() {
    tshark --version 2>/dev/null | sed -n '1s/^TShark[^0-9]*\([0-9][0-9.]*[0-9]\).*/\1/p'
}

# pn_run_tshark OUT ARGS...: pn_tshark with stdout in OUT; returns 1, with
# tshark's stderr shown, on a non-zero exit or any output on stderr.
pn_run_tshark() {
    local out=$1 rc=0
    shift
    pn_tshark "$@" >"$out" || rc=$?
    if [ "$rc" != 0 ] || [ -s "$STAGE/stderr" ]; then
        cat "$STAGE/stderr" >&2
        echo "tshark $* failed (exit $rc, stderr above)" >&2
        return 1
    fi
}

# pn_stage_checked PLUGIN_SO: stages the plugin under the MAJOR.MINOR folder
# of the tshark on PATH (whatever path names it) and checks that tshark
# loads exactly it: measuring without it would give zeros, not an error.
pn_stage_checked() {
    local version
    version=$(pn_tshark_release | grep -oE '^[0-9]+\.[0-9]+' || true)
    [ -n "$version" ] || { echo "cannot tell tshark's version (is tshark installed?)" >&2; return 1; }
    pn_stage "$1" "$version"
    pn_run_tshark "$STAGE/plugins.txt" -G plugins || return 1
    grep -F "$PN_STAGED_PLUGIN" "$STAGE/plugins.txt" >/dev/null || {
        echo "tshark did not load the staged plugin $PN_STAGED_PLUGIN (built for another Wireshark?)" >&2
        return 1
    }
}

# pn_default_captures ROOT SHARED_DIR: sets the array CAPTURES to the sample
# captures (ROOT/pcaps), then the shared real captures (SHARED_DIR, then
# SHARED_DIR/protocols) when that folder exists; says so when it does not.
pn_default_captures() {
    local dir
    shopt -s nullglob
    CAPTURES=()
    for dir in "$1/pcaps" ${2:+"$2" "$2/protocols"}; do
        [ -d "$dir" ] || continue
        CAPTURES+=("$dir"/*.pcap "$dir"/*.pcapng "$dir"/*.pcap.gz "$dir"/*.pcapng.gz)
    done
    shopt -u nullglob
    [ -d "$2" ] || echo "note: no shared captures ($2 is absent): measuring the sample captures only" >&2
}
