#!/usr/bin/env bash
# measure-scaleout.sh: the figures of docs/case-review.md "Beyond one machine":
# captures and packets per second through a one-node Slurm cluster against a
# local run of the same folder, and PostgreSQL load time per thousand findings.
#
#   bash measure/measure-scaleout.sh [--plugin SO]     (as root)
#
# Runs tests/slurm-test.sh and tests/postgres-test.sh with PN_MEASURE=1 (they
# start the cluster and the server, and stop them) and prints their
# "# measure:" lines with the date, the machine's cores and its load.  On one
# node the cluster's figure is Slurm's overhead, not scale.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/harness/tshark-stage.sh
. "$ROOT/tests/harness/tshark-stage.sh"
PLUGIN=""
if [ "${1:-}" = --plugin ] && [ $# -ge 2 ]; then PLUGIN=$2; fi
[ -n "$PLUGIN" ] || PLUGIN=$(pn_built_plugin "$ROOT")
PLUGIN=$(realpath -- "$PLUGIN")

echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg):"
for test in slurm postgres; do
    PN_MEASURE=1 PN_SOURCE_DIR="$ROOT" PN_PLUGIN="$PLUGIN" bash "$ROOT/tests/$test-test.sh" >"${TMPDIR:-/tmp}/scaleout-$$.log" 2>&1 ||
        { tail -n 5 "${TMPDIR:-/tmp}/scaleout-$$.log" >&2; rm -f "${TMPDIR:-/tmp}/scaleout-$$.log"; echo "$test-test.sh failed or skipped" >&2; exit 1; }
    sed -n 's/^# measure: /    /p' "${TMPDIR:-/tmp}/scaleout-$$.log"
    rm -f "${TMPDIR:-/tmp}/scaleout-$$.log"
done
