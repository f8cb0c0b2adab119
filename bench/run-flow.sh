#!/usr/bin/env bash
# The true gradient flow: flowcert (Hipparchus DOP853, one combined event function) against
# scipy's solve_ivp (DOP853, one terminal event function per pre-activation and knot, restarting
# at each crossing) on the same case, initial point and tolerances.
# Usage: bench/run-flow.sh [CASE] [T] [repeats] [scipy options]   (default bench/flow-bench.yaml, 2.0, 3;
# scipy options: --events=shared (default) or --events=separate, see flow_scipy.py)
# FLOWBENCH_JAVA_OPTS: extra JVM options for the flowcert side (e.g. -Dflowcert.flow.helper=true).
# Needs python3 with numpy and scipy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case_file="${1:-$here/bench/flow-bench.yaml}"
time="${2:-2.0}"
repeats="${3:-3}"
"$here/flowcert" --version >/dev/null   # builds on first use
mkdir -p "$here/bench/out/classes"
cp="$here/target/flowcert.jar:$here/target/lib/*"
javac -d "$here/bench/out/classes" -cp "$cp" "$here/bench/FlowBench.java"
prefix="$here/bench/out/$(basename "$case_file" .yaml)"
java ${FLOWBENCH_JAVA_OPTS:-} -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -cp "$here/bench/out/classes:$cp" FlowBench "$case_file" "$prefix" "$time" "$repeats"
python3 "$here/bench/flow_scipy.py" "$prefix" "--repeats=$repeats" "${@:4}"
