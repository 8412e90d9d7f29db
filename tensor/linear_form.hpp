// Parser for linear forms over matrix entries, as written in papers and in the
// flip-graph community's .exp files: "a11-a12", "-(b21+2*b22)", "1/2*c12 + c21/3".
// A variable is a letter followed by two 1-based indices, one digit each ("a12"), or,
// for dimensions above 9, two numbers separated by '_' ("a10_12").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tensor/rational.hpp"

namespace fmm {

struct LinearForm {
  // (row, col), 0-based -> coefficient; zero coefficients are removed.
  std::map<std::pair<int, int>, Rational> coeffs;
  char letter = 0;  // the variable letter used, 0 if the form is empty
};

// Parses a linear form in one variable letter (any of `letters`). On failure returns
// nullopt and sets `error` to what was expected at which column.
std::optional<LinearForm> parse_linear_form(std::string_view text, std::string_view letters, std::string& error);

}  // namespace fmm
