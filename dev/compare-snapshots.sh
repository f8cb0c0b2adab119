#!/usr/bin/env bash
# Compares two dev/snapshot.sh directories, ignoring wall-clock times and the directories' own paths.
# Usage: dev/compare-snapshots.sh BEFORE AFTER   (exit 0: identical up to timings)
set -uo pipefail
a="$(cd "$1" && pwd)"; b="$(cd "$2" && pwd)"
norm() { # file dir
  sed -E -e "s#$2#SNAP#g" -e 's#[^" ]*/cases/#REPO/cases/#g' \
    -e 's/"(seconds|seconds_per_step)" : [-0-9.eE]+/"\1" : T/g' \
    -e 's/\([0-9.]+ s\)/(T s)/g' \
    -e 's/[0-9.]+ s \([0-9.]+ ms\/step\)/T s (T ms\/step)/g' "$1"
}
status=0
while IFS= read -r f; do
  rel="${f#$a/}"
  if [[ ! -e "$b/$rel" ]]; then echo "missing in AFTER: $rel"; status=1; continue; fi
  if ! cmp -s <(norm "$f" "$a") <(norm "$b/$rel" "$b"); then echo "differs: $rel"; status=1; fi
done < <(find "$a" -type f | sort)
while IFS= read -r f; do
  rel="${f#$b/}"; [[ -e "$a/$rel" ]] || { echo "new in AFTER: $rel"; status=1; }
done < <(find "$b" -type f | sort)
[[ $status == 0 ]] && echo "snapshots identical (up to timings and paths)"
exit $status
