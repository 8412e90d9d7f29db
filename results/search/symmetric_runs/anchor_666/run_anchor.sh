#!/usr/bin/env bash
# The public symmetric-flips code (Moosbauer & Poole; jakobmoosbauer/symmetric-flips, GPL, built
# outside this tree, never copied into it) on its own <6,6,6> case r6-153-1.txt, as N independent
# driver processes with AUTO seeds, for SECONDS: every finished solve prints "Run: i Best: r ...".
# Purpose: the distribution of the ranks its runs end at, to set against fmm's symmetric walk
# (results/search/symmetric_runs/device_session*/: 948 runs, 34 at 165, 94 at 171, 222 at 177).
# Usage: run_anchor.sh ANCHOR_DIR N SECONDS OUTDIR
#   ANCHOR_DIR holds FlipSolver22 (g++ -O3) and MatrixMult22.py with its `fastsolver` pointed there.
set -uo pipefail
anchor=$(cd "$1" && pwd); n=$2; secs=$3; out=$4
mkdir -p "$out"
pids=()
for i in $(seq 1 "$n"); do
  d=$out/proc$i; mkdir -p "$d"; cp "$anchor/r6-153-1.txt" "$d/"
  # setsid: the driver and the solver it spawns form one process group, stopped together below.
  (cd "$d" && exec setsid python3 -u "$anchor/MatrixMult22.py" r6-153-1.txt > driver.log 2>&1) &
  pids+=($!)
  sleep 0.05  # AUTO seeds mix time and pid
done
sleep "$secs"
for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done
wait 2>/dev/null
# One line per finished solve: process, run, best rank.
for i in $(seq 1 "$n"); do
  grep -h '^Run:' "$out/proc$i/driver.log" | awk -v p="$i" '{print p"\t"$2"\t"$4}'
done > "$out/runs.tsv"
{ echo "processes $n, seconds $secs, finished solves $(wc -l < "$out/runs.tsv")"
  echo "final rank -> solves:"; cut -f3 "$out/runs.tsv" | sort -n | uniq -c; } > "$out/summary.txt"
cat "$out/summary.txt"
