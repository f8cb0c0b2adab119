#!/usr/bin/env python3
"""Writes the data-file fixtures of DataFilesTest (run from this directory; numpy >= 1.17).

The tests never run this: the files it writes are committed. Every array is written by numpy
itself (np.save, np.savez, np.savez_compressed, np.lib.format.write_array, np.savetxt), so the
Java reader is tested against numpy's own output. The inline*.yaml cases give the same numbers
as YAML 'values' (Python's repr: the shortest decimal that round-trips to the same double), so a
case reading the files and its inline twin must give identical results.
"""
import numpy as np

rng = np.random.default_rng(20261202)
n, N, M = 6, 3, 2
P = 4 * (N + 1) + M * (4 + 1)  # dense 4, leaky_relu, dense 2
X = rng.uniform(-1, 1, (n, N))
Y = rng.normal(size=(n, M))
theta = rng.uniform(-0.5, 0.5, P)
X32 = X.astype(np.float32)
X32[0, 0] = np.float32(0.1)  # 0.1f = 0.100000001490116119384765625, not the double 0.1
Xi = rng.integers(-5, 6, (n, N)).astype(np.int32)
A = np.zeros((n, n), dtype=bool)
for i in range(n):
    A[i, (i + 1) % n] = A[(i + 1) % n, i] = True
A[0, 3] = A[3, 0] = True


def rows(a):
    return "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in r) + "]" for r in a) + "]"


def flat(a):
    return "[" + ", ".join(repr(float(v)) for v in a) + "]"


def case(inputs, labels, init, network="dense", graph=None):
    net = ("  - dense: 4\n  - leaky_relu: 0.1\n  - dense: 2\n" if network == "dense"
           else "  - gcn: 4\n  - leaky_relu: 0.1\n  - gcn: 2\n")
    g = "" if graph is None else "  graph: " + graph + "\n"
    return ("name: fixture\nseed: 11\ndata:\n  samples: %d\n  input_dim: %d\n  output_dim: %d\n"
            "  inputs: %s\n  labels: %s\n%snetwork:\n%sinit: %s\n" % (n, N, M, inputs, labels, g, net, init))


def write(name, text):
    with open(name, "w") as f:
        f.write(text)


np.save("X.npy", X)
np.save("X_f4.npy", X32)
np.save("X_be.npy", X.astype(">f8"))
np.save("X_f4_be.npy", X32.astype(">f4"))
np.save("X_fortran.npy", np.asfortranarray(X))
for version in [(2, 0), (3, 0)]:
    with open("X_v%d.npy" % version[0], "wb") as f:
        np.lib.format.write_array(f, X, version=version)
np.save("X_i4.npy", Xi)
np.savetxt("X.csv", X, delimiter=",", fmt="%.17g")  # 17 digits: round-trips exactly
np.save("Y.npy", Y)
np.save("theta.npy", theta)
np.savetxt("theta.csv", theta[None, :], delimiter=",", fmt="%.17g")
np.savez("data.npz", X=X, Y=Y, theta=theta)
np.savez_compressed("data_z.npz", X=X, Y=Y)
np.save("A.npy", A)
np.save("A_i8.npy", A.astype("<i8"))

labels = "{file: data.npz, key: Y}"
init = "{file: theta.npy}"
write("inline.yaml", case("{values: %s}" % rows(X), "{values: %s}" % rows(Y), "{values: %s}" % flat(theta)))
write("inline-f4.yaml", case("{values: %s}" % rows(X32), "{values: %s}" % rows(Y), "{values: %s}" % flat(theta)))
write("inline-int.yaml", case("{values: %s}" % rows(Xi), "{values: %s}" % rows(Y), "{values: %s}" % flat(theta)))
for name, ref in [("npy", "{file: X.npy}"), ("be", "{file: X_be.npy}"), ("fortran", "{file: X_fortran.npy}"),
                  ("v2", "{file: X_v2.npy}"), ("v3", "{file: X_v3.npy}"), ("csv", "{file: X.csv}"),
                  ("npz", "{file: data.npz, key: X}"), ("npz-compressed", "{file: data_z.npz, key: X}")]:
    write("files-%s.yaml" % name, case(ref, labels, init))
write("files-f4.yaml", case("{file: X_f4.npy}", "{file: Y.npy}", "{file: theta.csv}"))
write("files-f4-be.yaml", case("{file: X_f4_be.npy}", "{file: Y.npy}", "{file: data.npz, key: theta}"))
write("files-int.yaml", case("{file: X_i4.npy}", labels, init))
Pg = 4 * (N + n) + M * (4 + n)
theta_g = rng.uniform(-0.5, 0.5, Pg)
np.save("theta_gcn.npy", theta_g)
write("gcn-inline.yaml", case("{values: %s}" % rows(X), "{values: %s}" % rows(Y),
                              "{values: %s}" % flat(theta_g), "gcn", "{adjacency: %s}" % ("[" + ", ".join(
                                  "[" + ", ".join(str(int(v)) for v in r) + "]" for r in A) + "]")))
for name, f in [("bool", "A.npy"), ("i8", "A_i8.npy")]:
    write("gcn-files-%s.yaml" % name, case("{file: X.npy}", "{file: Y.npy}", "{file: theta_gcn.npy}", "gcn",
                                          "{adjacency: {file: %s}}" % f))

# Malformed files (DataFilesTest's refusal suite): numpy-written where numpy can write them.
np.save("bad_shape.npy", X[:5])
Xn = X.copy(); Xn[2, 1] = np.nan
np.save("bad_nan.npy", Xn)
np.save("bad_complex.npy", X.astype(complex))
np.save("bad_f2.npy", X.astype(np.float16))
np.save("bad_bool_inputs.npy", X > 0)
np.save("bad_big_int.npy", np.full((n, N), 2**60, dtype=np.int64))
np.save("bad_3d.npy", X.reshape(n, N, 1))
np.save("bad_object.npy", np.array([[1, "a", None]] * n, dtype=object), allow_pickle=True)
np.save("bad_theta_short.npy", theta[:-1])
Aa = A.copy(); Aa[0, 1] = False
np.save("bad_A_asym.npy", Aa)
Ad = A.copy(); Ad[2, 2] = True
np.save("bad_A_diag.npy", Ad)
np.save("bad_A_two.npy", A.astype(np.int64) * 2)
with open("X.npy", "rb") as f:
    good = f.read()
write_bytes = lambda name, b: open(name, "wb").write(b)
write_bytes("bad_truncated.npy", good[:-8])
write_bytes("bad_trailing.npy", good + b"\0" * 8)
write_bytes("bad_magic.npy", b"NOTNUMPY" + good[8:])
write_bytes("bad_version.npy", good[:6] + b"\x09\x00" + good[8:])
write_bytes("bad_not_zip.npz", b"this is not a zip archive\n")
with open("bad_ragged.csv", "w") as f:
    f.write("1,2,3\n4,5,6\n7,8\n1,2,3\n4,5,6\n7,8,9\n")
with open("bad_header.csv", "w") as f:
    f.write("x0,x1,x2\n" + "\n".join(",".join(repr(float(v)) for v in r) for r in X) + "\n")
with open("bad_word.csv", "w") as f:
    lines = [",".join(repr(float(v)) for v in r) for r in X]
    lines[1] = "abc" + lines[1][lines[1].index(","):]
    f.write("\n".join(lines) + "\n")
with open("bad_inf.csv", "w") as f:
    f.write("\n".join(",".join(repr(float(v)) for v in r) for r in X[:-1]) + "\n1,inf,2\n")
with open("bad_empty.csv", "w") as f:
    f.write("\n\n")
