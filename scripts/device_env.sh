# Sourced (not run) by the device scripts that run the fmm carried in .deps/ (after
# `scripts/device_search.sh prepare`), from the repository root: sets `out` ($OUT, which the
# device tool sets), the path to the carried libraries, `fmm` (FMM overrides it, e.g.
# build/cli/fmm for a run on another machine), and records git.txt and machine.txt in $out.
out=${OUT:?run through the device tool, which sets OUT}
export LD_LIBRARY_PATH=$PWD/.deps/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fmm=${FMM:-$PWD/.deps/bin/fmm}
# `device_search.sh prepare` carries the GPU walk plugin xz-compressed.
if [[ -f .deps/bin/libfmm_gpu_walk.so.xz && ! -f .deps/bin/libfmm_gpu_walk.so ]]; then xz -dk .deps/bin/libfmm_gpu_walk.so.xz; fi
git rev-parse --short=12 HEAD > "$out/git.txt" 2>/dev/null || true
{ echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"; nvidia-smi -L 2>/dev/null; } > "$out/machine.txt"
