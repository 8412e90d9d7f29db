#include "search/lift/gf2_system.hpp"

#include <algorithm>
#include <bit>
#include <mutex>
#include <string>

#include "search/flip/flip_walk.hpp"  // splitmix64
#include "tensor/error.hpp"

#ifdef FMM_HAVE_M4RI
extern "C" {
#include <m4ri/m4ri.h>
}
#endif

namespace fmm::search {
namespace {

// Gauss-Jordan on [J | I] costs about this many word operations; below it the small path is
// quick (a <5,5,5> rank-97 Jacobian, 4.6e10, took 3.5 s of CPU).
double small_cost(double rows, double cols) { return rows * cols * (rows + cols) / 64; }
constexpr double kSmallCost = 1e11;
// The large path holds J and its decomposition: 2 * rows * cols bits. 8 GiB in all at most.
constexpr double kLargeBits = 8.0 * 8 * (1ULL << 30) / 2;

}  // namespace

// ---- Small systems: Gauss-Jordan on [J | I] --------------------------------------------------

struct Gf2System::Small {
  Small(int rows, int cols)
      : rows_(rows), cols_(cols), wj_((cols + 63) / 64), wt_((rows + 63) / 64),
        data_(static_cast<std::size_t>(rows) * (wj_ + wt_), 0) {
    for (int r = 0; r < rows; ++r) row(r)[wj_ + r / 64] |= 1ULL << (r % 64);
  }
  std::uint64_t* row(int r) { return data_.data() + static_cast<std::size_t>(r) * (wj_ + wt_); }
  const std::uint64_t* row(int r) const { return data_.data() + static_cast<std::size_t>(r) * (wj_ + wt_); }

  void eliminate() {
    const int W = wj_ + wt_;
    int cur = 0;
    for (int c = 0; c < cols_ && cur < rows_; ++c) {
      const int w = c / 64;
      const std::uint64_t bit = 1ULL << (c % 64);
      int p = cur;
      while (p < rows_ && !(row(p)[w] & bit)) ++p;
      if (p == rows_) continue;
      if (p != cur)
        for (int x = 0; x < W; ++x) std::swap(row(p)[x], row(cur)[x]);
      const std::uint64_t* pr = row(cur);
      for (int r = 0; r < rows_; ++r) {
        if (r == cur || !(row(r)[w] & bit)) continue;
        std::uint64_t* rr = row(r);
        for (int x = w; x < W; ++x) rr[x] ^= pr[x];  // words before w are zero in the pivot row
      }
      pivot_col_.push_back(c);
      ++cur;
    }
  }

  // The free unknowns 0.
  bool solve(const Bits& rhs_bits, Bits& d) const {
    d.assign(wj_, 0);
    for (int r = 0; r < rows_; ++r) {
      const std::uint64_t* t = row(r) + wj_;
      int parity = 0;
      for (int x = 0; x < wt_; ++x) parity ^= std::popcount(t[x] & rhs_bits[x]) & 1;
      if (r < static_cast<int>(pivot_col_.size())) {
        if (parity) flip_bit(d, pivot_col_[r]);
      } else if (parity) {
        return false;
      }
    }
    return true;
  }

  // One vector per free column f (bit f, and the pivot columns whose reduced row has bit f).
  std::vector<Bits> kernel() const {
    std::vector<char> is_pivot(cols_, 0);
    for (int c : pivot_col_) is_pivot[c] = 1;
    std::vector<Bits> out;
    for (int f = 0; f < cols_; ++f) {
      if (is_pivot[f]) continue;
      Bits v(wj_, 0);
      flip_bit(v, f);
      for (std::size_t r = 0; r < pivot_col_.size(); ++r)
        if ((row(static_cast<int>(r))[f / 64] >> (f % 64)) & 1) flip_bit(v, pivot_col_[r]);
      out.push_back(std::move(v));
    }
    return out;
  }

  int rows_, cols_, wj_, wt_;
  std::vector<std::uint64_t> data_;
  std::vector<int> pivot_col_;
};

// ---- Large systems: M4RI's PLUQ decomposition ------------------------------------------------

#ifdef FMM_HAVE_M4RI
// M4RI's allocations go through its memory-manager cache (m4ri_mmc_*), a process-wide free list
// that Debian's build does not synchronise: two lifts on two threads (a campaign walking formats
// in parallel, each lifting inline) corrupted the heap ("double free or corruption", reproduced
// with `fmm campaign --formats 5x7x8,5x6x8 --parallel 2`). Every M4RI call that allocates or
// frees holds this lock, so large lifts run one at a time.
static std::mutex& m4ri_mutex() {
  static std::mutex m;
  return m;
}

struct Gf2System::Large {
  Large(int rows, int cols) : a(allocate(rows, cols)) {}
  static mzd_t* allocate(int rows, int cols) {
    std::lock_guard lock(m4ri_mutex());
    return mzd_init(rows, cols);
  }
  ~Large() {
    std::lock_guard lock(m4ri_mutex());
    if (q) mzp_free(q);
    if (p) mzp_free(p);
    if (lu) mzd_free(lu);
    mzd_free(a);
  }
  Large(const Large&) = delete;
  Large& operator=(const Large&) = delete;

  // J d == rhs, row by row (parities of J's rows against d).
  bool satisfies(const Bits& d, const Bits* rhs) const {
    for (rci_t r = 0; r < a->nrows; ++r) {
      const word* row = mzd_row(a, r);
      int parity = 0;
      for (wi_t x = 0; x < a->width; ++x) parity ^= std::popcount(row[x] & d[static_cast<std::size_t>(x)]) & 1;
      const int want = rhs ? static_cast<int>(get_bit(*rhs, r)) : 0;
      if (parity != want) return false;
    }
    return true;
  }

  void eliminate() {
    std::lock_guard lock(m4ri_mutex());
    lu = mzd_copy(nullptr, a);
    p = mzp_init(a->nrows);
    q = mzp_init(a->ncols);
    rank = mzd_pluq(lu, p, q, 0);
    // J = P L U Q with U = [U1 U2] (rank rows, U1 invertible upper triangular). J d = 0 iff
    // U (Q d) = 0, i.e. (Q d) = [U1^-1 U2 y; y] for any y: the kernel is Q^T [U1^-1 U2; I].
    const rci_t n = a->ncols, free = n - rank;
    if (free == 0) return;
    mzd_t* basis = mzd_init(n, free);
    mzd_t* top = mzd_init_window(basis, 0, 0, rank, free);
    for (rci_t i = 0; i < rank; ++i)
      for (rci_t j = 0; j < free; ++j)
        if (mzd_read_bit(lu, i, rank + j)) mzd_write_bit(top, i, j, 1);
    if (rank > 0) {
      mzd_t* u1 = mzd_init_window(lu, 0, 0, rank, rank);
      mzd_trsm_upper_left(u1, top, 0);
      mzd_free_window(u1);
    }
    mzd_free_window(top);
    for (rci_t j = 0; j < free; ++j) mzd_write_bit(basis, rank + j, j, 1);
    mzd_apply_p_left_trans(basis, q);
    const std::size_t W = static_cast<std::size_t>((n + 63) / 64);
    kernel.assign(static_cast<std::size_t>(free), Bits(W, 0));
    for (rci_t i = 0; i < n; ++i)
      for (rci_t j = 0; j < free; ++j)
        if (mzd_read_bit(basis, i, j)) flip_bit(kernel[static_cast<std::size_t>(j)], i);
    mzd_free(basis);
    // A wrong basis would make lifts fail, not succeed wrongly (every lift is verified), but it
    // is cheap to catch: random combinations of the basis must lie in the kernel.
    std::uint64_t rng = 0x6b65726e656cULL;
    for (int t = 0; t < 16; ++t) {
      Bits x(W, 0);
      for (const Bits& k : kernel)
        if (splitmix64(rng) & 1)
          for (std::size_t w = 0; w < W; ++w) x[w] ^= k[w];
      if (!satisfies(x, nullptr)) throw Error("lifting: M4RI's kernel basis fails J x = 0 (a bug; please report)");
    }
  }

  bool solve(const Bits& rhs, Bits& d) const {
    std::lock_guard lock(m4ri_mutex());
    const rci_t m = a->nrows, n = a->ncols;
    mzd_t* b = mzd_init(m, 1);  // m >= n on this path: the solution comes back in its top n rows
    for (rci_t r = 0; r < m; ++r)
      if (get_bit(rhs, r)) mzd_write_bit(b, r, 0, 1);
    const int status = mzd_pluq_solve_left(lu, rank, p, q, b, 0, 1);
    d.assign(static_cast<std::size_t>((n + 63) / 64), 0);
    for (rci_t i = 0; i < n; ++i)
      if (mzd_read_bit(b, i, 0)) flip_bit(d, i);
    mzd_free(b);
    // M4RI's own check of consistency, and ours: a "solution" that fails J d = rhs means none.
    return status == 0 && satisfies(d, &rhs);
  }

  mzd_t* a;  // J, kept for the checks
  mzd_t* lu = nullptr;
  mzp_t* p = nullptr;
  mzp_t* q = nullptr;
  rci_t rank = 0;
  std::vector<Bits> kernel;
};
#else
struct Gf2System::Large {};
#endif

// ---- The system -----------------------------------------------------------------------------------

bool Gf2System::have_m4ri() {
#ifdef FMM_HAVE_M4RI
  return true;
#else
  return false;
#endif
}

double Gf2System::estimated_seconds(double rows, double cols) {
  if (small_cost(rows, cols) <= kSmallCost) return small_cost(rows, cols) / 1.3e10;  // 4.6e10 in 3.5 s
  return 1.2e-12 * rows * cols * std::min(rows, cols);
}

bool Gf2System::fits(double rows, double cols) {
  if (small_cost(rows, cols) <= kSmallCost) return true;
  // M4RI solves with m >= n here (more equations than unknowns: every Jacobian of a scheme of
  // interest); the right-hand side is then m x 1 and the solution its top n rows.
  return have_m4ri() && rows >= cols && rows * cols <= kLargeBits;
}

Gf2System::Gf2System(int rows, int cols, Path path) : cols_(cols) {
  if (path == Path::Auto && !fits(rows, cols))
    throw Error("lifting: a GF(2) system of " + std::to_string(rows) + " equations and " + std::to_string(cols) +
                " unknowns is too large" + (have_m4ri() ? "" : " without M4RI in the build"));
  if (path == Path::Large && (!have_m4ri() || rows < cols))
    throw Error("lifting: the M4RI path needs M4RI in the build and at least as many equations as unknowns");
  if (path == Path::Small || (path == Path::Auto && small_cost(rows, cols) <= kSmallCost)) {
    small_ = std::make_unique<Small>(rows, cols);
  } else {
#ifdef FMM_HAVE_M4RI
    large_ = std::make_unique<Large>(rows, cols);
#endif
  }
}

Gf2System::Gf2System(Gf2System&&) noexcept = default;
Gf2System& Gf2System::operator=(Gf2System&&) noexcept = default;
Gf2System::~Gf2System() = default;

void Gf2System::set(int r, int c) {
  if (small_) {
    small_->row(r)[c / 64] |= 1ULL << (c % 64);
    return;
  }
#ifdef FMM_HAVE_M4RI
  mzd_write_bit(large_->a, r, c, 1);
#endif
}

void Gf2System::toggle(int r, int c) {
  if (small_) {
    small_->row(r)[c / 64] ^= 1ULL << (c % 64);
    return;
  }
#ifdef FMM_HAVE_M4RI
  mzd_write_bit(large_->a, r, c, mzd_read_bit(large_->a, r, c) ^ 1);
#endif
}

void Gf2System::eliminate() {
  if (small_) return small_->eliminate();
#ifdef FMM_HAVE_M4RI
  large_->eliminate();
#endif
}

bool Gf2System::solve(const Bits& rhs, Bits& d) const {
  if (small_) return small_->solve(rhs, d);
#ifdef FMM_HAVE_M4RI
  return large_->solve(rhs, d);
#else
  return false;
#endif
}

std::vector<Bits> Gf2System::kernel() const {
  if (small_) return small_->kernel();
#ifdef FMM_HAVE_M4RI
  return large_->kernel;
#else
  return {};
#endif
}

}  // namespace fmm::search
