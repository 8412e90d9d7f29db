#!/usr/bin/env bash
# Builds the Hopcroft-Kerr <p,2,n> schemes (hk_band.py, over GF(2)) for 3 <= p <= n <= MAX, lifts
# each to Z with `fmm lift` (a seed whose GF(2) scheme does not lift is followed by the next, up to
# 40), names its provenance in the header and writes it, verified, to schemes/ as PxMxN_rR_z.txt.
# usage: results/search/hopcroft_kerr/make_schemes.sh FMM [MAX=8] [PxN ...]
# HK_RING=z: build over Z directly (hk_band.py --ring z) instead of GF(2) + fmm lift; HK_SEEDS:
# seeds tried (default 40); HK_OUT: where the schemes go (default schemes/ here); PYTHON: an interpreter with numpy (default:
# /usr/bin/python3 if it has numpy, else python3); HK_TERNARY=1: keep only a lift with every
# coefficient in {-1,0,1} (the sign lift; other seeds are tried otherwise), for at most
# HK_LIFT_SECONDS (default 120) a seed.
set -euo pipefail
fmm=$(realpath "${1:?fmm binary}"); max=${2:-8}; shift 2 || shift $#
here=$(cd "$(dirname "$0")" && pwd)
out=${HK_OUT:-$here/schemes}; mkdir -p "$out"
py=${PYTHON:-}
if [[ -z $py ]]; then
  py=python3
  /usr/bin/python3 -c 'import numpy' 2>/dev/null && py=/usr/bin/python3
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
formats=("$@")
if [[ ${#formats[@]} -eq 0 ]]; then
  for ((p = 3; p <= max; ++p)); do for ((n = p; n <= max; ++n)); do formats+=("${p}x${n}"); done; done
fi
for pn in "${formats[@]}"; do
  p=${pn%x*}; n=${pn#*x}
  for seed in $(seq 1 "${HK_SEEDS:-40}"); do
    if [[ ${HK_RING:-gf2} == z ]]; then
      # Gadgets signed over Q as they are chosen: integral as built, or nothing for this seed.
      "$py" "$here/hk_band.py" "$p" "$n" "$work/z.txt" --ring z --seed "$seed" --tries 1 2>"$work/build.log" || true
      how="gadgets found over GF(2) and signed over Q"
      ok=0; [[ -s $work/z.txt ]] && grep -q 'field Z ' "$work/z.txt" && ok=1
    else
      "$py" "$here/hk_band.py" "$p" "$n" "$work/gf2.txt" --seed "$seed" --tries 1 2>"$work/build.log"
      how="gadgets found over GF(2), lifted to Z by fmm lift"
      lift_opts=()
      [[ ${HK_TERNARY:-0} == 1 ]] && lift_opts=(--neighbours 0 --time-limit "${HK_LIFT_SECONDS:-120}")
      ok=0
      "$fmm" lift "$work/gf2.txt" -o "$work/z.txt" "${lift_opts[@]}" >"$work/lift.log" 2>&1 && grep -q 'field Z ' "$work/z.txt" && ok=1
    fi
    if ((ok)) && [[ ${HK_TERNARY:-0} == 1 ]] && tail -n +2 "$work/z.txt" | tr ' ' '\n' | grep -qvE '^(-1|0|1|\|)?$'; then
      ok=0  # coefficients outside {-1,0,1}
    fi
    rank=$(sed -nE 's/^# [0-9]+ 2 [0-9]+ rank ([0-9]+).*/\1/p' "$work/z.txt" "$work/gf2.txt" 2>/dev/null | head -n 1)
    if ((ok)); then
      src="Hopcroft-Kerr band construction <$p,2,$n> (results/search/hopcroft_kerr/hk_band.py $p $n --ring ${HK_RING:-gf2} --seed $seed, $how)"
      sed -i "1s|source .*|source $src|" "$work/z.txt"
      "$fmm" verify "$work/z.txt" >/dev/null
      cp "$work/z.txt" "$out/${p}x2x${n}_r${rank}_z.txt"
      echo "<$p,2,$n>: rank $rank over Z (seed $seed; formula $(( (3 * p * n + (p > n ? p : n) + 1) / 2 )))"
      break
    fi
    echo "<$p,2,$n> seed $seed: no Z scheme ($(tail -n 1 "$work/lift.log" "$work/build.log" 2>/dev/null | tail -n 1 | cut -c1-120))" >&2
    rm -f "$work/z.txt" "$work/gf2.txt"
  done
done
