"""scipy side of the flow benchmark: the same gradient flow with solve_ivp (DOP853).

Usage: python3 flow_scipy.py OUT_PREFIX
Reads OUT_PREFIX.{theta0,X,Y}.f64 (little-endian float64) and OUT_PREFIX.flow.json (shapes,
activation, T, tolerances, flowcert's answer and time), written by FlowBench.java.

Network: dense N -> H, piecewise activation (knots, pieces), dense H -> M; theta flattened as
flowcert's contract: W1 (H x N, row-major), b1, W2 (M x H), b2. Loss 1/2 ||F - Y||^2.
Method (the usual one): integrate the field of the current activation pattern (each piece's
polynomial extended beyond its knots) with one event function per (pre-activation, adjacent
knot), all terminal, each with the direction that leaves the current piece; at an event, switch
that entry's piece and restart solve_ivp from the event state. Crossings are counted.
"""
import json
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp


def main():
    prefix = sys.argv[1]
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

    def field(t, th, pat):
        W1, b1, W2, b2 = unpack(th)
        Z = X @ W1.T + b1
        A, D = act(Z, pat)
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

    def make_event(i, j, knot, direction):
        def ev(t, th):
            return float(X[i] @ th[j * N:(j + 1) * N] + th[nW1 + j]) - knot
        ev.terminal = True
        ev.direction = direction
        return ev

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
        sol = solve_ivp(lambda s, y: field(s, y, pat), (t, T), th, method="DOP853",
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
    final = loss(th, pat)
    print(f"scipy solve_ivp DOP853 (rtol={rtol:g}, atol={atol:g}, {len(ids)} event functions at the last "
          f"restart, terminal, restart per crossing): final loss {final:.12e}, {crossings} crossings, "
          f"{nfev} evaluations; {elapsed:.3f}s")
    print(f"flowcert: final loss {meta['final_loss']:.12e}, {meta['crossings']} crossings; "
          f"{meta['flowcert_seconds']:.3f}s")
    rel = abs(final - meta["final_loss"]) / max(abs(meta["final_loss"]), 1e-300)
    print(f"final losses differ by {rel:.2e} (relative); crossings {crossings} vs {meta['crossings']}; "
          f"speed-up scipy / flowcert = {elapsed / meta['flowcert_seconds']:.1f}x (target >= 20)")


if __name__ == "__main__":
    main()
