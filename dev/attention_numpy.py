"""Writes the attention fixture of AttentionLayerTest (src/test/resources/attention/fixture.txt).

Single-head softmax self-attention written out here with numpy alone, for two layers: per
sample X (T x d), Q = X Wq^T, K = X Wk^T, V = X Wv^T, A = softmax(scale Q K^T) row-wise,
output A V (T x v) flattened in C order. The Jacobian of the outputs in the parameters
(Wq, Wk, Wv row-major, in that order) by the complex step, d f / d theta_p = Im f(theta + i h e_p)
/ h with h = 1e-30: the layer is analytic, so this is exact up to rounding (no cancellation).
Run: python3 dev/attention_numpy.py
"""
import os

import numpy as np


def layer(theta, X, T, d, k, v, scale):
    wq = theta[: k * d].reshape(k, d)
    wk = theta[k * d : 2 * k * d].reshape(k, d)
    wv = theta[2 * k * d :].reshape(v, d)
    out = []
    for x in X:
        x = x.reshape(T, d)
        q = x @ wq.T
        kk = x @ wk.T
        vv = x @ wv.T
        s = scale * (q @ kk.T)
        e = np.exp(s)
        a = e / e.sum(axis=1, keepdims=True)
        out.append((a @ vv).reshape(-1))
    return np.array(out)


def fixture(rng, name, n, T, d, k, v, scale):
    p = 2 * k * d + v * d
    theta = rng.uniform(-0.8, 0.8, size=p)
    X = rng.normal(size=(n, T * d))
    F = layer(theta, X, T, d, k, v, scale)
    h = 1e-30
    J = np.zeros((F.size, p))
    for j in range(p):
        t = theta.astype(complex)
        t[j] += 1j * h
        J[:, j] = layer(t, X, T, d, k, v, scale).imag.reshape(-1) / h
    lines = [f"case {name} {n} {T} {d} {k} {v} {scale!r}"]
    lines.append("theta " + " ".join(repr(float(t)) for t in theta))
    lines.append("x " + " ".join(repr(float(t)) for t in X.reshape(-1)))
    lines.append("f " + " ".join(repr(float(t)) for t in F.reshape(-1)))
    lines.append("j " + " ".join(repr(float(t)) for t in J.reshape(-1)))
    return lines


rng = np.random.default_rng(1616)
lines = ["# written by dev/attention_numpy.py (numpy " + np.__version__ + "); do not edit"]
lines += fixture(rng, "t3d2k2v3", 2, 3, 2, 2, 3, 0.6)
lines += fixture(rng, "t4d3k1v2", 3, 4, 3, 1, 2, 1.25)
lines += fixture(rng, "t2d2k3v2", 2, 2, 2, 3, 2, 0.5773502691896258)
out = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "attention", "fixture.txt")
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
