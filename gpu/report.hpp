// Benchmark results as files: CSV and JSON (every number, every timed run), a markdown
// report with SVG plots, each carrying the provenance of the run.
#pragma once

#include <string>
#include <vector>

#include "gpu/device_info.hpp"
#include "gpu/measure.hpp"

namespace fmm::gpu {

struct BenchRow {
  Precision precision = Precision::F32;
  long long M = 0, N = 0, K = 0;
  std::string candidate, impl;
  int levels = 0, rank = 1;
  Measurement m;
  double cublas_median_ms = 0;  // same process, same inputs
  std::vector<double> cublas_times_ms;  // cuBLAS's samples, round by round (paired with m.times_ms)
  double cublas_rel_frobenius = 0;
  double cublas_sampled_rel_frobenius = 0;  // cuBLAS's error over the sample, extended reference
  std::string reference;        // what the errors are measured against
  std::string sample;           // the sampled check: which entries, its cost, the DGEMM reference's own error

  bool timed() const { return m.status == Status::Passed || m.status == Status::Incorrect; }
  // cuBLAS time over ours; 0 unless this row passed (a wrong kernel's speed never counts).
  double speedup() const;
  // The median over rounds of cuBLAS's sample over ours of the same round: the candidates run
  // interleaved, so a round's two samples saw the same clocks, and the pairing cancels the drift
  // both see (FP64 throttling moved cuBLAS DGEMM 12288^3 between 66.7 and 83.7 ms in one row).
  // 0 where speedup() is 0 or the samples do not pair.
  double paired_speedup() const;
  double tflops() const;  // effective: 2 M N K / median time, classical count
  std::string shape_label() const;  // "4096" when square, else "MxNxK"
  // This row's error over cuBLAS's, by the reference the precision is judged by: the sampled
  // extended one for f64 (cuBLAS's full error there is 0 by construction), the full DGEMM one
  // otherwise. NaN for cuBLAS itself or when undefined.
  double error_ratio() const;
  double sampled_error_ratio() const;  // over the sample, every precision
};

struct BenchConfig {
  int warmup = 2, repeats = 10;
  double min_sample_ms = 0;  // see MeasureOptions::min_sample_ms
  unsigned long long seed = 1;
  std::string title = "fmm bench";
};

void write_csv(const std::string& path, const DeviceInfo& info, const BenchConfig& cfg, const std::vector<BenchRow>& rows);
void write_json(const std::string& path, const DeviceInfo& info, const BenchConfig& cfg,
                const std::vector<BenchRow>& rows);
// Writes NAME.md and, per precision, NAME_<prec>_speedup.svg and NAME_<prec>_tflops.svg beside it.
// Returns the paths written.
std::vector<std::string> write_markdown_with_plots(const std::string& dir, const std::string& name,
                                                   const DeviceInfo& info, const BenchConfig& cfg,
                                                   const std::vector<BenchRow>& rows);

}  // namespace fmm::gpu
