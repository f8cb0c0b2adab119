#!/usr/bin/env python3
"""Independent check of `flowcert sweep` (issue 11): P(G(0) singular) by Monte Carlo with numpy.

Setting: cases/dense-leaky-tiny.yaml (N = 3 inputs uniform in the unit ball, M = 2 normal labels,
dense 5 - leaky_relu 0.1 - dense 2, kaiming-uniform init: every weight and bias uniform in
+-1/sqrt(fan_in)), P = 32, with n samples. The numbers below are drawn by numpy (not the same
random numbers as flowcert, only the same distributions). J (nM x P, sample-major, then output)
is the explicit Jacobian of the 2-layer net; G = J J^T is counted singular when the float rank
of J (numpy.linalg.matrix_rank, SVD with numpy's default tolerance) is below nM.

flowcert's estimate comes from `flowcert sweep ... --vary data.samples=... --json` (exact rank).
The two agree when |p_numpy - p_flowcert| < 3 sigma, sigma^2 = p(1-p)/K_numpy + p(1-p)/K_flowcert
(p the pooled estimate), and the Clopper-Pearson intervals overlap.

Usage: bench/sweep_mc.py [--samples 6,8] [--draws-flowcert 1000] [--draws-numpy 20000]
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np

N, M, WIDTH, SLOPE = 3, 2, 5, 0.1


def ball(rng, n, d):
    """n points uniform in the unit ball of R^d (direction * U^(1/d))."""
    z = rng.standard_normal((n, d))
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    return z * rng.random((n, 1)) ** (1.0 / d)


def jacobian(x, w1, b1, w2):
    """J of out = leaky(x W1^T + b1) W2^T + b2, rows (sample i, output m), columns W1, b1, W2, b2."""
    n = x.shape[0]
    z = x @ w1.T + b1
    s = np.where(z > 0, 1.0, SLOPE)
    a = z * s
    p = WIDTH * N + WIDTH + M * WIDTH + M
    j = np.zeros((n, M, p))
    for m in range(M):
        g = w2[m] * s                                    # d out_m / d z, n x WIDTH
        j[:, m, :WIDTH * N] = (g[:, :, None] * x[:, None, :]).reshape(n, -1)
        j[:, m, WIDTH * N:WIDTH * N + WIDTH] = g
        j[:, m, WIDTH * N + WIDTH + m * WIDTH:WIDTH * N + WIDTH + (m + 1) * WIDTH] = a
        j[:, m, WIDTH * N + WIDTH + M * WIDTH + m] = 1.0
    return j.reshape(n * M, p)


def numpy_probability(n, draws, rng):
    singular = 0
    for _ in range(draws):
        x = ball(rng, n, N)
        w1 = rng.uniform(-1, 1, (WIDTH, N)) / math.sqrt(N)
        b1 = rng.uniform(-1, 1, WIDTH) / math.sqrt(N)
        w2 = rng.uniform(-1, 1, (M, WIDTH)) / math.sqrt(WIDTH)
        if np.linalg.matrix_rank(jacobian(x, w1, b1, w2)) < n * M:
            singular += 1
    return singular


def clopper_pearson(x, n, c=0.95):
    from scipy.stats import beta
    a = 1 - c
    lo = 0.0 if x == 0 else beta.ppf(a / 2, x, n - x + 1)
    hi = 1.0 if x == n else beta.ppf(1 - a / 2, x + 1, n - x)
    return float(lo), float(hi)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", default="6,8")
    ap.add_argument("--draws-flowcert", type=int, default=1000)
    ap.add_argument("--draws-numpy", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cmd = [os.path.join(here, "flowcert"), "sweep", os.path.join(here, "cases/dense-leaky-tiny.yaml"),
           "--draws", str(args.draws_flowcert), "--vary", "data.samples=" + args.samples, "--json", "-q"]
    print("$", " ".join(cmd), flush=True)
    summary = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    rng = np.random.default_rng(args.seed)
    ok = True
    print(f"{'n':>3} {'nM':>3} {'flowcert p [95% CI]':>28} {'numpy p [95% CI]':>28} {'diff/sigma':>10}")
    for point in summary["points"]:
        n = int(point["settings"]["data.samples"])
        kf = point["draws"] - point["undecided"]
        xf = point["singular"]
        xn = numpy_probability(n, args.draws_numpy, rng)
        kn = args.draws_numpy
        pf, pn = xf / kf, xn / kn
        pooled = (xf + xn) / (kf + kn)
        sigma = math.sqrt(max(pooled * (1 - pooled), 1e-300) * (1 / kf + 1 / kn))
        z = abs(pf - pn) / sigma if sigma > 0 else 0.0
        lo, hi = clopper_pearson(xn, kn)
        overlap = not (hi < point["ci_low"] or lo > point["ci_high"])
        ok &= z < 3 and overlap
        print(f"{n:>3} {n * M:>3} {pf:8.4f} [{point['ci_low']:.4f}, {point['ci_high']:.4f}] "
              f"{pn:8.4f} [{lo:.4f}, {hi:.4f}] {z:10.2f}"
              f"   (flowcert {xf}/{kf}, numpy {xn}/{kn}, undecided {point['undecided']})")
    print("AGREE" if ok else "DISAGREE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
