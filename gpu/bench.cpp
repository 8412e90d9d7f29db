#include "gpu/bench.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "gpu/blas.hpp"
#include "gpu/candidate.hpp"
#include "gpu/cuda_check.hpp"
#include "gpu/device_info.hpp"
#include "gpu/fmm_plan.hpp"
#include "gpu/gemm.hpp"
#include "gpu/generated_candidates.hpp"
#include "gpu/measure.hpp"
#include "gpu/report.hpp"
#include "gpu/tuning_table.hpp"
#include "tensor/error.hpp"
#include "tensor/io/safe_write.hpp"

namespace fmm::gpu {

std::string gpu_slug(const std::string& gpu_name) {
  std::string lower;
  for (char c : gpu_name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* known : {"h100", "h200", "a100", "b200", "l40s", "l4", "a10"})
    if (lower.find(known) != std::string::npos) return known;
  std::string slug;
  for (char c : lower) slug += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return slug.empty() ? "gpu" : slug;
}

namespace {

struct Handles {
  cudaStream_t stream = nullptr;
  cublasHandle_t blas = nullptr;
  Handles() {
    FMM_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    FMM_CUBLAS_CHECK(cublasCreate(&blas));
    FMM_CUBLAS_CHECK(cublasSetStream(blas, stream));
  }
  ~Handles() {
    if (blas) cublasDestroy(blas);
    if (stream) cudaStreamDestroy(stream);
  }
};

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

void print_row(std::ostream& out, const BenchRow& r) {
  out << std::left << std::setw(5) << to_string(r.precision) << std::setw(20) << r.shape_label() << std::setw(22)
      << (r.candidate + (r.impl == "generated" ? "(gen)" : "")) << std::setw(14) << to_string(r.m.status);
  if (r.timed()) {
    out << std::right << std::setw(11) << fixed(r.m.median_ms, 3) << " ms " << std::setw(8) << fixed(r.tflops(), 2)
        << " TF/s " << std::setw(7) << (r.speedup() > 0 ? fixed(r.speedup(), 3) + "x" : "-") << "  err "
        << std::scientific << std::setprecision(2) << r.m.error.rel_frobenius << " sampled "
        << r.m.sampled_error.rel_frobenius << std::defaultfloat;
    if (std::isfinite(r.m.leaf_gemm_ms))
      out << "  [sums " << fixed(r.m.form_ms, 2) << " leaf " << fixed(r.m.leaf_gemm_ms, 2) << " (" << fixed(r.m.leaf_tflops, 1)
          << " TF/s) combine " << fixed(r.m.combine_ms, 2) << " ms]";
  } else {
    out << r.m.note;
  }
  out << "\n";
}

}  // namespace

int run_bench(const BenchArgs& args, const std::string& command) {
  // The values' syntax is the option parser's business; what they mean is checked here.
  std::string bad;
  for (const auto& p : args.precisions)
    if (!parse_precision(p)) bad = "unknown precision '" + p + "' (f32, f64, tf32, bf16)";
  for (const auto& m : args.leaf_modes)
    if (m != "batched" && m != "loop" && m != "pipe") bad = "--leaf expects batched, loop and/or pipe, got '" + m + "'";
  if (args.sizes.empty() && args.shapes.empty()) bad = "give --sizes and/or --shapes";
  if (!bad.empty()) {
    std::cerr << "fmm bench: " << bad << " (see --help)\n";
    return 2;
  }
  if (cuda_device_count() == 0) {
    std::cerr << "fmm bench: no CUDA device found\n";
    return 2;
  }

  try {
    // Candidates first: a bad scheme file is a usage error before any GPU time is spent.
    std::vector<std::unique_ptr<Candidate>> cands;
    cands.push_back(make_cublas_candidate());
    if (args.auto_candidate)
      cands.push_back(make_auto_candidate(args.tuning.empty() ? TuningTable::builtin() : TuningTable::from_file(args.tuning)));
    // --only-auto: cuBLAS and fmm::gemm alone.
    const std::vector<std::string> schemes = args.fast ? args.schemes : std::vector<std::string>{};
    // Kernels fmm::codegen generated at build time, for the builtin schemes asked for.
    for (const std::string& spec : schemes) {
      if (spec.find('+') != std::string::npos) continue;
      const auto [base, given] = parse_repeated_scheme(spec, "--schemes '" + spec + "'");
      const std::vector<int> levels = given ? std::vector<int>{*given} : args.levels;
      for (int l : levels)
        if (auto g = make_generated_candidate(base, l)) cands.push_back(std::move(g));
    }
    for (const std::string& mode : args.leaf_modes) {
      const auto leaf = mode == "loop"   ? FmmExecutor::LeafMode::Looped
                        : mode == "pipe" ? FmmExecutor::LeafMode::Pipelined
                                         : FmmExecutor::LeafMode::Batched;
      for (const std::string& spec : schemes) {
        if (spec.find('+') != std::string::npos || spec.find('^') != std::string::npos) {
          cands.push_back(make_fmm_candidate(make_fmm_plan_from_spec(spec, 0), leaf));
        } else {
          for (int l : args.levels) cands.push_back(make_fmm_candidate(make_fmm_plan_from_spec(spec, l), leaf));
        }
      }
    }
    std::vector<std::vector<long long>> shapes;
    for (long long n : args.sizes) shapes.push_back({n, n, n});
    for (const auto& s : args.shapes) shapes.push_back(s);

    DeviceInfo info = query_device_info(command);
    const std::string out_dir = args.out.empty() ? "results/" + gpu_slug(info.gpu_name) : args.out;
    BenchConfig cfg;
    cfg.warmup = args.warmup;
    cfg.repeats = args.repeats;
    cfg.min_sample_ms = args.min_sample_ms;
    cfg.seed = args.seed;
    cfg.title = "fmm bench on " + info.gpu_name;
    MeasureOptions mopt;
    mopt.warmup = args.warmup;
    mopt.repeats = args.repeats;
    mopt.min_sample_ms = args.min_sample_ms;
    if (args.max_workspace_gib > 0) mopt.max_workspace_bytes = static_cast<size_t>(args.max_workspace_gib * (1ull << 30));
    mopt.workspace_fraction = args.workspace_fraction;
    mopt.phases = args.phases;

    Handles h;
    std::vector<BenchRow> rows;
    for (const std::string& pname : args.precisions) {
      const Precision p = *parse_precision(pname);
      for (const auto& s : shapes) {
        std::cerr << "[fmm bench] " << pname << " " << s[0] << "x" << s[1] << "x" << s[2] << "\n";
        std::unique_ptr<ProblemSet> set;
        std::string set_error;
        try {
          set = std::make_unique<ProblemSet>(p, s[0], s[1], s[2], args.seed, info.l2_bytes, h.blas, h.stream,
                                             args.sample_side, args.seed * 1000 + 999);
          std::cerr << "[fmm bench]   " << set->sample_description() << "\n";
        } catch (const CudaError& e) {
          cudaGetLastError();
          set_error = std::string("inputs or reference did not fit: ") + e.what();
        }
        std::vector<Measurement> ms;
        if (set) {
          std::vector<Candidate*> raw;
          for (auto& c : cands) raw.push_back(c.get());
          ms = measure_all(raw, *set, mopt, h.blas, h.stream);
        }
        double cublas_ms = 0, cublas_err = 0, cublas_sampled_err = 0;
        std::vector<double> cublas_times;
        for (size_t ci = 0; ci < cands.size() && set; ++ci)
          if (cands[ci]->name() == "cublas" && ms[ci].status == Status::Passed) {
            cublas_ms = ms[ci].median_ms;
            cublas_times = ms[ci].times_ms;
            cublas_err = ms[ci].error.rel_frobenius;
            cublas_sampled_err = ms[ci].sampled_error.rel_frobenius;
          }
        for (size_t ci = 0; ci < cands.size(); ++ci) {
          Candidate* c = cands[ci].get();
          BenchRow row;
          row.precision = p;
          row.M = s[0];
          row.N = s[1];
          row.K = s[2];
          row.candidate = c->name();
          row.impl = c->impl();
          row.levels = c->levels();
          row.rank = c->rank();
          if (set) {
            row.reference = set->reference_kind();
            row.sample = set->sample_description();
            row.m = std::move(ms[ci]);
          } else {
            row.m.note = set_error;
          }
          row.cublas_sampled_rel_frobenius = cublas_sampled_err;
          row.cublas_median_ms = cublas_ms;
          row.cublas_times_ms = cublas_times;
          row.cublas_rel_frobenius = cublas_err;
          print_row(std::cerr, row);
          rows.push_back(std::move(row));
        }
      }
    }
    info.clocks_now += " | at end: " + read_clocks_now();

    std::filesystem::create_directories(out_dir);
    const auto base = std::filesystem::path(out_dir) / args.name;
    write_csv(base.string() + ".csv", info, cfg, rows);
    write_json(base.string() + ".json", info, cfg, rows);
    write_markdown_with_plots(out_dir, args.name, info, cfg, rows);

    if (args.tune) {
      TuningTable table;
      const auto path = std::filesystem::path(out_dir) / "tuning.txt";
      if (std::filesystem::exists(path)) table = TuningTable::from_file(path.string());
      TuningTable fresh;
      for (size_t i = 0; i < rows.size(); ++i) {
        const BenchRow& r = rows[i];
        if (r.candidate != "cublas" || r.m.status != Status::Passed) continue;
        TuningEntry e{info.gpu_name, r.precision, r.M, r.N, r.K, "cublas", 1.0};
        for (size_t j = 0; j < rows.size(); ++j) {
          const BenchRow& o = rows[j];
          if (o.precision != r.precision || o.M != r.M || o.N != r.N || o.K != r.K || o.candidate == "cublas") continue;
          if (o.impl != "runtime" && o.impl != "generated") continue;
          // Never trade accuracy silently: the error may grow by at most the bound over cuBLAS's
          // (3x for tf32, 10x otherwise; Higham, sec. 23.2.2: about 1.4-2x per Strassen level).
          const double max_ratio = r.precision == Precision::TF32 ? 3.0 : 10.0;
          if (std::isfinite(o.error_ratio()) && o.error_ratio() > max_ratio) continue;
          if (o.speedup() > std::max(e.speedup, 1.0 + args.noise_margin))
            e = {info.gpu_name, r.precision, r.M, r.N, r.K, o.candidate + (o.impl == "generated" ? "/gen" : ""),
                 o.speedup()};
        }
        fresh.add(e);
      }
      table.merge(fresh);
      std::ostringstream out;
      out << "# " << info.gpu_name << ", driver " << info.driver_version << ", cuBLAS " << info.cublas_version
          << ", git " << info.git_revision << "\n# command: " << command << "\n";
      out << table.to_text();
      write_file_atomically(path.string(), out.str());
    }

    std::cout << "\n" << std::left << std::setw(5) << "prec" << std::setw(20) << "shape" << std::setw(22)
              << "candidate" << std::setw(14) << "status" << "  median, TFLOP/s, speedup, error\n";
    bool any_incorrect = false;
    for (const BenchRow& r : rows) {
      print_row(std::cout, r);
      any_incorrect |= r.m.status == Status::Incorrect;
    }
    std::cout << "reports: " << base.string() << ".{csv,json,md} and plots in " << out_dir << "\n";
    return any_incorrect ? 1 : 0;
  } catch (const Error& e) {
    std::cerr << "fmm bench: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace fmm::gpu
