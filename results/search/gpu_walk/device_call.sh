#!/usr/bin/env bash
# One device call for the GPU flip walk (fmm search --backend gpu; search/flip/walker_bank.hpp):
#   1. the plugin against its host emulation (test_gpu_walk: same seed, same schemes);
#   2. throughput and progress side by side, the same format and seconds: the GPU bank against the
#      CPU walk on every core of the box (from the standard algorithm; BENCH_FORMATS, the CPU
#      side only for those in BENCH_CPU, default all);
#   3. walks from the campaign's best schemes of the formats named in GPU_FORMATS, with --lift
#      (GPU_STARTS="FORMAT=FILE ..." names another start for a format, e.g. a Hopcroft-Kerr scheme:
#      2x6x6 56 came from results/search/hopcroft_kerr/schemes/6x2x6_r57_z.txt, not from our best).
#      GPU_FIELD=z walks them over {-1,0,1} (--field z) from the campaign's best integer scheme.
# Run on the device with carry [".deps"] after, here:
#   FMM_PREPARE_FROM=build-dev/cli/fmm scripts/device_search.sh prepare && strip .deps/bin/fmm
#   cp build-gpu/cli/libfmm_gpu_walk.so build-gpu/tests/gpu/test_gpu_walk .deps/bin/
# Everything lands in $OUT as gpu_walk.tgz (logs, schemes) plus summary.txt.
set -uo pipefail
cd "$(dirname "$0")/../../.."
export LD_LIBRARY_PATH=$PWD/.deps/lib:${LD_LIBRARY_PATH:-}
fmm=.deps/bin/fmm
out=${OUT:-/tmp/gpu_walk_out}
mkdir -p "$out/logs" "$out/schemes"
summary=$out/summary.txt
SECS=${GPU_SECS:-60}
BENCH_SECS=${BENCH_SECS:-30}
EPOCH=${GPU_EPOCH:-100000}
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; nproc; lscpu | grep 'Model name'; git log -1 --format='%H %s'; } > "$out/machine.txt" 2>&1
source results/search/campaign/best_scheme.sh

if [[ ${SKIP_TEST:-0} != 1 ]]; then
  timeout 180 .deps/bin/test_gpu_walk > "$out/logs/test_gpu_walk.log" 2>&1
  echo "test_gpu_walk rc $?" >> "$summary"
fi

for f in ${BENCH_FORMATS-4x4x4 3x4x5}; do
  timeout -s INT $((BENCH_SECS + 30)) $fmm search --shape "$f" --backend "${GPU_BACKEND:-gpu}" --time-limit "$BENCH_SECS" --epoch-flips "$EPOCH" --seed 1 \
    > /dev/null 2> "$out/logs/bench_${f}_gpu.log"
  echo "bench $f gpu rc $? : $(grep -h 'done:' "$out/logs/bench_${f}_gpu.log" | tail -1)" >> "$summary"
  [[ " ${BENCH_CPU-$f} " == *" $f "* ]] || continue
  timeout -s INT $((BENCH_SECS + 30)) $fmm search --shape "$f" --threads "$(nproc)" --time-limit "$BENCH_SECS" --seed 1 \
    > /dev/null 2> "$out/logs/bench_${f}_cpu.log"
  echo "bench $f cpu$(nproc) rc $? : $(grep -h 'done:' "$out/logs/bench_${f}_cpu.log" | tail -1)" >> "$summary"
done

for f in ${GPU_FORMATS-}; do
  start=
  for pair in ${GPU_STARTS-}; do [[ ${pair%%=*} == "$f" ]] && start=${pair#*=}; done
  if [[ ${GPU_FIELD:-gf2} == z ]]; then
    # A {-1,0,1} walk needs a start with entries in {-1,0,1}: the best _zt file, else the best _z one.
    field_args=(--field z)
    [[ -n $start ]] || start=$(best_scheme "$f" zt)
    [[ -n $start ]] || start=$(best_scheme "$f" z)
  else
    field_args=(--lift)
    [[ -n $start ]] || start=$(best_scheme "$f" 'gf2 zt z')
  fi
  [[ -n $start ]] || { echo "$f: no campaign scheme" >> "$summary"; continue; }
  mkdir -p "$out/schemes/$f"
  timeout -s INT $((SECS + 60)) $fmm search --shape "$f" --from "$start" --backend "${GPU_BACKEND:-gpu}" --time-limit "$SECS" --epoch-flips "$EPOCH" \
    --seed "${GPU_SEED:-1}" --plus-slack "${GPU_SLACK:-4}" "${field_args[@]}" --out "$out/schemes/$f" > /dev/null 2> "$out/logs/walk_$f.log"
  echo "walk $f ${GPU_FIELD:-gf2} from $(basename "$start") rc $? : $(grep -h 'done:' "$out/logs/walk_$f.log" | tail -1)" >> "$summary"
done
tar czf "$out/gpu_walk.tgz" -C "$out" logs schemes machine.txt
cat "$summary"
