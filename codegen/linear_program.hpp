// Straight-line programs of additions for one operand of a scheme, and the common-subexpression
// elimination that shortens them.
//
// Each operand is a set of linear forms: the R combinations of A's blocks (the U factors), the R
// combinations of B's blocks (V), and the blocks of C as combinations of the R products (W read
// by rows). A form with k nonzero terms costs k - 1 additions; scaling by a constant is free in
// this count. Pairwise CSE (A. R. Benson and G. Ballard, "A framework for practical parallel fast
// matrix multiplication", PPoPP 2015, section 3.3) computes a pair x_i + c x_j that occurs (up to
// a common factor) in several forms once as a temporary and substitutes it everywhere. Each
// temporary costs one addition and saves one per further use. Which pairs to take is decided by
// pair_elimination.hpp: the greedy choice and randomised runs of better strategies, the cheapest
// program kept, deterministically.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codegen/pair_elimination.hpp"
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

// How hard codegen's CSE tries, as randomised runs after the greedy one and a budget of pair-table
// updates (never time, so the output is the same on every machine). Default: about a second per
// pass on a large plan such as Strassen^2's; thorough: ten times that.
enum class CseEffort { Greedy, Default, Thorough };
ReduceOptions cse_options(CseEffort effort);
std::optional<CseEffort> parse_cse_effort(const std::string& text);  // greedy|default|thorough
std::string to_string(CseEffort effort);

// Pairwise CSE (pair_elimination.hpp): the cheapest of the greedy program and `options.runs`
// randomised ones. Each output form is first scaled to coprime integers (free in the count) and
// scaled back in the program. Temporaries are q x_i + p x_j with coprime integers p, q.
LinearProgram eliminate_common_subexpressions(int inputs, std::vector<Form> outputs,
                                              const ReduceOptions& options = cse_options(CseEffort::Default));

// The greedy alone: the most frequent pair first, ties to the smallest (i, j, p, q).
LinearProgram greedy_common_subexpressions(int inputs, std::vector<Form> outputs);

// A program with no temporaries: every form evaluated on its own.
LinearProgram plain_program(int inputs, std::vector<Form> outputs);

}  // namespace fmm::codegen
