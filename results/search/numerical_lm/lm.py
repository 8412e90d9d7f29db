#!/usr/bin/env python3
"""Levenberg-Marquardt (structured J^T J) + penalty pull to integers + step-by-step fixing."""
import sys, time, argparse, json
from fractions import Fraction
import numpy as np
import scipy.linalg as sla
from als import Problem, nearest, exact_check, write_scheme


class LM:
    def __init__(self, pb):
        self.pb = pb
        self.R = pb.R
        self.dims = pb.dims
        self.sizes = [d * pb.R for d in pb.dims]
        self.off = np.cumsum([0] + self.sizes)
        self.N = self.off[-1]

    def split(self, x):
        return [x[self.off[k]:self.off[k + 1]].reshape(self.dims[k], self.R) for k in range(3)]

    def resid(self, x):
        U, V, W = self.split(x)
        return np.einsum('ar,br,cr->abc', U, V, W) - self.pb.T

    def grad_hess(self, x, E):
        U, V, W = self.split(x)
        R = self.R
        gU = np.einsum('abc,br,cr->ar', E, V, W)
        gV = np.einsum('abc,ar,cr->br', E, U, W)
        gW = np.einsum('abc,ar,br->cr', E, U, V)
        g = np.concatenate([gU.ravel(), gV.ravel(), gW.ravel()])
        GU, GV, GW = U.T @ U, V.T @ V, W.T @ W
        H = np.zeros((self.N, self.N))
        o = self.off
        na, nb, nc = self.dims
        H[o[0]:o[1], o[0]:o[1]] = np.kron(np.eye(na), GV * GW)
        H[o[1]:o[2], o[1]:o[2]] = np.kron(np.eye(nb), GU * GW)
        H[o[2]:o[3], o[2]:o[3]] = np.kron(np.eye(nc), GU * GV)
        # UV: [a,r,b,s] = U[a,s] V[b,r] GW[r,s]
        B = np.einsum('as,br,rs->arbs', U, V, GW).reshape(na * R, nb * R)
        H[o[0]:o[1], o[1]:o[2]] = B; H[o[1]:o[2], o[0]:o[1]] = B.T
        B = np.einsum('as,cr,rs->arcs', U, W, GV).reshape(na * R, nc * R)
        H[o[0]:o[1], o[2]:o[3]] = B; H[o[2]:o[3], o[0]:o[1]] = B.T
        B = np.einsum('bs,cr,rs->brcs', V, W, GU).reshape(nb * R, nc * R)
        H[o[1]:o[2], o[2]:o[3]] = B; H[o[2]:o[3], o[1]:o[2]] = B.T
        return g, H

    def run(self, x, free, w, t, maxit, tol, mu=1e-2, wdecay=1.0, wmin=0.0, stall=200, tmax=1e9, retarget=None, reweight=None):
        """minimise ||E||^2 + w||x - t||^2 over free entries. returns x, ||E||"""
        f_idx = np.nonzero(free)[0]
        E = self.resid(x)
        r2 = np.sum(E * E)
        f = r2 + np.sum(w * (x - t) ** 2)
        hist = []
        t0 = time.time()
        for it in range(maxit):
            g, H = self.grad_hess(x, E)
            g = g + w * (x - t)
            gf = g[f_idx]
            Hf = H[np.ix_(f_idx, f_idx)]
            Hf[np.diag_indices_from(Hf)] += (w[f_idx] if np.ndim(w) else w)
            while True:
                A = Hf.copy()
                A[np.diag_indices_from(A)] += mu
                try:
                    c = sla.cho_factor(A, check_finite=False)
                    d = -sla.cho_solve(c, gf, check_finite=False)
                except np.linalg.LinAlgError:
                    mu *= 10; continue
                xn = x.copy(); xn[f_idx] += d
                En = self.resid(xn)
                r2n = np.sum(En * En)
                fn = r2n + np.sum(w * (xn - t) ** 2)
                if fn < f:
                    x, E, r2, f = xn, En, r2n, fn
                    mu = max(mu / 3, 1e-15)
                    break
                mu *= 4
                if mu > 1e10:
                    return x, np.sqrt(r2), it
            if reweight is not None and it % 5 == 4:
                w = reweight(x)
                f = r2 + np.sum(w * (x - t) ** 2)
            if np.ndim(w) == 0 and w > wmin and wdecay < 1:
                w = max(w * wdecay, wmin)
                f = r2 + np.sum(w * (x - t) ** 2)
            if retarget is not None and it % 5 == 4:
                t = retarget(x)
                f = r2 + np.sum(w * (x - t) ** 2)
            r = np.sqrt(r2)
            if r < tol:
                return x, r, it
            hist.append(r)
            if len(hist) > stall and r > 0.99 * hist[-stall] and r > 1e-4:
                return x, r, it
            if time.time() - t0 > tmax:
                return x, r, it
        return x, np.sqrt(r2), maxit


def nearest_vec(x, vals):
    v = np.asarray(vals)
    return v[np.argmin(np.abs(x[:, None] - v), axis=1)]


def attempt(pb, lm, seed, args):
    rng = np.random.default_rng(seed)
    N = lm.N
    if args.init == 'ternary':
        x = rng.integers(-1, 2, size=N).astype(float) + 0.1 * rng.standard_normal(N)
    else:
        x = rng.standard_normal(N) * args.scale
    free = np.ones(N, bool)
    ta = time.time()
    x, r, its = lm.run(x, free, args.eps, np.zeros(N), args.maxitA, args.tolA, wdecay=args.epsdecay, wmin=0.0, stall=args.stall, tmax=args.tmaxA)
    info = dict(seed=seed, resA=float(r), itsA=its, tA=time.time() - ta)
    if r >= args.tolA:
        return info, None
    info['conv'] = True
    tc = time.time()
    vals = args.vals
    # Phase B: pull toward nearest allowed values
    w = args.mu0
    for stage in range(args.pullstages):
        tg = nearest_vec(x, vals)
        xn, rn, _ = lm.run(x.copy(), free, w, tg, args.pullits, 0.0, stall=10**9,
                           retarget=lambda z: nearest_vec(z, vals))
        xp, rp, _ = lm.run(xn, free, 1e-12, xn.copy(), args.polits, 1e-10, stall=10**9)
        dd = np.abs(xp - nearest_vec(xp, vals)); dist = dd.max(); nfar = int((dd > 0.05).sum())
        if rp < args.acc:
            x = xp; w *= args.mugrow
        else:
            w /= 4
        if args.v:
            print(f'  pull {stage} w {w:.2e} r {rp:.1e} dist {dist:.2e} nfar {nfar} maxabs {np.abs(xp).max():.2f}', flush=True)
        if dist < args.pulltol and rp < args.acc:
            break
        if time.time() - tc > args.tmaxC:
            break
    # Phase L1: IRLS-L1 pull toward sparse points along the solution manifold
    w1 = args.l1w
    for stage in range(args.l1stages):
        rw = lambda z, w1=w1: w1 / (np.abs(z) + args.l1delta)
        xn, rn, _ = lm.run(x.copy(), free, rw(x), np.zeros(N), args.pullits, 0.0, stall=10**9, reweight=rw)
        xp, rp, _ = lm.run(xn, free, 1e-12, xn.copy(), args.polits, 1e-10, stall=10**9)
        if rp < args.acc:
            x = xp; w1 *= args.mugrow
        else:
            w1 /= 4
        if args.v:
            print(f"  l1 {stage} w {w1:.1e} r {rp:.1e} small(<1e-4) {int((np.abs(xp) < 1e-4).sum())} l1 {np.abs(xp).sum():.1f} t {time.time()-tc:.1f}", flush=True)
    # Phase S: sparsify -- fix smallest-magnitude entries to 0, re-solve, adaptive batch
    if args.sparsify:
        batch = max(1, int(0.05 * N)); nfailz = 0
        bannedz = np.zeros(N, bool)
        while time.time() - tc < args.tmaxC:
            cand = np.nonzero(free & ~bannedz)[0]
            if len(cand) == 0:
                break
            cand = cand[np.argsort(np.abs(x[cand]))]
            b = min(batch, len(cand)); ch = cand[:b]
            xs, fs = x.copy(), free.copy()
            x[ch] = 0.0; free[ch] = False
            x, r, _ = lm.run(x, free, 1e-12, x.copy(), args.fixits, 1e-11, stall=30)
            if r < 1e-9:
                batch = min(batch * 2, max(1, int(0.05 * N)))
                continue
            x, free = xs, fs
            if b == 1:
                bannedz[ch[0]] = True; nfailz += 1
                if nfailz >= args.zfails:
                    break
            batch = max(1, b // 4)
        # per-term scaling: max-abs entry of u_r, v_r -> magnitude 1
        U, V, W = lm.split(x)
        fU, fV, fW = lm.split(free)
        for rr in range(pb.R):
            for Y in (U, V):
                j = np.argmax(np.abs(Y[:, rr])); sc = abs(Y[j, rr])
                if sc > 1e-8:
                    Y[:, rr] /= sc; W[:, rr] *= sc
        info['zeros'] = int((~free).sum())
        if args.dump:
            print('  vals', np.round(np.sort(x[free]), 2).tolist(), flush=True)
        if args.v:
            dd = np.abs(x - nearest_vec(x, vals))
            print(f"  sparsify: {int((~free).sum())} zeros, {int(free.sum())} free, far {int((dd[free] > 0.05).sum())} t {time.time()-tc:.1f}s", flush=True)
    # Phase C: fix step by step
    batch = 1 if args.sparsify else max(1, int(args.batchfrac * N))
    banned = np.zeros(N, bool)
    nb = 0
    while free.any():
        if time.time() - tc > args.tmaxC:
            info['why'] = 'timeC'; break
        if args.sparsify:
            nz = [v for v in vals if v != 0]
            tg = np.where(np.abs(x) < 0.01, 0.0, nearest_vec(x, nz))
        else:
            tg = nearest_vec(x, vals)
        d = np.abs(x - tg)
        cand = np.nonzero(free & ~banned)[0]
        if len(cand) == 0:
            info['why'] = 'banned-all'; break
        cand = cand[np.argsort(d[cand])]
        b = min(batch, len(cand))
        ch = cand[:b]
        xs, fs = x.copy(), free.copy()
        x[ch] = tg[ch]; free[ch] = False
        if free.any():
            x, r, _ = lm.run(x, free, 1e-12, x.copy(), args.fixits, 1e-11, stall=30)
        else:
            r = np.sqrt(np.sum(lm.resid(x) ** 2))
        if r < 1e-9:
            batch = min(batch * 2, max(1, int(args.batchfrac * N)))
            continue
        x, free = xs, fs
        if b == 1:
            banned[ch[0]] = True; nb += 1
            if nb > args.maxban:
                info['why'] = 'bans'; break
        batch = max(1, b // 4)
    info['tC'] = time.time() - tc
    if free.any():
        return info, None
    ok, F = exact_check(pb, lm.split(x))
    info['why'] = 'ok' if ok else 'inexact'
    return info, (F if ok else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('shape'); ap.add_argument('R', type=int)
    ap.add_argument('--seeds', default='0:10')
    ap.add_argument('--time', type=float, default=1e9)
    ap.add_argument('--init', default='normal')
    ap.add_argument('--scale', type=float, default=0.5)
    ap.add_argument('--eps', type=float, default=1e-2)
    ap.add_argument('--epsdecay', type=float, default=0.98)
    ap.add_argument('--maxitA', type=int, default=1000)
    ap.add_argument('--tmaxA', type=float, default=1e9)
    ap.add_argument('--stall', type=int, default=100)
    ap.add_argument('--tolA', type=float, default=1e-10)
    ap.add_argument('--mu0', type=float, default=1e-3)
    ap.add_argument('--mugrow', type=float, default=3.0)
    ap.add_argument('--pullstages', type=int, default=0)
    ap.add_argument('--pullits', type=int, default=30)
    ap.add_argument('--pulltol', type=float, default=1e-6)
    ap.add_argument('--polits', type=int, default=100)
    ap.add_argument('--acc', type=float, default=1e-7)
    ap.add_argument('--sparsify', type=int, default=1)
    ap.add_argument('--zfails', type=int, default=20)
    ap.add_argument('--l1w', type=float, default=1e-3)
    ap.add_argument('--l1stages', type=int, default=8)
    ap.add_argument('--l1delta', type=float, default=1e-3)
    ap.add_argument('--dump', type=int, default=0)
    ap.add_argument('--fixits', type=int, default=60)
    ap.add_argument('--batchfrac', type=float, default=0.1)
    ap.add_argument('--maxban', type=int, default=30)
    ap.add_argument('--tmaxC', type=float, default=120)
    ap.add_argument('--vals', default='-1,0,1')
    ap.add_argument('--out', default='schemes')
    ap.add_argument('--tag', default='')
    ap.add_argument('-v', action='store_true')
    args = ap.parse_args()
    args.vals = [float(Fraction(v)) for v in args.vals.split(',')]
    n, m, p = map(int, args.shape.split('x'))
    pb = Problem(n, m, p, args.R)
    lm = LM(pb)
    s0, s1 = map(int, args.seeds.split(':'))
    t0 = time.time()
    st = dict(attempts=0, conv=0, exact=0, tA=0.0, tC=0.0, fails={})
    for seed in range(s0, s1):
        if time.time() - t0 > args.time:
            break
        info, F = attempt(pb, lm, seed, args)
        st['attempts'] += 1; st['tA'] += info['tA']; st['tC'] += info.get('tC', 0)
        if info.get('conv'):
            st['conv'] += 1
            if F is not None:
                st['exact'] += 1
                path = f"{args.out}/{n}x{m}x{p}_r{args.R}_lm_s{seed}{args.tag}.txt"
                info['field'] = write_scheme(pb, F, path, f"lm.py seed {seed} {args.tag}")
                info['path'] = path
            else:
                st['fails'][info['why']] = st['fails'].get(info['why'], 0) + 1
        print(json.dumps({k: (float('%.3g' % v) if isinstance(v, float) else v) for k, v in info.items()}), flush=True)
    st['total_s'] = time.time() - t0
    print('STATS', args.shape, args.R, json.dumps(st), flush=True)


if __name__ == '__main__':
    main()
