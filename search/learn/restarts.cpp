#include "search/learn/restarts.hpp"

#include <algorithm>
#include <utility>

#include "search/learn/demos.hpp"

namespace fmm::learn {

namespace {

// Fisher-Yates with the game's generator (the same draws on every platform).
void shuffle(std::vector<game::Move>& terms, game::Rng& rng) {
  for (std::size_t i = terms.size(); i > 1; --i) std::swap(terms[i - 1], terms[std::size_t(rng.next() % i)]);
}

}  // namespace

RestartStart remove_random_terms(const Shape& shape, const Encoding& enc, const std::vector<game::Move>& scheme,
                                 int max_removed, game::Rng& rng) {
  std::vector<game::Move> terms = scheme;
  if (auto moved = change_basis(shape, enc, terms, rng)) terms = std::move(*moved);
  shuffle(terms, rng);
  const int r = int(terms.size());
  const int kmax = max_removed > 0 ? std::min(r, max_removed) : r;
  // k = 2 + a geometric number (mean 1.5): mostly small rewrites, which the network can judge
  // (it closes residuals of rank <= 3 far more often than larger ones), sometimes larger ones.
  int k = 2;
  while (k < kmax && rng.uniform() < 0.6) ++k;
  k = std::min(k, r);
  terms.resize(std::size_t(r - k));
  return {std::move(terms), k};
}

namespace {

// A random non-empty subset of {0..size-1}, as a mask.
std::vector<bool> random_subset(int size, game::Rng& rng) {
  std::vector<bool> in(std::size_t(size), false);
  bool any = false;
  while (!any)
    for (int i = 0; i < size; ++i) any |= bool(in[std::size_t(i)] = rng.below(2) != 0);
  return in;
}

// Whether every nonzero of the rows x cols matrix `factor` (row-major) lies inside rows x cols.
bool inside(std::span<const std::int8_t> factor, int cols, const std::vector<bool>& rows_in,
            const std::vector<bool>& cols_in) {
  for (std::size_t e = 0; e < factor.size(); ++e)
    if (factor[e] != 0 && !(rows_in[e / std::size_t(cols)] && cols_in[e % std::size_t(cols)])) return false;
  return true;
}

}  // namespace

std::optional<RestartStart> remove_block(const Shape& shape, const std::vector<game::Move>& scheme, game::Rng& rng,
                                         int draws) {
  const int r = int(scheme.size());
  for (int d = 0; d < draws; ++d) {
    std::vector<bool> I = random_subset(shape.n, rng), J = random_subset(shape.m, rng), K = random_subset(shape.p, rng);
    if (rng.below(2)) {
      // A slab: the whole product but for one axis, where the subset drawn above is kept.
      const int axis = rng.below(3);
      if (axis != 0) I.assign(I.size(), true);
      if (axis != 1) J.assign(J.size(), true);
      if (axis != 2) K.assign(K.size(), true);
    }
    RestartStart start;
    for (const game::Move& t : scheme) {
      const bool in = inside(t.u(shape), shape.m, I, J) && inside(t.v(shape), shape.p, J, K) &&
                      inside(t.w(shape), shape.p, I, K);
      if (in) ++start.removed;
      else start.kept.push_back(t);
    }
    if (start.removed >= 2 && start.removed < r) {
      shuffle(start.kept, rng);
      return start;
    }
  }
  return std::nullopt;
}

}  // namespace fmm::learn
