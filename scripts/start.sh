#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build, and run the main job:
# a search that ends in a verified scheme, then CUDA and C++ code generated from it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
scripts/build.sh
exec scripts/main_job.sh
