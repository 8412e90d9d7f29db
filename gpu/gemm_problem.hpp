// One GEMM call as cuBLAS sees it: column-major, C = alpha A B + beta C with A M x K
// (leading dimension lda), B K x N, C M x N. Element types follow the precision
// (precision.hpp): float, double, or bf16 A/B with float C.
#pragma once

#include "gpu/precision.hpp"

namespace fmm::gpu {

struct GemmProblem {
  Precision precision = Precision::F32;
  long long M = 0, N = 0, K = 0;
  const void* A = nullptr;
  long long lda = 0;
  const void* B = nullptr;
  long long ldb = 0;
  void* C = nullptr;
  long long ldc = 0;
  double alpha = 1, beta = 0;

  double classical_flops() const { return 2.0 * static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K); }
};

}  // namespace fmm::gpu
