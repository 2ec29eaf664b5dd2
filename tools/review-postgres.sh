#!/usr/bin/env bash
# review-postgres.sh: loads a case review (tools/review.sh's outputs) into
# PostgreSQL, for a team's findings across cases.
#
#   tools/review-postgres.sh REVIEW_DIR URL
#
# REVIEW_DIR holds captures.ndjson and findings.ndjson; URL is a libpq
# connection string (postgresql://user@host/db, or
# "postgresql:///db?host=/run/postgresql").  In one transaction: creates the
# schema "portnote" when missing (tools/review-postgres.sql: tables captures,
# findings, services; views worst_services, hosts_in_cases,
# protocol_mismatches), deletes the rows of every capture being loaded (by case
# and capture SHA-256: loading a case twice replaces it), and loads the rows
# with COPY (psql's \copy, from the files here: no server-side file access).
# Services are derived from the findings, per capture.
# Bad input (a cut-off line, an unknown or missing column, a value of the wrong
# type or that PostgreSQL refuses) stops the load with "FILE:LINE: reason" or
# PostgreSQL's message, and nothing is loaded.
# Exit status: 0 loaded, 1 refused or failed, 2 usage.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "review-postgres: $*" >&2; }

if [ $# != 2 ] || [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
    sed -n '2,22s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi
REVIEW=$1 URL=$2
command -v psql >/dev/null || { say "psql is needed (Debian: postgresql-client)"; exit 1; }
{ [ -f "$REVIEW/findings.ndjson" ] && [ -f "$REVIEW/captures.ndjson" ]; } ||
    { say "$REVIEW has no findings.ndjson and captures.ndjson (run tools/review.sh first)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/portnote-pg.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
python3 -I -S "$ROOT/tools/review-postgres.py" "$REVIEW" "$WORK" || exit 1
started=$(date +%s.%N)
if ! psql "$URL" -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 --single-transaction \
        -f "$ROOT/tools/review-postgres.sql" -f "$WORK/load.sql" >"$WORK/counts" 2>"$WORK/psql.err"; then
    sed 's/^/review-postgres: /' "$WORK/psql.err" >&2
    say "PostgreSQL refused the load of $REVIEW; nothing loaded"
    exit 1
fi
grep -v '^NOTICE' "$WORK/psql.err" >&2 || true
read -r captures findings <"$WORK/counts"
say "loaded $captures captures and $findings findings from $REVIEW in $(
    awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }') s"
