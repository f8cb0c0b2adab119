"""One full-batch gradient-descent step of a CNN (conv2d / leaky ReLU / flatten / dense) in numpy,
float64, on the data and initial point DescendBench wrote: convolutions as im2col (patches by
numpy.lib.stride_tricks.sliding_window_view) + one matrix product (OpenBLAS), the backward pass
as two products and a col2im scatter. Checks that it takes the same steps as flowcert (losses
after the first steps) and times a step (median of repeats after warm-up).
Usage: descend_cnn_numpy.py PREFIX [repeats] [steps-per-repeat]"""
import json
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from descend_timing import time_steps

prefix = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
per = int(sys.argv[3]) if len(sys.argv) > 3 else 1
lay = json.load(open(prefix + ".layout.json"))
n, lr = lay["samples"], lay["lr"]
theta = np.fromfile(prefix + ".theta0.f64", dtype="<f8").copy()
grad = np.zeros_like(theta)
X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(n, -1)
Y = np.fromfile(prefix + ".Y.f64", dtype="<f8").reshape(n, -1)

# Layers with views into theta / grad (the contract's order: W row-major, then b).
layers = []
off, width = 0, X.shape[1]
for item in lay["layers"]:
    if "conv" in item:
        c = item["conv"]
        cin = c["in_shape"][0]
        kh, kw = c["kernel"]
        cout = c["channels"]
        nw = cout * cin * kh * kw
        W, gW = theta[off:off + nw].reshape(cout, cin * kh * kw), grad[off:off + nw].reshape(cout, -1)
        off += nw
        b = theta[off:off + cout] if c["bias"] else None
        gb = grad[off:off + cout] if c["bias"] else None
        off += cout if c["bias"] else 0
        layers.append(("conv", c, W, b, gW, gb))
    elif "dense" in item:
        w = item["dense"]
        W, gW = theta[off:off + w * width].reshape(w, width), grad[off:off + w * width].reshape(w, width)
        off += w * width
        b, gb = theta[off:off + w], grad[off:off + w]
        off += w
        layers.append(("dense", None, W, b, gW, gb))
        width = w
        continue
    elif "flatten" in item:
        layers.append(("flatten",))
    else:
        layers.append(("leaky", item["leaky"]))
    if "conv" in item:
        ho = (c["in_shape"][1] + 2 * c["padding"][0] - kh) // c["stride"][0] + 1
        wo = (c["in_shape"][2] + 2 * c["padding"][1] - kw) // c["stride"][1] + 1
        width = cout * ho * wo
assert off == theta.size


def im2col(h, c):
    """h: n x C x H x W -> (n Ho Wo) x (C kh kw), rows (sample, y, x), columns (c, ky, kx)."""
    ph, pw = c["padding"]
    if ph or pw:
        h = np.pad(h, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    sh, sw = c["stride"]
    p = sliding_window_view(h, tuple(c["kernel"]), axis=(2, 3))[:, :, ::sh, ::sw]
    n_, cin, ho, wo, kh, kw = p.shape
    return np.ascontiguousarray(p.transpose(0, 2, 3, 1, 4, 5)).reshape(n_ * ho * wo, cin * kh * kw), ho, wo


def step():
    grad[:] = 0.0
    h = X
    saved = []
    for L in layers:
        if L[0] == "conv":
            c, W, b = L[1], L[2], L[3]
            hm = h.reshape(n, *c["in_shape"])
            cols, ho, wo = im2col(hm, c)
            z = cols @ W.T
            if b is not None:
                z += b
            saved.append((cols, ho, wo))
            h = z.reshape(n, ho, wo, -1).transpose(0, 3, 1, 2).reshape(n, -1)
        elif L[0] == "dense":
            saved.append(h)
            h = h @ L[2].T + L[3]
        elif L[0] == "leaky":
            saved.append(h)
            h = np.where(h > 0, h, L[1] * h)
        else:
            saved.append(None)
    r = h - Y
    loss = 0.5 * float(np.sum(r * r))
    a = r
    for L, s in zip(reversed(layers), reversed(saved)):
        if L[0] == "dense":
            L[4][:] += a.T @ s
            L[5][:] += a.sum(axis=0)
            a = a @ L[2]
        elif L[0] == "leaky":
            a = np.where(s > 0, a, L[1] * a)
        elif L[0] == "conv":
            c, W = L[1], L[2]
            cols, ho, wo = s
            cout = W.shape[0]
            dz = a.reshape(n, cout, ho, wo).transpose(0, 2, 3, 1).reshape(-1, cout)
            L[4][:] += dz.T @ cols
            if L[5] is not None:
                L[5][:] += dz.sum(axis=0)
            if L is layers[0]:
                break  # dL/dX is not needed
            dcols = (dz @ W).reshape(n, ho, wo, c["in_shape"][0], *c["kernel"])
            ph, pw = c["padding"]
            sh, sw = c["stride"]
            cin, hh, ww = c["in_shape"]
            dh = np.zeros((n, cin, hh + 2 * ph, ww + 2 * pw))
            for ky in range(c["kernel"][0]):
                for kx in range(c["kernel"][1]):
                    dh[:, :, ky:ky + sh * (ho - 1) + 1:sh, kx:kx + sw * (wo - 1) + 1:sw] += \
                        dcols[:, :, :, :, ky, kx].transpose(0, 3, 1, 2)
            a = dh[:, :, ph:ph + hh, pw:pw + ww].reshape(n, -1)
    theta[:] -= lr * grad
    return loss


got = [step() for _ in range(3)]
want = lay["check_losses"][:3]
for g, w in zip(got, want):
    assert abs(g - w) <= 1e-9 * max(1.0, abs(w)), (got, want)
print("numpy     same first losses as flowcert:", ", ".join("%.12g" % g for g in got))
time_steps(step, prefix, prefix.split("/")[-1], repeats, per, 1, 2)
