// Schemes for <n,n,n> invariant under the cyclic symmetry, over GF(2), bit-packed.
//
// Moosbauer, Poole, "Flip graphs with symmetry and new matrix multiplication schemes", 2025
// (arXiv 2502.04514): restricting the flip graph to schemes invariant under a symmetry group
// shrinks the search space by the group order. We use the cyclic group Z3 of <n,n,n>.
//
// The map is tensor/transform.hpp's cyclic() specialised to n = m = p (u: i*n+j, v: j*n+k,
// w: i*n+k, C not transposed): it sends the term (u, v, w) to
//     sigma(u, v, w) = (v, w^T, u^T)          (transposes as n x n matrices),
// and sigma^2(u, v, w) = (w^T, u, v^T), sigma^3 = id. The standard algorithm's term
// e_ij (x) e_jk (x) e_ik goes to e_jk (x) e_ki (x) e_ji, the term of (j,k,i): the scheme is
// invariant, with the n terms i = j = k fixed and the others in orbits of three.
//
// An invariant scheme is a set of *fixed* terms (a, a, a^T) (those equal to their image) plus
// *orbits* {t, sigma t, sigma^2 t}, each stored by one representative t. Its rank is
// fixed + 3 * orbits.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tensor/scheme.hpp"

namespace fmm::search {

using SymFactor = std::uint64_t;            // bit i*n+j = entry (i,j), n <= 8
using SymTerm = std::array<SymFactor, 3>;   // (u, v, w)

// Transposes n x n bit matrices (table driven: n lookups per call).
class BitTranspose {
 public:
  explicit BitTranspose(int n);
  int n() const { return n_; }
  SymFactor operator()(SymFactor x) const {
    SymFactor out = 0;
    for (int i = 0; i < n_; ++i) out |= spread_[(x >> (i * n_)) & row_mask_] << i;
    return out;
  }
  // sigma^s(t) for s in {0,1,2}, and its inverse.
  SymTerm image(const SymTerm& t, int s) const;
  SymTerm preimage(const SymTerm& t, int s) const { return image(t, (3 - s) % 3); }
  bool is_fixed(const SymTerm& t) const { return t[0] == t[1] && t[2] == (*this)(t[0]); }
  SymTerm fixed_term(SymFactor a) const { return {a, a, (*this)(a)}; }

 private:
  int n_;
  SymFactor row_mask_;
  std::vector<SymFactor> spread_;  // row bits r -> bit j*n for each bit j of r
};

struct SymmetricScheme {
  int n = 0;
  std::vector<SymFactor> fixed;  // a of the fixed term (a, a, a^T)
  std::vector<SymTerm> orbits;   // representatives
  int rank() const { return static_cast<int>(fixed.size() + 3 * orbits.size()); }
};

// Splits a scheme for <n,n,n> (n <= 8) into fixed terms and orbits, after reducing it mod 2.
// Throws fmm::Error when the shape is not square or too large, or when the scheme (as a
// multiset of GF(2) terms) is not invariant under the cyclic map.
SymmetricScheme decompose_symmetric(const Scheme& scheme);

// Every term written out (fixed terms, then each orbit's three images): field GF2. Not
// verified here; callers verify (tensor/verify.hpp) before anything leaves the search.
Scheme expand_symmetric(const SymmetricScheme& sym);

// Whether the expanded scheme equals its cyclic image as a multiset of GF(2) terms.
bool is_cyclic_invariant(const Scheme& scheme);

}  // namespace fmm::search
