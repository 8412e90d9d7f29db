#!/usr/bin/env bash
# Builds everything with the address and undefined-behaviour sanitizers (the `sanitize`
# preset: CPU only, RelWithDebInfo, in build-sanitize/) and runs the whole test suite there.
# Any sanitizer report fails the run. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize -j "$(nproc)"
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --preset sanitize -j "$(nproc)" "$@"
