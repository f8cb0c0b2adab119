#!/usr/bin/env bash
# The Slurm route of `flowcert sweep` on a real single-node cluster: the shipped study as a 3-task
# job array plus a dependent merge job, compared byte for byte with the same sweep run locally.
# Starts the cluster (.ci/slurm-cluster.sh) and stops the daemons it started, whatever happens.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
study=(studies/leaky-dnn-samples.yaml --draws 6 --vary data.samples=2,5,8)
trap '.ci/slurm-cluster.sh stop' EXIT
.ci/slurm-cluster.sh start
rm -rf target/slurm-sweep target/local-sweep
./flowcert --version > /dev/null
slurm/submit-sweep.sh --wait 3 target/slurm-sweep "${study[@]}"
./flowcert sweep -q "${study[@]}" --out target/local-sweep > /dev/null
for f in draws.csv summary.json sweep.html; do
  cmp "target/slurm-sweep/$f" "target/local-sweep/$f"
done
echo "slurm: the merged shards equal the local sweep byte for byte ($(($(wc -l < target/local-sweep/draws.csv) - 1)) draws)"
