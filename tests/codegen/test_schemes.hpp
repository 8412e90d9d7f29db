// The schemes the codegen tests generate code from, built in code so that the tests need no
// data files. Each is verified by make_plan (and by require_verified here).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "tensor/builtin.hpp"
#include "tensor/verify.hpp"

namespace fmm::codegen_test {

// <2,2,3;11>: Strassen on columns 1-2 of B and C plus the classical <2,2,1;4> on column 3.
// 11 is the rank of <2,2,3> (J. E. Hopcroft and L. R. Kerr, "On minimizing the number of
// multiplications necessary for matrix multiplication", SIAM J. Appl. Math. 20, 1971).
inline Scheme strassen_plus_column_223() {
  Scheme s = scheme_from_terms({2, 2, 3},
                               {
                                   {"a11+a22", "b11+b22", "c11+c22"},
                                   {"a21+a22", "b11", "c21-c22"},
                                   {"a11", "b12-b22", "c12+c22"},
                                   {"a22", "b21-b11", "c11+c21"},
                                   {"a11+a12", "b22", "c12-c11"},
                                   {"a21-a11", "b11+b12", "c22"},
                                   {"a12-a22", "b21+b22", "c11"},
                                   {"a11", "b13", "c13"},
                                   {"a12", "b23", "c13"},
                                   {"a21", "b13", "c23"},
                                   {"a22", "b23", "c23"},
                               },
                               "test:strassen+column_2x2x3");
  require_verified(s, "test scheme <2,2,3;11>");
  return s;
}

// Strassen with every U factor halved and every W factor doubled: the same products, rational
// coefficients 1/2 (exercises exact rational constants in generated code).
inline Scheme strassen_rational() {
  Scheme s = strassen_scheme();
  for (int r = 0; r < s.rank(); ++r) {
    for (auto& x : s.u(r)) x = x * Rational(1, 2);
    for (auto& x : s.w(r)) x = x * Rational(2);
  }
  s.set_field(Field::Q);
  s.set_source("test:strassen_halved_u_doubled_w");
  require_verified(s, "test scheme: rational Strassen");
  return s;
}

// The test cases by name: the levels to nest, outer first.
inline std::vector<Scheme> test_case_levels(const std::string& name) {
  if (name == "standard222") return {standard_scheme({2, 2, 2})};
  if (name == "strassen") return {strassen_scheme()};
  if (name == "strassen_asgiven") return {strassen_scheme()};  // generated with --as-given (driver.cpp)
  if (name == "winograd") return {winograd_scheme()};
  if (name == "laderman") return {laderman_scheme()};
  if (name == "lowadd333") return {lowadd333_scheme()};
  if (name == "hk223") return {strassen_plus_column_223()};
  if (name == "strassen_rational") return {strassen_rational()};
  if (name == "strassen_strassen") return {strassen_scheme(), strassen_scheme()};
  if (name == "strassen_laderman") return {strassen_scheme(), laderman_scheme()};
  throw std::invalid_argument("unknown codegen test case '" + name + "'");
}

}  // namespace fmm::codegen_test
