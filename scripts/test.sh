#!/usr/bin/env bash
# The whole test suite: installs what is missing, then runs the version
# matrix (scripts/test-versions.sh): here, the build and every ctest test,
# robustness tiers included; then the build, the tests (the sanitizer and
# libFuzzer tiers too) and the Debian package against the other Wireshark
# versions Debian ships, in chroots.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
bash scripts/test-versions.sh
