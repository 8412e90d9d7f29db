// The {-1,0,1} flip walk of one walker of a WalkerBank over Z: the moves of bank_walk.hpp (a
// flip, a reduction, a plus transition, the same plateau policy, the same draws from the same
// random stream) with coefficients in {-1,0,1}, the setting of Perminov's ternary flip graph
// (arXiv 2511.20317, dronperminov/ternary_flip_graph) and of `fmm search --field z` on the CPU
// (flip_graph.hpp, TernaryOf). Written once for the CPU emulation and the GPU, like the GF(2) walk.
//
// Encoding: six 64-bit words a term, (p, n) for each factor u, v, w (p: the +1 entries, n: the
// -1 entries, disjoint), and no term sign: a term is exactly u(x)v(x)w as held. The CPU walk
// keeps each factor canonical (lowest nonzero entry +1) and a sign per term, so that an index can
// find equal factors by exact match; the bank has no index (it votes over all terms), so it
// matches factors up to sign instead, and saves the seventh word (the sign) and the
// re-canonicalization of every changed factor. On the GPU that is 12 registers a slot instead of
// 14; the price is a second pair of comparisons per factor in the votes. WalkerBank converts to
// and from the CPU's canonical form (FlipTerm<Ternary>) at its edges.
//
// Every move keeps the sum of the terms exactly and is rejected (state unchanged, returns false)
// when a factor would get an entry outside {-1,0,1}; the identities are derived at each move.
#pragma once

#include "search/flip/bank_walk.hpp"

namespace fmm::search::bank {

struct TernaryMoves;

namespace ternary {

// A factor as (+1 mask, -1 mask).
struct Factor {
  std::uint64_t p, n;
};

FMM_BANK_HD bool nonzero(Factor x) { return (x.p | x.n) != 0; }

// +1 when l == x, -1 when l == -x, 0 otherwise (x nonzero).
FMM_BANK_HD int match_sign(Factor l, Factor x) {
  return l.p == x.p && l.n == x.n ? 1 : l.p == x.n && l.n == x.p ? -1 : 0;
}

// out = x + c y (c = +-1); false when an entry would become +-2 (x and c y share a nonzero entry
// of the same sign), which leaves {-1,0,1}. As TernaryOf::add in flip_graph.hpp.
FMM_BANK_HD bool add(Factor x, Factor y, int c, Factor& out) {
  if (c < 0) {
    const std::uint64_t tmp = y.p;
    y.p = y.n;
    y.n = tmp;
  }
  if ((x.p & y.p) | (x.n & y.n)) return false;
  out.p = (x.p & ~y.n) | (y.p & ~x.n);  // +1: +1 and 0, or 0 and +1 (+1 and -1 cancel)
  out.n = (x.n & ~y.p) | (y.n & ~x.p);
  return true;
}

// Factor k (0 = u, 1 = v, 2 = w) of term t: words 2k and 2k + 1.
template <class Warp>
FMM_BANK_HD Factor factor(const Warp& s, int t, int k) {
  return Factor{s.get(t, 2 * k), s.get(t, 2 * k + 1)};
}
template <class Warp>
FMM_BANK_HD void set_factor(Warp& s, int t, int k, Factor x) {
  s.set(t, 2 * k, x.p);
  s.set(t, 2 * k + 1, x.n);
}
FMM_BANK_HD Factor pick3(int k, Factor a, Factor b, Factor c) { return k == 0 ? a : k == 1 ? b : c; }

// How term l (factors la, lb, lc) and term t (a, b, c) merge, if they do. They share two factors
// up to sign, say l's e1 = s1 t's e1 and l's e2 = s2 t's e2, and differ (or not) in factor d:
//     t = e1(x)e2(x)d_t = rho (l_e1(x)l_e2(x)d_t),   rho = s1 s2,
//     t + l = l_e1(x)l_e2(x)(d_l + rho d_t),
// so l's factor d absorbs rho d_t and t goes: the pairwise reduction of Kauers-Moosbauer (ISSAC
// 2023, arXiv 2212.01175) over Z. When all three factors agree up to sign, d = 2: d_l = s3 d_t
// and d_l + rho d_t is 0 (both terms vanish) or 2 d_t (rejected). `differ` < 0: no merge (fewer
// than two shared factors, or d_l + rho d_t leaves {-1,0,1}: then the pair stays, as on the CPU).
struct MergePlan {
  int differ = -1, rho = 0;
};
FMM_BANK_HD MergePlan plan_merge(Factor la, Factor lb, Factor lc, Factor a, Factor b, Factor c) {
  const int sa = match_sign(la, a), sb = match_sign(lb, b), sc = match_sign(lc, c);
  if ((sa != 0) + (sb != 0) + (sc != 0) < 2) return {};
  const int d = sa == 0 ? 0 : sb == 0 ? 1 : 2;
  const int rho = d == 0 ? sb * sc : d == 1 ? sa * sc : sa * sb;
  Factor sum;
  if (!add(pick3(d, la, lb, lc), pick3(d, a, b, c), rho, sum)) return {};
  return {d, rho};
}

// Restores the invariant after term track[0] changed, as bank::settle (bank_walk.hpp): it
// vanishes if a factor is zero; it merges into the first term (in term order) that plan_merge
// pairs it with, and the merged term is settled in turn.
template <int S, class Warp>
FMM_BANK_HD void settle(Warp& s, int& rank, int* track, int ntrack) {
  while (track[0] >= 0) {
    const int t = track[0];
    const Factor a = factor(s, t, 0), b = factor(s, t, 1), c = factor(s, t, 2);
    if (!nonzero(a) || !nonzero(b) || !nonzero(c)) {
      remove_term(s, rank, t, track, ntrack);
      return;
    }
    const int r = rank;
    const int partner = first_voted<S>(
        s, r,
        [&](std::uint64_t up, std::uint64_t un, std::uint64_t vp, std::uint64_t vn, std::uint64_t wp, std::uint64_t wn,
            int l) { return l < r && l != t && plan_merge({up, un}, {vp, vn}, {wp, wn}, a, b, c).differ >= 0; });
    if (partner < 0) return;
    const MergePlan m = plan_merge(factor(s, partner, 0), factor(s, partner, 1), factor(s, partner, 2), a, b, c);
    Factor merged{0, 0};
    add(factor(s, partner, m.differ), pick3(m.differ, a, b, c), m.rho, merged);  // representable: voted so
    set_factor(s, partner, m.differ, merged);  // zero when the two cancel: the next round removes it
    drop_merged(s, rank, t, partner, track, ntrack);
  }
}

// The flip partners of term i among the first n, as bank::flip_partners: factors equal up to sign.
template <int S, class Warp>
FMM_BANK_HD int flip_partners(const Warp& s, int i, int n, unsigned (&m)[S][3]) {
  const Factor a = factor(s, i, 0), b = factor(s, i, 1), c = factor(s, i, 2);
  int total = 0;
  using W = std::uint64_t;
FMM_BANK_UNROLL
  for (int q = 0; q < S; ++q) {
    m[q][0] = m[q][1] = m[q][2] = 0;
    if (32 * q >= n) continue;
    m[q][0] = s.vote(q, [&](W up, W un, W, W, W, W, int l) { return l < n && l != i && match_sign({up, un}, a) != 0; });
    m[q][1] = s.vote(q, [&](W, W, W vp, W vn, W, W, int l) { return l < n && l != i && match_sign({vp, vn}, b) != 0; });
    m[q][2] = s.vote(q, [&](W, W, W, W, W wp, W wn, int l) { return l < n && l != i && match_sign({wp, wn}, c) != 0; });
    total += popcount32(m[q][0]) + popcount32(m[q][1]) + popcount32(m[q][2]);
  }
  return total;
}

// One flip attempt, with the draws of bank::try_flip (a random term i, a random (term, factor)
// pair (j, k) sharing factor k with it up to sign, then the orientation and, from bit 2, the sign
// t). With x = ti's factor k and tj's = sigma x:
//     x(x)y_i(x)z_i + sigma x(x)y_j(x)z_j
//       = x(x)(y_i + t y_j)(x)z_i + sigma x(x)y_j(x)(z_j - t sigma z_i),
// since the right side expands to x(x)y_i(x)z_i + t x(x)y_j(x)z_i + sigma x(x)y_j(x)z_j
// - t sigma^2 x(x)y_j(x)z_i (sigma^2 = 1). This is flip_graph.hpp's signed flip with the term
// signs folded into the factors (Kauers-Moosbauer 2023; Perminov's ternary flip graph draws t
// the same way). Returns false when the drawn term shares no factor or when y_i + t y_j or
// z_j - t sigma z_i would leave {-1,0,1} (then nothing changes).
template <int S, class Warp>
FMM_BANK_HD bool try_flip(Warp& s, int& rank, std::uint64_t& rng) {
  if (rank < 2) return false;
  const std::uint64_t r = next_random(rng);
  const int i = below(r, rank);
  unsigned m[S][3];
  const int total = ternary::flip_partners<S>(s, i, rank, m);
  if (total == 0) return false;
  int j, k;
  pick_match<S>(m, below(r >> 32, total), j, k);
  const std::uint64_t o = next_random(rng);
  const FlipOrientation f = orient_flip(k, i, j, o);
  const int t = (o & 4) ? -1 : 1;
  const int sigma = match_sign(factor(s, f.tj, k), factor(s, f.ti, k));
  Factor ny, nz;
  if (!add(factor(s, f.ti, f.y), factor(s, f.tj, f.y), t, ny) ||
      !add(factor(s, f.tj, f.z), factor(s, f.ti, f.z), -t * sigma, nz))
    return false;
  set_factor(s, f.ti, f.y, ny);  // z_i, read above for nz, is not changed by this
  set_factor(s, f.tj, f.z, nz);
  int track[2] = {f.ti, f.tj};
  settle_all<TernaryMoves, S>(s, rank, track);
  return true;
}

// Plus transition (rank + 1) on two random terms, drawn as in bank::plus_transition (Arai,
// Ichikawa, Hukushima, ISSAC 2024, arXiv 2312.17394), over Z with the factors as held:
//     a(x)b(x)c + a'(x)b'(x)c' = (a - a')(x)b(x)c + a'(x)(b - b')(x)c + a'(x)b'(x)(c + c'),
// since the right side is abc - a'bc + a'bc - a'b'c + a'b'c + a'b'c'. Returns false (nothing
// changes) when a new factor would be zero or leave {-1,0,1}, or there is no room.
template <int S, class Warp>
FMM_BANK_HD bool plus_transition(Warp& s, int& rank, int capacity, std::uint64_t r) {
  if (rank < 2 || rank >= capacity) return false;
  const auto [i, j, ka, kb, kc] = draw_plus(r, rank);
  const Factor a = factor(s, i, ka), b = factor(s, i, kb), c = factor(s, i, kc);
  const Factor a2 = factor(s, j, ka), b2 = factor(s, j, kb), c2 = factor(s, j, kc);
  Factor amb, bmb, cpc;
  if (!add(a, a2, -1, amb) || !add(b, b2, -1, bmb) || !add(c, c2, 1, cpc)) return false;
  if (!nonzero(amb) || !nonzero(bmb) || !nonzero(cpc)) return false;
  const int n = rank++;
  set_factor(s, i, ka, amb);  // (a - a')(x)b(x)c
  set_factor(s, n, ka, a2);   // a'(x)(b - b')(x)c
  set_factor(s, n, kb, bmb);
  set_factor(s, n, kc, c);
  set_factor(s, j, kc, cpc);  // a'(x)b'(x)(c + c')
  int track[3] = {i, j, n};
  settle_all<TernaryMoves, S>(s, rank, track);
  return true;
}

}  // namespace ternary

// The {-1,0,1} moves as bank::walk takes them (Gf2Moves in bank_walk.hpp is the other domain's).
struct TernaryMoves {
  static constexpr Domain kDomain = Domain::Ternary;
  static constexpr int kWords = 6, kMaxSlots = kMaxSlotsTernary;
  template <int S, class Warp>
  static FMM_BANK_HD void settle(Warp& s, int& rank, int* track, int ntrack) {
    ternary::settle<S>(s, rank, track, ntrack);
  }
  template <int S, class Warp>
  static FMM_BANK_HD bool try_flip(Warp& s, int& rank, std::uint64_t& rng) {
    return ternary::try_flip<S>(s, rank, rng);
  }
  template <int S, class Warp>
  static FMM_BANK_HD int flip_partners(const Warp& s, int i, int n, unsigned (&m)[S][3]) {
    return ternary::flip_partners<S>(s, i, n, m);
  }
  template <int S, class Warp>
  static FMM_BANK_HD bool plus_transition(Warp& s, int& rank, int capacity, std::uint64_t r) {
    return ternary::plus_transition<S>(s, rank, capacity, r);
  }
};
static_assert(TernaryMoves::kWords == words_per_term(Domain::Ternary) && Gf2Moves::kWords == words_per_term(Domain::Gf2));

// Calls f.template operator()<D>() with the moves D of domain d (Gf2Moves or TernaryMoves).
template <class F>
bool with_domain(Domain d, F&& f) {
  switch (d) {
    case Domain::Gf2: f.template operator()<Gf2Moves>(); return true;
    case Domain::Ternary: f.template operator()<TernaryMoves>(); return true;
  }
  return false;
}

}  // namespace fmm::search::bank
