#!/usr/bin/env python3
"""Bud-walk scan: outer schemes for bud products, for every format the campaign has not met.

For each format F (n <= m <= p <= 8) not at its best known integer rank in ../frontier.md, each
of the campaign's best integer schemes S of a format a (sorted) and each inner format b with
a * b a permutation of F (elementwise, neither trivial), `fmm meta buds` walks S for shared u,
v and w, scored against b (search/meta/bud_walk.hpp). Then `fmm meta start` builds every unmet
format over Z and {-1,0,1} from the campaign's schemes plus all walked schemes as --outer, and
the table says where that beats the campaign. Deterministic for a given --steps and --seed.

    python3 results/search/buds/scan.py --fmm build-dev/cli/fmm --out /tmp/budscan [--steps 10000000] [--seed 1]

Writes OUT/walks.tsv (one line per walk: target, outer file, slot, inner, start and best
saving) and OUT/starts.tsv (target, ring, ours, best known, the best start's rank and recipe).
Useful outer schemes are then copied by hand into results/search/campaign/outer/ with the
command in their header (fmm meta buds writes it), where the campaign's constructions use them.
"""
import argparse, itertools, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCHEMES = os.path.join(ROOT, "results/search/campaign/schemes")


def number(cell):
    m = re.match(r"(\d+)", cell.strip())
    return int(m.group(1)) if m else None


def unmet_formats():
    """(format, best known integer rank, our integer rank) for the frontier's unmet formats."""
    out = []
    for line in open(os.path.join(ROOT, "results/search/frontier.md")):
        m = re.match(r"\| (\d+)x(\d+)x(\d+) \|", line)
        if not m:
            continue
        cells = [c.strip() for c in line.split("|")]
        known = min(x for x in (number(cells[3]), number(cells[4])) if x)
        ours = min(x for x in (number(cells[7]), number(cells[8])) if x)
        if ours > known:
            out.append((tuple(map(int, m.groups())), known, ours))
    return out


def best_integer_schemes():
    """Sorted format -> file name of the campaign's lowest-rank {-1,0,1} or Z scheme."""
    best = {}
    for name in sorted(os.listdir(SCHEMES)):
        m = re.match(r"(\d+)x(\d+)x(\d+)_r(\d+)_(zt|z)\.txt$", name)
        if m:
            f, r = tuple(map(int, m.groups()[:3])), int(m.group(4))
            if f not in best or r < best[f][0]:
                best[f] = (r, name)
    return {f: name for f, (r, name) in best.items()}


def combos():
    best = best_integer_schemes()
    seen = set()
    for target, known, ours in unmet_formats():
        for perm in sorted(set(itertools.permutations(target))):
            for a, name in best.items():
                if a == target or any(perm[i] % a[i] for i in range(3)):
                    continue
                b = tuple(perm[i] // a[i] for i in range(3))
                if b[0] * b[1] * b[2] == 1 or a[0] * a[1] * a[2] == 1 or (target, a, b) in seen:
                    continue
                seen.add((target, a, b))
                yield target, name, "x".join(map(str, b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fmm", default=os.path.join(ROOT, "build/cli/fmm"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    walked = os.path.join(args.out, "walked")
    os.makedirs(walked, exist_ok=True)
    with open(os.path.join(args.out, "walks.tsv"), "w") as tsv:
        tsv.write("target\touter\tslot\tinner\tsummary\n")
        for target, name, inner in combos():
            for slot in "uvw":
                out = os.path.join(walked, f"{name[:-4]}_{slot}_{inner}.txt")
                run = subprocess.run([args.fmm, "meta", "buds", os.path.join(SCHEMES, name), "--slot", slot,
                                      "--inner", inner, "--library", SCHEMES, "--steps", str(args.steps),
                                      "--plus-every", "1000", "--seed", str(args.seed), "-o", out],
                                     capture_output=True, text=True, cwd=ROOT)
                summary = run.stdout.splitlines()[0] if run.returncode == 0 else "failed: " + run.stderr.strip()
                tsv.write(f"{'x'.join(map(str, target))}\t{name}\t{slot}\t{inner}\t{summary}\n")
                tsv.flush()
    outers = []
    for f in sorted(os.listdir(walked)):
        outers += ["--outer", os.path.join(walked, f)]
    with open(os.path.join(args.out, "starts.tsv"), "w") as tsv:
        tsv.write("target\tring\tours\tknown\tstart\trecipe\n")
        for target, known, ours in unmet_formats():
            shape = "x".join(map(str, target))
            for ring in ("z", "zt"):
                run = subprocess.run([args.fmm, "meta", "start", "--shape", shape, "--ring", ring, "--library", SCHEMES,
                                      *outers, "-o", os.path.join(args.out, f"start_{shape}_{ring}.txt")],
                                     capture_output=True, text=True, cwd=ROOT)
                recipe = next((l[len("best start: "):] for l in run.stdout.splitlines() if l.startswith("best start: ")), "")
                rank = next((l.split()[1].rstrip(":") for l in run.stdout.splitlines() if re.match(r"rank \d+:", l)), "")
                tsv.write(f"{shape}\t{ring}\t{ours}\t{known}\t{rank}\t{recipe}\n")
                if rank and int(rank) < ours:
                    print(f"{shape} over {ring}: {rank} (ours {ours}, best known {known}): {recipe}")


if __name__ == "__main__":
    sys.exit(main())
