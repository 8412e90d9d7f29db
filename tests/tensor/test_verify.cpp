// Known answers for the one verifier: the classical algorithm, Strassen, Winograd and
// Laderman verify; every single-coefficient change of Strassen is rejected.
#include <doctest/doctest.h>

#include "tensor/builtin.hpp"
#include "tensor/verify.hpp"

using namespace fmm;

TEST_CASE("standard algorithm verifies for many formats") {
  for (int n = 1; n <= 5; ++n)
    for (int m = 1; m <= 5; ++m)
      for (int p = 1; p <= 5; ++p) {
        Scheme s = standard_scheme({n, m, p});
        CHECK(s.rank() == n * m * p);
        CHECK(verify(s, Field::Z).ok);
        CHECK(verify(s, Field::Q).ok);
        CHECK(verify(s, Field::GF2).ok);
      }
}

TEST_CASE("Strassen, Winograd and Laderman verify over Z, Q and GF2") {
  for (const Scheme& s : {strassen_scheme(), winograd_scheme(), laderman_scheme()}) {
    INFO(s.source());
    for (Field f : {Field::Z, Field::Q, Field::GF2}) {
      VerifyResult r = verify(s, f);
      CHECK_MESSAGE(r.ok, r.message());
    }
  }
  CHECK(laderman_scheme().rank() == 23);
  CHECK(strassen_scheme().rank() == 7);
}

TEST_CASE("every single-coefficient change of Strassen is rejected") {
  const Scheme base = strassen_scheme();
  int changes = 0;
  for (int r = 0; r < base.rank(); ++r)
    for (int factor = 0; factor < 3; ++factor)
      for (int x = 0; x < 4; ++x)
        for (int delta : {-2, -1, 1, 2}) {
          Scheme s = base;
          auto f = factor == 0 ? s.u(r) : factor == 1 ? s.v(r) : s.w(r);
          f[x] += delta;
          VerifyResult res = verify(s, Field::Z);
          CHECK_FALSE(res.ok);
          CHECK(res.equation.has_value());
          ++changes;
        }
  CHECK(changes == 7 * 3 * 4 * 4);
}

TEST_CASE("a failure names the first failing equation with found and expected values") {
  Scheme s = strassen_scheme();
  s.w(6)[0] = 0;  // drop M7's contribution to C11
  VerifyResult r = verify(s, Field::Z);
  REQUIRE_FALSE(r.ok);
  CHECK(r.equation->i == 0);
  CHECK(r.expected != r.found);
  CHECK(r.reason.find("Brent equation") != std::string::npos);
}

TEST_CASE("field rules: non-integers fail over Z, even denominators fail over GF2") {
  Scheme s = strassen_scheme();
  s.u(0)[0] = Rational(1, 2);
  CHECK_FALSE(verify(s, Field::Z).ok);
  CHECK(verify(s, Field::Z).reason.find("not an integer") != std::string::npos);
  CHECK(verify(s, Field::GF2).reason.find("even denominator") != std::string::npos);
}

TEST_CASE("a GF2-only scheme fails over Z") {
  // Strassen with -1 replaced by +1 holds mod 2 but not over Z.
  Scheme s = reduce_mod2(strassen_scheme());
  CHECK(verify(s, Field::GF2).ok);
  CHECK_FALSE(verify(s, Field::Z).ok);
}

TEST_CASE("rational schemes verify over Q: halving U and doubling W") {
  Scheme s = strassen_scheme();
  for (int r = 0; r < s.rank(); ++r) {
    for (auto& x : s.u(r)) x /= 2;
    for (auto& x : s.w(r)) x *= 2;
  }
  s.set_field(Field::Q);
  CHECK(verify(s, Field::Q).ok);
  CHECK_FALSE(verify(s, Field::Z).ok);
}
