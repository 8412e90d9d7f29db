#!/usr/bin/env bash
# The one device-machine script: configure the GPU path, build with every core, run the GPU tests, a compute-sanitizer memcheck on a small case and
# the benchmark, leaving logs and reports under $OUT (at most 8 files come back, so the
# reports travel as one tarball plus copies of the markdown and CSV).
#
#   FMM_GIT_REVISION=$(git rev-parse --short=12 HEAD) scripts/device_bench.sh [--skip-tests] [--prebuilt]
#       [-- BENCH ARGS...]...
#
# --prebuilt uses $BUILD/cli/fmm-bench as carried from a machine with the same CUDA (it saves
# the device minutes of a build); the script builds anyway when that binary does not start.
# The device has no Boost.Program_options library: run scripts/carry_boost.sh here first and
# carry .deps/ (it is linked statically from there).
# --skip-tests also skips building the other targets (only the tests need them). The committed
# results/h100/tuning.txt seeds the results folder, so --tune merges into it.
#
# Each `--` starts one fmm-bench invocation (all write into the same results folder, so give
# each its own --name). Without any it runs the full H100 benchmark and tuning (DEFAULT_BENCH).
set -uo pipefail
OUT=${OUT:-$PWD/out}
BUILD=${BUILD:-build-device}
JOBS=$(nproc)
mkdir -p "$OUT"
LOG="$OUT/log.txt"
exec > >(tee -a "$LOG") 2>&1

skip_tests=0
prebuilt=0
runs=()   # one string per fmm-bench invocation, arguments separated by newlines
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-tests) skip_tests=1 ;;
    --prebuilt) prebuilt=1 ;;
    --) runs+=("") ;;
    *) if [ ${#runs[@]} -eq 0 ]; then echo "unknown argument $1"; exit 2; fi
       runs[$((${#runs[@]} - 1))]+="$1"$'\n' ;;
  esac
  shift
done
# The committed H100 results (results/h100/): square sizes with every candidate and precision,
# then the large and rectangular shapes with the candidates that can win there.
DEFAULT_RUNS=(
  "--schemes strassen,laderman^1,laderman^2 --levels 1,2,3 --sizes 4096,8192,16384 --precision f32,f64,tf32,bf16 --leaf batched,loop --repeats 10 --tune --name square"
  "--schemes strassen --levels 2,3 --sizes 32768 --shapes 16384x16384x4096,8192x8192x32768 --precision f32 --leaf batched,loop --repeats 10 --tune --name large_f32"
  "--schemes strassen --levels 2,3 --sizes 32768 --shapes 16384x16384x4096,8192x8192x32768 --precision f64 --leaf loop --repeats 10 --tune --name large_f64"
)
if [ ${#runs[@]} -eq 0 ]; then
  for r in "${DEFAULT_RUNS[@]}"; do runs+=("$(printf '%s\n' $r)"$'\n'); done
fi

step() { echo; echo "=== $* ($(date +%T))"; }

step "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem,power.draw,temperature.gpu --format=csv || true
nvcc --version | tail -1; cmake --version | head -1; g++ --version | head -1
ls /usr/include/zlib.h /usr/include/eigen3/Eigen/Core 2>&1 | head -2

if [ $prebuilt -eq 1 ] && "$BUILD/cli/fmm-bench" --help > /dev/null 2>&1; then
  step "prebuilt $BUILD/cli/fmm-bench (not rebuilt)"
else
  [ $prebuilt -eq 1 ] && echo "note: prebuilt $BUILD/cli/fmm-bench does not start here; building"
  step "configure"
  boost_dir=$PWD/.deps/boost/lib/x86_64-linux-gnu/cmake/Boost-1.74.0  # scripts/carry_boost.sh
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFMM_CUDA_ARCHS=90 -DFMM_WITH_MPI=OFF \
    -DFMM_STATIC_BOOST=ON $([ -d "$boost_dir" ] && echo "-DBoost_DIR=$boost_dir") \
    || { echo "configure failed"; exit 1; }
  step "build"
  targets="fmm-bench"
  [ $skip_tests -eq 0 ] && targets="$targets test_gpu_host test_gpu_gemm test_gpu_large test_sampled_reference"
  ninja -C "$BUILD" -j"$JOBS" $targets || { echo "build failed"; exit 1; }
  # The other parts' GPU-labelled tests (e.g. generated code) need the rest built; keep going on failures.
  if [ $skip_tests -eq 0 ]; then
    ninja -C "$BUILD" -j"$JOBS" -k 0 > "$OUT/build_rest.txt" 2>&1 || echo "note: some other targets failed to build (see build_rest.txt)"
  fi
fi

status=0
if [ $skip_tests -eq 0 ]; then
  step "ctest -L gpu"
  ctest --test-dir "$BUILD" -L gpu --output-on-failure --timeout 300 || status=1
  step "compute-sanitizer memcheck (small shapes, every precision)"
  compute-sanitizer --tool memcheck --error-exitcode 3 "$BUILD/cli/fmm-bench" --schemes strassen,laderman \
    --levels 1,2 --shapes 100x99x101,64x64x64 --precision f32,f64,bf16 --repeats 1 --warmup 0 \
    --out /tmp/fmm-memcheck > "$OUT/memcheck.txt" 2>&1
  mc=$?
  tail -n 25 "$OUT/memcheck.txt"
  echo "memcheck exit code: $mc"
  [ $mc -eq 0 ] || status=1
fi

RES=/tmp/fmm-results/h100
rm -rf /tmp/fmm-results; mkdir -p "$RES"
[ -f results/h100/tuning.txt ] && cp results/h100/tuning.txt "$RES/"
for run in "${runs[@]}"; do
  mapfile -t bench_args < <(printf '%s' "$run")
  step "benchmark: ${bench_args[*]}"
  "$BUILD/cli/fmm-bench" --out "$RES" "${bench_args[@]}"
  bs=$?
  echo "bench exit code: $bs"
  [ $bs -eq 0 ] || status=1
  # Package after every run, so a run cut short by the time limit still returns the earlier ones.
  (cd /tmp/fmm-results && tar czf "$OUT/results.tar.gz" h100)
  cp "$RES"/*.md "$OUT/" 2>/dev/null
  [ -f "$RES/tuning.txt" ] && cp "$RES/tuning.txt" "$OUT/"
done
nvidia-smi --query-gpu=clocks.sm,clocks.mem,power.draw,temperature.gpu --format=csv || true
echo "device_bench status: $status"
exit $status
