#!/usr/bin/env bash
# Long flip-graph runs on the device machine's 16 CPU cores (no GPU needed), from an `fmm`
# built here and carried with its one library the device lacks (libboost_program_options):
#   scripts/device_search.sh prepare        # here: copy build/cli/fmm (or $FMM_PREPARE_FROM) and its libraries into .deps/
#   scripts/device_search.sh run SECONDS [all|mpi|555|666|666-gpu|campaign|prize|train|gpu-search|bud-scan]   # there (device `run` with carry [".deps"]): the runs below
#   scripts/device_search.sh build          # there: build fmm with every core (needs Boost.Program_options there)
# 666: the symmetric <6,6,6> walk to rank 153 over GF(2), lifted to Z (issue 11), SECONDS of search
# in all, spread over calls: one device command may run 10 minutes, so each call stops itself
# after FMM_CALL_SECONDS (default 540) with a checkpoint (.device-state/666.ckpt, kept while the
# machine stays warm, and a gzipped copy in $OUT) and the next call resumes from it. If the machine
# was given back in between, gunzip $OUT's 666.ckpt.gz into .deps/666.ckpt here before the next
# call. `666-gpu`: the same on the GPU's symmetric walker bank (666_gpu.ckpt) and the other cores.
# Other <n,n,n> in both: FMM_SYM_N=7 (checkpoints 777.ckpt, 777_gpu.ckpt), FMM_SYM_ORDER and
# FMM_SYM_GPU_ORDER (--symmetry, default 6), FMM_SYM_TARGET (default 153 for n = 6, else none).
# `campaign` continues the committed campaign (results/search/campaign/, fmm campaign) for SECONDS
# on every core: FMM_CAMPAIGN_PARALLEL formats at once (default: one per core, one thread each),
# FMM_CAMPAIGN_SECONDS per format and round (default 60), the formats FMM_CAMPAIGN_FORMATS
# (default all8), FMM_CAMPAIGN_FOCUS (walk only that many of the smallest unmet formats a round,
# default 0 = all); the state comes back as $OUT/campaign.tgz with $OUT/frontier.md and the log.
# Back here:
#   tar xzf FILES_AT/campaign.tgz -C /tmp && build/cli/fmm campaign --state results/search/campaign \
#     --merge /tmp/campaign --report-only --report results/search/frontier.md
# `prize` aims past the known ranks: a fresh campaign whose parts are published schemes (every
# *.txt under FMM_CAMPAIGN_IMPORT, e.g. ../shared/reference copied into the carried .dev/reference),
# walking the formats whose best known rank is only a construction of smaller best schemes
# (FMM_CAMPAIGN_FORMATS overrides the list), --keep-going; returns prize.tgz with what it found
# (best.tsv and the non-imported schemes) and frontier.md, where "record!" marks a new record.
# Dry run here: OUT=/tmp/out scripts/device_search.sh run 60 campaign (after `prepare`).
# With MPI in the build, `prepare` also carries Debian's Open MPI runtime (libraries, plugins,
# help texts) so the same binary runs under mpirun there; `run` puts the plugin folders back at
# the absolute paths Debian's build looks in, only where nothing is there yet.
# Results land in $OUT (logs and a summary; schemes in schemes.tgz).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == prepare ]]; then
  # FMM_PREPARE_FROM: the fmm binary to carry (default build/cli/fmm; e.g. build-cpu/cli/fmm).
  src=${FMM_PREPARE_FROM:-build/cli/fmm}
  [[ -x $src ]] || { echo "prepare: no fmm binary at $src (build it, or set FMM_PREPARE_FROM)"; exit 2; }
  mkdir -p .deps/bin .deps/lib
  cp "$src" .deps/bin/
  strip .deps/bin/fmm 2>/dev/null || true
  # The GPU walk plugin of a CUDA build, next to fmm, xz-compressed (18 MB -> 3 MB: the tree and
  # what is carried must stay under the device tool's 64 MiB); the device scripts unpack it.
  plugin=$(dirname "$src")/libfmm_gpu_walk.so
  if [[ -f $plugin ]]; then xz -9 -T0 -c "$plugin" > .deps/bin/libfmm_gpu_walk.so.xz; fi
  libs=$(ldd "$src" | awk '/=>/ {print $3}')
  if ldd "$src" | grep -q libmpi; then
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
if [[ -f .deps/bin/libfmm_gpu_walk.so.xz && ! -f .deps/bin/libfmm_gpu_walk.so ]]; then xz -dk .deps/bin/libfmm_gpu_walk.so.xz; fi
if [[ -d .deps/openmpi ]]; then
  for pair in openmpi:/usr/lib/x86_64-linux-gnu/openmpi pmix2:/usr/lib/x86_64-linux-gnu/pmix2 \
              share-openmpi:/usr/share/openmpi etc-openmpi:/etc/openmpi; do
    [[ -e ${pair#*:} ]] || { mkdir -p "$(dirname "${pair#*:}")" && cp -r ".deps/${pair%%:*}" "${pair#*:}"; }
  done
fi
# FMM names another binary (as in device_env.sh), e.g. build/cli/fmm for a run on another machine.
fmm=${FMM:-.deps/bin/fmm}
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
what=${3:-all}   # all | mpi | 555 | 666 | 666-gpu | campaign | prize | train | gpu-search | bud-scan
if [[ $what == train ]]; then
  # Issue 16's training budget on every core: FMM_TRAIN_KIND (small-gf2, small-z or 333-gf2 of
  # results/search/learned/train.sh) for FMM_TRAIN_CPU_SECONDS of CPU (default 7200: one hour of
  # the 2-core machine), capped at 90% of SECONDS of wall time. Model, curve and log come back.
  kind=${FMM_TRAIN_KIND:-small-gf2}
  name=${kind//-/_}
  FMM=$fmm WORK="$out/full" THREADS=$nproc_here TIME=$(( seconds * 9 / 10 )) CPU_TIME=${FMM_TRAIN_CPU_SECONDS:-7200} \
    results/search/learned/train.sh "$kind" || true
  cp "results/search/learned/$name.log" "results/search/learned/$name.csv" results/search/models/"$name"*.fmmnet "$out/" || true
  rm -rf "$out/full"
  tail -n 3 "$out/$name.log" | tee -a "$out/summary.txt"
  exit 0
fi
if [[ $what == campaign || $what == prize ]]; then
  parallel=${FMM_CAMPAIGN_PARALLEL:-$nproc_here}   # formats walked at once, one shared state
  per_format=${FMM_CAMPAIGN_SECONDS:-60}
  campaign_seed=${FMM_CAMPAIGN_SEED:-$(date +%s)}  # another seed than earlier sessions: other walks
  work=$(mktemp -d)
  extra=()
  # FMM_CAMPAIGN_BACKEND=gpu: the GF(2) walks on the GPU (libfmm_gpu_walk.so carried next to fmm,
  # results/search/gpu_walk/README.md), the {-1,0,1} and symmetric walks on the cores.
  [[ -n ${FMM_CAMPAIGN_BACKEND:-} ]] && extra+=(--backend "$FMM_CAMPAIGN_BACKEND")
  # FMM_CAMPAIGN_TERNARY_BACKEND=cpu: the {-1,0,1} walks on the cores all the same (when many
  # formats at once share the GPU).
  [[ -n ${FMM_CAMPAIGN_TERNARY_BACKEND:-} ]] && extra+=(--ternary-backend "$FMM_CAMPAIGN_TERNARY_BACKEND")
  if [[ $what == campaign ]]; then
    formats=${FMM_CAMPAIGN_FORMATS:-all8}
    mkdir -p results/search/campaign
    cp -r results/search/campaign "$work/campaign"
  else
    # Formats whose best known rank is a block sum or Kronecker product of best known schemes
    # (data/known_ranks, snapshot 2026-07-02) and that the 64-bit walk holds: a walk from that
    # construction that finds one product less is a new record.
    formats=${FMM_CAMPAIGN_FORMATS:-3x6x8,3x7x8,3x8x8,4x6x8,6x6x8,3x3x12,3x3x13,3x3x14,3x3x15,3x4x9,3x4x10,3x4x11,3x4x12,3x4x13,3x4x14,3x4x15,3x4x16,3x5x11,3x5x12,3x6x9,3x6x10,4x6x9,4x6x10,4x7x9,5x7x9,6x6x9,6x6x10}
    [[ -d ${FMM_CAMPAIGN_IMPORT:-} ]] || { echo "prize: FMM_CAMPAIGN_IMPORT must name a carried folder of published schemes"; exit 2; }
    extra+=(--import "$FMM_CAMPAIGN_IMPORT" --keep-going)
    mkdir -p "$work/campaign"
  fi
  # Under SECONDS by a margin: after the deadline a lift already running finishes, then the
  # report and the archive follow (a device command that runs past its limit returns nothing).
  $fmm campaign --state "$work/campaign" --formats "$formats" --seconds "$per_format" --rounds 1000000 \
    --threads "$nproc_here" --parallel "$parallel" --seed "$campaign_seed" --focus "${FMM_CAMPAIGN_FOCUS:-0}" "${extra[@]}" \
    --stop-after "$(( seconds > 120 ? seconds * 9 / 10 : seconds > 40 ? seconds - 15 : seconds ))" --report "$out/frontier.md" >"$out/campaign.out" 2>&1 || true
  grep -m1 'of 84' "$out/frontier.md" | tee -a "$out/summary.txt"
  grep -F 'record!' "$out/frontier.md" | tee -a "$out/summary.txt" || true
  cp "$work/campaign/log.txt" "$out/campaign_log.txt"
  if [[ $what == campaign ]]; then
    tar czf "$out/campaign.tgz" -C "$work" campaign
  else
    # Only what the run found (not the imported schemes).
    (cd "$work/campaign" && awk -F'\t' 'NR > 3 && $4 !~ /^imported/ {print "schemes/" $1}' best.tsv |
      tar czf "$out/prize.tgz" best.tsv -T -)
  fi
  rm -rf "$work" "$out/schemes"
  exit 0
fi
# One symmetric <n,n,n> lottery walk (n = FMM_SYM_N, default 6) that resumes from
# .device-state/NAME.ckpt (or a carried .deps/NAME.ckpt) and stops itself after FMM_CALL_SECONDS;
# name, seed, --symmetry order, then fmm search options.
sym_n=${FMM_SYM_N:-6}
sym_tag=$sym_n$sym_n$sym_n
sym_target=${FMM_SYM_TARGET:-$([[ $sym_n == 6 ]] && echo 153 || echo 0)}
walk_sym() {
  local name=$1 seed=$2 order=$3
  shift 3
  mkdir -p .device-state
  local ckpt=.device-state/$name.ckpt resume=() start=$SECONDS
  [[ -f $ckpt ]] || { [[ -f .deps/$name.ckpt ]] && cp .deps/$name.ckpt "$ckpt"; } || true
  [[ -f $ckpt ]] && resume=(--resume) && echo "$name: resuming from $ckpt" | tee -a "$out/summary.txt"
  # --time-limit counts the checkpoint's seconds: SECONDS is the whole campaign's, not this call's.
  timeout -s INT "${FMM_CALL_SECONDS:-540}" $fmm search --shape "${sym_n}x${sym_n}x${sym_n}" --symmetric --symmetry "$order" \
    --time-limit "$seconds" --seed "$seed" --target-rank "$sym_target" --lift --checkpoint "$ckpt" --checkpoint-every 60 \
    --out "$out/schemes_$name" ${FMM_666_ARGS:-} "$@" "${resume[@]}" >>"$out/$name.log" 2>&1 || true
  echo "$name: $((SECONDS - start)) s this call: $(grep -E 'done:' "$out/$name.log" | tail -n 1)" | tee -a "$out/summary.txt"
  grep -E 'new best|finished runs' "$out/$name.log" | tail -n 4 | tee -a "$out/summary.txt" || true
  if [[ -f $ckpt ]]; then gzip -c "$ckpt" > "$out/$name.ckpt.gz"; fi
}
if [[ $what == 666 ]]; then
  # The paper's <6,6,6> setting (its r6-153-1.txt): the order-6 group, cubes {1,2},{3,4},{5,6},
  # plus transitions up to rank 213 (fmm's defaults for n = 6, as the paper's code computes them); 4 walkers per core.
  walk_sym "$sym_tag" "${FMM_666_SEED:-1}" "${FMM_SYM_ORDER:-6}" --threads "$nproc_here"
fi
if [[ $what == 666-gpu ]]; then
  # The same setting on the GPU's walker bank (--backend gpu, libfmm_gpu_walk.so carried next to
  # fmm; checkpoint 666_gpu.ckpt), and beside it the CPU walk on the other cores (666.ckpt).
  # FMM_666_GPU_ARGS adds options to the GPU walk only (e.g. --give-up-above 183:20800000).
  walk_sym "${sym_tag}_gpu" "${FMM_666_GPU_SEED:-11}" "${FMM_SYM_GPU_ORDER:-${FMM_SYM_ORDER:-6}}" --backend gpu ${FMM_666_GPU_ARGS:-} &
  walk_sym "$sym_tag" "${FMM_666_SEED:-1}" "${FMM_SYM_ORDER:-6}" --threads $(( nproc_here - 1 ))
  wait
fi
(cd "$out" && for d in schemes_${sym_tag}*; do [[ -d $d ]] && tar czf "$d.tgz" "$d" && rm -rf "$d"; done) 2>/dev/null || true
if [[ $what == bud-scan ]]; then
  # results/search/buds/scan.py on every core with FMM_SCAN_ARGS (e.g. "--targets beyond8 --within 0
  # --shard 0/2"); the walks stop starting at 60% of SECONDS so that the constructions fit. Returns
  # $OUT/budscan.tgz: walks.tsv, starts.tsv, the starts that beat ours and the walked outer schemes
  # they use (file them by hand into results/search/campaign/outer/).
  scan=$(mktemp -d)
  timeout $(( seconds - 10 )) python3 results/search/buds/scan.py --fmm "$fmm" --out "$scan" --jobs "$nproc_here" \
    --walk-seconds $(( seconds * 6 / 10 )) ${FMM_SCAN_ARGS:-} >"$out/scan.log" 2>&1 || echo "scan: rc $?" >>"$out/scan.log"
  used=$(grep -ho "$scan/walked/[^ )]*" "$scan/starts.tsv" 2>/dev/null | sort -u | sed "s|$scan/||" || true)
  touch "$scan/walks.tsv" "$scan/starts.tsv"  # a scan cut short still returns what it has
  (cd "$scan" && tar czf "$out/budscan.tgz" walks.tsv starts.tsv $(ls start_*.txt 2>/dev/null) $used)
  tail -n 20 "$out/scan.log" | tee -a "$out/summary.txt"
  exit 0
fi
if [[ $what == gpu-search ]]; then
  # One search on the GPU bank (results/search/gpu_walk/README.md) with FMM_SEARCH_ARGS, e.g.
  # "--shape 4x4x4 --field gf2 --target-rank 47 --lift --seed 1"; 15 s are kept for the last lifts.
  run gpu_search --backend gpu --time-limit "$(( seconds > 60 ? seconds - 15 : seconds ))" ${FMM_SEARCH_ARGS:?set FMM_SEARCH_ARGS}
  grep -E 'new best' "$out/gpu_search.log" | tail -n 4 | tee -a "$out/summary.txt" || true
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
if [[ -d $out/schemes ]]; then cd "$out" && tar czf schemes.tgz schemes && rm -rf schemes; fi
