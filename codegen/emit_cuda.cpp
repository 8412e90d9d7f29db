// The CUDA generator: NAME.cuh (API) and NAME.cu (per chunk of products: three fused passes and one
// strided batched cuBLAS call; peeling). Plain CUDA C++17 without architecture-specific instructions, so sm_70 and newer.
#include "codegen/emit_common.hpp"
#include "codegen/generate.hpp"

namespace fmm::codegen {

namespace {

using detail::Operand;

// The loops every fused pass runs: each thread takes positions (slow, fast) of a rows x cols block,
// threads along the leading dimension so that reads and writes are coalesced.
const char* kPositionLoop = R"(  for (std::int64_t slow = blockIdx.y; slow < slow_extent; slow += gridDim.y)
    for (std::int64_t fast = std::int64_t(blockIdx.x) * kThreads + threadIdx.x; fast < fast_extent;
         fast += std::int64_t(gridDim.x) * kThreads) {
)";

const char* kPrologue = R"(  const std::int64_t fast_extent = kRowMajor ? cols : rows;
  const std::int64_t slow_extent = kRowMajor ? rows : cols;
  const std::int64_t row_step = at(rows, 0, @LD@);  // block (i, j) -> block (i + 1, j)
  const std::int64_t col_step = at(0, cols, @LD@);  // block (i, j) -> block (i, j + 1)
  const std::int64_t plane = rows * cols;          // one packed operand or product
  (void)row_step, (void)col_step, (void)plane;     // unused where a chunk needs no other block
)";

std::string chunk_id(size_t s, size_t k) { return std::to_string(s) + "_" + std::to_string(k); }

// The three fused passes of every chunk of every chunking, one kernel each (small functions keep
// the compile time linear in the code), and per chunking a table of them indexed by chunk.
std::string kernels(const Plan& plan, const std::vector<detail::Schedule>& all) {
  std::string out;
  for (size_t s = 0; s < all.size(); ++s) {
    const detail::Schedule& sc = all[s];
    out += "// Chunking " + std::to_string(s) + ": " + std::to_string(sc.chunks.size()) + " chunk(s) of at most " +
           std::to_string(sc.capacity) + " products. Per chunk: a fused pass over A (each thread takes one\n"
           "// position inside a rows x cols block, reads that position in the blocks of A the chunk needs, once,\n"
           "// and writes the chunk's left operands, packed), the same over B, and a fused pass over C (the\n"
           "// chunk's products at one position, added into the blocks of C the chunk feeds; alpha and beta where\n"
           "// the chunk writes a block first).\n";
    for (size_t k = 0; k < sc.chunks.size(); ++k) {
      const std::string id = chunk_id(s, k);
      out += "__global__ void __launch_bounds__(kThreads)\n    form_a_" + id +
             "(const T* __restrict__ A, std::int64_t lda, std::int64_t rows, std::int64_t cols, T* __restrict__ S) {\n" +
             detail::fill(kPrologue, {{"LD", "lda"}}) + kPositionLoop +
             "      const T* a = A + slow * lda + fast;    // this position in block (0, 0)\n"
             "      T* s = S + slow * fast_extent + fast;  // this position in packed operand 0\n" +
             detail::chunk_body(plan, sc, k, Operand::A, "      ") + "    }\n}\n\n";
      out += "__global__ void __launch_bounds__(kThreads)\n    form_b_" + id +
             "(const T* __restrict__ B, std::int64_t ldb, std::int64_t rows, std::int64_t cols, T* __restrict__ S) {\n" +
             detail::fill(kPrologue, {{"LD", "ldb"}}) + kPositionLoop +
             "      const T* b = B + slow * ldb + fast;\n"
             "      T* s = S + slow * fast_extent + fast;\n" +
             detail::chunk_body(plan, sc, k, Operand::B, "      ") + "    }\n}\n\n";
      out += "template <bool kBetaZero>\n__global__ void __launch_bounds__(kThreads)\n    form_c_" + id +
             "(const T* __restrict__ P, std::int64_t rows, std::int64_t cols, T alpha, T beta, T* __restrict__ C,\n"
             "             std::int64_t ldc) {\n" +
             detail::fill(kPrologue, {{"LD", "ldc"}}) + "  (void)beta;\n" + kPositionLoop +
             "      const T* p = P + slow * fast_extent + fast;  // this position in product 0\n"
             "      T* c = C + slow * ldc + fast;                // this position in block (0, 0) of C\n" +
             detail::chunk_body(plan, sc, k, Operand::C, "      ") + "    }\n}\n\n";
    }
  }
  return out;
}

// Per chunking: the kernels and product counts of its chunks, the host loop over them; then
// run_schedule() picking a chunking.
std::string runners(const Plan& plan, const std::vector<detail::Schedule>& all) {
  (void)plan;
  std::string out = R"(using FormKernel = void (*)(const T*, std::int64_t, std::int64_t, std::int64_t, T*);
using CombineKernel = void (*)(const T*, std::int64_t, std::int64_t, T, T, T*, std::int64_t);

)";
  for (size_t s = 0; s < all.size(); ++s) {
    const std::string id = std::to_string(s);
    std::string counts, fa, fb, fc0, fc1;
    for (size_t k = 0; k < all[s].chunks.size(); ++k) {
      const std::string sep = k ? ", " : "";
      const std::string cid = chunk_id(s, k);
      counts += sep + std::to_string(all[s].chunks[k].products.size());
      fa += sep + "form_a_" + cid;
      fb += sep + "form_b_" + cid;
      fc0 += sep + "form_c_" + cid + "<true>";
      fc1 += sep + "form_c_" + cid + "<false>";
    }
    out += "// Chunking " + id + ": products, and the three passes, of each chunk.\n";
    out += "constexpr int kChunkProducts" + id + "[] = {" + counts + "};\n";
    out += "constexpr FormKernel kFormA" + id + "[] = {" + fa + "};\n";
    out += "constexpr FormKernel kFormB" + id + "[] = {" + fb + "};\n";
    out += "constexpr CombineKernel kFormCBetaZero" + id + "[] = {" + fc0 + "};\n";
    out += "constexpr CombineKernel kFormC" + id + "[] = {" + fc1 + "};\n\n";
    out += "cublasStatus_t run_chunks_" + id + R"((cublasHandle_t handle, cudaStream_t stream, std::int64_t bm, std::int64_t bk,
                              std::int64_t bn, const T* A, std::int64_t lda, const T* B, std::int64_t ldb, T alpha,
                              T beta, T* C, std::int64_t ldc, T* SA, T* SB, T* P) {
  cublasStatus_t status;
  for (int chunk = 0; chunk < kScheduleChunks[@ID@]; ++chunk) {
    kFormA@ID@[chunk]<<<grid_for(bm, bk), kThreads, 0, stream>>>(A, lda, bm, bk, SA);
    if ((status = launched()) != CUBLAS_STATUS_SUCCESS) return status;
    kFormB@ID@[chunk]<<<grid_for(bk, bn), kThreads, 0, stream>>>(B, ldb, bk, bn, SB);
    if ((status = launched()) != CUBLAS_STATUS_SUCCESS) return status;
    if ((status = leaf_products(handle, bm, bn, bk, kChunkProducts@ID@[chunk], SA, SB, P)) != CUBLAS_STATUS_SUCCESS)
      return status;
    const CombineKernel combine = beta == T(0) ? kFormCBetaZero@ID@[chunk] : kFormC@ID@[chunk];
    combine<<<grid_for(bm, bn), kThreads, 0, stream>>>(P, bm, bn, alpha, beta, C, ldc);
    if ((status = launched()) != CUBLAS_STATUS_SUCCESS) return status;
  }
  return CUBLAS_STATUS_SUCCESS;
}

)";
    out = detail::fill(out, {{"ID", id}});
  }
  out += R"(cublasStatus_t run_schedule(int s, cublasHandle_t handle, cudaStream_t stream, std::int64_t bm, std::int64_t bk,
                            std::int64_t bn, const T* A, std::int64_t lda, const T* B, std::int64_t ldb, T alpha,
                            T beta, T* C, std::int64_t ldc, T* SA, T* SB, T* P) {
  switch (s) {
)";
  for (size_t s = 0; s < all.size(); ++s)
    out += "    case " + std::to_string(s) + ":\n      return run_chunks_" + std::to_string(s) +
           "(handle, stream, bm, bk, bn, A, lda, B, ldb, alpha, beta, C, ldc, SA, SB, P);\n";
  out += "    default:\n      return CUBLAS_STATUS_INTERNAL_ERROR;\n  }\n}\n";
  return out;
}

std::string cuh(const Plan& plan) {
  const std::string file = plan.name + ".cuh";
  std::string out = detail::provenance(plan, file, "fast matrix multiplication for CUDA, cuBLAS-like API");
  out += detail::peeling_doc();
  out += detail::fill(R"(//
// Usage (link with -lcublas):
//   std::size_t bytes = @NAME@::workspace_size(M, N, K);  // at most a quarter of A + B + C
//   void* ws = nullptr; cudaMalloc(&ws, bytes);
//   cublasStatus_t st = @NAME@::gemm(handle, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, ws, bytes, stream);
// C = alpha*A*B + beta*C with A M x K, B K x N, C M x N, all @LAYOUT@ with leading dimensions
// lda, ldb, ldc. beta == 0 never reads C. Returns CUBLAS_STATUS_INVALID_VALUE for negative sizes,
// leading dimensions that are too small, null pointers or a null or misaligned workspace where one
// is used, and CUBLAS_STATUS_NOT_SUPPORTED when a dimension or leading dimension exceeds INT_MAX
// (cuBLAS's int API). A workspace too small for every chunking runs the classical product.
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
// A quarter of the bytes of A, B and C: the default workspace limit.
std::size_t default_workspace_limit(std::int64_t M, std::int64_t N, std::int64_t K);

// Bytes of workspace gemm() uses for these sizes with at most `limit_bytes` of it (the first form:
// default_workspace_limit); 0 when the call runs classically (blocks thinner than min_block_dim, or
// no chunking fits the limit).
std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K);
std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K, std::size_t limit_bytes,
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
  const std::vector<detail::Schedule> all = detail::schedules(plan);
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

template <bool kBetaZero>
__device__ __forceinline__ void store(T& out, T value, T alpha, T beta) {
  if constexpr (kBetaZero) {
    out = alpha * value;  // C is not read: it may be uninitialized
  } else {
    out = alpha * value + beta * out;
  }
}

// A C block an earlier chunk already wrote.
__device__ __forceinline__ void accumulate(T& out, T value, T alpha) { out += alpha * value; }

@KERNELS@
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

// A chunk's `count` leaf products P_r = S_r * T_r (all bm x bk times bk x bn, packed) in one
// strided batched call.
cublasStatus_t leaf_products(cublasHandle_t handle, std::int64_t bm, std::int64_t bn, std::int64_t bk, int count,
                             const T* SA, const T* SB, T* P) {
  if (!fits_int(bm) || !fits_int(bn) || !fits_int(bk)) return CUBLAS_STATUS_NOT_SUPPORTED;
  const T one = 1, zero = 0;
  if (kRowMajor)
    return @BATCHED@(handle, CUBLAS_OP_N, CUBLAS_OP_N, int(bn), int(bm), int(bk), &one, SB, int(bn), bk * bn, SA,
                     int(bk), bm * bk, &zero, P, int(bn), bm * bn, count);
  return @BATCHED@(handle, CUBLAS_OP_N, CUBLAS_OP_N, int(bm), int(bn), int(bk), &one, SA, int(bm), bm * bk, SB,
                   int(bk), bk * bn, &zero, P, int(bm), bm * bn, count);
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

// Workspace of chunking s for leaf blocks bm x bk, bk x bn, bm x bn.
std::size_t schedule_bytes(int s, std::int64_t bm, std::int64_t bk, std::int64_t bn) {
  return std::size_t(kScheduleCapacity[s]) * std::size_t(bm * bk + bk * bn + bm * bn) * sizeof(T);
}

// The coarsest chunking whose workspace fits `bytes`; -1 when the call runs classically.
int schedule_for(std::int64_t M, std::int64_t N, std::int64_t K, std::size_t bytes, std::int64_t min_block_dim) {
  if (M < 0 || N < 0 || K < 0) return -1;
  const std::int64_t least = min_block_dim < 1 ? 1 : min_block_dim;
  const std::int64_t bm = M / kBlocksM, bk = K / kBlocksK, bn = N / kBlocksN;
  if (bm < least || bk < least || bn < least) return -1;
  for (int s = 0; s < kSchedules; ++s)
    if (schedule_bytes(s, bm, bk, bn) <= bytes) return s;
  return -1;
}

@RUNNERS@
}  // namespace

std::size_t default_workspace_limit(std::int64_t M, std::int64_t N, std::int64_t K) {
  if (M < 0 || N < 0 || K < 0) return 0;
  const double elements = double(M) * double(K) + double(K) * double(N) + double(M) * double(N);
  const double bytes = elements * double(sizeof(T)) / 4;
  return bytes >= 1.8e19 ? ~std::size_t(0) : static_cast<std::size_t>(bytes);
}

std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K) {
  return workspace_size(M, N, K, default_workspace_limit(M, N, K), kDefaultMinBlockDim);
}

std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K, std::size_t limit_bytes,
                           std::int64_t min_block_dim) {
  const int s = schedule_for(M, N, K, limit_bytes, min_block_dim);
  return s < 0 ? 0 : schedule_bytes(s, M / kBlocksM, K / kBlocksK, N / kBlocksN);
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
  const int schedule = schedule_for(M, N, K, workspace_bytes, min_block_dim);
  if (schedule >= 0 && (workspace == nullptr || reinterpret_cast<std::uintptr_t>(workspace) % alignof(T) != 0))
    return CUBLAS_STATUS_INVALID_VALUE;

  HandleScope scope(handle, stream);
  if (scope.status() != CUBLAS_STATUS_SUCCESS) return scope.status();
  if (schedule < 0) return classical(handle, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);

  const std::int64_t bm = M / kBlocksM, bk = K / kBlocksK, bn = N / kBlocksN;
  const std::int64_t Mc = bm * kBlocksM, Kc = bk * kBlocksK, Nc = bn * kBlocksN;  // the core
  const std::int64_t capacity = kScheduleCapacity[schedule];
  T* SA = static_cast<T*>(workspace);  // a chunk's packed bm x bk left operands
  T* SB = SA + capacity * bm * bk;      // its packed bk x bn right operands
  T* P = SB + capacity * bk * bn;       // its packed bm x bn products
  cublasStatus_t status = run_schedule(schedule, handle, stream, bm, bk, bn, A, lda, B, ldb, alpha, beta, C, ldc,
                                       SA, SB, P);
  if (status != CUBLAS_STATUS_SUCCESS) return status;

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
                       {"KERNELS", kernels(plan, all)},
                       {"RUNNERS", runners(plan, all)}});
  return out;
}

}  // namespace

GeneratedFiles generate_cuda(const Plan& plan) { return {{plan.name + ".cuh", cuh(plan)}, {plan.name + ".cu", cu(plan)}}; }

}  // namespace fmm::codegen
