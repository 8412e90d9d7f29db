// Shared by the device tests: skip (exit 77) without a GPU, and one stream + cuBLAS handle.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "gpu/cuda_check.hpp"
#include "gpu/device_info.hpp"

namespace fmm::gpu::test {

inline void require_gpu_or_skip() {
  if (cuda_device_count() == 0) {
    std::printf("no CUDA device: skipping\n");
    std::fflush(stdout);
    std::exit(77);  // CTest SKIP_RETURN_CODE
  }
}

struct Handles {
  cudaStream_t stream = nullptr;
  cublasHandle_t blas = nullptr;
  Handles() {
    FMM_CUDA_CHECK(cudaStreamCreate(&stream));
    FMM_CUBLAS_CHECK(cublasCreate(&blas));
    FMM_CUBLAS_CHECK(cublasSetStream(blas, stream));
  }
  ~Handles() {
    cublasDestroy(blas);
    cudaStreamDestroy(stream);
  }
};

}  // namespace fmm::gpu::test
