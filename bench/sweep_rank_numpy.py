#!/usr/bin/env python3
"""Float rank of J for K draws of bench/bench-sweep.yaml's network (the same sizes and
distributions, numpy's random numbers): explicit Jacobian + numpy.linalg.matrix_rank (SVD).
Prints draws per second and the fraction with rank J < nM.
Usage: bench/sweep_rank_numpy.py N_SAMPLES WIDTH DRAWS"""
import math
import sys
import time

import numpy as np

N, M, SLOPE = 3, 2, 0.1


def main():
    n, width, draws = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.default_rng(1)
    p = width * N + width + M * width + M
    singular = 0
    start = time.perf_counter()
    for _ in range(draws):
        z = rng.standard_normal((n, N))
        x = z / np.linalg.norm(z, axis=1, keepdims=True) * rng.random((n, 1)) ** (1.0 / N)
        w1 = rng.uniform(-1, 1, (width, N)) / math.sqrt(N)
        b1 = rng.uniform(-1, 1, width) / math.sqrt(N)
        w2 = rng.uniform(-1, 1, (M, width)) / math.sqrt(width)
        pre = x @ w1.T + b1
        s = np.where(pre > 0, 1.0, SLOPE)
        a = pre * s
        j = np.zeros((n, M, p))
        for m in range(M):
            g = w2[m] * s
            j[:, m, :width * N] = (g[:, :, None] * x[:, None, :]).reshape(n, -1)
            j[:, m, width * N:width * N + width] = g
            j[:, m, width * N + width + m * width:width * N + width + (m + 1) * width] = a
            j[:, m, width * N + width + M * width + m] = 1.0
        if np.linalg.matrix_rank(j.reshape(n * M, p)) < n * M:
            singular += 1
    secs = time.perf_counter() - start
    print(f"numpy float rank: n={n} width={width} nM={n * M} P={p}: {draws} draws in {secs:.2f} s = "
          f"{draws / secs:.1f} draws/s (singular {singular}/{draws})")


if __name__ == "__main__":
    main()
