// Measuring one candidate on one problem, the way cutlass_profiler does: random inputs in
// [-1, 1], an FP64 reference (cuBLAS DGEMM on upcast inputs) plus a sampled extended-precision
// reference (gpu/sampled_reference.hpp; the one f64 rows are judged by), the output poisoned with NaN
// before each checked run, warm-up, CUDA events around every timed run, median/min/max,
// and inputs rotated among several buffers when one set would sit in L2. A row's status
// says whether its time counts: only "passed" rows are compared with cuBLAS.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gpu/candidate.hpp"
#include "gpu/device_buffer.hpp"
#include "gpu/gemm_problem.hpp"
#include "gpu/matrix_ops.hpp"
#include "gpu/sampled_reference.hpp"

namespace fmm::gpu {

Elem input_elem(Precision p);
Elem output_elem(Precision p);

// The inputs of one (precision, M, N, K) and their FP64 reference product.
class ProblemSet {
 public:
  // `l2_bytes` decides the rotation: sets are added until they span 4x the L2 (at most 8).
  // `sample_side` x `sample_side` output entries (seeded by `sample_seed`) get the
  // extended-precision reference; 0 turns the sampled check off.
  ProblemSet(Precision p, long long M, long long N, long long K, uint64_t seed, size_t l2_bytes,
             cublasHandle_t handle, cudaStream_t stream, int sample_side = 64, uint64_t sample_seed = 1);
  int sets() const { return static_cast<int>(a_.size()); }
  GemmProblem problem(int set) const;  // alpha = 1, beta = 0
  const double* reference() const { return ref_.as<double>(); }  // of set 0
  Precision precision() const { return precision_; }
  long long M() const { return M_; }
  long long N() const { return N_; }
  long long K() const { return K_; }
  size_t c_count() const { return static_cast<size_t>(M_) * static_cast<size_t>(N_); }
  // "cuBLAS DGEMM on upcast inputs", or for f64 "cuBLAS DGEMM (the baseline itself)".
  std::string reference_kind() const;

  // The sampled check. Its reference is exact to ~1e-21 (double-double dot products on the
  // host), so it measures cuBLAS's own f64 error too; f64 rows are judged by it.
  const OutputSample& sample() const { return sample_; }
  bool has_sample() const { return sample_.size() > 0; }
  // Error of C (set 0's layout, element type of this precision's output) over the sample.
  ErrorStats sampled_error(const void* c, cudaStream_t stream) const;
  // The FP64 DGEMM reference's own error over the sample, and the host time the sample took.
  const ErrorStats& dgemm_reference_sampled_error() const { return dgemm_ref_sampled_; }
  double sample_build_ms() const { return sample_build_ms_; }
  // The reference kind and the sample in one line, for reports.
  std::string sample_description() const;

 private:
  Precision precision_;
  long long M_, N_, K_;
  std::vector<DeviceBuffer> a_, b_, c_;
  DeviceBuffer ref_;
  OutputSample sample_;
  std::vector<DoubleDouble> sample_ref_;
  ErrorStats dgemm_ref_sampled_;
  double sample_build_ms_ = 0;
};

enum class Status { Passed, Incorrect, NotRun, NotSupported };
std::string to_string(Status s);  // "passed", "incorrect", "not run", "not supported"

struct Measurement {
  Status status = Status::NotRun;
  std::string note;              // why not run / not supported, or how it ran
  ErrorStats error;              // the worse of the full checks before and after timing
  ErrorStats sampled_error;      // the output after timing, over the sample, vs the extended reference
  std::vector<double> times_ms;  // every timed sample, per launch
  int batch = 1;                 // launches per timed sample
  double median_ms = 0, min_ms = 0, max_ms = 0;
  size_t workspace_bytes = 0;
  double workspace_fraction = 0;  // workspace_bytes over the bytes of A, B and C
  // Phases of one extra run (fast algorithms only; NaN otherwise): operand sums, the batched
  // leaf products and the C combination, and the leaf products' own rate.
  double form_ms = std::nan(""), leaf_gemm_ms = std::nan(""), combine_ms = std::nan("");
  double leaf_tflops = std::nan("");
};

struct MeasureOptions {
  int warmup = 2;
  int repeats = 10;
  // A candidate's workspace stays within this fraction of the bytes of A, B and C (the limit of
  // every fast path: a quarter; 0 or less: no fraction limit), and within max_workspace_bytes.
  double workspace_fraction = 0.25;
  size_t max_workspace_bytes = SIZE_MAX;
  size_t reserve_bytes = size_t(1) << 30;  // left free for cuBLAS's own workspace
  bool phases = true;                      // one extra run with events between the phases
  // Each timed sample is a batch of back-to-back launches lasting at least this long (one probe
  // run sizes the batch, the same batch for every candidate of a problem); a sample's time is
  // divided by its launches. Kernels of ~10 us timed one by one scatter by +-10% from clock and
  // launch jitter (H200 sweep, 2026-12-02: cuBLAS against itself from 0.93x to 1.32x at 256^3).
  // 0 times every launch alone.
  double min_sample_ms = 1.0;
  int max_batch = 256;  // launches per sample at most (the stream's launch queue must hold them)
  // Every sample waits behind a gate until its launches are enqueued, so the events time the GPU's
  // work, not the host's launch rate (gpu/stream_gate.hpp, NVBench's blocking kernel).
  bool gate_samples = true;
};

// A row passes when every output is finite and the relative Frobenius error is within the
// precision's tolerance: for f64 both the sampled error against the extended reference and the
// full difference from DGEMM (which covers the entries the sample misses); otherwise the full
// error against DGEMM on upcast inputs.
// Never throws for a candidate's own failure (that becomes the row's status and note);
// rethrows only when the CUDA context is broken (a sticky error), since later rows would lie.
Measurement measure(Candidate& cand, const ProblemSet& set, const MeasureOptions& opt, cublasHandle_t handle,
                    cudaStream_t stream);
// Several candidates on one problem with their timed samples interleaved (round r runs each
// candidate's batch once, in the order of `cands` in even rounds and reversed in odd ones, so that
// neither position, e.g. second after another's read of the same inputs, is favoured), each with
// its own workspace allocated up front. Same checks and statuses as measure().
std::vector<Measurement> measure_all(const std::vector<Candidate*>& cands, const ProblemSet& set,
                                     const MeasureOptions& opt, cublasHandle_t handle, cudaStream_t stream);

double median_of(std::vector<double> v);

}  // namespace fmm::gpu
