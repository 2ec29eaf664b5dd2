#!/usr/bin/env bash
# Configures and builds portnote in ./build (warnings are errors here).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DPORTNOTE_WERROR=ON
cmake --build build -j "$(nproc)"
