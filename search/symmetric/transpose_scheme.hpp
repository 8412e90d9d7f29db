// Schemes for <n,m,n> over GF(2) invariant under the transposition symmetry
//     tau(u, v, w) = (v^T, u^T, w^T)
// (tensor/ convention: u = A at i*m+j, n x m; v = B at j*n+k, m x n; w = C at i*n+k, n x n).
// tau maps the product a_ij b_jk c_ik of the matrix multiplication tensor to a_kj b_ji c_ki, again
// one of its products, so tau is a symmetry of <n,m,n> (C = AB gives C^T = B^T A^T); it is the
// group of order 2 that <n,m,n> has for every m, where the cyclic group of order 3 needs n = m
// (symmetric_scheme.hpp). The flip graph restricted to tau-invariant schemes is walked the way
// Moosbauer and Poole walk the cyclic one (arXiv 2502.04514): orbits are pairs {t, tau t},
// fixed terms (u, u^T, w) with w = w^T are kept aside.
//
// An orbit is stored as (U0, U1, W): its images are T0 = (U0, U1^T, W) and T1 = (U1, U0^T, W^T),
// so both u-factors live in one space (A's) and v-factors are transposes of the partner's u.
// In SymmetricScheme (order 2, m set) `orbits` holds (U0, U1, W) and `fixed` whole terms (u, v, w).
//
// Fixed part of a start. Over GF(2) a tau-invariant X is t + tau t summed over pairs exactly when
// its coefficient on every tau-fixed elementary term e_ab (x) e_ba (x) e_cc is zero; the tensor
// has 1 on those with c = a. Fixed terms (x_g, x_g^T, s_g) must match that: sum_g x_g[a][b]
// s_g[c][c] = [a = c], so at least n of them. The starts here take, in each row c of A, the
// columns split into k_c contiguous groups J: the fixed terms (sum_{j in J} e_cj, its transpose,
// e_cc), sum_c k_c of them (k_c = m for every c: the standard algorithm's own fixed products);
// the rest of the tensor is written as pairs of elementary terms. Since rank = fixed + 2 x
// orbits and the fixed terms never change, sum_c k_c sets the parity of every rank the walk
// can reach.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "search/symmetric/symmetric_scheme.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search {

// Bit-level transposes of the three factor spaces of <n,m,n> (n, m <= 8), by byte tables.
class TransposeMaps {
 public:
  TransposeMaps(int n, int m);  // throws fmm::Error outside 1..8
  int n() const { return n_; }
  int m() const { return m_; }
  SymFactor a_to_b(SymFactor u) const { return apply(ab_, u); }  // n x m -> m x n
  SymFactor b_to_a(SymFactor v) const { return apply(ba_, v); }  // m x n -> n x m
  SymFactor c_t(SymFactor w) const { return apply(cc_, w); }     // n x n -> n x n

 private:
  using Table = std::vector<std::array<SymFactor, 256>>;
  static SymFactor apply(const Table& t, SymFactor x) {
    SymFactor out = 0;
    for (std::size_t b = 0; b < t.size(); ++b) out |= t[b][(x >> (8 * b)) & 0xFF];
    return out;
  }
  int n_, m_;
  Table ab_, ba_, cc_;
};

// The scheme's terms grouped into fixed terms and pairs; throws fmm::Error when the format is not
// <n,m,n> (n, m <= 8) or a term's image is missing.
SymmetricScheme decompose_transpose(const Scheme& scheme);
// Every term written out (fixed terms, then T0, T1 of each orbit), field GF2, format <n,m,n>.
Scheme expand_transpose(const SymmetricScheme& sym);

// The start described above; `row_groups` holds k_c for each row (1 <= k_c <= m). Throws
// fmm::Error otherwise.
SymmetricScheme transpose_rows_start(int n, int m, const std::vector<int>& row_groups);
// "2,1,1,1" (k_c per row) or "standard" (m in every row: the standard algorithm's fixed
// products). Throws fmm::Error.
std::vector<int> parse_row_groups(int n, int m, const std::string& text);
// The default: one group per row (n fixed terms), and two in the first row when the target rank
// (0: none) has the other parity than n.
std::vector<int> default_row_groups(int n, int m, int target_rank);

}  // namespace fmm::search
