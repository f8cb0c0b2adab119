"""scipy side of the flow benchmark: the same gradient flow with solve_ivp (DOP853).

Usage: python3 flow_scipy.py OUT_PREFIX [--events=shared|separate]
Reads OUT_PREFIX.{theta0,X,Y}.f64 (little-endian float64) and OUT_PREFIX.flow.json (shapes,
activation, T, tolerances, flowcert's answer and time), written by FlowBench.java.

Network: dense N -> H, piecewise activation (knots, pieces), dense H -> M; theta flattened as
flowcert's contract: W1 (H x N, row-major), b1, W2 (M x H), b2. Loss 1/2 ||F - Y||^2.
Method (the usual one): integrate the field of the current activation pattern (each piece's
polynomial extended beyond its knots) with one event function per (pre-activation, adjacent
knot), all terminal, each with the direction that leaves the current piece; at an event, switch
that entry's piece and restart solve_ivp from the event state. Crossings are counted.

Event functions (one per pre-activation and knot, as solve_ivp requires: it calls each one
separately at every step end): by default (`--events=shared`) they share one vectorised
pre-activation matrix Z = X W1^T + b1 per state (computed once per (t, y) and read by each
function), as a competent implementation would; `--events=separate` recomputes the one dot
product per call (the first version of this script, about twice as slow). The closures are built
once per (entry, knot) and reused across restarts. The activation is evaluated by Horner's rule on
coefficient tables indexed by the pattern (built once per restart, the pattern being fixed
between events) instead of one mask per piece.
"""
import json
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp


def main():
    prefix = sys.argv[1]
    mode = "shared"
    repeats = 1
    for a in sys.argv[2:]:
        if a.startswith("--events="):
            mode = a.split("=", 1)[1]
        elif a.startswith("--repeats="):
            repeats = int(a.split("=", 1)[1])
    if mode not in ("shared", "separate"):
        sys.exit("--events must be shared or separate")
    meta = json.load(open(prefix + ".flow.json"))
    n, N, H, M = meta["n"], meta["N"], meta["H"], meta["M"]
    knots = np.array(meta["knots"])
    pieces = [np.array(p, dtype=float) for p in meta["pieces"]]
    dpieces = [np.polynomial.polynomial.polyder(p) if len(p) > 1 else np.zeros(1) for p in pieces]
    X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(n, N)
    Y = np.fromfile(prefix + ".Y.f64", dtype="<f8").reshape(n, M)
    theta0 = np.fromfile(prefix + ".theta0.f64", dtype="<f8")
    T, rtol, atol = meta["T"], meta["rtol"], meta["atol"]
    nW1, nb1, nW2 = H * N, H, M * H

    def unpack(th):
        W1 = th[:nW1].reshape(H, N)
        b1 = th[nW1:nW1 + nb1]
        W2 = th[nW1 + nb1:nW1 + nb1 + nW2].reshape(M, H)
        b2 = th[nW1 + nb1 + nW2:]
        return W1, b1, W2, b2

    def act(Z, pat):
        A = np.empty_like(Z)
        D = np.empty_like(Z)
        for k, (p, dp) in enumerate(zip(pieces, dpieces)):
            m = pat == k
            if m.any():
                z = Z[m]
                A[m] = np.polynomial.polynomial.polyval(z, p)
                D[m] = np.polynomial.polynomial.polyval(z, dp)
        return A, D

    deg = max(len(p) for p in pieces)
    ctab = np.zeros((len(pieces), deg))
    dtab = np.zeros((len(pieces), max(deg - 1, 1)))
    for k, (p, dp) in enumerate(zip(pieces, dpieces)):
        ctab[k, :len(p)] = p
        dtab[k, :len(dp)] = dp

    def tables(pat):
        """Per-entry coefficient planes (highest degree first) of the activation and its derivative."""
        return ([ctab[pat, c] for c in range(ctab.shape[1] - 1, -1, -1)],
                [dtab[pat, c] for c in range(dtab.shape[1] - 1, -1, -1)])

    def horner(planes, Z):
        acc = planes[0]
        for c in planes[1:]:
            acc = acc * Z + c
        return acc if acc.shape == Z.shape else np.broadcast_to(acc, Z.shape)

    def field(t, th, tabs):
        W1, b1, W2, b2 = unpack(th)
        Z = X @ W1.T + b1
        A = horner(tabs[0], Z)
        D = horner(tabs[1], Z)
        F = A @ W2.T + b2
        R = F - Y
        gW2 = R.T @ A
        gb2 = R.sum(axis=0)
        dZ = (R @ W2) * D
        gW1 = dZ.T @ X
        gb1 = dZ.sum(axis=0)
        return -np.concatenate([gW1.ravel(), gb1, gW2.ravel(), gb2])

    def loss(th, pat):
        W1, b1, W2, b2 = unpack(th)
        Z = X @ W1.T + b1
        A, _ = act(Z, pat)
        return 0.5 * float(((A @ W2.T + b2 - Y) ** 2).sum())

    cache = {"t": None, "y": None, "Z": None}

    def preacts(t, th):
        """Z at (t, th), computed once per state and shared by every event function."""
        if th is not cache["y"] or t != cache["t"]:
            W1 = th[:nW1].reshape(H, N)
            cache["Z"] = (X @ W1.T + th[nW1:nW1 + nb1]).tolist()
            cache["t"], cache["y"] = t, th
        return cache["Z"]

    closures = {}

    def make_event(i, j, knot, direction):
        key = (i, j, knot, direction)
        ev = closures.get(key)
        if ev is not None:
            return ev
        if mode == "shared":
            def ev(t, th):
                return preacts(t, th)[i][j] - knot
        else:
            def ev(t, th):
                return float(X[i] @ th[j * N:(j + 1) * N] + th[nW1 + j]) - knot
        ev.terminal = True
        ev.direction = direction
        closures[key] = ev
        return ev

    def run_once():
        closures.clear()  # each run builds its closures (once per entry and knot, then reused)
        cache["y"] = None
        W1, b1, _, _ = unpack(theta0)
        Z0 = X @ W1.T + b1
        pat = np.searchsorted(knots, Z0, side="left")  # piece = number of knots below z
        start = time.perf_counter()
        t, th = 0.0, theta0.copy()
        crossings, nfev, steps = 0, 0, 0
        while t < T:
            events, ids = [], []
            for i in range(n):
                for j in range(H):
                    p = pat[i, j]
                    if p > 0:  # lower knot: leaving downward
                        events.append(make_event(i, j, knots[p - 1], -1))
                        ids.append((i, j, p - 1))
                    if p < len(knots):  # upper knot: leaving upward
                        events.append(make_event(i, j, knots[p], +1))
                        ids.append((i, j, p + 1))
            tabs = tables(pat)
            sol = solve_ivp(lambda s, y: field(s, y, tabs), (t, T), th, method="DOP853",
                            rtol=rtol, atol=atol, events=events)
            nfev += sol.nfev
            steps += len(sol.t) - 1
            th = sol.y[:, -1].copy()
            t = float(sol.t[-1])
            if sol.status != 1:
                break
            for e, te in enumerate(sol.t_events):
                if len(te):
                    i, j, newp = ids[e]
                    pat[i, j] = newp
                    crossings += 1
        elapsed = time.perf_counter() - start
        return loss(th, pat), crossings, nfev, steps, len(ids), elapsed

    runs = [run_once() for _ in range(repeats)]
    times = sorted(r[-1] for r in runs)
    elapsed = times[len(times) // 2] if len(times) % 2 else 0.5 * (times[len(times) // 2 - 1] + times[len(times) // 2])
    final, crossings, nfev, steps, nids, _ = runs[0]
    assert all(r[:5] == runs[0][:5] for r in runs), "repeated runs differ"
    print(f"scipy solve_ivp DOP853 (rtol={rtol:g}, atol={atol:g}, {nids} event functions at the last "
          f"restart ({mode} pre-activations), terminal, restart per crossing): final loss {final:.12e}, "
          f"{crossings} crossings, {nfev} evaluations, {steps} steps; {elapsed:.3f}s (median of {repeats}: "
          f"{', '.join(f'{x:.3f}' for x in times)})")
    fc = meta["flowcert_seconds"]
    fn = meta.get("flowcert_seconds_ntk", fc)
    print(f"flowcert: final loss {meta['final_loss']:.12e}, {meta['crossings']} crossings; "
          f"{fn:.3f}s with lambda_min/max of G at every step (the CLI default), {fc:.3f}s without")
    rel = abs(final - meta["final_loss"]) / max(abs(meta["final_loss"]), 1e-300)
    print(f"final losses differ by {rel:.2e} (relative); crossings {crossings} vs {meta['crossings']}; "
          f"speed-up scipy / flowcert = {elapsed / fn:.1f}x with the NTK, {elapsed / fc:.1f}x without "
          f"(target >= 20 with the NTK)")


if __name__ == "__main__":
    main()
