// `fmm bench`: cuBLAS against fast-matrix-multiplication candidates on one GPU, in the manner
// of cutlass_profiler. The program fmm-bench (cli/bench_main.cpp) parses the options and calls
// run_bench; `fmm bench` runs that program.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fmm::gpu {

struct BenchArgs {
  std::vector<std::string> schemes{"strassen"};
  std::vector<int> levels{1, 2};
  std::vector<long long> sizes;                     // square N
  std::vector<std::vector<long long>> shapes;       // M, N, K
  std::vector<std::string> precisions{"f32"};
  int repeats = 10;
  int warmup = 2;
  double min_sample_ms = 1.0;  // a timed sample is a batch of launches at least this long (0: one launch)
  unsigned long long seed = 1;
  std::string out;          // default results/<gpu-slug>/
  std::string name = "bench";
  std::vector<std::string> leaf_modes{"batched"};  // batched, loop
  bool tune = false;
  double noise_margin = 0.03;  // a candidate must beat cuBLAS by this fraction to be tuned in
  double max_workspace_gib = 0;  // 0: as much as is free
  double workspace_fraction = 0.25;  // of the bytes of A, B and C; 0: no fraction limit
  bool auto_candidate = false;       // add fmm::gemm itself (the tuned dispatch) as a row
  std::string tuning;                // its tuning table (default: the one compiled in)
  bool fast = true;                  // add the fast candidates (--schemes); --only-auto drops them
  bool phases = true;                // one extra run per fast candidate with phase events
  int sample_side = 64;          // sampled extended-precision check: side x side entries; 0 off
};

// The whole command: returns the process exit code (0 ok, 1 some row incorrect, 2 bad
// arguments or no GPU). Errors go to stderr, the summary table to stdout. `command` is the
// command line recorded in the reports.
int run_bench(const BenchArgs& args, const std::string& command);

// "NVIDIA H100 80GB HBM3" -> "h100" (the results folder name); other names are slugged.
std::string gpu_slug(const std::string& gpu_name);

}  // namespace fmm::gpu
