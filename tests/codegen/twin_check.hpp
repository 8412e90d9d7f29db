// Exact check of a generated C++ twin against the naive product on random small integers.
// Values stay small integers (or halves, for rational schemes), so every float and double
// operation is exact and the fast algorithm must match the naive product bit for bit.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "tensor/splitmix64.hpp"

namespace fmm::codegen_test {

// tensor/splitmix64.hpp's generator: the same stream on every platform, so a printed seed
// reproduces a failure.
struct SplitMix : fmm::SplitMix64 {
  int small() { return static_cast<int>(next() % 7) - 3; }  // -3..3
};

inline std::uint64_t test_seed() {
  const char* env = std::getenv("FMM_TEST_SEED");
  return env ? std::strtoull(env, nullptr, 0) : 20240611ull;
}

inline const std::vector<std::int64_t>& test_sizes() {
  static const std::vector<std::int64_t> sizes = {1, 7, 13, 50, 97};  // none divisible by 4 or 6; 50 by 2
  return sizes;
}

// Gemm: Status(M,N,K,alpha,A,lda,B,ldb,beta,C,ldc,ws,bytes,min_block);
// Size: bytes(M,N,K,limit,min_block); DefaultLimit: bytes(M,N,K); capacities: products per chunk
// of each chunking the code carries, coarsest first. Checks every size triple and both alpha/beta
// pairs under the default limit (a quarter of A + B + C) and under a limit that selects each chunking.
template <class T, class Status, class Gemm, class Size, class DefaultLimit>
void check_twin(const std::string& label, bool row_major, Gemm gemm, Size workspace_size, DefaultLimit default_limit,
                const std::vector<int>& capacities) {
  const std::uint64_t seed = test_seed();
  std::printf("%s: seed %llu (set FMM_TEST_SEED to repeat)\n", label.c_str(), static_cast<unsigned long long>(seed));
  SplitMix rng{seed};
  long wrong = 0, calls = 0, fast_calls = 0;
  std::vector<long> runs_per_chunking(capacities.size(), 0);
  std::string first_wrong;
  auto at = [row_major](std::int64_t r, std::int64_t c, std::int64_t ld) { return row_major ? r * ld + c : r + c * ld; };
  for (std::int64_t M : test_sizes())
    for (std::int64_t N : test_sizes())
      for (std::int64_t K : test_sizes())
        for (int ab = 0; ab < 2; ++ab)
          for (size_t which = 0; which <= capacities.size(); ++which) {
          const T alpha = ab == 0 ? T(1) : T(2), beta = ab == 0 ? T(0) : T(-3);
          // Leading dimensions with 2 spare entries, to catch ld mix-ups; spare entries hold a sentinel.
          const std::int64_t lda = (row_major ? K : M) + 2, ldb = (row_major ? N : K) + 2, ldc = (row_major ? N : M) + 2;
          const T sentinel = T(12345);
          std::vector<T> A(static_cast<size_t>((row_major ? M : K) * lda), sentinel);
          std::vector<T> B(static_cast<size_t>((row_major ? K : N) * ldb), sentinel);
          std::vector<T> C(static_cast<size_t>((row_major ? M : N) * ldc), sentinel);
          for (std::int64_t i = 0; i < M; ++i)
            for (std::int64_t j = 0; j < K; ++j) A[at(i, j, lda)] = T(rng.small());
          for (std::int64_t j = 0; j < K; ++j)
            for (std::int64_t k = 0; k < N; ++k) B[at(j, k, ldb)] = T(rng.small());
          for (std::int64_t i = 0; i < M; ++i)
            for (std::int64_t k = 0; k < N; ++k)  // beta == 0 must not read C: NaN there would show
              C[at(i, k, ldc)] = beta == T(0) ? std::numeric_limits<T>::quiet_NaN() : T(rng.small());
          std::vector<T> expected = C;
          for (std::int64_t i = 0; i < M; ++i)
            for (std::int64_t k = 0; k < N; ++k) {
              std::int64_t sum = 0;
              for (std::int64_t j = 0; j < K; ++j)
                sum += static_cast<std::int64_t>(A[at(i, j, lda)]) * static_cast<std::int64_t>(B[at(j, k, ldb)]);
              T& e = expected[at(i, k, ldc)];
              e = T(static_cast<std::int64_t>(alpha) * sum +
                    (beta == T(0) ? 0 : static_cast<std::int64_t>(beta) * static_cast<std::int64_t>(e)));
            }
          const std::int64_t min_block = 1;  // the fast path wherever a block exists
          // which < size: exactly the workspace of chunking `which`; which == size: the default limit.
          const std::size_t one_pass = workspace_size(M, N, K, ~std::size_t(0), min_block);
          const std::size_t per_product = one_pass / static_cast<std::size_t>(capacities[0]);
          const std::size_t cap = which < capacities.size()
                                      ? per_product * static_cast<std::size_t>(capacities[which])
                                      : default_limit(M, N, K);
          const std::size_t bytes = workspace_size(M, N, K, cap, min_block);
          REQUIRE(bytes <= cap);
          if (which < capacities.size()) {
            REQUIRE(bytes == cap);  // that chunking and no other
            runs_per_chunking[which] += bytes > 0;
          }
          fast_calls += bytes > 0;
          std::vector<T> workspace(bytes / sizeof(T) + 1);
          const Status status = gemm(M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, C.data(), ldc,
                                     static_cast<void*>(workspace.data()), bytes, min_block);
          ++calls;
          REQUIRE(status == Status::Success);
          for (size_t x = 0; x < C.size(); ++x) {
            const bool same = C[x] == expected[x] || (std::isnan(C[x]) && std::isnan(expected[x]));
            if (!same && wrong++ == 0)
              first_wrong = "M=" + std::to_string(M) + " N=" + std::to_string(N) + " K=" + std::to_string(K) +
                            " alpha=" + std::to_string(double(alpha)) + " beta=" + std::to_string(double(beta)) +
                            " workspace " + std::to_string(bytes) +
                            " offset " + std::to_string(x) + ": got " + std::to_string(double(C[x])) + ", expected " +
                            std::to_string(double(expected[x]));
          }
        }
  INFO(label << ": first wrong entry " << first_wrong << " (seed " << seed << ")");
  CHECK(wrong == 0);
  CHECK(fast_calls > 0);
  for (size_t s = 0; s < capacities.size(); ++s) {
    INFO("chunking " << s << " (" << capacities[s] << " products a chunk)");
    CHECK(runs_per_chunking[s] > 0);
  }
  std::printf("%s: %ld calls, %ld through the fast path, %ld wrong entries\n", label.c_str(), calls, fast_calls, wrong);
}

// Argument checks every twin shares.
template <class T, class Status, class Gemm, class Size, class DefaultLimit>
void check_twin_arguments(Gemm gemm, Size workspace_size, DefaultLimit default_limit, std::int64_t blocks_m,
                          std::int64_t blocks_k, std::int64_t blocks_n) {
  const std::int64_t M = 4 * blocks_m, K = 4 * blocks_k, N = 4 * blocks_n, ld = 64;
  std::vector<T> A(size_t(ld * ld), T(1)), B(size_t(ld * ld), T(1)), C(size_t(ld * ld), T(0));
  const std::size_t bytes = workspace_size(M, N, K, ~std::size_t(0), 1);
  REQUIRE(bytes > 0);
  // The default limit is a quarter of the bytes of A, B and C, and the workspace stays within it.
  CHECK(default_limit(M, N, K) == std::size_t(M * K + K * N + M * N) * sizeof(T) / 4);
  CHECK(workspace_size(M, N, K, default_limit(M, N, K), 1) <= default_limit(M, N, K));
  std::vector<T> ws(bytes / sizeof(T));
  CHECK(gemm(-1, N, K, T(1), A.data(), ld, B.data(), ld, T(0), C.data(), ld, ws.data(), bytes, 1) ==
        Status::InvalidValue);
  CHECK(gemm(M, N, K, T(1), A.data(), 0, B.data(), ld, T(0), C.data(), ld, ws.data(), bytes, 1) ==
        Status::InvalidValue);
  CHECK(gemm(M, N, K, T(1), A.data(), ld, B.data(), ld, T(0), nullptr, ld, ws.data(), bytes, 1) ==
        Status::InvalidValue);
  // A workspace size without a workspace is refused; no workspace at all runs the classical product.
  CHECK(gemm(M, N, K, T(1), A.data(), ld, B.data(), ld, T(0), C.data(), ld, nullptr, bytes, 1) ==
        Status::InvalidValue);
  CHECK(gemm(0, N, K, T(1), nullptr, ld, nullptr, ld, T(0), nullptr, ld, nullptr, 0, 1) == Status::Success);
  CHECK(workspace_size(M, N, K, 0, 1) == 0);
  CHECK(gemm(M, N, K, T(1), A.data(), ld, B.data(), ld, T(0), C.data(), ld, nullptr, 0, 1) == Status::Success);
  CHECK(C[0] == T(K));
  // Below the default threshold the call is classical and needs no workspace.
  CHECK(workspace_size(M, N, K, ~std::size_t(0), 1 << 20) == 0);
  CHECK(gemm(M, N, K, T(1), A.data(), ld, B.data(), ld, T(0), C.data(), ld, nullptr, 0, 1 << 20) == Status::Success);
  CHECK(C[0] == T(K));
}

}  // namespace fmm::codegen_test

// Checks the twin in namespace NS (generated as NS_cpu.hpp) for element type T.
#define FMM_CHECK_TWIN(NS, T)                                                                                   \
  ::fmm::codegen_test::check_twin<T, NS::cpu::Status>(                                                          \
      #NS " " #T, NS::cpu::kRowMajor,                                                                           \
      [](auto... args) { return NS::cpu::gemm<T>(args...); },                                                   \
      [](std::int64_t M, std::int64_t N, std::int64_t K, std::size_t limit, std::int64_t mb) {                  \
        return NS::cpu::workspace_size<T>(M, N, K, limit, mb);                                                  \
      },                                                                                                        \
      [](std::int64_t M, std::int64_t N, std::int64_t K) { return NS::cpu::default_workspace_limit<T>(M, N, K); }, \
      std::vector<int>(std::begin(NS::cpu::kScheduleCapacity), std::end(NS::cpu::kScheduleCapacity)));          \
  ::fmm::codegen_test::check_twin_arguments<T, NS::cpu::Status>(                                                \
      [](auto... args) { return NS::cpu::gemm<T>(args...); },                                                   \
      [](std::int64_t M, std::int64_t N, std::int64_t K, std::size_t limit, std::int64_t mb) {                  \
        return NS::cpu::workspace_size<T>(M, N, K, limit, mb);                                                  \
      },                                                                                                        \
      [](std::int64_t M, std::int64_t N, std::int64_t K) { return NS::cpu::default_workspace_limit<T>(M, N, K); }, \
      NS::cpu::kBlocksM, NS::cpu::kBlocksK, NS::cpu::kBlocksN)
