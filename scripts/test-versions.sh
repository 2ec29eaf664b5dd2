#!/usr/bin/env bash
# The version matrix: every Wireshark that Debian ships.  For each version it
# builds portnote with warnings as errors, runs the ctest suite, makes the
# Debian package, installs it with apt, checks that tshark loads it from the
# system plugin folder and annotates pcaps/seed.pcap and a live capture of a
# loopback connection to 31337/tcp (tshark -i lo), and removes it.
#
#   scripts/test-versions.sh [VERSION ...]      VERSION: 4.0, 4.4, 4.6 (default: all)
#   scripts/test-versions.sh --bench VERSION [bench/compare.sh ARGS...]
#                                               the per-packet cost on that version
#
#   4.0  Debian 12 (bookworm)
#   4.4  Debian 13 (trixie)
#   4.6  Debian unstable (sid)
#
# The version this machine has is built and tested here, in ./build, with
# everything (robustness tiers and the GUI included).  The others are built in
# a minimal root file system of their Debian release (debootstrap, kept in
# ${PORTNOTE_CHROOT_CACHE:-/var/cache/portnote-chroots}; delete one to remake
# it) with the robustness tiers too (the ASan+UBSan plugin on mutated captures,
# libFuzzer on the notes parser and the payload signatures); there only the
# GUI, valgrind, headless-browser, Slurm and PostgreSQL tests skip, saying why
# (their programs are installed on this machine only; PN_INSTALL_MISSING=0
# stops the last two from installing their servers in the chroot).
# Every package is installed in a chroot of its release, never on this machine,
# where it would be loaded by every other tshark run (other tests included).
# The source tree and ../shared are bind-mounted read-only into the chroots.
# Finally, apt must refuse each package on every other version's release.
#
# Needs root for the chroots (through sudo when not root).  Prints one line
# per version and exits non-zero if any version failed.  The packages are
# left in build/packages/.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

CACHE=${PORTNOTE_CHROOT_CACHE:-/var/cache/portnote-chroots}
ALL_VERSIONS=(4.0 4.4 4.6)
declare -A SUITE=([4.0]=bookworm [4.4]=trixie [4.6]=sid)
# What a chroot needs to build and run the tests (setpriv, awk, grep -P, cmp
# and diff are in every minimal Debian; nmap-common for the data-coverage test).
CHROOT_PACKAGES=(cmake make gcc libc6-dev pkg-config libglib2.0-dev
                 libwireshark-dev tshark wireshark-common nmap-common)
# What the robustness tiers add where the tests run: clang and its libFuzzer
# runtime (libclang-rt-dev, only recommended by clang).  gcc's ASan and UBSan
# runtimes come with gcc.  Not in a chroot that only checks a package.
ROBUSTNESS_PACKAGES=(clang libclang-rt-dev)
# (no pty for dpkg: a chroot has no /dev/pts, and apt would complain)
APT_OPTIONS=(-o Acquire::Check-Valid-Until=false -o APT::Get::Assume-Yes=true -o Dpkg::Use-Pty=0 -q)
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SHARED=$(cd "$REPO/.." && pwd)/shared

say() { printf '==== %s\n' "$*"; }
die() { echo "test-versions: $*" >&2; exit 1; }

# ---- Root, mirror ---------------------------------------------------------------

# as_root COMMAND...: runs COMMAND as root (through sudo when we are not).
as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo --preserve-env=PORTNOTE_CHROOT_CACHE,PORTNOTE_DEBIAN_MIRROR "$@"
    else
        die "the chroots need root, and there is no sudo"
    fi
}

# The Debian mirror this machine's apt uses (PORTNOTE_DEBIAN_MIRROR wins):
# the URI given for its own release in /etc/apt/sources.list*, one-line or
# deb822 format.
debian_mirror() {
    local codename
    if [ -n "${PORTNOTE_DEBIAN_MIRROR:-}" ]; then echo "$PORTNOTE_DEBIAN_MIRROR"; return; fi
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    {
        cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            awk -v s="$codename" '$1 == "deb" { i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++
                                               if ($i ~ /^\[/ || $i ~ /\]$/) i++
                                               if ($(i + 1) == s) print $i }'
        cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
            awk -v s="$codename" '
                function flush() { if (uris != "" && (" " suites " ") ~ (" " s " ")) print uris; uris = suites = "" }
                /^[ \t]*$/ { flush(); next }
                $1 == "URIs:" { uris = $2 }
                $1 == "Suites:" { $1 = ""; suites = $0 }
                END { flush() }'
    } | head -1 | grep . || die "no Debian mirror for '$codename' in /etc/apt/sources.list*: set PORTNOTE_DEBIAN_MIRROR"
}

# ---- Chroots ----------------------------------------------------------------------

# assert_nothing_mounted DIR: DIR is about to be deleted; a bind mount left
# inside it (a killed run) would make rm delete the host's /dev or the
# source tree, so unmount what is there and refuse if anything stays.
assert_nothing_mounted() {
    local mounts
    mounts() { awk -v d="$1/" 'index($2 "/", d) == 1 { print $2 }' /proc/self/mounts | sort -r; }
    for m in $(mounts "$1"); do umount "$m" 2>/dev/null || umount -l "$m"; done
    [ -z "$(mounts "$1")" ] || die "still mounted under $1: $(mounts "$1")"
}

# lock_chroot SUITE: sets CHROOT; holds $CACHE/SUITE.lock until this process
# ends, so that two runs never share a chroot (nor unmount each other's mounts).
lock_chroot() {
    local lock
    CHROOT=$CACHE/$1
    mkdir -p "$CACHE"
    exec {lock}>"$CACHE/$1.lock"
    # (A process left running in a chroot would hold the lock for ever: the
    # chroot's processes are stopped by with_mounts, and a wait is bounded.)
    flock -w 1800 "$lock" || die "the $1 chroot is still locked after 30 minutes: $(fuser "$CACHE/$1.lock" 2>&1)"
}

# stop_chroot_processes ROOT: stops every process whose root is ROOT (a
# daemon a test left behind would keep the chroot's lock and mounts busy).
stop_chroot_processes() {
    local root proc pids=() signal
    root=$(readlink -f "$1")
    for signal in TERM KILL; do
        pids=()
        for proc in /proc/[0-9]*; do
            [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && pids+=("${proc#/proc/}")
        done
        [ ${#pids[@]} = 0 ] && return 0
        echo "test-versions: stopping what was left running in $root (SIG$signal): ${pids[*]}" >&2
        kill -"$signal" "${pids[@]}" 2>/dev/null || true
        sleep 2
    done
}

# ensure_chroot SUITE [PACKAGE...]: makes (or reuses) $CACHE/SUITE with
# CHROOT_PACKAGES and the PACKAGEs installed; sets CHROOT.
ensure_chroot() {
    local suite=$1 mirror
    shift
    local packages=("${CHROOT_PACKAGES[@]}" "$@")
    lock_chroot "$suite"
    if [ ! -f "$CHROOT/.portnote-ready" ]; then
        if ! command -v debootstrap >/dev/null; then   # (scripts/install-deps.sh --test installs it)
            apt-get update -q
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
        fi
        mirror=$(debian_mirror)
        say "making the $suite chroot in $CHROOT (debootstrap from $mirror)"
        assert_nothing_mounted "$CHROOT"
        rm -rf "$CHROOT"
        debootstrap --variant=minbase "$suite" "$CHROOT.new" "$mirror" >"$CACHE/$suite.debootstrap.log" 2>&1 \
            || { tail -20 "$CACHE/$suite.debootstrap.log" >&2; assert_nothing_mounted "$CHROOT.new"; die "debootstrap $suite failed"; }
        mv "$CHROOT.new" "$CHROOT"
        touch "$CHROOT/.portnote-ready"
    fi
    # Install what no earlier run installed (new packages in the lists above).
    if ! chroot_has_packages "${packages[@]}"; then
        say "installing ${packages[*]} in the $suite chroot"
        with_mounts "$CHROOT" in_chroot "$CHROOT" apt-get "${APT_OPTIONS[@]}" update
        with_mounts "$CHROOT" in_chroot "$CHROOT" env DEBIAN_FRONTEND=noninteractive \
            apt-get "${APT_OPTIONS[@]}" install --no-install-recommends "${packages[@]}"
        echo "${packages[*]}" >"$CHROOT/.portnote-packages"
    fi
}

# chroot_has_packages PACKAGE...: every PACKAGE was installed in $CHROOT by
# an earlier run (a package-only run asks for fewer: no reinstall).
chroot_has_packages() {
    local installed=" $(cat "$CHROOT/.portnote-packages" 2>/dev/null) " package
    for package in "$@"; do
        [[ $installed == *" $package "* ]] || return 1
    done
}

# in_chroot ROOT COMMAND...: COMMAND inside ROOT, with a clean environment.
in_chroot() {
    local root=$1
    shift
    chroot "$root" env -i PATH="$CHROOT_PATH" HOME=/root LC_ALL=C.UTF-8 TERM=dumb "$@"
}

# with_mounts ROOT COMMAND...: runs COMMAND with /proc, /dev, the source tree
# (read-only, at /portnote/src) and ../shared (read-only, at
# /portnote/shared) mounted in ROOT, and unmounts them afterwards, also when
# COMMAND fails or the script is interrupted.
MOUNTED=()
with_mounts() {
    local root=$1 status=0
    shift
    mkdir -p "$root/portnote/src" "$root/portnote/shared"
    assert_nothing_mounted "$root"   # left by a run that was killed
    if mount_all "$root"; then
        "$@" || status=$?
    else
        echo "test-versions: could not mount /proc, /dev and the sources in $root" >&2
        status=1
    fi
    stop_chroot_processes "$root"
    unmount_all
    return $status
}

# (Called where "set -e" does not apply: every step is checked.)
mount_all() {
    mount -t proc proc "$1/proc" && MOUNTED+=("$1/proc") || return 1
    mount --bind /dev "$1/dev" && MOUNTED+=("$1/dev") || return 1
    bind_read_only "$REPO" "$1/portnote/src" || return 1
    if [ -d "$SHARED" ]; then bind_read_only "$SHARED" "$1/portnote/shared" || return 1; fi
}

bind_read_only() {   # from, to
    mount --bind "$1" "$2" && MOUNTED+=("$2") && mount -o remount,bind,ro "$2"
}

unmount_all() {
    local i
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        umount "${MOUNTED[i]}" 2>/dev/null || umount -l "${MOUNTED[i]}"
    done
    MOUNTED=()
}
trap unmount_all EXIT
trap 'exit 130' INT TERM   # so that the EXIT trap unmounts

# ---- One version ----------------------------------------------------------------

# Result of one version, written to $RESULTS/VERSION by the child that ran it:
# "where wireshark build passed failed skipped package seconds phases".
record() { echo "$*" >"$RESULTS/$VERSION"; }

# ctest_counts LOG: "passed failed skipped" from ctest's output.
ctest_counts() {
    local total failed skipped
    total=$(grep -oP 'tests? failed out of \K[0-9]+' "$1" | tail -1)
    failed=$(grep -oP '^[0-9]+% tests passed, \K[0-9]+(?= tests? failed)' "$1" | tail -1)
    skipped=$(grep -cP '^\s+[0-9]+ - \S+ \(Skipped\)$' "$1" || true)
    if [ -z "$total" ]; then echo "- - -"; return; fi
    echo "$((total - failed - skipped)) $failed $skipped"
}

# print_skip_reasons BUILD_DIR LOG [RUNNER...]: what each skipped test said.
print_skip_reasons() {
    local build=$1 log=$2 name
    shift 2
    for name in $(grep -oP '^\s+[0-9]+ - \K\S+(?= \(Skipped\)$)' "$log"); do
        printf '  skipped %s: %s\n' "$name" \
            "$("$@" ctest --test-dir "$build" -R "^$name\$" -V 2>&1 | grep -oiP '^[0-9]+: \K.*skip.*' | head -1)"
    done
}

# The frames of seed.pcap that carry a risk, per the golden file (column 6),
# so that the package check compares with what the tests compare with.
expected_risk_frames() {
    awk -F'\t' 'NR > 1 && $6 != "" { n = split($1, r, "-"); c += r[n] - r[1] + 1 } END { print c + 0 }' \
        "$REPO/tests/golden/seed.tsv"
}

# package_check ROOT DEB VERSION: installs DEB (a path inside ROOT) with apt,
# checks tshark loads it from the system plugin folder and annotates
# seed.pcap, removes it and checks it is gone.  Runs with ROOT's mounts up
# (where "set -e" does not apply: every step is checked).
package_check() {
    local root=$1 deb=$2 version=$3 plugindir plugins frames expected live=ok
    [ -f "$root$deb" ] || { echo "FAIL: no package $deb in $root"; return 1; }
    in_chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTIONS[@]}" install "$deb" || return 1
    plugindir=$(in_chroot "$root" pkg-config --variable=plugindir wireshark)/epan
    [[ $plugindir == */$version/epan ]] || { echo "FAIL: plugin folder $plugindir is not for $version"; return 1; }
    # tshark as nobody: the installed file must be readable by everyone
    nobody() { in_chroot "$root" setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp "$@"; }
    plugins=$(nobody tshark -G plugins | grep portnote || true)
    echo "  tshark -G plugins: $plugins"
    [ "$(echo "$plugins" | awk -F'\t' '{ print $NF }')" = "$plugindir/portnote.so" ] \
        || { echo "FAIL: tshark did not load portnote from $plugindir"; return 1; }
    frames=$(nobody tshark -r /portnote/src/pcaps/seed.pcap -Y portnote.risk | wc -l)
    expected=$(expected_risk_frames)
    echo "  tshark -r pcaps/seed.pcap -Y portnote.risk: $frames packets (golden file: $expected)"
    if [ "$frames" = 0 ] || [ "$frames" != "$expected" ]; then
        echo "FAIL: the installed plugin does not annotate as the golden file says"
        return 1
    fi
    live_capture_check "$root" || live=FAILED   # (the package is removed all the same)
    in_chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTIONS[@]}" remove portnote || return 1
    [ "$live" = ok ] || return 1
    [ ! -e "$root$plugindir/portnote.so" ] || { echo "FAIL: $plugindir/portnote.so left behind"; return 1; }
    [ -z "$(nobody tshark -G plugins | grep portnote)" ] || { echo "FAIL: tshark still loads portnote"; return 1; }
    echo "  removed: $plugindir/portnote.so is gone"
}

# live_capture_check ROOT: with the package installed, `tshark -i lo` in ROOT
# (as root: only the system plugin folder, where the package put it) captures
# a real loopback TCP connection to 31337/tcp, made here, and must show
# PortNote's note for that port.  A chroot shares this machine's network, so
# its loopback is ours.  Skips, saying why, where capture is not permitted.
live_capture_check() {
    local root=$1 dir=$1/tmp/portnote-live pid rc=0 fields
    rm -rf "$dir" && mkdir -p "$dir"
    if ! in_chroot "$root" dumpcap -D >"$dir/interfaces" 2>&1 || ! grep -qw lo "$dir/interfaces"; then
        echo "  SKIP live capture: dumpcap cannot capture on lo here: $(head -c 300 "$dir/interfaces")"
        return 0
    fi
    in_chroot "$root" tshark -i lo -f 'tcp port 31337' -a duration:8 -l -Y 'tcp.port == 31337' \
        -T fields -e frame.number -e portnote.port -e portnote.service -e portnote.risk \
        >"$dir/fields" 2>"$dir/stderr" &
    pid=$!
    for _ in $(seq 100); do grep -q "Capturing on" "$dir/stderr" && break; sleep 0.1; done
    live_connection_31337 || { kill "$pid"; wait "$pid"; echo "  SKIP live capture: cannot listen on 127.0.0.1:31337"; return 0; }
    wait "$pid" || rc=$?
    if [ "$rc" != 0 ]; then
        if grep -qi "permission\|not permitted\|don't have permission" "$dir/stderr"; then
            echo "  SKIP live capture: $(grep -i permission "$dir/stderr" | head -1)"
            return 0
        fi
        echo "FAIL: tshark -i lo exit $rc: $(cat "$dir/stderr")"; return 1
    fi
    fields=$(grep -P '\t31337\t' "$dir/fields" | head -1)
    echo "  tshark -i lo, a connection to 31337/tcp: $(wc -l <"$dir/fields") packets; first note: $fields"
    # (-T fields prints the risk as its number: 3 is high)
    [[ $fields == *$'\t31337\tBack Orifice family (trojan)\t3' ]] \
        || { echo "FAIL: no PortNote note (high) for 31337/tcp in the live capture"; return 1; }
}

# live_connection_31337: a TCP connection on the loopback to 127.0.0.1:31337
# (listener and client both here), a few bytes each way, then closed.
live_connection_31337() {
    python3 -I -S - <<'PY'
import socket, sys, threading
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    server.bind(("127.0.0.1", 31337))
except OSError:
    sys.exit(1)
server.listen(1)
def answer():
    conn, _ = server.accept()
    conn.recv(100)
    conn.sendall(b"*!*QWTY?\r\n")
    conn.close()
t = threading.Thread(target=answer)
t.start()
client = socket.create_connection(("127.0.0.1", 31337), timeout=5)
client.sendall(b"hello\r\n")
client.recv(100)
client.close()
t.join()
server.close()
PY
}

# The version this machine has: ./build, everything, then the package in a
# chroot of this release (as root).
run_host() {
    local build=ok counts package=ok t0=$SECONDS t_build t_tests t_pkg deb status=0
    local ws=$(pkg-config --modversion wireshark)
    say "Wireshark $ws on this machine: build (warnings are errors) in ./build"
    { bash scripts/build.sh && cmake --build build -j "$(nproc)" --target robustness; } || build=FAILED
    t_build=$((SECONDS - t0))
    if [ $build = FAILED ]; then record "this-machine $ws FAILED - - - - $SECONDS build=${t_build}s"; return 1; fi
    say "Wireshark $ws on this machine: ctest"
    (cd build && ctest --output-on-failure -j "$(nproc)") 2>&1 | tee "$RESULTS/$VERSION.ctest" || status=1
    print_skip_reasons build "$RESULTS/$VERSION.ctest"
    t_tests=$((SECONDS - t0 - t_build))
    say "Wireshark $ws: Debian package"
    rm -f build/portnote_*.deb
    if cmake --build build --target deb && deb=$(ls build/portnote_*.deb) \
       && cp "$deb" "$RESULTS/"; then
        as_root bash "$0" --package-in-chroot "$VERSION" "$RESULTS/$(basename "$deb")" || package=FAILED
    else
        package=FAILED
    fi
    t_pkg=$((SECONDS - t0 - t_build - t_tests))
    record "this-machine $ws $build $(ctest_counts "$RESULTS/$VERSION.ctest") $package $SECONDS" \
           "build=${t_build}s tests=${t_tests}s package=${t_pkg}s"
    [ $status = 0 ] && [ $package = ok ]
}

# --package-in-chroot VERSION DEB: the package check of a .deb built here.
package_in_chroot() {
    ensure_chroot "${SUITE[$VERSION]}"
    mkdir -p "$CHROOT/portnote/debs"
    cp "$1" "$CHROOT/portnote/debs/"
    with_mounts "$CHROOT" package_check "$CHROOT" "/portnote/debs/$(basename "$1")" "$VERSION"
}

# Another version: its release's chroot, a fresh build in /portnote/build.
run_chroot() {
    local suite=${SUITE[$VERSION]} build=ok package=ok ws status=0 t0=$SECONDS t_chroot t_build t_tests t_pkg
    ensure_chroot "$suite" "${ROBUSTNESS_PACKAGES[@]}"
    t_chroot=$((SECONDS - t0))
    ws=$(in_chroot "$CHROOT" dpkg-query -W -f '${Version}' libwireshark-dev | sed 's/-.*//')
    [[ $ws == "$VERSION".* ]] || die "the $suite chroot has Wireshark $ws, not $VERSION"
    rm -rf "$CHROOT/portnote/build"
    echo FAILED >"$RESULTS/$VERSION.build"; echo - >"$RESULTS/$VERSION.package"
    : >"$RESULTS/$VERSION.ctest"; : >"$RESULTS/$VERSION.phases"
    with_mounts "$CHROOT" chroot_build_test_package "$ws" || status=$?
    record "$suite-chroot $ws $(cat "$RESULTS/$VERSION.build") $(ctest_counts "$RESULTS/$VERSION.ctest") \
           $(cat "$RESULTS/$VERSION.package") $SECONDS chroot=${t_chroot}s $(cat "$RESULTS/$VERSION.phases")"
    return $status
}

# Inside with_mounts: configure, build, ctest, package.  Writes
# $RESULTS/VERSION.{build,ctest,package,phases}.  (Called where "set -e"
# does not apply: every step is checked.)
chroot_build_test_package() {
    local ws=$1 t0=$SECONDS t_build t_tests status=0 deb
    local cmake_args=(-S /portnote/src -B /portnote/build -DPORTNOTE_WERROR=ON
                      -DPORTNOTE_SHARED_PCAPS=/portnote/shared/pcaps)
    say "Wireshark $ws in the ${SUITE[$VERSION]} chroot: build (warnings are errors)"
    in_chroot "$CHROOT" cmake "${cmake_args[@]}" || return 1
    in_chroot "$CHROOT" cmake --build /portnote/build -j "$(nproc)" || return 1
    in_chroot "$CHROOT" cmake --build /portnote/build -j "$(nproc)" --target robustness || return 1
    echo ok >"$RESULTS/$VERSION.build"
    t_build=$((SECONDS - t0))
    say "Wireshark $ws in the ${SUITE[$VERSION]} chroot: ctest"
    # (PN_INSTALL_MISSING=0: the tests that would install their own servers
    # skip; apt inside them took the chroot past CI's time on 4.4 and failed on 4.6)
    in_chroot "$CHROOT" env PN_INSTALL_MISSING=0 \
        sh -c 'cd /portnote/build && ctest --output-on-failure -j "$1"' - "$(nproc)" 2>&1 \
        | tee "$RESULTS/$VERSION.ctest" || status=1
    print_skip_reasons /portnote/build "$RESULTS/$VERSION.ctest" in_chroot "$CHROOT"
    t_tests=$((SECONDS - t0 - t_build))
    say "Wireshark $ws in the ${SUITE[$VERSION]} chroot: Debian package"
    echo FAILED >"$RESULTS/$VERSION.package"
    in_chroot "$CHROOT" cmake --build /portnote/build --target deb || return 1
    cp "$CHROOT"/portnote/build/portnote_*.deb "$RESULTS/" || return 1
    deb=$(ls "$CHROOT"/portnote/build/portnote_*.deb) || return 1
    package_check "$CHROOT" "${deb#"$CHROOT"}" "$VERSION" || return 1
    echo ok >"$RESULTS/$VERSION.package"
    echo "build=${t_build}s tests=${t_tests}s package=$((SECONDS - t0 - t_build - t_tests))s" >"$RESULTS/$VERSION.phases"
    return $status
}

# ---- apt refuses a package on the wrong Wireshark ----------------------------------

# refuse_check: for every chroot made in this run, apt must refuse every
# other version's package (a simulated install, nothing changes).
refuse_check() {
    local version deb out failed=0 checked=0
    for version in "${VERSIONS[@]}"; do
        [ -f "$CACHE/${SUITE[$version]}/.portnote-ready" ] || continue
        lock_chroot "${SUITE[$version]}"
        for deb in "$RESULTS"/portnote_*.deb; do
            [ -f "$deb" ] || continue
            [[ $(basename "$deb") == *+ws${version}_* ]] && continue
            mkdir -p "$CHROOT/portnote/debs"
            cp "$deb" "$CHROOT/portnote/debs/"
            if out=$(with_mounts "$CHROOT" in_chroot "$CHROOT" apt-get "${APT_OPTIONS[@]}" install -s "/portnote/debs/$(basename "$deb")" 2>&1); then
                echo "FAIL: apt would install $(basename "$deb") on ${SUITE[$version]} (Wireshark $version)"
                failed=1
            else
                echo "apt refuses $(basename "$deb") on ${SUITE[$version]}: $(echo "$out" | grep -m1 -oP 'Depends: \K.*')"
            fi
            checked=$((checked + 1))
        done
    done
    [ $checked -gt 0 ] || echo "(one version's package only: nothing to cross-check)"
    return $failed
}

# ---- The per-packet cost on another version -------------------------------------

# bench_in_chroot ARGS...: inside with_mounts, bench/compare.sh ARGS on a
# copy of the sources (compare.sh builds in the tree it runs from; the
# mounted one is read-only and may hold this machine's build).
bench_in_chroot() {
    in_chroot "$CHROOT" sh -c 'rm -rf /portnote/bench && mkdir /portnote/bench &&
        tar -C /portnote/src --exclude=./build -cf - . | tar -C /portnote/bench -xf - &&
        cmake -S /portnote/bench -B /portnote/bench/build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
        cmake --build /portnote/bench/build -j "$(nproc)" >/dev/null' || return 1
    in_chroot "$CHROOT" env PN_BENCH_COMMAND="bash scripts/test-versions.sh --bench $VERSION $*" \
        sh -c 'cd /portnote/bench && bash bench/compare.sh "$@"' - "$@"
}

# ---- Main --------------------------------------------------------------------

case "${1:-}" in
    --one)   # --one VERSION RESULTS: one version, in its own process
        VERSION=$2 RESULTS=$3
        if [ "$(pkg-config --modversion wireshark 2>/dev/null | cut -d. -f1,2)" = "$VERSION" ]; then
            run_host
        else
            run_chroot
        fi
        exit ;;
    --package-in-chroot)   # --package-in-chroot VERSION DEB (as root)
        VERSION=$2
        package_in_chroot "$3"
        exit ;;
    --prepare)   # --prepare VERSION (as root): make its chroot, nothing else
        VERSION=$2
        if [ "$(pkg-config --modversion wireshark 2>/dev/null | cut -d. -f1,2)" = "$VERSION" ]; then
            ensure_chroot "${SUITE[$VERSION]}"
        else
            ensure_chroot "${SUITE[$VERSION]}" "${ROBUSTNESS_PACKAGES[@]}"
        fi
        exit ;;
    --bench)   # --bench VERSION [bench/compare.sh ARGS...] (as root)
        # The per-packet cost on a version this machine does not have, in a
        # chroot of its release kept apart from the tests' (it adds valgrind,
        # whose memcheck test the matrix's chroots skip):
        # ${PORTNOTE_BENCH_CACHE:-/var/cache/portnote-bench-chroots}.  An --out
        # FILE (relative to the repository) is copied back here.
        VERSION=$2
        shift 2
        [ -n "${SUITE[$VERSION]:-}" ] || die "unknown version $VERSION (known: ${ALL_VERSIONS[*]})"
        out="" previous=""
        for arg in "$@"; do [ "$previous" = --out ] && out=$arg; previous=$arg; done
        [[ $out != /* ]] || die "--out takes a path relative to the repository"
        CACHE=${PORTNOTE_BENCH_CACHE:-/var/cache/portnote-bench-chroots}
        ensure_chroot "${SUITE[$VERSION]}" valgrind
        say "bench/compare.sh $* on Wireshark $VERSION (${SUITE[$VERSION]} chroot in $CHROOT)"
        with_mounts "$CHROOT" bench_in_chroot "$@"
        if [ -n "$out" ]; then
            cp "$CHROOT/portnote/bench/$out" "$REPO/$out"
            say "wrote $out"
        fi
        exit ;;
    --refuse-check)   # --refuse-check RESULTS VERSION... (as root)
        RESULTS=$2
        shift 2
        VERSIONS=("$@")
        refuse_check
        exit ;;
esac

VERSIONS=("${ALL_VERSIONS[@]}")
[ $# = 0 ] || VERSIONS=("$@")
for version in "${VERSIONS[@]}"; do
    [ -n "${SUITE[$version]:-}" ] || die "unknown version $version (known: ${ALL_VERSIONS[*]})"
done
RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/portnote-versions.XXXXXX")
chmod 755 "$RESULTS"
trap 'rm -rf "$RESULTS"' EXIT
host_version=$(pkg-config --modversion wireshark 2>/dev/null | cut -d. -f1,2 || true)

# Every chroot is made (debootstrap, apt) in the background from the start,
# while this machine's version builds and tests: making them waits on the
# network, the tests on the processors.  A version's run takes its chroot's
# lock (lock_chroot), so it waits for the chroot to be ready.  Only where
# root needs no password (sudo would ask in the background).
declare -A PREPARING=()
start_preparing() {
    local version
    [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null || return 0
    for version in "${VERSIONS[@]}"; do
        [ -f "$CACHE/${SUITE[$version]}/.portnote-ready" ] && continue
        as_root bash "$0" --prepare "$version" >"$RESULTS/$version.prepare" 2>&1 &
        PREPARING[$version]=$!
    done
}

# finish_preparing VERSION: waits for its chroot and shows what making it said.
finish_preparing() {
    local pid=${PREPARING[$1]:-}
    [ -n "$pid" ] || return 0
    wait "$pid" || echo "test-versions: making the ${SUITE[$1]} chroot failed; the run says more"
    cat "$RESULTS/$1.prepare"
    unset "PREPARING[$1]"
}

failed=0
start_preparing
for version in "${VERSIONS[@]}"; do
    start=$SECONDS
    # Each version in a process of its own, so that "set -e" stops at its
    # first failure and the others still run.
    if [ "$version" = "$host_version" ]; then
        bash "$0" --one "$version" "$RESULTS" || failed=1
        finish_preparing "$version"   # (its package check waited for it)
    else
        finish_preparing "$version"
        as_root bash "$0" --one "$version" "$RESULTS" || failed=1
    fi
    [ -f "$RESULTS/$version" ] || echo "- - FAILED - - - - $((SECONDS - start))" >"$RESULTS/$version"
done
say "apt refuses each package on another release's Wireshark"
as_root bash "$0" --refuse-check "$RESULTS" "${VERSIONS[@]}" || failed=1

mkdir -p build/packages
cp "$RESULTS"/portnote_*.deb build/packages/ 2>/dev/null || true

echo
say "Summary: Wireshark versions (packages in build/packages/)"
printf '%-8s %-16s %-10s %-7s %7s %7s %8s %-8s %8s  %s\n' \
    version where wireshark build passed failed skipped package seconds phases
total_passed=0 total_failed=0 total_skipped=0
for version in "${VERSIONS[@]}"; do
    read -r where ws build passed failed_n skipped package seconds phases <"$RESULTS/$version"
    printf '%-8s %-16s %-10s %-7s %7s %7s %8s %-8s %8s  %s\n' \
        "$version" "$where" "$ws" "$build" "$passed" "$failed_n" "$skipped" "$package" "$seconds" "$phases"
    [ "$build" = ok ] && [ "$failed_n" = 0 ] && [ "$package" = ok ] || failed=1
    [[ $passed =~ ^[0-9]+$ ]] || { passed=0 failed_n=1 skipped=0; }   # did not build or test
    total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed_n))
    total_skipped=$((total_skipped + skipped))
done
if [ $failed = 0 ]; then
    echo "All ${#VERSIONS[@]} Wireshark versions passed."
else
    echo "Some Wireshark versions FAILED (see above)."
fi
echo "Total: $total_passed passed, $total_failed failed, $total_skipped skipped"
exit $failed
