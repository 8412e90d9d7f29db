// The C++ twin: NAME_cpu.hpp, header-only, no CUDA. The same three fused passes as the CUDA code
// (the same straight-line bodies, emitted by the same function), a naive classical GEMM for the
// leaf products and the peeled strips. It lets the generated arithmetic be checked exactly on a
// machine without a GPU.
#include "codegen/emit_common.hpp"
#include "codegen/generate.hpp"

namespace fmm::codegen {

namespace {

std::string twin(const Plan& plan) {
  const std::string file = plan.name + "_cpu.hpp";
  std::string out = detail::provenance(plan, file, "C++ twin of " + plan.name + ".cu (header-only, no CUDA)");
  out += detail::peeling_doc();
  out += detail::fill(R"(//
// Usage:
//   std::vector<unsigned char> ws(@NAME@::cpu::workspace_size<double>(M, N, K));
//   auto st = @NAME@::cpu::gemm<double>(M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, ws.data(), ws.size());
// C = alpha*A*B + beta*C with A M x K, B K x N, C M x N, all @LAYOUT@. Any floating type T works; the
// CUDA code was generated for value_type. beta == 0 never reads C. Returns Status::InvalidValue for
// negative sizes, leading dimensions that are too small, null pointers or a too small workspace.
#pragma once

#include <cstddef>
#include <cstdint>

namespace @NAME@ {
namespace cpu {

using value_type = @TYPE@;  // the precision the CUDA code was generated for

)",
                      {{"NAME", plan.name},
                       {"LAYOUT", plan.layout == Layout::RowMajor ? "row-major" : "column-major"},
                       {"TYPE", detail::scalar_type(plan.precision)}});
  out += detail::constants(plan, "");
  out += detail::fill(R"(
enum class Status { Success = 0, InvalidValue = 1 };

namespace detail {

template <class X>
struct identity {
  using type = X;
};

// Offset of element (row, col) in a matrix with leading dimension ld, in this file's layout.
inline std::int64_t at(std::int64_t row, std::int64_t col, std::int64_t ld) {
  return kRowMajor ? row * ld + col : row + col * ld;
}

// Naive C = alpha A B + beta C (M x K times K x N); beta == 0 does not read C.
template <class T>
void classical(std::int64_t M, std::int64_t N, std::int64_t K, T alpha, const T* A, std::int64_t lda, const T* B,
               std::int64_t ldb, T beta, T* C, std::int64_t ldc) {
  for (std::int64_t i = 0; i < M; ++i)
    for (std::int64_t k = 0; k < N; ++k) {
      T sum = T(0);
      for (std::int64_t j = 0; j < K; ++j) sum += A[at(i, j, lda)] * B[at(j, k, ldb)];
      T& out = C[at(i, k, ldc)];
      out = beta == T(0) ? alpha * sum : alpha * sum + beta * out;
    }
}

// Fused pass over A: for each position in a rows x cols block, read it in every block of A and
// write every left operand of the kRank block products (packed).
template <class T>
void combine_a(const T* A, std::int64_t lda, std::int64_t rows, std::int64_t cols, T* S) {
  const std::int64_t fast_extent = kRowMajor ? cols : rows;
  const std::int64_t slow_extent = kRowMajor ? rows : cols;
  const std::int64_t row_step = at(rows, 0, lda);  // block (i, j) -> block (i + 1, j)
  const std::int64_t col_step = at(0, cols, lda);  // block (i, j) -> block (i, j + 1)
  const std::int64_t plane = rows * cols;          // one packed operand
  (void)row_step, (void)col_step;
  for (std::int64_t slow = 0; slow < slow_extent; ++slow)
    for (std::int64_t fast = 0; fast < fast_extent; ++fast) {
      const T* a = A + slow * lda + fast;
      T* s = S + slow * fast_extent + fast;
@BODY_A@    }
}

// Fused pass over B: every right operand of the kRank block products.
template <class T>
void combine_b(const T* B, std::int64_t ldb, std::int64_t rows, std::int64_t cols, T* S) {
  const std::int64_t fast_extent = kRowMajor ? cols : rows;
  const std::int64_t slow_extent = kRowMajor ? rows : cols;
  const std::int64_t row_step = at(rows, 0, ldb);
  const std::int64_t col_step = at(0, cols, ldb);
  const std::int64_t plane = rows * cols;
  (void)row_step, (void)col_step;
  for (std::int64_t slow = 0; slow < slow_extent; ++slow)
    for (std::int64_t fast = 0; fast < fast_extent; ++fast) {
      const T* b = B + slow * ldb + fast;
      T* s = S + slow * fast_extent + fast;
@BODY_B@    }
}

template <bool kBetaZero, class T>
inline void store(T& out, T value, T alpha, T beta) {
  if constexpr (kBetaZero) {
    out = alpha * value;
  } else {
    out = alpha * value + beta * out;
  }
}

// Fused pass over C: read the kRank products at each position once, write every block of C.
template <bool kBetaZero, class T>
void combine_c(const T* P, std::int64_t rows, std::int64_t cols, T alpha, T beta, T* C, std::int64_t ldc) {
  const std::int64_t fast_extent = kRowMajor ? cols : rows;
  const std::int64_t slow_extent = kRowMajor ? rows : cols;
  const std::int64_t row_step = at(rows, 0, ldc);
  const std::int64_t col_step = at(0, cols, ldc);
  const std::int64_t plane = rows * cols;
  (void)row_step, (void)col_step;
  for (std::int64_t slow = 0; slow < slow_extent; ++slow)
    for (std::int64_t fast = 0; fast < fast_extent; ++fast) {
      const T* p = P + slow * fast_extent + fast;
      T* c = C + slow * ldc + fast;
@BODY_C@    }
}

}  // namespace detail

// Bytes of workspace gemm<T>() needs for these sizes; 0 when the call runs classically.
template <class T = value_type>
std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K,
                           std::int64_t min_block_dim = kDefaultMinBlockDim) {
  if (M < 0 || N < 0 || K < 0) return 0;
  const std::int64_t least = min_block_dim < 1 ? 1 : min_block_dim;
  const std::int64_t bm = M / kBlocksM, bk = K / kBlocksK, bn = N / kBlocksN;
  if (bm < least || bk < least || bn < least) return 0;
  return std::size_t(kRank) * std::size_t(bm * bk + bk * bn + bm * bn) * sizeof(T);
}

// C = alpha*A*B + beta*C (see above).
template <class T>
Status gemm(std::int64_t M, std::int64_t N, std::int64_t K, typename detail::identity<T>::type alpha, const T* A,
            std::int64_t lda, const T* B, std::int64_t ldb, typename detail::identity<T>::type beta, T* C,
            std::int64_t ldc, void* workspace, std::size_t workspace_bytes,
            std::int64_t min_block_dim = kDefaultMinBlockDim) {
  if (M < 0 || N < 0 || K < 0) return Status::InvalidValue;
  const std::int64_t min_lda = kRowMajor ? K : M, min_ldb = kRowMajor ? N : K, min_ldc = kRowMajor ? N : M;
  if (lda < (min_lda > 1 ? min_lda : 1) || ldb < (min_ldb > 1 ? min_ldb : 1) || ldc < (min_ldc > 1 ? min_ldc : 1))
    return Status::InvalidValue;
  if (M == 0 || N == 0) return Status::Success;
  if (C == nullptr || (K > 0 && (A == nullptr || B == nullptr))) return Status::InvalidValue;
  const std::size_t needed = workspace_size<T>(M, N, K, min_block_dim);
  if (workspace_bytes < needed) return Status::InvalidValue;
  if (needed > 0 && (workspace == nullptr || reinterpret_cast<std::uintptr_t>(workspace) % alignof(T) != 0))
    return Status::InvalidValue;
  if (needed == 0) {
    detail::classical<T>(M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return Status::Success;
  }

  const std::int64_t bm = M / kBlocksM, bk = K / kBlocksK, bn = N / kBlocksN;
  const std::int64_t Mc = bm * kBlocksM, Kc = bk * kBlocksK, Nc = bn * kBlocksN;  // the core
  T* SA = static_cast<T*>(workspace);  // kRank packed bm x bk left operands
  T* SB = SA + kRank * bm * bk;         // kRank packed bk x bn right operands
  T* P = SB + kRank * bk * bn;          // kRank packed bm x bn products

  detail::combine_a<T>(A, lda, bm, bk, SA);
  detail::combine_b<T>(B, ldb, bk, bn, SB);
  // The leaf products, packed with leading dimension cols (row-major) or rows (column-major).
  for (int r = 0; r < kRank; ++r)
    detail::classical<T>(bm, bn, bk, T(1), SA + r * bm * bk, kRowMajor ? bk : bm, SB + r * bk * bn,
                         kRowMajor ? bn : bk, T(0), P + r * bm * bn, kRowMajor ? bn : bm);
  if (beta == T(0))
    detail::combine_c<true, T>(P, bm, bn, alpha, beta, C, ldc);
  else
    detail::combine_c<false, T>(P, bm, bn, alpha, beta, C, ldc);

  // Peeling: the strips the core left out, classically.
  using detail::at;
  if (Kc < K) detail::classical<T>(Mc, Nc, K - Kc, alpha, A + at(0, Kc, lda), lda, B + at(Kc, 0, ldb), ldb, T(1), C, ldc);
  if (Nc < N) detail::classical<T>(Mc, N - Nc, K, alpha, A, lda, B + at(0, Nc, ldb), ldb, beta, C + at(0, Nc, ldc), ldc);
  if (Mc < M) detail::classical<T>(M - Mc, N, K, alpha, A + at(Mc, 0, lda), lda, B, ldb, beta, C + at(Mc, 0, ldc), ldc);
  return Status::Success;
}

}  // namespace cpu
}  // namespace @NAME@
)",
                      {{"NAME", plan.name},
                       {"BODY_A", detail::combine_body(plan, detail::Operand::A, "      ")},
                       {"BODY_B", detail::combine_body(plan, detail::Operand::B, "      ")},
                       {"BODY_C", detail::combine_body(plan, detail::Operand::C, "      ")}});
  return out;
}

}  // namespace

GeneratedFiles generate_cpp(const Plan& plan) { return {{plan.name + "_cpu.hpp", twin(plan)}}; }

}  // namespace fmm::codegen
