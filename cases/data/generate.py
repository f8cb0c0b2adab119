#!/usr/bin/env python3
"""Writes the data of cases/data-from-files.yaml (run from this directory; the outputs are committed).

Inputs: 8 points uniform in the unit ball of R^3, stored as float32 (flowcert reads each float32
as the exact double it denotes). Labels: a smooth function of the inputs plus noise, as CSV
(17 significant digits, which round-trip exactly).
"""
import numpy as np

rng = np.random.default_rng(15)
n, N = 8, 3
z = rng.normal(size=(n, N))
x = z / np.linalg.norm(z, axis=1, keepdims=True) * rng.uniform(size=(n, 1)) ** (1 / N)
y = np.sin(2 * x[:, :1]) + 0.5 * x[:, 1:2] * x[:, 2:3] + 0.1 * rng.normal(size=(n, 1))
np.savez("data-from-files.npz", X=x.astype(np.float32))
np.savetxt("data-from-files-labels.csv", y, delimiter=",", fmt="%.17g")
