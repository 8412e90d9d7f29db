#include "search/flip/flip_terms.hpp"

#include <algorithm>

#include "tensor/error.hpp"

namespace fmm::search {
namespace {

int factor_size(const Shape& s, int k) { return k == 0 ? s.a_size() : k == 1 ? s.b_size() : s.c_size(); }

std::span<const Rational> factor(const Scheme& s, int r, int k) { return k == 0 ? s.u(r) : k == 1 ? s.v(r) : s.w(r); }

template <class C>
void require_fits(const Shape& shape) {
  if (!shape.valid() || factor_bits(shape) > 64 * C::kWords)
    throw Error("shape " + shape.str() + " does not fit the flip walk's " + std::to_string(64 * C::kWords) +
                "-bit factors (needs n*m, m*p, n*p <= " + std::to_string(64 * C::kWords) + ")");
}

}  // namespace

int factor_bits(const Shape& s) { return std::max({s.a_size(), s.b_size(), s.c_size()}); }

int mask_words(const Shape& s) { return s.valid() ? mask_words_for(factor_bits(s)) : 0; }

bool fits_bit_packing(const Shape& s) { return mask_words(s) > 0; }

template <class C>
std::vector<FlipTerm<C>> flip_terms(const Scheme& scheme) {
  require_fits<C>(scheme.shape());
  if constexpr (!C::kSigned) {
    Scheme mod2 = reduce_mod2(scheme);
    std::vector<FlipTerm<C>> out(mod2.rank());
    for (int r = 0; r < mod2.rank(); ++r)
      for (int k = 0; k < 3; ++k) {
        auto f = factor(mod2, r, k);
        for (size_t x = 0; x < f.size(); ++x)
          if (!f[x].is_zero()) mask_set(out[r].f[k], static_cast<int>(x));
      }
    return out;
  } else {
    std::vector<FlipTerm<C>> out(scheme.rank());
    for (int r = 0; r < scheme.rank(); ++r)
      for (int k = 0; k < 3; ++k) {
        auto f = factor(scheme, r, k);
        for (size_t x = 0; x < f.size(); ++x) {
          if (f[x] == Rational(1)) mask_set(out[r].f[k].p, static_cast<int>(x));
          else if (f[x] == Rational(-1)) mask_set(out[r].f[k].n, static_cast<int>(x));
          else if (!f[x].is_zero())
            throw Error("the Z flip walk needs coefficients in {-1,0,1}; product " + std::to_string(r + 1) + " has " +
                        f[x].str());
        }
      }
    return out;
  }
}

template <class C>
Scheme flip_scheme(const Shape& shape, const std::vector<FlipTerm<C>>& terms) {
  Scheme s(shape, C::kSigned ? Field::Z : Field::GF2);
  std::vector<Rational> f[3];
  for (const auto& t : terms) {
    for (int k = 0; k < 3; ++k) {
      f[k].assign(factor_size(shape, k), Rational(0));
      for (int x = 0; x < factor_size(shape, k); ++x) {
        if constexpr (C::kSigned) {
          if (mask_test(t.f[k].p, x)) f[k][x] = 1;
          if (mask_test(t.f[k].n, x)) f[k][x] = -1;
        } else {
          if (mask_test(t.f[k], x)) f[k][x] = 1;
        }
      }
    }
    if (t.sign < 0)
      for (auto& x : f[2]) x = -x;
    s.add_term(f[0], f[1], f[2]);
  }
  return s;
}

#define FMM_FLIP_TERMS(C)                                                   \
  template std::vector<FlipTerm<C>> flip_terms<C>(const Scheme& scheme); \
  template Scheme flip_scheme<C>(const Shape& shape, const std::vector<FlipTerm<C>>& terms);
FMM_FLIP_TERMS(Gf2)
FMM_FLIP_TERMS(Gf2Of<WideMask<2>>)
FMM_FLIP_TERMS(Gf2Of<WideMask<4>>)
FMM_FLIP_TERMS(Ternary)
FMM_FLIP_TERMS(TernaryOf<WideMask<2>>)
FMM_FLIP_TERMS(TernaryOf<WideMask<4>>)
#undef FMM_FLIP_TERMS

}  // namespace fmm::search
