#include "search/flip/flip_terms.hpp"

#include "tensor/error.hpp"

namespace fmm::search {
namespace {

int factor_size(const Shape& s, int k) { return k == 0 ? s.a_size() : k == 1 ? s.b_size() : s.c_size(); }

std::span<const Rational> factor(const Scheme& s, int r, int k) { return k == 0 ? s.u(r) : k == 1 ? s.v(r) : s.w(r); }

void require_fits(const Shape& shape) {
  if (!fits_bit_packing(shape))
    throw Error("shape " + shape.str() + " is too large for the flip-graph walk (needs n*m, m*p, n*p <= 64)");
}

}  // namespace

bool fits_bit_packing(const Shape& s) { return s.valid() && s.a_size() <= 64 && s.b_size() <= 64 && s.c_size() <= 64; }

std::vector<FlipTerm<Gf2>> gf2_terms(const Scheme& scheme) {
  require_fits(scheme.shape());
  Scheme mod2 = reduce_mod2(scheme);
  std::vector<FlipTerm<Gf2>> out(mod2.rank());
  for (int r = 0; r < mod2.rank(); ++r)
    for (int k = 0; k < 3; ++k) {
      std::uint64_t bits = 0;
      auto f = factor(mod2, r, k);
      for (size_t x = 0; x < f.size(); ++x)
        if (!f[x].is_zero()) bits |= 1ULL << x;
      out[r].f[k] = bits;
    }
  return out;
}

std::vector<FlipTerm<Ternary>> ternary_terms(const Scheme& scheme) {
  require_fits(scheme.shape());
  std::vector<FlipTerm<Ternary>> out(scheme.rank());
  for (int r = 0; r < scheme.rank(); ++r)
    for (int k = 0; k < 3; ++k) {
      TernaryFactor t;
      auto f = factor(scheme, r, k);
      for (size_t x = 0; x < f.size(); ++x) {
        if (f[x] == Rational(1)) t.p |= 1ULL << x;
        else if (f[x] == Rational(-1)) t.n |= 1ULL << x;
        else if (!f[x].is_zero())
          throw Error("the Z flip walk needs coefficients in {-1,0,1}; product " + std::to_string(r + 1) + " has " +
                      f[x].str());
      }
      out[r].f[k] = t;
    }
  return out;
}

Scheme to_scheme(const Shape& shape, const std::vector<FlipTerm<Gf2>>& terms) {
  Scheme s(shape, Field::GF2);
  std::vector<Rational> f[3];
  for (const auto& t : terms) {
    for (int k = 0; k < 3; ++k) {
      f[k].assign(factor_size(shape, k), Rational(0));
      for (int x = 0; x < factor_size(shape, k); ++x)
        if ((t.f[k] >> x) & 1) f[k][x] = 1;
    }
    s.add_term(f[0], f[1], f[2]);
  }
  return s;
}

Scheme to_scheme(const Shape& shape, const std::vector<FlipTerm<Ternary>>& terms) {
  Scheme s(shape, Field::Z);
  std::vector<Rational> f[3];
  for (const auto& t : terms) {
    for (int k = 0; k < 3; ++k) {
      f[k].assign(factor_size(shape, k), Rational(0));
      for (int x = 0; x < factor_size(shape, k); ++x) {
        if ((t.f[k].p >> x) & 1) f[k][x] = 1;
        if ((t.f[k].n >> x) & 1) f[k][x] = -1;
      }
    }
    if (t.sign < 0)
      for (auto& x : f[2]) x = -x;
    s.add_term(f[0], f[1], f[2]);
  }
  return s;
}

}  // namespace fmm::search
