# bench/common.sh: sourced by the benchmark scripts (run from the repository
# root).  Stages the freshly built plugin the way the tests do
# (tests/harness/tshark-stage.sh), with an empty plugin folder for the no-plugin
# baseline, and runs tshark under callgrind or /usr/bin/time.

# bench_stage: builds build/mkbench and build/mkrealistic, stages build/plugins/*/epan/portnote.so as
# $STAGE (removed on exit); $STAGE/no-plugins is an empty plugin folder.
bench_stage() {
    local plugin ws_version
    # the capture generator is not part of the default build
    cmake --build build --target mkbench mkrealistic >/dev/null
    plugin=$(ls build/plugins/*/epan/portnote.so)
    ws_version=$(basename "$(dirname "$(dirname "$plugin")")")
    . tests/harness/tshark-stage.sh
    pn_stage "$plugin" "$ws_version"
    mkdir -p "$STAGE/no-plugins"
}

# callgrind_tshark ARGS...: tshark under callgrind, counting only per-packet
# dissection (epan_dissect_run*); prints the instruction total and leaves
# $STAGE/home/callgrind.out for callgrind_annotate.
callgrind_tshark() {
    PN_TSHARK_WRAPPER=(valgrind --tool=callgrind "--toggle-collect=epan_dissect_run*"
                       --callgrind-out-file="$STAGE/home/callgrind.out")
    pn_tshark "$@" >/dev/null
    PN_TSHARK_WRAPPER=()
    awk '/^(summary|totals):/ { print $2; exit }' "$STAGE/home/callgrind.out"
}

# time_tshark FORMAT ARGS...: tshark under /usr/bin/time -f FORMAT; prints
# what time measured.
time_tshark() {
    local format=$1
    shift
    PN_TSHARK_WRAPPER=(/usr/bin/time -f "$format" -o "$STAGE/home/time")
    pn_tshark "$@" >/dev/null
    PN_TSHARK_WRAPPER=()
    cat "$STAGE/home/time"
}
