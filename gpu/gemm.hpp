// fmm::gemm - a cuBLAS-shaped GEMM that picks, per precision and shape, either cuBLAS or the
// fast algorithm the tuning table (tuning_table.hpp) measured fastest on this GPU. With no
// table entry for the card or the shape it is cuBLAS, so a call is never slower than cuBLAS
// by more than the noise of the measurements behind the table.
//
//   fmm::GemmEngine engine(handle);   // uses the tuning table committed with this build
//   fmm::gemm(engine, M, N, K, 1.0f, A, lda, B, ldb, 0.0f, C, ldc, stream);
//
// Column-major like cuBLAS: C = alpha A B + beta C, A M x K, B K x N. The engine owns the
// workspace of the fast paths, grown on demand and never beyond `workspace_fraction` (a quarter)
// of the bytes of the call's A, B and C, nor beyond `max_workspace_bytes`: the fast paths stream
// their products through it in chunks (gpu/fmm_executor.hpp). When a fast path cannot run within
// the limit, or the workspace cannot be allocated, the call runs cuBLAS instead (last_note() says
// why). One engine per thread and stream.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "gpu/candidate.hpp"
#include "gpu/device_buffer.hpp"
#include "gpu/tuning_table.hpp"

namespace fmm {

class GemmEngine {
 public:
  explicit GemmEngine(cublasHandle_t handle, gpu::TuningTable table = gpu::TuningTable::builtin(),
                      double workspace_fraction = 0.25, size_t max_workspace_bytes = SIZE_MAX);

  // The candidate name the engine would run ("cublas", "strassen^2").
  std::string choice(gpu::Precision p, long long M, long long N, long long K) const;

  // Returns CUBLAS_STATUS_SUCCESS or the failure as cuBLAS would report it; never throws.
  cublasStatus_t run(const gpu::GemmProblem& problem, cudaStream_t stream);

  // The last error message, when run() returned a failure.
  const std::string& last_error() const { return last_error_; }
  // Why the last call ran cuBLAS although the table named a fast path ("" when it did not).
  const std::string& last_note() const { return last_note_; }
  // Workspace the last call used, and the most the engine holds.
  size_t last_workspace_bytes() const { return last_workspace_; }
  size_t workspace_bytes() const { return workspace_.bytes(); }
  const std::string& gpu_name() const { return gpu_name_; }

 private:
  gpu::Candidate* candidate_for(const std::string& choice);
  gpu::Candidate* lookup(const gpu::GemmProblem& pr);
  cublasHandle_t handle_;
  gpu::TuningTable table_;
  double fraction_;
  size_t max_workspace_;
  std::string gpu_name_;
  std::map<std::string, std::unique_ptr<gpu::Candidate>> candidates_;
  gpu::Candidate* cublas_ = nullptr;
  // The last shape looked up and its candidate: repeated calls skip the table and the map.
  struct LastLookup {
    gpu::Precision p = gpu::Precision::F32;
    long long M = -1, N = -1, K = -1;
    gpu::Candidate* cand = nullptr;
  } last_;
  gpu::DeviceBuffer workspace_;
  size_t last_workspace_ = 0;
  std::string last_error_, last_note_;
};

namespace gpu {
// fmm::gemm itself as a benchmark row ("fmm::gemm", impl "auto"): an engine over `table` with
// the default workspace limit, created on first run with the handle it is given.
std::unique_ptr<Candidate> make_auto_candidate(TuningTable table);
}  // namespace gpu

cublasStatus_t gemm(GemmEngine& engine, int M, int N, int K, float alpha, const float* A, int lda, const float* B,
                    int ldb, float beta, float* C, int ldc, cudaStream_t stream = nullptr);
cublasStatus_t gemm(GemmEngine& engine, int M, int N, int K, double alpha, const double* A, int lda,
                    const double* B, int ldb, double beta, double* C, int ldc, cudaStream_t stream = nullptr);

}  // namespace fmm
