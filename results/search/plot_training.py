#!/usr/bin/env python3
"""Training curves of `fmm train --log CSV` as one SVG (standard library only).

Panels, x = CPU seconds of training: policy loss, value loss, and for every format the best rank
self-play found (solid) and the mean rank of the last round's games from T (dots), with the best
known rank dashed.
usage: plot_training.py train.csv out.svg [title]
"""
import csv
import math
import sys

KNOWN = {"2x2x2": 7, "2x2x3": 11, "2x2x4": 14, "2x3x3": 15, "3x3x3": 23}


def main():
    src, out = sys.argv[1], sys.argv[2]
    title = sys.argv[3] if len(sys.argv) > 3 else src
    with open(src) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit("no rows in " + src)
    shapes = [k[5:] for k in rows[0] if k.startswith("best_")]
    xs = [float(r["cpu_s"]) for r in rows]
    xmax = max(xs) or 1.0
    panels = [("policy loss", [float(r["policy_loss"]) for r in rows], None, None),
              ("value loss", [float(r["value_loss"]) for r in rows], None, None)]
    for s in shapes:
        best = [float(r["best_" + s]) if r["best_" + s] else None for r in rows]
        game = [float(r["game_" + s]) if r["game_" + s] else None for r in rows]
        panels.append(("<%s> rank" % s.replace("x", ","), best, game, KNOWN.get(s)))
    cols, pw, ph = 3, 300, 190
    nrows = (len(panels) + cols - 1) // cols
    W, H = cols * pw + 20, nrows * ph + 50
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="10">' % (W, H),
           '<rect width="%d" height="%d" fill="white"/>' % (W, H),
           '<text x="10" y="16" font-size="13">%s</text>' % title.replace("&", "&amp;").replace("<", "&lt;"),
           '<text x="10" y="32" font-size="10">x: CPU seconds of training; rank panels: best found (solid), '
           'mean of the last self-play round from T (dots), best known (dashed)</text>']
    for idx, (name, ys, dots, known) in enumerate(panels):
        ox, oy = 10 + (idx % cols) * pw, 45 + (idx // cols) * ph
        x0, x1, y0, y1 = ox + 40, ox + pw - 15, oy + 15, oy + ph - 25
        vals = [y for y in ys if y is not None] + [y for y in (dots or []) if y is not None]
        if known is not None:
            vals.append(known)
        if not vals:
            continue
        lo, hi = min(vals), max(vals)
        if hi - lo < 1e-9:
            hi = lo + 1
        pad = 0.05 * (hi - lo)
        lo, hi = lo - pad, hi + pad

        def X(x):
            return x0 + (x1 - x0) * x / xmax

        def Y(y):
            return y1 - (y1 - y0) * (y - lo) / (hi - lo)
        svg.append('<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#999"/>' % (x0, y0, x1 - x0, y1 - y0))
        svg.append('<text x="%g" y="%g" font-size="11">%s</text>' % (x0, y0 - 3, name.replace("<", "&lt;").replace(">", "&gt;")))
        for v in (lo + pad, hi - pad):
            svg.append('<text x="%g" y="%g" text-anchor="end">%.3g</text>' % (x0 - 3, Y(v) + 3, v))
        for frac in (0, 0.5, 1):
            svg.append('<text x="%g" y="%g" text-anchor="middle">%.0f</text>' % (X(frac * xmax), y1 + 12, frac * xmax))
        if known is not None:
            svg.append('<line x1="%g" x2="%g" y1="%g" y2="%g" stroke="#777" stroke-dasharray="4,3"/>' % (x0, x1, Y(known), Y(known)))
        pts = ["%.1f,%.1f" % (X(x), Y(y)) for x, y in zip(xs, ys) if y is not None]
        if pts:
            svg.append('<polyline points="%s" fill="none" stroke="#1f5fbf" stroke-width="1.5"/>' % " ".join(pts))
        for x, y in zip(xs, dots or []):
            if y is not None:
                svg.append('<circle cx="%.1f" cy="%.1f" r="1.2" fill="#c62828"/>' % (X(x), Y(y)))
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
