// The cuBLAS calls every path uses, one per precision: the classical baseline and the leaf
// products of the fast algorithms go through the same entry points, so both get cuBLAS's
// best kernel for their shape. Column-major, C = alpha A B + beta C, A M x K, B K x N.
// Errors throw CudaError. The handle's stream is the caller's business.
#pragma once

#include <cublas_v2.h>

#include "gpu/precision.hpp"

namespace fmm::gpu {

// Sets the math mode a precision needs (TF32 tensor-core mode only for Precision::TF32;
// plain F32 must not be silently TF32).
void set_math_mode(cublasHandle_t handle, Precision p);

void blas_gemm(cublasHandle_t handle, Precision p, long long M, long long N, long long K, double alpha,
               const void* A, long long lda, const void* B, long long ldb, double beta, void* C, long long ldc);

void blas_gemm_strided_batched(cublasHandle_t handle, Precision p, long long M, long long N, long long K,
                               double alpha, const void* A, long long lda, long long stride_a, const void* B,
                               long long ldb, long long stride_b, double beta, void* C, long long ldc,
                               long long stride_c, long long batch);

}  // namespace fmm::gpu
