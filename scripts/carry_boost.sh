#!/usr/bin/env bash
# Packs what a machine without Boost.Program_options (the GPU machine) needs to build fmm's
# programs: Debian's static libboost_program_options.a, its CMake package files and the Boost
# headers our sources include (closure from g++ -M, plus boost/config), into .deps/boost/ in the
# same layout as /usr, so that there
#   cmake ... -DFMM_STATIC_BOOST=ON -DBoost_DIR=$PWD/.deps/boost/lib/x86_64-linux-gnu/cmake/Boost-1.74.0
# builds against exactly these headers and library (never a mix with another Boost version).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.deps/boost
multiarch=lib/x86_64-linux-gnu
rm -rf "$dest"
mkdir -p "$dest/include" "$dest/$multiarch/cmake"
# Every Boost header the sources that use Boost reach (CUDA headers only satisfy includes).
headers=$(g++ -std=c++20 -M -MG -I. -I/usr/local/cuda/include -Ibuild/generated cli/options.cpp cli/bench_options.cpp \
            cli/main.cpp cli/cmd_*.cpp 2>/dev/null | tr ' \\' '\n\n' | grep '^/usr/include/boost/' | sort -u)
[[ -n "$headers" ]] || { echo "carry_boost: found no Boost headers (is libboost-program-options-dev installed?)" >&2; exit 1; }
for h in $headers; do
  mkdir -p "$dest/include/$(dirname "${h#/usr/include/}")"
  cp "$h" "$dest/include/${h#/usr/include/}"
done
cp -r /usr/include/boost/config "$dest/include/boost/"
cp /usr/$multiarch/libboost_program_options.a "$dest/$multiarch/"
for d in Boost-1.74.0 boost_headers-1.74.0 boost_program_options-1.74.0; do
  cp -r /usr/$multiarch/cmake/$d "$dest/$multiarch/cmake/"
done
cp /usr/$multiarch/cmake/BoostDetectToolset-1.74.0.cmake "$dest/$multiarch/cmake/"
echo "carry_boost: $(find "$dest" -type f | wc -l) files, $(du -sh "$dest" | cut -f1) in $dest"
