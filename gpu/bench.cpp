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
#include "gpu/generated_candidates.hpp"
#include "gpu/measure.hpp"
#include "gpu/report.hpp"
#include "gpu/tuning_table.hpp"
#include "tensor/error.hpp"
#include "tensor/io/safe_write.hpp"

namespace fmm::gpu {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep))
    if (!cur.empty()) out.push_back(cur);
  return out;
}

long long parse_count(const std::string& text, const std::string& option) {
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || v <= 0) throw Error("fmm bench: " + option + " expects positive integers, got '" + text + "'");
  return v;
}

}  // namespace

std::string bench_usage() {
  return std::string(R"(usage: fmm bench [options]
Times cuBLAS and fast-matrix-multiplication candidates on this GPU; every row is checked
against an FP64 reference (and, for f64, a sampled extended-precision one) before its time counts.
  --schemes LIST     schemes: builtin names (strassen, winograd, laderman) or scheme files;
                     'name^L' fixes the levels, 'a+b' is a two-level plan written out
                     (default strassen)
  --levels LIST      recursion levels for each single scheme (default 1,2)
  --sizes LIST       square sizes N (M=N=K)
  --shapes LIST      shapes MxNxK (column-major C = A B, A MxK, B KxN)
  --precision LIST   f32, f64, tf32, bf16 (default f32)
  --repeats R        timed runs per row, median reported (default 10)
  --warmup W         untimed runs first (default 2)
  --seed S           input seed (default 1)
  --out DIR          output folder (default results/<gpu>/)
  --name NAME        file stem of the reports (default bench)
  --leaf LIST        leaf products as one batched call (batched) and/or one call each (loop)
  --tune             also write DIR/tuning.txt for fmm::gemm (merged with an existing one)
  --noise-margin F   fraction a candidate must beat cuBLAS by to be tuned in (default 0.03)
  --max-workspace-gib G   cap on a candidate's workspace (default: what is free)
  --sample S         sampled check: S random rows x S random columns of C against dot products
                     in double-double on the host (default 64; 0 off); seed = 1000*seed + 999
  --help             this text
Generated kernels in this build - rows marked gen: )" + generated_kernel_list() + "\n");
}

BenchArgs parse_bench_args(int argc, char** argv) {
  BenchArgs a;
  bool levels_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string opt = argv[i];
    std::string val;
    const bool has_eq = opt.rfind("--", 0) == 0 && opt.find('=') != std::string::npos;
    if (has_eq) {
      val = opt.substr(opt.find('=') + 1);
      opt = opt.substr(0, opt.find('='));
    }
    auto value = [&]() -> std::string {
      if (has_eq) return val;
      if (i + 1 >= argc) throw Error("fmm bench: " + opt + " needs a value\n" + bench_usage());
      return argv[++i];
    };
    if (opt == "--help" || opt == "-h") {
      a.help = true;
    } else if (opt == "--schemes") {
      a.schemes = split(value(), ',');
    } else if (opt == "--levels") {
      a.levels.clear();
      for (const auto& s : split(value(), ',')) a.levels.push_back(static_cast<int>(parse_count(s, opt)));
      levels_given = true;
    } else if (opt == "--sizes") {
      for (const auto& s : split(value(), ',')) a.sizes.push_back(parse_count(s, opt));
    } else if (opt == "--shapes") {
      for (const auto& s : split(value(), ',')) {
        auto dims = split(s, 'x');
        if (dims.size() != 3) throw Error("fmm bench: --shapes expects MxNxK, got '" + s + "'");
        a.shapes.push_back({parse_count(dims[0], opt), parse_count(dims[1], opt), parse_count(dims[2], opt)});
      }
    } else if (opt == "--precision" || opt == "--precisions") {
      a.precisions = split(value(), ',');
      for (const auto& p : a.precisions)
        if (!parse_precision(p)) throw Error("fmm bench: unknown precision '" + p + "' (f32, f64, tf32, bf16)");
    } else if (opt == "--repeats") {
      a.repeats = static_cast<int>(parse_count(value(), opt));
    } else if (opt == "--warmup") {
      const std::string v = value();
      a.warmup = v == "0" ? 0 : static_cast<int>(parse_count(v, opt));
    } else if (opt == "--seed") {
      a.seed = static_cast<unsigned long long>(parse_count(value(), opt));
    } else if (opt == "--out") {
      a.out = value();
    } else if (opt == "--name") {
      a.name = value();
    } else if (opt == "--leaf") {
      a.leaf_modes = split(value(), ',');
      for (const auto& m : a.leaf_modes)
        if (m != "batched" && m != "loop") throw Error("fmm bench: --leaf expects batched and/or loop, got '" + m + "'");
    } else if (opt == "--tune") {
      a.tune = true;
    } else if (opt == "--noise-margin") {
      a.noise_margin = std::stod(value());
    } else if (opt == "--sample") {
      const std::string v = value();
      a.sample_side = v == "0" ? 0 : static_cast<int>(parse_count(v, opt));
    } else if (opt == "--max-workspace-gib") {
      a.max_workspace_gib = std::stod(value());
    } else {
      throw Error("fmm bench: unknown option '" + opt + "'\n" + bench_usage());
    }
  }
  (void)levels_given;
  if (!a.help && a.sizes.empty() && a.shapes.empty())
    throw Error("fmm bench: give --sizes and/or --shapes\n" + bench_usage());
  return a;
}

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

int bench_main(int argc, char** argv) {
  BenchArgs args;
  try {
    args = parse_bench_args(argc, argv);
  } catch (const Error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (args.help) {
    std::cout << bench_usage();
    return 0;
  }
  if (cuda_device_count() == 0) {
    std::cerr << "fmm bench: no CUDA device found\n";
    return 2;
  }
  std::string command = "fmm bench";
  for (int i = 1; i < argc; ++i) command += std::string(" ") + argv[i];

  try {
    // Candidates first: a bad scheme file is a usage error before any GPU time is spent.
    std::vector<std::unique_ptr<Candidate>> cands;
    cands.push_back(make_cublas_candidate());
    // Kernels fmm::codegen generated at build time, for the builtin schemes asked for.
    for (const std::string& spec : args.schemes) {
      if (spec.find('+') != std::string::npos) continue;
      const size_t caret = spec.rfind('^');
      const std::string base = spec.substr(0, caret);
      std::vector<int> levels = args.levels;
      if (caret != std::string::npos) levels = {std::stoi(spec.substr(caret + 1))};
      for (int l : levels)
        if (auto g = make_generated_candidate(base, l)) cands.push_back(std::move(g));
    }
    for (const std::string& mode : args.leaf_modes) {
      const auto leaf = mode == "loop" ? FmmExecutor::LeafMode::Looped : FmmExecutor::LeafMode::Batched;
      for (const std::string& spec : args.schemes) {
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
    cfg.seed = args.seed;
    cfg.title = "fmm bench on " + info.gpu_name;
    MeasureOptions mopt;
    mopt.warmup = args.warmup;
    mopt.repeats = args.repeats;
    if (args.max_workspace_gib > 0) mopt.max_workspace_bytes = static_cast<size_t>(args.max_workspace_gib * (1ull << 30));

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
        double cublas_ms = 0, cublas_err = 0, cublas_sampled_err = 0;
        for (auto& c : cands) {
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
            row.m = measure(*c, *set, mopt, h.blas, h.stream);
          } else {
            row.m.note = set_error;
          }
          if (row.candidate == "cublas" && row.m.status == Status::Passed) {
            cublas_ms = row.m.median_ms;
            cublas_err = row.m.error.rel_frobenius;
            cublas_sampled_err = row.m.sampled_error.rel_frobenius;
          }
          row.cublas_sampled_rel_frobenius = cublas_sampled_err;
          row.cublas_median_ms = cublas_ms;
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
          if (o.speedup() > std::max(e.speedup, 1.0 + args.noise_margin)) e = {info.gpu_name, r.precision, r.M, r.N, r.K, o.candidate + (o.impl == "generated" ? "/gen" : ""),
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
