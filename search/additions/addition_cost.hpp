// What the additions search minimises: the additions codegen emits for a scheme, pass by pass.
//
// codegen builds three passes from a flattened scheme (codegen/plan.hpp): A's pass computes the
// R forms u_r over A's blocks, B's pass the R forms v_r, C's pass every block of C as a form in
// the R products (W read by rows), and shortens each by common-subexpression elimination
// (codegen/pair_elimination.hpp). The walk scores a scheme with a cheaper setting of the same
// elimination (fewer randomised runs); the final count is codegen's own (codegen_additions).
#pragma once

#include <array>

#include "codegen/pair_elimination.hpp"
#include "codegen/plan.hpp"
#include "search/additions/walk_scheme.hpp"

namespace fmm::search::additions {

// The integer forms of pass `pass` (0: A, 1: B, 2: C) and the number of its input variables.
std::vector<codegen::IntForm> pass_forms(const WalkScheme& scheme, int pass);
int pass_inputs(const WalkScheme& scheme, int pass);

struct PassCosts {
  std::array<int, 3> additions{};
  int total() const { return additions[0] + additions[1] + additions[2]; }
};

// Additions of the passes in `changed`, the others copied from `previous`.
PassCosts evaluate(const WalkScheme& scheme, const codegen::ReduceOptions& options, PassMask changed = kAllPasses,
                   const PassCosts& previous = {});

// Naive additions (every form on its own), as tensor/metrics.hpp counts them.
PassCosts naive_additions(const WalkScheme& scheme);

// The counts codegen emits for this scheme as one level, as given (`--as-given`): {plain, cse} of
// the three passes, from codegen's own plan (which verifies the scheme; throws fmm::Error if not).
codegen::AdditionCounts codegen_additions(const Scheme& scheme);

}  // namespace fmm::search::additions
