#!/usr/bin/env bash
# Long flip-graph runs on the device machine's 16 CPU cores (no GPU needed), from an `fmm`
# built here and carried with its one library the device lacks (libboost_program_options):
#   scripts/device_search.sh prepare        # here: copy build/cli/fmm and the library into .deps/
#   scripts/device_search.sh run SECONDS [all|mpi|555|666]   # there (device `run` with carry [".deps"]): the runs below
#   scripts/device_search.sh build          # there: build fmm with every core (needs Boost.Program_options there)
# 666: the symmetric <6,6,6> walk to rank 153 over GF(2), lifted to Z (issue 11), SECONDS of search
# in all, spread over calls: one device command may run 10 minutes, so each call stops itself
# after FMM_CALL_SECONDS (default 540) with a checkpoint (.device-state/666.ckpt, kept while the
# machine stays warm, and a copy in $OUT) and the next call resumes from it. If the machine was
# given back in between, put $OUT's 666.ckpt into .deps/ here before the next call.
# With MPI in the build, `prepare` also carries Debian's Open MPI runtime (libraries, plugins,
# help texts) so the same binary runs under mpirun there; `run` puts the plugin folders back at
# the absolute paths Debian's build looks in, only where nothing is there yet.
# Results land in $OUT (logs and a summary; schemes in schemes.tgz).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == prepare ]]; then
  mkdir -p .deps/bin .deps/lib
  cp build/cli/fmm .deps/bin/
  libs=$(ldd build/cli/fmm | awk '/=>/ {print $3}')
  if ldd build/cli/fmm | grep -q libmpi; then
    libs="$libs $(ldd /usr/bin/orterun | awk '/=>/ {print $3}')"
    for f in /usr/lib/x86_64-linux-gnu/openmpi/lib/openmpi3/*.so /usr/lib/x86_64-linux-gnu/pmix2/lib/pmix/*.so; do
      libs="$libs $(ldd "$f" | awk '/=>/ {print $3}')"
    done
    cp -rL /usr/lib/x86_64-linux-gnu/openmpi .deps/openmpi
    cp -rL /usr/lib/x86_64-linux-gnu/pmix2 .deps/pmix2
    cp -rL /usr/share/openmpi .deps/share-openmpi
    cp -rL /etc/openmpi .deps/etc-openmpi
    cp /usr/bin/orterun .deps/bin/mpirun
  fi
  # Everything but the C/C++ runtime and CUDA, which the device machine has.
  for lib in $(printf '%s\n' $libs | sort -u | grep -vE 'libc\.so|libm\.so|libstdc|libgcc_s|ld-linux|libdl\.so|libpthread|librt\.so|libcublas|libcudart'); do
    cp -L "$lib" .deps/lib/
  done
  exit 0
fi

seconds=${2:-240}
export LD_LIBRARY_PATH=$PWD/.deps/lib:${LD_LIBRARY_PATH:-}
if [[ -d .deps/openmpi ]]; then
  for pair in openmpi:/usr/lib/x86_64-linux-gnu/openmpi pmix2:/usr/lib/x86_64-linux-gnu/pmix2 \
              share-openmpi:/usr/share/openmpi etc-openmpi:/etc/openmpi; do
    [[ -e ${pair#*:} ]] || { mkdir -p "$(dirname "${pair#*:}")" && cp -r ".deps/${pair%%:*}" "${pair#*:}"; }
  done
fi
fmm=.deps/bin/fmm
if [[ "${1:-}" == build ]] || ! [[ -x $fmm ]]; then
  # Build here when asked, or when nothing was carried: the CLI needs Boost.Program_options.
  cmake -S . -B build-device-cpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DFMM_WITH_CUDA=OFF -DFMM_WITH_MPI=OFF \
    -DCMAKE_CXX_FLAGS=-march=native >/dev/null && ninja -C build-device-cpu -j "$(nproc)" fmm >/dev/null ||
    { echo "cannot build fmm here (Boost.Program_options missing?): run 'scripts/device_search.sh prepare' on a build machine and carry .deps"; exit 2; }
  fmm=build-device-cpu/cli/fmm
  [[ "${1:-}" == build ]] && { echo "built $fmm"; exit 0; }
fi
# The device machine has its own Open MPI (4.1.6, ABI-compatible with Debian's 4.1.4): use its
# mpirun, and its libraries rather than the carried ones (an orterun of one version with the
# ORTE/PMIx libraries of another fails to start ranks).
mpirun_cmd=.deps/bin/mpirun
if system_mpirun=$(command -v mpirun) && [[ $system_mpirun != $PWD/.deps/* ]]; then
  mpirun_cmd=$system_mpirun
  mkdir -p .deps/lib-mpi-aside
  mv .deps/lib/libmpi* .deps/lib/libopen-* .deps/lib/libpmix* .deps/lib-mpi-aside/ 2>/dev/null || true
fi
ldd $fmm | grep 'not found' && echo "warning: libraries missing for fmm (above)"
out=${OUT:-/tmp/out}
mkdir -p "$out/schemes"
nproc_here=$(nproc)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)" | tee "$out/machine.txt"
run() {  # name, then fmm search arguments
  local name=$1
  shift
  local start=$SECONDS
  $fmm search "$@" --out "$out/schemes" >"$out/$name.log" 2>&1 || true
  echo "$name: $((SECONDS - start)) s: $(grep -E 'done:' "$out/$name.log" | tail -n 1)" | tee -a "$out/summary.txt"
}
what=${3:-all}   # all | mpi | 555 | 666
if [[ $what == 666 ]]; then
  # The paper's <6,6,6> setting (its r6-153-1.txt): the order-6 group, cubes {1,2},{3,4},{5,6},
  # plus transitions up to rank 213 (fmm's defaults for n = 6, as the paper's code computes them); 4 walkers per core.
  mkdir -p .device-state
  ckpt=.device-state/666.ckpt
  [[ -f $ckpt ]] || { [[ -f .deps/666.ckpt ]] && cp .deps/666.ckpt "$ckpt"; } || true
  resume=()
  [[ -f $ckpt ]] && resume=(--resume) && echo "resuming from $ckpt" | tee -a "$out/summary.txt"
  start=$SECONDS
  timeout -s INT "${FMM_CALL_SECONDS:-540}" $fmm search --shape 6x6x6 --symmetric --symmetry 6 --threads "$nproc_here" \
    --time-limit "$seconds" --seed "${FMM_666_SEED:-1}" --target-rank 153 --lift --checkpoint "$ckpt" \
    --checkpoint-every 60 --out "$out/schemes" ${FMM_666_ARGS:-} "${resume[@]}" >>"$out/666.log" 2>&1 || true
  echo "666: $((SECONDS - start)) s this call: $(grep -E 'done:' "$out/666.log" | tail -n 1)" | tee -a "$out/summary.txt"
  grep -E 'new best|finished runs' "$out/666.log" | tail -n 4 | tee -a "$out/summary.txt" || true
  cp "$ckpt" "$out/666.ckpt" 2>/dev/null || true
fi
if [[ $what == all || $what == 555 ]]; then
  # FMM_555_ARGS adds options, e.g. "--from results/search/device/session2/5x5x5_r98_gf2.txt --seed 2".
  run 555_gf2 --shape 5x5x5 --field gf2 --threads "$nproc_here" --walkers 64 --plus-slack 5 --time-limit "$seconds" \
    --seed 1 --checkpoint "$out/555.ckpt" --checkpoint-every 60 ${FMM_555_ARGS:-}
fi
if [[ $what == all ]]; then
  run 555_gf2_symmetric --shape 5x5x5 --field gf2 --symmetric --threads "$nproc_here" --walkers 64 --time-limit "$seconds" --seed 1
  run 444_gf2 --shape 4x4x4 --field gf2 --threads "$nproc_here" --walkers 64 --time-limit 60 --seed 1 --target-rank 47 --lift
fi
# MPI scaling (issue: scale the search past one machine): the same 16 walkers and flip budget on
# 1..16 ranks, one thread each. The exchange is epoch-synchronous, so every run ends with the
# same schemes (the "best schemes" signature) and time-to-rank compares like for like.
if [[ ($what == all || $what == mpi) && -x $mpirun_cmd ]]; then
  for ranks in 1 2 4 8 16; do
    start=$SECONDS
    timeout 120 "$mpirun_cmd" --allow-run-as-root --oversubscribe -n "$ranks" -x LD_LIBRARY_PATH $fmm search --shape 4x4x4 --field gf2 \
      --walkers 16 --threads 1 --max-flips 480000000 --epoch-flips 1000000 --seed 1 >"$out/mpi_$ranks.log" 2>&1 || true
    echo "mpi ranks $ranks: $((SECONDS - start)) s: $(grep -E 'done:' "$out/mpi_$ranks.log" | tail -n 1)" | tee -a "$out/summary.txt"
    grep -E '^\[[^]]*\] (\[rank 0/[0-9]+\] )?new best' "$out/mpi_$ranks.log" | tail -n 3 | tee -a "$out/summary.txt" || true
  done
fi
cd "$out" && tar czf schemes.tgz schemes && rm -rf schemes
