// Known answers for the transformations: Kronecker products have the product format and rank,
// every symmetry of <n,m,p> yields a valid scheme of the claimed format and the inverse maps
// compose to the identity, changes of basis keep validity and rank, simplification undoes an
// added zero term and a split term.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>

#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"

using namespace fmm;

namespace {

std::vector<Scheme> symmetry_subjects() {
  return {strassen_scheme(), winograd_scheme(), laderman_scheme(), standard_scheme({2, 3, 4})};
}

Shape permuted(const Shape& s, const std::string& name) {
  auto dim = [&](char c) { return c == 'n' ? s.n : c == 'm' ? s.m : s.p; };
  return {dim(name[0]), dim(name[1]), dim(name[2])};
}

}  // namespace

TEST_CASE("Kronecker product of Strassen with itself is a verified <4,4,4;49>") {
  Scheme s = kronecker(strassen_scheme(), strassen_scheme());
  CHECK(s.shape() == Shape{4, 4, 4});
  CHECK(s.rank() == 49);
  CHECK(s.field() == Field::Z);
  CHECK(verify(s, Field::Z).ok);
}

TEST_CASE("Kronecker products with standard schemes have the product format and rank") {
  Scheme s = kronecker(strassen_scheme(), standard_scheme({1, 1, 2}));
  CHECK(s.shape() == Shape{2, 2, 4});
  CHECK(s.rank() == 14);
  CHECK(verify(s).ok);

  Scheme t = kronecker(standard_scheme({1, 2, 1}), laderman_scheme());
  CHECK(t.shape() == Shape{3, 6, 3});
  CHECK(t.rank() == 46);
  CHECK(verify(t).ok);

  Scheme u = kronecker(standard_scheme({2, 3, 1}), standard_scheme({1, 2, 2}));
  CHECK(u.shape() == Shape{2, 6, 2});
  CHECK(u.rank() == 24);
  CHECK(verify(u).ok);
}

TEST_CASE("Kronecker product fields: GF2 mixes by reducing the other factor") {
  Scheme g = reduce_mod2(strassen_scheme());
  REQUIRE(g.field() == Field::GF2);
  Scheme s = kronecker(g, strassen_scheme());
  CHECK(s.field() == Field::GF2);
  CHECK(s.rank() == 49);
  CHECK(verify(s, Field::GF2).ok);
  CHECK(s.all_binary());

  Scheme half = strassen_scheme();
  // Scale the first product: u * 2, w * 1/2 keeps the identities but needs Q.
  for (auto& x : half.u(0)) x *= 2;
  for (auto& x : half.w(0)) x /= 2;
  half.set_field(Field::Q);
  REQUIRE(verify(half).ok);
  Scheme q = kronecker(half, standard_scheme({1, 1, 2}));
  CHECK(q.field() == Field::Q);
  CHECK(verify(q).ok);
}

TEST_CASE("Kronecker products beyond the largest dimension are refused") {
  CHECK_THROWS_AS(kronecker(standard_scheme({3, 1, 1}), standard_scheme({6, 1, 1})), Error);
}

TEST_CASE("cyclic and transpose give valid schemes of the claimed format") {
  for (const Scheme& s : symmetry_subjects()) {
    INFO(s.source());
    const Shape sh = s.shape();
    Scheme c = cyclic(s);
    CHECK(c.shape() == Shape{sh.m, sh.p, sh.n});
    CHECK(c.rank() == s.rank());
    CHECK(verify(c).ok);
    Scheme c2 = cyclic(s, 2);
    CHECK(c2.shape() == Shape{sh.p, sh.n, sh.m});
    CHECK(verify(c2).ok);
    Scheme t = transpose(s);
    CHECK(t.shape() == Shape{sh.p, sh.m, sh.n});
    CHECK(t.rank() == s.rank());
    CHECK(verify(t).ok);
  }
}

TEST_CASE("all six permutations verify with the claimed format") {
  for (const Scheme& s : symmetry_subjects()) {
    for (const auto& name : permutation_names()) {
      INFO(s.source() << " " << name);
      Scheme t = permute(s, name);
      CHECK(t.shape() == permuted(s.shape(), name));
      CHECK(t.rank() == s.rank());
      CHECK(verify(t).ok);
      CHECK(permute(s, "nmp->" + name).shape() == t.shape());
    }
  }
  Scheme s = standard_scheme({2, 3, 4});
  CHECK(permute(s, "mnp").shape() == Shape{3, 2, 4});
  CHECK(permute(s, "npm").shape() == Shape{2, 4, 3});
  CHECK_THROWS_AS(permute(s, "nnp"), Error);
  CHECK_THROWS_AS(permute(s, "mpn->nmp"), Error);
}

TEST_CASE("inverse symmetries compose to the identity exactly") {
  for (const Scheme& s : symmetry_subjects()) {
    INFO(s.source());
    auto same = [&](const Scheme& t) {
      Scheme a = t, b = s;
      a.set_source("");
      b.set_source("");
      return a == b;
    };
    CHECK(same(cyclic(cyclic(cyclic(s)))));
    CHECK(same(cyclic(cyclic(s, 2))));
    CHECK(same(cyclic(cyclic(s, -1))));
    CHECK(same(transpose(transpose(s))));
    // transpose o cyclic is an involution ("npm" and "mnp" are their own inverses).
    CHECK(same(permute(permute(s, "npm"), "npm")));
    CHECK(same(permute(permute(s, "mnp"), "mnp")));
    CHECK(same(permute(permute(s, "mpn"), "pnm")));
  }
}

TEST_CASE("matrices: parse, determinant, inverse") {
  RationalMatrix x = RationalMatrix::parse("1,1;0,1");
  CHECK(x.rows == 2);
  CHECK(x.str() == "1,1;0,1");
  CHECK(determinant(x) == Rational(1));
  CHECK(x * inverse(x) == RationalMatrix::identity(2));
  RationalMatrix y = RationalMatrix::parse(" 2, 1 ; 1/2, 3 ");
  CHECK(determinant(y) == Rational(11, 2));
  CHECK(inverse(y) * y == RationalMatrix::identity(2));
  CHECK(determinant(RationalMatrix::parse("0,1,0;0,0,1;1,0,0")) == Rational(1));
  CHECK(determinant(RationalMatrix::parse("1,2;2,4")) == Rational(0));
  CHECK_THROWS_AS(inverse(RationalMatrix::parse("1,2;2,4")), Error);
  CHECK_THROWS_AS(RationalMatrix::parse("1,2;3"), Error);
  CHECK_THROWS_AS(RationalMatrix::parse("1,x"), Error);
  CHECK_THROWS_AS(RationalMatrix::parse(""), Error);
}

TEST_CASE("random unimodular matrices are deterministic and have determinant +-1") {
  for (int n = 1; n <= 6; ++n)
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      RationalMatrix x = random_unimodular(n, seed);
      CHECK(x.all_integer());
      Rational d = determinant(x);
      CHECK((d == Rational(1) || d == Rational(-1)));
      CHECK(x == random_unimodular(n, seed));
    }
  // Not all trivial: some seed gives a matrix that is not a signed permutation.
  bool nontrivial = false;
  for (std::uint64_t seed = 0; seed < 10 && !nontrivial; ++seed) {
    RationalMatrix x = random_unimodular(3, seed);
    int nnz = 0;
    for (const auto& c : x.a) nnz += !c.is_zero();
    nontrivial = nnz > 3;
  }
  CHECK(nontrivial);
}

TEST_CASE("a fixed change of basis of Strassen keeps it valid") {
  BasisChange b{RationalMatrix::parse("1,1;0,1"), RationalMatrix::parse("1,0;1,1"), RationalMatrix::parse("0,1;1,0")};
  Scheme s = change_basis(strassen_scheme(), b);
  CHECK(s.rank() == 7);
  CHECK(s.field() == Field::Z);
  CHECK(verify(s, Field::Z).ok);
  CHECK(s != strassen_scheme());
  // Undoing it with the inverse matrices gives Strassen back.
  BasisChange inv{inverse(b.x), inverse(b.y), inverse(b.z)};
  Scheme back = change_basis(s, inv);
  back.set_source("");
  Scheme orig = strassen_scheme();
  orig.set_source("");
  CHECK(back == orig);
}

TEST_CASE("random unimodular changes of basis preserve validity and rank") {
  // Seeds are drawn from a printed base seed so a failure can be replayed (FMM_TEST_SEED=<seed>).
  const char* fixed = std::getenv("FMM_TEST_SEED");
  const std::uint64_t base = fixed ? std::strtoull(fixed, nullptr, 10) : std::random_device{}();
  std::cout << "test_transform: random change-of-basis base seed " << base << '\n';
  std::vector<Scheme> subjects = symmetry_subjects();
  subjects.push_back(standard_scheme({3, 2, 4}));
  for (int trial = 0; trial < 5; ++trial) {
    for (const Scheme& s : subjects) {
      const std::uint64_t seed = base + static_cast<std::uint64_t>(trial);
      INFO("seed " << seed << " scheme " << s.source());
      Scheme t = change_basis(s, random_basis(s.shape(), seed));
      CHECK(t.rank() == s.rank());
      CHECK(t.shape() == s.shape());
      CHECK(t.field() == Field::Z);
      CHECK(verify(t, Field::Z).ok);
    }
  }
}

TEST_CASE("change of basis: non-unimodular and badly sized matrices are rejected") {
  Scheme s = strassen_scheme();
  RationalMatrix id = RationalMatrix::identity(2);
  RationalMatrix twice = RationalMatrix::parse("2,0;0,1");  // det 2
  CHECK_THROWS_AS(change_basis(s, {twice, id, id}), Error);
  CHECK_THROWS_AS(change_basis(s, {id, RationalMatrix::parse("1,1;1,1"), id}), Error);        // singular
  CHECK_THROWS_AS(change_basis(s, {id, id, RationalMatrix::parse("1/2,0;0,2")}), Error);      // det 1, not integer
  CHECK_THROWS_AS(change_basis(s, {RationalMatrix::identity(3), id, id}), Error);             // wrong size
  CHECK_THROWS_AS(change_basis(s, {id, id, RationalMatrix::parse("1,1;1,1")}, BasisRing::Rational), Error);
}

TEST_CASE("change of basis by rational matrices gives a scheme over Q") {
  Scheme s = strassen_scheme();
  RationalMatrix id = RationalMatrix::identity(2);
  BasisChange b{RationalMatrix::parse("2,0;0,1"), id, RationalMatrix::parse("1,1/2;0,1")};
  Scheme t = change_basis(s, b, BasisRing::Rational);
  CHECK(t.field() == Field::Q);
  CHECK(t.rank() == 7);
  CHECK(verify(t, Field::Q).ok);
  CHECK_FALSE(t.all_integer());
}

TEST_CASE("change of basis of a GF2 scheme stays over GF2") {
  Scheme g = reduce_mod2(laderman_scheme());
  Scheme t = change_basis(g, random_basis(g.shape(), 7));
  CHECK(t.field() == Field::GF2);
  CHECK(t.all_binary());
  CHECK(verify(t, Field::GF2).ok);
  // Over GF2 any integer matrix of odd determinant is invertible: diag(1, 1, 3) is the identity mod 2.
  RationalMatrix id = RationalMatrix::identity(3);
  Scheme odd = change_basis(g, {RationalMatrix::parse("1,0,0;0,1,0;0,0,3"), id, id}, BasisRing::Rational);
  CHECK(verify(odd, Field::GF2).ok);
  // Invertible over Q but not modulo 2: an even determinant, an even denominator.
  CHECK_THROWS_AS(change_basis(g, {RationalMatrix::parse("1,0,0;0,2,0;0,0,1"), id, id}, BasisRing::Rational), Error);
  CHECK_THROWS_AS(change_basis(g, {id, RationalMatrix::parse("1,1/2,0;0,1,0;0,0,1"), id}, BasisRing::Rational),
                  Error);
}

TEST_CASE("simplify drops an added zero term") {
  Scheme s = strassen_scheme();
  std::vector<Rational> u(4, Rational(1)), v(4, Rational(0)), w(4, Rational(3));
  s.add_term(u, v, w);  // v = 0: contributes nothing
  REQUIRE(s.rank() == 8);
  REQUIRE(verify(s).ok);
  Scheme t = simplify(s);
  CHECK(t.rank() == 7);
  CHECK(verify(t).ok);
}

TEST_CASE("simplify merges a split term back") {
  // Split Strassen's M1 = (a11+a22)(b11+b22)(c11+c22) into two terms with w = c11 and w = c22,
  // and one with u scaled: (2 a11 + 2 a22)(b11+b22)(c22 - ...) style splits.
  Scheme s = strassen_scheme();
  std::vector<Rational> u(s.u(0).begin(), s.u(0).end()), v(s.v(0).begin(), s.v(0).end());
  std::vector<Rational> w1(4), w2(4);
  w1[0] = 1;  // c11
  w2[3] = 1;  // c22
  s.remove_term(0);
  s.add_term(u, v, w1);
  s.add_term(u, v, w2);
  REQUIRE(s.rank() == 8);
  REQUIRE(verify(s).ok);
  Scheme t = simplify(s);
  CHECK(t.rank() == 7);
  CHECK(verify(t).ok);

  // A proportional split: (-a11-a22)(2 b11+2 b22)(c11) + (a11+a22)(b11+b22)(3 c11 + c22).
  Scheme p = strassen_scheme();
  std::vector<Rational> nu = u, tv = v, wa(4), wb(4);
  for (auto& x : nu) x = -x;
  for (auto& x : tv) x *= 2;
  wa[0] = 1;
  wb[0] = 3;
  wb[3] = 1;
  p.remove_term(0);
  p.add_term(nu, tv, wa);
  p.add_term(u, v, wb);
  REQUIRE(verify(p).ok);
  Scheme q = simplify(p);
  CHECK(q.rank() == 7);
  CHECK(q.field() == Field::Z);
  CHECK(verify(q, Field::Z).ok);
}

TEST_CASE("simplify merges along (u, w) and (v, w) and cancels opposite terms") {
  Scheme s = standard_scheme({2, 2, 2});
  // Add x (x) y (x) z and x (x) y' (x) z with y + y' = 0 in effect: two terms that cancel.
  std::vector<Rational> x(4), y(4), z(4), ny(4);
  x[1] = 1;
  y[2] = 1;
  ny[2] = -1;
  z[3] = 1;
  s.add_term(x, y, z);
  s.add_term(x, ny, z);
  REQUIRE(s.rank() == 10);
  REQUIRE(verify(s).ok);
  Scheme t = simplify(s);
  CHECK(t.rank() == 8);
  CHECK(verify(t).ok);
}

TEST_CASE("simplify normalizes signs and keeps valid schemes valid") {
  Scheme s = strassen_scheme();
  for (auto& x : s.u(1)) x = -x;
  for (auto& x : s.w(1)) x = -x;
  for (auto& x : s.v(2)) x = -x;
  for (auto& x : s.w(2)) x = -x;
  REQUIRE(verify(s).ok);
  Scheme t = simplify(s);
  CHECK(t.rank() == 7);
  CHECK(verify(t).ok);
  for (int r = 0; r < t.rank(); ++r) {
    auto first = [](std::span<const Rational> f) {
      for (const auto& c : f)
        if (!c.is_zero()) return c.sign();
      return 0;
    };
    CHECK(first(t.u(r)) == 1);
    CHECK(first(t.v(r)) == 1);
  }
  for (const Scheme& x : {laderman_scheme(), winograd_scheme(), kronecker(strassen_scheme(), strassen_scheme())})
    CHECK(simplify(x).rank() == x.rank());
}

TEST_CASE("simplify of a GF2 scheme merges modulo 2") {
  Scheme g = reduce_mod2(strassen_scheme());
  std::vector<Rational> u(g.u(0).begin(), g.u(0).end()), v(g.v(0).begin(), g.v(0).end()), w(4);
  w[1] = 1;
  g.add_term(u, v, w);
  g.add_term(u, v, w);  // twice the same: 2 = 0 modulo 2
  REQUIRE(verify(g, Field::GF2).ok);
  Scheme t = simplify(g);
  CHECK(t.rank() == 7);
  CHECK(t.field() == Field::GF2);
  CHECK(verify(t, Field::GF2).ok);
}
