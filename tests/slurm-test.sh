#!/usr/bin/env bash
# slurm-test.sh: tools/review-slurm.sh on a one-node Slurm cluster started here
# (munged on a private socket, slurmctld and slurmd with a slurm.conf naming
# this host as controller and node, every folder under a temporary directory,
# free ports), as root.  Reviews a folder built from pcaps/*.pcap plus one
# capture cut off mid-packet, one file that is not a capture and one large
# capture (the sample captures appended many times, so that its task runs long
# enough to be killed); kills that task mid-run and checks that the merge job
# (afterany) still runs, merges the rest and names the missing capture (exit
# 3); reruns and checks that only that capture is submitted and the merged
# outputs then equal a local run's of the same folder.  Stops the daemons by
# their pid files and leaves nothing running.
#
# With PN_MEASURE=1 also prints "# measure:" lines (captures and packets per
# second, local and through the cluster) for measure/measure-scaleout.sh.
# Environment (set by ctest): PN_SOURCE_DIR, PN_PLUGIN.  Installs slurm-wlm and
# munge when missing (scripts/install-deps.sh --test lists them), unless
# PN_INSTALL_MISSING=0 (the version matrix's chroots: they install only what
# the matrix lists).  Exit 77 (skipped, saying why) when not root, when they
# are missing or when the daemons do not start.
set -euo pipefail

SKIP=77
SRC=$PN_SOURCE_DIR
fail() { echo "FAIL: $*" >&2; tail -n 20 "$T"/log/*.log "$OUT"/slurm/*.log 2>/dev/null >&2 || true; exit 1; }
skip() { echo "SKIP: $*"; exit $SKIP; }
note() { echo "# $*"; }

[ "$(id -u)" = 0 ] || skip "a one-node Slurm cluster needs root (SlurmUser=root)"
if [ "${PN_INSTALL_MISSING:-1}" != 0 ] && { ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; }; then
    note "installing slurm-wlm and munge"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends slurm-wlm munge; } >/dev/null 2>&1 || true
fi
for tool in munged slurmctld slurmd sbatch squeue scancel sinfo mergecap; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh --test)"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/portnote-slurm.XXXXXX")
chmod 755 "$T"
OUT="$T/cluster"
mkdir -p "$T"/{munge,run,spool,state,log}
chmod 700 "$T/munge"

# stop_daemons: each daemon we started, by its pid file; then waits until gone.
stop_daemons() {
    local pidfile pid pids=()
    for pidfile in "$T/run/slurmd.pid" "$T/run/slurmctld.pid" "$T/run/munged.pid"; do
        [ -s "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null && pids+=("$pid")
    done
    for pid in ${pids[@]+"${pids[@]}"}; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    done
}
cleanup() { stop_daemons; rm -rf "$T"; }
trap cleanup EXIT

# free_port: a TCP port nobody listens on now (other clusters may run here).
free_port() { python3 -I -S -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge/munge.key"
munged --force --socket="$T/munge/socket" --key-file="$T/munge/munge.key" \
    --pid-file="$T/run/munged.pid" --log-file="$T/log/munged.log" --seed-file="$T/munge/seed" \
    >/dev/null 2>&1 || skip "munged did not start: $(tail -n 3 "$T/log/munged.log" 2>/dev/null)"

HOST=$(hostname -s)
export SLURM_CONF="$T/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=portnote-test
SlurmctldHost=$HOST
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
SlurmdSpoolDir=$T/spool
StateSaveLocation=$T/state
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
MailProg=/bin/true
NodeName=$HOST CPUs=$(nproc) State=UNKNOWN
PartitionName=review Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF" -i >/dev/null 2>&1 || skip "slurmctld did not start: $(tail -n 3 "$T/log/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" >/dev/null 2>&1 || skip "slurmd did not start: $(tail -n 3 "$T/log/slurmd.log" 2>/dev/null)"
# daemon_up NAME: its pid file names a live process within 15 s (the command
# itself returns once it has forked, before it has initialised).
daemon_up() {
    local deadline=$((SECONDS + 15))
    until [ -s "$T/run/$1.pid" ] && kill -0 "$(cat "$T/run/$1.pid")" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}
for daemon in slurmctld slurmd; do
    daemon_up "$daemon" || skip "$daemon did not stay up: $(tail -n 3 "$T/log/$daemon.log" 2>/dev/null)"
done
# node_state: the node's state, or nothing when the controller does not answer
# within a few seconds (sinfo itself retries for minutes).
node_state() { timeout 5 sinfo -h -o %T 2>/dev/null || true; }
deadline=$((SECONDS + 60))
until [ "$(node_state)" = idle ] || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.5; done
[ "$(node_state)" = idle ] || skip "the node did not become idle within a minute: $(node_state)
$(tail -n 3 "$T/log/slurmctld.log" "$T/log/slurmd.log" 2>/dev/null)"
note "Slurm $(sinfo -V | awk '{ print $2 }') one-node cluster on $HOST ($(nproc) CPUs)"

# The case: the sample captures, one cut off mid-packet, one not a capture,
# and a large one (every sample capture appended 150 times).
IN="$T/case-x"
mkdir -p "$IN"
cp "$SRC"/pcaps/*.pcap "$IN/"
head -c 3000 "$SRC/pcaps/payload.pcap" >"$IN/cut-off.pcap"
echo "this is not a capture" >"$IN/notes.pcap"
mapfile -t many < <(for _ in $(seq 150); do printf '%s\n' "$SRC"/pcaps/*.pcap; done)
mergecap -F pcap -a -w "$IN/large.pcap" "${many[@]}"
chmod -R a+rX "$T"
FILES=$(find "$IN" -type f | wc -l)
PACKETS=$(for f in "$IN"/*.pcap; do capinfos -M -T -r -c "$f" 2>/dev/null | awk -F'\t' '{ print $2 }'; done | awk '{ s += $1 } END { print s }')
REVIEW=(bash "$SRC/tools/review.sh" --plugin "$PN_PLUGIN" --case case-x)
CLUSTER=(bash "$SRC/tools/review-slurm.sh" --plugin "$PN_PLUGIN" --case case-x --out "$OUT")

# The local run of the same folder, for comparison and the figures.
started=$(date +%s.%N)
"${REVIEW[@]}" --jobs 2 "$IN" --out "$T/local" 2>"$T/local.err" || fail "local review failed: $(tail -n 5 "$T/local.err")"
local_s=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')

# wait_job ID: until the job has left the queue.
# (An squeue that does not answer counts as still queued.)
wait_job() {
    local queued deadline=$((SECONDS + 300))
    while [ "$SECONDS" -lt "$deadline" ]; do
        queued=$(timeout 10 squeue -h -j "$1" 2>/dev/null) && [ -z "$queued" ] && return 0
        sleep 0.5
    done
    fail "job $1 is still queued after 5 minutes"
}
# merge_log ID: what the merge job printed.
merge_log() { cat "$OUT/slurm/merge-$1.log"; }

# First run: two tasks at a time, one capture each; the large capture's task
# is killed once it has started reading.
read -r array merge < <("${CLUSTER[@]}" --max-running 2 "$IN" 2>"$T/submit.err") ||
    fail "review-slurm.sh failed: $(cat "$T/submit.err")"
note "first run: array $array, merge $merge"
large_task=""
for _ in $(seq 600); do
    large_task=$(grep -l "^reading $IN/large.pcap$" "$OUT"/slurm/task-"${array}"_*.log 2>/dev/null | head -n 1 || true)
    [ -n "$large_task" ] && break
    sleep 0.2
done
[ -n "$large_task" ] || fail "the large capture's task never started"
index=${large_task##*_}
index=${index%.log}
sleep 1
timeout 30 scancel "${array}_$index" || fail "scancel ${array}_$index did not answer"
note "killed task ${array}_$index mid-run (reading large.pcap)"
wait_job "$merge"
merge_log "$merge" >"$T/merge1.log"
grep -qF "review: MISSING $IN/large.pcap: no part" "$T/merge1.log" || fail "the merge did not name the killed capture: $(cat "$T/merge1.log")"
grep -qF "1 of $FILES files have no part" "$T/merge1.log" || fail "the merge miscounted: $(cat "$T/merge1.log")"
grep -qF "review: $((FILES - 1)) files:" "$T/merge1.log" || fail "the merge did not merge the rest: $(cat "$T/merge1.log")"
note "ok: the merge ran after the killed task, merged $((FILES - 1)) files and named the missing one"

# The rerun submits only the missing capture; the merge then completes.
"${CLUSTER[@]}" --wait "$IN" >"$T/rerun.out" 2>"$T/submit2.err" || fail "the rerun's merge failed: $(cat "$T/submit2.err")"
grep -qF "1 of $FILES files to read" "$T/submit2.err" || fail "the rerun did not submit only the missing capture: $(cat "$T/submit2.err")"
read -r _ merge2 <"$T/rerun.out"
merge_log "$merge2" >"$T/merge2.log"
if grep -q MISSING "$T/merge2.log"; then fail "still missing after the rerun: $(cat "$T/merge2.log")"; fi
summary="review: $FILES files: $((FILES - 2)) reviewed, 1 partial, 1 skipped, 0 failed;"
grep -qF "$summary" "$T/merge2.log" || fail "not '$summary': $(cat "$T/merge2.log")"
grep -qF "$summary" "$T/local.err" || fail "local run: not '$summary': $(cat "$T/local.err")"

# The merged outputs equal the local run's (report.html aside: it holds times).
for f in findings.ndjson findings.csv captures.ndjson failures.tsv; do
    cmp -s "$T/local/$f" "$OUT/$f" || { diff "$T/local/$f" "$OUT/$f" | head -n 5; fail "$f differs from the local run's"; }
done
[ -s "$OUT/report.html" ] || fail "no report.html"
note "ok: after the rerun, findings, captures and failures equal the local run's ($(wc -l <"$OUT/findings.ndjson") findings)"

# Figures (PN_MEASURE=1, for measure/measure-scaleout.sh): a clean run of the
# same folder through the cluster, two tasks at a time like the local --jobs 2.
# On one node this measures Slurm's overhead, not scale.
if [ -n "${PN_MEASURE:-}" ]; then
    started=$(date +%s.%N)
    bash "$SRC/tools/review-slurm.sh" --plugin "$PN_PLUGIN" --case case-x --out "$T/clean" \
        --max-running 2 --wait "$IN" >/dev/null 2>&1 || fail "the clean cluster run failed"
    cluster_s=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
    awk -v f="$FILES" -v p="$PACKETS" -v l="$local_s" -v c="$cluster_s" 'BEGIN {
        printf "# measure: files %d packets %d\n", f, p
        printf "# measure: local %.1f s, %.2f files/s, %.0f packets/s\n", l, f / l, p / l
        printf "# measure: cluster %.1f s, %.2f files/s, %.0f packets/s\n", c, f / c, p / c }'
fi

# Nothing of ours left running once the daemons stop (the daemons remove
# their pid files: their pids are read first).
daemon_pids=$(cat "$T"/run/*.pid)
stop_daemons
for pid in $daemon_pids; do
    if kill -0 "$pid" 2>/dev/null; then fail "daemon $pid still runs"; fi
done
if pgrep -f "$T" >"$T/left"; then fail "processes of the test left running: $(cat "$T/left")"; fi
echo "PASS: slurm"
