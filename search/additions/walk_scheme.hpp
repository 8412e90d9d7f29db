// A scheme over Z as the additions search walks it: integer factor vectors with a coefficient
// bound, and the moves that keep the tensor (so the rank never grows):
//
//  * flips (Kauers and Moosbauer, "Flip graphs for matrix multiplication", ISSAC 2023): two
//    terms whose factor x agrees up to sign, x (x) y_i (x) z_i + s x (x) y_j (x) z_j, become
//    x (x) (y_i + s t y_j) (x) z_i + s x (x) y_j (x) (z_j - t z_i), t = +-1 (or with the roles of the
//    other two factors swapped). A factor that becomes zero drops its term;
//  * reductions: two terms that agree in two factors up to sign merge into one (rank - 1, or - 2
//    when the merged factor vanishes). The rank can only fall; there are no plus transitions;
//  * changes of basis by an elementary matrix I + e E_ab (e = +-1) in one of the three
//    dimensions, the generators of SL_n(Z): U_r -> X^T U_r Y^-T, V_r -> Y^T V_r Z^-T,
//    W_r -> X^-1 W_r Z (tensor/transform.hpp, change_basis). Signed permutations would only
//    relabel entries and leave every addition count unchanged, so they are not moves;
//  * the format's symmetries that keep its shape (cyclic for n = m = p, transpose for n = p).
// A move whose result has a coefficient beyond the bound is refused and leaves the scheme as it
// was. The moves keep the tensor exactly; the search still passes every scheme it hands out
// through the verifier.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tensor/scheme.hpp"
#include "tensor/splitmix64.hpp"

namespace fmm::search::additions {

using Rng = SplitMix64;  // tensor/splitmix64.hpp

using Factor = std::vector<int>;
struct WalkTerm {
  std::array<Factor, 3> f;  // u (A, i*m+j), v (B, j*p+k), w (C, i*p+k), as in Scheme
  friend bool operator==(const WalkTerm&, const WalkTerm&) = default;
};

// Which passes a move changed (bit 0: A's, 1: B's, 2: C's), so a cost cache can keep the others.
using PassMask = unsigned;
inline constexpr PassMask kAllPasses = 7;

class WalkScheme {
 public:
  WalkScheme() = default;
  // Throws fmm::Error when a coefficient is not an integer or exceeds max_coefficient after the
  // per-term rescaling u -> u/a, v -> v/b, w -> a b w that clears denominators where it can.
  WalkScheme(const Scheme& scheme, int max_coefficient);

  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(terms_.size()); }
  int max_coefficient() const { return bound_; }
  const std::vector<WalkTerm>& terms() const { return terms_; }
  Scheme to_scheme(Field field = Field::Z) const;  // not verified here

  // One random flip (with the reductions it enables). Returns the passes it changed; 0 when the
  // drawn flip was impossible or refused (nothing changed).
  PassMask random_flip(Rng& rng);
  // One random elementary change of basis; 0 when refused.
  PassMask random_basis_move(Rng& rng);
  // A random shape-preserving symmetry (cyclic or transpose); 0 when the format has none.
  PassMask random_symmetry(Rng& rng);
  // Whether the format has a shape-preserving symmetry at all.
  bool has_symmetry() const;

  // Order-independent hash of the terms (as Pool::fingerprint, on the integer factors).
  std::uint64_t fingerprint() const;

 private:
  bool in_bound(const Factor& f) const;
  void reduce_around(std::vector<int> touched);
  bool apply_basis(int dim, int a, int b, int e);

  Shape shape_;
  int bound_ = 1;
  std::vector<WalkTerm> terms_;
};

}  // namespace fmm::search::additions
