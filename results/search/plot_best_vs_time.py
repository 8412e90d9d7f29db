#!/usr/bin/env python3
"""Best rank against time for every format of best_vs_time.csv, as small multiples in one SVG.

Standard library only (no matplotlib here). x: seconds since the run started (log scale,
1 ms .. time limit); y: rank. Lines: GF2 walk (blue), Z lifted from GF2 (green, Q orange),
Z walk (red); dashed grey: best known GF2 rank, dotted: best known Z rank (known_ranks below,
copied from /work/shared/known_ranks.tsv).
usage: plot_best_vs_time.py best_vs_time.csv out.svg [time_limit_s]
"""
import csv
import math
import sys
from collections import defaultdict

# (rank_z, rank_gf2) from /work/shared/known_ranks.tsv (n <= m <= p <= 5)
KNOWN = {"2x2x2": (7, 7), "2x2x3": (11, 11), "2x2x4": (14, 14), "2x2x5": (18, 18), "2x3x3": (15, 15),
         "2x3x4": (20, 20), "2x3x5": (25, 25), "2x4x4": (26, 26), "2x4x5": (33, 33), "2x5x5": (40, 40),
         "3x3x3": (23, 23), "3x3x4": (29, 29), "3x3x5": (36, 36), "3x4x4": (38, 38), "3x4x5": (47, 47),
         "3x5x5": (58, 58), "4x4x4": (49, 47), "4x4x5": (61, 60), "4x5x5": (76, 73), "5x5x5": (93, 93)}
COLOURS = {"gf2": "#1f5fbf", "z-lifted": "#2a9d3a", "q-lifted": "#e08a00", "z": "#c62828"}


def main():
    src, out = sys.argv[1], sys.argv[2]
    tmax = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
    series = defaultdict(lambda: defaultdict(list))
    with open(src) as f:
        for row in csv.DictReader(f):
            series[row["format"]][row["field"]].append((float(row["seconds"]), int(row["rank"])))
    formats = [f for f in KNOWN if f in series]
    cols, pw, ph, mx, my = 5, 210, 150, 40, 30
    rows = (len(formats) + cols - 1) // cols
    W, H = cols * pw + 20, rows * ph + 60
    t0 = 1e-3
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="10">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="10" y="16" font-size="13">Best rank vs time (s, log scale 1 ms..{tmax:g} s), seed 1, 2 threads: '
           '<tspan fill="#1f5fbf">GF2 walk</tspan>, <tspan fill="#2a9d3a">Z lifted</tspan>, '
           '<tspan fill="#e08a00">Q lifted</tspan>, <tspan fill="#c62828">Z walk</tspan>; '
           'dashed: best known GF2, dotted: best known Z</text>']
    for idx, fmt in enumerate(formats):
        ox, oy = 10 + (idx % cols) * pw, 30 + (idx // cols) * ph
        x0, x1, y0, y1 = ox + mx, ox + pw - 10, oy + 15, oy + ph - my
        kz, kg = KNOWN[fmt]
        pts = [r for fl in series[fmt].values() for _, r in fl]
        lo = min(pts + [kg, kz]) - 1
        hi = max(r for fl in series[fmt].values() for _, r in fl[:1]) if pts else kz + 1
        hi = max(hi, lo + 2)
        def X(t):
            t = min(max(t, t0), tmax)
            return x0 + (x1 - x0) * (math.log10(t) - math.log10(t0)) / (math.log10(tmax) - math.log10(t0))
        def Y(r):
            return y1 - (y1 - y0) * (r - lo) / (hi - lo)
        svg.append(f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="none" stroke="#999"/>')
        svg.append(f'<text x="{x0}" y="{y0 - 3}" font-size="11">&lt;{fmt.replace("x", ",")}&gt;</text>')
        for r in (lo + 1, hi):
            svg.append(f'<text x="{x0 - 3}" y="{Y(r) + 3}" text-anchor="end">{r}</text>')
        for t in (1e-3, 1e-1, 10):
            if t <= tmax:
                svg.append(f'<text x="{X(t)}" y="{y1 + 11}" text-anchor="middle">{t:g}</text>')
        svg.append(f'<line x1="{x0}" x2="{x1}" y1="{Y(kg)}" y2="{Y(kg)}" stroke="#777" stroke-dasharray="4,3"/>')
        svg.append(f'<line x1="{x0}" x2="{x1}" y1="{Y(kz)}" y2="{Y(kz)}" stroke="#777" stroke-dasharray="1,2"/>')
        for field, fl in series[fmt].items():
            fl.sort()
            path, prev = [], None
            for t, r in fl:
                r = r if prev is None else min(r, prev)  # walkers report out of order
                if prev is not None:
                    path.append(f"L{X(t):.1f},{Y(prev):.1f}")
                path.append(f"{'M' if prev is None else 'L'}{X(t):.1f},{Y(r):.1f}")
                prev = r
            path.append(f"L{x1:.1f},{Y(prev):.1f}")
            svg.append(f'<path d="{" ".join(path)}" fill="none" stroke="{COLOURS.get(field, "black")}" stroke-width="1.5"/>')
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
