#!/usr/bin/env bash
# Issue 13 on the device machine (H200): prebuilt binaries (built on the dev machine with the same
# CUDA 13.0, -DFMM_CUDA_ARCHS=90, carried in $BIN), so no device minutes go to compiling.
#
#   FMM_GIT_REVISION=<rev> BIN=bin scripts/device_h200.sh [PHASE...]
#
# Phases, in this order (default: tests memcheck targets tc sweep torch):
#   tests     the GPU tests (executor and fmm::gemm on random data, generated CUDA exactly on small
#             integers under every chunking, an output past 2^31 elements)
#   memcheck  compute-sanitizer memcheck: the generated CUDA test (every chunking) and fmm-bench on
#             small shapes, chunked (a quarter of A+B+C) and one pass, every precision
#   targets   f32 2048..32768, f64 4096..32768 and rectangular shapes, within a quarter of A+B+C,
#             side by side with cuBLAS; --tune writes the tuning table
#   tc        tf32 and bf16 (explicit operand sums, to measure what they cost and their error)
#   pipecheck the pipelined leaf mode: the executor test and memcheck on small shapes
#   retarget  f32 4096..16384 and f64 8192..16384 (and the K-light/K-heavy shapes) with the
#             pipelined candidates, --tune merged into the table (TUNING_SEED: a table to start from)
#   sweep     fmm::gemm (dispatch by the table just written) against cuBLAS on 30 other shapes
#   torch     an independent cross-check of the cuBLAS rates through PyTorch's matmul
# Every fmm-bench run times its candidates interleaved (one run of each per round).
# Everything lands in $RES (packed into $OUT/results.tar.gz after every step) and the log in $OUT.
set -uo pipefail
OUT=${OUT:-$PWD/out}
BIN=${BIN:-bin}
RES=${RES:-/tmp/fmm-results/h200}
mkdir -p "$OUT" "$RES"
exec > >(tee -a "$OUT/log.txt") 2>&1
phases=("$@")
[ -n "${TUNING_SEED:-}" ] && cp "$TUNING_SEED" "$RES/tuning.txt"
[ ${#phases[@]} -eq 0 ] && phases=(tests memcheck targets tc sweep torch)
want() { local p; for p in "${phases[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }
step() { echo; echo "=== $* ($(date +%T), ${SECONDS}s)"; }
pack() { (cd "$(dirname "$RES")" && tar czf "$OUT/results.tar.gz" "$(basename "$RES")"); }
status=0
bench() {  # NAME ARGS...: one fmm-bench run into $RES
  local name=$1
  shift
  step "bench $name: $*"
  "$BIN/fmm-bench" --out "$RES" --name "$name" "$@"
  local rc=$?
  echo "bench $name exit code: $rc"
  [ $rc -eq 0 ] || status=1
  pack
}

step "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem,power.draw,temperature.gpu --format=csv
uname -r
"$BIN/fmm-bench" --help > /dev/null || { echo "fmm-bench does not start here"; ldd "$BIN/fmm-bench"; exit 1; }

if want tests; then
  for t in test_gpu_gemm test_codegen_cuda test_gpu_large; do
    step "test $t"
    "$BIN/$t" > "$OUT/$t.txt" 2>&1
    rc=$?
    tail -n 4 "$OUT/$t.txt"
    echo "$t exit code: $rc"
    [ $rc -eq 0 ] || status=1
  done
fi

if want memcheck; then
  step "compute-sanitizer memcheck"
  # Only our kernels (every one is named form_*) are instrumented: cuBLAS runs at full speed.
  filter=()
  compute-sanitizer --help 2>&1 | grep -q -- "--kernel-regex" && filter=(--kernel-regex kns=form_)
  echo "kernel filter: ${filter[*]:-none}"
  {
    compute-sanitizer --tool memcheck --error-exitcode 3 "${filter[@]}" "$BIN/test_codegen_cuda"
    echo "memcheck test_codegen_cuda exit code: $?"
    for frac in 0.25 0; do
      compute-sanitizer --tool memcheck --error-exitcode 3 "${filter[@]}" "$BIN/fmm-bench" --schemes strassen,laderman^1 \
        --levels 1,2,3 --shapes 100x99x101,64x64x64,300x200x250 --precision f32,f64,tf32,bf16 --leaf batched,loop \
        --repeats 1 --warmup 0 --workspace-fraction $frac --out /tmp/fmm-memcheck --name mc
      echo "memcheck fmm-bench (workspace fraction $frac) exit code: $?"
    done
  } > "$OUT/memcheck.txt" 2>&1
  grep -E "ERROR SUMMARY|exit code" "$OUT/memcheck.txt"
  grep -q "exit code: [^0]" "$OUT/memcheck.txt" && status=1
fi

if want targets; then
  bench square_f32 --schemes strassen --levels 1,2,3 --sizes 2048,4096,8192,16384 \
    --shapes 16384x16384x4096,8192x8192x32768 --precision f32 --leaf batched,loop --tune
  bench large_f32 --schemes strassen^3,strassen^4 --sizes 32768 --precision f32 --leaf loop --warmup 1 --no-phases --tune
  bench square_f64 --schemes strassen --levels 1,2,3 --sizes 4096,8192,16384 \
    --shapes 16384x16384x4096,8192x8192x32768 --precision f64 --leaf loop --tune
  bench large_f64 --schemes strassen^3 --sizes 32768 --precision f64 --leaf loop --warmup 1 --no-phases --tune
fi

if want pipecheck; then
  step "pipelined: executor test and memcheck"
  "$BIN/test_gpu_gemm" > "$OUT/test_gpu_gemm.txt" 2>&1
  rc=$?
  tail -n 4 "$OUT/test_gpu_gemm.txt"
  echo "test_gpu_gemm exit code: $rc"
  [ $rc -eq 0 ] || status=1
  filter=()
  compute-sanitizer --help 2>&1 | grep -q -- "--kernel-regex" && filter=(--kernel-regex kns=form_)
  compute-sanitizer --tool memcheck --error-exitcode 3 "${filter[@]}" "$BIN/fmm-bench" --schemes strassen \
    --levels 1,2,3 --shapes 100x99x101,300x200x250 --precision f32,f64,bf16 --leaf pipe --repeats 1 --warmup 0 \
    --out /tmp/fmm-memcheck --name mc > "$OUT/memcheck_pipe.txt" 2>&1
  rc=$?
  grep -E "ERROR SUMMARY" "$OUT/memcheck_pipe.txt"
  echo "memcheck pipelined exit code: $rc"
  [ $rc -eq 0 ] || status=1
fi

if want retarget; then
  bench retarget_f32 --schemes strassen^2,strassen^3 --sizes 4096,8192,16384 --shapes 16384x16384x4096,8192x8192x32768 \
    --precision f32 --leaf loop,pipe --tune
  bench retarget_f64 --schemes strassen^2,strassen^3 --sizes 8192,16384 --shapes 16384x16384x4096,8192x8192x32768 \
    --precision f64 --leaf loop,pipe --tune
fi

if want tc; then
  bench tensor_core --schemes strassen --levels 1,2 --sizes 4096,8192,16384 --precision tf32,bf16 --leaf batched,loop --tune
fi

if want sweep; then
  shapes=256x256x256,512x512x512,1000x1000x1000,1024x1024x1024,2048x2048x2048,2500x2500x2500,3000x3000x3000
  shapes+=,4096x4096x4096,6000x6000x6000,8192x8192x8192,12288x12288x12288,20000x20000x20000
  shapes+=,1023x1025x1027,3001x2999x3003,5001x4999x5003,7001x6999x7003,12345x6789x4567
  shapes+=,8192x1024x1024,16384x2048x2048,30000x7000x7000,1024x8192x1024,2048x16384x2048,7000x30000x7000
  shapes+=,1024x1024x8192,2048x2048x16384,6000x6000x30000,8192x8192x1024,16384x16384x2048,12000x12000x3000
  shapes+=,32768x4096x4096
  bench sweep --only-auto --tuning "$RES/tuning.txt" --shapes "$shapes" --precision f32,f64,tf32,bf16 --no-phases \
    --repeats "${SWEEP_REPEATS:-20}"
fi

if want torch; then
  step "PyTorch matmul cross-check"
  python3 scripts/torch_crosscheck.py > "$RES/torch_crosscheck.txt" 2>&1
  cat "$RES/torch_crosscheck.txt"
  pack
fi

step "summary"
nvidia-smi --query-gpu=clocks.sm,clocks.mem,power.draw,temperature.gpu --format=csv
python3 scripts/summarize_bench.py "$RES"/*.csv
pack
echo "device_h200 status: $status (${SECONDS}s)"
exit $status
