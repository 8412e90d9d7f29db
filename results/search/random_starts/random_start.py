# The Python prototype that made the first random-start 47 (seed 159): kept as the record of
# that find, since its random numbers differ from the builtin's. Use random:NxMxP:K:SEED
# (tensor/random_start.hpp) for everything else.
# A random start for <n,m,p> over GF(2): k random dense terms plus a slice-wise decomposition of the residual.
import sys, random
n,m,p,k,seed,dst = int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]),int(sys.argv[4]),int(sys.argv[5]),sys.argv[6]
random.seed(seed)
NA,NB,NC = n*m, m*p, n*p
# matmul tensor: a_ij * b_jk -> c_ik  (fmm native: u over A (n x m), v over B (m x p), w over C (n x p))
T = {}
for i in range(n):
    for j in range(m):
        for l in range(p):
            T[(i*m+j, j*p+l, i*p+l)] = 1
terms = []
def addterm(u,v,w):
    for a in range(NA):
        if u>>a&1:
            for b in range(NB):
                if v>>b&1:
                    for c in range(NC):
                        if w>>c&1:
                            T[(a,b,c)] = T.get((a,b,c),0) ^ 1
for _ in range(k):
    u = random.randrange(1,1<<NA); v = random.randrange(1,1<<NB); w = random.randrange(1,1<<NC)
    terms.append((u,v,w)); addterm(u,v,w)
# residual: for each a, the matrix M_a[b][c]; decompose by GF(2) row reduction into rank-one pieces
for a in range(NA):
    rows = {}
    for (x,b,c),val in T.items():
        if val and x==a: rows[b] = rows.get(b,0) ^ (1<<c)
    # M = sum over b of e_b (x) rows[b]; reduce: pick pivot rows, express others
    basis = []  # (vector row, set of b's as bitmask)
    for b,r in rows.items():
        if r: basis.append([r, 1<<b])
    # Gaussian elimination: combine rows so M = sum_j (bmask_j) (x) r_j with independent r_j
    out = []
    while basis:
        r, bm = basis.pop()
        piv = r & -r
        for e in basis:
            if e[0] & piv:
                e[0] ^= r
                bm ^= e[1]
        basis = [e for e in basis if e[0]]
        out.append((bm, r))
    for bm, r in out:
        terms.append((1<<a, bm, r))
def bits(v,nb): return ' '.join(str(v>>i&1) for i in range(nb))
with open(dst,'w') as f:
    f.write('# %d %d %d rank %d field Z2 source random start\n' % (n,m,p,len(terms)))
    for u,v,w in terms: f.write('%s | %s | %s\n' % (bits(u,NA),bits(v,NB),bits(w,NC)))
