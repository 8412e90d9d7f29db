#include "search/game/move_generator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include "search/flip/flip_walk.hpp"
#include "tensor/builtin.hpp"
#include "tensor/verify.hpp"

namespace fmm::game {

namespace {

// Entry of slice s along `mode` at (row, col), in tensor coordinates.
inline int slice_at(const Tensor& t, int mode, int s, int r, int c) {
  return mode == 0 ? t.at(s, r, c) : mode == 1 ? t.at(r, s, c) : t.at(r, c, s);
}

inline int reduce(int x, Field f) { return f == Field::GF2 ? (x & 1) : x; }

// 2x2 signed permutation matrices: the eight symmetries of a 2x2 block that keep {-1,0,1} entries.
std::vector<std::array<int, 4>> signed_permutations() {
  std::vector<std::array<int, 4>> out;
  for (int perm = 0; perm < 2; ++perm)
    for (int s0 : {1, -1})
      for (int s1 : {1, -1}) {
        if (perm == 0) out.push_back({s0, 0, 0, s1});
        else out.push_back({0, s0, s1, 0});
      }
  return out;
}

// X * M * Y^T for 2x2 matrices stored row-major.
std::array<int, 4> sandwich(const std::array<int, 4>& x, const std::array<int, 4>& m, const std::array<int, 4>& y) {
  std::array<int, 4> xm{}, out{};
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 2; ++k) xm[i * 2 + j] += x[i * 2 + k] * m[k * 2 + j];
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 2; ++k) out[i * 2 + j] += xm[i * 2 + k] * y[j * 2 + k];
  return out;
}

}  // namespace

std::uint64_t MoveGenerator::block_hash(const int* block) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the 64 entries
  for (int i = 0; i < 64; ++i) {
    h ^= static_cast<std::uint32_t>(block[i]);
    h *= 1099511628211ull;
  }
  return h;
}

MoveGenerator::MoveGenerator(const Shape& shape, const GameRules& rules, GeneratorConfig config)
    : shape_(shape), rules_(rules), config_(config) {
  rules_.validate();
  if (!config_.use_known || shape.n < 2 || shape.m < 2 || shape.p < 2) return;
  // Strassen's scheme moved by (P,Q,R) in signed permutations: A -> P A Q^T, B -> Q B R^T keeps
  // C = AB up to C -> P C R^T, so u' = P u Q^T, v' = Q v R^T, w' = P w R^T is again a scheme.
  const Shape s2{2, 2, 2};
  const Scheme strassen = rules_.field == Field::GF2 ? reduce_mod2(strassen_scheme()) : strassen_scheme();
  std::vector<std::array<int, 4>> us, vs, ws;
  for (int r = 0; r < 7; ++r) {
    std::array<int, 4> u{}, v{}, w{};
    for (int x = 0; x < 4; ++x) u[x] = int(strassen.u(r)[x].num()), v[x] = int(strassen.v(r)[x].num()), w[x] = int(strassen.w(r)[x].num());
    us.push_back(u), vs.push_back(v), ws.push_back(w);
  }
  std::unordered_set<std::uint64_t> seen;
  const auto sp = signed_permutations();
  const size_t max_variants = 32;
  for (size_t a = 0; a < sp.size() && variants_.size() < max_variants; ++a)
    for (size_t b = 0; b < sp.size() && variants_.size() < max_variants; ++b)
      for (size_t c = 0; c < sp.size() && variants_.size() < max_variants; ++c) {
        std::vector<Move> terms;
        std::uint64_t key = 0;
        for (int r = 0; r < 7; ++r) {
          auto u = sandwich(sp[a], us[r], sp[b]), v = sandwich(sp[b], vs[r], sp[c]), w = sandwich(sp[a], ws[r], sp[c]);
          for (auto* f : {&u, &v, &w})
            for (int& x : *f) x = reduce(x, rules_.field);
          Move m = make_move(s2, u, v, w);
          canonicalize(m, s2);
          key += move_hash(m) * 0x9e3779b97f4a7c15ull;  // order-independent set key
          terms.push_back(std::move(m));
        }
        if (!seen.insert(key).second) continue;
        variants_.push_back(std::move(terms));
      }
  // Every proper sub-sum of every variant, keyed by a hash of its 64 block entries.
  for (size_t vi = 0; vi < variants_.size(); ++vi)
    for (unsigned mask = 1; mask < 127; ++mask) {
      SubSum sub;
      sub.variant = int(vi);
      sub.mask = mask;
      sub.sum.fill(0);
      for (int k = 0; k < 7; ++k) {
        if (!((mask >> k) & 1)) continue;
        const Move& t = variants_[vi][k];
        auto u = t.u(s2), v = t.v(s2), w = t.w(s2);
        for (int a = 0; a < 4; ++a)
          for (int b = 0; b < 4; ++b)
            for (int cc = 0; cc < 4; ++cc) sub.sum[(a * 4 + b) * 4 + cc] = reduce(sub.sum[(a * 4 + b) * 4 + cc] + u[a] * v[b] * w[cc], rules_.field);
      }
      subsums_.emplace(block_hash(sub.sum.data()), subsum_list_.size());
      subsum_list_.push_back(sub);
    }
  for (int i0 = 0; i0 < shape.n; ++i0)
    for (int i1 = i0 + 1; i1 < shape.n; ++i1)
      for (int j0 = 0; j0 < shape.m; ++j0)
        for (int j1 = j0 + 1; j1 < shape.m; ++j1)
          for (int k0 = 0; k0 < shape.p; ++k0)
            for (int k1 = k0 + 1; k1 < shape.p; ++k1) embeddings_.push_back({{i0, i1}, {j0, j1}, {k0, k1}});
}

Move MoveGenerator::embed(const Move& small, const Embedding& e) const {
  const Shape s2{2, 2, 2};
  std::vector<int> u(shape_.a_size(), 0), v(shape_.b_size(), 0), w(shape_.c_size(), 0);
  auto su = small.u(s2), sv = small.v(s2), sw = small.w(s2);
  for (int x = 0; x < 2; ++x)
    for (int y = 0; y < 2; ++y) {
      u[shape_.a_index(e.i[x], e.j[y])] = su[x * 2 + y];
      v[shape_.b_index(e.j[x], e.k[y])] = sv[x * 2 + y];
      w[shape_.c_index(e.i[x], e.k[y])] = sw[x * 2 + y];
    }
  return make_move(shape_, u, v, w);
}

std::optional<Move> MoveGenerator::extend(const Tensor& r, int mode, const std::vector<int>& x,
                                          const std::vector<int>& y) const {
  const Field f = rules_.field;
  for (int e : x)
    if (!rules_.allows(e)) return std::nullopt;
  for (int e : y)
    if (!rules_.allows(e)) return std::nullopt;
  std::vector<int> z(r.dim(mode), 0);
  bool any = false;
  for (int s = 0; s < r.dim(mode); ++s) {
    int best_delta = 0, best_z = 0;
    for (int cand : rules_.coefficients) {
      if (cand == 0) continue;
      int delta = 0;  // change in the number of nonzero entries of slice s
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i] == 0) continue;
        for (size_t j = 0; j < y.size(); ++j) {
          if (y[j] == 0) continue;
          const int old = slice_at(r, mode, s, int(i), int(j));
          const int now = reduce(old - cand * x[i] * y[j], f);
          delta += (now != 0) - (old != 0);
        }
      }
      if (delta < best_delta || (delta == best_delta && best_z != 0 && std::abs(cand) < std::abs(best_z))) {
        best_delta = delta, best_z = cand;
      }
    }
    z[s] = best_z;
    any = any || best_z != 0;
  }
  if (!any) return std::nullopt;
  Move m = mode == 0 ? make_move(shape_, z, x, y) : mode == 1 ? make_move(shape_, x, z, y) : make_move(shape_, x, y, z);
  canonicalize(m, shape_);
  return m;
}

void MoveGenerator::add_slice_moves(const Tensor& r, Rng& rng, std::vector<Move>& out) const {
  const Field f = rules_.field;
  for (int mode = 0; mode < 3; ++mode)
    for (int s = 0; s < r.dim(mode); ++s) {
      int rows = 0, cols = 0;
      const auto m = r.slice(mode, s, rows, cols);
      std::vector<int> pivots;  // +-1 entries: the Schur step stays integral
      for (int i = 0; i < rows * cols; ++i)
        if (m[i] == 1 || m[i] == -1) pivots.push_back(i);
      for (int t = 0; t < config_.pivots_per_slice && !pivots.empty(); ++t) {
        const int pick = rng.below(int(pivots.size()));
        const int at = pivots[pick];
        pivots.erase(pivots.begin() + pick);
        const int pr = at / cols, pc = at % cols, pv = m[at];
        std::vector<int> x(rows), y(cols);
        for (int i = 0; i < rows; ++i) x[i] = m[size_t(i) * cols + pc];
        for (int j = 0; j < cols; ++j) y[j] = reduce(m[size_t(pr) * cols + j] * pv, f);  // 1/pv = pv
        if (auto mv = extend(r, mode, x, y)) out.push_back(std::move(*mv));
      }
    }
}

void MoveGenerator::add_random_moves(const Tensor& r, Rng& rng, std::vector<Move>& out) const {
  std::vector<int> nonzero;
  for (int x : rules_.coefficients)
    if (x != 0) nonzero.push_back(x);
  for (int t = 0; t < config_.random_terms; ++t) {
    const int mode = rng.below(3);
    int rows = mode == 0 ? r.dim(1) : r.dim(0);
    int cols = mode == 2 ? r.dim(1) : r.dim(2);
    std::vector<int> x(rows, 0), y(cols, 0);
    for (auto* f : {&x, &y}) {
      const int count = 1 + rng.below(2);
      for (int c = 0; c < count; ++c) (*f)[rng.below(int(f->size()))] = nonzero[rng.below(int(nonzero.size()))];
    }
    if (auto mv = extend(r, mode, x, y)) out.push_back(std::move(*mv));
  }
  for (int t = 0; t < config_.random_free_terms; ++t) {
    std::vector<int> f[3] = {std::vector<int>(r.dim(0), 0), std::vector<int>(r.dim(1), 0), std::vector<int>(r.dim(2), 0)};
    for (auto& g : f) {
      const int count = 1 + rng.below(2);
      for (int c = 0; c < count; ++c) g[rng.below(int(g.size()))] = nonzero[rng.below(int(nonzero.size()))];
    }
    Move m = make_move(shape_, f[0], f[1], f[2]);
    canonicalize(m, shape_);
    out.push_back(std::move(m));
  }
}

void MoveGenerator::add_known_moves(const Tensor& r, Rng& rng, std::vector<Move>& out,
                                   std::vector<Move>& continuations) const {
  if (variants_.empty()) return;
  // A block still equal to T<2,2,2> is fresh: offer one random variant there. A block that is a
  // proper sub-sum of a variant's terms is a sub-scheme in progress: offer its remaining terms.
  std::vector<int> fresh;
  for (size_t ei = 0; ei < embeddings_.size(); ++ei) {
    const Embedding& e = embeddings_[ei];
    int block[64];
    bool is_fresh = true, is_zero = true;
    for (int a = 0; a < 4; ++a)
      for (int b = 0; b < 4; ++b)
        for (int c = 0; c < 4; ++c) {
          const int x = r.at(shape_.a_index(e.i[a / 2], e.j[a % 2]), shape_.b_index(e.j[b / 2], e.k[b % 2]),
                             shape_.c_index(e.i[c / 2], e.k[c % 2]));
          block[(a * 4 + b) * 4 + c] = x;
          // T<2,2,2> in block coordinates: a=(i,j), b=(j',k), c=(i',k') is 1 iff j=j', i=i', k=k'.
          const int t = (a % 2 == b / 2 && a / 2 == c / 2 && b % 2 == c % 2) ? 1 : 0;
          is_fresh = is_fresh && x == t;
          is_zero = is_zero && x == 0;
        }
    if (is_zero) continue;
    if (is_fresh) { fresh.push_back(int(ei)); continue; }
    // Is the block a sub-sum of some variant's terms? One lookup in the table of all 127 sub-sums.
    const auto range = subsums_.equal_range(block_hash(block));
    for (auto it = range.first; it != range.second; ++it) {
      const SubSum& sub = subsum_list_[it->second];
      if (!std::equal(block, block + 64, sub.sum.begin())) continue;
      for (int k = 0; k < 7; ++k)
        if ((sub.mask >> k) & 1) continuations.push_back(embed(variants_[sub.variant][k], embeddings_[ei]));
    }
  }
  if (!fresh.empty()) {
    const Embedding& e = embeddings_[fresh[rng.below(int(fresh.size()))]];
    const auto& variant = variants_[rng.below(int(variants_.size()))];
    for (const Move& t : variant) out.push_back(embed(t, e));
  }
  for (auto* list : {&out, &continuations}) {
    for (size_t i = list->size(); i > 1; --i) std::swap((*list)[i - 1], (*list)[rng.below(int(i))]);
    for (auto& m : *list) canonicalize(m, shape_);
  }
}

namespace {

// The walk heuristic over one coefficient domain: the residual's trivial decomposition (one term
// e_a (x) e_b (x) fiber per nonzero fiber R[a][b][:], split into {-1,0,1} parts over Z), walked
// for `flips` flips; the terms of the lowest-rank decomposition met come back as moves.
template <class C>
std::vector<Move> walk_decomposition(const Tensor& r, const Shape& shape, int flips, std::uint64_t seed) {
  using search::FlipTerm;
  const int A = r.dim(0), B = r.dim(1), Cd = r.dim(2);
  std::vector<FlipTerm<C>> terms;
  std::vector<int> fiber(Cd);
  for (int a = 0; a < A; ++a)
    for (int b = 0; b < B; ++b) {
      for (int c = 0; c < Cd; ++c) fiber[c] = r.at(a, b, c);
      for (bool more = true; more;) {
        more = false;
        std::uint64_t pos = 0, neg = 0;
        for (int c = 0; c < Cd; ++c) {
          if constexpr (!C::kSigned) {
            if (fiber[c] & 1) pos |= std::uint64_t{1} << c;
            fiber[c] = 0;
          } else if (fiber[c] != 0) {
            const int sgn = fiber[c] > 0 ? 1 : -1;
            (sgn > 0 ? pos : neg) |= std::uint64_t{1} << c;
            fiber[c] -= sgn;
            more = more || fiber[c] != 0;
          }
        }
        if (!(pos | neg)) break;
        FlipTerm<C> t;
        if constexpr (C::kSigned) {
          t.f[0] = search::TernaryFactor{std::uint64_t{1} << a, 0};
          t.f[1] = search::TernaryFactor{std::uint64_t{1} << b, 0};
          t.f[2] = search::TernaryFactor{pos, neg};
        } else {
          t.f[0] = std::uint64_t{1} << a;
          t.f[1] = std::uint64_t{1} << b;
          t.f[2] = pos;
        }
        terms.push_back(t);
      }
    }
  if (terms.size() < 2) return {};
  search::Walker<C> walker(static_cast<int>(terms.size()) + 3, terms, seed);
  search::WalkParams params;
  params.plateau_limit = 500;
  params.plus_slack = 1;
  walker.run(static_cast<std::uint64_t>(flips), params, nullptr, std::chrono::steady_clock::time_point::max());
  std::vector<Move> out;
  for (const FlipTerm<C>& t : walker.best) {
    std::vector<int> f[3] = {std::vector<int>(A), std::vector<int>(B), std::vector<int>(Cd)};
    for (int k = 0; k < 3; ++k)
      for (int e = 0; e < static_cast<int>(f[k].size()); ++e) {
        if constexpr (C::kSigned) f[k][e] = int((t.f[k].p >> e) & 1) - int((t.f[k].n >> e) & 1);
        else f[k][e] = int((t.f[k] >> e) & 1);
      }
    for (int& x : f[2]) x *= t.sign;
    Move m = make_move(shape, f[0], f[1], f[2]);
    canonicalize(m, shape);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

void MoveGenerator::add_walk_moves(const Tensor& r, Rng& rng, std::vector<Move>& out) const {
  if (r.dim(0) > 64 || r.dim(1) > 64 || r.dim(2) > 64) return;  // factors are 64-bit masks
  std::vector<Move> found = rules_.field == Field::GF2
                                ? walk_decomposition<search::Gf2>(r, shape_, config_.walk_flips, rng.next())
                                : walk_decomposition<search::Ternary>(r, shape_, config_.walk_flips, rng.next());
  for (Move& m : found) out.push_back(std::move(m));
}

std::vector<Candidate> MoveGenerator::generate(const Tensor& residual, Rng& rng) const {
  std::vector<Move> slice_moves, known_moves, continuations, walk_moves;
  if (config_.walk_flips > 0) add_walk_moves(residual, rng, walk_moves);
  add_slice_moves(residual, rng, slice_moves);
  add_random_moves(residual, rng, slice_moves);
  if (config_.use_known) add_known_moves(residual, rng, known_moves, continuations);

  const int bound = rank_upper_bound(residual);
  std::unordered_set<std::uint64_t> seen;
  std::vector<Candidate> out;
  int known_taken = 0;
  auto consider = [&](Move& m, bool known, double bonus) {
    for (auto x : m.coeffs)
      if (!rules_.allows(x)) return;
    if (is_zero_term(m, shape_)) return;
    if (!seen.insert(move_hash(m)).second) return;
    if (known && known_taken >= config_.known_terms) return;
    Tensor next = residual;
    next.subtract(m);
    Candidate c;
    c.next_bound = rank_upper_bound(next);
    c.score = double(bound - c.next_bound - 1) + bonus;
    c.move = std::move(m);
    known_taken += known;
    out.push_back(std::move(c));
  };
  for (auto& m : continuations) consider(m, false, config_.continue_bonus);
  for (auto& m : walk_moves) consider(m, false, config_.walk_bonus);
  for (auto& m : known_moves) consider(m, true, config_.known_bonus);
  for (auto& m : slice_moves) consider(m, false, 0.0);
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  if (int(out.size()) > config_.max_candidates) out.resize(config_.max_candidates);
  double total = 0;
  for (auto& c : out) total += c.prior = std::exp((c.score - out.front().score) / config_.temperature);
  for (auto& c : out) c.prior /= total;
  return out;
}

std::optional<Candidate> MoveGenerator::best_greedy(const Tensor& residual, Rng& rng) const {
  auto all = generate(residual, rng);
  if (all.empty()) return std::nullopt;
  return all.front();
}

}  // namespace fmm::game
