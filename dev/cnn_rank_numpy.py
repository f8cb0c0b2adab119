"""Writes the CNN rank fixture of ConvRankTest (src/test/resources/cnn-rank/).

A small CNN (1x3x3 inputs, conv2d 2 channels 2x2, leaky ReLU 0.1, flatten, dense 1; n = 20),
its inputs, labels and parameters as explicit values (case.yaml), and the rank of its Jacobian
computed here by numpy alone: the network and its Jacobian are written out by hand (patches by
sliding_window_view, the chain rule per parameter block), then numpy.linalg.matrix_rank.
Run: python3 dev/cnn_rank_numpy.py
"""
import os

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

rng = np.random.default_rng(1604)
n, C, K, S = 20, 2, 2, 3
X = rng.normal(size=(n, 1, S, S))
Y = rng.normal(size=(n, 1))
W1 = rng.uniform(-0.5, 0.5, size=(C, 1, K, K))
b1 = rng.uniform(-0.5, 0.5, size=C)
O = S - K + 1
W2 = rng.uniform(-0.5, 0.5, size=(1, C * O * O))
b2 = rng.uniform(-0.5, 0.5, size=1)

patches = sliding_window_view(X[:, 0], (K, K), axis=(1, 2))  # n, O, O, K, K
z = np.einsum("iyxab,cab->icyx", patches, W1[:, 0]) + b1[None, :, None, None]
assert np.min(np.abs(z)) > 1e-6, "a pre-activation too close to the knot"
slope = np.where(z > 0, 1.0, 0.1)
a = z * slope
w2 = W2[0].reshape(C, O, O)
# dF_i / dW1[c,0,a,b] = sum_{y,x} w2[c,y,x] slope[i,c,y,x] X[i,0,y+a,x+b]
g = w2[None] * slope  # n, C, O, O
dW1 = np.einsum("icyx,iyxab->icab", g, patches).reshape(n, -1)
db1 = g.sum(axis=(2, 3))
dW2 = a.reshape(n, -1)
db2 = np.ones((n, 1))
J = np.hstack([dW1, db1, dW2, db2])  # the contract's order: W1, b1, W2, b2
rank = int(np.linalg.matrix_rank(J))
sv = np.linalg.svd(J, compute_uv=False)

theta = np.concatenate([W1.ravel(), b1, W2.ravel(), b2])
out = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "cnn-rank")


def rows(m):
    return "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in r) + "]" for r in m) + "]"


with open(os.path.join(out, "case.yaml"), "w") as f:
    f.write("name: cnn-rank-fixture\n")
    f.write("description: fixture of ConvRankTest, written by dev/cnn_rank_numpy.py\n")
    f.write("seed: 1\n")
    f.write("data:\n")
    f.write(f"  samples: {n}\n  input_dim: {S * S}\n  input_shape: [1, {S}, {S}]\n  output_dim: 1\n")
    f.write(f"  inputs: {{values: {rows(X.reshape(n, -1))}}}\n")
    f.write(f"  labels: {{values: {rows(Y)}}}\n")
    f.write("network:\n")
    f.write(f"  - conv2d: {{channels: {C}, kernel: {K}}}\n  - leaky_relu: 0.1\n  - flatten\n  - dense: 1\n")
    f.write("init: {values: [" + ", ".join(repr(float(v)) for v in theta) + "]}\n")
with open(os.path.join(out, "numpy-rank.txt"), "w") as f:
    f.write(f"{rank}\n")
print("P", J.shape[1], "nM", J.shape[0], "rank", rank, "smallest singular values", sv[-4:])
