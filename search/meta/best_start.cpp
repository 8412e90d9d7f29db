#include "search/meta/best_start.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>

#include "search/meta/basis_projection.hpp"
#include "search/meta/bud_product.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"

namespace fmm::search::meta {
Shape sorted_format(const Shape& s) {
  std::array<int, 3> d{s.n, s.m, s.p};
  std::sort(d.begin(), d.end());
  return {d[0], d[1], d[2]};
}

namespace {

std::string short_name(const Shape& s, int rank) { return s.str() + ":" + std::to_string(rank); }

// Origins (file sources) can be long; recipes name them briefly.
std::string clip(const std::string& text, std::size_t most = 80) {
  return text.size() <= most ? text : text.substr(0, most - 3) + "...";
}

// A part of a sum or product in a recipe: its recipe in brackets near the top, else its name.
std::string part(const Shape& f, int rank, const std::string& recipe, int depth) {
  return depth < 1 ? "[" + recipe + "]" : short_name(f, rank);
}

// Every way to write f as the elementwise product of two formats a b, neither <1,1,1>: the
// factors of Kronecker and bud products.
std::vector<std::pair<Shape, Shape>> factorizations(const Shape& f) {
  std::vector<std::pair<Shape, Shape>> out;
  for (int n1 = 1; n1 <= f.n; ++n1)
    for (int m1 = 1; m1 <= f.m; ++m1)
      for (int p1 = 1; p1 <= f.p; ++p1) {
        if (f.n % n1 || f.m % m1 || f.p % p1) continue;
        const Shape a{n1, m1, p1}, b{f.n / n1, f.m / m1, f.p / p1};
        if (a.classical_rank() > 1 && b.classical_rank() > 1) out.emplace_back(a, b);
      }
  return out;
}

// How the best scheme of one format is built (one step; the parts are planned recursively).
struct Plan {
  enum Kind { Standard, Stored, Sum, Kron, Projection, Bud } kind = Standard;
  long rank = 0;
  Axis axis = Axis::P;     // Sum
  Shape a, b;              // Sum: the two parts; Kron: the two factors
  const Library::Entry* entry = nullptr;  // Stored
  std::optional<Scheme> built;            // Projection, Bud: the scheme, built while planning
  std::string built_recipe;
};

class Planner {
 public:
  Planner(RankRing ring, const Library& library, std::optional<Shape> skip = std::nullopt)
      : ring_(ring), library_(library), skip_(skip) {}

  // The best plan for `f` from the standard algorithm, the library, sums and products.
  const Plan& plan(const Shape& f) {
    const auto key = std::make_tuple(f.n, f.m, f.p);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    Plan best;
    best.rank = f.classical_rank();
    // <1,m,p> has rank m*p: nothing beats the standard algorithm there.
    if (f.n > 1 && f.m > 1 && f.p > 1 && !(skip_ && *skip_ == f)) {
      if (const Library::Entry* e = library_.best(f, ring_); e && e->scheme.rank() < best.rank) {
        best.kind = Plan::Stored;
        best.rank = e->scheme.rank();
        best.entry = e;
      }
    }
    for (Axis axis : {Axis::N, Axis::M, Axis::P}) {
      const int d = dim(f, axis);
      for (int d1 = 1; d1 <= d / 2; ++d1) {
        const Shape a = with_dim(f, axis, d1), b = with_dim(f, axis, d - d1);
        const long r = plan(a).rank + plan(b).rank;
        if (r < best.rank) best = Plan{Plan::Sum, r, axis, a, b, nullptr, std::nullopt, {}};
      }
    }
    for (const auto& [a, b] : factorizations(f)) {
      if (std::make_tuple(a.n, a.m, a.p) > std::make_tuple(b.n, b.m, b.p)) continue;  // each pair once
      const long r = plan(a).rank * plan(b).rank;
      if (r < best.rank) best = Plan{Plan::Kron, r, Axis::P, a, b, nullptr, std::nullopt, {}};
    }
    if (f.n > 1 && f.m > 1 && f.p > 1) offer_bud_products(f, best);
    return memo_[key] = std::move(best);
  }

  // Bud products (bud_product.hpp) of a library scheme of a format that divides f's (its best
  // and its outer schemes), whose products share factors, and the best scheme of the quotient
  // format. The saving depends on the library scheme itself (which factors its products share;
  // over {-1,0,1}, which signs keep the coefficients), so the product is built here, while
  // planning, when it beats `best`.
  void offer_bud_products(const Shape& f, Plan& best) {
    for (const auto& [a, b] : factorizations(f)) {
      std::vector<const Library::Entry*> candidates = library_.outers(a, ring_);
      if (const Library::Entry* e = library_.best(a, ring_)) candidates.insert(candidates.begin(), e);
      for (const Library::Entry* e : candidates) offer_bud_product(f, a, b, *e, best);
    }
  }

  // The bud product of one outer scheme `e` (format a) and the best of b, as the plan of f = a b
  // when it beats `best`.
  void offer_bud_product(const Shape& f, const Shape& a, const Shape& b, const Library::Entry& e, Plan& best) {
    const Outer& o = oriented(e, a);
    if (o.classes.empty()) return;  // no two products share a factor: nothing to save
    const Scheme& outer = o.scheme;
    const long inner_rank = plan(b).rank;
    // Enlarged formats smaller than f only: the plans stay a recursion on smaller formats.
    const auto rank_of = [&](const Shape& s) -> long {
      return s.valid() && s.classical_rank() < f.classical_rank() ? plan(s).rank : -1;
    };
    const BudChoice choice = choose_bud_groups(o.classes, outer.rank(), b, inner_rank, rank_of);
    const long r = outer.rank() * inner_rank - choice.saving;
    if (choice.saving <= 0 || r >= best.rank) return;
    std::string inner_recipe;
    const Scheme inner = build(b, inner_recipe, 1);
    Scheme s = bud_product(outer, inner, choice.groups, [&](const Shape& big) {
      std::string unused;
      return build(big, unused, 1);
    });
    if (s.rank() != r || !holds_in(s, ring_)) return;  // over {-1,0,1}: no signs kept the coefficients
    std::map<std::string, int> shared;
    for (const BudGroup& g : choice.groups) ++shared[to_string(g.slot)];
    std::string groups;
    for (const auto& [slot, count] : shared) groups += (groups.empty() ? "" : ", ") + std::to_string(count) + " sharing " + slot;
    best = Plan{Plan::Bud, r, Axis::P, a, b, nullptr, as_ring(s, ring_),
                "bud product of [library " + short_name(a, outer.rank()) + " (" + clip(e.origin) + ")] and " +
                    short_name(b, inner.rank()) + " (groups: " + groups + ")"};
  }

  // Builds the planned scheme of `f`; `recipe` says how, naming the parts down to two levels.
  Scheme build(const Shape& f, std::string& recipe, int depth = 0) {
    const Plan& p = plan(f);
    Scheme out;
    switch (p.kind) {
      case Plan::Standard:
        out = standard_scheme(f);
        recipe = "standard " + f.str();
        break;
      case Plan::Stored:
        out = permute_to(p.entry->scheme, f);
        recipe = "library " + short_name(p.entry->scheme.shape(), p.entry->scheme.rank()) + " (" + clip(p.entry->origin) + ")";
        break;
      case Plan::Sum: {
        std::string ra, rb;
        Scheme a = build(p.a, ra, depth + 1), b = build(p.b, rb, depth + 1);
        out = block_sum(a, b, p.axis);
        recipe = part(p.a, a.rank(), ra, depth) + " +" + to_string(p.axis) + " " + part(p.b, b.rank(), rb, depth);
        break;
      }
      case Plan::Kron: {
        std::string ra, rb;
        Scheme a = build(p.a, ra, depth + 1), b = build(p.b, rb, depth + 1);
        out = kronecker(a, b);
        recipe = part(p.a, a.rank(), ra, depth) + " x " + part(p.b, b.rank(), rb, depth);
        break;
      }
      case Plan::Projection:
      case Plan::Bud:
        out = *p.built;
        recipe = p.built_recipe;
        break;
    }
    out = as_ring(out, ring_);
    if (out.rank() != p.rank)
      throw Error("best start: the plan for " + f.str() + " promised rank " + std::to_string(p.rank) + ", got " +
                  std::to_string(out.rank()));
    return out;
  }

  // Offers a projection of a larger scheme as the top-level plan of `f` (a better one replaces).
  void offer_projection(const Shape& f, Scheme s, std::string recipe) {
    Plan& p = memo_.at(std::make_tuple(f.n, f.m, f.p));
    if (s.rank() >= p.rank) return;
    p = Plan{Plan::Projection, s.rank(), Axis::P, {}, {}, nullptr, std::move(s), std::move(recipe)};
  }

 private:
  RankRing ring_;
  const Library& library_;
  std::optional<Shape> skip_;  // a format whose library entry is not used (StartOptions::fresh)
  std::map<std::tuple<int, int, int>, Plan> memo_;

  // An outer scheme in one orientation with its bud classes, made once per planner: the same
  // library scheme is offered to every format its orientation divides.
  struct Outer {
    Scheme scheme;
    std::vector<BudGroup> classes;
  };
  std::map<std::pair<const Library::Entry*, std::tuple<int, int, int>>, Outer> outers_;
  const Outer& oriented(const Library::Entry& e, const Shape& a) {
    const auto key = std::make_pair(&e, std::make_tuple(a.n, a.m, a.p));
    if (auto it = outers_.find(key); it != outers_.end()) return it->second;
    Scheme s = permute_to(as_ring(e.scheme, ring_), a);
    std::vector<BudGroup> classes = bud_classes(s);
    return outers_[key] = Outer{std::move(s), std::move(classes)};
  }
};

// Projects `s` down to `target` (every dimension <= s's), one index at a time, each time the
// axis and hyperplane that leave the lowest rank: coordinates only, or also the hyperplanes of
// basis_projection.hpp. Greedy, so neither always wins over two or more steps (2x6x7 from the
// campaign's 3x6x8: 70 by coordinates, 71 by hyperplanes); project_down() takes the better.
Scheme project_down_greedy(Scheme s, const Shape& target, RankRing ring, bool hyperplanes) {
  while (!(s.shape() == target)) {
    std::optional<Scheme> best;
    for (Axis axis : {Axis::N, Axis::M, Axis::P}) {
      if (dim(s.shape(), axis) == dim(target, axis)) continue;
      Scheme t = hyperplanes ? best_basis_projection(s, axis) : best_projection(s, axis);
      if (!best || t.rank() < best->rank()) best = std::move(t);
    }
    s = std::move(*best);
  }
  return as_ring(s, ring);
}

Scheme project_down(const Scheme& s, const Shape& target, RankRing ring) {
  Scheme by_coordinates = project_down_greedy(s, target, ring, false);
  Scheme by_hyperplanes = project_down_greedy(s, target, ring, true);
  return by_hyperplanes.rank() < by_coordinates.rank() ? by_hyperplanes : by_coordinates;
}

}  // namespace

bool Library::add(const Scheme& scheme_in, const std::string& origin) {
  require_verified(scheme_in, "library entry (" + origin + ")");
  const Shape s = sorted_format(scheme_in.shape());
  Scheme scheme = permute_to(scheme_in, s);
  const RankRing ring = ring_of(scheme);
  if (ring != RankRing::GF2) scheme = as_ring(scheme, ring);  // integer schemes claim Z
  const Key key{s.n, s.m, s.p, static_cast<int>(ring)};
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.scheme.rank() <= scheme.rank()) return false;
  entries_[key] = Entry{std::move(scheme), origin};
  return true;
}

const Library::Entry* Library::at(const Shape& shape, RankRing ring) const {
  const Shape s = sorted_format(shape);
  auto it = entries_.find(Key{s.n, s.m, s.p, static_cast<int>(ring)});
  return it == entries_.end() ? nullptr : &it->second;
}

const Library::Entry* Library::best(const Shape& shape, RankRing ring) const {
  const Entry* best = nullptr;
  for (RankRing r : {RankRing::ZT, RankRing::Z, RankRing::Q, RankRing::GF2}) {
    const Entry* e = at(shape, r);
    if (e && holds_in(e->scheme, ring) && (!best || e->scheme.rank() < best->scheme.rank())) best = e;
  }
  return best;
}

std::vector<Shape> Library::formats() const {
  std::vector<Shape> out;
  for (const auto& [key, e] : entries_) {
    Shape s{std::get<0>(key), std::get<1>(key), std::get<2>(key)};
    if (out.empty() || !(out.back() == s)) out.push_back(s);
  }
  return out;
}

void Library::add_outer(const Scheme& scheme, const std::string& origin) {
  require_verified(scheme, "outer scheme (" + origin + ")");
  outers_.push_back(Entry{permute_to(scheme, sorted_format(scheme.shape())), origin});
}

std::vector<const Library::Entry*> Library::outers(const Shape& shape, RankRing ring) const {
  const Shape s = sorted_format(shape);
  std::vector<const Entry*> out;
  for (const Entry& e : outers_)
    if (e.scheme.shape() == s && holds_in(e.scheme, ring)) out.push_back(&e);
  return out;
}

std::vector<std::filesystem::path> scheme_files(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& f : std::filesystem::directory_iterator(dir))
    if (f.is_regular_file() && f.path().extension() == ".txt") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  return files;
}

int Library::load_directory(const std::string& dir) {
  if (!std::filesystem::is_directory(dir)) throw Error("library: no directory " + dir);
  int kept = 0;
  for (const auto& f : scheme_files(dir)) kept += add(read_one_scheme(f.string()), f.filename().string()) ? 1 : 0;
  return kept;
}

Start best_start(const Shape& target, RankRing ring, const Library& library, const StartOptions& options,
                 std::vector<std::string>* alternatives) {
  require_valid(target);
  Planner planner(ring, library, options.fresh ? std::optional<Shape>(target) : std::nullopt);
  const Plan top = planner.plan(target);  // a copy: the projections below may replace it
  std::vector<std::pair<long, std::string>> lines;
  auto describe = [&](const Plan& p) {
    switch (p.kind) {
      case Plan::Standard: return std::string("standard algorithm");
      case Plan::Stored: return "library entry (" + clip(p.entry->origin) + ")";
      case Plan::Sum: return "block sum along " + to_string(p.axis) + " of " + p.a.str() + " and " + p.b.str();
      case Plan::Kron: return "Kronecker product of " + p.a.str() + " and " + p.b.str();
      case Plan::Projection:
      case Plan::Bud: return p.built_recipe;
    }
    return std::string();
  };
  lines.emplace_back(top.rank, describe(top));
  std::optional<Start> best_projection;
  // Projections of larger library schemes, at most `max_projection_excess` larger in all.
  for (const Shape& big : library.formats()) {
    const Library::Entry* e = library.best(big, ring);
    if (!e) continue;
    for (const std::string& name : permutation_names()) {
      auto pick = [&](char c) { return c == 'n' ? big.n : c == 'm' ? big.m : big.p; };
      const Shape from{pick(name[0]), pick(name[1]), pick(name[2])};
      const int excess = (from.n - target.n) + (from.m - target.m) + (from.p - target.p);
      if (from.n < target.n || from.m < target.m || from.p < target.p) continue;
      if (excess < 1 || excess > options.max_projection_excess) continue;
      Scheme s = project_down(permute_to(as_ring(e->scheme, ring), from), target, ring);
      std::string recipe = "projection of " + short_name(from, e->scheme.rank()) + " (" + clip(e->origin) + ")";
      lines.emplace_back(s.rank(), recipe);
      if (!best_projection || s.rank() < best_projection->scheme.rank()) best_projection = Start{s, recipe};
      planner.offer_projection(target, std::move(s), recipe);
    }
  }
  std::string recipe;
  Scheme scheme = planner.build(target, recipe);
  if (best_projection && options.projection_slack >= 0 &&
      best_projection->scheme.rank() <= scheme.rank() + options.projection_slack) {
    scheme = best_projection->scheme;
    recipe = best_projection->recipe;
  }
  if (alternatives) {
    std::stable_sort(lines.begin(), lines.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    for (const auto& [rank, text] : lines) alternatives->push_back("rank " + std::to_string(rank) + ": " + text);
  }
  scheme.set_source("fmm meta best start over " + to_string(ring) + ": " + recipe);
  return Start{std::move(scheme), recipe};
}

std::vector<Start> projection_starts(const Shape& target, RankRing ring, const Library& library, int max_excess) {
  require_valid(target);
  std::vector<Start> starts;
  for (const Shape& big : library.formats()) {
    const Library::Entry* e = library.best(big, ring);
    if (!e) continue;
    std::optional<Start> best;  // over the orientations of `big` that contain the target
    for (const std::string& name : permutation_names()) {
      auto pick = [&](char c) { return c == 'n' ? big.n : c == 'm' ? big.m : big.p; };
      const Shape from{pick(name[0]), pick(name[1]), pick(name[2])};
      const int excess = (from.n - target.n) + (from.m - target.m) + (from.p - target.p);
      if (from.n < target.n || from.m < target.m || from.p < target.p) continue;
      if (excess < 1 || excess > max_excess) continue;
      Scheme s = project_down(permute_to(as_ring(e->scheme, ring), from), target, ring);
      if (best && s.rank() >= best->scheme.rank()) continue;
      std::string recipe = "projection of " + short_name(from, e->scheme.rank()) + " (" + clip(e->origin) + ")";
      s.set_source("fmm meta projection start over " + to_string(ring) + ": " + recipe);
      best = Start{std::move(s), std::move(recipe)};
    }
    if (best) starts.push_back(std::move(*best));
  }
  std::stable_sort(starts.begin(), starts.end(),
                   [](const Start& a, const Start& b) { return a.scheme.rank() < b.scheme.rank(); });
  return starts;
}

std::optional<Start> best_extension_start(const Shape& target, RankRing ring, const Library& library) {
  require_valid(target);
  Planner planner(ring, library);
  std::optional<Start> best;
  for (Axis axis : {Axis::N, Axis::M, Axis::P}) {
    const int d = dim(target, axis);
    if (d < 2) continue;
    std::string recipe;
    Scheme base = planner.build(with_dim(target, axis, d - 1), recipe);
    Scheme s = as_ring(extend(base, axis), ring);
    if (best && s.rank() >= best->scheme.rank()) continue;
    recipe = "extension along " + to_string(axis) + " of " + short_name(base.shape(), base.rank()) + " = " + recipe;
    s.set_source("fmm meta extension start over " + to_string(ring) + ": " + recipe);
    best = Start{std::move(s), std::move(recipe)};
  }
  return best;
}

Start start_from(const Scheme& scheme, const Shape& target, RankRing ring) {
  Library library;
  library.add(as_ring(scheme, ring), scheme.source().empty() ? "start file" : scheme.source());
  StartOptions options;
  options.max_projection_excess = 3 * kMaxDim;  // any larger format
  return best_start(target, ring, library, options);
}

}  // namespace fmm::search::meta
