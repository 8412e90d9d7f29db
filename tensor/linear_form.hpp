// Parser for linear forms over matrix entries, as written in papers and in the
// flip-graph community's .exp files: "a11-a12", "-(b21+2*b22)", "1/2*c12 + c21/3".
// A variable is a letter followed by two 1-based indices, one digit each ("a12"), or,
// for dimensions above 9, two numbers separated by '_' ("a10_12").
//
// The same grammar also reads a product of forms in different letters, which is what
// one line of an .exp file is: "-(a11-a12)*(b21+2*b22)*c12".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tensor/rational.hpp"

namespace fmm {

// Parentheses nest at most this deep; deeper input is rejected, not recursed into.
inline constexpr int kMaxFormNesting = 64;
// Indices are at most this large (three digits), whatever the caller's dimension limit.
inline constexpr int kMaxFormIndex = 999;

struct LinearForm {
  // (row, col), 0-based -> coefficient; zero coefficients are removed.
  std::map<std::pair<int, int>, Rational> coeffs;
  char letter = 0;  // the variable letter used, 0 if the form is empty
};

// Parses a linear form in one variable letter (any of `letters`). On failure returns
// nullopt and sets `error` to what was expected at which column.
std::optional<LinearForm> parse_linear_form(std::string_view text, std::string_view letters, std::string& error);

// A constant times a product of linear forms in pairwise different letters.
// A number written inside a factor's parentheses, or directly next to a single factor
// ("2*a11", "(1/2*a11+a12)"), belongs to that factor; a number that multiplies a
// product of several factors ("-(a11*b12*c21)", "a11*b11*c11/3") is kept in `scale`.
struct FormProduct {
  Rational scale = 1;
  std::map<char, LinearForm> forms;  // letter -> form (its coeffs may be empty: "0*a11")
};

// Parses e.g. "(a11-a12)*(b21+2*b22)*(c12+c21)", also with juxtaposition instead of '*'.
// On failure returns nullopt and sets `error` to what was expected at which column.
std::optional<FormProduct> parse_form_product(std::string_view text, std::string_view letters, std::string& error);

}  // namespace fmm
