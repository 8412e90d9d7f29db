#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, address + undefined sanitizers) and
# runs each for a bounded time: its committed corpus replayed, then a fresh run of SECONDS
# (default 30) that starts from that corpus, seeded by FMM_FUZZ_SEED (default 1: CI explores the
# same inputs each time, so a red run is reproducible). New inputs go to a scratch directory, crashes to
# build-fuzz/artifacts/. Exits 0 with a message when clang or libFuzzer is missing (Debian:
# apt-get install clang libclang-rt-14-dev, or scripts/install_deps.sh --fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
if ! command -v clang++ >/dev/null; then
  echo "fmm fuzz: clang++ not found: fuzz targets skipped (scripts/install_deps.sh --fuzz installs it)"
  exit 0
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' >"$probe/p.cpp"
if ! clang++ -fsanitize=fuzzer "$probe/p.cpp" -o "$probe/p" 2>/dev/null; then
  echo "fmm fuzz: clang++ cannot link libFuzzer (Debian: libclang-rt-14-dev): fuzz targets skipped"
  exit 0
fi
cmake --preset fuzz >/dev/null
targets=(native json exp npz)
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
mkdir -p build-fuzz/artifacts
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for f in "${targets[@]}"; do
  corpus=tests/fuzz/corpus/$f
  fresh=$(mktemp -d)
  echo "fmm fuzz: $f: replaying $(ls "$corpus" | wc -l) corpus inputs, then ${seconds} s of fresh inputs"
  log=build-fuzz/artifacts/$f.log
  if ! build-fuzz/tests/tensor/fuzz_$f -runs=0 -artifact_prefix=build-fuzz/artifacts/$f- "$corpus" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fmm fuzz: $f failed on its committed corpus" >&2
    exit 1
  fi
  if ! build-fuzz/tests/tensor/fuzz_$f -max_total_time="$seconds" -seed="${FMM_FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/$f- "$fresh" "$corpus" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fmm fuzz: $f failed; the input is in build-fuzz/artifacts/" >&2
    exit 1
  fi
  grep -E "stat::(number_of_executed_units|new_units_added|peak_rss_mb)" "$log" | sed "s/^/fmm fuzz: $f: /"
  rm -rf "$fresh"
done
echo "fmm fuzz: all ${#targets[@]} targets ran clean"
