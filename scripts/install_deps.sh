#!/usr/bin/env bash
# Installs what fmm needs to build on Debian 12 (run as root); does nothing for what is
# already there, so it is safe to run every time. scripts/install_deps.sh --fuzz adds clang and
# libFuzzer for the fuzz targets. CUDA is not installed here: when nvcc is
# on the machine (or in /usr/local/cuda/bin) the GPU parts are built, otherwise they are skipped.
set -euo pipefail

packages=(build-essential cmake ninja-build git libeigen3-dev libboost-program-options-dev doctest-dev nlohmann-json3-dev libm4ri-dev
          zlib1g-dev libopenmpi-dev openmpi-bin)
# --fuzz: also clang and its libFuzzer runtime, for scripts/fuzz.sh (CI runs it).
if [[ ${1:-} == --fuzz ]]; then
  packages+=(clang libclang-rt-14-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "fmm: missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "fmm: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
