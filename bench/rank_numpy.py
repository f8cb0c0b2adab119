"""numpy side of the exact-rank benchmark: float matrix_rank on the same J that flowcert ranks.

Usage: python3 rank_numpy.py OUT_PREFIX [repeats]
Reads OUT_PREFIX.J.f64 (little-endian float64, row-major) and OUT_PREFIX.J.json (shape).
"""
import json
import statistics
import sys
import time

import numpy as np


def main():
    prefix = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    meta = json.load(open(prefix + ".J.json"))
    j = np.fromfile(prefix + ".J.f64", dtype="<f8").reshape(meta["rows"], meta["cols"])
    np.linalg.matrix_rank(j)  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        r = int(np.linalg.matrix_rank(j))
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    ratio = meta["flowcert_seconds"] / med
    print(f"numpy matrix_rank (float, SVD): rank={r}  {med:.3f}s (median of {repeats})")
    print(f"ratio flowcert exact / numpy float = {ratio:.2f}  (target <= 2.0)")
    if r != meta["exact_rank"]:
        print(f"NOTE: numpy's floating rank {r} differs from the exact rank {meta['exact_rank']}")


if __name__ == "__main__":
    main()
