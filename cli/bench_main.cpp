// fmm-bench: the GPU benchmark program (`fmm bench` runs it). Kept apart from fmm so that only
// this program loads the CUDA runtime and cuBLAS.
#include "cli/bench_options.hpp"
#include "cli/options.hpp"
#include "gpu/generated_candidates.hpp"

namespace {

int bench(int argc, char** argv) {
  const auto args = fmm::cli::parse_bench_options(
      argc, argv, "Generated kernels in this build (rows marked gen): " + fmm::gpu::generated_kernel_list());
  if (!args) return 0;
  std::string command = "fmm bench";
  for (int i = 1; i < argc; ++i) command += std::string(" ") + argv[i];
  return fmm::gpu::run_bench(*args, command);
}

}  // namespace

int main(int argc, char** argv) { return fmm::cli::run_command("fmm bench", bench, argc, argv); }
