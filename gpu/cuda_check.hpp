// Every CUDA and cuBLAS return code is checked; a failure becomes a fmm::gpu::CudaError
// naming the call, file and line (the CUTLASS habit: a status that says what failed where).
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include "tensor/error.hpp"

namespace fmm::gpu {

class CudaError : public fmm::Error {
 public:
  using fmm::Error::Error;
};

const char* cublas_status_name(cublasStatus_t status);

[[noreturn]] void throw_cuda_error(cudaError_t code, const char* call, const char* file, int line);
[[noreturn]] void throw_cublas_error(cublasStatus_t code, const char* call, const char* file, int line);

}  // namespace fmm::gpu

#define FMM_CUDA_CHECK(call)                                                              \
  do {                                                                                    \
    cudaError_t fmm_cuda_status_ = (call);                                                \
    if (fmm_cuda_status_ != cudaSuccess)                                                  \
      ::fmm::gpu::throw_cuda_error(fmm_cuda_status_, #call, __FILE__, __LINE__);          \
  } while (0)

#define FMM_CUBLAS_CHECK(call)                                                            \
  do {                                                                                    \
    cublasStatus_t fmm_cublas_status_ = (call);                                           \
    if (fmm_cublas_status_ != CUBLAS_STATUS_SUCCESS)                                      \
      ::fmm::gpu::throw_cublas_error(fmm_cublas_status_, #call, __FILE__, __LINE__);      \
  } while (0)

// After a kernel launch: the launch error (bad configuration) surfaces here.
#define FMM_CUDA_CHECK_LAUNCH() FMM_CUDA_CHECK(cudaGetLastError())
