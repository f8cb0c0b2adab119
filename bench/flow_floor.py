"""Feasibility floor for the flow benchmark's speed target (issue 4).

Usage: python3 bench/flow_floor.py [OUT_PREFIX] [--evals=11500] [--repeats=5]

Times, with numpy (OpenBLAS), only the two dense products that every evaluation of the gradient
field needs on bench/flow-bench.yaml, at its shapes: the forward Z = X W1^T (n x N times N x H)
and the weight gradient dW1 = dZ^T X (H x n times n x N), each EVALS times (the number of field
evaluations of a DOP853 run of that case: about 11500 for both flowcert and scipy). Nothing else
(activation, second layer, Runge-Kutta stage sums, events, restarts) is counted, so this is a
lower bound for ANY implementation that evaluates the field as often, scipy included; comparing
it with scipy's measured time bounds the speed-up over scipy that such an implementation can
reach: scipy_seconds / floor_seconds (flowcert's products are pure Java, see FlowKernelBench).

Reads OUT_PREFIX.X.f64 and OUT_PREFIX.flow.json when they exist (written by FlowBench via
run-flow.sh; default prefix bench/out/flow-bench), else uses random data of the same shapes.
Set OPENBLAS_NUM_THREADS=1 for the single-threaded figure (at these sizes it is about the same).
"""
import json
import os
import sys
import time

import numpy as np


def run(X, H, evals, repeats):
    n, N = X.shape
    rng = np.random.default_rng(1)
    W1 = rng.standard_normal((H, N))
    dZ = rng.standard_normal((n, H))
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(evals):
            Z = X @ W1.T
            G = dZ.T @ X
        best = min(best, time.perf_counter() - t0)
    return best, Z, G


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    prefix = os.path.join(here, "out", "flow-bench")
    evals, repeats = 11500, 5
    for a in sys.argv[1:]:
        if a.startswith("--evals="):
            evals = int(a.split("=", 1)[1])
        elif a.startswith("--repeats="):
            repeats = int(a.split("=", 1)[1])
        else:
            prefix = a
    if os.path.exists(prefix + ".flow.json"):
        meta = json.load(open(prefix + ".flow.json"))
        n, N, H = meta["n"], meta["N"], meta["H"]
        X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(n, N)
    else:
        n, N, H = 50, 96, 20
        X = np.random.default_rng(0).standard_normal((n, N))
    macs = 2 * n * N * H  # two products per evaluation
    secs, _, _ = run(X, H, evals, repeats)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"numpy floor: {evals} x (X W1^T and dZ^T X) at n={n}, N={N}, H={H} "
          f"({macs} multiply-adds per evaluation), OPENBLAS_NUM_THREADS={threads}: {secs:.3f}s "
          f"({evals * macs / secs / 1e9:.1f} GMAC/s, min of {repeats})")
    print(f"  a 20x speed-up over a reference taking S seconds needs the whole run in S/20; "
          f"these two products alone take {secs:.3f}s, i.e. 20x is out of reach when S < {20 * secs:.2f}s")


if __name__ == "__main__":
    main()
