// The CUDA generator: NAME.cuh (API) and NAME.cu (three fused passes, one strided batched cuBLAS
// call, peeling). Plain CUDA C++17 without architecture-specific instructions, so sm_70 and newer.
#include "codegen/emit_common.hpp"
#include "codegen/generate.hpp"

namespace fmm::codegen {

namespace {


std::string cuh(const Plan& plan) {
  const std::string file = plan.name + ".cuh";
  std::string out = detail::provenance(plan, file, "fast matrix multiplication for CUDA, cuBLAS-like API");
  out += detail::peeling_doc();
  out += detail::fill(R"(//
// Usage (link with -lcublas):
//   std::size_t bytes = @NAME@::workspace_size(M, N, K);
//   void* ws = nullptr; cudaMalloc(&ws, bytes);
//   cublasStatus_t st = @NAME@::gemm(handle, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, ws, bytes, stream);
// C = alpha*A*B + beta*C with A M x K, B K x N, C M x N, all @LAYOUT@ with leading dimensions
// lda, ldb, ldc. beta == 0 never reads C. Returns CUBLAS_STATUS_INVALID_VALUE for negative sizes,
// leading dimensions that are too small, null pointers or a too small or misaligned workspace, and
// CUBLAS_STATUS_NOT_SUPPORTED when a dimension or leading dimension exceeds INT_MAX (cuBLAS's int API).
// Work is queued on `stream`; the handle's stream and pointer mode are restored before returning.
// The handle's math mode is the caller's: allow TF32 on it and the leaf products use TF32.
#pragma once

#include <cstddef>
#include <cstdint>

#include <cublas_v2.h>
#include <cuda_runtime.h>

namespace @NAME@ {

using value_type = @TYPE@;

)",
                      {{"NAME", plan.name},
                       {"LAYOUT", plan.layout == Layout::RowMajor ? "row-major" : "column-major"},
                       {"TYPE", detail::scalar_type(plan.precision)}});
  out += detail::constants(plan, "");
  out += R"(
// Bytes of workspace gemm() needs for these sizes; 0 when the call runs classically.
std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K,
                           std::int64_t min_block_dim = kDefaultMinBlockDim);

// C = alpha*A*B + beta*C (see above).
cublasStatus_t gemm(cublasHandle_t handle, std::int64_t M, std::int64_t N, std::int64_t K, value_type alpha,
                    const value_type* A, std::int64_t lda, const value_type* B, std::int64_t ldb, value_type beta,
                    value_type* C, std::int64_t ldc, void* workspace, std::size_t workspace_bytes,
                    cudaStream_t stream, std::int64_t min_block_dim = kDefaultMinBlockDim);

}  // namespace )" + plan.name + "\n";
  return out;
}

std::string cu(const Plan& plan) {
  const std::string file = plan.name + ".cu";
  std::string out = detail::provenance(plan, file, "fast matrix multiplication for CUDA, implementation");
  const bool f32 = plan.precision == Precision::F32;
  out += detail::fill(R"(
#include "@NAME@.cuh"

#include <climits>

namespace @NAME@ {

namespace {

using T = value_type;
constexpr int kThreads = 256;             // threads per block, along the leading dimension
constexpr std::int64_t kMaxGridY = 65535;  // CUDA's limit on gridDim.y

// Offset of element (row, col) in a matrix with leading dimension ld, in this file's layout.
__host__ __device__ inline std::int64_t at(std::int64_t row, std::int64_t col, std::int64_t ld) {
  return kRowMajor ? row * ld + col : row + col * ld;
}

// Fused pass over A: each thread takes one position (row, col) inside a rows x cols block, reads
// that position in all kBlocksM x kBlocksK blocks into registers once, and writes every left
// operand of the kRank block products into the workspace (packed, leading dimension rows or cols).
// Threads run along the leading dimension, so reads and writes are coalesced.
__global__ void __launch_bounds__(kThreads)
    combine_a(const T* __restrict__ A, std::int64_t lda, std::int64_t rows, std::int64_t cols, T* __restrict__ S) {
  const std::int64_t fast_extent = kRowMajor ? cols : rows;
  const std::int64_t slow_extent = kRowMajor ? rows : cols;
  const std::int64_t row_step = at(rows, 0, lda);  // block (i, j) -> block (i + 1, j)
  const std::int64_t col_step = at(0, cols, lda);  // block (i, j) -> block (i, j + 1)
  const std::int64_t plane = rows * cols;          // one packed operand
  (void)row_step, (void)col_step;                  // unused when there is one block row or column
  for (std::int64_t slow = blockIdx.y; slow < slow_extent; slow += gridDim.y)
    for (std::int64_t fast = std::int64_t(blockIdx.x) * kThreads + threadIdx.x; fast < fast_extent;
         fast += std::int64_t(gridDim.x) * kThreads) {
      const T* a = A + slow * lda + fast;    // this position in block (0, 0)
      T* s = S + slow * fast_extent + fast;  // this position in packed operand 0
@BODY_A@    }
}

// Fused pass over B, as for A: every right operand of the kRank block products.
__global__ void __launch_bounds__(kThreads)
    combine_b(const T* __restrict__ B, std::int64_t ldb, std::int64_t rows, std::int64_t cols, T* __restrict__ S) {
  const std::int64_t fast_extent = kRowMajor ? cols : rows;
  const std::int64_t slow_extent = kRowMajor ? rows : cols;
  const std::int64_t row_step = at(rows, 0, ldb);
  const std::int64_t col_step = at(0, cols, ldb);
  const std::int64_t plane = rows * cols;
  (void)row_step, (void)col_step;
  for (std::int64_t slow = blockIdx.y; slow < slow_extent; slow += gridDim.y)
    for (std::int64_t fast = std::int64_t(blockIdx.x) * kThreads + threadIdx.x; fast < fast_extent;
         fast += std::int64_t(gridDim.x) * kThreads) {
      const T* b = B + slow * ldb + fast;
      T* s = S + slow * fast_extent + fast;
@BODY_B@    }
}

template <bool kBetaZero>
__device__ __forceinline__ void store(T& out, T value, T alpha, T beta) {
  if constexpr (kBetaZero) {
    out = alpha * value;  // C is not read: it may be uninitialized
  } else {
    out = alpha * value + beta * out;
  }
}

// Fused pass over C: each thread reads the kRank products at its position once and writes that
// position of every block of C, applying alpha and beta.
template <bool kBetaZero>
__global__ void __launch_bounds__(kThreads)
    combine_c(const T* __restrict__ P, std::int64_t rows, std::int64_t cols, T alpha, T beta, T* __restrict__ C,
              std::int64_t ldc) {
  const std::int64_t fast_extent = kRowMajor ? cols : rows;
  const std::int64_t slow_extent = kRowMajor ? rows : cols;
  const std::int64_t row_step = at(rows, 0, ldc);
  const std::int64_t col_step = at(0, cols, ldc);
  const std::int64_t plane = rows * cols;
  (void)row_step, (void)col_step;
  for (std::int64_t slow = blockIdx.y; slow < slow_extent; slow += gridDim.y)
    for (std::int64_t fast = std::int64_t(blockIdx.x) * kThreads + threadIdx.x; fast < fast_extent;
         fast += std::int64_t(gridDim.x) * kThreads) {
      const T* p = P + slow * fast_extent + fast;  // this position in product 0
      T* c = C + slow * ldc + fast;                // this position in block (0, 0) of C
@BODY_C@    }
}

dim3 grid_for(std::int64_t rows, std::int64_t cols) {
  const std::int64_t fast_extent = kRowMajor ? cols : rows;
  const std::int64_t slow_extent = kRowMajor ? rows : cols;
  const std::int64_t x = (fast_extent + kThreads - 1) / kThreads;
  return dim3(static_cast<unsigned>(x < INT_MAX ? x : INT_MAX),
              static_cast<unsigned>(slow_extent < kMaxGridY ? slow_extent : kMaxGridY));
}

bool fits_int(std::int64_t value) { return value <= INT_MAX; }

cublasStatus_t launched() {
  return cudaGetLastError() == cudaSuccess ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_EXECUTION_FAILED;
}

// Column-major C = alpha A B + beta C through cuBLAS, host scalars.
cublasStatus_t gemm_colmajor(cublasHandle_t handle, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
                             const T* A, std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C,
                             std::int64_t ldc) {
  if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;
  if (!fits_int(m) || !fits_int(n) || !fits_int(k) || !fits_int(lda) || !fits_int(ldb) || !fits_int(ldc))
    return CUBLAS_STATUS_NOT_SUPPORTED;
  return @GEMM@(handle, CUBLAS_OP_N, CUBLAS_OP_N, int(m), int(n), int(k), &alpha, A, int(lda), B, int(ldb), &beta, C,
                int(ldc));
}

// The classical product in this file's layout: a row-major C = A B is the column-major
// C^T = B^T A^T on the same memory.
cublasStatus_t classical(cublasHandle_t handle, std::int64_t M, std::int64_t N, std::int64_t K, T alpha, const T* A,
                         std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C, std::int64_t ldc) {
  return kRowMajor ? gemm_colmajor(handle, N, M, K, alpha, B, ldb, A, lda, beta, C, ldc)
                   : gemm_colmajor(handle, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

// The kRank leaf products P_r = S_r * T_r (all bm x bk times bk x bn, packed) in one strided
// batched call.
cublasStatus_t leaf_products(cublasHandle_t handle, std::int64_t bm, std::int64_t bn, std::int64_t bk, const T* SA,
                             const T* SB, T* P) {
  if (!fits_int(bm) || !fits_int(bn) || !fits_int(bk)) return CUBLAS_STATUS_NOT_SUPPORTED;
  const T one = 1, zero = 0;
  if (kRowMajor)
    return @BATCHED@(handle, CUBLAS_OP_N, CUBLAS_OP_N, int(bn), int(bm), int(bk), &one, SB, int(bn), bk * bn, SA,
                     int(bk), bm * bk, &zero, P, int(bn), bm * bn, kRank);
  return @BATCHED@(handle, CUBLAS_OP_N, CUBLAS_OP_N, int(bm), int(bn), int(bk), &one, SA, int(bm), bm * bk, SB,
                   int(bk), bk * bn, &zero, P, int(bm), bm * bn, kRank);
}

// Sets the caller's stream and host pointer mode on the handle, restores both on every return.
class HandleScope {
 public:
  HandleScope(cublasHandle_t handle, cudaStream_t stream) : handle_(handle) {
    status_ = cublasGetStream(handle, &saved_stream_);
    if (status_ == CUBLAS_STATUS_SUCCESS) status_ = cublasGetPointerMode(handle, &saved_mode_);
    if (status_ != CUBLAS_STATUS_SUCCESS) return;
    saved_ = true;
    status_ = cublasSetStream(handle, stream);
    if (status_ == CUBLAS_STATUS_SUCCESS) status_ = cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_HOST);
  }
  ~HandleScope() {
    if (!saved_) return;
    cublasSetStream(handle_, saved_stream_);
    cublasSetPointerMode(handle_, saved_mode_);
  }
  HandleScope(const HandleScope&) = delete;
  HandleScope& operator=(const HandleScope&) = delete;
  cublasStatus_t status() const { return status_; }

 private:
  cublasHandle_t handle_;
  cudaStream_t saved_stream_ = nullptr;
  cublasPointerMode_t saved_mode_ = CUBLAS_POINTER_MODE_HOST;
  bool saved_ = false;
  cublasStatus_t status_ = CUBLAS_STATUS_SUCCESS;
};

}  // namespace

std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K, std::int64_t min_block_dim) {
  if (M < 0 || N < 0 || K < 0) return 0;
  const std::int64_t least = min_block_dim < 1 ? 1 : min_block_dim;
  const std::int64_t bm = M / kBlocksM, bk = K / kBlocksK, bn = N / kBlocksN;
  if (bm < least || bk < least || bn < least) return 0;
  return std::size_t(kRank) * std::size_t(bm * bk + bk * bn + bm * bn) * sizeof(T);
}

cublasStatus_t gemm(cublasHandle_t handle, std::int64_t M, std::int64_t N, std::int64_t K, T alpha, const T* A,
                    std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C, std::int64_t ldc, void* workspace,
                    std::size_t workspace_bytes, cudaStream_t stream, std::int64_t min_block_dim) {
  if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (M < 0 || N < 0 || K < 0) return CUBLAS_STATUS_INVALID_VALUE;
  // Leading dimensions as cuBLAS checks them, in this file's layout.
  const std::int64_t min_lda = kRowMajor ? K : M, min_ldb = kRowMajor ? N : K, min_ldc = kRowMajor ? N : M;
  if (lda < (min_lda > 1 ? min_lda : 1) || ldb < (min_ldb > 1 ? min_ldb : 1) || ldc < (min_ldc > 1 ? min_ldc : 1))
    return CUBLAS_STATUS_INVALID_VALUE;
  if (M == 0 || N == 0) return CUBLAS_STATUS_SUCCESS;
  if (C == nullptr || (K > 0 && (A == nullptr || B == nullptr))) return CUBLAS_STATUS_INVALID_VALUE;
  const std::size_t needed = workspace_size(M, N, K, min_block_dim);
  if (workspace_bytes < needed) return CUBLAS_STATUS_INVALID_VALUE;
  if (needed > 0 && (workspace == nullptr || reinterpret_cast<std::uintptr_t>(workspace) % alignof(T) != 0))
    return CUBLAS_STATUS_INVALID_VALUE;

  HandleScope scope(handle, stream);
  if (scope.status() != CUBLAS_STATUS_SUCCESS) return scope.status();
  if (needed == 0) return classical(handle, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);

  const std::int64_t bm = M / kBlocksM, bk = K / kBlocksK, bn = N / kBlocksN;
  const std::int64_t Mc = bm * kBlocksM, Kc = bk * kBlocksK, Nc = bn * kBlocksN;  // the core
  T* SA = static_cast<T*>(workspace);  // kRank packed bm x bk left operands
  T* SB = SA + kRank * bm * bk;         // kRank packed bk x bn right operands
  T* P = SB + kRank * bk * bn;          // kRank packed bm x bn products

  combine_a<<<grid_for(bm, bk), kThreads, 0, stream>>>(A, lda, bm, bk, SA);
  cublasStatus_t status = launched();
  if (status != CUBLAS_STATUS_SUCCESS) return status;
  combine_b<<<grid_for(bk, bn), kThreads, 0, stream>>>(B, ldb, bk, bn, SB);
  if ((status = launched()) != CUBLAS_STATUS_SUCCESS) return status;
  if ((status = leaf_products(handle, bm, bn, bk, SA, SB, P)) != CUBLAS_STATUS_SUCCESS) return status;
  if (beta == T(0))
    combine_c<true><<<grid_for(bm, bn), kThreads, 0, stream>>>(P, bm, bn, alpha, beta, C, ldc);
  else
    combine_c<false><<<grid_for(bm, bn), kThreads, 0, stream>>>(P, bm, bn, alpha, beta, C, ldc);
  if ((status = launched()) != CUBLAS_STATUS_SUCCESS) return status;

  // Peeling: the strips the core left out, classically (see @NAME@.cuh).
  if (Kc < K &&
      (status = classical(handle, Mc, Nc, K - Kc, alpha, A + at(0, Kc, lda), lda, B + at(Kc, 0, ldb), ldb, T(1), C,
                          ldc)) != CUBLAS_STATUS_SUCCESS)
    return status;
  if (Nc < N && (status = classical(handle, Mc, N - Nc, K, alpha, A, lda, B + at(0, Nc, ldb), ldb, beta,
                                    C + at(0, Nc, ldc), ldc)) != CUBLAS_STATUS_SUCCESS)
    return status;
  if (Mc < M && (status = classical(handle, M - Mc, N, K, alpha, A + at(Mc, 0, lda), lda, B, ldb, beta,
                                    C + at(Mc, 0, ldc), ldc)) != CUBLAS_STATUS_SUCCESS)
    return status;
  return CUBLAS_STATUS_SUCCESS;
}

}  // namespace @NAME@
)",
                      {{"NAME", plan.name},
                       {"GEMM", f32 ? "cublasSgemm" : "cublasDgemm"},
                       {"BATCHED", f32 ? "cublasSgemmStridedBatched" : "cublasDgemmStridedBatched"},
                       {"BODY_A", detail::combine_body(plan, detail::Operand::A, "      ")},
                       {"BODY_B", detail::combine_body(plan, detail::Operand::B, "      ")},
                       {"BODY_C", detail::combine_body(plan, detail::Operand::C, "      ")}});
  return out;
}

}  // namespace

GeneratedFiles generate_cuda(const Plan& plan) { return {{plan.name + ".cuh", cuh(plan)}, {plan.name + ".cu", cu(plan)}}; }

}  // namespace fmm::codegen
