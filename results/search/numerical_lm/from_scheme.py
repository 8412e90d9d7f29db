#!/usr/bin/env python3
"""LM from a known scheme with one term removed (or two merged): does a real scheme of rank R-1 lie near?"""
import sys, time, argparse
from fractions import Fraction
import numpy as np
from als import Problem
from lm import LM

def read_scheme(path):
    hdr = None; terms = []
    for line in open(path):
        line = line.strip()
        if not line: continue
        if line.startswith('#'):
            if hdr is None:
                t = line[1:].split(); hdr = (int(t[0]), int(t[1]), int(t[2]))
            continue
        parts = line.split('|')
        terms.append([[float(Fraction(x)) for x in p.split()] for p in parts])
    return hdr, terms

ap = argparse.ArgumentParser()
ap.add_argument('scheme'); ap.add_argument('--drop', default='0')
ap.add_argument('--merge', default='')
ap.add_argument('--eps', type=float, default=1e-3); ap.add_argument('--epsdecay', type=float, default=0.9)
ap.add_argument('--noise', type=float, default=0.0)
ap.add_argument('--maxit', type=int, default=400); ap.add_argument('--stall', type=int, default=60)
ap.add_argument('--seed', type=int, default=0)
a = ap.parse_args()
(n, m, p), terms = read_scheme(a.scheme)
R0 = len(terms)
pb0 = Problem(n, m, p, R0)
X = [np.array([t[k] for t in terms]).T for k in range(3)]
print('full residual', pb0.resid(X))
rng = np.random.default_rng(a.seed)
for spec in a.drop.split(','):
    keep = list(range(R0))
    if a.merge:
        i, j = map(int, spec.split('+'))
        keep.remove(j)
        Y = [x[:, keep].copy() for x in X]
        # merged term: leading rank-one approximation of the two terms' sum (ALS, few steps)
        ii = keep.index(i)
    else:
        keep.remove(int(spec))
        Y = [x[:, keep].copy() for x in X]
    pb = Problem(n, m, p, R0 - 1); lm = LM(pb)
    x = np.concatenate([y.ravel() for y in Y]) + a.noise * rng.standard_normal(lm.N)
    t0 = time.time()
    xs, r, its = lm.run(x, np.ones(lm.N, bool), a.eps, np.zeros(lm.N), a.maxit, 1e-10, wdecay=a.epsdecay, wmin=0.0, stall=a.stall)
    print(f'{spec}: residual {r:.3e} after {its} its, {time.time()-t0:.1f}s', flush=True)
    if r < 1e-8:
        np.save(f'sol_{n}x{m}x{p}_{R0-1}_{spec}.npy', xs)
