#!/usr/bin/env bash
# Long flip-graph runs on the device machine's 16 CPU cores (no GPU needed), from an `fmm`
# built here and carried with its one library the device lacks (libboost_program_options):
#   scripts/device_search.sh prepare        # here: copy build/cli/fmm and the library into .deps/
#   scripts/device_search.sh run SECONDS    # there (device `run` with carry [".deps"]): the runs below
# Results land in $OUT (schemes, logs, a CSV row per run).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == prepare ]]; then
  mkdir -p .deps/bin .deps/lib
  cp build/cli/fmm .deps/bin/
  cp "$(ldd build/cli/fmm | awk '/libboost_program_options/ {print $3}')" .deps/lib/
  exit 0
fi

seconds=${2:-240}
export LD_LIBRARY_PATH=$PWD/.deps/lib:${LD_LIBRARY_PATH:-}
fmm=.deps/bin/fmm
out=${OUT:-/tmp/out}
mkdir -p "$out/schemes"
nproc_here=$(nproc)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)" | tee "$out/machine.txt"
run() {  # name, then fmm search arguments
  local name=$1
  shift
  local start=$SECONDS
  $fmm search "$@" --out "$out/schemes" >"$out/$name.log" 2>&1 || true
  echo "$name: $((SECONDS - start)) s: $(grep -E 'done:' "$out/$name.log" | tail -n 1)" | tee -a "$out/summary.txt"
}
run 555_gf2 --shape 5x5x5 --field gf2 --threads "$nproc_here" --walkers 64 --time-limit "$seconds" --seed 1 --lift
if $fmm search --help | grep -q -- '--symmetric' && ! $fmm search --shape 2x2x2 --symmetric --max-flips 1000 2>&1 | grep -q 'not implemented'; then
  run 555_gf2_symmetric --shape 5x5x5 --field gf2 --symmetric --threads "$nproc_here" --walkers 64 --time-limit "$seconds" --seed 1
fi
run 444_gf2 --shape 4x4x4 --field gf2 --threads "$nproc_here" --walkers 64 --time-limit 60 --seed 1 --target-rank 47 --lift
cd "$out" && tar czf schemes.tgz schemes && rm -rf schemes
