// The options of `fmm bench` (the program fmm-bench), parsed with Boost.Program_options into the
// GPU benchmark's arguments. No CUDA here: the parse is tested on every machine.
#pragma once

#include <optional>
#include <string>

#include "gpu/bench.hpp"

namespace fmm::cli {

// nullopt after --help or --version was printed. Throws fmm::Error on bad usage. `epilog`
// closes the help text (the generated kernels of this build).
std::optional<gpu::BenchArgs> parse_bench_options(int argc, char** argv, const std::string& epilog = "");

}  // namespace fmm::cli
