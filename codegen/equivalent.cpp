#include "codegen/equivalent.hpp"

#include <algorithm>
#include <vector>

#include "codegen/plan.hpp"
#include "tensor/error.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"
#include "tensor/splitmix64.hpp"

namespace fmm::codegen {

namespace {

using Rng = SplitMix64;  // tensor/splitmix64.hpp

int cost(const Scheme& s, const ReduceOptions& options) {
  const PassForms f = pass_forms(s);
  return eliminate_common_subexpressions(s.shape().a_size(), f.a, options).additions() +
         eliminate_common_subexpressions(s.shape().b_size(), f.b, options).additions() +
         eliminate_common_subexpressions(s.rank(), f.c, options).additions();
}

struct Bound {
  std::int64_t num = 0, den = 1;
  bool holds(const Scheme& s) const {
    for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
      for (const Rational& x : *data)
        if (x.abs().num() > num || x.den() > den) return false;
    return true;
  }
};

Bound bound_of(const Scheme& s) {
  Bound b{1, 1};
  for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
    for (const Rational& x : *data) {
      b.num = std::max(b.num, x.abs().num());
      b.den = std::max(b.den, x.den());
    }
  return b;
}

// One random move of the orbit: an elementary change of basis, or now and then a symmetry.
// Returns nothing when the move leaves the coefficient bound (or the shape has no such move).
std::optional<Scheme> random_move(const Scheme& s, const Bound& bound, Rng& rng) {
  const Shape& sh = s.shape();
  const bool square = sh.n == sh.m && sh.m == sh.p;
  if ((square || sh.n == sh.p) && rng.below(50) == 0) {
    Scheme out = (sh.n == sh.p && rng.below(2) == 0) || !square ? transpose(s) : cyclic(s, 1);
    return out;
  }
  const int dims[3] = {sh.n, sh.m, sh.p};
  std::vector<int> usable;
  for (int d = 0; d < 3; ++d)
    if (dims[d] >= 2) usable.push_back(d);
  if (usable.empty()) return std::nullopt;
  const int d = usable[rng.below(usable.size())];
  const int a = static_cast<int>(rng.below(static_cast<std::uint64_t>(dims[d])));
  int b = static_cast<int>(rng.below(static_cast<std::uint64_t>(dims[d] - 1)));
  if (b >= a) ++b;
  BasisChange basis{RationalMatrix::identity(sh.n), RationalMatrix::identity(sh.m), RationalMatrix::identity(sh.p)};
  RationalMatrix& m = d == 0 ? basis.x : d == 1 ? basis.y : basis.z;
  m(a, b) = Rational(rng.below(2) ? 1 : -1);
  Scheme out = change_basis(s, basis, BasisRing::Unimodular);
  if (!bound.holds(out)) return std::nullopt;
  return out;
}

}  // namespace

Equivalent cheapest_equivalent(const Scheme& scheme, const EquivalentOptions& options) {
  require_verified(scheme, "the scheme");
  const ReduceOptions greedy = cse_options(CseEffort::Greedy);
  const Bound bound = bound_of(scheme);
  const int steps = std::min(options.steps, 30000 / std::max(1, scheme.rank()));
  constexpr std::size_t kHistory = 16;
  Rng rng{options.seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL};
  Scheme cur = scheme, best = scheme;
  int cur_cost = cost(scheme, greedy), best_cost = cur_cost;
  std::vector<int> history(kHistory, cur_cost);
  for (int step = 0; step < steps; ++step) {
    std::optional<Scheme> next = random_move(cur, bound, rng);
    if (!next) continue;
    const int c = cost(*next, greedy);
    int& slot = history[static_cast<std::size_t>(step) % kHistory];
    if (c <= cur_cost || c <= slot) {
      cur = std::move(*next);
      cur_cost = c;
    }
    slot = cur_cost;
    if (cur_cost < best_cost) {
      best_cost = cur_cost;
      best = cur;
    }
  }
  Equivalent out;
  const ReduceOptions final_options = cse_options(options.effort);
  out.additions_before = cost(scheme, final_options);
  out.additions_after = cost(best, final_options);
  if (out.additions_after < out.additions_before) {
    out.scheme = best;
    require_verified(out.scheme, "the cheapest equivalent");
  } else {
    out.scheme = scheme;
    out.additions_after = out.additions_before;
  }
  return out;
}

}  // namespace fmm::codegen
