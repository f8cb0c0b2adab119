#!/usr/bin/env bash
# Runs `flowcert sweep` on a Slurm cluster: the shards as one job array, then the merge as a job
# that starts only when every shard succeeded (--dependency=afterok).
#
# Usage: slurm/submit-sweep.sh [--wait] [--sbatch "EXTRA SBATCH OPTIONS"] SHARDS OUT CASE [SWEEP OPTIONS...]
#   SHARDS  number of array tasks (shard I/N for I = 0..N-1)
#   OUT     result directory: OUT/shards/I holds shard I, OUT holds the merged draws.csv, summary.json,
#           sweep.html (byte-identical to `flowcert sweep CASE ... --out OUT` run on one machine)
#   CASE and SWEEP OPTIONS as for `flowcert sweep` (without --shard, --out, --resume)
# Example: slurm/submit-sweep.sh --wait 8 runs/leaky studies/leaky-dnn-samples.yaml --draws 200 \
#            --vary data.samples=2,4,6,8
# The repository must be on a file system every node sees; the launcher is built here first so that
# the array tasks do not build it concurrently. Prints the two job ids; with --wait, waits for the
# merge and exits with its exit code.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wait=0
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --wait) wait=1; shift ;;
    --sbatch) read -r -a extra <<< "$2"; shift 2 ;;
    *) break ;;
  esac
done
if [[ $# -lt 3 ]]; then
  echo "usage: slurm/submit-sweep.sh [--wait] [--sbatch OPTS] SHARDS OUT CASE [SWEEP OPTIONS...]" >&2
  exit 2
fi
shards="$1"; out="$2"; shift 2
if ! [[ "$shards" =~ ^[1-9][0-9]*$ ]]; then
  echo "slurm/submit-sweep.sh: SHARDS must be a positive integer, got '$shards'" >&2
  exit 2
fi
command -v sbatch > /dev/null || { echo "slurm/submit-sweep.sh: sbatch not found (is Slurm installed?)" >&2; exit 2; }
mkdir -p "$out/shards" "$out/logs"
out="$(cd "$out" && pwd)"
"$here/flowcert" --version > /dev/null   # builds the jar once, before any task starts
array=$(sbatch --parsable "${extra[@]}" --job-name=flowcert-sweep --array="0-$((shards - 1))" \
  --output="$out/logs/shard-%a.log" \
  --wrap="exec \"$here/flowcert\" sweep -q $(printf '%q ' "$@") --shard \$SLURM_ARRAY_TASK_ID/$shards --out \"$out/shards/\$SLURM_ARRAY_TASK_ID\"")
merge_args=()
for ((i = 0; i < shards; i++)); do merge_args+=("$out/shards/$i"); done
merge=$(sbatch --parsable "${extra[@]}" --job-name=flowcert-merge --dependency="afterok:$array" \
  --kill-on-invalid-dep=yes --output="$out/logs/merge.log" \
  --wrap="exec \"$here/flowcert\" merge $(printf '%q ' "${merge_args[@]}") --out \"$out\"")
echo "array job $array ($shards shards), merge job $merge; results in $out"
if [[ $wait == 1 ]]; then
  for ((s = 0; s < 7200; s++)); do
    squeue -h -j "$array,$merge" 2> /dev/null | grep -q . || break
    sleep 1
  done
  [[ -f "$out/summary.json" ]] || { echo "slurm/submit-sweep.sh: the merge did not produce $out/summary.json; see $out/logs" >&2; exit 1; }
fi
