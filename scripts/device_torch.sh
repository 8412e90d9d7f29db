#!/usr/bin/env bash
# The PyTorch operator (python/fmm_torch) on the GPU machine in one short call: build the
# extension from generated code, check torch.ops.fmm.matmul against torch.matmul in float32 on
# odd and even shapes, time it at 16384^3 against `fmm bench`'s row for the same generated code,
# and run the operator's tests. Results land in $OUT (results/h200/torch.md reports them).
#
#   here:   scripts/device_torch.sh prepare   # needs build-cuda/ (below); fills .deps/torch/
#   there:  scripts/device_torch.sh run       # device `run` with .deps carried
#
# build-cuda is a CUDA build for the H200 with Boost linked statically (the device has no
# libboost_program_options) and the one generated kernel compared:
#   cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DFMM_CUDA_ARCHS=90 \
#     -DFMM_STATIC_BOOST=ON -DFMM_GPU_GENERATED_SPECS=strassen:2:f32 && ninja -C build-cuda fmm fmm-bench
# Here and there CUDA is 13.0, so fmm-bench is built here and carried (device minutes saved); the
# extension is built there, where PyTorch is. The code the operator runs is generated here by
# the same `fmm codegen` command as fmm-bench's compiled-in kernel (prepare checks the files match).
set -uo pipefail
cd "$(dirname "$0")/.."
DEPS=.deps/torch
GEMM=fmm_gen_strassen2_f32  # the name gpu/CMakeLists.txt gives strassen:2:f32

if [[ "${1:-}" == prepare ]]; then
  set -e
  fmm=build-cuda/cli/fmm
  rm -rf "$DEPS" && mkdir -p "$DEPS/bin" "$DEPS/gen"
  cp build-cuda/cli/fmm-bench "$DEPS/bin/"
  codegen() { "$fmm" codegen "$@" --out "$DEPS/gen" > /dev/null; }
  codegen strassen --levels 2 --precision f32 --layout col --min-block 256 --name $GEMM
  codegen strassen --levels 2 --precision f64 --layout col --min-block 256 --name fmm_gen_strassen2_f64
  codegen winograd --precision f32 --layout row --min-block 64 --name winograd_row_f32
  # Same code as fmm-bench's: identical but for the command line in the header.
  diff <(grep -v '^// Command' "$DEPS/gen/$GEMM.cu") <(grep -v '^// Command' build-cuda/gpu/generated/$GEMM.cu)
  diff <(grep -v '^// Command' "$DEPS/gen/$GEMM.cuh") <(grep -v '^// Command' build-cuda/gpu/generated/$GEMM.cuh)
  git rev-parse --short=12 HEAD > "$DEPS/revision"
  du -sh "$DEPS"
  exit 0
fi

OUT=${OUT:-$PWD/out}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
step() { echo; echo "=== $* ($(date +%T), ${SECONDS}s)"; }
export PYTHONUNBUFFERED=1 MAX_JOBS=$(nproc) TORCH_CUDA_ARCH_LIST=9.0 FMM_TORCH_BUILD_DIR=/tmp/fmm_torch_build
export FMM_GIT_REVISION=$(cat "$DEPS/revision" 2>/dev/null || echo unknown)
status=0

step "machine"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu --format=csv,noheader
nvcc --version | tail -1
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name())'
"$DEPS/bin/fmm-bench" --version || { echo "fmm-bench does not start here"; ldd "$DEPS/bin/fmm-bench"; status=1; }

step "operator: build, float32 error on 6 shapes, 16384^3 timing (scripts/torch_check.py)"
timeout 100 python3 scripts/torch_check.py --generated "$DEPS/gen" --scheme $GEMM --out "$OUT/torch_check.json" || status=1

step "fmm bench: the same generated code, 16384^3 f32"
timeout 45 "$DEPS/bin/fmm-bench" --schemes strassen --levels 2 --sizes 16384 --precision f32 --leaf batched \
  --repeats 10 --warmup 2 --out /tmp/fmm_bench_torch --name torch_compare || status=1
cp /tmp/fmm_bench_torch/torch_compare.csv /tmp/fmm_bench_torch/torch_compare.json "$OUT/" 2>/dev/null

step "operator tests (python/tests/test_fmm_torch.py; the extension is already built)"
# Last, in what is left of a short call (the measurements above matter most).
left=$((160 - SECONDS)); [ $left -lt 15 ] && left=15
FMM_TORCH_GENERATED="$DEPS/gen" timeout $left python3 -X faulthandler python/tests/test_fmm_torch.py || status=1
nvidia-smi --query-gpu=clocks.sm,clocks.mem,temperature.gpu --format=csv,noheader
echo "device_torch status: $status (${SECONDS}s)"
exit $status
