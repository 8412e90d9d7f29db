// Straight-line programs of additions for one operand of a scheme, and the common-subexpression
// elimination that shortens them.
//
// Each operand is a set of linear forms: the R combinations of A's blocks (the U factors), the R
// combinations of B's blocks (V), and the blocks of C as combinations of the R products (W read
// by rows). A form with k nonzero terms costs k - 1 additions; scaling by a constant is free in
// this count. Greedy pairwise CSE (A. R. Benson and G. Ballard, "A framework for practical parallel
// fast matrix multiplication", PPoPP 2015, section 3.3) repeatedly takes the pair x_i + c x_j that
// occurs (up to a common factor) in the most forms, computes it once as a temporary, and
// substitutes it everywhere. Each temporary costs one addition and saves one per further use.
#pragma once

#include <string>
#include <vector>

#include "tensor/rational.hpp"

namespace fmm::codegen {

// coef * x_var. Variables 0 .. inputs-1 are the program's inputs; variable inputs + t is
// temporary t.
struct Term {
  int var = 0;
  Rational coef;
  friend bool operator==(const Term&, const Term&) = default;
};
using Form = std::vector<Term>;  // sorted by var, no zero coefficients

struct LinearProgram {
  int inputs = 0;
  std::vector<Form> temps;    // temps[t] defines variable inputs + t from earlier variables
  std::vector<Form> outputs;  // what the pass writes, in order

  int additions() const;      // sum over temps and outputs of max(terms - 1, 0)
};

// Additions needed to evaluate every form on its own.
int plain_additions(const std::vector<Form>& forms);

// Greedy pairwise CSE, deterministic: ties between equally frequent pairs go to the smallest
// (i, j, c) in lexicographic order. Stops when no pair occurs in two forms.
LinearProgram eliminate_common_subexpressions(int inputs, std::vector<Form> outputs);

// A program with no temporaries: every form evaluated on its own.
LinearProgram plain_program(int inputs, std::vector<Form> outputs);

}  // namespace fmm::codegen
