// Runs generated CUDA code (built for every architecture in FMM_CUDA_ARCHITECTURES) on the GPU
// and compares it exactly with the naive product on small integers. Exits 77 (skipped) when no
// GPU is present; the compile itself is the check that matters on CI machines without one.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "strassen_rational_f64_col.cuh"
#include "strassen_strassen_f32_row.cuh"
#include "tests/codegen/twin_check.hpp"

namespace {

void require_gpu() {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("no CUDA device: skipping\n");
    std::exit(77);
  }
}

template <class T>
struct Device {
  T* ptr = nullptr;
  explicit Device(size_t count) { REQUIRE(cudaMalloc(&ptr, count * sizeof(T) + 16) == cudaSuccess); }
  ~Device() { cudaFree(ptr); }
};

// One call of a generated gemm on random small integers against the exact product, with the
// workspace that `size` gives (bytes(M, N, K, min_block)).
template <class T, class Gemm, class Size>
long check_once(fmm::codegen_test::SplitMix& rng, cublasHandle_t handle, bool row_major, Gemm gemm, Size size,
                std::int64_t M, std::int64_t N, std::int64_t K, T alpha, T beta, std::int64_t min_block,
                bool& fast) {
  auto at = [row_major](std::int64_t r, std::int64_t c, std::int64_t ld) { return row_major ? r * ld + c : r + c * ld; };
  const std::int64_t lda = (row_major ? K : M) + 3, ldb = (row_major ? N : K) + 1, ldc = (row_major ? N : M) + 2;
  std::vector<T> A(size_t((row_major ? M : K) * lda), T(7)), B(size_t((row_major ? K : N) * ldb), T(7)),
      C(size_t((row_major ? M : N) * ldc), T(7));
  for (std::int64_t i = 0; i < M; ++i)
    for (std::int64_t j = 0; j < K; ++j) A[size_t(at(i, j, lda))] = T(rng.small());
  for (std::int64_t j = 0; j < K; ++j)
    for (std::int64_t k = 0; k < N; ++k) B[size_t(at(j, k, ldb))] = T(rng.small());
  for (std::int64_t i = 0; i < M; ++i)
    for (std::int64_t k = 0; k < N; ++k)
      C[size_t(at(i, k, ldc))] = beta == T(0) ? std::numeric_limits<T>::quiet_NaN() : T(rng.small());
  std::vector<T> expected = C;
  std::vector<std::int64_t> acc(static_cast<size_t>(N));
  for (std::int64_t i = 0; i < M; ++i) {
    std::fill(acc.begin(), acc.end(), 0);
    for (std::int64_t j = 0; j < K; ++j) {
      const auto a = static_cast<std::int64_t>(A[size_t(at(i, j, lda))]);
      for (std::int64_t k = 0; k < N; ++k) acc[size_t(k)] += a * static_cast<std::int64_t>(B[size_t(at(j, k, ldb))]);
    }
    for (std::int64_t k = 0; k < N; ++k) {
      T& e = expected[size_t(at(i, k, ldc))];
      e = T(static_cast<std::int64_t>(alpha) * acc[size_t(k)] +
            (beta == T(0) ? 0 : static_cast<std::int64_t>(beta) * static_cast<std::int64_t>(e)));
    }
  }
  Device<T> dA(A.size()), dB(B.size()), dC(C.size());
  cudaMemcpy(dA.ptr, A.data(), A.size() * sizeof(T), cudaMemcpyHostToDevice);
  cudaMemcpy(dB.ptr, B.data(), B.size() * sizeof(T), cudaMemcpyHostToDevice);
  cudaMemcpy(dC.ptr, C.data(), C.size() * sizeof(T), cudaMemcpyHostToDevice);
  const std::size_t bytes = size(M, N, K, min_block);
  fast = bytes > 0;
  Device<unsigned char> ws(bytes);
  REQUIRE(gemm(handle, M, N, K, alpha, dA.ptr, lda, dB.ptr, ldb, beta, dC.ptr, ldc, ws.ptr, bytes, nullptr,
               min_block) == CUBLAS_STATUS_SUCCESS);
  REQUIRE(cudaDeviceSynchronize() == cudaSuccess);
  cudaMemcpy(C.data(), dC.ptr, C.size() * sizeof(T), cudaMemcpyDeviceToHost);
  long wrong = 0;
  for (size_t x = 0; x < C.size(); ++x)
    if (!(C[x] == expected[x] || (std::isnan(C[x]) && std::isnan(expected[x])))) ++wrong;
  if (wrong)
    std::printf("  M=%lld N=%lld K=%lld alpha=%g beta=%g: %ld wrong\n", (long long)M, (long long)N, (long long)K,
                double(alpha), double(beta), wrong);
  return wrong;
}

// Size: bytes(M, N, K, limit, min_block); capacities: products per chunk of each chunking, coarsest first.
template <class T, class Gemm, class Size, class DefaultLimit>
void check_generated(const char* label, bool row_major, Gemm gemm, Size workspace_size, DefaultLimit default_limit,
                     const std::vector<int>& capacities) {
  require_gpu();
  const std::uint64_t seed = fmm::codegen_test::test_seed();
  std::printf("%s: seed %llu\n", label, static_cast<unsigned long long>(seed));
  fmm::codegen_test::SplitMix rng{seed};
  cublasHandle_t handle;
  REQUIRE(cublasCreate(&handle) == CUBLAS_STATUS_SUCCESS);
  cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH);  // no TF32: products of small integers stay exact
  long wrong = 0, fast_calls = 0;
  bool fast = false;
  // Each chunking the code carries (the limit is exactly its workspace), then the default limit.
  auto sizes_for = [&](size_t which) {
    return [&, which](std::int64_t M, std::int64_t N, std::int64_t K, std::int64_t mb) -> std::size_t {
      if (which == capacities.size()) return workspace_size(M, N, K, default_limit(M, N, K), mb);
      const std::size_t per_product = workspace_size(M, N, K, ~std::size_t(0), mb) / std::size_t(capacities[0]);
      return workspace_size(M, N, K, per_product * std::size_t(capacities[which]), mb);
    };
  };
  for (size_t which = 0; which <= capacities.size(); ++which) {
    const auto size = sizes_for(which);
    for (std::int64_t M : {1, 13, 50, 97})
      for (std::int64_t N : {7, 50, 97})
        for (std::int64_t K : {1, 13, 97})
          for (int ab = 0; ab < 2; ++ab) {
            wrong += check_once<T>(rng, handle, row_major, gemm, size, M, N, K, T(ab ? 2 : 1), T(ab ? -3 : 0), 1, fast);
            fast_calls += fast;
          }
    // The default threshold, with peeling in all three dimensions.
    wrong += check_once<T>(rng, handle, row_major, gemm, size, 1030, 1027, 1029, T(2), T(-3), 256, fast);
    CHECK(fast);
    wrong += check_once<T>(rng, handle, row_major, gemm, size, 1030, 1027, 1029, T(1), T(0), 256, fast);
  }
  // The default limit: a quarter of the bytes of A, B and C.
  CHECK(workspace_size(1030, 1027, 1029, default_limit(1030, 1027, 1029), 256) <= default_limit(1030, 1027, 1029));
  CHECK(default_limit(1030, 1027, 1029) == std::size_t(1030 * 1029 + 1029 * 1027 + 1030 * 1027) * sizeof(T) / 4);
  std::printf("%s: %ld calls through the fast path, %ld wrong entries\n", label, fast_calls, wrong);
  CHECK(wrong == 0);
  CHECK(fast_calls > 0);

  // Arguments: bad sizes, leading dimensions and workspace are refused; the handle is left as found.
  Device<T> d(64 * 64);
  CHECK(gemm(handle, -1, 4, 4, T(1), d.ptr, 64, d.ptr, 64, T(0), d.ptr, 64, nullptr, 0, nullptr, 1) ==
        CUBLAS_STATUS_INVALID_VALUE);
  CHECK(gemm(handle, 8, 8, 8, T(1), d.ptr, 2, d.ptr, 64, T(0), d.ptr, 64, nullptr, 0, nullptr, 1) ==
        CUBLAS_STATUS_INVALID_VALUE);
  CHECK(gemm(handle, 8, 8, 8, T(1), d.ptr, 64, d.ptr, 64, T(0), d.ptr, 64, nullptr, 4096, nullptr, 1) ==
        CUBLAS_STATUS_INVALID_VALUE);  // a workspace size with no workspace
  cublasPointerMode_t mode;
  cublasGetPointerMode(handle, &mode);
  CHECK(mode == CUBLAS_POINTER_MODE_HOST);
  cublasDestroy(handle);
}

}  // namespace

TEST_CASE("generated CUDA: Strassen x Strassen, f32, row-major, equals the naive product exactly") {
  namespace g = strassen_strassen_f32_row;
  check_generated<float>(
      "strassen_strassen_f32_row", g::kRowMajor, g::gemm,
      [](std::int64_t M, std::int64_t N, std::int64_t K, std::size_t limit, std::int64_t mb) {
        return g::workspace_size(M, N, K, limit, mb);
      },
      g::default_workspace_limit, std::vector<int>(std::begin(g::kScheduleCapacity), std::end(g::kScheduleCapacity)));
}

TEST_CASE("generated CUDA: rational Strassen, f64, column-major, equals the naive product exactly") {
  namespace g = strassen_rational_f64_col;
  check_generated<double>(
      "strassen_rational_f64_col", g::kRowMajor, g::gemm,
      [](std::int64_t M, std::int64_t N, std::int64_t K, std::size_t limit, std::int64_t mb) {
        return g::workspace_size(M, N, K, limit, mb);
      },
      g::default_workspace_limit, std::vector<int>(std::begin(g::kScheduleCapacity), std::end(g::kScheduleCapacity)));
}
