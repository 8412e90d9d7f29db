// A multi-level fast-matrix-multiplication plan: one verified scheme per recursion level,
// expanded into its Kronecker (tensor) product so that all levels run as ONE level over a
// finer block grid (the fast-matmul/fmm-gen construction: Benson & Ballard, "A framework for
// practical parallel fast matrix multiplication", PPoPP 2015; Huang, Rice, Matthews & van de
// Geijn, "Generating families of practical fast matrix multiplication algorithms", IPDPS 2017).
//
// With levels <n1,m1,p1;R1>, <n2,m2,p2;R2>, ... A is cut into (n1 n2 ..) x (m1 m2 ..) blocks,
// B into (m1 m2 ..) x (p1 p2 ..), and there are R1 R2 .. products. Level 0 is the outermost
// (coarsest) split: product r = (r0 * R1 + r1) * R2 + r2 ..., block row i = (i0 * n1 + i1) ...
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tensor/scheme.hpp"

namespace fmm::gpu {

struct PlanTerm {
  int index = 0;      // a block (operand sides) or a product (C side)
  double coef = 0;    // exact in double for every published scheme (dyadic or small rationals)
};

struct FmmPlan {
  std::string name;               // "strassen^2", "laderman+strassen"
  std::vector<Scheme> levels;     // outermost first, each verified
  int n = 1, m = 1, p = 1;        // block grid: A is n x m blocks, B m x p, C n x p
  int rank = 1;                   // number of products
  // a_terms[r]: the A blocks (i*m + j) summed into product r's left operand, with coefficients;
  // b_terms[r]: the B blocks (j*p + k); c_terms[c]: the products added into C block c = i*p + k.
  std::vector<std::vector<PlanTerm>> a_terms, b_terms, c_terms;

  long a_term_count() const;
  long b_term_count() const;
  long c_term_count() const;
  // Products per top-level product (rank / R_top): chunks of the product range aligned to
  // this touch one top-level product's C blocks only.
  int inner_rank() const;
};

// Builds the plan; throws fmm::Error if a level fails verification (require_verified) or the
// expanded plan would be absurdly large (more than 4096 products or 4096 blocks a side).
FmmPlan make_fmm_plan(const std::vector<Scheme>& levels, const std::string& name);

// One part of a plan spec: "name^L" -> {name, L}, "name" -> {name, nullopt}. L is a whole number
// 1..8; anything else throws fmm::Error opening with `context`.
struct RepeatedScheme {
  std::string name;
  std::optional<int> levels;
};
RepeatedScheme parse_repeated_scheme(const std::string& part, const std::string& context);

// "strassen" with levels=2 -> strassen^2; "laderman+strassen" -> the two levels as written.
// Each name is a builtin or a scheme file (read through read_one_scheme, which verifies).
FmmPlan make_fmm_plan_from_spec(const std::string& spec, int levels);

}  // namespace fmm::gpu
