#!/usr/bin/env python3
"""Regularised ALS + step-by-step rounding for exact matmul schemes <n,m,p;R>.

Phase A: ALS on ||T - [[U,V,W]]||^2 + lam*||X - Xprev||^2 + eps*||X||^2
         (proximal/Levenberg-style ALS + decaying Tikhonov), column balancing.
Phase B: pull toward nearest allowed value (penalty mu*||X - round(X)||^2, mu increasing).
Phase C: fix batches of free entries closest to allowed values, re-solve the rest
         (ALS on free entries only); on failure undo and shrink batch.
Final:   exact integer/rational check of the Brent equations, write fmm native file.
"""
import sys, time, argparse, json
from fractions import Fraction
import numpy as np


def matmul_tensor(n, m, p):
    na, nb, nc = n * m, m * p, n * p
    idx = []
    for i in range(n):
        for j in range(m):
            for k in range(p):
                idx.append((i * m + j, j * p + k, i * p + k))
    idx = np.array(idx)
    T = np.zeros((na, nb, nc))
    T[idx[:, 0], idx[:, 1], idx[:, 2]] = 1
    return T, idx


class Problem:
    def __init__(self, n, m, p, R):
        self.n, self.m, self.p, self.R = n, m, p, R
        self.T, self.idx = matmul_tensor(n, m, p)
        self.dims = self.T.shape
        # indicator matrices for M = T_(k) @ KR(others)
        self.ind = []
        for k in range(3):
            I = np.zeros((self.dims[k], len(self.idx)))
            I[self.idx[:, k], np.arange(len(self.idx))] = 1
            self.ind.append(I)

    def resid(self, X):
        U, V, W = X
        return np.linalg.norm(self.T - np.einsum('ar,br,cr->abc', U, V, W))

    def mrhs(self, X, k):
        o = [j for j in range(3) if j != k]
        P = X[o[0]][self.idx[:, o[0]]] * X[o[1]][self.idx[:, o[1]]]
        G = (X[o[0]].T @ X[o[0]]) * (X[o[1]].T @ X[o[1]])
        return self.ind[k] @ P, G


def balance(X, fixedany):
    # equalise column norms of the three factors (only if no entries fixed)
    if fixedany:
        return
    nrm = [np.linalg.norm(x, axis=0) + 1e-300 for x in X]
    g = (nrm[0] * nrm[1] * nrm[2]) ** (1 / 3)
    for k in range(3):
        X[k] *= g / nrm[k]


def als_step(pb, X, mask, lam, eps, target, mu):
    """one ALS sweep. penalty: lam*||x-xprev||^2 + eps*||x||^2 + mu*||x-target||^2.
    mask[k]: True = fixed (value held in X)."""
    R = pb.R
    I = np.eye(R)
    for k in range(3):
        M, G = pb.mrhs(X, k)
        c = lam + eps + mu
        rhs = M + lam * X[k] + (mu * target[k] if mu > 0 else 0)
        A = G + c * I
        if mask is None or not mask[k].any():
            X[k] = np.linalg.solve(A, rhs.T).T
        else:
            mk = mask[k]
            for i in range(X[k].shape[0]):
                F = ~mk[i]
                if not F.any():
                    continue
                if F.all():
                    X[k][i] = np.linalg.solve(A, rhs[i])
                    continue
                Fx = mk[i]
                r = rhs[i, F] - G[np.ix_(F, Fx)] @ X[k][i, Fx]
                X[k][i, F] = np.linalg.solve(A[np.ix_(F, F)], r)
    return X


def nearest(X, vals):
    # nearest allowed value, elementwise
    v = np.asarray(vals)
    out = []
    for x in X:
        d = np.abs(x[..., None] - v)
        out.append(v[np.argmin(d, axis=-1)])
    return out


def phaseA(pb, rng, args, log):
    R = pb.R
    if args.init == 'ternary':
        X = [rng.integers(-1, 2, size=(d, R)).astype(float) * 0.5 + 0.1 * rng.standard_normal((d, R)) for d in pb.dims]
    else:
        X = [rng.standard_normal((d, R)) * args.scale for d in pb.dims]
    lam = args.lam
    eps = args.eps
    best = np.inf
    hist = []
    for it in range(args.maxitA):
        X = als_step(pb, X, None, lam, eps, None, 0)
        balance(X, False)
        if it % 10 == 0:
            r = pb.resid(X)
            hist.append(r)
            if r < args.tolA:
                return X, r, it
            # stall detection: no 1% improvement over last 300 its
            if len(hist) > 30 and r > 0.99 * hist[-31] and r > 1e-3:
                return X, r, it
            if not np.isfinite(r):
                return X, r, it
        eps = max(eps * args.epsdecay, 1e-15)
        lam = max(lam * args.lamdecay, args.lammin)
    return X, pb.resid(X), args.maxitA


def solve_free(pb, X, mask, args, maxit, tol, target=None, mu=0.0):
    r = pb.resid(X)
    prev = r
    for it in range(maxit):
        X = als_step(pb, X, mask, args.lamC, 0.0, target, mu)
        if it % 10 == 9:
            r = pb.resid(X)
            if r < tol:
                return X, r
            if r > 0.999 * prev and r > 1e-4 and it > 50:
                return X, r
            prev = r
    return X, pb.resid(X)


def round_phase(pb, X, args, rng, log):
    vals = args.vals
    R = pb.R
    # Phase B: pull toward nearest allowed values with increasing mu
    mu = args.mu0
    X = [x.copy() for x in X]
    for stage in range(args.pullstages):
        tg = nearest(X, vals)
        Xn = [x.copy() for x in X]
        for it in range(args.pullits):
            Xn = als_step(pb, Xn, None, args.lamC, 0.0, tg, mu)
            if it % 20 == 19:
                tg = nearest(Xn, vals)
        # re-polish without pull, check still a solution
        Xp, r = solve_free(pb, [x.copy() for x in Xn], None, args, 300, 1e-9)
        dist = max(np.abs(x - t).max() for x, t in zip(Xp, nearest(Xp, vals)))
        if r < 1e-6:
            X = Xp
            mu *= args.mugrow
        else:
            mu /= 4
        if dist < args.pulltol:
            break
    # Phase C: fix entries step by step
    mask = [np.zeros(x.shape, bool) for x in X]
    total = sum(x.size for x in X)
    nfail = 0
    batch = max(1, int(args.batchfrac * total))
    banned = set()
    while True:
        tg = nearest(X, vals)
        free = []
        for k in range(3):
            d = np.abs(X[k] - tg[k])
            for (i, j) in zip(*np.nonzero(~mask[k])):
                if (k, i, j) not in banned:
                    free.append((d[i, j], k, i, j))
        nfree = sum((~mk).sum() for mk in mask)
        if nfree == 0:
            break
        if not free:
            return None, 'banned-all'
        free.sort()
        b = min(batch, len(free))
        chosen = free[:b]
        Xs = [x.copy() for x in X]
        ms = [mk.copy() for mk in mask]
        for _, k, i, j in chosen:
            X[k][i, j] = tg[k][i, j]
            mask[k][i, j] = True
        X, r = solve_free(pb, X, mask, args, args.fixits, 1e-9)
        if r < 1e-7:
            batch = min(int(batch * 1.5) + 1, max(1, int(args.batchfrac * total)))
            continue
        # failure: undo
        X, mask = Xs, ms
        if b == 1:
            banned.add(tuple(chosen[0][1:]))
            nfail += 1
            if nfail > args.maxban:
                return None, 'too-many-bans'
        batch = max(1, b // 4)
    return X, 'ok'


def to_frac(x):
    return Fraction(x).limit_denominator(8)


def exact_check(pb, X):
    n, m, p, R = pb.n, pb.m, pb.p, pb.R
    F = [[[to_frac(v) for v in X[k][:, r]] for r in range(R)] for k in range(3)]
    Tm = {}
    for r in range(R):
        u, v, w = F[0][r], F[1][r], F[2][r]
        nzu = [(a, x) for a, x in enumerate(u) if x]
        nzv = [(b, x) for b, x in enumerate(v) if x]
        nzw = [(c, x) for c, x in enumerate(w) if x]
        for a, x in nzu:
            for b, y in nzv:
                xy = x * y
                for c, z in nzw:
                    Tm[(a, b, c)] = Tm.get((a, b, c), 0) + xy * z
    tset = set(map(tuple, pb.idx.tolist()))
    for key, val in Tm.items():
        if val != (1 if key in tset else 0):
            return False, F
    for key in tset:
        if Tm.get(key, 0) != 1:
            return False, F
    return True, F


def write_scheme(pb, F, path, src):
    def s(x):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    allint = all(x.denominator == 1 for k in range(3) for r in range(pb.R) for x in F[k][r])
    field = 'Z' if allint else 'Q'
    with open(path, 'w') as f:
        f.write(f"# {pb.n} {pb.m} {pb.p} rank {pb.R} field {field} source {src}\n")
        for r in range(pb.R):
            f.write(' | '.join(' '.join(s(x) for x in F[k][r]) for k in range(3)) + '\n')
    return field


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('shape')
    ap.add_argument('R', type=int)
    ap.add_argument('--seeds', default='0:10')
    ap.add_argument('--time', type=float, default=1e9)
    ap.add_argument('--init', default='normal')
    ap.add_argument('--scale', type=float, default=0.5)
    ap.add_argument('--lam', type=float, default=1e-2)
    ap.add_argument('--lammin', type=float, default=1e-4)
    ap.add_argument('--lamdecay', type=float, default=0.999)
    ap.add_argument('--eps', type=float, default=1e-2)
    ap.add_argument('--epsdecay', type=float, default=0.995)
    ap.add_argument('--maxitA', type=int, default=5000)
    ap.add_argument('--tolA', type=float, default=1e-10)
    ap.add_argument('--lamC', type=float, default=1e-6)
    ap.add_argument('--mu0', type=float, default=1e-3)
    ap.add_argument('--mugrow', type=float, default=3.0)
    ap.add_argument('--pullstages', type=int, default=15)
    ap.add_argument('--pullits', type=int, default=100)
    ap.add_argument('--pulltol', type=float, default=1e-6)
    ap.add_argument('--fixits', type=int, default=400)
    ap.add_argument('--batchfrac', type=float, default=0.1)
    ap.add_argument('--maxban', type=int, default=30)
    ap.add_argument('--vals', default='-1,0,1')
    ap.add_argument('--out', default='schemes')
    ap.add_argument('--tag', default='')
    ap.add_argument('-v', action='store_true')
    args = ap.parse_args()
    args.vals = [float(Fraction(v)) for v in args.vals.split(',')]
    n, m, p = map(int, args.shape.split('x'))
    pb = Problem(n, m, p, args.R)
    s0, s1 = map(int, args.seeds.split(':'))
    t0 = time.time()
    stats = dict(attempts=0, conv=0, exact=0, tA=0.0, tC=0.0, fails={})
    for seed in range(s0, s1):
        if time.time() - t0 > args.time:
            break
        rng = np.random.default_rng(seed)
        ta = time.time()
        X, r, its = phaseA(pb, rng, args, None)
        tA = time.time() - ta
        stats['attempts'] += 1
        stats['tA'] += tA
        msg = f"seed {seed} A: res {r:.2e} its {its} {tA:.1f}s"
        if r < args.tolA:
            stats['conv'] += 1
            tc = time.time()
            Xr, why = round_phase(pb, X, args, rng, None)
            ok = False
            if Xr is not None:
                ok, F = exact_check(pb, Xr)
                if not ok:
                    why = 'inexact'
            stats['tC'] += time.time() - tc
            msg += f" C: {why} {'EXACT' if ok else ''} {time.time()-tc:.1f}s"
            if ok:
                stats['exact'] += 1
                path = f"{args.out}/{n}x{m}x{p}_r{args.R}_als_s{seed}{args.tag}.txt"
                fld = write_scheme(pb, F, path, f"als.py seed {seed} {args.tag}")
                msg += f" -> {path} ({fld})"
            else:
                stats['fails'][why] = stats['fails'].get(why, 0) + 1
        print(msg, flush=True)
    stats['total_s'] = time.time() - t0
    print('STATS', args.shape, args.R, json.dumps(stats), flush=True)


if __name__ == '__main__':
    main()
