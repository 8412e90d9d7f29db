#include "search/meta/bud_product.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <span>
#include <string>

#include "tensor/error.hpp"
#include "tensor/splitmix64.hpp"
#include "tensor/verify.hpp"

namespace fmm::search::meta {
namespace {

using Vec = std::vector<Rational>;

std::span<const Rational> factor(const Scheme& s, int r, Slot slot) {
  return slot == Slot::U ? s.u(r) : slot == Slot::V ? s.v(r) : s.w(r);
}

// The primitive integer multiple of a normalised factor (tensor/scheme.hpp's normalised_factor;
// positive first entry), so that an integer scheme's group factors are integer multiples of it.
Vec primitive(Vec f) {
  std::int64_t den = 1, num = 0;
  for (const Rational& x : f) den = checked_lcm(den, x.den());
  for (Rational& x : f) {
    x *= Rational(den);
    num = checked_gcd(num, x.num());
  }
  if (num > 1)
    for (Rational& x : f) x /= Rational(num);
  return f;
}

// out ((r1 br) x (c1 bc), row-major) += scale * (x (x) y's block of rows [r0, r0 + br) and
// columns [c0, c0 + bc)); x is r1 x c1, y is y_cols wide. Row i1 br + i2, column j1 bc + j2, as
// the Kronecker product of tensor/transform.cpp.
void add_kron(Vec& out, const Rational& scale, std::span<const Rational> x, int r1, int c1, std::span<const Rational> y,
              int y_cols, int r0, int c0, int br, int bc) {
  const int cols = c1 * bc;
  for (int i1 = 0; i1 < r1; ++i1)
    for (int j1 = 0; j1 < c1; ++j1) {
      const Rational& a = x[static_cast<std::size_t>(i1) * c1 + j1];
      if (a.is_zero()) continue;
      const Rational as = a * scale;
      for (int i2 = 0; i2 < br; ++i2)
        for (int j2 = 0; j2 < bc; ++j2) {
          const Rational& b = y[static_cast<std::size_t>(r0 + i2) * y_cols + (c0 + j2)];
          if (b.is_zero()) continue;
          out[static_cast<std::size_t>(i1 * br + i2) * cols + (j1 * bc + j2)] += as * b;
        }
    }
}

// The largest absolute coefficient of a list of factors; non-integers count as unbounded.
std::int64_t largest(const std::vector<Vec>& factors) {
  std::int64_t most = 0;
  for (const Vec& f : factors)
    for (const Rational& x : f) {
      if (!x.is_integer()) return std::numeric_limits<std::int64_t>::max();
      most = std::max(most, x.num() < 0 ? -x.num() : x.num());
    }
  return most;
}

struct Group {
  Slot slot;
  Vec shared;                  // the common factor (primitive)
  std::vector<int> terms;      // outer products, in block order
  std::vector<Rational> scale; // term j's factor = scale[j] * shared
};

// The products that stand for a group's products times the inner format, from the enlarged
// scheme `big`, with block j taken by the group's j-th product and signed by sign[j]. Appends
// u, v, w factors (three per product) to `out`.
void group_products(const Scheme& outer, const Shape& in, const Group& g, const Scheme& big,
                    const std::vector<int>& sign, std::vector<Vec>& out) {
  const Shape o = outer.shape(), b = big.shape();
  const int n = o.n * in.n, m = o.m * in.m, p = o.p * in.p;
  for (int t = 0; t < big.rank(); ++t) {
    Vec u(static_cast<std::size_t>(n) * m), v(static_cast<std::size_t>(m) * p), w(static_cast<std::size_t>(n) * p);
    const auto x = big.u(t), y = big.v(t), z = big.w(t);
    for (std::size_t j = 0; j < g.terms.size(); ++j) {
      const int r = g.terms[j];
      const Rational s(sign[j]), ls = g.scale[j] * s;
      const int k = static_cast<int>(j);
      switch (g.slot) {
        case Slot::U:  // big = <n2, m2, k p2>: column blocks of B and C
          add_kron(v, ls, outer.v(r), o.m, o.p, y, b.p, 0, k * in.p, in.m, in.p);
          add_kron(w, s, outer.w(r), o.n, o.p, z, b.p, 0, k * in.p, in.n, in.p);
          break;
        case Slot::V:  // big = <k n2, m2, p2>: row blocks of A and C
          add_kron(u, ls, outer.u(r), o.n, o.m, x, b.m, k * in.n, 0, in.n, in.m);
          add_kron(w, s, outer.w(r), o.n, o.p, z, b.p, k * in.n, 0, in.n, in.p);
          break;
        case Slot::W:  // big = <n2, k m2, p2>: blocks of the inner dimension
          add_kron(u, ls, outer.u(r), o.n, o.m, x, b.m, 0, k * in.m, in.n, in.m);
          add_kron(v, s, outer.v(r), o.m, o.p, y, b.p, k * in.m, 0, in.m, in.p);
          break;
      }
    }
    const Rational one(1);
    switch (g.slot) {
      case Slot::U: add_kron(u, one, g.shared, o.n, o.m, x, b.m, 0, 0, in.n, in.m); break;
      case Slot::V: add_kron(v, one, g.shared, o.m, o.p, y, b.p, 0, 0, in.m, in.p); break;
      case Slot::W: add_kron(w, one, g.shared, o.n, o.p, z, b.p, 0, 0, in.n, in.p); break;
    }
    out.push_back(std::move(u));
    out.push_back(std::move(v));
    out.push_back(std::move(w));
  }
}

// The group's products with the block order and signs that keep the largest coefficient
// smallest: every order up to four products (then the first), every sign pattern up to eight.
std::vector<Vec> best_group_products(const Scheme& outer, const Shape& in, Group g, const Scheme& big, bool gf2) {
  const int k = static_cast<int>(g.terms.size());
  std::vector<int> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  const Group original = g;
  std::vector<Vec> best;
  std::int64_t best_size = std::numeric_limits<std::int64_t>::max();
  const int masks = gf2 || k > 8 ? 1 : 1 << (k - 1);
  do {
    for (int j = 0; j < k; ++j) {
      g.terms[static_cast<std::size_t>(j)] = original.terms[static_cast<std::size_t>(order[static_cast<std::size_t>(j)])];
      g.scale[static_cast<std::size_t>(j)] = original.scale[static_cast<std::size_t>(order[static_cast<std::size_t>(j)])];
    }
    for (int mask = 0; mask < masks; ++mask) {
      std::vector<int> sign(static_cast<std::size_t>(k), 1);
      for (int j = 1; j < k; ++j)
        if ((mask >> (j - 1)) & 1) sign[static_cast<std::size_t>(j)] = -1;
      std::vector<Vec> products;
      group_products(outer, in, g, big, sign, products);
      const std::int64_t size = largest(products);
      if (size < best_size) {
        best_size = size;
        best = std::move(products);
      }
      if (best_size <= 1) return best;
    }
  } while (!gf2 && k <= 4 && std::next_permutation(order.begin(), order.end()));
  return best;
}

}  // namespace

std::vector<BudGroup> bud_classes(const Scheme& scheme) {
  std::vector<BudGroup> out;
  for (Slot slot : {Slot::U, Slot::V, Slot::W}) {
    std::map<Vec, std::size_t> index;
    std::vector<BudGroup> classes;
    for (int r = 0; r < scheme.rank(); ++r) {
      Vec key = normalised_factor(factor(scheme, r, slot));
      if (key.empty()) continue;
      auto [it, fresh] = index.emplace(std::move(key), classes.size());
      if (fresh) classes.push_back(BudGroup{slot, {}});
      classes[it->second].terms.push_back(r);
    }
    for (BudGroup& c : classes)
      if (c.terms.size() >= 2) out.push_back(std::move(c));
  }
  return out;
}

Shape enlarged_format(const Shape& inner, Slot slot, int k) {
  switch (slot) {
    case Slot::U: return {inner.n, inner.m, k * inner.p};
    case Slot::V: return {k * inner.n, inner.m, inner.p};
    case Slot::W: return {inner.n, k * inner.m, inner.p};
  }
  return inner;
}

Scheme bud_product(const Scheme& outer_in, const Scheme& inner_in, const std::vector<BudGroup>& groups,
                   const std::function<Scheme(const Shape&)>& scheme_of) {
  std::vector<Scheme> bigs;
  bool gf2 = outer_in.field() == Field::GF2 || inner_in.field() == Field::GF2;
  for (const BudGroup& g : groups) {
    if (g.terms.size() < 2) throw Error("bud product: a group needs at least two products");
    const Shape want = enlarged_format(inner_in.shape(), g.slot, static_cast<int>(g.terms.size()));
    bigs.push_back(scheme_of(want));
    if (!(bigs.back().shape() == want))
      throw Error("bud product: the scheme for " + want.str() + " is of format " + bigs.back().shape().str());
    gf2 = gf2 || bigs.back().field() == Field::GF2;
  }
  // Identities that hold modulo 2 only combine with others modulo 2 (as in kronecker()).
  const auto in_field = [gf2](const Scheme& s) { return gf2 && s.field() != Field::GF2 ? reduce_mod2(s) : s; };
  const Scheme outer = in_field(outer_in), inner = in_field(inner_in);
  for (Scheme& b : bigs) b = in_field(b);

  const Shape o = outer.shape(), in = inner.shape();
  const Shape shape{o.n * in.n, o.m * in.m, o.p * in.p};
  if (!shape.valid())
    throw Error("bud product: " + o.str() + " x " + in.str() + " exceeds the largest dimension " + std::to_string(kMaxDim));
  std::vector<char> grouped(static_cast<std::size_t>(outer.rank()), 0);
  std::vector<Vec> factors;  // u, v, w of every product, in order
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const BudGroup& bg = groups[gi];
    Group g{bg.slot, {}, bg.terms, {}};
    for (int r : g.terms) {
      if (r < 0 || r >= outer.rank() || grouped[static_cast<std::size_t>(r)])
        throw Error("bud product: the groups must be disjoint sets of the outer scheme's products");
      grouped[static_cast<std::size_t>(r)] = 1;
    }
    const Vec key = normalised_factor(factor(outer, g.terms.front(), g.slot));
    if (key.empty()) throw Error("bud product: a grouped product has a zero factor");
    g.shared = gf2 ? Vec(factor(outer, g.terms.front(), g.slot).begin(), factor(outer, g.terms.front(), g.slot).end())
                   : primitive(key);
    const auto lead = static_cast<std::size_t>(
        std::find_if(g.shared.begin(), g.shared.end(), [](const Rational& x) { return !x.is_zero(); }) - g.shared.begin());
    for (int r : g.terms) {
      const auto f = factor(outer, r, g.slot);
      if (normalised_factor(f) != key) throw Error("bud product: a group's factors are not proportional");
      g.scale.push_back(f[lead] / g.shared[lead]);
    }
    std::vector<Vec> products = best_group_products(outer, in, g, bigs[gi], gf2);
    for (Vec& f : products) factors.push_back(std::move(f));
  }
  Scheme out(shape, gf2 ? Field::GF2 : Field::Z);
  out.reserve(static_cast<int>(factors.size() / 3) + (outer.rank() - static_cast<int>(std::count(grouped.begin(), grouped.end(), 1))) * inner.rank());
  Vec u, v, w;
  const Rational one(1);
  for (int r1 = 0; r1 < outer.rank(); ++r1) {
    if (grouped[static_cast<std::size_t>(r1)]) continue;
    for (int r2 = 0; r2 < inner.rank(); ++r2) {
      u.assign(static_cast<std::size_t>(shape.a_size()), Rational(0));
      v.assign(static_cast<std::size_t>(shape.b_size()), Rational(0));
      w.assign(static_cast<std::size_t>(shape.c_size()), Rational(0));
      add_kron(u, one, outer.u(r1), o.n, o.m, inner.u(r2), in.m, 0, 0, in.n, in.m);
      add_kron(v, one, outer.v(r1), o.m, o.p, inner.v(r2), in.p, 0, 0, in.m, in.p);
      add_kron(w, one, outer.w(r1), o.n, o.p, inner.w(r2), in.p, 0, 0, in.n, in.p);
      out.add_term(u, v, w);
    }
  }
  for (std::size_t i = 0; i + 2 < factors.size(); i += 3) out.add_term(factors[i], factors[i + 1], factors[i + 2]);
  if (gf2) out = reduce_mod2(out);
  else out.set_field(coefficient_field(out));
  out.set_source("bud product of " + o.str() + ":" + std::to_string(outer.rank()) + " and " + in.str() + ":" +
                 std::to_string(inner.rank()) + " (" + std::to_string(groups.size()) + " groups)");
  require_verified(out, "bud product of " + o.str() + " and " + in.str());
  return out;
}

std::string to_string(Slot slot) { return std::string(1, "uvw"[static_cast<int>(slot)]); }

std::optional<Slot> parse_slot(const std::string& text) {
  if (text == "u") return Slot::U;
  if (text == "v") return Slot::V;
  if (text == "w") return Slot::W;
  return std::nullopt;
}

ClassSplit split_class(int count, const std::function<long(int)>& group_saving) {
  ClassSplit split{std::vector<long>(static_cast<std::size_t>(count) + 1, 0),
                   std::vector<int>(static_cast<std::size_t>(count) + 1, 1)};
  for (int i = 1; i <= count; ++i) {
    split.best[static_cast<std::size_t>(i)] = split.best[static_cast<std::size_t>(i - 1)];
    for (int k = 2; k <= i; ++k) {
      const long s = group_saving(k);
      if (s <= 0) continue;
      if (split.best[static_cast<std::size_t>(i - k)] + s > split.best[static_cast<std::size_t>(i)]) {
        split.best[static_cast<std::size_t>(i)] = split.best[static_cast<std::size_t>(i - k)] + s;
        split.last[static_cast<std::size_t>(i)] = k;
      }
    }
  }
  return split;
}

BudChoice choose_bud_groups(const Scheme& outer, const Shape& inner, long inner_rank,
                            const std::function<long(const Shape&)>& rank_of, std::uint64_t seed, int tries) {
  return choose_bud_groups(bud_classes(outer), outer.rank(), inner, inner_rank, rank_of, seed, tries);
}

BudChoice choose_bud_groups(const std::vector<BudGroup>& classes, int outer_rank, const Shape& inner, long inner_rank,
                            const std::function<long(const Shape&)>& rank_of, std::uint64_t seed, int tries) {
  std::map<std::pair<int, int>, long> saving_memo;
  // What a group of k products of `slot` saves (negative: not worth it or not available).
  const auto saving = [&](Slot slot, int k) {
    const auto key = std::make_pair(static_cast<int>(slot), k);
    if (auto it = saving_memo.find(key); it != saving_memo.end()) return it->second;
    const long r = rank_of(enlarged_format(inner, slot, k));
    return saving_memo[key] = r < 0 ? -1 : static_cast<long>(k) * inner_rank - r;
  };
  BudChoice best;
  SplitMix64 rng{seed};
  for (int t = 0; t < std::max(1, tries); ++t) {
    std::vector<std::size_t> order(classes.size());
    std::iota(order.begin(), order.end(), 0);
    if (t == 0) {
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return classes[a].terms.size() > classes[b].terms.size(); });
    } else {
      for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    }
    std::vector<char> used(static_cast<std::size_t>(outer_rank), 0);
    BudChoice choice;
    for (std::size_t ci : order) {
      const BudGroup& c = classes[ci];
      std::vector<int> free;
      for (int r : c.terms)
        if (!used[static_cast<std::size_t>(r)]) free.push_back(r);
      if (t > 0)
        for (std::size_t i = free.size(); i > 1; --i) std::swap(free[i - 1], free[rng.below(i)]);
      const ClassSplit split = split_class(static_cast<int>(free.size()), [&](int k) { return saving(c.slot, k); });
      for (int i = static_cast<int>(free.size()); i > 0;) {
        const auto at = static_cast<std::size_t>(i);
        const int k = split.best[at] == split.best[at - 1] ? 1 : split.last[at];
        if (k >= 2) {
          BudGroup g{c.slot, std::vector<int>(free.begin() + (i - k), free.begin() + i)};
          std::sort(g.terms.begin(), g.terms.end());
          for (int r : g.terms) used[static_cast<std::size_t>(r)] = 1;
          choice.saving += saving(c.slot, k);
          choice.groups.push_back(std::move(g));
        }
        i -= k;
      }
    }
    if (choice.saving > best.saving) best = std::move(choice);
  }
  return best;
}

}  // namespace fmm::search::meta
