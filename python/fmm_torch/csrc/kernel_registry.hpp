// The generated GEMMs compiled into one fmm_torch extension, behind one plain interface so the
// operator (fmm_torch_op.cpp, PyTorch headers) and the kernels (nvcc, no PyTorch headers) meet
// only here. fmm_torch.build() writes the registry (kernels()) from the folders it is given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <cublas_v2.h>
#include <cuda_runtime.h>

namespace fmm_torch {

struct Kernel {
  std::string name;  // the generated namespace (`fmm codegen --name`)
  bool is_double;    // value_type double (float otherwise)
  bool row_major;    // the layout it was generated for (codegen/README.md)
  // NAME::workspace_size(M, N, K) and NAME::gemm with alpha = 1, beta = 0, at the generated
  // default smallest block.
  std::size_t (*workspace_size)(std::int64_t M, std::int64_t N, std::int64_t K);
  cublasStatus_t (*gemm)(cublasHandle_t handle, std::int64_t M, std::int64_t N, std::int64_t K, const void* A,
                         std::int64_t lda, const void* B, std::int64_t ldb, void* C, std::int64_t ldc,
                         void* workspace, std::size_t workspace_bytes, cudaStream_t stream);
};

const std::vector<Kernel>& kernels();

}  // namespace fmm_torch
