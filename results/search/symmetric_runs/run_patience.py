#!/usr/bin/env python3
"""When should a symmetric flip-graph run give up?  Replays logged runs under shorter patience.

`fmm search --symmetric` logs every finished run as
    run ended: walker 3, best 171 after 251.30 M moves: 225@0.00 219@0.00 ... 171@85.21
(its new bests: rank @ million moves since the run began). A run ends `restart_after` moves
after its last new best (the paper's schedule: 1e9 term flips = 166.7 M orbit moves for
<6,6,6>). A policy that gives up sooner while the run's best is still high, P(rank) <= that,
changes nothing before the point where it gives up, so every logged run can be replayed under
it exactly: the run ends at the first best b_k whose wait for the next best exceeds P(r_k)
(or after its last best), at b_k + P(r_k) moves. The next run then starts earlier; runs are
independent, so the yield per moves is what compares: runs that reached <= R per 1e9 moves.

usage: run_patience.py [--keep "R@M R@M ..."] LOG [LOG ...]
       (plain or .gz; "partial" runs, begun before a --resume, are skipped). --keep gives one
       more run's new bests (rank@million moves, e.g. a run that reached the target); each
       policy then says whether it would have let that run reach its last best.
"""
import gzip
import re
import sys

LINE = re.compile(r"run ended: walker (\d+), best (\d+) after ([0-9.]+) M moves( \(partial\))?:(.*)$")


def read_runs(paths):
    runs = []
    for path in paths:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt") as f:
            for line in f:
                m = LINE.search(line)
                if not m or m.group(4):
                    continue
                bests = [(int(r), float(a)) for r, a in (x.split("@") for x in m.group(5).split())]
                runs.append((bests, float(m.group(3))))
    return runs


def replay(bests, moves, patience, full):
    """(best rank, moves) of one run under patience(rank) <= full, in million moves."""
    for k, (rank, at) in enumerate(bests):
        wait = bests[k + 1][1] - at if k + 1 < len(bests) else moves - at
        p = min(patience(rank), full)
        if wait > p:
            return rank, at + p
    return bests[-1][0], moves


def main():
    args = sys.argv[1:]
    keep = None
    if len(args) >= 2 and args[0] == "--keep":
        keep = [(int(r), float(a)) for r, a in (x.split("@") for x in args[1].split())]
        args = args[2:]
    runs = read_runs(args)
    if not runs:
        sys.exit("no finished runs in the logs (lines 'run ended: ...')")
    # The logged patience: the longest wait after a run's last best (every run waits exactly it).
    full = max(moves - bests[-1][1] for bests, moves in runs)
    # The five lowest ranks at which logged runs ended (153..177 would be <6,6,6>'s ladder).
    levels = sorted({bests[-1][0] for bests, _ in runs})[:5]
    print(f"{len(runs)} runs, logged patience {full:.1f} M moves after a run's last best")
    print("policy | M moves per run | " + " | ".join(f"runs <= {r}" for r in levels) + " | "
          + " | ".join(f"<= {r} per 1e9 moves" for r in levels) + f" | yield of <= {levels[min(1, len(levels) - 1)]} vs logged"
          + (" | keeps the --keep run" if keep else ""))
    base = None
    policies = [("logged", lambda r: full)]
    for above in levels[1:]:
        for part in (16, 8, 4, 2):
            short = full / part
            policies.append((f"{short:.1f} M while best > {above}", lambda r, a=above, s=short: s if r > a else full))
    for name, patience in policies:
        ends = [replay(b, m, patience, full) for b, m in runs]
        cost = sum(m for _, m in ends)
        counts = [sum(1 for r, _ in ends if r <= level) for level in levels]
        rates = [1000.0 * c / cost for c in counts]
        key = rates[min(1, len(rates) - 1)]
        if base is None:
            base = key
        rel = key / base if base else float("nan")
        print(f"{name} | {cost / len(runs):.1f} | " + " | ".join(str(c) for c in counts) + " | "
              + " | ".join(f"{x:.3f}" for x in rates) + f" | {rel:.2f}x"
              + ((" | yes" if replay(keep, keep[-1][1] + full, patience, full)[0] == keep[-1][0] else " | no") if keep else ""))


if __name__ == "__main__":
    main()
