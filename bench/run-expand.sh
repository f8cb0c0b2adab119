#!/usr/bin/env bash
# Symbolic minor expansion: flowcert (JAS) against sympy's best routes on the same minor.
# Usage: bench/run-expand.sh [CASE] [K] [repeats]   (default cases/resnet-leaky.yaml 6 5)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case_file="${1:-$here/cases/resnet-leaky.yaml}"
k="${2:-6}"
repeats="${3:-5}"
"$here/flowcert" --version >/dev/null   # builds on first use
mkdir -p "$here/bench/out/classes"
cp="$here/target/flowcert.jar:$here/target/lib/*"
javac -d "$here/bench/out/classes" -cp "$cp" "$here/bench/ExpandBench.java"
prefix="$here/bench/out/$(basename "$case_file" .yaml)-k$k"
java -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -cp "$here/bench/out/classes:$cp" ExpandBench "$case_file" "$k" "$prefix" "$repeats"
python3 "$here/bench/expand_sympy.py" "$prefix" "$repeats"
