#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
bash scripts/build.sh
# the sanitized plugin and the libFuzzer targets are not in the default build
cmake --build build -j "$(nproc)" --target robustness
cd build
ctest --output-on-failure -j "$(nproc)"
