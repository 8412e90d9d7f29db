#include "gpu/blas.hpp"

#include <climits>
#include <string>

#include "gpu/cuda_check.hpp"

namespace fmm::gpu {

namespace {

int as_int(long long v, const char* what) {
  if (v < 0 || v > INT_MAX)
    throw CudaError(std::string("cuBLAS argument ") + what + " = " + std::to_string(v) + " does not fit in int");
  return static_cast<int>(v);
}

struct ExTypes {
  cudaDataType_t ab, c;
  cublasComputeType_t compute;
};

ExTypes ex_types(Precision p) {
  switch (p) {
    case Precision::TF32: return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32};
    case Precision::BF16: return {CUDA_R_16BF, CUDA_R_32F, CUBLAS_COMPUTE_32F};
    case Precision::F32: return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F};
    case Precision::F64: return {CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F};
  }
  return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F};
}

}  // namespace

void set_math_mode(cublasHandle_t handle, Precision p) {
  FMM_CUBLAS_CHECK(cublasSetMathMode(handle, p == Precision::TF32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
}

void blas_gemm(cublasHandle_t handle, Precision p, long long M, long long N, long long K, double alpha,
               const void* A, long long lda, const void* B, long long ldb, double beta, void* C, long long ldc) {
  const int m = as_int(M, "M"), n = as_int(N, "N"), k = as_int(K, "K");
  const int la = as_int(lda, "lda"), lb = as_int(ldb, "ldb"), lc = as_int(ldc, "ldc");
  if (p == Precision::F32) {
    const float a = static_cast<float>(alpha), b = static_cast<float>(beta);
    FMM_CUBLAS_CHECK(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &a, static_cast<const float*>(A), la,
                                 static_cast<const float*>(B), lb, &b, static_cast<float*>(C), lc));
  } else if (p == Precision::F64) {
    FMM_CUBLAS_CHECK(cublasDgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, static_cast<const double*>(A), la,
                                 static_cast<const double*>(B), lb, &beta, static_cast<double*>(C), lc));
  } else {
    const ExTypes t = ex_types(p);
    const float a = static_cast<float>(alpha), b = static_cast<float>(beta);
    FMM_CUBLAS_CHECK(cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &a, A, t.ab, la, B, t.ab, lb, &b, C, t.c,
                                  lc, t.compute, CUBLAS_GEMM_DEFAULT));
  }
}

void blas_gemm_strided_batched(cublasHandle_t handle, Precision p, long long M, long long N, long long K,
                               double alpha, const void* A, long long lda, long long stride_a, const void* B,
                               long long ldb, long long stride_b, double beta, void* C, long long ldc,
                               long long stride_c, long long batch) {
  const int m = as_int(M, "M"), n = as_int(N, "N"), k = as_int(K, "K");
  const int la = as_int(lda, "lda"), lb = as_int(ldb, "ldb"), lc = as_int(ldc, "ldc");
  const int count = as_int(batch, "batch");
  if (p == Precision::F32) {
    const float a = static_cast<float>(alpha), b = static_cast<float>(beta);
    FMM_CUBLAS_CHECK(cublasSgemmStridedBatched(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &a,
                                               static_cast<const float*>(A), la, stride_a,
                                               static_cast<const float*>(B), lb, stride_b, &b,
                                               static_cast<float*>(C), lc, stride_c, count));
  } else if (p == Precision::F64) {
    FMM_CUBLAS_CHECK(cublasDgemmStridedBatched(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha,
                                               static_cast<const double*>(A), la, stride_a,
                                               static_cast<const double*>(B), lb, stride_b, &beta,
                                               static_cast<double*>(C), lc, stride_c, count));
  } else {
    const ExTypes t = ex_types(p);
    const float a = static_cast<float>(alpha), b = static_cast<float>(beta);
    FMM_CUBLAS_CHECK(cublasGemmStridedBatchedEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &a, A, t.ab, la, stride_a,
                                                B, t.ab, lb, stride_b, &b, C, t.c, lc, stride_c, count, t.compute,
                                                CUBLAS_GEMM_DEFAULT));
  }
}

}  // namespace fmm::gpu
