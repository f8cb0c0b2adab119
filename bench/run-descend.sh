#!/usr/bin/env bash
# One full-batch gradient-descent step of the paper's largest DNN (500-250-250-50, n = 1000,
# leaky ReLU, float64): flowcert's batched OpenBLAS kernel against numpy (OpenBLAS) on the same
# data and initial point, side by side; median of repeats after warm-up, wall and CPU time per
# step, and the ratio flowcert / numpy of each. First both on all cores, then both on one thread.
# Usage: bench/run-descend.sh [CASE] [LR] [repeats] [steps-per-repeat]
#        (default cases/full/section4-dnn-full.yaml, 1e-3, 7, 5). Needs python3 with numpy.
# Environment (set by run-descend-cnn.sh, which shares this loop): DESCEND_NUMPY (the numpy
# script, default descend_numpy.py), DESCEND_WARMUP (flowcert's warm-up steps, default 10),
# DESCEND_THREADS (a list of thread counts, default "all 1": all cores, then one thread).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case_file="${1:-$here/cases/full/section4-dnn-full.yaml}"
lr="${2:-1e-3}"
repeats="${3:-7}"
per="${4:-5}"
numpy_script="$here/bench/${DESCEND_NUMPY:-descend_numpy.py}"
warmup="${DESCEND_WARMUP:-10}"
"$here/flowcert" --version >/dev/null   # builds on first use
mkdir -p "$here/bench/out/classes"
cp="$here/target/flowcert.jar:$here/target/lib/*"
javac -d "$here/bench/out/classes" -cp "$cp" "$here/bench/DescendBench.java"
prefix="$here/bench/out/$(basename "$case_file" .yaml)"
for threads in ${DESCEND_THREADS:-all 1}; do
  if [ "$threads" = all ]; then
    echo "--- both on all cores ---"
    jthreads=""
    unset OPENBLAS_NUM_THREADS OMP_NUM_THREADS
  else
    # One thread each (OpenBLAS's spinning worker threads slow numpy down sharply when a core is
    # taken by another process, so this pair is the less load-sensitive one).
    echo "--- both on $threads thread(s) ---"
    jthreads="$threads"
    export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"
  fi
  java -Dwarmup="$warmup" -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
    -cp "$here/bench/out/classes:$cp" DescendBench "$case_file" "$prefix" "$lr" "$repeats" "$per" $jthreads
  PYTHONPATH="$here/bench" python3 "$numpy_script" "$prefix" "$repeats" "$per"
done
