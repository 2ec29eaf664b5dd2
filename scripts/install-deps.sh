#!/usr/bin/env bash
# Installs the Debian packages portnote needs to build and test, when missing.
#   usage: scripts/install-deps.sh [--test]
# --test adds what the whole test suite needs beyond building: the real-GUI
# test (Wireshark's Qt GUI, Xvfb, xdotool; ImageMagick for screenshots), the
# parser fuzzer (clang and its libFuzzer runtime), valgrind, nmap-common
# (nmap-services: the port frequencies the data-coverage test measures against),
# debootstrap for the version matrix's chroots (scripts/test-versions.sh),
# chromium (the headless browser of the case review report's test), and
# postgresql, slurm-wlm and munge (the case review's PostgreSQL and Slurm tests).
set -euo pipefail

PACKAGES=(cmake make gcc libc6-dev pkg-config libglib2.0-dev
          libwireshark-dev tshark wireshark-common)
if [ "${1:-}" = --test ]; then
    PACKAGES+=(wireshark-qt xvfb xdotool imagemagick clang libclang-rt-14-dev valgrind nmap-common
               debootstrap chromium postgresql slurm-wlm munge)
fi

missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "Not root and no sudo: install ${missing[*]} first." >&2; exit 1; }
    sudo=(sudo)
fi
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
