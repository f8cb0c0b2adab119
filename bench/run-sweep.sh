#!/usr/bin/env bash
# Draws per second of `flowcert sweep --check rank` (exact rank of J, all cores) against a numpy
# loop computing the float rank (explicit Jacobian + SVD) of networks with the same sizes and
# distributions (bench/bench-sweep.yaml: dense W - leaky_relu - dense 2 on N = 3 inputs).
# flowcert's time is the wall time of the whole command (JVM start and case loading included).
# Usage: bench/run-sweep.sh [K_small] [K_large]   (default 400 and 10)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
k_small="${1:-400}"
k_large="${2:-10}"
"$here/flowcert" --version >/dev/null   # builds on first use
case_file="$here/bench/bench-sweep.yaml"
run() { # n width K
  local out; out="$(mktemp -d)"
  local t0 t1
  t0=$(date +%s.%N)
  "$here/flowcert" sweep "$case_file" --draws "$3" --vary "data.samples=$1" --vary "network[0].dense=$2" -q --out "$out" >/dev/null
  t1=$(date +%s.%N)
  python3 - "$out/summary.json" "$t0" "$t1" "$3" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["points"][0]
secs = float(sys.argv[3]) - float(sys.argv[2]); k = int(sys.argv[4])
print(f"flowcert exact rank: n={p['n']} nM={p['nM']} P={p['P']}: {k} draws in {secs:.2f} s = {k / secs:.1f} draws/s "
      f"(singular {p['singular']}, positive definite {p['positive_definite']}, undecided {p['undecided']})")
PY
  rm -rf "$out"
  python3 "$here/bench/sweep_rank_numpy.py" "$1" "$2" "$3"
}
echo "cores: $(nproc)"
run 25 12 "$k_small"    # nM = 50, P = 74
run 250 100 "$k_large"  # nM = 500, P = 602
