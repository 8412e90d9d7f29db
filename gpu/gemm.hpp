// fmm::gemm - a cuBLAS-shaped GEMM that picks, per precision and shape, either cuBLAS or the
// fast algorithm the tuning table (tuning_table.hpp) measured fastest on this GPU. With no
// table entry for the card or the shape it is cuBLAS, so a call is never slower than cuBLAS
// by more than the noise of the measurements behind the table.
//
//   fmm::GemmEngine engine(handle);   // uses the tuning table committed with this build
//   fmm::gemm(engine, M, N, K, 1.0f, A, lda, B, ldb, 0.0f, C, ldc, stream);
//
// Column-major like cuBLAS: C = alpha A B + beta C, A M x K, B K x N. The engine owns the
// workspace of the fast paths (grown on demand, up to `max_workspace_bytes`); when it cannot
// get the workspace it runs cuBLAS instead. One engine per thread and stream.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

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
                      size_t max_workspace_bytes = size_t(48) << 30);

  // The candidate name the engine would run ("cublas", "strassen^2").
  std::string choice(gpu::Precision p, long long M, long long N, long long K) const;

  // Returns CUBLAS_STATUS_SUCCESS or the failure as cuBLAS would report it; never throws.
  cublasStatus_t run(const gpu::GemmProblem& problem, cudaStream_t stream);

  // The last error message, when run() returned a failure.
  const std::string& last_error() const { return last_error_; }
  const std::string& gpu_name() const { return gpu_name_; }

 private:
  gpu::Candidate* candidate_for(const std::string& choice);
  cublasHandle_t handle_;
  gpu::TuningTable table_;
  size_t max_workspace_;
  std::string gpu_name_;
  std::map<std::string, std::unique_ptr<gpu::Candidate>> candidates_;
  gpu::DeviceBuffer workspace_;
  std::string last_error_;
};

cublasStatus_t gemm(GemmEngine& engine, int M, int N, int K, float alpha, const float* A, int lda, const float* B,
                    int ldb, float beta, float* C, int ldc, cudaStream_t stream = nullptr);
cublasStatus_t gemm(GemmEngine& engine, int M, int N, int K, double alpha, const double* A, int lda,
                    const double* B, int ldb, double beta, double* C, int ldc, cudaStream_t stream = nullptr);

}  // namespace fmm
