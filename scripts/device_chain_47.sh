#!/usr/bin/env bash
# One device call (issue 11): <4,4,4;47>s over GF(2) by random starts on all cores, each 47 grown by
# a column into <4,4,5> and walked, the best of those grown by a row into <4,5,5> and walked.
# On the 2-core VM this chain reached <4,4,5> 60 and <4,5,5> 73, the best known GF(2) ranks
# (results/search/random_starts/chain/). Usage, with carry [".deps"] after
# `scripts/device_search.sh prepare`:
#   scripts/device_chain_47.sh SECONDS
# or on any machine: OUT=DIR FMM=build/cli/fmm scripts/device_chain_47.sh SECONDS
# env P1 (seconds for 47s, default 100), W445 / W455 (seconds per walk, default 20 / 240),
# EXTRA_444 (more 47s for stage 2) and EXTRA_445 (more <4,4,5>s for stage 3): files in the tree,
# space-separated.
# Stage 1 runs `fmm search --random-starts` with all threads, seed after seed (FIRST_SEED, default
# 1), for P1 seconds and on until the first 47, so each seed's time to 47 is one sample of "time to
# 47 on this many cores".
# Returns summary.txt, logs.tgz, schemes.tgz (each walk's best scheme).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
seconds=${1:?usage: device_chain_47.sh SECONDS}
. scripts/device_env.sh
cores=$(nproc)
work=$(mktemp -d)
start=$(date +%s)
left() { echo $(( seconds - ($(date +%s) - start) )); }
summary=$out/summary.txt

# Stage 1: 47s, one seed at a time on every core.
mkdir -p "$work/s47"
seed=${FIRST_SEED:-1}
p1_end=$(( $(date +%s) + ${P1:-100} ))
have_47() { compgen -G "$work/s47/seed_*/4x4x4_r47_gf2*.txt" > /dev/null; }
# At least P1 seconds, and on (a minute a seed) until the first 47 while more than 200 s are left.
while :; do
  budget=$(( p1_end - $(date +%s) ))
  if (( budget < 5 )); then
    if have_47 || (( $(left) <= 200 )); then break; fi
    budget=60
  fi
  log=$work/s47/seed_$seed.log
  "$fmm" search --shape 4x4x4 --field gf2 --random-starts 8-12 --threads "$cores" --target-rank 47 \
    --time-limit "$budget" --seed "$seed" --out "$work/s47/seed_$seed" > /dev/null 2> "$log"
  echo "stage 1 seed $seed: exit $?; $(grep -h 'done:' "$log" | tail -1 | sed 's/.*done: //')" >> "$summary"
  seed=$(( seed + 1 ))
done
mapfile -t starts47 < <(ls "$work"/s47/seed_*/4x4x4_r47_gf2*.txt 2>/dev/null)
echo "stage 1: ${#starts47[@]} schemes of rank 47" >> "$summary"
for f in ${EXTRA_444:-}; do starts47+=("$PWD/$f"); done

# One walk: grow FILE into SHAPE (fmm search extends a smaller scheme by zero padding plus the
# missing classical terms) and walk it for SECS on one core; prints "RANK FILE" of its best.
walk() {
  local shape=$1 target=$2 secs=$3 file=$4 wseed=$5 dir=$6
  "$fmm" search --shape "$shape" --field gf2 --from "$file" --threads 1 --time-limit "$secs" \
    --target-rank "$target" --seed "$wseed" --out "$dir" > /dev/null 2> "$dir.log"
  local best
  best=$(ls "$dir"/"${shape}"_r*_gf2*.txt 2>/dev/null | sed 's/.*_r\([0-9]*\)_.*/\1 &/' | sort -n | head -1)
  echo "${best:-none (nothing below the start) $file}"
}
# Run `walk` over a job list "FILE SEED" on all cores until the stage's deadline, or until ENOUGH
# walks have reached TARGET (then the walks still running are stopped); every walk gets
# min(SECS, time left). Output: "RANK FILE" lines, one per walk.
stage() {
  local name=$1 shape=$2 target=$3 secs=$4 deadline=$5 enough=$6
  local i=0
  mkdir -p "$work/$name"
  reached() { (( $(ls "$work/$name"/w*/"${shape}_r${target}"_gf2*.txt 2>/dev/null | wc -l) >= enough )); }
  while read -r file wseed; do
    while (( $(jobs -rp | wc -l) >= cores )) && ! reached; do sleep 1; done
    reached && break
    local t=$(( deadline - $(date +%s) ))
    (( t < 5 )) && break
    (( t > secs )) && t=$secs
    ( walk "$shape" "$target" "$t" "$file" "$wseed" "$work/$name/w$i" > "$work/$name/w$i.best" ) &
    i=$(( i + 1 ))
  done
  while [[ -n $(jobs -rp) ]] && ! reached; do sleep 1; done
  # Stopping a walk (SIGTERM) still saves its best, as after its time limit.
  reached && pkill -TERM -f -- "--out $work/$name/w" 2>/dev/null
  wait
  cat "$work/$name"/w*.best 2>/dev/null
}

# A scheme of <n,n,p> in its orientations that keep the format (fmm transform --permute): all six
# for <4,4,4>, nmp and mnp for <4,4,5>. Which one is grown matters: the 47s of one family (by
# the ranks of their factor matrices) reach 60 only in some orientations
# (results/search/random_starts/chain/README.md).
orient() {
  local file=$1 dir=$2; shift 2
  mkdir -p "$dir"
  for o in "$@"; do
    local to=$dir/$(basename "$file" .txt)_$o.txt
    "$fmm" transform "$file" -o "$to" --permute "$o" > /dev/null 2>&1 && echo "$to"
  done
}

# Stage 2: every 47, in each of its six orientations, grown to <4,4,5>; seeds 1, 2, ...
# round-robin over them, until ENOUGH_445 (default 3) walks reached 60.
s2_end=$(( $(date +%s) + ($(left) - 10) * 2 / 5 ))
mapfile -t oriented47 < <(n=0; for f in "${starts47[@]}"; do orient "$f" "$work/o47/$n" nmp mpn pnm pmn npm mnp; n=$(( n + 1 )); done)
if (( ${#oriented47[@]} > 0 )); then
  for wseed in $(seq 1 50); do for f in "${oriented47[@]}"; do echo "$f $wseed"; done; done \
    | stage s445 4x4x5 60 "${W445:-20}" "$s2_end" "${ENOUGH_445:-3}" > "$work/s445.txt"
fi
sort -n "$work/s445.txt" 2>/dev/null | awk '{print "stage 2 <4,4,5>: " $0}' >> "$summary"

# Stage 3: the best <4,4,5>s (rank 60, else 61, else the four best; and EXTRA_445), in both
# orientations, grown to <4,5,5>, until the first 73.
best445=$(sort -n "$work/s445.txt" 2>/dev/null | awk '$1 != "none" {print $1; exit}')
mapfile -t starts445 < <( { sort -n "$work/s445.txt" 2>/dev/null \
    | awk -v b="${best445:-0}" '$1 != "none" && ($1 == b || (b > 61 && ++k <= 4)) {print $2}'
  for f in ${EXTRA_445:-}; do echo "$PWD/$f"; done; } )
mapfile -t oriented445 < <(n=0; for f in "${starts445[@]}"; do orient "$f" "$work/o445/$n" nmp mnp; n=$(( n + 1 )); done)
s3_end=$(( start + seconds - 10 ))
for wseed in $(seq 1 50); do for f in "${oriented445[@]}"; do echo "$f $wseed"; done; done \
  | stage s455 4x5x5 73 "${W455:-240}" "$s3_end" 1 > "$work/s455.txt"
sort -n "$work/s455.txt" 2>/dev/null | awk '{print "stage 3 <4,5,5>: " $0}' >> "$summary"

# Time to each best-known rank (from the scheme files' modification times): the chain's figure.
for t in s47/seed_*/4x4x4_r47 s445/w*/4x4x5_r60 s455/w*/4x5x5_r73; do
  first=$(stat -c %Y "$work"/$t*_gf2*.txt 2>/dev/null | sort -n | head -1)
  if [[ -n $first ]]; then echo "first ${t##*/}: $(( first - start )) s after the start"; else echo "first ${t##*/}: not reached"; fi >> "$summary"
done
(cd "$work" && find . -name '*.log' | tar czf "$out/logs.tgz" -T -)
(cd "$work" && find . -name '*_gf2*.txt' | tar czf "$out/schemes.tgz" -T -)
rm -rf "$work"
