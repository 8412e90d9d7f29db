#!/usr/bin/env python3
"""Factor-rank profile of GF(2) schemes in fmm's native format.

For each term u (x) v (x) w of a <n,m,p> scheme, the ranks over GF(2) of u as an n x m matrix, v as
m x p and w as n x p (the layout of tensor/verify.hpp: w_r[i*p+k] pairs with C's entry (i, k)). The multiset of sorted rank triples is invariant under the symmetries of
the matrix multiplication tensor (sandwiching, cyclic turns, transposition), so two schemes with
different profiles are not equivalent; the multiset of ordered triples ("oriented") also tells
apart the orientations of one scheme. Used in README.md to group the 47s into families.

usage: factor_ranks.py [--oriented] FILE...
"""
import collections
import sys


def gf2_rank(rows):
    """Rank over GF(2) of a 0/1 matrix given as a list of rows."""
    vectors = [int("".join(str(x) for x in row), 2) for row in rows]
    rank = 0
    while vectors:
        pivot = vectors.pop()
        if pivot == 0:
            continue
        rank += 1
        top = pivot.bit_length() - 1
        vectors = [v ^ pivot if (v >> top) & 1 else v for v in vectors]
    return rank


def read_native(path):
    """(n, m, p) and the terms [(u, v, w)] of a native scheme file, entries reduced mod 2."""
    shape, terms = None, []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                if shape is None:
                    shape = tuple(int(x) for x in line.split()[1:4])
                continue
            if "|" in line:
                terms.append([[int(x) % 2 for x in part.split()] for part in line.split("|")])
    if shape is None:
        sys.exit(f"{path}: no '# n m p' header")
    return shape, terms


def profile(path, oriented):
    (n, m, p), terms = read_native(path)
    counts = collections.Counter()
    for u, v, w in terms:
        triple = (gf2_rank([u[i * m:(i + 1) * m] for i in range(n)]),
                  gf2_rank([v[i * p:(i + 1) * p] for i in range(m)]),
                  gf2_rank([w[i * p:(i + 1) * p] for i in range(n)]))
        counts[triple if oriented else tuple(sorted(triple))] += 1
    return len(terms), sorted(counts.items())


def main():
    args = sys.argv[1:]
    oriented = "--oriented" in args
    files = [a for a in args if a != "--oriented"]
    if not files:
        sys.exit(__doc__)
    for path in files:
        rank, items = profile(path, oriented)
        print(f"{path}: rank {rank}: " + " ".join(f"{''.join(map(str, t))}x{c}" for t, c in items))


if __name__ == "__main__":
    main()
