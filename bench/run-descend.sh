#!/usr/bin/env bash
# One full-batch gradient-descent step of the paper's largest DNN (500-250-250-50, n = 1000,
# leaky ReLU, float64): flowcert's batched OpenBLAS kernel against numpy (OpenBLAS) on the same
# data and initial point, side by side; median of repeats after warm-up. Both use all cores.
# Usage: bench/run-descend.sh [CASE] [LR] [repeats] [steps-per-repeat]
#        (default cases/full/section4-dnn-full.yaml, 1e-3, 7, 5). Needs python3 with numpy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case_file="${1:-$here/cases/full/section4-dnn-full.yaml}"
lr="${2:-1e-3}"
repeats="${3:-7}"
per="${4:-5}"
"$here/flowcert" --version >/dev/null   # builds on first use
mkdir -p "$here/bench/out/classes"
cp="$here/target/flowcert.jar:$here/target/lib/*"
javac -d "$here/bench/out/classes" -cp "$cp" "$here/bench/DescendBench.java"
prefix="$here/bench/out/$(basename "$case_file" .yaml)"
java -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -cp "$here/bench/out/classes:$cp" DescendBench "$case_file" "$prefix" "$lr" "$repeats" "$per"
python3 "$here/bench/descend_numpy.py" "$prefix" "$repeats" "$per"
# The same pair on one core each: less sensitive to other load on the machine (OpenBLAS's
# spinning worker threads slow numpy down sharply when a core is taken by another process).
echo "--- both on one thread ---"
java -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -cp "$here/bench/out/classes:$cp" DescendBench "$case_file" "$prefix" "$lr" "$repeats" "$per" 1
OPENBLAS_NUM_THREADS=1 python3 "$here/bench/descend_numpy.py" "$prefix" "$repeats" "$per"
