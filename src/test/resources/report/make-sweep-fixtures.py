# Generates the hand-made sweep summaries sweep-rank-summary.json and sweep-flow-summary.json
# used by SweepReportTest (run here: python3 make-sweep-fixtures.py; needs numpy, scipy).
# Clopper-Pearson intervals are exact (Beta quantiles); quantiles and histograms are of made-up draws.
import json, numpy as np
from scipy.stats import beta
rng = np.random.default_rng(11)
def cp(x, n, c):
    a = 1 - c
    lo = 0.0 if x == 0 else float(beta.ppf(a/2, x, n-x+1))
    hi = 1.0 if x == n else float(beta.ppf(1-a/2, x+1, n-x))
    return lo, hi
def r(v): return float(f"{v:.6g}")
def quant(vals, hist=True, bins=8):
    v = np.array(vals)
    d = {k: r(float(np.quantile(v, q))) for k, q in
         [("min",0),("q05",.05),("q25",.25),("q50",.5),("q75",.75),("q95",.95),("max",1)]}
    if hist:
        pos = v[v > 0]
        lg = np.log10(pos)
        lo, hi = np.floor(lg.min()*2)/2, np.ceil(lg.max()*2)/2
        if hi == lo: hi = lo + .5
        edges = np.arange(lo, hi + 1e-9, 0.5)
        counts, _ = np.histogram(lg, bins=edges)
        d["histogram"] = {"edges": [r(e) for e in edges], "counts": [int(c) for c in counts]}
    return d
def point(settings, K, sing, und, P, nM, n, N, lam, c):
    dec = K - und
    lo, hi = cp(sing, dec, c)
    return {"settings": settings, "draws": K, "singular": sing, "positive_definite": dec - sing,
            "undecided": und, "probability": r(sing/dec), "ci_low": r(lo), "ci_high": r(hi),
            "P": P, "nM": nM, "n": n, "N": N, "lambda_min": quant(lam)}
K = 20
pts = []
for n, sing, und, scale in [(2, 0, 0, 1e-1), (8, 1, 0, 1e-3), (14, 3, 1, 1e-6), (20, 20, 0, 0)]:
    if scale == 0:
        lam = list(rng.normal(0, 1e-16, K))   # numerically zero, some negative
        lam = [abs(x) if i % 4 else -abs(x) for i, x in enumerate(lam)]
    else:
        lam = list(scale * np.exp(rng.normal(0, 1.2, K)))
    pts.append(point({"data.samples": n}, K, sing, und, 16, n, n, 3, lam, 0.95))
rank = {"format": "flowcert-sweep/1", "case": "cases/dense-leaky-tiny.yaml",
        "case_sha256": "3f5a9c0e" * 8, "check": "rank", "seed": 7, "confidence": 0.95,
        "draws": K, "redraw": "all", "vary": ["data.samples"],
        "options": {"check": "rank", "draws": K, "redraw": "all", "confidence": 0.95,
                    "vary": ["data.samples=2,8,14,20"]},
        "points": pts}
json.dump(rank, open("sweep-rank-summary.json", "w"), indent=1)
# flow
T = 2.0
xs = [r(T*j/32) for j in range(33)]
fpts = []
K = 12
for i, h in enumerate([2, 4, 8]):
    rate = 0.4 * h
    curves = []
    for k in range(K):
        l0 = 0.5 * np.exp(rng.normal(0, .3))
        rk = rate * np.exp(rng.normal(0, .25))
        curves.append([l0 * np.exp(-2*rk*t) for t in xs])
    C = np.array(curves)
    lam = list(0.05 * h * np.exp(rng.normal(0, 1, K)))
    p = point({"network[0].dense": h}, K, 0, 0, 4*h+1, 6, 6, 2, lam, 0.95)
    finals = C[:, -1]
    p["final_loss"] = quant(finals, hist=False)
    p["loss_curve"] = {"x": xs, "q25": [r(v) for v in np.quantile(C, .25, axis=0)],
                       "q50": [r(v) for v in np.quantile(C, .5, axis=0)],
                       "q75": [r(v) for v in np.quantile(C, .75, axis=0)]}
    p["bound_holds_count"] = K - i
    p["slides_any_count"] = i * 2
    p["failed"] = 1 if i == 2 else 0
    fpts.append(p)
flow = {"format": "flowcert-sweep/1", "case": "cases/flow-slide.yaml",
        "case_sha256": "9d1c44ab" * 8, "check": "flow", "seed": 3, "confidence": 0.9,
        "draws": K, "redraw": "init", "vary": ["network[0].dense"],
        "options": {"check": "flow", "draws": K, "redraw": "init", "confidence": 0.9, "time": T,
                    "vary": ["network[0].dense=2,4,8"]},
        "points": fpts}
json.dump(flow, open("sweep-flow-summary.json", "w"), indent=1)
