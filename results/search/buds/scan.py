#!/usr/bin/env python3
"""Bud-walk scan: outer schemes for bud products, for the formats the campaign has not met, or beyond 8.

For each target format F, each of the campaign's best integer schemes S of a format a (sorted)
and each inner format b with a * b a permutation of F (elementwise, neither trivial), `fmm meta
buds` walks S for shared u, v and w, scored against b (search/meta/bud_walk.hpp). Then `fmm meta
start` builds every target over Z (and {-1,0,1} for the unmet formats) from the campaign's
schemes plus the schemes walked for it as --outer, and the table says where that beats ours.
Deterministic for a given --steps and --seed (--jobs only changes the order of the work).

    python3 results/search/buds/scan.py --fmm build-dev/cli/fmm --out /tmp/budscan [--steps 10000000] [--seed 1]
    python3 results/search/buds/scan.py --targets beyond8 --within 0 --jobs 16 ...   # formats up to 16

--targets unmet (default): the formats n <= m <= p <= 8 not at their best known integer rank in
../frontier.md. --targets beyond8: the formats with p > 8 of beyond8/beyond8.tsv at most --within
above the best known Z rank (0: at or below it, where one more saved product is a new record);
walks whose inner format can save nothing (twice its best known rank is no more than the rank of
the format it becomes for two products sharing a factor, in every slot) are skipped.

Writes OUT/walks.tsv (one line per walk: target, outer file, slot, inner, start and best
saving) and OUT/starts.tsv (target, ring, ours, best known, the best start's rank and recipe).
Useful outer schemes are then copied by hand into results/search/campaign/outer/ with the
command in their header (fmm meta buds writes it), where the campaign's constructions use them.
"""

import argparse, concurrent.futures, itertools, os, re, subprocess, sys, time

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


def beyond8_formats(within):
    """(format, best known Z rank, our Z rank) for beyond8.tsv's formats at most `within` above."""
    out = []
    for line in list(open(os.path.join(ROOT, "results/search/buds/beyond8/beyond8.tsv")))[1:]:
        n, m, p, known, ours, above = line.split("\t")[:6]
        if above.strip() and int(above) <= within:
            out.append(((int(n), int(m), int(p)), int(known), int(ours)))
    return out


def known_z_ranks():
    """Sorted format -> best known Z rank (the collection), to judge what an inner format can save."""
    ranks = {}
    for line in open(os.path.join(ROOT, "data/known_ranks/fmm_collection_status.tsv")):
        cells = line.rstrip("\n").split("\t")
        if line.startswith("#") or cells[0] == "n" or len(cells) < 5 or not cells[4].strip().isdigit():
            continue
        ranks[tuple(sorted(map(int, cells[:3])))] = int(cells[4])
    return ranks


def can_save(inner, ranks):
    """Whether two products sharing a factor can save anything with `inner`: 2 R(b) > R(b with one
    dimension doubled) for some dimension (best known ranks; trivial formats by n m p)."""
    def rank(f):
        f = tuple(sorted(f))
        return f[0] * f[1] * f[2] if f[0] == 1 else ranks.get(f)
    r = rank(inner)
    for i in range(3):
        doubled = list(inner)
        doubled[i] *= 2
        r2 = rank(doubled)
        if r is None or r2 is None or 2 * r > r2:
            return True
    return False


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


def combos(targets, prune):
    """(target, outer file name, inner format) for every target and divisor pair, each pair once."""
    best = best_integer_schemes()
    ranks = known_z_ranks() if prune else {}
    seen = set()
    for target, known, ours in targets:
        for perm in sorted(set(itertools.permutations(target))):
            for a, name in best.items():
                if a == target or any(perm[i] % a[i] for i in range(3)):
                    continue
                b = tuple(perm[i] // a[i] for i in range(3))
                if b[0] * b[1] * b[2] == 1 or a[0] * a[1] * a[2] == 1 or (target, a, b) in seen:
                    continue
                seen.add((target, a, b))
                if prune and not can_save(b, ranks):
                    continue
                yield target, name, "x".join(map(str, b))


def walk(fmm, out, steps, seed, target, name, slot, inner):
    run = subprocess.run([fmm, "meta", "buds", os.path.join(SCHEMES, name), "--slot", slot,
                          "--inner", inner, "--library", SCHEMES, "--steps", str(steps),
                          "--plus-every", "1000", "--seed", str(seed), "-o", out],
                         capture_output=True, text=True, cwd=ROOT)
    summary = run.stdout.splitlines()[0] if run.returncode == 0 else "failed: " + run.stderr.strip()
    return f"{'x'.join(map(str, target))}\t{name}\t{slot}\t{inner}\t{summary}\n"


def start(fmm, out, target, known, ours, ring, outers):
    shape = "x".join(map(str, target))
    written = os.path.join(out, f"start_{shape}_{ring}.txt")
    run = subprocess.run([fmm, "meta", "start", "--shape", shape, "--ring", ring, "--library", SCHEMES,
                          *outers, "-o", written], capture_output=True, text=True, cwd=ROOT)
    recipe = next((l[len("best start: "):] for l in run.stdout.splitlines() if l.startswith("best start: ")), "")
    rank = next((l.split()[1].rstrip(":") for l in run.stdout.splitlines() if re.match(r"rank \d+:", l)), "")
    if not rank:
        m = re.search(r"rank (\d+) valid", run.stdout)
        rank = m.group(1) if m else ""
    if not (rank and int(rank) < ours) and os.path.exists(written):
        os.remove(written)  # keep only the starts that beat ours
    return f"{shape}\t{ring}\t{ours}\t{known}\t{rank}\t{recipe[:1000]}\n", rank


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fmm", default=os.path.join(ROOT, "build/cli/fmm"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--targets", choices=("unmet", "beyond8"), default="unmet")
    ap.add_argument("--within", type=int, default=0, help="beyond8: at most this far above the best known Z rank")
    ap.add_argument("--jobs", type=int, default=1, help="processes at once")
    ap.add_argument("--shard", default="0/1", help="K/N: only every N-th target from the K-th (split a scan over calls)")
    ap.add_argument("--walk-seconds", type=float, default=0, help="walks not begun by then are skipped (0: none)")
    args = ap.parse_args()
    fmm = os.path.abspath(args.fmm)
    beyond = args.targets == "beyond8"
    targets = beyond8_formats(args.within) if beyond else unmet_formats()
    k, n = map(int, args.shard.split("/"))
    targets = targets[k::n]
    began = time.time()
    walked = os.path.join(args.out, "walked")
    os.makedirs(walked, exist_ok=True)
    outer_dir = os.path.join(ROOT, "results/search/campaign/outer")
    common = [os.path.join(outer_dir, f) for f in sorted(os.listdir(outer_dir))] if beyond and os.path.isdir(outer_dir) else []
    jobs, outers = [], {t: list(common) for t, _, _ in targets}
    for target, name, inner in combos(targets, prune=beyond):
        for slot in "uvw":
            out = os.path.join(walked, f"{name[:-4]}_{slot}_{inner}.txt")
            jobs.append((target, name, slot, inner, out))
            outers[target].append(out)
    def walk_or_skip(job):
        target, name, slot, inner, out = job
        if args.walk_seconds and time.time() - began >= args.walk_seconds:
            return f"{'x'.join(map(str, target))}\t{name}\t{slot}\t{inner}\tskipped: --walk-seconds\n"
        return walk(fmm, out, args.steps, args.seed, target, name, slot, inner)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        lines = list(pool.map(walk_or_skip, jobs))
    with open(os.path.join(args.out, "walks.tsv"), "w") as tsv:
        tsv.write("target\touter\tslot\tinner\tsummary\n")
        tsv.writelines(lines)
    rings = ("z",) if beyond else ("z", "zt")
    work = [(t, known, ours, ring) for t, known, ours in targets for ring in rings]
    def build(item):
        target, known, ours, ring = item
        files = outers[target] if beyond else [os.path.join(walked, f) for f in sorted(os.listdir(walked))]
        return start(fmm, args.out, target, known, ours, ring, [a for f in files if os.path.exists(f) for a in ("--outer", f)])
    with open(os.path.join(args.out, "starts.tsv"), "w") as tsv, concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        tsv.write("target\tring\tours\tknown\tstart\trecipe\n")
        for (t, known, ours, ring), (line, rank) in zip(work, pool.map(build, work)):
            tsv.write(line)
            tsv.flush()  # a scan cut short keeps what it built
            if rank and int(rank) < ours:
                print(f"{'x'.join(map(str, t))} over {ring}: {rank} (ours {ours}, best known {known}): {line.split(chr(9))[5].strip()}")


if __name__ == "__main__":
    sys.exit(main())
