#!/usr/bin/env bash
# postgres-test.sh: tools/review-postgres.sh against a real PostgreSQL server
# started here in a temporary folder (initdb, pg_ctl on a private unix socket,
# no TCP) as an unprivileged user (initdb refuses root), and stopped on exit.
# Reviews the sample captures (tools/review.sh), loads the case and checks
# that the tables hold exactly the review's rows; that loading it again
# replaces rather than duplicates; that a second case adds its own rows and the
# views answer (worst services, hosts in more than one case, protocol
# mismatches, against the same questions asked of the ndjson); and that bad
# input (a cut-off line, an unknown column, a value PostgreSQL refuses) is
# refused with its reason and loads nothing, not even the deletes.
#
# With PN_MEASURE=1 also prints a "# measure:" line (load time per thousand
# findings) for measure/measure-scaleout.sh.
# Environment (set by ctest): PN_SOURCE_DIR, PN_PLUGIN.  Installs postgresql
# when missing and root (scripts/install-deps.sh --test lists it), unless
# PN_INSTALL_MISSING=0 (the version matrix's chroots: they install only what
# the matrix lists).  Exit 77 (skipped, saying why) when PostgreSQL is
# missing or does not start.
set -euo pipefail

SKIP=77
SRC=$PN_SOURCE_DIR
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit $SKIP; }
note() { echo "# $*"; }

# (no PostgreSQL: no folder, so find fails, which pipefail would make fatal)
pg_bin() { { find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null || true; } | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ] && [ "$(id -u)" = 0 ] && [ "${PN_INSTALL_MISSING:-1}" != 0 ]; then
    note "installing postgresql"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends postgresql; } >/dev/null 2>&1 || true
fi
PG_BIN=$(pg_bin)
[ -n "$PG_BIN" ] || skip "PostgreSQL is not installed (scripts/install-deps.sh --test)"
command -v psql >/dev/null || skip "psql is not installed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/portnote-pgtest.XXXXXX")
chmod 755 "$WORK"
PG_DIR="$WORK/pg"
stop_postgres() {
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap stop_postgres EXIT

# as_pg COMMAND...: runs COMMAND as the server's unprivileged user.
PG_USER=$(id -un)
if [ "$(id -u)" = 0 ]; then
    PG_USER=postgres
    id postgres >/dev/null 2>&1 || PG_USER=nobody
fi
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        (cd "$PG_DIR" && setpriv --reuid="$(id -u "$PG_USER")" --regid="$(id -g "$PG_USER")" \
            --clear-groups env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 "$@")
    else
        (cd "$PG_DIR" && "$@")
    fi
}
mkdir -p "$PG_DIR/socket"
chown -R "$PG_USER" "$PG_DIR"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U portnote --auth=trust -E UTF8 --no-sync \
    >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; skip "initdb failed as $PG_USER"; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 30 \
    -o "-c listen_addresses='' -k $PG_DIR/socket -c fsync=off" start >/dev/null 2>&1 ||
    { cat "$PG_DIR/log" 2>/dev/null; skip "the PostgreSQL server did not start as $PG_USER"; }
URL="postgresql:///postgres?host=$PG_DIR/socket&user=portnote"
psql "$URL" -X -q -c 'CREATE DATABASE cases' || fail "cannot create a database"
URL="postgresql:///cases?host=$PG_DIR/socket&user=portnote"
note "PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }') on $PG_DIR/socket as $PG_USER"

sql() { psql "$URL" -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -c "$1"; }
LOAD=(bash "$SRC/tools/review-postgres.sh")

# A real review of the sample captures: case "incident-a".
mkdir -p "$WORK/captures"
cp "$SRC"/pcaps/*.pcap "$WORK/captures/"
bash "$SRC/tools/review.sh" --plugin "$PN_PLUGIN" --case incident-a --jobs 2 \
    "$WORK/captures" --out "$WORK/a" 2>"$WORK/review.err" || { cat "$WORK/review.err"; fail "review.sh failed"; }
# A second case sharing hosts with the first: the same review under another label.
mkdir -p "$WORK/b"
for f in captures findings; do
    sed 's/"case": "incident-a"/"case": "incident-b"/g' "$WORK/a/$f.ndjson" >"$WORK/b/$f.ndjson"
done

# expect_counts CAPTURES FINDINGS: the tables' row counts.
expect_counts() {
    local got
    got=$(sql "SELECT (SELECT count(*) FROM portnote.captures), (SELECT count(*) FROM portnote.findings)")
    [ "$got" = "$1|$2" ] || fail "tables hold $got captures|findings, expected $1|$2"
}

CAPTURES=$(wc -l <"$WORK/a/captures.ndjson")
FINDINGS=$(wc -l <"$WORK/a/findings.ndjson")
[ "$FINDINGS" -gt 0 ] || fail "the review found nothing to load"
"${LOAD[@]}" "$WORK/a" "$URL" 2>"$WORK/load.err" || { cat "$WORK/load.err"; fail "the load failed"; }
grep -q "loaded $CAPTURES captures and $FINDINGS findings" "$WORK/load.err" || fail "no count: $(cat "$WORK/load.err")"
expect_counts "$CAPTURES" "$FINDINGS"
"${LOAD[@]}" "$WORK/a" "$URL" 2>/dev/null || fail "loading the case again failed"
expect_counts "$CAPTURES" "$FINDINGS"
note "ok: $CAPTURES captures, $FINDINGS findings; loading the case again replaces them"

# Every finding as loaded equals the review's.
sql "SELECT row_to_json(t) FROM (SELECT case_id, capture, server, server_port, client,
        client_port, transport, service, risk, exposure, finding, observed, packets, bytes,
        threats, categories, round(extract(epoch FROM first_seen)::numeric, 3) AS first
     FROM portnote.findings) t" >"$WORK/loaded.ndjson"
python3 -I -S - "$WORK/a/findings.ndjson" "$WORK/loaded.ndjson" <<'PY' || fail "loaded findings differ from findings.ndjson"
import json, sys
KEYS = ["capture", "server", "server_port", "client", "client_port", "transport", "service",
        "risk", "exposure", "finding", "observed", "packets", "bytes", "threats", "categories"]
def canon(r, case, first):
    return json.dumps([r[case], round(float(r[first]), 3)] + [r[k] for k in KEYS])
expected = sorted(canon(json.loads(l), "case", "first_seen") for l in open(sys.argv[1]))
loaded = sorted(canon(json.loads(l), "case_id", "first") for l in open(sys.argv[2]))
if expected != loaded:
    print("\n".join(sorted(set(expected) ^ set(loaded))[:6]))
    sys.exit(1)
PY

"${LOAD[@]}" "$WORK/b" "$URL" 2>/dev/null || fail "loading a second case failed"
expect_counts $((CAPTURES * 2)) $((FINDINGS * 2))

# The views against the same questions asked of the ndjson.
python3 -I -S - "$WORK/a/findings.ndjson" "$WORK/expected" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rank = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
hosts = sorted({r["server"] for r in rows} | {r["client"] for r in rows})
mismatches = sum(1 for r in rows if r["finding"] == "protocol-mismatch")
worst = max(rank[r["risk"]] for r in rows)
services = len({(r["case"], r["server"], r["transport"], r["server_port"], r["service"]) for r in rows})
with open(sys.argv[2], "w") as f:
    f.write("%d\n%d\n%d\n%d\n" % (len(hosts), 2 * mismatches, worst, 2 * services))
PY
{
    sql "SELECT count(*) FROM portnote.hosts_in_cases WHERE cases = 2"
    sql "SELECT count(*) FROM portnote.protocol_mismatches"
    sql "SELECT risk_rank FROM portnote.worst_services LIMIT 1"
    sql "SELECT count(*) FROM portnote.worst_services"
} >"$WORK/views"
diff "$WORK/expected" "$WORK/views" || fail "views (hosts in two cases, mismatches, worst rank, services) differ"
[ "$(sed -n 2p "$WORK/expected")" -gt 0 ] || fail "the sample captures should hold a protocol mismatch"
note "ok: views: $(paste -sd' ' "$WORK/views") (hosts in 2 cases, mismatches, worst rank, services)"

# Bad input: refused with its reason, nothing loaded (the tables as they were).
bad() {
    local name=$1 expect=$2
    rm -rf "$WORK/bad" && cp -r "$WORK/a" "$WORK/bad"
    python3 -I -S -c "$3" "$WORK/bad/findings.ndjson"
    if "${LOAD[@]}" "$WORK/bad" "$URL" 2>"$WORK/bad.err"; then fail "$name was loaded"; fi
    grep -qF "$expect" "$WORK/bad.err" || fail "$name: no '$expect' in: $(cat "$WORK/bad.err")"
    grep -q 'nothing loaded' "$WORK/bad.err" || fail "$name: does not say nothing was loaded"
    expect_counts $((CAPTURES * 2)) $((FINDINGS * 2))
    note "ok: $name refused: $(grep -m1 -v '^review-postgres: psql' "$WORK/bad.err")"
}
bad "a cut-off line" "findings.ndjson:$FINDINGS: the last line is cut off" \
    'import sys; p = sys.argv[1]; d = open(p).read(); open(p, "w").write(d[:-40])'
bad "an unknown column" "findings.ndjson:2: unknown column risc" \
    'import sys; p = sys.argv[1]; l = open(p).readlines(); l[1] = l[1].replace("\"risk\":", "\"risc\":"); open(p, "w").writelines(l)'
bad "a wrong type" "findings.ndjson:3: column server_port has" \
    'import json, sys; p = sys.argv[1]; l = open(p).readlines(); r = json.loads(l[2]); r["server_port"] = str(r["server_port"]); l[2] = json.dumps(r) + "\n"; open(p, "w").writelines(l)'
# A risk PostgreSQL's schema refuses, on the last line: the deletes and the
# rows before it are rolled back with it.
bad "an unknown risk" 'violates foreign key constraint' \
    'import sys; p = sys.argv[1]; l = open(p).readlines(); l[-1] = l[-1].replace("\"risk\": \"", "\"risk\": \"extreme-", 1); open(p, "w").writelines(l)'
sql "SELECT count(*) FROM portnote.findings WHERE case_id = 'incident-a'" | grep -qx "$FINDINGS" ||
    fail "case incident-a lost rows in a refused load"

# Figures (PN_MEASURE=1, for measure/measure-scaleout.sh): the time to load a
# case of about 20,000 findings, the review's findings repeated as if from
# copies of its captures (each copy its own path and hash).
if [ -n "${PN_MEASURE:-}" ]; then
    mkdir -p "$WORK/m"
    python3 -I -S - "$WORK/a" "$WORK/m" "$((20000 / FINDINGS + 1))" <<'PY'
import hashlib, json, sys
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
captures = [json.loads(l) for l in open(src + "/captures.ndjson")]
findings = [json.loads(l) for l in open(src + "/findings.ndjson")]
with open(dst + "/captures.ndjson", "w") as c, open(dst + "/findings.ndjson", "w") as f:
    for k in range(copies):
        for r in captures:
            r = dict(r, case="measure", capture="%s.copy%d" % (r["capture"], k),
                     sha256=hashlib.sha256(("%s %d" % (r["sha256"], k)).encode()).hexdigest())
            c.write(json.dumps(r) + "\n")
        for r in findings:
            f.write(json.dumps(dict(r, case="measure", capture="%s.copy%d" % (r["capture"], k))) + "\n")
PY
    n=$(wc -l <"$WORK/m/findings.ndjson")
    started=$(date +%s.%N)
    "${LOAD[@]}" "$WORK/m" "$URL" 2>/dev/null || fail "the measured load failed"
    awk -v n="$n" -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {
        printf "# measure: postgres %d findings loaded in %.2f s, %.3f s per 1000 findings\n", n, e - s, (e - s) * 1000 / n }'
fi
echo "PASS: postgres"
