# Is there a uniform 'pair gadget' construction of <n,2,n> with the Hopcroft-Kerr count
# 3*C(n,2) + 2n = (3n^2+n)/2? (results/search/hopcroft_kerr/README.md). Pure Python, about 2.5 min.
import itertools
from fractions import Fraction
U=[(1,0),(0,1),(1,1),(1,-1)]
def outer(u,v,s=1): return tuple(s*u[i]*v[j] for i in range(2) for j in range(2))
R1s=[(s,u,v) for s in (1,-1) for u in U for v in U]
I=(1,0,0,1); Z=(0,0,0,0)
def add(*ms):
    return tuple(sum(m[i] for m in ms) for i in range(4))
def sc(a,m): return tuple(a*x for x in m)
W=[w for w in itertools.product((-1,0,1),repeat=3)]
Mtrip={}
for trip in itertools.product(range(32),repeat=3):
    Ms=[outer(R1s[t][1],R1s[t][2],R1s[t][0]) for t in trip]
    ws=[w for w in W if add(*[sc(w[k],Ms[k]) for k in range(3)])==I]
    w0=[w for w in W if any(w) and add(*[sc(w[k],Ms[k]) for k in range(3)])==Z]
    for w in ws:
        for wp in w0:
            Mtrip.setdefault((w,wp),[]).append(trip)
Ntrip={}
for trip in itertools.product(range(32),repeat=3):
    Ns=[outer(R1s[t][1],R1s[t][2],R1s[t][0]) for t in trip]
    ws=[w for w in W if any(w) and add(*[sc(w[k],Ns[k]) for k in range(3)])==Z]
    wps=[w for w in W if add(*[sc(w[k],Ns[k]) for k in range(3)])==I]
    for w in ws:
        for wp in wps:
            Ntrip.setdefault((w,wp),[]).append(trip)
keys=set(Mtrip)&set(Ntrip)
print(len(keys), sum(len(Mtrip[k])*len(Ntrip[k]) for k in keys))
def incoords(X,A,B):
    # solve X = al A + be B over Q, integral?
    for i,j in itertools.combinations(range(4),2):
        det=A[i]*B[j]-A[j]*B[i]
        if det:
            al=Fraction(X[i]*B[j]-X[j]*B[i],det); be=Fraction(A[i]*X[j]-A[j]*X[i],det)
            if all(al*A[k]+be*B[k]==X[k] for k in range(4)) and al.denominator==1 and be.denominator==1: return (int(al),int(be))
            return None
    return None
# candidate V: pairs of rank-1 (R1,R2) with I = R1+R2 (then span check)
Vs=[]
for a in range(32):
    for b in range(a+1,32):
        A=outer(R1s[a][1],R1s[a][2],R1s[a][0]); B=outer(R1s[b][1],R1s[b][2],R1s[b][0])
        if incoords(I,A,B) is not None: Vs.append((a,b,A,B))

def vkey(A,B):
    # canonical: the set of {-1,0,1} matrices in the Z-span (small box)
    s=set()
    for al in range(-2,3):
        for be in range(-2,3):
            X=add(sc(al,A),sc(be,B))
            if max(abs(x) for x in X)<=1: s.add(X)
    return frozenset(s)
Vkeys=[vkey(A,B) for (ia,ib,A,B) in Vs]
uniq=sorted(set(Vkeys),key=lambda s:sorted(s))
vid={v:i for i,v in enumerate(uniq)}
print('distinct V',len(uniq))
E={}
for key in keys:
    w,wp=key
    for mt in Mtrip[key]:
        for nt in Ntrip[key]:
            for sig in itertools.product((1,-1),repeat=3):
                D1=[];D2=[]
                for k in range(3):
                    sm,um,vm=R1s[mt[k]]; sn,un,vn=R1s[nt[k]]
                    a=tuple(sm*x for x in um); d=vm; b=tuple(sig[k]*sn*x for x in un); c=tuple(sig[k]*x for x in vn)
                    D1.append(outer(a,c)); D2.append(outer(b,d))
                J1=[add(*[sc(w[k],D1[k]) for k in range(3)]),add(*[sc(wp[k],D1[k]) for k in range(3)])]
                J2=[add(*[sc(w[k],D2[k]) for k in range(3)]),add(*[sc(wp[k],D2[k]) for k in range(3)])]
                a1=set(vid[Vkeys[t]] for t,(ia,ib,A,B) in enumerate(Vs) if all(incoords(X,A,B) is not None for X in J1))
                a2=set(vid[Vkeys[t]] for t,(ia,ib,A,B) in enumerate(Vs) if all(incoords(X,A,B) is not None for X in J2))
                for x in a1:
                    for y in a2:
                        E.setdefault((x,y),(key,mt,nt,sig))
print('edges',len(E), sorted(E)[:50])
