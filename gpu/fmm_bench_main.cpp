// `fmm-bench`: the `fmm bench` command as its own program, so a GPU machine without
// Boost.Program_options (no fmm CLI) can still run it. Same options: fmm-bench --help.
#include "gpu/bench.hpp"

int main(int argc, char** argv) { return fmm::gpu::bench_main(argc, argv); }
