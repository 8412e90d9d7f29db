#include "search/symmetric/symmetric_scheme.hpp"

#include <algorithm>

#include "search/flip/flip_terms.hpp"
#include "tensor/error.hpp"

namespace fmm::search {

BitTranspose::BitTranspose(int n) : n_(n), row_mask_((SymFactor{1} << n) - 1), spread_(std::size_t{1} << n, 0) {
  for (std::size_t r = 0; r < spread_.size(); ++r)
    for (int j = 0; j < n; ++j)
      if (r >> j & 1) spread_[r] |= SymFactor{1} << (j * n);
}

SymTerm BitTranspose::image(const SymTerm& t, int s) const {
  const BitTranspose& T = *this;
  switch (s) {
    case 0: return t;
    case 1: return {t[1], T(t[2]), T(t[0])};
    default: return {T(t[2]), t[0], T(t[1])};
  }
}

namespace {

void require_square(const Shape& s) {
  if (s.n != s.m || s.m != s.p)
    throw Error("the symmetric flip walk needs a square format <n,n,n>; got " + s.str());
  if (s.n < 1 || s.n > 8) throw Error("the symmetric flip walk supports n <= 8; got " + s.str());
}

std::vector<SymTerm> packed_terms(const Scheme& scheme) {
  std::vector<SymTerm> out;
  for (const auto& t : gf2_terms(scheme))
    if (t.f[0] && t.f[1] && t.f[2]) out.push_back({t.f[0], t.f[1], t.f[2]});
  return out;
}

}  // namespace

SymmetricScheme decompose_symmetric(const Scheme& scheme) {
  require_square(scheme.shape());
  const int n = scheme.shape().n;
  const BitTranspose T(n);
  std::vector<SymTerm> rest = packed_terms(scheme);
  SymmetricScheme out;
  out.n = n;
  auto take = [&](const SymTerm& t) {
    auto it = std::find(rest.begin(), rest.end(), t);
    if (it == rest.end()) return false;
    rest.erase(it);
    return true;
  };
  while (!rest.empty()) {
    const SymTerm t = rest.front();
    rest.erase(rest.begin());
    if (T.is_fixed(t)) {
      out.fixed.push_back(t[0]);
      continue;
    }
    if (!take(T.image(t, 1)) || !take(T.image(t, 2)))
      throw Error("scheme is not invariant under the cyclic symmetry of " + scheme.shape().str() +
                  ": a term's cyclic image is missing");
    out.orbits.push_back(t);
  }
  return out;
}

Scheme expand_symmetric(const SymmetricScheme& sym) {
  const BitTranspose T(sym.n);
  std::vector<FlipTerm<Gf2>> terms;
  auto add = [&](const SymTerm& t) {
    FlipTerm<Gf2> f;
    for (int k = 0; k < 3; ++k) f.f[k] = t[k];
    terms.push_back(f);
  };
  for (SymFactor a : sym.fixed) add(T.fixed_term(a));
  for (const SymTerm& t : sym.orbits)
    for (int s = 0; s < 3; ++s) add(T.image(t, s));
  return to_scheme(Shape{sym.n, sym.n, sym.n}, terms);
}

bool is_cyclic_invariant(const Scheme& scheme) {
  try {
    decompose_symmetric(scheme);
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace fmm::search
