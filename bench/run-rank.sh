#!/usr/bin/env bash
# Exact rank (flowcert) against numpy's float matrix_rank on the same J.
# Usage: bench/run-rank.sh [CASE] [repeats]     (default bench/bench-rank.yaml, 5)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case_file="${1:-$here/bench/bench-rank.yaml}"
repeats="${2:-5}"
"$here/flowcert" --version >/dev/null   # builds on first use
mkdir -p "$here/bench/out/classes"
cp="$here/target/flowcert.jar:$here/target/lib/*"
javac -d "$here/bench/out/classes" -cp "$cp" "$here/bench/RankBench.java"
prefix="$here/bench/out/$(basename "$case_file" .yaml)"
java -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -cp "$here/bench/out/classes:$cp" RankBench "$case_file" "$prefix" "$repeats"
python3 "$here/bench/rank_numpy.py" "$prefix" "$repeats"
