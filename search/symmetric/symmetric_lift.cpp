#include "search/symmetric/symmetric_lift.hpp"

#include <map>
#include <numeric>

#include "tensor/error.hpp"

namespace fmm::search {
namespace {

struct UnionFind {
  explicit UnionFind(int n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(int a, int b) { parent[find(a)] = find(b); }
  std::vector<int> parent;
};

using Masks = std::array<std::uint64_t, 3>;

std::uint64_t mask_of(std::span<const Rational> f) {
  std::uint64_t m = 0;
  for (std::size_t i = 0; i < f.size(); ++i)
    if (!f[i].is_zero()) m |= std::uint64_t{1} << i;
  return m;
}

}  // namespace

LiftTies symmetric_lift_ties(const Scheme& gf2, int order) {
  const Shape& s = gf2.shape();
  if (s.n != s.m || s.m != s.p || s.n > 8) throw Error("symmetric lifting needs <n,n,n> with n <= 8");
  if (order != 3 && order != 6) throw Error("symmetric lifting: the group order must be 3 or 6");
  const Scheme mod2 = reduce_mod2(gf2);
  const int n = s.n, nn = n * n, R = mod2.rank();
  auto T = [n](int x) { return (x % n) * n + x / n; };  // transpose of the index i*n+k
  auto Rev = [nn](int x) { return nn - 1 - x; };        // reversal e_ij -> e_{n-1-i,n-1-j}
  auto transpose = [&](std::uint64_t m) {
    std::uint64_t out = 0;
    for (int x = 0; x < nn; ++x)
      if (m >> x & 1) out |= std::uint64_t{1} << T(x);
    return out;
  };
  auto reverse = [&](std::uint64_t m) {
    std::uint64_t out = 0;
    for (int x = 0; x < nn; ++x)
      if (m >> x & 1) out |= std::uint64_t{1} << Rev(x);
    return out;
  };
  std::vector<Masks> terms(R);
  std::map<Masks, int> index;
  for (int r = 0; r < R; ++r) {
    terms[r] = {mask_of(mod2.u(r)), mask_of(mod2.v(r)), mask_of(mod2.w(r))};
    index.emplace(terms[r], r);
  }
  auto find_term = [&](const Masks& m) {
    auto it = index.find(m);
    if (it == index.end()) throw Error("symmetric lifting: the scheme is not invariant (a term's image is missing)");
    return it->second;
  };
  // Coefficient numbering of lift.hpp: u_r[a] = r*nn + a, v_r[b] = R*nn + r*nn + b, w_r[c] = 2*R*nn + r*nn + c.
  auto U = [&](int r, int a) { return r * nn + a; };
  auto V = [&](int r, int b) { return R * nn + r * nn + b; };
  auto W = [&](int r, int c) { return 2 * R * nn + r * nn + c; };
  UnionFind coef(3 * R * nn), eq(nn * nn * nn);
  for (int r = 0; r < R; ++r) {
    const auto [u, v, w] = terms[r];
    // sigma(u, v, w) = (v, w^T, u^T): u'[a] = v[a], v'[b] = w[T b], w'[c] = u[T c].
    const int r1 = find_term({v, transpose(w), transpose(u)});
    for (int x = 0; x < nn; ++x) {
      coef.unite(U(r1, x), V(r, x));
      coef.unite(V(r1, x), W(r, T(x)));
      coef.unite(W(r1, x), U(r, T(x)));
    }
    if (order == 6) {  // rho: every factor reversed
      const int r2 = find_term({reverse(u), reverse(v), reverse(w)});
      for (int x = 0; x < nn; ++x) {
        coef.unite(U(r2, x), U(r, Rev(x)));
        coef.unite(V(r2, x), V(r, Rev(x)));
        coef.unite(W(r2, x), W(r, Rev(x)));
      }
    }
  }
  // Equation (a, b, c) of the images is equation (T c, a, T b) of the originals, so for tied
  // coefficients equations (a, b, c) and (b, T c, T a) coincide; rho maps (a, b, c) to
  // (R a, R b, R c).
  auto E = [nn](int a, int b, int c) { return (a * nn + b) * nn + c; };
  for (int a = 0; a < nn; ++a)
    for (int b = 0; b < nn; ++b)
      for (int c = 0; c < nn; ++c) {
        eq.unite(E(a, b, c), E(b, T(c), T(a)));
        if (order == 6) eq.unite(E(a, b, c), E(Rev(a), Rev(b), Rev(c)));
      }
  LiftTies ties;
  ties.coefficient_class.resize(coef.parent.size());
  for (std::size_t i = 0; i < coef.parent.size(); ++i) ties.coefficient_class[i] = coef.find(static_cast<int>(i));
  ties.equation_class.resize(eq.parent.size());
  for (std::size_t i = 0; i < eq.parent.size(); ++i) ties.equation_class[i] = eq.find(static_cast<int>(i));
  return ties;
}

LiftResult lift_symmetric(const Scheme& gf2, int order, const LiftOptions& options) {
  return lift_scheme_tied(gf2, symmetric_lift_ties(gf2, order), options);
}

}  // namespace fmm::search
