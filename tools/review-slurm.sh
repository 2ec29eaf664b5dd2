#!/usr/bin/env bash
# review-slurm.sh: the case review (tools/review.sh) as a Slurm array job.
#
#   tools/review-slurm.sh CAPTURES_OR_FOLDERS... --out DIR [--case NAME]
#       [--plugin PATH] [--one-pass] [-o portnote.PREF:VALUE]... [--batch N]
#       [--max-running N] [--wait] [-- SBATCH_OPTIONS...]
#
# DIR (and the captures, the plugin and this repository) must be on a folder
# every node sees at the same path.  Submits one array task per N captures
# (--batch, default 1), at most --max-running at once (default: Slurm's), each
# running `review.sh --one` per capture into DIR/parts; then the merge as a
# job that depends on the whole array with afterany, so that it runs whatever
# became of the tasks, writes DIR's outputs from every part there, and names
# the captures that have no part (a task killed, timed out or lost with its
# node): then it exits 3.  A capture tshark could not read is recorded as
# failed and does not fail its task.  Run the same command again to read only
# what is missing: captures with a part for this set-up are not submitted
# (failed ones are, as in a local run).  Logs: DIR/slurm/*.log.
# SBATCH_OPTIONS go to both sbatch calls (--partition, --account, --time...).
# --wait waits for the merge and exits with its status.
# Prints the array's and the merge's job ids.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "review-slurm: $*" >&2; }
fail() { say "$*"; exit 1; }
usage() { sed -n '2,21s/^# \{0,1\}//p' "$0" >&2; exit "${1:-0}"; }

OUT="" BATCH=1 MAX_RUNNING="" WAIT="" INPUTS=() SETUP=() SBATCH=()
while [ $# -gt 0 ]; do
    case "$1" in
        --out) [ $# -ge 2 ] || usage 2; OUT=$2; shift 2 ;;
        --case|--plugin|-o) [ $# -ge 2 ] || usage 2; SETUP+=("$1" "$2"); shift 2 ;;
        --one-pass|-2) SETUP+=("$1"); shift ;;
        --batch) [ $# -ge 2 ] || usage 2; BATCH=$2; shift 2 ;;
        --max-running) [ $# -ge 2 ] || usage 2; MAX_RUNNING=$2; shift 2 ;;
        --wait) WAIT=1; shift ;;
        -h|--help) usage 0 ;;
        --) shift; SBATCH=("$@"); break ;;
        -*) say "unknown option: $1"; usage 2 ;;
        *) INPUTS+=("$1"); shift ;;
    esac
done
{ [ -n "$OUT" ] && [ ${#INPUTS[@]} -gt 0 ]; } || usage 2
case "$BATCH$MAX_RUNNING" in *[!0-9]*) say "--batch and --max-running want numbers"; usage 2 ;; esac
[ "$BATCH" -gt 0 ] || usage 2
command -v sbatch >/dev/null || fail "sbatch not found: is this a Slurm submit host?"

mkdir -p "$OUT/slurm"
OUT=$(realpath -- "$OUT")
# The case label is fixed here, so that every task and the merge use the same.
case " ${SETUP[*]-} " in
    *" --case "*) ;;
    *) first=$(realpath -m -- "${INPUTS[0]}"); [ -d "$first" ] || first=$(dirname "$first")
       SETUP+=(--case "$(basename "$first")") ;;
esac
REVIEW=(bash "$ROOT/tools/review.sh" --out "$OUT" ${SETUP[@]+"${SETUP[@]}"})
"${REVIEW[@]}" --todo "$OUT/slurm/todo" "${INPUTS[@]}"

# One list of captures per task: DIR/slurm/batch-K (NUL-separated).
rm -f "$OUT"/slurm/batch-*
mapfile -d '' todo <"$OUT/slurm/todo"
tasks=$(( (${#todo[@]} + BATCH - 1) / BATCH ))
for ((k = 0; k < tasks; k++)); do
    printf '%s\0' "${todo[@]:k*BATCH:BATCH}" >"$OUT/slurm/batch-$((k + 1))"
done

# The task's script: its batch's captures, one review.sh --one each.
printf -v review_words '%q ' "${REVIEW[@]}"
cat >"$OUT/slurm/task.sh" <<EOF
#!/usr/bin/env bash
# One array task of tools/review-slurm.sh: the captures of batch-\$SLURM_ARRAY_TASK_ID.
set -euo pipefail
while IFS= read -r -d '' capture; do
    echo "reading \$capture"
    $review_words --one "\$capture"
done <$(printf %q "$OUT/slurm")/batch-"\$SLURM_ARRAY_TASK_ID"
EOF
cat >"$OUT/slurm/merge.sh" <<EOF
#!/usr/bin/env bash
# The merge of tools/review-slurm.sh: after the array, whatever became of its tasks.
exec $review_words --merge $(printf %q "$OUT") --expect $(printf %q "$OUT/slurm/todo.all")
EOF

depend=()
if [ "$tasks" -gt 0 ]; then
    array_job=$(sbatch --parsable --job-name=portnote-review --array="1-$tasks${MAX_RUNNING:+%$MAX_RUNNING}" \
        --output="$OUT/slurm/task-%A_%a.log" ${SBATCH[@]+"${SBATCH[@]}"} "$OUT/slurm/task.sh")
    array_job=${array_job%%;*}
    depend=(--dependency="afterany:$array_job")
    say "array job $array_job: $tasks tasks of up to $BATCH captures"
fi
merge_job=$(sbatch --parsable --job-name=portnote-merge ${depend[@]+"${depend[@]}"} \
    --output="$OUT/slurm/merge-%j.log" ${WAIT:+--wait} ${SBATCH[@]+"${SBATCH[@]}"} "$OUT/slurm/merge.sh") ||
    { rc=$?; [ -n "$WAIT" ] || fail "sbatch refused the merge job"; }
merge_job=${merge_job%%;*}
say "merge job $merge_job (log: $OUT/slurm/merge-$merge_job.log)"
echo "${array_job:-none} $merge_job"
exit "${rc:-0}"
