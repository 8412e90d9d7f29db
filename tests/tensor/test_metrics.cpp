// Known answers for the metrics: nonzeros and plain additions of Strassen, Winograd and the
// standard algorithm, exponents, coefficient sets, and the stability quantities e_max, q_max.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "tensor/builtin.hpp"
#include "tensor/metrics.hpp"
#include "tensor/transform.hpp"

using namespace fmm;

TEST_CASE("Strassen: nonzeros 12/12/12, 18 additions, exponent log2 7") {
  SchemeMetrics m = compute_metrics(strassen_scheme());
  CHECK(m.rank == 7);
  CHECK(m.nnz_u == 12);
  CHECK(m.nnz_v == 12);
  CHECK(m.nnz_w == 12);
  CHECK(m.additions_u == 5);
  CHECK(m.additions_v == 5);
  CHECK(m.additions_w == 8);
  CHECK(m.additions() == 18);
  CHECK(m.exponent == doctest::Approx(std::log2(7.0)).epsilon(1e-12));
  CHECK(m.exponent == doctest::Approx(2.807354922).epsilon(1e-9));
  CHECK(m.holds_z);
  CHECK(m.holds_q);
  CHECK(m.holds_gf2);
  REQUIRE(m.coefficients.size() == 2);
  CHECK(m.coefficients[0] == Rational(-1));
  CHECK(m.coefficients[1] == Rational(1));
  CHECK(m.max_abs == Rational(1));
  REQUIRE(m.denominators.size() == 1);
  CHECK(m.denominators[0] == 1);
}

TEST_CASE("Winograd's variant: 24 additions when evaluated plainly (15 only with reuse)") {
  SchemeMetrics m = compute_metrics(winograd_scheme());
  CHECK(m.nnz_u == 14);
  CHECK(m.nnz_v == 14);
  CHECK(m.nnz_w == 14);
  CHECK(m.additions_u == 7);
  CHECK(m.additions_v == 7);
  CHECK(m.additions_w == 10);
  CHECK(m.additions() == 24);
}

TEST_CASE("standard <2,2,2>: only the 4 C sums, exponent 3") {
  SchemeMetrics m = compute_metrics(standard_scheme({2, 2, 2}));
  CHECK(m.rank == 8);
  CHECK(m.additions() == 4);
  CHECK(m.additions_w == 4);
  CHECK(m.nnz_u == 8);
  CHECK(m.exponent == doctest::Approx(3.0));
  CHECK(m.coefficients.size() == 1);
  // Standard <n,m,p> in general: n p (m - 1) additions.
  CHECK(compute_metrics(standard_scheme({3, 4, 5})).additions() == 3 * 5 * 3);
  CHECK(std::isnan(compute_metrics(standard_scheme({1, 1, 1})).exponent));
}

TEST_CASE("Laderman: rank 23, exponent 3 ln 23 / ln 27") {
  SchemeMetrics m = compute_metrics(laderman_scheme());
  CHECK(m.rank == 23);
  CHECK(m.exponent == doctest::Approx(3 * std::log(23.0) / std::log(27.0)));
  CHECK(m.holds_z);
}

// e = |W| (a o b) with a_r = ||u_r||_1, b_r = ||v_r||_1; q_ik = gamma_ik + max (alpha_r + beta_r).
// Worked by hand from the products in tensor/builtin.cpp.
TEST_CASE("stability quantities: classical, Strassen, Winograd") {
  SchemeMetrics c = compute_metrics(standard_scheme({2, 2, 2}));
  CHECK(c.e_max == Rational(2));  // each C entry: two products with a_r = b_r = 1
  CHECK(c.q_max == 4);            // gamma 2 + alpha 1 + beta 1

  SchemeMetrics s = compute_metrics(strassen_scheme());
  CHECK(s.e_max == Rational(12));  // C11 = M1 + M4 - M5 + M7: 4 + 2 + 2 + 4
  CHECK(s.q_max == 8);             // C11: gamma 4 + (2 + 2) from M1
  REQUIRE(s.e.size() == 4);
  CHECK(s.e[0] == Rational(12));
  CHECK(s.e[1] == Rational(4));
  CHECK(s.e[2] == Rational(4));
  CHECK(s.e[3] == Rational(12));

  SchemeMetrics w = compute_metrics(winograd_scheme());
  CHECK(w.e_max == Rational(18));  // C12 = M1 + M3 + M5 + M6: 1 + 4 + 4 + 9
  CHECK(w.e[0] == Rational(2));
  CHECK(w.q_max == 10);            // C12: gamma 4 + (3 + 3) from M6
}

TEST_CASE("metrics of rational and GF2 schemes") {
  Scheme half = strassen_scheme();
  for (auto& x : half.u(0)) x *= 2;
  for (auto& x : half.w(0)) x /= 2;
  half.set_field(Field::Q);
  SchemeMetrics m = compute_metrics(half);
  CHECK_FALSE(m.holds_z);
  CHECK(m.holds_q);
  CHECK(m.max_abs == Rational(2));
  REQUIRE(m.denominators.size() == 2);
  CHECK(m.denominators[1] == 2);
  CHECK(m.e_max == Rational(12));  // the scaling cancels in |w| a b

  SchemeMetrics g = compute_metrics(reduce_mod2(strassen_scheme()));
  CHECK(g.field == Field::GF2);
  CHECK(g.holds_gf2);
  CHECK_FALSE(g.holds_z);
}

TEST_CASE("the printers name every quantity") {
  SchemeMetrics m = compute_metrics(strassen_scheme());
  std::ostringstream table, json;
  print_metrics(table, m);
  print_metrics_json(json, m);
  for (const char* key : {"rank", "exponent", "additions", "nonzeros", "e_max", "q_max", "coefficients",
                          "denominators", "holds over"})
    CHECK(table.str().find(key) != std::string::npos);
  CHECK(table.str().find("18") != std::string::npos);
  CHECK(json.str().find("\"total\": 18") != std::string::npos);
  CHECK(json.str().find("\"e_max\": \"12\"") != std::string::npos);
  CHECK(json.str().find("\"q_max\": 8") != std::string::npos);
}

TEST_CASE("flip pairs: none in Strassen's scheme, twelve in the standard <2,2,2>, reducible pairs counted") {
  SchemeMetrics s = compute_metrics(strassen_scheme());
  CHECK(s.flip_pairs == 0);  // no two of its seven terms share a factor: no flip neighbour
  CHECK(s.flip_terms == 0);
  CHECK(s.reducible_pairs == 0);
  CHECK(compute_metrics(reduce_mod2(strassen_scheme())).flip_pairs == 0);

  // a_ij b_jk c_ik: each factor is in two terms (two values of the free index), four per kind.
  SchemeMetrics c = compute_metrics(standard_scheme(Shape{2, 2, 2}));
  CHECK(c.flip_pairs == 12);
  CHECK(c.flip_terms == 8);
  CHECK(c.reducible_pairs == 0);

  // Split one product of <1,1,1> in two (a b c = a b (2c) + a b (-c)): the two terms share two
  // factors (up to scale) and the third up to scale too, so one pair, reducible.
  Scheme split(Shape{1, 1, 1}, Field::Z);
  const std::vector<Rational> one{Rational(1)}, two{Rational(2)}, minus{Rational(-1)};
  split.add_term(one, one, two);
  split.add_term(one, one, minus);
  SchemeMetrics r = compute_metrics(split);
  CHECK(r.flip_pairs == 1);
  CHECK(r.flip_terms == 2);
  CHECK(r.reducible_pairs == 1);

  std::ostringstream table, json;
  print_metrics(table, c);
  print_metrics_json(json, c);
  CHECK(table.str().find("flip pairs      12  (pairs of terms with a common factor, 8 terms in them") != std::string::npos);
  CHECK(json.str().find("\"flip\": {\"pairs\": 12, \"terms\": 8, \"reducible_pairs\": 0}") != std::string::npos);
}
