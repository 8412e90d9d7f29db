#!/usr/bin/env bash
# Builds everything with the address and undefined-behaviour sanitizers (the `sanitize`
# preset: CPU only, RelWithDebInfo, in build-sanitize/) and runs the test suite there, less
# two parts that the normal run covers and that cost most of the sanitized time without
# exercising other code: the consumer tests (label `consumer`: an install and a whole external
# CMake build, 200 s sanitized) and the C++ twins of the codegen test schemes (not built by the
# preset: their build-time generator, sanitized, took 15 minutes). Each test may run 15 minutes
# at most, so that a hang fails the stage instead of the whole CI's time.
# Any sanitizer report fails the run. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize -j "$(nproc)"
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --preset sanitize -j "$(nproc)" -LE consumer --timeout 900 "$@"
