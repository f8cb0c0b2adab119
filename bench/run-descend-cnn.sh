#!/usr/bin/env bash
# One full-batch gradient-descent step of a CNN (bench/cnn-bench.yaml: 3x32x32 inputs, two
# conv2d layers of 16 channels, leaky ReLU, n = 512): flowcert's kernel (pure Java, ConvOps)
# against numpy (im2col by sliding_window_view + OpenBLAS matmul) on the same data and initial
# point; numpy checks it takes the same first steps. Both on one thread (OPENBLAS_NUM_THREADS=1,
# flowcert's step runs on the calling thread).
# Usage: bench/run-descend-cnn.sh [CASE] [LR] [repeats] [steps-per-repeat]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case_file="${1:-$here/bench/cnn-bench.yaml}"
lr="${2:-1e-5}"
repeats="${3:-3}"
per="${4:-1}"
"$here/flowcert" --version >/dev/null   # builds on first use
mkdir -p "$here/bench/out/classes"
cp="$here/target/flowcert.jar:$here/target/lib/*"
javac -d "$here/bench/out/classes" -cp "$cp" "$here/bench/DescendBench.java"
prefix="$here/bench/out/$(basename "$case_file" .yaml)"
java -Dwarmup=2 -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -cp "$here/bench/out/classes:$cp" DescendBench "$case_file" "$prefix" "$lr" "$repeats" "$per" 1
OPENBLAS_NUM_THREADS=1 python3 "$here/bench/descend_cnn_numpy.py" "$prefix" "$repeats" "$per"
