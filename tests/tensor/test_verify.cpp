// Known answers for the one verifier: the classical algorithm, Strassen, Winograd and
// Laderman verify; every single-coefficient change of Strassen is rejected.
#include <doctest/doctest.h>

#include <span>
#include <string>
#include <vector>

#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
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

// ---- Bounded work (issue 14, item 10) ---------------------------------------------------------

namespace {

// Strassen with every product split in two, (u,v,w) = (u,v,w-e) + (u,v,e): a valid <2,2,2>
// scheme of rank 14 whose Kronecker powers are valid schemes of rank 14^k.
Scheme split_strassen() {
  const Scheme s = strassen_scheme();
  Scheme out({2, 2, 2}, Field::Z);
  out.set_source("split strassen");
  std::vector<Rational> e(4), w(4);
  e[0] = 1;
  for (int r = 0; r < s.rank(); ++r) {
    for (int x = 0; x < 4; ++x) w[x] = s.w(r)[x] - e[x];
    out.add_term(s.u(r), s.v(r), w);
    out.add_term(s.u(r), s.v(r), e);
  }
  return out;
}

Scheme kronecker_product(const Scheme& a, const Scheme& b) {
  const Shape sa = a.shape(), sb = b.shape();
  Scheme out({sa.n * sb.n, sa.m * sb.m, sa.p * sb.p}, Field::Z);
  std::vector<Rational> u, v, w;
  auto kron = [](std::span<const Rational> x, int xr, int xc, std::span<const Rational> y, int yr, int yc,
                 std::vector<Rational>& into) {
    into.assign(static_cast<size_t>(xr * yr) * xc * yc, Rational(0));
    for (int i1 = 0; i1 < xr; ++i1)
      for (int j1 = 0; j1 < xc; ++j1)
        for (int i2 = 0; i2 < yr; ++i2)
          for (int j2 = 0; j2 < yc; ++j2)
            into[static_cast<size_t>(i1 * yr + i2) * (xc * yc) + j1 * yc + j2] = x[i1 * xc + j1] * y[i2 * yc + j2];
  };
  out.reserve(a.rank() * b.rank());
  for (int r1 = 0; r1 < a.rank(); ++r1)
    for (int r2 = 0; r2 < b.rank(); ++r2) {
      kron(a.u(r1), sa.n, sa.m, b.u(r2), sb.n, sb.m, u);
      kron(a.v(r1), sa.m, sa.p, b.v(r2), sb.m, sb.p, v);
      kron(a.w(r1), sa.n, sa.p, b.w(r2), sb.n, sb.p, w);
      out.add_term(u, v, w);
    }
  return out;
}

}  // namespace

TEST_CASE("a valid <16,16,16> scheme of rank 38416 verifies; one changed coefficient is found") {
  // The work grows with the nonzero triples of each product, not with rank x (nm)(mp)(np): this
  // check took minutes and 1.2 GB before it did (issue 14, item 10); now it is about a second.
  const Scheme s2 = split_strassen();
  REQUIRE(verify(s2).ok);
  const Scheme s4 = kronecker_product(s2, s2);
  Scheme big = kronecker_product(kronecker_product(s4, s2), s2);
  REQUIRE(big.shape() == Shape{16, 16, 16});
  REQUIRE(big.rank() == 38416);
  VerifyResult r = verify(big, Field::Z);
  CHECK_MESSAGE(r.ok, r.message());
  CHECK(verify(big, Field::Q).ok);
  CHECK(verify(big, Field::GF2).ok);
  CHECK(verify(standard_scheme({16, 16, 16}), Field::Z).ok);
  // Change one coefficient of the last term's w: the first failing equation is the one it touches.
  const int last = big.rank() - 1;
  int x = 0;
  while (big.w(last)[x].is_zero()) ++x;
  big.w(last)[x] += 1;
  r = verify(big, Field::Z);
  CHECK_FALSE(r.ok);
  CHECK_FALSE(r.unchecked);
  REQUIRE(r.equation);
  CHECK(r.expected - r.found != Rational(0));
  CHECK(r.message().find("invalid over Z: Brent equation") == 0);
  CHECK_FALSE(verify(big, Field::GF2).ok);
}

TEST_CASE("a scheme too dense to check within the work bound is not checked, never valid") {
  // The standard <16,16,16> plus 300 pairs of all-ones products that cancel: valid, but each
  // dense product has 256^3 nonzero triples, 1e10 in all, above kMaxVerifyWork.
  Scheme s = standard_scheme({16, 16, 16});
  std::vector<Rational> ones(256, Rational(1)), minus(256, Rational(-1));
  for (int i = 0; i < 300; ++i) {
    s.add_term(ones, ones, ones);
    s.add_term(ones, ones, minus);
  }
  const VerifyResult r = verify(s, Field::Z);
  CHECK_FALSE(r.ok);
  CHECK(r.unchecked);
  CHECK(r.message().find("not checked over Z: the exact check would take") == 0);
  CHECK_THROWS_AS(require_verified(s, "dense"), Error);
  // Over GF2 a product costs |u| |v| word operations on bit rows: this one is checked.
  CHECK(verify(s, Field::GF2).ok);
}

TEST_CASE("an overflowing check is reported as not checked, not as invalid") {
  // Three products for <1,1,1>: 1 + 2^42^3 - 2^42^3 = 1 holds, but the partial sums need 127 bits.
  const std::int64_t big = std::int64_t(1) << 42;
  Scheme s({1, 1, 1}, Field::Z);
  const Rational one(1), b(big), mb(-big);
  s.add_term(std::span(&one, 1), std::span(&one, 1), std::span(&one, 1));
  s.add_term(std::span(&b, 1), std::span(&b, 1), std::span(&b, 1));
  s.add_term(std::span(&mb, 1), std::span(&b, 1), std::span(&b, 1));
  VerifyResult r = verify(s, Field::Z);
  CHECK(r.unchecked);
  CHECK(r.message().find("not checked over Z") == 0);
  try {
    require_verified(s, "overflow");
    FAIL("require_verified accepted an unchecked scheme");
  } catch (const VerificationError&) {
    FAIL("an overflow is not a verification failure");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("not checked") != std::string::npos);
  }
  // Partial sums near 2^80 fit the 128-bit accumulators: checked exactly.
  const Rational c(std::int64_t(1) << 27), mc(-(std::int64_t(1) << 27));
  Scheme t({1, 1, 1}, Field::Z);
  t.add_term(std::span(&one, 1), std::span(&one, 1), std::span(&one, 1));
  t.add_term(std::span(&c, 1), std::span(&c, 1), std::span(&c, 1));
  t.add_term(std::span(&mc, 1), std::span(&c, 1), std::span(&c, 1));
  r = verify(t, Field::Z);
  CHECK_MESSAGE(r.ok, r.message());
}

TEST_CASE("a term with w = 0 and huge u, v neither overflows nor changes the answer") {
  // |u| |v| = 2^80 with w = 0: the bound on the sums (|u| |v| |w| = 0) holds, the product u*v
  // would not fit 64 bits. The term adds nothing, so Strassen plus it is still valid.
  Scheme s = strassen_scheme();
  std::vector<Rational> u(4), v(4), w(4);
  u[1] = Rational(std::int64_t(1) << 40);
  v[2] = Rational(-(std::int64_t(1) << 40));
  s.add_term(u, v, w);
  const VerifyResult r = verify(s, Field::Z);
  CHECK_MESSAGE(r.ok, r.message());
  // Still exact: the same term with w != 0 breaks an equation and is found.
  w[3] = Rational(1);
  Scheme t = strassen_scheme();
  t.add_term(u, v, w);
  CHECK_FALSE(verify(t, Field::Z).ok);
}

TEST_CASE("a Brent sum of exactly INT64_MIN is reported, not undefined") {
  // 1 - 2^63 - 1 = INT64_MIN for <1,1,1> (found by fuzz_npz: the report's Rational(sum, scale)
  // took std::gcd of INT64_MIN). The bound, 2^63 + 2, sends the check to 128-bit sums.
  const Rational one(1), minus(-1), big(std::int64_t(1) << 31), m2(-2);
  Scheme s({1, 1, 1}, Field::Z);
  s.add_term(std::span(&one, 1), std::span(&one, 1), std::span(&one, 1));
  s.add_term(std::span(&big, 1), std::span(&big, 1), std::span(&m2, 1));
  s.add_term(std::span(&one, 1), std::span(&one, 1), std::span(&minus, 1));
  const VerifyResult r = verify(s, Field::Z);
  CHECK_FALSE(r.ok);
  CHECK_FALSE(r.unchecked);
  CHECK(r.message().find("sums to -9223372036854775808, expected 1") != std::string::npos);
}

TEST_CASE("require_verified: invalid is a VerificationError") {
  Scheme s = strassen_scheme();
  s.u(0)[0] = 2;
  CHECK_THROWS_AS(require_verified(s, "changed"), VerificationError);
}
