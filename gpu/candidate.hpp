// What the benchmark and fmm::gemm can run: cuBLAS itself, the run-time executor of a
// verified plan, or generated code. One interface so every row of a report is produced the
// same way (the cutlass_profiler habit: one harness, many operations).
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <memory>
#include <string>

#include "gpu/fmm_executor.hpp"
#include "gpu/fmm_plan.hpp"
#include "gpu/gemm_problem.hpp"

namespace fmm::gpu {

class Candidate {
 public:
  virtual ~Candidate() = default;
  virtual std::string name() const = 0;    // "cublas", "strassen^2"
  virtual std::string impl() const = 0;    // "cublas", "runtime", "generated"
  virtual int levels() const { return 0; }
  virtual int rank() const { return 1; }   // products of the whole plan (1 for classical)
  // Empty when supported; otherwise why not (e.g. a generated kernel for another precision).
  virtual std::string unsupported_reason(const GemmProblem&) const { return ""; }
  // Workspace it uses when allowed at most `limit` bytes (0: none, or it cannot run within the limit).
  virtual size_t workspace_size(const GemmProblem&, size_t /*limit*/) const { return 0; }
  virtual size_t min_workspace_size(const GemmProblem&) const { return 0; }  // least it runs with
  // Short note on how it will run with this workspace ("leaf 4096x4096x4096, 1 chunk").
  virtual std::string describe(const GemmProblem&, size_t) const { return ""; }
  // Enqueues C = alpha A B + beta C on `stream`; throws CudaError / fmm::Error on failure.
  virtual void run(const GemmProblem&, void* workspace, size_t bytes, cublasHandle_t, cudaStream_t) = 0;
  // One run with events between its phases (synchronizes); false when it has no phases.
  virtual bool run_with_phases(const GemmProblem&, void*, size_t, cublasHandle_t, cudaStream_t,
                               FmmExecutor::PhaseTimes&) {
    return false;
  }
  // Flops of the leaf products it runs (padded), for the leaf GEMM rate; 0 when not split.
  virtual double leaf_flops(const GemmProblem&) const { return 0; }
};

std::unique_ptr<Candidate> make_cublas_candidate();
// Named like the plan ("strassen^2"), with "/loop" appended for LeafMode::Looped and "/pipe" for
// LeafMode::Pipelined.
std::unique_ptr<Candidate> make_fmm_candidate(FmmPlan plan,
                                              FmmExecutor::LeafMode leaf = FmmExecutor::LeafMode::Batched);

}  // namespace fmm::gpu
