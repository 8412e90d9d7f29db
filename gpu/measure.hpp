// Measuring one candidate on one problem, the way cutlass_profiler does: random inputs in
// [-1, 1], an FP64 reference (cuBLAS DGEMM on upcast inputs), the output poisoned with NaN
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

namespace fmm::gpu {

Elem input_elem(Precision p);
Elem output_elem(Precision p);

// The inputs of one (precision, M, N, K) and their FP64 reference product.
class ProblemSet {
 public:
  // `l2_bytes` decides the rotation: sets are added until they span 4x the L2 (at most 8).
  ProblemSet(Precision p, long long M, long long N, long long K, uint64_t seed, size_t l2_bytes,
             cublasHandle_t handle, cudaStream_t stream);
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

 private:
  Precision precision_;
  long long M_, N_, K_;
  std::vector<DeviceBuffer> a_, b_, c_;
  DeviceBuffer ref_;
};

enum class Status { Passed, Incorrect, NotRun, NotSupported };
std::string to_string(Status s);  // "passed", "incorrect", "not run", "not supported"

struct Measurement {
  Status status = Status::NotRun;
  std::string note;              // why not run / not supported, or how it ran
  ErrorStats error;              // the worse of the checks before and after timing
  std::vector<double> times_ms;  // every timed run
  double median_ms = 0, min_ms = 0, max_ms = 0;
  size_t workspace_bytes = 0;
  // Phases of one extra run (fast algorithms only; NaN otherwise): operand sums, the batched
  // leaf products and the C combination, and the leaf products' own rate.
  double form_ms = std::nan(""), leaf_gemm_ms = std::nan(""), combine_ms = std::nan("");
  double leaf_tflops = std::nan("");
};

struct MeasureOptions {
  int warmup = 2;
  int repeats = 10;
  size_t max_workspace_bytes = SIZE_MAX;
  size_t reserve_bytes = size_t(1) << 30;  // left free for cuBLAS's own workspace
};

// Never throws for a candidate's own failure (that becomes the row's status and note);
// rethrows only when the CUDA context is broken (a sticky error), since later rows would lie.
Measurement measure(Candidate& cand, const ProblemSet& set, const MeasureOptions& opt, cublasHandle_t handle,
                    cudaStream_t stream);

double median_of(std::vector<double> v);

}  // namespace fmm::gpu
