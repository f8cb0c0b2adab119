#!/usr/bin/env bash
# One full-batch gradient-descent step of a CNN (bench/cnn-bench.yaml: 3x32x32 inputs, two
# conv2d layers of 16 channels, leaky ReLU, n = 512): flowcert's kernel (pure Java, im2col + GEMM
# in ConvOps) against numpy (im2col by sliding_window_view + OpenBLAS matmul) on the same data
# and initial point; numpy checks it takes the same first steps. The loop is run-descend.sh's
# (wall and CPU time per step, ratio flowcert / numpy); by default both on one thread
# (OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=1). Then, with CNN_PHASES=1, the thread CPU time of each
# conv phase (ConvPhaseBench: forward, dW + db, dW + db + dH per layer).
# Usage: bench/run-descend-cnn.sh [CASE] [LR] [repeats] [steps-per-repeat]
#        (default bench/cnn-bench.yaml, 1e-5, 3, 1); DESCEND_THREADS="all 1" adds all cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DESCEND_NUMPY=descend_cnn_numpy.py DESCEND_WARMUP="${DESCEND_WARMUP:-2}" \
  DESCEND_THREADS="${DESCEND_THREADS:-1}" "$here/bench/run-descend.sh" \
  "${1:-$here/bench/cnn-bench.yaml}" "${2:-1e-5}" "${3:-3}" "${4:-1}"
if [ "${CNN_PHASES:-0}" = 1 ]; then
  echo "--- conv phases, one thread (n = 512, median of 3) ---"
  cp="$here/target/flowcert.jar:$here/target/lib/*"
  javac -d "$here/bench/out/classes" -cp "$cp" "$here/bench/ConvPhaseBench.java"
  java -cp "$here/bench/out/classes:$cp" org.flowcert.numeric.ConvPhaseBench 512 3 "$here/bench/cnn-bench.yaml"
fi
