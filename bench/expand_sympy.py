"""sympy side of the expansion benchmark: the same k x k polynomial minor, expanded by sympy's
best routes (per DEPENDENCIES.md): sparse PolyRing with the same memoised Laplace expansion, and
DomainMatrix.det over QQ[vars]. Checks the term count matches flowcert's.

Usage: python3 expand_sympy.py OUT_PREFIX [repeats]
"""
import json
import statistics
import sys
import time

import sympy
from sympy import QQ
from sympy.polys.matrices import DomainMatrix
from sympy.polys.rings import ring


def laplace(m):
    n = len(m)
    memo = {}

    def minor(row, mask):
        if row == n - 1:
            return m[row][(mask & -mask).bit_length() - 1]
        if mask in memo:
            return memo[mask]
        total = m[0][0].ring.zero
        sign = 1
        for c in range(n):
            if not mask & (1 << c):
                continue
            e = m[row][c]
            if e:
                t = e * minor(row + 1, mask & ~(1 << c))
                total = total + t if sign > 0 else total - t
            sign = -sign
        memo[mask] = total
        return total

    return minor(0, (1 << n) - 1)


def timed(f, repeats):
    f()
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        r = f()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), r


def main():
    prefix = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    meta = json.load(open(prefix + ".minor.json"))
    k = meta["k"]
    R, *gens = ring(",".join(meta["variables"]), QQ)
    syms = {name: sympy.Symbol(name) for name in meta["variables"]}
    lines = open(prefix + ".minor.txt").read().splitlines()
    m = [[R(sympy.sympify(lines[r * k + c], locals=syms)) for c in range(k)] for r in range(k)]
    t_ring, det = timed(lambda: laplace(m), repeats)
    dm = DomainMatrix([[e for e in row] for row in m], (k, k), R.to_domain())
    t_dm, det2 = timed(lambda: dm.det(), repeats)
    assert det == det2, "sympy's two routes disagree"
    terms = len(det.terms())
    best = min(t_ring, t_dm)
    print(f"sympy PolyRing + memoised Laplace: {t_ring:.4f}s; DomainMatrix.det: {t_dm:.4f}s "
          f"(median of {repeats}); {terms} terms")
    if terms != meta["terms"]:
        print(f"MISMATCH: flowcert has {meta['terms']} terms, sympy {terms}")
        sys.exit(1)
    print(f"ratio sympy best / flowcert = {best / meta['flowcert_seconds']:.1f}x (flowcert should win: > 1)")


if __name__ == "__main__":
    main()
