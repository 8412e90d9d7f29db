#include "gpu/report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gpu/svg_plot.hpp"
#include "tensor/error.hpp"
#include "tensor/io/safe_write.hpp"

namespace fmm::gpu {

double BenchRow::speedup() const {
  if (m.status != Status::Passed || m.median_ms <= 0 || cublas_median_ms <= 0) return 0;
  return cublas_median_ms / m.median_ms;
}

double BenchRow::paired_speedup() const {
  if (speedup() <= 0 || cublas_times_ms.size() != m.times_ms.size() || m.times_ms.empty()) return 0;
  std::vector<double> ratios;
  for (size_t i = 0; i < m.times_ms.size(); ++i)
    if (m.times_ms[i] > 0) ratios.push_back(cublas_times_ms[i] / m.times_ms[i]);
  if (ratios.size() != m.times_ms.size()) return 0;
  return median_of(ratios);
}

double BenchRow::tflops() const {
  if (!timed() || m.median_ms <= 0) return 0;
  return 2.0 * double(M) * double(N) * double(K) / (m.median_ms * 1e-3) / 1e12;
}

double BenchRow::error_ratio() const {
  if (precision == Precision::F64 && std::isfinite(m.sampled_error.rel_frobenius) && cublas_sampled_rel_frobenius > 0)
    return sampled_error_ratio();
  if (!m.error.finite() || cublas_rel_frobenius <= 0) return std::nan("");
  return m.error.rel_frobenius / cublas_rel_frobenius;
}

double BenchRow::sampled_error_ratio() const {
  if (!m.sampled_error.finite() || !(cublas_sampled_rel_frobenius > 0)) return std::nan("");
  return m.sampled_error.rel_frobenius / cublas_sampled_rel_frobenius;
}

std::string BenchRow::shape_label() const {
  if (M == N && N == K) return std::to_string(M);
  return std::to_string(M) + "x" + std::to_string(N) + "x" + std::to_string(K);
}

namespace {

std::string num(double v, int precision = 6) {
  if (!std::isfinite(v)) return "nan";
  std::ostringstream s;
  s << std::setprecision(precision) << v;
  return s.str();
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A report collected in memory, then written with write_file_atomically (commit()): a
// reader never sees half a report, and links or special files at the path are refused.
struct ReportFile : std::ostringstream {
  explicit ReportFile(std::string p) : path(std::move(p)) {}
  std::string path;
  void commit() { write_file_atomically(path, str()); }
};

ReportFile open_out(const std::string& path) {
  std::filesystem::path p(path);
  if (p.has_parent_path()) check_writable_directory(p.parent_path().string());
  return ReportFile(path);  // a prvalue: no copy or move of the stream
}

// XML comments may not contain "--" (every command line has it).
std::string comment_safe(std::string s) {
  for (size_t i = s.find("--"); i != std::string::npos; i = s.find("--", i)) s.replace(i, 2, "- -");
  return s;
}

}  // namespace

void write_csv(const std::string& path, const DeviceInfo& info, const BenchConfig& cfg, const std::vector<BenchRow>& rows) {
  ReportFile out = open_out(path);
  for (const auto& [k, v] : info.fields()) out << "# " << k << ": " << v << "\n";
  out << "# warmup: " << cfg.warmup << "\n# repeats: " << cfg.repeats << "\n# seed: " << cfg.seed << "\n";
  out << "card,precision,M,N,K,candidate,impl,levels,rank,status,median_ms,min_ms,max_ms,tflops,speedup_vs_cublas,"
         "cublas_median_ms,rel_frobenius,rel_max,cublas_rel_frobenius,error_ratio_vs_cublas,workspace_mib,workspace_pct_of_abc,form_ms,leaf_gemm_ms,combine_ms,leaf_tflops,"
         "sampled_rel_frobenius,sampled_rel_max,cublas_sampled_rel_frobenius,sampled_error_ratio_vs_cublas,"
         "reference,sample,note,paired_speedup_vs_cublas\n";
  for (const BenchRow& r : rows) {
    out << csv_field(info.gpu_name) << "," << to_string(r.precision) << "," << r.M << "," << r.N << "," << r.K << "," << csv_field(r.candidate) << ","
        << r.impl << "," << r.levels << "," << r.rank << "," << to_string(r.m.status) << "," << num(r.m.median_ms)
        << "," << num(r.m.min_ms) << "," << num(r.m.max_ms) << "," << num(r.tflops()) << "," << num(r.speedup())
        << "," << num(r.cublas_median_ms) << "," << num(r.m.error.rel_frobenius, 4) << ","
        << num(r.m.error.rel_max, 4) << "," << num(r.cublas_rel_frobenius, 4) << "," << num(r.error_ratio(), 4) << ","
        << (r.m.workspace_bytes >> 20) << "," << num(100 * r.m.workspace_fraction, 4) << "," << num(r.m.form_ms, 5) << "," << num(r.m.leaf_gemm_ms, 5) << ","
        << num(r.m.combine_ms, 5) << "," << num(r.m.leaf_tflops, 4) << "," << num(r.m.sampled_error.rel_frobenius, 4)
        << "," << num(r.m.sampled_error.rel_max, 4) << "," << num(r.cublas_sampled_rel_frobenius, 4) << ","
        << num(r.sampled_error_ratio(), 4) << "," << csv_field(r.reference) << "," << csv_field(r.sample) << ","
        << csv_field(r.m.note) << "," << num(r.paired_speedup()) << "\n";
  }
  out.commit();
}

// Through nlohmann-json (ordered: the keys stay in the order written here); a non-finite number
// is written as null.
void write_json(const std::string& path, const DeviceInfo& info, const BenchConfig& cfg,
                const std::vector<BenchRow>& rows) {
  nlohmann::ordered_json doc;
  nlohmann::ordered_json& provenance = doc["provenance"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : info.fields()) provenance[k] = v;
  doc["config"] = {{"warmup", cfg.warmup}, {"repeats", cfg.repeats}, {"seed", cfg.seed}};
  nlohmann::ordered_json& out_rows = doc["rows"] = nlohmann::ordered_json::array();
  for (const BenchRow& r : rows) {
    nlohmann::ordered_json row;
    row["card"] = info.gpu_name;
    row["precision"] = to_string(r.precision);
    row["M"] = r.M;
    row["N"] = r.N;
    row["K"] = r.K;
    row["candidate"] = r.candidate;
    row["impl"] = r.impl;
    row["levels"] = r.levels;
    row["rank"] = r.rank;
    row["status"] = to_string(r.m.status);
    row["median_ms"] = r.m.median_ms;
    row["min_ms"] = r.m.min_ms;
    row["max_ms"] = r.m.max_ms;
    row["tflops"] = r.tflops();
    row["speedup_vs_cublas"] = r.speedup();
    row["paired_speedup_vs_cublas"] = r.paired_speedup();
    row["cublas_median_ms"] = r.cublas_median_ms;
    row["rel_frobenius"] = r.m.error.rel_frobenius;
    row["rel_max"] = r.m.error.rel_max;
    row["nonfinite"] = r.m.error.nonfinite;
    row["cublas_rel_frobenius"] = r.cublas_rel_frobenius;
    row["error_ratio_vs_cublas"] = r.error_ratio();
    row["sampled_rel_frobenius"] = r.m.sampled_error.rel_frobenius;
    row["sampled_rel_max"] = r.m.sampled_error.rel_max;
    row["cublas_sampled_rel_frobenius"] = r.cublas_sampled_rel_frobenius;
    row["sampled_error_ratio_vs_cublas"] = r.sampled_error_ratio();
    row["workspace_bytes"] = r.m.workspace_bytes;
    row["workspace_fraction_of_abc"] = r.m.workspace_fraction;
    row["form_ms"] = r.m.form_ms;
    row["leaf_gemm_ms"] = r.m.leaf_gemm_ms;
    row["combine_ms"] = r.m.combine_ms;
    row["leaf_tflops"] = r.m.leaf_tflops;
    row["reference"] = r.reference;
    row["sample"] = r.sample;
    row["note"] = r.m.note;
    row["times_ms"] = r.m.times_ms;
    out_rows.push_back(std::move(row));
  }
  // Invalid UTF-8 in a name or note is replaced, not thrown on: a report is always written.
  ReportFile out = open_out(path);
  out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  out.commit();
}

std::vector<std::string> write_markdown_with_plots(const std::string& dir, const std::string& name,
                                                   const DeviceInfo& info, const BenchConfig& cfg,
                                                   const std::vector<BenchRow>& rows) {
  std::vector<std::string> written;
  const std::string md_path = (std::filesystem::path(dir) / (name + ".md")).string();
  ReportFile md = open_out(md_path);
  written.push_back(md_path);
  md << "# " << cfg.title << "\n\n";
  md << "| provenance | |\n| --- | --- |\n";
  for (const auto& [k, v] : info.fields()) {
    std::string cell = v;
    for (char& c : cell)
      if (c == '|') c = '/';
    md << "| " << k << " | `" << cell << "` |\n";
  }
  md << "\nMethod: inputs uniform in [-1, 1] (fixed seed " << cfg.seed << "), output poisoned with NaN before the "
     << "checked runs (before and after timing); " << cfg.warmup << " warm-up runs, then " << cfg.repeats
     << (cfg.min_sample_ms > 0
             ? " timed samples per candidate, each a batch of back-to-back launches lasting at least " +
                   [&] { std::ostringstream o; o << cfg.min_sample_ms; return o.str(); }() +
                   " ms (one probe run sizes the batch, the same for every candidate of a shape) between CUDA "
                   "events, divided by its launches; a sample's launches wait behind a spinning kernel until all "
                   "are enqueued (NVBench's blocking kernel), so the events time the GPU's work, not the host's "
                   "launch rate; candidates interleaved round by round, in reverse order every other round"
             : std::string(" runs timed one by one with CUDA events, candidates interleaved round by round"))
     << "; the median is reported with min and max. Inputs rotate among "
        "several buffers when one set would fit in L2. Effective TFLOP/s counts the classical 2·M·N·K flops. "
        "Speedup is cuBLAS's median over the candidate's, in the same process on the same inputs, and is shown "
        "only for rows that passed; paired is the median over rounds of cuBLAS's sample over the candidate's sample "
        "of the same round (the two ran back to back, so clock drift cancels). Errors are relative Frobenius (and max-norm) against the reference named in "
        "each table: the full output against cuBLAS DGEMM on upcast inputs, and a sampled block of outputs "
        "(random rows x random columns, seeded) against dot products accumulated in double-double on the host "
        "(Dot2, Ogita, Rump & Oishi 2005; ~1e-21 relative), which is the only honest reference for f64, where "
        "DGEMM is the baseline itself. A row passes when every output is finite and the relative Frobenius "
        "error is under the precision's tolerance (f32 1e-3, f64 1e-10, tf32 2e-2, bf16 5e-2): for f64 the "
        "sampled error and the full difference from DGEMM, otherwise the full error. The × cuBLAS column "
        "divides by cuBLAS's error under the same reference: sampled for f64, full otherwise.\n\n";

  std::vector<Precision> precisions;
  for (const BenchRow& r : rows)
    if (std::find(precisions.begin(), precisions.end(), r.precision) == precisions.end())
      precisions.push_back(r.precision);

  for (Precision p : precisions) {
    const std::string ps = to_string(p);
    std::vector<std::string> shapes, cands;
    std::map<std::pair<std::string, std::string>, const BenchRow*> at;
    std::string reference;
    std::vector<std::string> samples;
    for (const BenchRow& r : rows) {
      if (r.precision != p) continue;
      if (std::find(shapes.begin(), shapes.end(), r.shape_label()) == shapes.end()) shapes.push_back(r.shape_label());
      const std::string cname = r.candidate + (r.impl == "generated" ? " (gen)" : "");
      if (std::find(cands.begin(), cands.end(), cname) == cands.end()) cands.push_back(cname);
      at[{cname, r.shape_label()}] = &r;
      reference = r.reference;
      if (!r.sample.empty() && r.candidate == "cublas") samples.push_back(r.shape_label() + ": " + r.sample);
    }
    md << "## " << ps << "\n\nReference: " << reference << ".\n\n";
    for (const std::string& s : samples) md << "* " << s << "\n";
    if (!samples.empty()) md << "\n";
    md << "Card: " << info.gpu_name << " (every row).\n\n";
    md << "| shape | candidate | status | median ms | min | max | TFLOP/s | speedup | paired | workspace, % of A+B+C | rel. Frobenius error "
       << (p == Precision::F64 ? "(full, vs DGEMM)" : "(full)")
       << " | sampled rel. error (extended), Frobenius / max | × cuBLAS error | "
          "sums / leaf GEMM / combine ms (leaf TFLOP/s) | note |\n"
          "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n";
    for (const BenchRow& r : rows) {
      if (r.precision != p) continue;
      md << "| " << r.shape_label() << " | " << r.candidate << (r.impl == "generated" ? " (gen)" : "") << " | "
         << to_string(r.m.status) << " | " << (r.timed() ? num(r.m.median_ms, 5) : "") << " | "
         << (r.timed() ? num(r.m.min_ms, 5) : "") << " | " << (r.timed() ? num(r.m.max_ms, 5) : "") << " | "
         << (r.timed() ? num(r.tflops(), 4) : "") << " | "
         << (r.speedup() > 0 ? num(r.speedup(), 3) + "x" : "") << " | "
         << (r.paired_speedup() > 0 ? num(r.paired_speedup(), 3) + "x" : "") << " | "
         << (r.timed() ? num(100 * r.m.workspace_fraction, 3) : "") << " | "
         << (r.timed() ? num(r.m.error.rel_frobenius, 3) : "") << " | "
         << (r.timed() ? num(r.m.sampled_error.rel_frobenius, 3) + " / " + num(r.m.sampled_error.rel_max, 3) : "")
         << " | " << (r.timed() && r.candidate != "cublas" ? num(r.error_ratio(), 3) : "") << " | "
         << (std::isfinite(r.m.leaf_gemm_ms) ? num(r.m.form_ms, 3) + " / " + num(r.m.leaf_gemm_ms, 4) + " / " +
                                                   num(r.m.combine_ms, 3) + " (" + num(r.m.leaf_tflops, 3) + ")"
                                             : "")
         << " | " << r.m.note << " |\n";
    }
    LinePlot speed, rate;
    speed.title = "Speedup over cuBLAS, " + ps + ", " + info.gpu_name;
    speed.x_label = "problem size (N, or MxNxK)";
    speed.y_label = "cuBLAS time / candidate time";
    speed.x_labels = shapes;
    speed.hlines.push_back({"cuBLAS", 1.0});
    speed.y_from_zero = false;
    rate.title = "Effective TFLOP/s (2MNK/t), " + ps + ", " + info.gpu_name;
    rate.x_label = speed.x_label;
    rate.y_label = "TFLOP/s";
    rate.x_labels = shapes;
    const double peak = info.classical_peak_flops(p);
    if (peak > 0) rate.hlines.push_back({"classical peak " + num(peak / 1e12, 3) + " TFLOP/s", peak / 1e12});
    for (const std::string& c : cands) {
      PlotSeries s{c, {}}, t{c, {}};
      for (const std::string& sh : shapes) {
        auto it = at.find({c, sh});
        const BenchRow* r = it == at.end() ? nullptr : it->second;
        s.y.push_back(r && r->speedup() > 0 ? std::optional<double>(r->speedup()) : std::nullopt);
        t.y.push_back(r && r->m.status == Status::Passed ? std::optional<double>(r->tflops()) : std::nullopt);
      }
      if (c != "cublas") speed.series.push_back(s);
      rate.series.push_back(t);
    }
    const std::string sp = name + "_" + ps + "_speedup.svg", tp = name + "_" + ps + "_tflops.svg";
    for (const auto& [file, plot] : {std::pair{sp, &speed}, std::pair{tp, &rate}}) {
      const std::string path = (std::filesystem::path(dir) / file).string();
      ReportFile svg = open_out(path);
      svg << "<!-- " << comment_safe(cfg.title + "; gpu " + info.gpu_name + "; driver " + info.driver_version +
                                     "; cuda " + info.cuda_runtime_version + "; cublas " + info.cublas_version +
                                     "; git " + info.git_revision + "; command: " + info.command)
          << " -->\n";
      svg << render_svg(*plot);
      svg.commit();
      written.push_back(path);
    }
    md << "\n![speedup " << ps << "](" << sp << ")\n![TFLOP/s " << ps << "](" << tp << ")\n\n";
  }
  md.commit();
  return written;
}

}  // namespace fmm::gpu
