#!/usr/bin/env python3
"""Write an fmm scheme file in the input format of Perminov's ternary_flip_graph tools.

fmm (and ../shared/reference): one product per line, "u | v | w", u and v row-major,
w row-major over C (index i*p + k).
ternary_flip_graph (its TernaryScheme::read / validateEquation): "n m p R", then the R u
vectors, the R v vectors, the R w vectors, w indexed as C transposed (index k*n + i).

Used only to start the anchor from the same scheme as an fmm run (side-by-side measurements);
nothing here enters fmm.  Usage: to_ternary_flip_graph.py IN OUT
"""
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    n = m = p = None
    rows = []
    with open(src) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                head = line[1:].split()
                if n is None and len(head) >= 3 and all(t.lstrip("-").isdigit() for t in head[:3]):
                    n, m, p = map(int, head[:3])
                continue
            parts = [part.split() for part in line.split("|")]
            rows.append([[int(x) for x in part] for part in parts])
    if n is None:
        sys.exit("to_ternary_flip_graph: no '# n m p' header in " + src)
    for u, v, w in rows:
        if (len(u), len(v), len(w)) != (n * m, m * p, n * p):
            sys.exit("to_ternary_flip_graph: a product of the wrong size in " + src)
        if any(abs(x) > 1 for x in u + v + w):
            sys.exit("to_ternary_flip_graph: coefficients outside {-1,0,1} in " + src)
    with open(dst, "w") as f:
        f.write("%d %d %d %d\n" % (n, m, p, len(rows)))
        for side in (0, 1):
            for r in rows:
                f.write(" ".join(map(str, r[side])) + "\n")
        for r in rows:
            w = r[2]
            f.write(" ".join(str(w[i * p + k]) for k in range(p) for i in range(n)) + "\n")


if __name__ == "__main__":
    main()
