#!/usr/bin/env bash
# Records every command's output on the shipped cases into DIR (behaviour baseline for refactors).
# Usage: dev/snapshot.sh DIR    then: diff -r DIR_BEFORE DIR_AFTER
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$1"; mkdir -p "$out"
out="$(cd "$out" && pwd)"
fc="$here/flowcert"
"$fc" certify -q "$here"/cases/*.yaml --out "$out/certify" > "$out/certify.stdout" 2> /dev/null
echo "certify exit $?" >> "$out/exits"
"$fc" certify --json -q "$here"/cases/tiny-leaky.yaml "$here"/cases/flow-slide.yaml --out "$out/certify-json" > "$out/certify-json.stdout" 2> /dev/null
for c in "$here"/cases/*.yaml; do
  b=$(basename "$c" .yaml)
  for cmd in rank measure flow; do
    "$fc" $cmd --json -q "$c" > "$out/$b.$cmd.json" 2> "$out/$b.$cmd.err"; echo "$b $cmd json exit $?" >> "$out/exits"
    "$fc" $cmd -q "$c" > "$out/$b.$cmd.txt" 2> /dev/null; echo "$b $cmd text exit $?" >> "$out/exits"
  done
  "$fc" compare --json -q "$c" --lr 0.1,0.05,0.025 --time 0.5 > "$out/$b.compare.json" 2> "$out/$b.compare.err"; echo "$b compare exit $?" >> "$out/exits"
  "$fc" compare -q "$c" --lr 0.1,0.05,0.025 --time 0.5 > "$out/$b.compare.txt" 2> /dev/null
  "$fc" descend --json -q "$c" --steps 200 --lr 0.01 --curve "$out/$b.curve.csv" > "$out/$b.descend.json" 2> "$out/$b.descend.err"; echo "$b descend exit $?" >> "$out/exits"
  "$fc" descend -q "$c" --steps 200 --lr 0.01 > "$out/$b.descend.txt" 2> /dev/null
done
for c in tiny-leaky flow-slide dense-tanh flow-two-crossings; do
  "$fc" flow -q "$here/cases/$c.yaml" --time 1 --trajectory "$out/$c.trajectory.csv" > /dev/null 2>&1
  "$fc" descend -q "$here/cases/$c.yaml" --steps 50 --lr 5 --curve "$out/$c.diverge.csv" --json > "$out/$c.diverge.json" 2>/dev/null
done
"$fc" rank --json -q "$here/cases/dense-leaky-tiny.yaml" --bogus > /dev/null 2> "$out/bad-option.err"; echo "bad option exit $?" >> "$out/exits"
"$fc" check "$out/certify/certificate.json" > "$out/check.stdout" 2>&1; echo "check exit $?" >> "$out/exits"
