"""One full-batch gradient-descent step of a dense / leaky-ReLU network in numpy (OpenBLAS),
float64, on the data and initial point DescendBench wrote; checks that it takes the same steps
as flowcert (losses after the first steps) and times a step (median of repeats after warm-up).
Written for speed: matrix products into preallocated buffers, in-place element-wise updates.
Usage: descend_numpy.py PREFIX [repeats] [steps-per-repeat]"""
import json
import sys
import time

import numpy as np

from descend_timing import time_steps

prefix = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
per = int(sys.argv[3]) if len(sys.argv) > 3 else 5
lay = json.load(open(prefix + ".layout.json"))
n, d0, lr = lay["samples"], lay["input_dim"], lay["lr"]
theta0 = np.fromfile(prefix + ".theta0.f64", dtype="<f8")
X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(n, d0)
Y = np.fromfile(prefix + ".Y.f64", dtype="<f8").reshape(n, -1)

# Parameter views into one flat vector (the contract's order: W row-major, then b).
theta = theta0.copy()
grad = np.zeros_like(theta)
dense, slopes = [], []
off, width = 0, d0
for item in lay["layers"]:
    if "dense" in item:
        w = item["dense"]
        W = theta[off:off + w * width].reshape(w, width)
        gW = grad[off:off + w * width].reshape(w, width)
        off += w * width
        b = theta[off:off + w]
        gb = grad[off:off + w]
        off += w
        dense.append((W, b, gW, gb))
        width = w
    else:
        slopes.append(item["leaky"])
assert off == theta.size and len(slopes) == len(dense) - 1

L = len(dense)
Z = [np.empty((n, W.shape[0])) for (W, _, _, _) in dense]    # pre-activations
H = [X] + [np.empty((n, W.shape[0])) for (W, _, _, _) in dense[:-1]]  # inputs of dense layers
dZ = [np.empty_like(z) for z in Z]
dH = [None] + [np.empty_like(h) for h in H[1:]]
mask = [np.empty(z.shape, dtype=bool) for z in Z[:-1]]


def step():
    for l, (W, b, _, _) in enumerate(dense):
        np.dot(H[l], W.T, out=Z[l])
        Z[l] += b
        if l < L - 1:
            np.greater(Z[l], 0.0, out=mask[l])
            np.multiply(Z[l], slopes[l], out=H[l + 1])
            np.copyto(H[l + 1], Z[l], where=mask[l])
    R = dZ[L - 1]
    np.subtract(Z[L - 1], Y, out=R)
    loss = 0.5 * np.vdot(R, R)
    for l in range(L - 1, -1, -1):
        W, b, gW, gb = dense[l]
        np.dot(dZ[l].T, H[l], out=gW)
        np.sum(dZ[l], axis=0, out=gb)
        if l > 0:
            np.dot(dZ[l], W, out=dH[l])
            np.multiply(dH[l], slopes[l - 1], out=dZ[l - 1])
            np.copyto(dZ[l - 1], dH[l], where=mask[l - 1])
    np.subtract(theta, lr * grad, out=theta)
    return loss


losses = [step() for _ in range(3)]
check = lay["check_losses"]
rel = max(abs(a - b) / abs(b) for a, b in zip(losses, check[:3]))
print(f"numpy     losses of the first 3 steps agree with flowcert to {rel:.1e} relative")
assert rel < 1e-10, (losses, check)
time_steps(step, prefix, "dense", repeats, per, 10, 1.5)
