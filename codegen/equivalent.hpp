// The cheapest equivalent of a scheme: the scheme in its orbit under changes of basis and the
// format's symmetries whose passes need the fewest additions after codegen's elimination.
//
// A change of basis (X, Y, Z) maps a scheme for <n,m,p> to another one for the same product:
//   U_r -> X^T U_r Y^-T,  V_r -> Y^T V_r Z^-T,  W_r -> X^-1 W_r Z   (tensor/transform.hpp),
// and so do the symmetries that keep the shape (cyclic for n = m = p, transpose for n = p). The
// products stay products of the same rank, but the sums around them change: Strassen's scheme
// needs 18 additions, its image under a suitable basis (Winograd's variant) 15 (all rank-7
// schemes for <2,2,2> form one orbit: H. F. de Groote, "On varieties of optimal algorithms for
// the computation of bilinear mappings II", Theor. Comput. Sci. 7, 1978).
//
// The orbit is walked with elementary unimodular moves I + e E_ab (e = +-1, which generate
// SL_n(Z)) and the symmetries, by late-acceptance hill climbing (Burke and Bykov, EJOR 2017) on the
// greedy CSE count, keeping coefficients within the scheme's own largest |numerator| and
// denominator; deterministic (fixed seed, fixed number of steps).
#pragma once

#include <string>

#include "codegen/linear_program.hpp"
#include "tensor/scheme.hpp"

namespace fmm::codegen {

struct EquivalentOptions {
  int steps = 3000;           // moves tried (fewer for large schemes: at most 30000 / rank)
  std::uint64_t seed = 1;
  CseEffort effort = CseEffort::Default;  // the final comparison with the scheme as given
};

struct Equivalent {
  Scheme scheme;                 // verified; the input itself when nothing cheaper was found
  int additions_before = 0;      // CSE additions of the input, at `effort`
  int additions_after = 0;       // ... and of `scheme`
  bool changed() const { return additions_after < additions_before; }
};

// Throws fmm::Error when `scheme` does not verify over its field.
Equivalent cheapest_equivalent(const Scheme& scheme, const EquivalentOptions& options = {});

}  // namespace fmm::codegen
