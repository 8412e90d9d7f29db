// Runs an FmmPlan on the GPU for any M, N, K, straight from a verified scheme (no generated
// code): the path for scheme files given at run time and the reference the generated kernels
// are checked against.
//
// One pass over the products, or several chunks when the workspace is smaller:
//   1. one kernel reads every A block once and writes all left operands S_r = sum u_r A_ij,
//      one for B writes T_r = sum v_r B_jk (each thread block stages one tile position of
//      every block in shared memory, so A and B are read once, not once per term);
//   2. one cublas<T>gemmStridedBatched computes P_r = S_r T_r for the chunk's products;
//   3. one kernel forms C_ik = alpha sum w_r P_r + beta C_ik from the staged P tiles.
// Sizes that do not divide are padded virtually: blocks are ceil(M/n) rounded up to 32
// rows, out-of-range elements read as zero and are never written. C is never read when
// beta == 0, so a poisoned output stays detectable.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <memory>

#include "gpu/fmm_plan.hpp"
#include "gpu/gemm_problem.hpp"

namespace fmm::gpu {

class FmmExecutor {
 public:
  // How the leaf products run: one strided-batched call per chunk, or one GEMM per product
  // (cuBLAS may pick a different kernel for a lone product than for a batch).
  enum class LeafMode { Batched, Looped };

  explicit FmmExecutor(FmmPlan plan, LeafMode leaf = LeafMode::Batched);
  LeafMode leaf_mode() const { return leaf_; }
  ~FmmExecutor();
  FmmExecutor(FmmExecutor&&) noexcept;
  FmmExecutor& operator=(FmmExecutor&&) noexcept;

  const FmmPlan& plan() const { return plan_; }

  struct Geometry {
    long long bm = 0, bk = 0, bn = 0;  // leaf block sizes (padded)
  };
  Geometry geometry(long long M, long long N, long long K) const;
  size_t bytes_per_product(Precision p, long long M, long long N, long long K) const;
  // Workspace for all products in one pass; run() also accepts less (down to one product).
  size_t workspace_size(Precision p, long long M, long long N, long long K) const;
  // Number of chunks run() will use with `bytes` of workspace (0: too little workspace).
  int chunk_count(Precision p, long long M, long long N, long long K, size_t bytes) const;

  // Time spent in each phase (CUDA events between them, summed over chunks).
  struct PhaseTimes {
    double form_ms = 0;     // operand sums S and T
    double gemm_ms = 0;     // the batched leaf products
    double combine_ms = 0;  // C from the products
    int chunks = 0;
  };

  // Enqueues the product on `stream` (set on the handle). Throws CudaError on any failure
  // and fmm::Error when the workspace is smaller than one product needs. With `times`, it
  // also records events between the phases and synchronizes the stream to read them.
  void run(const GemmProblem& problem, void* workspace, size_t bytes, cublasHandle_t handle, cudaStream_t stream,
           PhaseTimes* times = nullptr) const;

 private:
  struct DeviceTables;
  int chunk_size(Precision p, long long M, long long N, long long K, size_t bytes) const;
  FmmPlan plan_;
  LeafMode leaf_ = LeafMode::Batched;
  mutable std::unique_ptr<DeviceTables> tables_;  // uploaded on first run (needs a CUDA context)
};

}  // namespace fmm::gpu
