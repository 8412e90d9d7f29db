#!/usr/bin/env bash
# Which start serves a walk best? For a few formats, the same {-1,0,1} walk (4 walkers, one
# thread, a fixed flip budget, so the machine's load does not change the outcome) from:
#   standard     the standard algorithm (plain fmm search)
#   construction the best block sum / Kronecker product of the library's OTHER formats
#   projection   the best projection of the library's schemes of formats one or two larger
#   extension    the best sum of a one-smaller format's scheme with a standard slice
# The library is a frozen copy of the campaign's schemes (library/, 2026-12-01).
#   results/search/meta_starts/run.sh build/cli/fmm [FLIPS] [SEEDS] > results/search/meta_starts/results.tsv
# STARTS="projection" (a list of the four) walks from those starts only.
set -euo pipefail
fmm=$(realpath "${1:-build/cli/fmm}")
flips=${2:-100000000}
seeds=${3:-"1 2"}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sorted() { tr x '\n' <<<"$1" | sort -n | paste -sd x; }
echo -e "format\tstart\tstart_rank\tseed\tbest_rank\tflips"
for f in 2x5x6 3x4x6 3x5x6 4x4x6; do
  IFS=x read -r n m p <<<"$f"
  # Library subsets: everything but f; the formats above f; one below f.
  for kind in construction projection extension; do
    mkdir -p "$work/$f-$kind"
    for file in "$here"/library/*.txt; do
      g=$(basename "$file" | cut -d_ -f1)
      IFS=x read -r a b c <<<"$g"
      keep=0
      case $kind in
        construction) [[ $g != "$f" ]] && keep=1 ;;
        projection)
          for perm in "$a $b $c" "$a $c $b" "$b $a $c" "$b $c $a" "$c $a $b" "$c $b $a"; do
            read -r x y z <<<"$perm"
            if (( x >= n && y >= m && z >= p && x + y + z - n - m - p >= 1 && x + y + z - n - m - p <= 2 )); then keep=1; fi
          done ;;
        extension)
          for g2 in "$((n - 1))x$m x$p" "${n}x$((m - 1))x$p" "${n}x${m}x$((p - 1))"; do
            [[ $(sorted "${g2// /}") == "$g" ]] && keep=1
          done ;;
      esac
      (( keep )) && cp "$file" "$work/$f-$kind/"
    done
    if ls "$work/$f-$kind"/*.txt >/dev/null 2>&1; then
      "$fmm" meta start --shape "$f" --ring zt --library "$work/$f-$kind" -o "$work/$f-$kind.txt" >/dev/null
    fi
  done
  for start in ${STARTS:-standard construction projection extension}; do
    from=()
    if [[ $start != standard ]]; then
      [[ -f $work/$f-$start.txt ]] || continue
      from=(--from "$work/$f-$start.txt" --plus-from-start)
      r0=$(head -1 "$work/$f-$start.txt" | awk '{print $6}')
    else
      r0=$((n * m * p))
    fi
    for seed in $seeds; do
      out=$("$fmm" search --shape "$f" --field z --threads 1 --walkers 4 --max-flips "$flips" --seed "$seed" "${from[@]}" 2>&1 | grep '^done:')
      best=$(sed -E 's/.*, z ([0-9]+).*/\1/' <<<"$out")
      got=$(sed -E 's/.*; ([0-9]+) flips.*/\1/' <<<"$out")
      echo -e "$f\t$start\t$r0\t$seed\t$best\t$got"
    done
  done
done
