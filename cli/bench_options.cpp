#include "cli/bench_options.hpp"

#include "cli/options.hpp"
#include "tensor/error.hpp"

namespace fmm::cli {

namespace {

template <class T>
std::vector<T> positive(const std::vector<T>& values, const char* option) {
  for (const T& v : values)
    if (v <= 0) throw Error(std::string("--") + option + " expects positive integers, got " + std::to_string(v));
  return values;
}

}  // namespace

std::optional<gpu::BenchArgs> parse_bench_options(int argc, char** argv, const std::string& epilog) {
  gpu::BenchArgs a;
  po::options_description opts("fmm bench options (LIST: comma-separated)");
  opts.add_options()
      ("schemes", po::value<CommaList<std::string>>()->value_name("LIST"),
       "schemes: builtin names (strassen, winograd, laderman) or scheme files; 'name^L' fixes the levels, "
       "'a+b' is a two-level plan written out (default strassen)")
      ("levels", po::value<CommaList<int>>()->value_name("LIST"), "recursion levels for each single scheme (default 1,2)")
      ("sizes", po::value<CommaList<long long>>()->value_name("LIST"), "square sizes N (M=N=K)")
      ("shapes", po::value<CommaList<GemmShape>>()->value_name("LIST"),
       "shapes MxNxK (column-major C = A B, A MxK, B KxN)")
      ("precision", po::value<CommaList<std::string>>()->value_name("LIST"), "f32, f64, tf32, bf16 (default f32)")
      ("repeats", po::value(&a.repeats)->default_value(a.repeats), "timed runs per row, median reported")
      ("warmup", po::value(&a.warmup)->default_value(a.warmup), "untimed runs first")
      ("min-sample-ms", po::value(&a.min_sample_ms)->default_value(a.min_sample_ms),
       "a timed sample is a batch of back-to-back launches lasting at least this many ms, divided by its "
       "launches (0: every launch timed alone)")
      ("seed", po::value(&a.seed)->default_value(a.seed), "input seed")
      ("out", po::value(&a.out)->value_name("DIR"), "output folder (default results/<gpu>/)")
      ("name", po::value(&a.name)->default_value(a.name), "file stem of the reports")
      ("leaf", po::value<CommaList<std::string>>()->value_name("LIST"),
       "leaf products as one batched call (batched), one call each (loop), and/or one call each overlapped with "
       "the operand and C passes of the neighbouring chunks on a second stream (pipe) (default batched)")
      ("tune", po::bool_switch(&a.tune),
       "also write DIR/tuning.txt for fmm::gemm (merged with an existing one): per shape the fastest passed "
       "candidate whose error is within 3x cuBLAS's (tf32) or 10x (other precisions), if it beats cuBLAS by the "
       "noise margin; else cublas")
      ("noise-margin", po::value(&a.noise_margin)->default_value(a.noise_margin),
       "fraction a candidate must beat cuBLAS by to be tuned in")
      ("max-workspace-gib", po::value(&a.max_workspace_gib)->default_value(a.max_workspace_gib),
       "cap on a candidate's workspace (0: what is free)")
      ("workspace-fraction", po::value(&a.workspace_fraction)->default_value(a.workspace_fraction),
       "cap on a candidate's workspace as a fraction of the bytes of A, B and C (0: no such cap)")
      ("auto", po::bool_switch(&a.auto_candidate), "also time fmm::gemm itself (dispatch by the tuning table, cuBLAS fallback)")
      ("only-auto", po::bool_switch(), "cuBLAS and fmm::gemm only (no --schemes candidates)")
      ("tuning", po::value(&a.tuning)->value_name("FILE"),
       "the tuning table for --auto (default: the one compiled into this build)")
      ("no-phases", po::bool_switch(), "skip the extra run that times sums / leaf GEMM / combine")
      ("sample", po::value(&a.sample_side)->default_value(a.sample_side),
       "sampled check: S random rows x S random columns of C against dot products in double-double on the "
       "host (0 off); seed = 1000*seed + 999");
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm bench [options]\n\n"
                     "Times cuBLAS and fast-matrix-multiplication candidates on this GPU; every row is checked\n"
                     "against an FP64 reference (and, for f64, a sampled extended-precision one) before its time counts.",
                     opts, {}, vm, nullptr, epilog))
    return std::nullopt;
  auto list = [&](const char* name) { return vm[name].as<CommaList<std::string>>().items; };
  if (vm.count("schemes")) a.schemes = list("schemes");
  if (vm.count("precision")) a.precisions = list("precision");
  if (vm.count("leaf")) a.leaf_modes = list("leaf");
  if (vm.count("levels")) a.levels = positive(vm["levels"].as<CommaList<int>>().items, "levels");
  if (vm.count("sizes")) a.sizes = positive(vm["sizes"].as<CommaList<long long>>().items, "sizes");
  if (vm.count("shapes"))
    for (const GemmShape& s : vm["shapes"].as<CommaList<GemmShape>>().items)
      a.shapes.push_back(positive(std::vector<long long>{s.m, s.n, s.k}, "shapes"));
  if (vm["only-auto"].as<bool>()) {
    a.auto_candidate = true;
    a.fast = false;
  }
  if (vm["no-phases"].as<bool>()) a.phases = false;
  for (const std::string& m : a.leaf_modes)
    if (m != "batched" && m != "loop" && m != "pipe")
      throw Error("--leaf expects batched, loop and/or pipe, got '" + m + "'");
  if (!(a.workspace_fraction >= 0) || !(a.noise_margin >= 0) || !(a.max_workspace_gib >= 0))
    throw Error("--workspace-fraction, --noise-margin and --max-workspace-gib expect numbers >= 0");
  if (a.repeats <= 0) throw Error("--repeats expects a positive integer");
  if (!(a.min_sample_ms >= 0) || a.min_sample_ms > 1000) throw Error("--min-sample-ms expects a number from 0 to 1000");
  if (a.warmup < 0 || a.sample_side < 0) throw Error("--warmup and --sample expect integers >= 0");
  if (a.sizes.empty() && a.shapes.empty()) throw Error("give --sizes and/or --shapes (see --help)");
  return a;
}

}  // namespace fmm::cli
