#!/usr/bin/env python3
"""Short table of fmm-bench CSVs: per precision and shape, cuBLAS and the fastest passed
candidate (speedup, workspace share of A+B+C, error x cuBLAS); for fmm::gemm rows (the sweep),
each shape's ratio and the minimum per precision."""
import csv
import sys
from collections import defaultdict


def rows_of(path):
    with open(path) as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


best, auto = {}, defaultdict(list)
for path in sys.argv[1:]:
    for r in rows_of(path):
        key = (r["precision"], int(r["M"]), int(r["N"]), int(r["K"]))
        if r["candidate"] == "fmm::gemm":
            auto[r["precision"]].append((key, num(r["speedup_vs_cublas"]), r["status"], r["note"]))
            continue
        if r["candidate"] == "cublas" or r["status"] != "passed":
            continue
        if key not in best or num(r["speedup_vs_cublas"]) > num(best[key]["speedup_vs_cublas"]):
            best[key] = r
print(f"{'prec':5s} {'shape':20s} {'cuBLAS ms':>10s} {'best candidate':24s} {'speedup':>8s} {'ws %ABC':>8s} {'err x':>7s}")
for key in sorted(best, key=lambda k: (k[0], k[1] * k[2] * k[3])):
    r = best[key]
    shape = f"{key[1]}x{key[2]}x{key[3]}"
    cand = r["candidate"] + ("/gen" if r["impl"] == "generated" else "")
    print(f"{key[0]:5s} {shape:20s} {num(r['cublas_median_ms']):10.3f} {cand:24s} {num(r['speedup_vs_cublas']):7.3f}x "
          f"{num(r['workspace_pct_of_abc']):8.2f} {num(r['error_ratio_vs_cublas']):7.2f}")
for prec, items in sorted(auto.items()):
    ratios = [s for _, s, st, _ in items if st == "passed"]
    bad = [k for k, s, st, _ in items if st != "passed"]
    print(f"fmm::gemm sweep {prec}: {len(items)} shapes, min {min(ratios) if ratios else float('nan'):.3f}x, "
          f"max {max(ratios) if ratios else float('nan'):.3f}x, not passed: {len(bad)}")
    for k, s, st, note in sorted(items, key=lambda x: x[1])[:6]:  # the worst ones
        print(f"   {k[1]}x{k[2]}x{k[3]} {s:.3f}x {st} {note[:70]}")
