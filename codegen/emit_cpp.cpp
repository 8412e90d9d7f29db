// The C++ twin: NAME_cpu.hpp, header-only, no CUDA. The same three fused passes as the CUDA code
// (the same straight-line bodies, emitted by the same function), a naive classical GEMM for the
// leaf products and the peeled strips. It lets the generated arithmetic be checked exactly on a
// machine without a GPU.
#include "codegen/emit_common.hpp"
#include "codegen/generate.hpp"

namespace fmm::codegen {

namespace {

using detail::Operand;

// Per chunk of every chunking: the three fused passes as functions of their own; per chunking
// tables of them, the host loop over the chunks with the naive product for the leaves; then
// run_schedule() picking a chunking.
std::string passes(const Plan& plan) {
  const std::vector<detail::Schedule> all = detail::schedules(plan);
  const std::string loop = R"(  for (std::int64_t slow = 0; slow < slow_extent; ++slow)
    for (std::int64_t fast = 0; fast < fast_extent; ++fast) {
)";
  const std::string prologue = R"(  const std::int64_t fast_extent = kRowMajor ? cols : rows;
  const std::int64_t slow_extent = kRowMajor ? rows : cols;
  const std::int64_t row_step = at(rows, 0, @LD@);  // block (i, j) -> block (i + 1, j)
  const std::int64_t col_step = at(0, cols, @LD@);  // block (i, j) -> block (i, j + 1)
  const std::int64_t plane = rows * cols;          // one packed operand or product
  (void)row_step, (void)col_step, (void)plane;
)";
  std::string out;
  for (size_t s = 0; s < all.size(); ++s) {
    const detail::Schedule& sc = all[s];
    const std::string sid = std::to_string(s);
    out += "// Chunking " + sid + ": " + std::to_string(sc.chunks.size()) + " chunk(s) of at most " +
           std::to_string(sc.capacity) + " products; per chunk the fused passes over A, B and C.\n";
    std::string counts, fa, fb, fc0, fc1;
    for (size_t k = 0; k < sc.chunks.size(); ++k) {
      const std::string id = sid + "_" + std::to_string(k);
      const std::string sep = k ? ", " : "";
      counts += sep + std::to_string(sc.chunks[k].products.size());
      fa += sep + "form_a_" + id + "<T>";
      fb += sep + "form_b_" + id + "<T>";
      fc0 += sep + "form_c_" + id + "<true, T>";
      fc1 += sep + "form_c_" + id + "<false, T>";
      out += "template <class T>\nvoid form_a_" + id + "(const T* A, std::int64_t lda, std::int64_t rows, std::int64_t cols, T* S) {\n" +
             detail::fill(prologue, {{"LD", "lda"}}) + loop +
             "      const T* a = A + slow * lda + fast;\n      T* s = S + slow * fast_extent + fast;\n" +
             detail::chunk_body(plan, sc, k, Operand::A, "      ") + "    }\n}\n\n";
      out += "template <class T>\nvoid form_b_" + id + "(const T* B, std::int64_t ldb, std::int64_t rows, std::int64_t cols, T* S) {\n" +
             detail::fill(prologue, {{"LD", "ldb"}}) + loop +
             "      const T* b = B + slow * ldb + fast;\n      T* s = S + slow * fast_extent + fast;\n" +
             detail::chunk_body(plan, sc, k, Operand::B, "      ") + "    }\n}\n\n";
      out += "template <bool kBetaZero, class T>\nvoid form_c_" + id +
             "(const T* P, std::int64_t rows, std::int64_t cols, T alpha, T beta, T* C, std::int64_t ldc) {\n" +
             detail::fill(prologue, {{"LD", "ldc"}}) + "  (void)beta;\n" + loop +
             "      const T* p = P + slow * fast_extent + fast;\n      T* c = C + slow * ldc + fast;\n" +
             detail::chunk_body(plan, sc, k, Operand::C, "      ") + "    }\n}\n\n";
    }
    out += "inline constexpr int kChunkProducts" + sid + "[] = {" + counts + "};\n\n";
    out += detail::fill(R"(template <class T>
void run_chunks_@ID@(std::int64_t bm, std::int64_t bk, std::int64_t bn, const T* A, std::int64_t lda, const T* B,
                  std::int64_t ldb, T alpha, T beta, T* C, std::int64_t ldc, T* SA, T* SB, T* P) {
  using Form = void (*)(const T*, std::int64_t, std::int64_t, std::int64_t, T*);
  using Combine = void (*)(const T*, std::int64_t, std::int64_t, T, T, T*, std::int64_t);
  static constexpr Form form_a[] = {@FA@};
  static constexpr Form form_b[] = {@FB@};
  static constexpr Combine form_c_beta_zero[] = {@FC0@};
  static constexpr Combine form_c[] = {@FC1@};
  for (int chunk = 0; chunk < kScheduleChunks[@ID@]; ++chunk) {
    form_a[chunk](A, lda, bm, bk, SA);
    form_b[chunk](B, ldb, bk, bn, SB);
    // The leaf products, packed with leading dimension cols (row-major) or rows (column-major).
    for (int r = 0; r < kChunkProducts@ID@[chunk]; ++r)
      classical<T>(bm, bn, bk, T(1), SA + r * bm * bk, kRowMajor ? bk : bm, SB + r * bk * bn, kRowMajor ? bn : bk, T(0),
                   P + r * bm * bn, kRowMajor ? bn : bm);
    (beta == T(0) ? form_c_beta_zero : form_c)[chunk](P, bm, bn, alpha, beta, C, ldc);
  }
}

)",
                        {{"ID", sid}, {"FA", fa}, {"FB", fb}, {"FC0", fc0}, {"FC1", fc1}});
  }
  out += R"(template <class T>
void run_schedule(int s, std::int64_t bm, std::int64_t bk, std::int64_t bn, const T* A, std::int64_t lda, const T* B,
                  std::int64_t ldb, T alpha, T beta, T* C, std::int64_t ldc, T* SA, T* SB, T* P) {
  switch (s) {
)";
  for (size_t s = 0; s < all.size(); ++s)
    out += "    case " + std::to_string(s) + ":\n      run_chunks_" + std::to_string(s) +
           "<T>(bm, bk, bn, A, lda, B, ldb, alpha, beta, C, ldc, SA, SB, P);\n      break;\n";
  out += "    default:\n      break;\n  }\n}\n\n";
  return out;
}

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
// negative sizes, leading dimensions that are too small, or null pointers (the workspace too, where
// one is used). A workspace too small for every chunking runs the classical product.
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

template <bool kBetaZero, class T>
inline void store(T& out, T value, T alpha, T beta) {
  if constexpr (kBetaZero) {
    out = alpha * value;
  } else {
    out = alpha * value + beta * out;
  }
}

// A C block an earlier chunk already wrote.
template <class T>
inline void accumulate(T& out, T value, T alpha) {
  out += alpha * value;
}

@PASSES@
// Workspace of chunking s for leaf blocks bm x bk, bk x bn, bm x bn.
template <class T>
std::size_t schedule_bytes(int s, std::int64_t bm, std::int64_t bk, std::int64_t bn) {
  return std::size_t(kScheduleCapacity[s]) * std::size_t(bm * bk + bk * bn + bm * bn) * sizeof(T);
}

// The coarsest chunking whose workspace fits `bytes`; -1 when the call runs classically.
template <class T>
int schedule_for(std::int64_t M, std::int64_t N, std::int64_t K, std::size_t bytes, std::int64_t min_block_dim) {
  if (M < 0 || N < 0 || K < 0) return -1;
  const std::int64_t least = min_block_dim < 1 ? 1 : min_block_dim;
  const std::int64_t bm = M / kBlocksM, bk = K / kBlocksK, bn = N / kBlocksN;
  if (bm < least || bk < least || bn < least) return -1;
  for (int s = 0; s < kSchedules; ++s)
    if (schedule_bytes<T>(s, bm, bk, bn) <= bytes) return s;
  return -1;
}

}  // namespace detail

// A quarter of the bytes of A, B and C: the default workspace limit.
template <class T = value_type>
std::size_t default_workspace_limit(std::int64_t M, std::int64_t N, std::int64_t K) {
  if (M < 0 || N < 0 || K < 0) return 0;
  const double elements = double(M) * double(K) + double(K) * double(N) + double(M) * double(N);
  const double bytes = elements * double(sizeof(T)) / 4;
  return bytes >= 1.8e19 ? ~std::size_t(0) : static_cast<std::size_t>(bytes);
}

// Bytes of workspace gemm<T>() uses with at most `limit_bytes` of it; 0 when the call runs classically.
template <class T = value_type>
std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K, std::size_t limit_bytes,
                           std::int64_t min_block_dim = kDefaultMinBlockDim) {
  const int s = detail::schedule_for<T>(M, N, K, limit_bytes, min_block_dim);
  return s < 0 ? 0 : detail::schedule_bytes<T>(s, M / kBlocksM, K / kBlocksK, N / kBlocksN);
}

// The same with the default limit.
template <class T = value_type>
std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K) {
  return workspace_size<T>(M, N, K, default_workspace_limit<T>(M, N, K));
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
  const int schedule = detail::schedule_for<T>(M, N, K, workspace_bytes, min_block_dim);
  if (schedule >= 0 && (workspace == nullptr || reinterpret_cast<std::uintptr_t>(workspace) % alignof(T) != 0))
    return Status::InvalidValue;
  if (schedule < 0) {
    detail::classical<T>(M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return Status::Success;
  }

  const std::int64_t bm = M / kBlocksM, bk = K / kBlocksK, bn = N / kBlocksN;
  const std::int64_t Mc = bm * kBlocksM, Kc = bk * kBlocksK, Nc = bn * kBlocksN;  // the core
  const std::int64_t capacity = kScheduleCapacity[schedule];
  T* SA = static_cast<T*>(workspace);  // a chunk's packed bm x bk left operands
  T* SB = SA + capacity * bm * bk;      // its packed bk x bn right operands
  T* P = SB + capacity * bk * bn;       // its packed bm x bn products
  detail::run_schedule<T>(schedule, bm, bk, bn, A, lda, B, ldb, alpha, beta, C, ldc, SA, SB, P);

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
                       {"PASSES", passes(plan)}});
  return out;
}

}  // namespace

GeneratedFiles generate_cpp(const Plan& plan) { return {{plan.name + "_cpu.hpp", twin(plan)}}; }

}  // namespace fmm::codegen
