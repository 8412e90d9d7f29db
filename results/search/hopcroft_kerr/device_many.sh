#!/usr/bin/env bash
# On the device machine (`run` with carry [".deps"], after `scripts/device_search.sh prepare` here):
# builds the Hopcroft-Kerr schemes of the given formats PxN (<P,2,N>) in parallel, one format per
# core, each for at most HK_SECONDS (default 540) of wall time; schemes and the log land in $OUT.
#   results/search/hopcroft_kerr/device_many.sh 9x10 9x11 10x12 ...
set -uo pipefail
cd "$(dirname "$0")/../../.."
export LD_LIBRARY_PATH=$PWD/.deps/lib:${LD_LIBRARY_PATH:-}
out=${OUT:-/tmp/hk_out}
mkdir -p "$out/schemes"
nproc > "$out/machine.txt"; /usr/bin/python3 -c 'import numpy; print("numpy", numpy.__version__)' >> "$out/machine.txt" 2>&1
printf '%s\n' "$@" | xargs -P "$(nproc)" -I{} timeout "${HK_SECONDS:-540}" env HK_OUT="$out/schemes" \
  results/search/hopcroft_kerr/make_schemes.sh .deps/bin/fmm 16 {} >>"$out/hk.log" 2>&1
ls "$out/schemes" | tee -a "$out/summary.txt"
