#!/usr/bin/env python3
"""Block sum of two schemes in the native text format: a start point for formats where the
flip walk from the standard algorithm finds no reduction in a short run (<2,5,5>, <3,5,5>).

<n1,m,p> (+) <n2,m,p> along n gives <n1+n2,m,p> (rows of A and C split); along m,
<n,m1,p> (+) <n,m2,p> gives <n,m1+m2,p> (C = A1 B1 + A2 B2); along p, columns of B and C.
The rank is R1 + R2. Coefficients are copied as text. `fmm verify` checks the result.
usage: block_sum.py A.txt B.txt n|m|p OUT.txt
"""
import sys


def read(path):
    head, rows = None, []
    for line in open(path):
        line = line.strip()
        if line.startswith("#"):
            if head is None:
                t = line[1:].split()
                head = (int(t[0]), int(t[1]), int(t[2]), t[t.index("field") + 1] if "field" in t else "Z")
            continue
        if line:
            rows.append([part.split() for part in line.split("|")])
    return head, rows


def main():
    (n1, m1, p1, f1), r1 = read(sys.argv[1])
    (n2, m2, p2, f2), r2 = read(sys.argv[2])
    axis, out = sys.argv[3], sys.argv[4]
    n, m, p = (n1 + n2, m1, p1) if axis == "n" else (n1, m1 + m2, p1) if axis == "m" else (n1, m1, p1 + p2)
    assert (axis == "n" and (m1, p1) == (m2, p2)) or (axis == "m" and (n1, p1) == (n2, p2)) or \
           (axis == "p" and (n1, m1) == (n2, m2)), "shapes do not fit along " + axis
    field = "Z2" if "Z2" in (f1, f2) else f1

    def place(rows, dn, dm, dp, sn, sm, sp):
        res = []
        for u, v, w in rows:
            U, V, W = ["0"] * (n * m), ["0"] * (m * p), ["0"] * (n * p)
            for i in range(sn):
                for j in range(sm):
                    U[(i + dn) * m + j + dm] = u[i * sm + j]
            for j in range(sm):
                for k in range(sp):
                    V[(j + dm) * p + k + dp] = v[j * sp + k]
            for i in range(sn):
                for k in range(sp):
                    W[(i + dn) * p + k + dp] = w[i * sp + k]
            res.append(" ".join(U) + " | " + " ".join(V) + " | " + " ".join(W))
        return res

    d = {"n": (n1, 0, 0), "m": (0, m1, 0), "p": (0, 0, p1)}[axis]
    lines = place(r1, 0, 0, 0, n1, m1, p1) + place(r2, *d, n2, m2, p2)
    with open(out, "w") as f:
        f.write(f"# {n} {m} {p} rank {len(lines)} field {field} source block sum of {sys.argv[1]} and {sys.argv[2]} along {axis}\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
