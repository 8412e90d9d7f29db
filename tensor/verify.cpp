#include "tensor/verify.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tensor/error.hpp"

namespace fmm {
namespace {

// Sparse view of one factor matrix: per term, the nonzero (index, scaled integer value) pairs.
struct SparseFactor {
  std::vector<std::vector<std::pair<int, std::int64_t>>> terms;
};

// Multiplies every coefficient by `scale` (a multiple of every denominator) to get integers.
SparseFactor scaled(const std::vector<Rational>& data, int rank, int len, std::int64_t scale) {
  SparseFactor f;
  f.terms.resize(rank);
  for (int r = 0; r < rank; ++r)
    for (int x = 0; x < len; ++x) {
      const Rational& c = data[static_cast<size_t>(r) * len + x];
      if (!c.is_zero()) f.terms[r].emplace_back(x, checked_mul(c.num(), scale / c.den()));
    }
  return f;
}

std::int64_t factor_lcm(const std::vector<Rational>& data) {
  std::int64_t l = 1;
  for (const auto& c : data) l = checked_lcm(l, c.den());
  return l;
}

BrentEquation equation_at(const Shape& s, int a, int b, int c) {
  return BrentEquation{a / s.m, a % s.m, b / s.p, b % s.p, c / s.p, c % s.p};
}

bool expected_one(const Shape& s, int a, int b, int c) {
  int i = a / s.m, j = a % s.m, j2 = b / s.p, k = b % s.p, i2 = c / s.p, k2 = c % s.p;
  return i == i2 && j == j2 && k == k2;
}

VerifyResult fail(Field field, std::string reason) {
  VerifyResult r;
  r.field = field;
  r.reason = std::move(reason);
  return r;
}

// Exact check over Z or Q. Each factor matrix is scaled to integers by the lcm of its
// denominators (dU, dV, dW); the equations then read  sum = dU*dV*dW * delta.
// We accumulate one A-slice (fixed u index) at a time so memory stays at (mp)(np).
VerifyResult verify_rational(const Scheme& s, Field field) {
  const Shape& sh = s.shape();
  const int na = sh.a_size(), nb = sh.b_size(), nc = sh.c_size(), R = s.rank();
  std::int64_t du = factor_lcm(s.u_data()), dv = factor_lcm(s.v_data()), dw = factor_lcm(s.w_data());
  std::int64_t scale = checked_mul(checked_mul(du, dv), dw);
  SparseFactor U = scaled(s.u_data(), R, na, du), V = scaled(s.v_data(), R, nb, dv), W = scaled(s.w_data(), R, nc, dw);

  std::vector<std::vector<std::pair<int, std::int64_t>>> by_a(na);  // terms touching each A entry
  for (int r = 0; r < R; ++r)
    for (auto [a, x] : U.terms[r]) by_a[a].emplace_back(r, x);

  std::vector<std::int64_t> slice(static_cast<size_t>(nb) * nc);
  for (int a = 0; a < na; ++a) {
    std::fill(slice.begin(), slice.end(), 0);
    for (auto [r, x] : by_a[a])
      for (auto [b, y] : V.terms[r]) {
        std::int64_t xy = checked_mul(x, y);
        std::int64_t* row = slice.data() + static_cast<size_t>(b) * nc;
        for (auto [c, z] : W.terms[r]) row[c] = checked_add(row[c], checked_mul(xy, z));
      }
    for (int b = 0; b < nb; ++b)
      for (int c = 0; c < nc; ++c) {
        std::int64_t want = expected_one(sh, a, b, c) ? scale : 0;
        std::int64_t got = slice[static_cast<size_t>(b) * nc + c];
        if (got != want) {
          VerifyResult res = fail(field, "");
          res.equation = equation_at(sh, a, b, c);
          res.found = Rational(got, scale);
          res.expected = Rational(want, scale);
          res.reason = "Brent equation " + res.equation->str() + " sums to " + res.found.str() + ", expected " +
                       res.expected.str();
          return res;
        }
      }
  }
  VerifyResult ok;
  ok.ok = true;
  ok.field = field;
  return ok;
}

// Check modulo 2: coefficients become bits; sums become parities.
VerifyResult verify_gf2(const Scheme& s) {
  const Shape& sh = s.shape();
  const int na = sh.a_size(), nb = sh.b_size(), nc = sh.c_size(), R = s.rank();
  auto bits = [R](const std::vector<Rational>& data, int len, std::vector<std::vector<int>>& out) -> const Rational* {
    out.assign(R, {});
    for (int r = 0; r < R; ++r)
      for (int x = 0; x < len; ++x) {
        const Rational& c = data[static_cast<size_t>(r) * len + x];
        if (c.den() % 2 == 0) return &c;
        if (c.num() & 1) out[r].push_back(x);
      }
    return nullptr;
  };
  std::vector<std::vector<int>> U, V, W;
  const Rational* bad = bits(s.u_data(), na, U);
  if (!bad) bad = bits(s.v_data(), nb, V);
  if (!bad) bad = bits(s.w_data(), nc, W);
  if (bad) return fail(Field::GF2, "coefficient " + bad->str() + " has an even denominator: not defined modulo 2");

  std::vector<std::vector<int>> by_a(na);
  for (int r = 0; r < R; ++r)
    for (int a : U[r]) by_a[a].push_back(r);
  std::vector<std::uint8_t> slice(static_cast<size_t>(nb) * nc);
  for (int a = 0; a < na; ++a) {
    std::fill(slice.begin(), slice.end(), 0);
    for (int r : by_a[a])
      for (int b : V[r])
        for (int c : W[r]) slice[static_cast<size_t>(b) * nc + c] ^= 1;
    for (int b = 0; b < nb; ++b)
      for (int c = 0; c < nc; ++c) {
        int want = expected_one(sh, a, b, c), got = slice[static_cast<size_t>(b) * nc + c];
        if (got != want) {
          VerifyResult res = fail(Field::GF2, "");
          res.equation = equation_at(sh, a, b, c);
          res.found = got;
          res.expected = want;
          res.reason = "Brent equation " + res.equation->str() + " sums to " + std::to_string(got) +
                       " mod 2, expected " + std::to_string(want);
          return res;
        }
      }
  }
  VerifyResult ok;
  ok.ok = true;
  ok.field = Field::GF2;
  return ok;
}

}  // namespace

std::string BrentEquation::str() const {
  auto ij = [](char name, int a, int b) {
    return std::string(1, name) + "[" + std::to_string(a) + "][" + std::to_string(b) + "]";
  };
  return ij('A', i, j) + "*" + ij('B', j2, k) + " -> " + ij('C', i2, k2);
}

std::string VerifyResult::message() const {
  return ok ? "valid over " + to_string(field) : "invalid over " + to_string(field) + ": " + reason;
}

VerifyResult verify(const Scheme& s, Field field) {
  if (!s.shape().valid()) return fail(field, "format " + s.shape().str() + " is out of range");
  if (field == Field::GF2) return verify_gf2(s);
  if (field == Field::Z && !s.all_integer()) {
    for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
      for (const auto& c : *data)
        if (!c.is_integer()) return fail(Field::Z, "coefficient " + c.str() + " is not an integer");
  }
  try {
    return verify_rational(s, field);
  } catch (const OverflowError&) {
    return fail(field, "coefficients too large: exact check would overflow 64-bit integers");
  }
}

void require_verified(const Scheme& s, const std::string& context) {
  VerifyResult r = verify(s);
  if (!r) throw Error(context + ": scheme " + s.shape().str() + " rank " + std::to_string(s.rank()) + " is " + r.message());
}

}  // namespace fmm
