// `fmm bench`: forwards to the Boost-free benchmark in fmm::gpu (it has its own small parser,
// shared with the standalone fmm-bench driver that GPU machines without Boost build).
#include <iostream>

#include "cli/commands.hpp"
#ifdef FMM_HAVE_CUDA
#include "gpu/bench.hpp"
#endif

namespace fmm::cli {

int cmd_bench(int argc, char** argv) {
#ifdef FMM_HAVE_CUDA
  return fmm::gpu::bench_main(argc, argv);
#else
  (void)argc;
  (void)argv;
  std::cerr << "fmm bench: this fmm was built without CUDA (nvcc not found at configure time)\n";
  return 2;
#endif
}

}  // namespace fmm::cli
