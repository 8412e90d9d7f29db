#!/usr/bin/env python3
"""Markdown table of a formats sweep (formats.csv from run_formats.sh) against the best known
ranks (known_ranks.tsv, the shared list of published records).

usage: formats_table.py formats.csv known_ranks.tsv > table.md
"""
import csv
import sys


def known_ranks(path):
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or line.startswith("n\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7:
                continue
            n, m, p = sorted(int(x) for x in cols[:3])
            out[f"{n}x{m}x{p}"] = (cols[3] + ("" if cols[4] in ("Z", "") else f" ({cols[4]})"), cols[5], cols[6])
    return out


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    known = known_ranks(sys.argv[2])
    cell = {}
    for r in rows:
        if r["time_limit_s"] != rows[0]["time_limit_s"]:
            continue  # long runs are reported separately
        text = f"{r['best_rank']} ({float(r['seconds_to_best'] or 0):.3g} s"
        text += f", {r['route']})" if "lifted" in r["field"] else ")"
        cell[(r["format"], r["field"])] = text
    print("| format | GF(2) walk | Z lifted from GF(2) | Q lifted | Z walk ({-1,0,1}) | best known Q / Z / GF(2) |")
    print("|---|---|---|---|---|---|")
    ranks = {(r["format"], r["field"]): int(r["best_rank"]) for r in rows if r["best_rank"]}
    for fmt in dict.fromkeys(r["format"] for r in rows):
        q, z, g = known.get(fmt, ("?", "?", "?"))
        # A Q lift is worth a column only when it beats the Z lift (Z schemes are Q schemes too).
        zr, qr = ranks.get((fmt, "z(lifted from gf2)")), ranks.get((fmt, "q(lifted from gf2)"))
        if qr is not None and zr is not None and qr >= zr:
            cell.pop((fmt, "q(lifted from gf2)"), None)
        print(f"| {fmt} | {cell.get((fmt, 'gf2'), '-')} | {cell.get((fmt, 'z(lifted from gf2)'), '-')} | "
              f"{cell.get((fmt, 'q(lifted from gf2)'), '-')} | {cell.get((fmt, 'z'), '-')} | {q} / {z} / {g} |")


if __name__ == "__main__":
    main()
