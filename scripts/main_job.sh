#!/usr/bin/env bash
# The main job on an already built tree: search <3,3,3> from the standard algorithm down to
# Laderman's rank 23 over GF(2), lift it to the integers, verify it, and generate code from it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${FMM_OUT:-out}
mkdir -p "$out"
fmm=build/cli/fmm
$fmm verify strassen laderman
$fmm info strassen
