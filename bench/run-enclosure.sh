#!/usr/bin/env bash
# The validated (interval) enclosure of the flow (issue 17): time, steps, crossing intervals,
# final widths, the proved lambda_min(G) bound, and the floating flow's distance at T.
# Usage: bench/run-enclosure.sh [CASE] [T] [repeats]   (default cases/flow-two-crossings.yaml, 1.0, 3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case_file="${1:-$here/cases/flow-two-crossings.yaml}"
"$here/flowcert" --version >/dev/null   # builds on first use
mkdir -p "$here/bench/out/classes"
cp="$here/target/flowcert.jar:$here/target/lib/*"
javac -d "$here/bench/out/classes" -cp "$cp" "$here/bench/EnclosureBench.java"
java -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -cp "$here/bench/out/classes:$cp" EnclosureBench "$case_file" "${2:-1.0}" "${3:-3}"
