#!/usr/bin/env bash
# measure / certify / check wall times on issue 14's all-pattern cases (a benchmark, not a test).
# Targets (2 cores): measure h9-leaky < 5 s, deep-leaky-6 < 60 s.
# Usage: bench/run-measure.sh [CASE ...]     (default cases/h9-leaky.yaml cases/deep-leaky-6.yaml)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=("$here/cases/h9-leaky.yaml" "$here/cases/deep-leaky-6.yaml")
"$here/flowcert" --version >/dev/null   # builds on first use
out="$here/bench/out/measure"
mkdir -p "$out"
for c in "${cases[@]}"; do
  name="$(basename "$c" .yaml)"
  t0=$(date +%s.%N)
  "$here/flowcert" measure "$c" --json -q > "$out/$name.json"
  t1=$(date +%s.%N)
  "$here/flowcert" certify "$c" --out "$out/$name" -q >/dev/null
  t2=$(date +%s.%N)
  "$here/flowcert" check "$out/$name/certificate.json" >/dev/null
  t3=$(date +%s.%N)
  python3 - "$out/$name.json" "$name" "$t0" "$t1" "$t2" "$t3" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m = m.get("result", m)
t0, t1, t2, t3 = map(float, sys.argv[3:7])
ap = m.get("all_patterns") or {}
print(f"{sys.argv[2]}: measure {t1 - t0:.2f} s ({m['verdict']}, {m['reason_evidence']}, "
      f"{m['total_patterns']} patterns, {ap.get('per_sample_patterns')} per-sample), "
      f"certify {t2 - t1:.2f} s, check {t3 - t2:.2f} s (wall, JVM start included)")
PY
done
