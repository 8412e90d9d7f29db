#!/usr/bin/env bash
# fmm's {-1,0,1} flip walk and Perminov's ternary_flip_graph (arXiv 2603.02398; built outside
# this tree: git clone https://github.com/dronperminov/ternary_flip_graph && make flip_graph),
# side by side: the same start scheme, the same wall time, one thread each, run at the same time
# so that both see the same machine load.
#
#   side_by_side.sh FMM FLIP_GRAPH SCHEME SECONDS SEED OUTDIR
#
# fmm:    fmm search --shape F --field z --from SCHEME --threads 1 --seed SEED   (stopped by SIGINT)
# anchor: flip_graph -i SCHEME' --ring ZT --threads 1 --seed SEED   (its defaults otherwise:
#         128 runners, plus every 5K..100K flips without a reduction, plus-diff 4, copy-best 0.5)
# where SCHEME' is SCHEME in the anchor's layout (to_ternary_flip_graph.py). SCHEME = standard:NxMxP
# starts both from the standard algorithm (fmm without --from, the anchor with -n1 N -n2 M -n3 P).
# ANCHOR_ARGS (environment) adds options to the anchor's command line, e.g. "--count 4".
# Writes OUTDIR/{fmm,anchor}.log with a Unix time on every line, OUTDIR/summary.tsv:
# tool, seconds after start, rank (every new best of either tool).
#   side_by_side.sh --summarize OUTDIR      (re)writes OUTDIR/summary.tsv from the logs
set -euo pipefail
summarize() {
  local out=$1 start
  start=$(sed -n 's/^start //p' "$out/machine.log")
  [ -n "$start" ] || start=$(head -1 "$out/fmm.log" | cut -d' ' -f1)
  {
    printf 'tool\tseconds\trank\n'
    awk -v s="$start" '/new best .* rank [0-9]+ over Z/ { for (i = 1; i <= NF; i++) if ($i == "rank") r = $(i+1);
         printf "fmm\t%.1f\t%s\n", $1 - s, r }' "$out/fmm.log"
    awk -v s="$start" '/Rank was improved from/ { r = ""; for (i = 1; i <= NF && r == ""; i++) if ($i == "to") r = $(i+1); sub(",", "", r);
         printf "anchor\t%.1f\t%s\n", $1 - s, r }' "$out/anchor.log"
  } > "$out/summary.tsv"
  cat "$out/summary.tsv"
}
if [ "${1:-}" = --summarize ] && [ $# -eq 2 ]; then summarize "$2"; exit 0; fi
[ $# -eq 6 ] || { echo "usage: $0 FMM FLIP_GRAPH SCHEME SECONDS SEED OUTDIR" >&2; exit 2; }
fmm=$1 anchor=$2 scheme=$3 secs=$4 seed=$5 out=$6
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/fmm_schemes" "$out/anchor_schemes"
if [[ $scheme == standard:* ]]; then
  shape=${scheme#standard:}
  IFS=x read -r n m p <<< "$shape"
  fmm_start=() anchor_start=(-n1 "$n" -n2 "$m" -n3 "$p")
else
  shape=$(sed -n '1s/^# *\([0-9]*\) \([0-9]*\) \([0-9]*\) .*/\1x\2x\3/p' "$scheme")
  [ -n "$shape" ] || { echo "$0: no '# n m p' header in $scheme" >&2; exit 2; }
  python3 "$here/to_ternary_flip_graph.py" "$scheme" "$out/start.tfg"
  fmm_start=(--from "$scheme") anchor_start=(-i "$out/start.tfg")
fi
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done; }
{ uname -a; nproc; uptime; git -C "$here" rev-parse HEAD; git -C "$(dirname "$anchor")" rev-parse HEAD 2>/dev/null || true; } > "$out/machine.log"
start=$(date +%s.%N)
echo "start $start" >> "$out/machine.log"
( timeout -s INT "$secs" "$fmm" search --shape "$shape" --field z "${fmm_start[@]}" --threads 1 \
    --seed "$seed" --out "$out/fmm_schemes" 2>&1 | stamp > "$out/fmm.log" ) &
( timeout -s INT "$secs" "$anchor" "${anchor_start[@]}" --ring ZT --threads 1 --seed "$seed" ${ANCHOR_ARGS:-} \
    -o "$out/anchor_schemes" 2>&1 | stamp > "$out/anchor.log" ) &
wait
uptime >> "$out/machine.log"
summarize "$out"
