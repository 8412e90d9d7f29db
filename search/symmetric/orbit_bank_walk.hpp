// The symmetric flip walk (Moosbauer, Poole, "Flip graphs with symmetry and new matrix
// multiplication schemes", arXiv 2502.04514) written for one warp per walker, as
// search/flip/bank_walk.hpp is for the plain walk: the same code runs on the GPU
// (gpu/walk/orbit_bank_kernel.cu: DeviceOrbitWarp, the interface of OrbitWarp below in registers
// and shuffles) and in the host emulation here.
//
// Layout. Orbit o of a G-invariant scheme lives in lane o % 32, slot o / 32, as its G *slot
// values*: positions 0, 1, 2 hold the representative (x0, x1, x2) (symmetric_scheme.hpp's
// convention: sigma(a,b,c) = (b,c,a)) and, for G = 6, positions 3, 4, 5 hold (R x0, R x1, R x2)
// (rho = reversal of the n^2-bit masks). Position g is the first factor of image g:
// image g < 3 is sigma^g t = (x_g, x_{g+1}, x_{g+2}), image 3 + g is rho sigma^g t; its second
// and third factors are positions next(g) and prev(g) of the same triple (orbit_graph.hpp's
// slots, without the padding). Fixed terms (non-trivial stabiliser: cubes, and under G = 6
// rho-fixed terms) sit in a small array beside the warp (FixedTerms), never flipped, two equal
// ones cancelling, as OrbitGraph keeps them aside.
//
// Moves: those of orbit_graph.hpp, with the same semantics, but with no index. OrbitGraph finds
// flip partners through a hash table of slot values; here a draw takes a uniformly random slot
// of the G * norb and a warp vote finds the slots of *other* orbits holding the same value
// (one comparison per lane and position), of which one is picked uniformly; a reduction after a
// change votes for an orbit with an image sharing two factors with a changed image. The flip
// (Kauers-Moosbauer, ISSAC 2023)
//     a(x)b(x)c + a(x)b'(x)c'  ->  a(x)(b+b')(x)c + a(x)b'(x)(c+c')
// on images T_p, T_q of two orbits sharing their first factor changes next(p) and prev(q), and
// done on those slots it is done on all |G| image pairs at once (Moosbauer-Poole, section 3);
// the plus transition is Arai-Ichikawa-Hukushima's (ISSAC 2024), rank + G. The walk policy is
// symmetric_walk.hpp's (the paper's code's): a plus transition after `plus_after` moves without
// a reduction while rank + G <= plus_limit; a run ends `plateau_limit` moves after its last new
// best and starts over from the start scheme.
//
// No heap, no std containers, no exceptions in the walk functions (FMM_BANK_HD); the host
// conversions from and to SymmetricScheme at the end may throw.
#pragma once

#include <cstdint>
#include <string>

#include "search/flip/bank_walk.hpp"
#include "search/run/walk_stop.hpp"  // patience_moves
#include "search/symmetric/symmetric_scheme.hpp"
#include "tensor/error.hpp"

namespace fmm::search::orbit_bank {

using bank::below;
using bank::lowest_bit;
using bank::next_random;  // splitmix64, as OrbitGraph::next_random: the same stream for a seed
using bank::popcount32;

// Positions inside an orbit's G values (see the layout above).
FMM_BANK_HD constexpr int next_pos(int g) { return g == 2 || g == 5 ? g - 2 : g + 1; }
FMM_BANK_HD constexpr int prev_pos(int g) { return g == 0 || g == 3 ? g + 2 : g - 1; }
FMM_BANK_HD constexpr int mirror_pos(int g) { return g < 3 ? g + 3 : g - 3; }

// The fixed terms of a walker: never flipped, so a plain array (on the GPU: DeviceFixedTerms, in
// the bank's memory, touched only when an orbit collapses or a board is copied). Two equal terms
// cancel over GF(2) (OrbitGraph::add_fixed).
inline constexpr int kMaxFixed = 32;
struct FixedTerms {
  std::uint64_t t[kMaxFixed][3] = {};
  int count = 0;
  bool overflow = false;  // a term found no room: the walk is wrong from here (never seen)
  FMM_BANK_HD void add(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    for (int i = 0; i < count; ++i)
      if (t[i][0] == a && t[i][1] == b && t[i][2] == c) {
        --count;
        for (int k = 0; k < 3; ++k) t[i][k] = t[count][k];
        return;
      }
    if (count == kMaxFixed) {
      overflow = true;
      return;
    }
    t[count][0] = a, t[count][1] = b, t[count][2] = c;
    ++count;
  }
  // The board's fixed terms <- / -> the bank's memory (word k of term i at [(i * 3 + k) * stride]).
  FMM_BANK_HD void load(const std::uint64_t* from, std::int64_t stride, int n) {
    count = n;
    overflow = false;
    for (int i = 0; i < count; ++i)
      for (int k = 0; k < 3; ++k) t[i][k] = from[(i * 3 + k) * stride];
  }
  FMM_BANK_HD void store(std::uint64_t* to, std::int64_t stride) const {
    for (int i = 0; i < count; ++i)
      for (int k = 0; k < 3; ++k) to[(i * 3 + k) * stride] = t[i][k];
  }
};

// The work list of slots changed since the last settle: a plus transition queues 2G; each merge
// pops one and pushes at most 2.
inline constexpr int kMaxWork = 48;

// A walker's orbits held by 32 lanes, emulated on the host: the analogue of bank_walk.hpp's
// HostWarp for G words an orbit. get() gives every lane the same value, set() writes the owning
// lane's register, vote(q, pred) has bit l set when pred(x, o) holds for the orbit o = 32 q + l
// of slot q of lane l, x its G values. (HostWarp's vote passes the words as separate arguments,
// which does not fit predicates that look up positions next(h), prev(h): hence a new warp type.)
// The warp also holds the board's work list (entry i: on the GPU in lane i % 32) and names the
// type of its fixed terms; uniform(x) is lane 0's x in every lane (here: x).
template <int G, int S>
struct OrbitWarp {
  static constexpr int kWords = G;
  using Fixed = FixedTerms;
  std::uint64_t f[32][S][G] = {};
  int work_[kMaxWork] = {};
  std::uint64_t get(int o, int k) const { return f[o & 31][o >> 5][k]; }
  void set(int o, int k, std::uint64_t v) { f[o & 31][o >> 5][k] = v; }
  template <class Pred>
  unsigned vote(int q, Pred pred) const {
    unsigned m = 0;
    for (int l = 0; l < 32; ++l)
      if (pred(f[l][q], 32 * q + l)) m |= 1u << l;
    return m;
  }
  static std::uint64_t uniform(std::uint64_t x) { return x; }
  int work(int i) const { return work_[i]; }
  void set_work(int i, int e) { work_[i] = e; }
  // After orbit o went and the last orbit moved into its place: entries of o become -1, those of
  // `last` follow it (the first n entries).
  void retarget_work(int n, int o, int last) {
    for (int i = 0; i < n; ++i) {
      const int e = work_[i];
      if (e < 0) continue;
      if ((e >> 3) == o) work_[i] = -1;
      else if ((e >> 3) == last) work_[i] = 8 * o + (e & 7);
    }
  }
  // Orbits <- / -> the bank's memory (value k of orbit o at [(o * G + k) * stride]).
  void load(const std::uint64_t* from, std::int64_t stride, int norb) {
    for (int o = 0; o < norb; ++o)
      for (int k = 0; k < G; ++k) set(o, k, from[(o * G + k) * stride]);
  }
  void store(std::uint64_t* to, std::int64_t stride, int norb) const {
    for (int o = 0; o < norb; ++o)
      for (int k = 0; k < G; ++k) to[(o * G + k) * stride] = get(o, k);
  }
};


// One G-invariant scheme: `norb` orbits in the warp, the fixed terms beside it, and the work
// list of slots changed since the last settle (a slot is 8 * orbit + position; -1: gone), its
// `nwork` entries kept by the warp.
template <int G, int S, class Warp = OrbitWarp<G, S>>
struct OrbitBoard {
  static_assert(G == 3 || G == 6, "orbits of the cyclic group (3) or cyclic x reversal (6)");
  static constexpr int kMaxOrbits = 32 * S;
  static constexpr int kMaxWork = orbit_bank::kMaxWork;
  Warp w;
  int norb = 0;
  typename Warp::Fixed fixed;
  int nwork = 0;
  FMM_BANK_HD int rank() const { return fixed.count + G * norb; }
};

template <class B>
FMM_BANK_HD void push_work(B& b, int o, int g) {
  if (b.nwork < B::kMaxWork) b.w.set_work(b.nwork++, 8 * o + g);  // a full list cannot happen (OrbitGraph: same)
}

// Removes orbit o; the last orbit moves into its lane and slot (OrbitGraph::remove_orbit).
// Work entries follow.
template <int G, class B>
FMM_BANK_HD void remove_orbit(B& b, int o) {
  const int last = b.norb - 1;
  if (o != last)
FMM_BANK_UNROLL
    for (int g = 0; g < G; ++g) b.w.set(o, g, b.w.get(last, g));
  --b.norb;
  b.w.retarget_work(b.nwork, o, last);
}

template <int G, class B>
FMM_BANK_HD int add_orbit(B& b, const std::uint64_t (&x)[G]) {
  const int o = b.norb++;
FMM_BANK_UNROLL
  for (int g = 0; g < G; ++g) b.w.set(o, g, x[g]);
  return o;
}

// Orbit o has a non-trivial stabiliser now: replace it by what it sums to (OrbitGraph's
// collapse_if_degenerate). True if it did.
template <int G, class B>
FMM_BANK_HD bool collapse_if_degenerate(B& b, int o) {
  const std::uint64_t x0 = b.w.get(o, 0), x1 = b.w.get(o, 1), x2 = b.w.get(o, 2);
  if (x0 == x1 && x1 == x2) {
    // sigma-fixed: three copies of the cube (a,a,a) sum to one (and, G = 6, three of
    // (Ra,Ra,Ra) to one; the two cancel in FixedTerms::add when Ra = a).
    const std::uint64_t m = G == 6 ? b.w.get(o, 3) : 0;
    remove_orbit<G>(b, o);
    b.fixed.add(x0, x0, x0);
    if constexpr (G == 6) b.fixed.add(m, m, m);
    return true;
  }
  if constexpr (G == 6) {
    if (x0 == b.w.get(o, 3) && x1 == b.w.get(o, 4) && x2 == b.w.get(o, 5)) {  // rho t = t: every image twice
      remove_orbit<G>(b, o);
      return true;
    }
  }
  return false;
}

// The orbit of (ko, kg) absorbs orbit oo: position kg of ko += position og of oo (and the
// mirrors), OrbitGraph::merge. x(x)y(x)z + x(x)y(x)z' = x(x)y(x)(z + z') on every image pair.
template <int G, class B>
FMM_BANK_HD void merge(B& b, int ko, int kg, int oo, int og) {
  const std::uint64_t merged = b.w.get(ko, kg) ^ b.w.get(oo, og);
  std::uint64_t merged_m = 0;
  if constexpr (G == 6) merged_m = b.w.get(ko, mirror_pos(kg)) ^ b.w.get(oo, mirror_pos(og));
  const int last = b.norb - 1;
  remove_orbit<G>(b, oo);
  if (ko == last) ko = oo;  // moved into oo's place
  if (merged == 0) {        // the orbits were equal: both cancel
    remove_orbit<G>(b, ko);
    return;
  }
  b.w.set(ko, kg, merged);
  push_work(b, ko, kg);
  if constexpr (G == 6) {
    b.w.set(ko, mirror_pos(kg), merged_m);
    push_work(b, ko, mirror_pos(kg));
  }
}

// Applies reductions until none is left, starting from the slots on the work list
// (OrbitGraph::settle). For a changed slot s of orbit os, T_s = (v, vn, vp): an image of another
// orbit sharing two factors with an image containing the changed value is, rotated, an image
// T_t with t = v and next(t) = vn or prev(t) = vp (sharing positions 2, 3 of one image is
// sharing positions 1, 2 of its rotation), so one vote per slot of lanes finds it.
template <int G, int S, class B>
FMM_BANK_HD void settle(B& b) {
  while (b.nwork > 0) {
    const int e = b.w.work(--b.nwork);
    if (e < 0) continue;
    const int os = e >> 3, g = e & 7;
    const std::uint64_t v = b.w.get(os, g);
    if (v == 0) {  // a zero factor: the orbit is zero (cannot happen from a valid flip)
      remove_orbit<G>(b, os);
      continue;
    }
    if (collapse_if_degenerate<G>(b, os)) continue;
    const std::uint64_t vn = b.w.get(os, next_pos(g)), vp = b.w.get(os, prev_pos(g));
    const int norb = b.norb;
    int t = -1;
FMM_BANK_UNROLL
    for (int q = 0; q < S; ++q) {
      if (t >= 0 || 32 * q >= norb) continue;
      const unsigned m = b.w.vote(q, [&](const std::uint64_t* x, int o) {
        if (o >= norb || o == os) return false;
        bool hit = false;
FMM_BANK_UNROLL
        for (int h = 0; h < G; ++h) hit |= x[h] == v && (x[next_pos(h)] == vn || x[prev_pos(h)] == vp);
        return hit;
      });
      if (m) t = 32 * q + lowest_bit(m);
    }
    if (t < 0) continue;
    for (int h = 0; h < G; ++h) {
      if (b.w.get(t, h) != v) continue;
      if (b.w.get(t, next_pos(h)) == vn) {  // T_s = (a,b,c), T_t = (a,b,c'): third factors add
        merge<G>(b, os, prev_pos(g), t, prev_pos(h));
        break;
      }
      if (b.w.get(t, prev_pos(h)) == vp) {  // T_s = (a,b,c), T_t = (a,b',c): second factors add
        merge<G>(b, os, next_pos(g), t, next_pos(h));
        break;
      }
    }
  }
}

// The flip of images T_p = image gp of orbit op and T_q = image gq of orbit oq (op != oq,
// equal first factors), with all its images (OrbitGraph::flip).
template <int G, int S, class B>
FMM_BANK_HD void flip(B& b, int op, int gp, int oq, int gq) {
  const int p1 = next_pos(gp), q2 = prev_pos(gq);
  if constexpr (G == 6) {
    const int pm1 = mirror_pos(p1), qm2 = mirror_pos(q2);
    b.w.set(op, pm1, b.w.get(op, pm1) ^ b.w.get(oq, mirror_pos(next_pos(gq))));
    b.w.set(oq, qm2, b.w.get(oq, qm2) ^ b.w.get(op, mirror_pos(prev_pos(gp))));
    push_work(b, op, pm1);
    push_work(b, oq, qm2);
  }
  b.w.set(op, p1, b.w.get(op, p1) ^ b.w.get(oq, next_pos(gq)));
  b.w.set(oq, q2, b.w.get(oq, q2) ^ b.w.get(op, prev_pos(gp)));
  push_work(b, op, p1);
  push_work(b, oq, q2);
  settle<G, S>(b);
}

// The flip partners of slot (oi, gi): m[q][h] has a bit for each orbit of slot q (other than oi)
// whose position h holds the same value. Returns their number.
template <int G, int S, class B>
FMM_BANK_HD int flip_partners(const B& b, int oi, int gi, unsigned (&m)[S][G]) {
  const std::uint64_t v = b.w.get(oi, gi);
  const int norb = b.norb;
  int total = 0;
FMM_BANK_UNROLL
  for (int q = 0; q < S; ++q)
FMM_BANK_UNROLL
    for (int h = 0; h < G; ++h) {
      m[q][h] = 0;
      if (32 * q >= norb) continue;
      m[q][h] = b.w.vote(q, [&](const std::uint64_t* x, int o) { return o < norb && o != oi && x[h] == v; });
      total += popcount32(m[q][h]);
    }
  return total;
}

// One flip draw: a uniform slot among the G * norb and a uniform one of the slots of other orbits
// with its value (bank_walk.hpp's try_flip, on orbits). False when the drawn slot has none.
template <int G, int S, class B>
FMM_BANK_HD bool try_flip(B& b, std::uint64_t& rng) {
  if (b.norb < 2) return false;
  const std::uint64_t r = next_random(rng);
  const int i = below(r, G * b.norb);
  const int oi = i / G, gi = i % G;
  unsigned m[S][G];
  const int total = flip_partners<G, S>(b, oi, gi, m);
  if (total == 0) return false;
  int pick = below(r >> 32, total), oj = -1, gj = 0;
FMM_BANK_UNROLL
  for (int q = 0; q < S; ++q)
FMM_BANK_UNROLL
    for (int h = 0; h < G; ++h) {
      unsigned mm = m[q][h];
      const int cnt = popcount32(mm);
      if (oj >= 0) continue;
      if (pick >= cnt) {
        pick -= cnt;
        continue;
      }
      for (int x = 0; x < pick; ++x) mm &= mm - 1;
      oj = 32 * q + lowest_bit(mm);
      gj = h;
    }
  flip<G, S>(b, oi, gi, oj, gj);
  return true;
}

// Draws until a slot has a partner, at most bank::kDrawsPerStep times. False: no flip this step.
template <int G, int S, class B>
FMM_BANK_HD bool flip_step(B& b, std::uint64_t& rng) {
  for (int draw = 0; draw < bank::kDrawsPerStep; ++draw)
    if (try_flip<G, S>(b, rng)) return true;
  return false;
}

// Whether any slot shares its value with a slot of another orbit, i.e. whether a flip exists
// (OrbitGraph::has_flip, there a counter of shared buckets). norb x G x S votes: the walk asks
// only after bank::kDryStepsBeforeCheck steps in a row found no flip.
template <int G, int S, class B>
FMM_BANK_HD bool has_flip(const B& b) {
  const int norb = b.norb;
  for (int o = 0; o < norb; ++o)
FMM_BANK_UNROLL
    for (int g = 0; g < G; ++g) {
      const std::uint64_t v = b.w.get(o, g);
FMM_BANK_UNROLL
      for (int q = 0; q < S; ++q) {
        if (32 * q >= norb) continue;
        const unsigned m = b.w.vote(q, [&](const std::uint64_t* x, int l) {
          if (l >= norb || l <= o) return false;  // each pair of orbits once
          bool hit = false;
FMM_BANK_UNROLL
          for (int h = 0; h < G; ++h) hit |= x[h] == v;
          return hit;
        });
        if (m) return true;
      }
    }
  return false;
}

// Plus transition on the images T_p, T_q of two random slots of different orbits, done on all
// image pairs at once: rank + G (OrbitGraph::plus_transition, the same draw from r).
//     a(x)b(x)c + a'(x)b'(x)c' = a(x)(b+b')(x)c + a(x)b'(x)(c+c') + (a+a')(x)b'(x)c'
// False when there is no room or the draw gives images sharing a factor (the caller redraws).
template <int G, int S, class B>
FMM_BANK_HD bool plus_transition(B& b, std::uint64_t r) {
  if (b.norb < 2 || b.norb + 1 > B::kMaxOrbits) return false;
  const int ns = G * b.norb;
  const int ip = below(r, ns), iq = below(r >> 32, ns);
  const int op = ip / G, gp = ip % G, oq = iq / G, gq = iq % G;
  if (op == oq) return false;
  const int p1 = next_pos(gp), p2 = prev_pos(gp), q1 = next_pos(gq), q2 = prev_pos(gq);
  auto val = [&](int o, int g) { return b.w.get(o, g); };
  if (val(op, gp) == val(oq, gq) || val(op, p1) == val(oq, q1) || val(op, p2) == val(oq, q2)) return false;
  // The new orbit's representative is (a+a', b', c'); for G = 6 its mirror comes from the
  // mirrored positions (R is linear).
  std::uint64_t x[G];
  x[0] = val(op, gp) ^ val(oq, gq), x[1] = val(oq, q1), x[2] = val(oq, q2);
  if constexpr (G == 6) {
    const int pm = mirror_pos(gp), qm = mirror_pos(gq);
    x[3] = val(op, pm) ^ val(oq, qm), x[4] = val(oq, next_pos(qm)), x[5] = val(oq, prev_pos(qm));
    const std::uint64_t a_m = val(op, pm), b_m = val(op, next_pos(pm)) ^ val(oq, next_pos(qm)),
                        c_m = val(oq, prev_pos(qm)) ^ val(op, prev_pos(pm));
    b.w.set(op, next_pos(pm), b_m);
    b.w.set(oq, qm, a_m);
    b.w.set(oq, prev_pos(qm), c_m);
    push_work(b, op, next_pos(pm));
    push_work(b, oq, qm);
    push_work(b, oq, prev_pos(qm));
  }
  const std::uint64_t nb = val(op, p1) ^ val(oq, q1), nc = val(oq, q2) ^ val(op, p2), na = val(op, gp);
  b.w.set(op, p1, nb);
  b.w.set(oq, gq, na);
  b.w.set(oq, q2, nc);
  push_work(b, op, p1);
  push_work(b, oq, gq);
  push_work(b, oq, q2);
  const int o = add_orbit<G>(b, x);
FMM_BANK_UNROLL
  for (int g = 0; g < G; ++g) push_work(b, o, g);
  settle<G, S>(b);
  return true;
}

// symmetric_walk.hpp's SymmetricWalkParams, as a plain struct the kernel can take.
struct WalkParams {
  std::uint64_t plus_after = 16667;  // orbit moves without a reduction before a plus transition (0 = never)
  int plus_limit = 1 << 30;          // a plus transition only while rank + G <= plus_limit
  std::uint64_t plateau_limit = 33'000'000;  // moves without a new best before a new run
  int target_rank = 0;               // 0 = none
  int give_up_rank = 0;              // above it, a run ends after give_up_moves without a new best
  std::uint64_t give_up_moves = 0;   // (0 = never)
};

// Finished runs are counted by their best rank below this (SymmetricWalker::run_bests).
inline constexpr int kRunBestRanks = 512;

// One walker: SymmetricWalker's state and counters, with boards instead of OrbitGraph and
// SymmetricScheme (on the GPU `start` and `best` would sit in global memory).
template <int G, int S, class Warp = OrbitWarp<G, S>>
struct Walker {
  using Board = OrbitBoard<G, S, Warp>;
  Board cur, start, best;  // current scheme, restart point, the current run's best
  std::uint64_t rng = 0;
  std::uint64_t moves = 0, since_best = 0, since_reduction = 0, plus_transitions = 0, runs = 0;
  std::uint64_t dry_steps = 0;  // moves whose kDrawsPerStep draws found no flip (none in OrbitGraph's walk)
  int best_rank = 0, last_rank = 0;
  int dry = 0;  // such moves in a row, up to bank::kDryStepsBeforeCheck
  bool target_hit = false;
  std::uint32_t improved = 0;  // a new best since the host last collected it
  std::uint64_t run_bests[kRunBestRanks] = {};

  // What walker_step and new_run do with `start` and `best`: here boards of the walker; a bank's
  // walker (orbit_bank.hpp's BankWalker) reads and writes them in the bank's memory instead.
  FMM_BANK_HD void keep_best() { best = cur; }
  FMM_BANK_HD void load_start() { cur = start; }
  FMM_BANK_HD void record_run() {
    if (best_rank >= 0 && best_rank < kRunBestRanks) ++run_bests[best_rank];
  }
};

// A plus transition if the rank limit allows, up to 64 draws (SymmetricWalker::plus).
template <int G, int S, class W>
FMM_BANK_HD bool walker_plus(W& w, const WalkParams& p) {
  if (w.cur.rank() + G > p.plus_limit) return false;
  for (int attempt = 0; attempt < 64; ++attempt)
    if (plus_transition<G, S>(w.cur, next_random(w.rng))) {
      ++w.plus_transitions;
      return true;
    }
  return false;
}

// Starts over from the start scheme, keeping the counters (SymmetricWalker::new_run/restart).
template <int G, int S, class W>
FMM_BANK_HD void new_run(W& w) {
  ++w.runs;
  w.record_run();
  w.load_start();
  w.keep_best();
  w.best_rank = w.cur.rank();
  w.since_best = 0;
  w.since_reduction = 0;
  w.dry = 0;
}

// One move with SymmetricWalker::run's policy and walk_epoch's bookkeeping.
// A step whose draws all miss is not a dead end by itself: where few slots have a partner, 8
// draws miss often, and OrbitGraph (drawing from its list of shared values) would have flipped.
// So, as bank_walk.hpp's walk does, such a step is a move without a flip, and only after
// kDryStepsBeforeCheck of them in a row does an exhaustive has_flip() decide whether the walk
// is at a dead end, where SymmetricWalker's "no flip" branch runs (plus transition or new run).
template <int G, int S, class W>
FMM_BANK_HD void walker_step(W& w, const WalkParams& p) {
  if (!flip_step<G, S>(w.cur, w.rng)) {
    ++w.dry_steps;
    if (w.dry < bank::kDryStepsBeforeCheck && ++w.dry == bank::kDryStepsBeforeCheck && !has_flip<G, S>(w.cur)) {
      // No flip between two orbits exists: a plus transition, or a new run.
      w.dry = 0;
      if (!walker_plus<G, S>(w, p)) new_run<G, S>(w);
    }
  } else {
    w.dry = 0;
    if (w.cur.rank() < w.last_rank) {
      w.since_reduction = 0;
    } else if (p.plus_after && ++w.since_reduction >= p.plus_after) {
      walker_plus<G, S>(w, p);
      w.since_reduction = 0;
    }
  }
  w.last_rank = w.cur.rank();
  ++w.moves;
  const int rank = w.cur.rank();
  if (rank < w.best_rank) {
    w.best_rank = rank;
    w.keep_best();
    w.improved = 1;
    w.since_best = 0;
    if (rank <= p.target_rank) w.target_hit = true;
    return;
  }
  if (++w.since_best >= patience_moves(p.plateau_limit, p.give_up_rank, p.give_up_moves, w.best_rank)) {
    new_run<G, S>(w);
    w.since_best = 0;
    w.last_rank = w.cur.rank();
  }
}

// Up to `budget` moves; stops at the target. Deterministic given the walker (its seed).
template <int G, int S, class W>
FMM_BANK_HD void walk(W& w, std::uint64_t budget, const WalkParams& p) {
  for (std::uint64_t n = 0; n < budget && !w.target_hit; ++n) walker_step<G, S>(w, p);
}

// ---- Host side: conversions (may throw). ----

// Loads `s` into `b` and applies every reduction (OrbitGraph::assign): the rank may come out lower.
template <int G, int S, class B>
void load_board(B& b, const SymmetricScheme& s) {
  if (s.order != G) throw Error("orbit bank walk: scheme of order " + std::to_string(s.order) + ", walk of order " +
                                std::to_string(G));
  if (s.n < 1 || s.n > 8) throw Error("orbit bank walk: n = " + std::to_string(s.n) + " is outside 1..8");
  const Symmetry sym(s.n, G);
  b.norb = 0;
  b.fixed = FixedTerms{};
  b.nwork = 0;
  for (const SymTerm& t : s.fixed) b.fixed.add(t[0], t[1], t[2]);
  for (const SymTerm& t : s.orbits) {
    if (b.norb + 1 > B::kMaxOrbits)
      throw Error("orbit bank walk: more than " + std::to_string(B::kMaxOrbits) + " orbits for " +
                  std::to_string(S) + " slots a lane");
    std::uint64_t x[G];
    for (int r = 0; r < 3; ++r) x[r] = t[r];
    if constexpr (G == 6)
      for (int r = 0; r < 3; ++r) x[3 + r] = sym.reverse(t[r]);
    const int o = add_orbit<G>(b, x);
    for (int g = 0; g < G; ++g) push_work(b, o, g);
    settle<G, S>(b);
  }
  if (b.fixed.overflow) throw Error("orbit bank walk: more than " + std::to_string(kMaxFixed) + " fixed terms");
}

template <int G, class B>
SymmetricScheme board_scheme(const B& b, int n) {
  SymmetricScheme s;
  s.n = n;
  s.order = G;
  for (int i = 0; i < b.fixed.count; ++i) s.fixed.push_back({b.fixed.t[i][0], b.fixed.t[i][1], b.fixed.t[i][2]});
  for (int o = 0; o < b.norb; ++o) s.orbits.push_back({b.w.get(o, 0), b.w.get(o, 1), b.w.get(o, 2)});
  return s;
}

// A walker at the start of its first run from `start` (settled), with its seed.
template <int G, int S, class W>
void init_walker(W& w, const SymmetricScheme& start, std::uint64_t seed) {
  load_board<G, S>(w.start, start);
  w.cur = w.start;
  w.best = w.start;
  w.rng = seed;
  w.moves = w.since_best = w.since_reduction = w.plus_transitions = w.runs = w.dry_steps = 0;
  w.dry = 0;
  w.best_rank = w.last_rank = w.cur.rank();
  w.target_hit = false;
  w.improved = 0;
  for (auto& c : w.run_bests) c = 0;
}

}  // namespace fmm::search::orbit_bank
