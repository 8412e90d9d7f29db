# One-off repair (2026-12-05; usage: python3 recompute_fresh.py STATE_DIR): recompute formats.tsv's fresh column from log.txt exactly
# (a format is fresh when a neighbour's new best came after its last walk).
import re, sys
d = sys.argv[1]
log = open(f'{d}/log.txt').read().splitlines()
last_walk, bests = {}, []
for l in log:
    m = re.match(r'\[(\S+ \S+)\] (\d+)x(\d+)x(\d+) .*walk.*: start', l)
    if m:
        f = tuple(sorted(map(int, m.group(2, 3, 4)))); last_walk[f] = max(last_walk.get(f, ''), m.group(1)); continue
    m = re.match(r'\[(\S+ \S+)\] new (\d+)x(\d+)x(\d+) rank', l)
    if m: bests.append((m.group(1), tuple(sorted(map(int, m.group(2, 3, 4))))))
fresh = {}
for t, g in bests:
    for ax in range(3):
        for step in (-1, 1):
            e = list(g); e[ax] += step
            if e[ax] < 2 or e[ax] > 8: continue
            f = tuple(sorted(e))
            if t > last_walk.get(f, ''): fresh[f] = fresh.get(f, 0) | (2 if step > 0 else 1)
out = []
for r in open(f'{d}/formats.tsv').read().splitlines():
    c = r.split('\t')
    if len(c) >= 7 and c[0].isdigit():
        c[6] = str(fresh.get(tuple(map(int, c[:3])), 0))
    out.append('\t'.join(c))
open(f'{d}/formats.tsv', 'w').write('\n'.join(out) + '\n')
