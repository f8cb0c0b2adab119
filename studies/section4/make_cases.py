#!/usr/bin/env python3
"""Writes the section 4 study case files (full/ and small/). Run from this directory; the files
are committed, so this is only needed to change the studies. Every P in a description is the
closed form checked by Section4StudyTest."""
import os

LEAK = 0.01

def dense(h):  # DNN 500-[h,h]-50 (full) / 20-[h,h]-5 (small)
    return [f"dense: {h}", f"leaky_relu: {LEAK}", f"dense: {h}", f"leaky_relu: {LEAK}"]

def write(path, name, desc, seed, n, N, M, layers, graph=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = [f"name: {name}", "description: >-", f"  {desc}", f"seed: {seed}", "data:",
             f"  samples: {n}", f"  input_dim: {N}", f"  output_dim: {M}",
             "  inputs: {draw: uniform-ball, radius: 1.0}", "  labels: {draw: normal, std: 1.0}"]
    if graph:
        lines.append(f"  graph: {{knn: {graph}}}")
    lines.append("network:")
    lines += [f"  - {l}" for l in layers]
    lines.append("init: {draw: kaiming-uniform}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")

def studies(scale):
    if scale == "full":
        n, dnn, res, gcn = 1000, (500, 50, [50, 100, 150, 200, 250]), (100, [8, 10, 12, 14, 16], 1000), \
            (500, 50, [25, 50, 75, 100, 125, 150, 175, 200])
        k = 10
    else:
        # The small ResNet has n = 20 so that P = 30 b crosses nM = 100 inside 2..6 blocks (at 4).
        n, dnn, res, gcn = 100, (20, 5, [5, 10, 20, 40]), (5, [2, 3, 4, 5, 6], 20), (20, 5, [5, 10, 20])
        k = 10
    N, M, hs = dnn
    for h in hs:
        p = h * (N + 1) + h * (h + 1) + M * (h + 1)
        write(f"{scale}/dnn-h{h:03d}.yaml", f"s4-{scale}-dnn-h{h:03d}",
              f"Section 4 DNN {N}-[{h},{h}]-{M}, n = {n}, leaky ReLU {LEAK}; P = {p}, nM = {n * M}.",
              2024, n, N, M, dense(h) + [f"dense: {M}"])
    d, bs, nr = res
    for b in bs:
        layers = []
        for i in range(b):
            layers.append("residual")
            if i < b - 1:
                layers.append(f"leaky_relu: {LEAK}")
        write(f"{scale}/resnet-b{b:02d}.yaml", f"s4-{scale}-resnet-b{b:02d}",
              f"Section 4 ResNet, N = M = {d}, {b} residual blocks, n = {nr}; P = {b * d * (d + 1)}, nM = {nr * d}.",
              2025, nr, d, d, layers)
    N, M, hs = gcn
    for h in hs:
        p = h * (N + n) + h * (h + n) + M * (h + n)
        write(f"{scale}/gcn-h{h:03d}.yaml", f"s4-{scale}-gcn-h{h:03d}",
              f"Section 4 GCN {N}-[{h},{h}]-{M} on the {k}-NN graph, n = {n} (node-wise biases B, n x W); "
              f"P = {p}, nM = {n * M}.",
              2026, n, N, M, [f"gcn: {h}", f"leaky_relu: {LEAK}", f"gcn: {h}", f"leaky_relu: {LEAK}", f"gcn: {M}"],
              graph=k)

for s in ("full", "small"):
    studies(s)
