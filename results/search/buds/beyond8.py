#!/usr/bin/env python3
"""Constructions beyond 8: what the campaign's schemes build for the formats n <= m <= p <= 16
with p > 8 (block sums, Kronecker and bud products of our schemes and outer schemes,
`fmm meta start --ring z`), against the best known integer rank (data/known_ranks/
fmm_collection_status.tsv). Issue #12 asks for formats up to 16; the campaign walks only up to 8.

    python3 results/search/buds/beyond8.py --fmm build-dev/cli/fmm --out results/search/buds/beyond8.tsv [--limit-seconds S]

One line per format: n m p, known Z rank, ours, difference, the recipe. Stops after
--limit-seconds (default: none) and keeps what it has (smallest formats first).
"""
import argparse, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fmm", default=os.path.join(ROOT, "build/cli/fmm"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit-seconds", type=float, default=0)
    args = ap.parse_args()
    formats = []
    for line in open(os.path.join(ROOT, "data/known_ranks/fmm_collection_status.tsv")):
        if line.startswith("#") or line.startswith("n\t"):
            continue
        n, m, p, q, z, zt = line.split("\t")[:6]
        n, m, p = int(n), int(m), int(p)
        if p > 8 and z.strip() not in ("", "-"):
            formats.append((n * m * p, n, m, p, int(z)))
    formats.sort()
    schemes = os.path.join(ROOT, "results/search/campaign/schemes")
    outers = []
    outer_dir = os.path.join(ROOT, "results/search/campaign/outer")
    for f in sorted(os.listdir(outer_dir)) if os.path.isdir(outer_dir) else []:
        outers += ["--outer", os.path.join(outer_dir, f)]
    start = time.time()
    met = done = 0
    with open(args.out, "w") as tsv, tempfile.TemporaryDirectory() as scratch:
        tsv.write("n\tm\tp\tknown_z\tours_z\tabove\trecipe\n")
        for _, n, m, p, known in formats:
            if args.limit_seconds and time.time() - start > args.limit_seconds:
                break
            shape = f"{n}x{m}x{p}"
            run = subprocess.run([args.fmm, "meta", "start", "--shape", shape, "--ring", "z", "--library", schemes,
                                  *outers, "-o", os.path.join(scratch, "start.txt")], capture_output=True, text=True, cwd=ROOT)
            recipe = next((l[len("best start: "):] for l in run.stdout.splitlines() if l.startswith("best start: ")), run.stderr.strip())
            rank = next((int(l.split()[1].rstrip(":")) for l in run.stdout.splitlines() if re.match(r"rank \d+:", l)), None)
            if rank is None:
                m2 = re.search(r"rank (\d+) valid", run.stdout)
                rank = int(m2.group(1)) if m2 else None
            done += 1
            met += rank is not None and rank <= known
            tsv.write(f"{n}\t{m}\t{p}\t{known}\t{rank}\t{'' if rank is None else rank - known}\t{recipe[:200]}\n")
            tsv.flush()
            if rank is not None and rank < known:
                print(f"RECORD? {shape}: {rank} < {known}: {recipe}")
    print(f"{done} formats built, {met} at or below the best known Z rank")


if __name__ == "__main__":
    sys.exit(main())
