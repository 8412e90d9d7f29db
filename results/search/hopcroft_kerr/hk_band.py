#!/usr/bin/python3
"""Hopcroft-Kerr schemes for <p,2,n> (p odd, p <= n), built over GF(2) with computer-found gadgets.

Hopcroft and Kerr ("On minimizing the number of multiplications necessary for matrix
multiplication", SIAM J. Appl. Math. 20, 1971) multiply p x 2 by 2 x n matrices with
ceil((3pn + max(p, n)) / 2) products. The shape of their construction, as a public write-up
recovers it (solven-eu/matmulcatalog, research/hopcroft-kerr-2np/CONSTRUCTIVE_METHOD.md, read for
the idea only; none of its code is used here):

 1. Augmentation (their Lemma 1). n internal rows a'_i = sum_l M[i][l] a_l, with M an n x p
    matrix whose first p rows are the identity and every cyclic window of p consecutive rows
    invertible. Then Y = A'X holds, column by column, A x_j = M_W^-1 Y[W, j] for the window W of
    rows centred on j: so the p outputs of column j follow from the p cells of Y in W x {j}.
 2. The band of Y: the cells y_ij with cyclic distance |i - j| <= k, p = 2k + 1. Each diagonal
    cell y_ii costs 2 products chosen by a "method" of index i (three kinds, below); each pair
    {y_ij, y_ji} costs 3 more products. That is 2n + 3kn = n(3p + 1)/2 products.
 3. The pairs' products are found here by search, not copied from formulas: a pair (i, j) looks
    for 3 rank-one products over the rows and columns {i, j} (and, when that fails, {i, b, j} for
    a "bridge" index b between them), such that y_ij and y_ji lie in the span of everything
    chosen so far plus the 3. Only the part of that span supported on the local rows and columns
    can help (a combination equal to y_ij - new products is local), so the search works in the
    quotient of the local bilinear forms by it: at most 36 dimensions, a few thousand atoms.

Over GF(2) throughout; `fmm lift` takes the result to Z (the construction is integral). The output
is a native scheme file for <p,2,n>; every claim about it is `fmm verify`'s.

usage: hk_band.py P N OUT.txt [--seed S] [--tries T]
"""
import argparse
import itertools
import random
import sys

import numpy as np


def bit(x, i):
    return (x >> i) & 1


class Forms:
    """Bilinear forms on the internal rows a'_i (2 coords) x columns x_j (2 coords), as bitmasks:
    coordinate (ia, jx) with ia = 2i + c (a'_i's c-th entry), jx = 2j + d (x_j's d-th entry, i.e.
    the entry X[d][j]) is bit ia * 2n + jx."""

    def __init__(self, n):
        self.n = n
        self.w = 2 * n

    def atom(self, u, v):  # u: bitmask over 2n a-coords, v: over 2n x-coords
        f = 0
        for ia in range(self.w):
            if bit(u, ia):
                f |= v << (ia * self.w)
        return f

    def cell(self, i, j):  # y_ij = a'_i0 X[0][j] + a'_i1 X[1][j]
        return self.atom(1 << (2 * i), 1 << (2 * j)) | self.atom(1 << (2 * i + 1), 1 << (2 * j + 1))

    def local_mask(self, idx):
        rows = 0
        for i in idx:
            rows |= 3 << (2 * i)
        return self.atom(rows, rows)


# The diagonal methods (over GF(2): a1 = a'_i0, a2 = a'_i1, x1 = X[0][i], x2 = X[1][i]). Each pair of
# products sums to y_ii and spans, with y_ii, one of the three pairs of points of the projective
# line over GF(2); two different methods share exactly one point, which is what lets a pair of
# indices of different methods close with 3 products (a transformed Strassen gadget).
METHODS = {
    1: [((0b10), (0b11)), ((0b11), (0b01))],  # a2 (x1 + x2), (a1 + a2) x1
    2: [((0b11), (0b10)), ((0b01), (0b11))],  # (a1 + a2) x2, a1 (x1 + x2)
    3: [((0b10), (0b10)), ((0b01), (0b01))],  # a2 x2, a1 x1
}


class Span:
    """A GF(2) span of forms split as Kauers-style echelon: pivots on non-local bits first, so the
    purely local basis vectors span the intersection with the local forms."""

    def __init__(self, vectors, local):
        self.local = local
        self.nl = {}
        self.lp = {}
        for v in vectors:
            self.add(v)

    def add(self, v):
        nonlocal_bits = ~self.local
        while v & nonlocal_bits:
            h = (v & nonlocal_bits).bit_length() - 1
            if h in self.nl:
                v ^= self.nl[h]
            else:
                self.nl[h] = v
                return
        while v:
            h = v.bit_length() - 1
            if h in self.lp:
                v ^= self.lp[h]
            else:
                self.lp[h] = v
                return

    def canon(self, v):  # representative of v (local) modulo the local part of the span
        for h in sorted(self.lp, reverse=True):
            if bit(v, h):
                v ^= self.lp[h]
        return v


def compress(f, bits):
    out = 0
    for k, b in enumerate(bits):
        if bit(f, b):
            out |= 1 << k
    return out


def find_gadget(forms, products, i, j, idx, rng, want=3):
    """Up to `want` atoms over the indices idx with y_ij, y_ji in span(products + atoms)."""
    local = forms.local_mask(idx)
    span = Span(products, local)
    t1, t2 = span.canon(forms.cell(i, j)), span.canon(forms.cell(j, i))
    coords = [b for b in range(local.bit_length()) if bit(local, b)]
    rows = 0
    for q in idx:
        rows |= 3 << (2 * q)
    row_bits = [b for b in range(forms.w) if bit(rows, b)]
    subsets = []
    for m in range(1, 1 << len(row_bits)):
        s = 0
        for k, b in enumerate(row_bits):
            if bit(m, k):
                s |= 1 << b
        subsets.append(s)
    atoms, images = [], []
    for u in subsets:
        for v in subsets:
            img = compress(span.canon(forms.atom(u, v)), coords)
            if img:
                atoms.append((u, v))
                images.append(img)
    order = list(range(len(atoms)))
    rng.shuffle(order)
    atoms = [atoms[o] for o in order]
    img = np.array([images[o] for o in order], dtype=np.uint64)
    t1c, t2c = np.uint64(compress(t1, coords)), np.uint64(compress(t2, coords))
    if t1c == 0 and t2c == 0:
        return []
    uniq, first = np.unique(img, return_index=True)

    def lookup(c):
        pos = np.searchsorted(uniq, c)
        pos = np.minimum(pos, len(uniq) - 1)
        return (uniq[pos] == c), first[pos]

    for a in range(len(atoms)):
        q1 = img[a]
        q2 = img
        s = [np.zeros_like(q2), np.full_like(q2, q1), q2, q2 ^ q1]
        t1_in = (s[0] == t1c) | (s[1] == t1c) | (s[2] == t1c) | (s[3] == t1c)
        t2_in = (s[0] == t2c) | (s[1] == t2c) | (s[2] == t2c) | (s[3] == t2c)
        both = t1_in & t2_in
        if want >= 2 and both.any():
            b = int(np.argmax(both))
            return [atoms[a], atoms[b]]
        for base, other in ((t1c, t2c), (t2c, t1c)):
            for sk in s:
                c = base ^ sk
                ok, where = lookup(c)
                other_in = np.zeros_like(ok)
                for sj in s:
                    other_in |= (sj == other) | ((c ^ sj) == other)
                good = ok & other_in
                if good.any():
                    b = int(np.argmax(good))
                    return [atoms[a], atoms[b], atoms[int(where[b])]]
    return None


def lemma_one(n, p, window, rng, tries=20000):
    """M (n x p) over Z with rows 0..p-1 the identity and the rows of every column's window of
    determinant +-1 (then its inverse is integral, and invertible mod 2)."""
    from fractions import Fraction

    def det(rows):
        a = [[Fraction(x) for x in r] for r in rows]
        d = Fraction(1)
        for c in range(len(a)):
            piv = next((r for r in range(c, len(a)) if a[r][c] != 0), None)
            if piv is None:
                return 0
            if piv != c:
                a[c], a[piv] = a[piv], a[c]
                d = -d
            d *= a[c][c]
            for r in range(c + 1, len(a)):
                f = a[r][c] / a[c][c]
                for cc in range(c, len(a)):
                    a[r][cc] -= f * a[c][cc]
        return d

    for _ in range(tries):
        M = [[1 if l == i else 0 for l in range(p)] for i in range(p)]
        M += [[rng.choice([0, 1, 1]) for _ in range(p)] for _ in range(n - p)]
        if all(abs(det([M[i] for i in window[j]])) == 1 for j in range(n)):
            return M
    raise SystemExit(f"no unimodular augmentation found for p={p}, n={n}")


def inverse_mod2(rows):
    m = len(rows)
    a = [list(r) + [1 if c == i else 0 for c in range(m)] for i, r in enumerate(rows)]
    for c in range(m):
        piv = next(r for r in range(c, m) if a[r][c] % 2)
        a[c], a[piv] = a[piv], a[c]
        for r in range(m):
            if r != c and a[r][c] % 2:
                a[r] = [(x + y) % 2 for x, y in zip(a[r], a[c])]
    return [[x % 2 for x in row[m:]] for row in a]


def solve_combination(target, products):
    """Coefficients (GF(2)) with target = sum c_r products[r], or None."""
    basis = {}  # pivot -> (vector, combination bitmask)
    for r, v in enumerate(products):
        comb = 1 << r
        while v:
            h = v.bit_length() - 1
            if h in basis:
                v ^= basis[h][0]
                comb ^= basis[h][1]
            else:
                basis[h] = (v, comb)
                break
    comb = 0
    v = target
    while v:
        h = v.bit_length() - 1
        if h not in basis:
            return None
        v ^= basis[h][0]
        comb ^= basis[h][1]
    return comb


def plan(p, n):
    """The cells of Y the construction computes: band pairs at cyclic distance 1..kb (kb = (p-1)//2),
    for even p a matching of pairs at distance p/2 along the cycles of i -> i + p/2 (mod n) that
    gives every column one more cell, and the cells a cycle of odd length leaves (computed
    naively); and each column's window of p rows."""
    kb = (p - 1) // 2
    pairs = []
    for d in range(1, kb + 1):
        for i in range(n):
            j = (i + d) % n
            if (j, i) not in pairs and (i, j) not in pairs:
                pairs.append((i, j))
    window = {j: [(j + e) % n for e in range(-kb, kb + 1)] for j in range(n)}
    naive = []
    if p % 2 == 0:
        h = p // 2
        seen = set()
        for start in range(n):
            if start in seen:
                continue
            cycle, v = [], start
            while v not in seen:
                seen.add(v)
                cycle.append(v)
                v = (v + h) % n
            if len(cycle) == 2:  # n = 2h: i and i + h are one pair
                cycle = cycle[:2]
            for t in range(0, len(cycle) - 1, 2):
                a, b = cycle[t], cycle[t + 1]  # b = a + h
                if (a, b) not in pairs and (b, a) not in pairs:
                    pairs.append((a, b))
                window[a] = window[a] + [b]  # column a gains row a + h
                window[b] = [a] + window[b]  # column b gains row b - h
            if len(cycle) % 2:
                v = cycle[-1]
                naive.append(((v + h) % n, v))  # y[v + h][v], 2 products
                window[v] = window[v] + [(v + h) % n]
    return pairs, naive, window


def build(p, n, seed):
    assert 2 <= p <= n
    rng = random.Random(seed)
    forms = Forms(n)
    method = [1 + (i % 2) for i in range(n)]
    if n % 2:
        method[n - 1] = 3
    prods = []  # (u, v) over internal coords
    for i in range(n):
        for mu, mv in METHODS[method[i]]:
            prods.append((mu << (2 * i), mv << (2 * i)))
    forms_of = [forms.atom(u, v) for u, v in prods]
    extra = 0
    pairs, naive, window = plan(p, n)
    for i, j in pairs:
        d = (j - i) % n
        candidates = [[i, j]] + [[i, (i + e) % n, j] for e in range(1, d)]
        got = None
        for idx in candidates:
            got = find_gadget(forms, forms_of, i, j, idx, rng)
            if got is not None:
                break
        if got is None:  # 4 products: y_ij and y_ji computed naively
            got = [(1 << (2 * i), 1 << (2 * j)), (2 << (2 * i), 2 << (2 * j)),
                   (1 << (2 * j), 1 << (2 * i)), (2 << (2 * j), 2 << (2 * i))]
            extra += 1
        prods += got
        forms_of += [forms.atom(u, v) for u, v in got]
    for r, c in naive:
        got = [(1 << (2 * r), 1 << (2 * c)), (2 << (2 * r), 2 << (2 * c))]
        prods += got
        forms_of += [forms.atom(u, v) for u, v in got]
    M = lemma_one(n, p, window, rng)
    # Outputs: C[l][j] = sum_{i in W_j} Minv_W[l][i] y_ij, y_ij = sum_r c_ijr P_r.
    R = len(prods)
    W = [[[0] * R for _ in range(n)] for _ in range(p)]  # W[l][j][r]
    for j in range(n):
        win = window[j]
        Minv = inverse_mod2([M[i] for i in win])
        for pos, i in enumerate(win):
            comb = solve_combination(forms.cell(i, j), forms_of)
            if comb is None:
                raise SystemExit(f"internal: cell ({i},{j}) not in the span")
            for l in range(p):
                if Minv[l][pos]:
                    for r in range(R):
                        if bit(comb, r):
                            W[l][j][r] ^= 1
    # Products over the original A (p x 2): a'_i = sum_l M[i][l] a_l.
    terms = []
    for r, (u, v) in enumerate(prods):
        ua = [0] * (2 * p)  # A[l][c] at l*2 + c
        for i in range(n):
            for c in range(2):
                if bit(u, 2 * i + c):
                    for l in range(p):
                        if M[i][l] % 2:
                            ua[2 * l + c] ^= 1
        vb = [0] * (2 * n)  # X[d][j] at d*n + j
        for j in range(n):
            for dd in range(2):
                if bit(v, 2 * j + dd):
                    vb[dd * n + j] = 1
        wc = [W[l][j][r] for l in range(p) for j in range(n)]
        if any(ua) and any(vb) and any(wc):
            terms.append((ua, vb, wc))
    return terms, extra


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("p", type=int)
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tries", type=int, default=20)
    a = ap.parse_args()
    formula = -(-(3 * a.p * a.n + max(a.p, a.n)) // 2)
    best = None
    for t in range(a.tries):
        terms, extra = build(a.p, a.n, a.seed + t)
        print(f"seed {a.seed + t}: rank {len(terms)} ({extra} pairs fell back to 4 products); formula {formula}", file=sys.stderr)
        if best is None or len(terms) < len(best):
            best = terms
        if len(terms) <= formula:
            break
    with open(a.out, "w") as f:
        f.write(f"# {a.p} 2 {a.n} rank {len(best)} field Z2 source results/search/hopcroft_kerr/hk_band.py {a.p} {a.n} (Hopcroft-Kerr band construction, gadgets found over GF(2))\n")
        for ua, vb, wc in best:
            f.write(" ".join(map(str, ua)) + " | " + " ".join(map(str, vb)) + " | " + " ".join(map(str, wc)) + "\n")
    print(f"wrote {a.out}: <{a.p},2,{a.n}> rank {len(best)}", file=sys.stderr)


if __name__ == "__main__":
    main()
