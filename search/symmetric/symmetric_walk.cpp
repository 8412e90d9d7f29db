#include "search/symmetric/symmetric_walk.hpp"

#include <algorithm>
#include <bit>
#include <cassert>

#include "search/flip/flip_walk.hpp"  // splitmix64
#include "search/run/walk_stop.hpp"

namespace fmm::search {
namespace {

constexpr int kNext1[3] = {1, 2, 0};
constexpr int kNext2[3] = {2, 0, 1};

// Bit k set when the two terms have equal factor k.
int equal_mask(const SymTerm& a, const SymTerm& b) {
  return (a[0] == b[0]) | (a[1] == b[1]) << 1 | (a[2] == b[2]) << 2;
}

// Number of equal factors in a mask from equal_mask (std::popcount compiles to a libgcc call
// without -mpopcnt).
int count3(int mask) { return (mask & 1) + (mask >> 1 & 1) + (mask >> 2 & 1); }

// A uniform draw in [0, count) from 32 random bits.
int draw(std::uint64_t bits, int count) {
  return static_cast<int>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(bits)) * static_cast<std::uint32_t>(count)) >> 32);
}

}  // namespace

// ---- SymmetricGraph -------------------------------------------------------------------------

void SymmetricGraph::assign(const SymmetricScheme& s) {
  assert(s.n == T_.n());
  fixed_.clear();
  reps_.clear();
  for (auto& c : col_) c.clear();
  work_.clear();
  for (SymFactor a : s.fixed)
    if (a) add_fixed(a);
  for (const SymTerm& t : s.orbits) push(add_orbit(t));
  settle();
}

SymmetricScheme SymmetricGraph::scheme() const {
  SymmetricScheme s;
  s.n = T_.n();
  s.fixed = fixed_;
  s.orbits = reps_;
  return s;
}

void SymmetricGraph::set_rep(int o, const SymTerm& t) {
  reps_[o] = t;
  for (int s = 0; s < 3; ++s) {
    const SymTerm e = T_.image(t, s);
    for (int k = 0; k < 3; ++k) col_[k][3 * o + s] = e[k];
  }
}

int SymmetricGraph::add_orbit(const SymTerm& t) {
  reps_.push_back(t);
  for (auto& c : col_) c.resize(c.size() + 3);
  const int o = static_cast<int>(reps_.size()) - 1;
  set_rep(o, t);
  return o;
}

void SymmetricGraph::remove_orbit(int o) {
  const int last = static_cast<int>(reps_.size()) - 1;
  if (o != last) {
    reps_[o] = reps_[last];
    for (auto& c : col_)
      for (int s = 0; s < 3; ++s) c[3 * o + s] = c[3 * last + s];
  }
  reps_.pop_back();
  for (auto& c : col_) c.resize(c.size() - 3);
  for (int& w : work_) w = (w == o) ? -1 : (w == last ? o : w);
}

void SymmetricGraph::add_fixed(SymFactor a) {
  auto it = std::find(fixed_.begin(), fixed_.end(), a);
  if (it != fixed_.end()) {  // f + f = 0 over GF(2)
    *it = fixed_.back();
    fixed_.pop_back();
    return;
  }
  const SymTerm F = T_.fixed_term(a);
  for (int o = 0; o < static_cast<int>(reps_.size()); ++o) {
    // F is its own image, so an image of o shares two factors with F iff the representative does.
    const int eq = equal_mask(reps_[o], F);
    if (eq == 7) {  // the orbit is F three times (= F), plus F: zero
      remove_orbit(o);
      return;
    }
    if (count3(eq) == 2) {
      const int k = std::countr_zero(static_cast<unsigned>(~eq & 7));
      SymTerm t = reps_[o];
      t[k] ^= F[k];
      set_rep(o, t);
      push(o);
      return;
    }
  }
  fixed_.push_back(a);
}

bool SymmetricGraph::reduce(int o) {
  SymTerm t = reps_[o];
  if (!t[0] || !t[1] || !t[2]) {
    remove_orbit(o);
    return true;
  }
  if (T_.is_fixed(t)) {  // t + t + t = t over GF(2)
    remove_orbit(o);
    add_fixed(t[0]);
    return true;
  }
  for (std::size_t q = 0; q < fixed_.size(); ++q) {
    const SymTerm F = T_.fixed_term(fixed_[q]);
    const int eq = equal_mask(t, F);
    if (count3(eq) == 2) {
      // F = F + F + F; copy s merges with image s of the orbit.
      const int k = std::countr_zero(static_cast<unsigned>(~eq & 7));
      t[k] ^= F[k];
      fixed_[q] = fixed_.back();
      fixed_.pop_back();
      set_rep(o, t);
      push(o);
      return true;
    }
  }
  const int e2 = find_two_shared(t, o);
  if (e2 < 0) return false;
  const int o2 = e2 / 3;
  const SymTerm e = image(o2, e2 % 3);
  const int eq = equal_mask(t, e);
  if (eq == 7) {  // equal orbits cancel
    remove_orbit(std::max(o, o2));
    remove_orbit(std::min(o, o2));
    return true;
  }
  const int k = std::countr_zero(static_cast<unsigned>(~eq & 7));
  t[k] ^= e[k];
  set_rep(o, t);
  push(o);
  remove_orbit(o2);
  return true;
}

int SymmetricGraph::find_two_shared(const SymTerm& t, int skip) const {
  // Branch-free over blocks of 8 images (hits are rare): this scan is most of a move's cost.
  const int nimg = static_cast<int>(col_[0].size());
  const SymFactor *c0 = col_[0].data(), *c1 = col_[1].data(), *c2 = col_[2].data();
  const SymFactor t0 = t[0], t1 = t[1], t2 = t[2];
  for (int base = 0; base < nimg; base += 8) {
    const int len = std::min(8, nimg - base);
    unsigned hits = 0;
    for (int j = 0; j < len; ++j) {
      const int e = base + j;
      const int eq = (c0[e] == t0) + (c1[e] == t1) + (c2[e] == t2);
      hits |= static_cast<unsigned>(eq >= 2) << j;
    }
    while (hits) {
      const int e = base + std::countr_zero(hits);
      if (e / 3 != skip) return e;
      hits &= hits - 1;
    }
  }
  return -1;
}

void SymmetricGraph::settle() {
  while (!work_.empty()) {
    const int o = work_.back();
    work_.pop_back();
    if (o >= 0) reduce(o);
  }
}

void SymmetricGraph::flip_pair(int o1, int s1, int o2, int s2, int k, bool swap_yz) {
  assert(o1 != o2);
  SymTerm e1 = image(o1, s1), e2 = image(o2, s2);
  assert(e1[k] == e2[k]);
  const int y = swap_yz ? kNext2[k] : kNext1[k];
  const int z = swap_yz ? kNext1[k] : kNext2[k];
  // x(x)y1(x)z1 + x(x)y2(x)z2 = x(x)(y1+y2)(x)z1 + x(x)y2(x)(z1+z2) over GF(2)
  const SymFactor z1 = e1[z];
  e1[y] ^= e2[y];
  e2[z] ^= z1;
  set_rep(o1, T_.preimage(e1, s1));
  set_rep(o2, T_.preimage(e2, s2));
  push(o1);
  push(o2);
  settle();
}

bool SymmetricGraph::plus_pair(int o1, int s1, int o2, int s2, int rot) {
  const SymTerm e1 = image(o1, s1), e2 = image(o2, s2);
  const int ka = rot, kb = kNext1[rot], kc = kNext2[rot];
  // a(x)b(x)c + a'(x)b'(x)c' = (a+a')(x)b(x)c + a'(x)(b+b')(x)c + a'(x)b'(x)(c+c') over GF(2)
  SymTerm t1 = e1, t2 = e2, t3 = e2;
  t1[ka] ^= e2[ka];
  t2[kb] ^= e1[kb];
  t2[kc] = e1[kc];
  t3[kc] ^= e1[kc];
  if (!t1[ka] || !t2[kb] || !t3[kc]) return false;
  set_rep(o1, T_.preimage(t1, s1));
  set_rep(o2, T_.preimage(t3, s2));
  // t2 stands beside the pair (image s1 of o1, image s2 of o2): it is image s1 of its orbit.
  const int o3 = add_orbit(T_.preimage(t2, s1));
  push(o1);
  push(o2);
  push(o3);
  settle();
  return true;
}

bool SymmetricGraph::random_flip(std::uint64_t& rng) {
  const int no = static_cast<int>(reps_.size());
  if (no < 2) return false;
  const int nimg = 3 * no;
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::uint64_t r = splitmix64(rng);
    const int e1 = draw(r, nimg);
    const int k = static_cast<int>(((r >> 32) & 0xFFFF) * 3 >> 16);
    const bool swap_yz = (r >> 63) & 1;
    const int o1 = e1 / 3;
    const SymFactor* col = col_[k].data();
    const SymFactor val = col[e1];
    matches_.clear();
    for (int base = 0; base < nimg; base += 8) {  // branch-free blocks, as in find_two_shared
      const int len = std::min(8, nimg - base);
      unsigned hits = 0;
      for (int j = 0; j < len; ++j) hits |= static_cast<unsigned>(col[base + j] == val) << j;
      while (hits) {
        const int e2 = base + std::countr_zero(hits);
        if (e2 / 3 != o1) matches_.push_back(e2);
        hits &= hits - 1;
      }
    }
    if (matches_.empty()) continue;
    const int pick = matches_.size() == 1 ? matches_[0] : matches_[draw(splitmix64(rng), static_cast<int>(matches_.size()))];
    flip_pair(o1, e1 % 3, pick / 3, pick % 3, k, swap_yz);
    return true;
  }
  // No partner in 16 draws: reported as a dead end although a rarer pair may exist. The
  // walker answers with a plus transition or split; listing every pair instead (sorting the
  // factor columns) was tried and made the walks slower (<2,2,2> stuck at rank 8, <3,3,3>
  // needing 60x the flips to reach 23): on sparse plateaus the early escape pays.
  return false;
}

bool SymmetricGraph::plus_transition(std::uint64_t& rng) {
  const int no = static_cast<int>(reps_.size());
  if (no < 2) return false;
  const std::uint64_t r = splitmix64(rng);
  const int o1 = draw(r, no);
  int o2 = draw(r >> 32, no - 1);
  if (o2 >= o1) ++o2;
  const int s1 = static_cast<int>(splitmix64(rng) % 3), s2 = static_cast<int>(splitmix64(rng) % 3);
  const int rot = static_cast<int>(splitmix64(rng) % 3);
  return plus_pair(o1, s1, o2, s2, rot);
}

bool SymmetricGraph::split_fixed(std::uint64_t& rng) {
  if (fixed_.empty() || reps_.empty()) return false;
  const std::uint64_t r = splitmix64(rng);
  const int q = draw(r, static_cast<int>(fixed_.size()));
  const SymFactor a = fixed_[q];
  const SymTerm F = T_.fixed_term(a);
  fixed_[q] = fixed_.back();
  fixed_.pop_back();
  // Not settled: its representative is its own image until the move below changes it.
  const int o = add_orbit(F);
  matches_.clear();
  const int nimg = 3 * o;  // images of the other orbits (o is last)
  for (int e2 = 0; e2 < nimg; ++e2)
    for (int k = 0; k < 3; ++k)
      if (col_[k][e2] == F[k]) matches_.push_back(3 * e2 + k);
  const std::uint64_t r2 = splitmix64(rng);
  if (!matches_.empty()) {
    const int m = matches_[draw(r2, static_cast<int>(matches_.size()))];
    const int e2 = m / 3, k = m % 3;
    flip_pair(o, 0, e2 / 3, e2 % 3, k, (r2 >> 63) & 1);
    return true;
  }
  const int o2 = draw(r2 >> 32, o);
  if (plus_pair(o, 0, o2, static_cast<int>((r2 >> 16) % 3), static_cast<int>((r2 >> 8) % 3))) return true;
  remove_orbit(o);  // undo: o is last, nothing moves
  fixed_.push_back(a);
  return false;
}

// ---- SymmetricWalker ------------------------------------------------------------------------

SymmetricWalker::SymmetricWalker(const SymmetricScheme& start, std::uint64_t seed) : graph(start.n), rng(seed) {
  restart(start);
}

void SymmetricWalker::restart(const SymmetricScheme& start) {
  graph.assign(start);
  best_rank = graph.rank();
  best = graph.scheme();
  since_best = 0;
}

void SymmetricWalker::leave_plateau(const SymmetricWalkParams& params) {
  if (graph.rank() < best_rank + params.plus_slack) {
    for (int attempt = 0; attempt < 16; ++attempt) {
      const bool split = splitmix64(rng) & 1;
      if (split ? graph.split_fixed(rng) : graph.plus_transition(rng)) {
        ++plus_moves;
        return;
      }
    }
  }
  graph.assign(best);
  ++returns_to_best;
}

void SymmetricWalker::run(std::uint64_t budget, const SymmetricWalkParams& params, const std::atomic<bool>* stop,
                          std::chrono::steady_clock::time_point deadline, std::atomic<bool>* target_hit) {
  // Rebuild from the scheme alone, so a walk depends on its terms and seed, not on history.
  graph.assign(graph.scheme());
  walk_epoch(
      *this, budget, 0xFFF, params, [&] { if (!graph.random_flip(rng)) leave_plateau(params); },
      [&] { return graph.scheme(); }, [&] { leave_plateau(params); }, stop, deadline, target_hit);
}

}  // namespace fmm::search
