// The flip walk of one walker of a WalkerBank (walker_bank.hpp), written once for the CPU and
// the GPU. On the GPU a walker is one warp: term t of its scheme sits in a register of lane
// t % 32 (slot t / 32), so the scan of a flip - which terms share a factor with this one? - is
// one comparison per lane and a warp vote, not a loop over the terms (gpu/walk/). The host
// emulation runs the same algorithm on a 32-lane array (HostWarp), so a bank's walk is the same
// on both (same seed, same flips: same schemes), which the GPU test checks.
//
// Two coefficient domains (bank::Domain), one 64-bit mask word per factor entry set (nm, mp,
// np <= 64: every format up to <8,8,8>):
//  * GF(2), 3 words a term (one mask per factor): the moves in this file (Gf2Moves);
//  * {-1,0,1} over Z, 6 words a term (masks of +1 and -1 entries per factor): the moves of
//    bank_walk_ternary.hpp (TernaryMoves), Perminov's ternary flip graph setting.
// No hash indices as in flip_graph.hpp: a flip draws a random term and votes for the terms
// sharing one of its factors; a reduction votes for a term sharing two.
//
// The moves are Kauers-Moosbauer's (ISSAC 2023) and the plus transition of Arai, Ichikawa,
// Hukushima (ISSAC 2024), as in flip_graph.hpp; the plateau policy is flip_walk.hpp's default
// one: after `plateau_limit` steps without a new best, a plus transition while the rank is less
// than `plus_slack` above the walker's best (once its best is below `plus_from_rank`), otherwise
// a return to its best.
#pragma once

#include <chrono>
#include <cstdint>
#include <utility>

#include "search/run/host_device.hpp"

namespace fmm::search::bank {

// The coefficient domain a bank walks over.
enum class Domain : std::int32_t {
  Gf2 = 0,      // 3 words a term: the masks of factors u, v, w
  Ternary = 1,  // 6 words a term: (+1 mask, -1 mask) of u, v, w (bank_walk_ternary.hpp)
};

// 64-bit words per term in a bank of domain d.
FMM_BANK_HD constexpr int words_per_term(Domain d) { return d == Domain::Ternary ? 6 : 3; }

// What a bank holds, as raw pointers (host or device memory): `walkers` walkers of at most
// `capacity` terms. Word k of term t of walker w is cur[(t * words_per_term(domain) + k) *
// walkers + w]; `best` holds each walker's best scheme the same way.
struct View {
  int walkers = 0, capacity = 0;
  Domain domain = Domain::Gf2;
  std::uint64_t* cur = nullptr;
  std::uint64_t* best = nullptr;
  int* rank = nullptr;
  int* best_rank = nullptr;
  std::uint64_t* rng = nullptr;
  std::uint64_t* flips = nullptr;
  std::uint64_t* since_best = nullptr;   // steps since the last new best or plateau move
  std::uint64_t* plus = nullptr;         // plus transitions made
  std::uint32_t* improved = nullptr;     // 1: a new best since the host last collected it
};

struct Params {
  std::uint64_t plateau_limit = 100000;
  int plus_slack = 2;
  int plus_from_rank = 1 << 30;
  int target_rank = 0;  // 0 = none: a walker at or below it stops
};

// Slots per lane the walk is compiled for; a bank of capacity C uses the least S with 32 S >= C.
// A ternary term takes twice the registers of a GF(2) one (12 32-bit registers a slot against
// 6), so its kernel stops at 12 slots: 17 would hold 204 registers of terms alone, past the
// 255 a thread has.
inline constexpr int kSlotChoices[] = {1, 2, 3, 4, 6, 8, 12, 17};
inline constexpr int kMaxSlotsGf2 = 17, kMaxSlotsTernary = 12;
inline constexpr int kMaxCapacity = 32 * kMaxSlotsGf2;
// The most terms a walker of a domain-d bank holds.
constexpr int max_capacity(Domain d) { return 32 * (d == Domain::Ternary ? kMaxSlotsTernary : kMaxSlotsGf2); }
// The terms a walk from a rank-`start_rank` scheme needs room for: plus transitions up to
// `plus_slack` above its best, and one more while a transition's terms settle (the CPU walk's
// FlipGraph is sized the same way).
constexpr int capacity_for(int start_rank, int plus_slack) { return start_rank + plus_slack + 2; }
// The domain as the logs and errors name it.
FMM_BANK_HD constexpr const char* domain_name(Domain d) { return d == Domain::Ternary ? "{-1,0,1}" : "GF(2)"; }

FMM_BANK_HD std::uint64_t next_random(std::uint64_t& state) {  // splitmix64, as flip_walk.hpp
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// floor(n * x / 2^32) for the low 32 bits x of r: a draw below n without a division.
FMM_BANK_HD int below(std::uint64_t r, int n) {
  return static_cast<int>(((r & 0xFFFFFFFFULL) * static_cast<std::uint64_t>(n)) >> 32);
}

FMM_BANK_HD int popcount32(unsigned x) {
#if defined(__CUDA_ARCH__)
  return __popc(x);
#else
  return __builtin_popcount(x);
#endif
}

FMM_BANK_HD int lowest_bit(unsigned x) {
#if defined(__CUDA_ARCH__)
  return __ffs(static_cast<int>(x)) - 1;
#else
  return __builtin_ctz(x);
#endif
}

// Nanoseconds of a monotonic clock: the GPU's global timer on the device, steady_clock on the host.
FMM_BANK_HD std::uint64_t clock_ns() {
#if defined(__CUDA_ARCH__)
  std::uint64_t t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
#else
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
#endif
}

// One walker's terms in the bank's interleaved storage, W words a term (the stride a
// compile-time constant, as the GF(2) walk always had it).
template <int W>
struct TermsOf {
  std::uint64_t* base;
  int stride;  // the bank's walker count
  FMM_BANK_HD std::uint64_t& at(int t, int k) const {
    return base[(static_cast<std::int64_t>(t) * W + k) * stride];
  }
};

// A walker's scheme held by 32 lanes, emulated on the host: the same interface as the GPU's
// DeviceWarp (gpu/walk/bank_walk_kernel.cu), W 64-bit words a term. get() returns the same
// value to every lane, set() writes the owning lane's register, vote(q, pred) has bit l set when
// pred(word 0, ..., word W-1, t) holds for the term t = 32 q + l in slot q of lane l.
template <int S, int W = 3>
struct HostWarp {
  static constexpr int kWords = W;
  std::uint64_t f[32][S][W] = {};
  std::uint64_t get(int t, int k) const { return f[t & 31][t >> 5][k]; }
  void set(int t, int k, std::uint64_t v) { f[t & 31][t >> 5][k] = v; }
  template <class Pred>
  unsigned vote(int q, Pred pred) const {
    return vote_words(q, pred, std::make_index_sequence<W>{});
  }
  void load(TermsOf<W> from, int rank) {
    for (int t = 0; t < rank; ++t)
      for (int k = 0; k < W; ++k) set(t, k, from.at(t, k));
  }
  void store(TermsOf<W> to, int rank) const {
    for (int t = 0; t < rank; ++t)
      for (int k = 0; k < W; ++k) to.at(t, k) = get(t, k);
  }

 private:
  template <class Pred, std::size_t... K>
  unsigned vote_words(int q, Pred& pred, std::index_sequence<K...>) const {
    unsigned m = 0;
    for (int l = 0; l < 32; ++l)
      if (pred(f[l][q][K]..., 32 * q + l)) m |= 1u << l;
    return m;
  }
};

// Removes term t (the last term moves into its slot). `track` holds up to four term indices
// the caller follows: one that was t becomes -1, one that was the last becomes t.
template <class Warp>
FMM_BANK_HD void remove_term(Warp& s, int& rank, int t, int* track, int ntrack) {
  const int last = rank - 1;
  if (t != last)
    for (int k = 0; k < Warp::kWords; ++k) s.set(t, k, s.get(last, k));
  for (int q = 0; q < ntrack; ++q) {
    if (track[q] == t) track[q] = -1;
    else if (track[q] == last) track[q] = t;
  }
  rank = last;
}

// The first term (in slot, then lane order) among the first `rank` for which pred(word 0, ...,
// word W-1, term) holds; -1 when none does.
template <int S, class Warp, class Pred>
FMM_BANK_HD int first_voted(const Warp& s, int rank, Pred pred) {
  int found = -1;
FMM_BANK_UNROLL
  for (int q = 0; q < S; ++q) {
    if (found >= 0 || 32 * q >= rank) continue;
    const unsigned m = s.vote(q, pred);
    if (m) found = 32 * q + lowest_bit(m);
  }
  return found;
}

// The end of a reduction: term t, merged into `partner`, goes; the tracked terms follow (the
// merged term becomes track[0], to be settled in turn).
template <class Warp>
FMM_BANK_HD void drop_merged(Warp& s, int& rank, int t, int partner, int* track, int ntrack) {
  int follow[4] = {partner, -1, -1, -1};
  for (int q = 1; q < ntrack; ++q) follow[q] = track[q];
  remove_term(s, rank, t, follow, ntrack);
  for (int q = 0; q < ntrack; ++q) track[q] = follow[q];
}

// Settles each of the N tracked terms a move changed, in order (D::settle of track[q..N-1] while
// track[q] is still there), so that no pair of terms is left to merge.
template <class D, int S, int N, class Warp>
FMM_BANK_HD void settle_all(Warp& s, int& rank, int (&track)[N]) {
FMM_BANK_UNROLL
  for (int q = 0; q < N; ++q)
    if (track[q] >= 0) D::template settle<S>(s, rank, track + q, N - q);
}

// Restores the invariant after term track[0] changed: it vanishes if a factor is zero; if
// another term shares two factors with it (the first such, in term order), the two merge and the
// merged term is settled in turn. track[1..ntrack-1] are other terms the caller follows.
template <int S, class Warp>
FMM_BANK_HD void settle(Warp& s, int& rank, int* track, int ntrack) {
  while (track[0] >= 0) {
    const int t = track[0];
    const std::uint64_t a = s.get(t, 0), b = s.get(t, 1), c = s.get(t, 2);
    if (!a || !b || !c) {
      remove_term(s, rank, t, track, ntrack);
      return;
    }
    const int r = rank;
    const int partner = first_voted<S>(s, r, [&](std::uint64_t x, std::uint64_t y, std::uint64_t z, int l) {
      return l < r && l != t && (x == a) + (y == b) + (z == c) >= 2;
    });
    if (partner < 0) return;
    // x(x)y(x)z + x(x)y(x)z' = x(x)y(x)(z + z') (all three equal: any factor, the sum vanishes)
    const int differ = s.get(partner, 0) != a ? 0 : s.get(partner, 1) != b ? 1 : 2;
    s.set(partner, differ, s.get(partner, differ) ^ s.get(t, differ));
    drop_merged(s, rank, t, partner, track, ntrack);
  }
}

// The pick-th (0-based) set bit of the votes m[q][k] in (slot, factor, lane) order: term j and
// factor k of a flip partner.
template <int S>
FMM_BANK_HD void pick_match(const unsigned (&m)[S][3], int pick, int& j, int& k) {
  j = -1;
  k = 0;
FMM_BANK_UNROLL
  for (int q = 0; q < S; ++q)
    for (int kk = 0; kk < 3; ++kk) {
      unsigned mm = m[q][kk];
      const int cnt = popcount32(mm);
      if (j >= 0) continue;
      if (pick >= cnt) {
        pick -= cnt;
        continue;
      }
      for (int x = 0; x < pick; ++x) mm &= mm - 1;
      j = 32 * q + lowest_bit(mm);
      k = kk;
    }
}

// A flip's orientation, from bits 0 and 1 of a fresh draw `o`: terms i and j share factor k;
// which of the two other factors is y (the one term ti absorbs) and which is z (the one term tj
// absorbs), and which of i, j is ti. Every choice is a flip (Kauers-Moosbauer 2023, section 3).
struct FlipOrientation {
  int y, z, ti, tj;
};
FMM_BANK_HD FlipOrientation orient_flip(int k, int i, int j, std::uint64_t o) {
  FlipOrientation f{k + 1 < 3 ? k + 1 : k - 2, k + 2 < 3 ? k + 2 : k - 1, i, j};
  if (o & 1) {
    const int tmp = f.y;
    f.y = f.z;
    f.z = tmp;
  }
  if (o & 2) f.ti = j, f.tj = i;
  return f;
}

struct Gf2Moves;

// The flip partners of term i among the first n: m[q][k] has a bit for each term of slot q
// whose factor k equals term i's. Returns their number.
template <int S, class Warp>
FMM_BANK_HD int flip_partners(const Warp& s, int i, int n, unsigned (&m)[S][3]) {
  const std::uint64_t a = s.get(i, 0), b = s.get(i, 1), c = s.get(i, 2);
  int total = 0;
FMM_BANK_UNROLL
  for (int q = 0; q < S; ++q) {
    m[q][0] = m[q][1] = m[q][2] = 0;
    if (32 * q >= n) continue;
    m[q][0] = s.vote(q, [&](std::uint64_t x, std::uint64_t, std::uint64_t, int l) { return l < n && l != i && x == a; });
    m[q][1] = s.vote(q, [&](std::uint64_t, std::uint64_t y, std::uint64_t, int l) { return l < n && l != i && y == b; });
    m[q][2] = s.vote(q, [&](std::uint64_t, std::uint64_t, std::uint64_t z, int l) { return l < n && l != i && z == c; });
    total += popcount32(m[q][0]) + popcount32(m[q][1]) + popcount32(m[q][2]);
  }
  return total;
}

// One flip attempt: a random term and a random one of the (term, factor) pairs sharing a factor
// with it. Returns false when the drawn term shares no factor.
template <int S, class Warp>
FMM_BANK_HD bool try_flip(Warp& s, int& rank, std::uint64_t& rng) {
  if (rank < 2) return false;
  const std::uint64_t r = next_random(rng);
  const int i = below(r, rank);
  unsigned m[S][3];
  const int total = bank::flip_partners<S>(s, i, rank, m);
  if (total == 0) return false;
  int j, k;
  pick_match<S>(m, below(r >> 32, total), j, k);
  // Terms i, j share factor k: x(x)y_i(x)z_i + x(x)y_j(x)z_j = x(x)(y_i+y_j)(x)z_i + x(x)y_j(x)(z_j+z_i)
  // over GF(2) (the z_i on the right is ti's, which the flip leaves as it is).
  const FlipOrientation f = orient_flip(k, i, j, next_random(rng));
  s.set(f.ti, f.y, s.get(f.ti, f.y) ^ s.get(f.tj, f.y));
  s.set(f.tj, f.z, s.get(f.tj, f.z) ^ s.get(f.ti, f.z));
  int track[2] = {f.ti, f.tj};
  settle_all<Gf2Moves, S>(s, rank, track);
  return true;
}

// The draw of a plus transition from the 64 random bits r (rank >= 2): two different terms i and
// j, and the factor ka whose difference the first new term takes (kb, kc: the two others in turn).
struct PlusDraw {
  int i, j, ka, kb, kc;
};
FMM_BANK_HD PlusDraw draw_plus(std::uint64_t r, int rank) {
  PlusDraw d;
  d.i = below(r, rank);
  d.j = below(r >> 32, rank - 1);
  if (d.j >= d.i) ++d.j;
  d.ka = static_cast<int>((r >> 16) % 3);
  d.kb = d.ka + 1 < 3 ? d.ka + 1 : d.ka - 2;
  d.kc = d.ka + 2 < 3 ? d.ka + 2 : d.ka - 1;
  return d;
}

// Plus transition (rank + 1) on two random terms:
//   a(x)b(x)c + a'(x)b'(x)c' = (a+a')(x)b(x)c + a'(x)(b+b')(x)c + a'(x)b'(x)(c+c')  over GF(2).
template <int S, class Warp>
FMM_BANK_HD bool plus_transition(Warp& s, int& rank, int capacity, std::uint64_t r) {
  if (rank < 2 || rank >= capacity) return false;
  const auto [i, j, ka, kb, kc] = draw_plus(r, rank);
  const std::uint64_t a = s.get(i, ka), b = s.get(i, kb), c = s.get(i, kc);
  const std::uint64_t a2 = s.get(j, ka), b2 = s.get(j, kb), c2 = s.get(j, kc);
  if (a == a2 || b == b2 || c == c2) return false;  // a zero factor
  const int n = rank++;
  s.set(i, ka, a ^ a2);  // (a+a')(x)b(x)c
  s.set(n, ka, a2);      // a'(x)(b+b')(x)c
  s.set(n, kb, b ^ b2);
  s.set(n, kc, c);
  s.set(j, kc, c ^ c2);  // a'(x)b'(x)(c+c')
  int track[3] = {i, j, n};
  settle_all<Gf2Moves, S>(s, rank, track);
  return true;
}

// The GF(2) moves as the walk below takes them (TernaryMoves in bank_walk_ternary.hpp is the
// other domain's).
struct Gf2Moves {
  static constexpr Domain kDomain = Domain::Gf2;
  static constexpr int kWords = 3, kMaxSlots = kMaxSlotsGf2;
  template <int S, class Warp>
  static FMM_BANK_HD void settle(Warp& s, int& rank, int* track, int ntrack) {
    bank::settle<S>(s, rank, track, ntrack);
  }
  template <int S, class Warp>
  static FMM_BANK_HD bool try_flip(Warp& s, int& rank, std::uint64_t& rng) {
    return bank::try_flip<S>(s, rank, rng);
  }
  template <int S, class Warp>
  static FMM_BANK_HD int flip_partners(const Warp& s, int i, int n, unsigned (&m)[S][3]) {
    return bank::flip_partners<S>(s, i, n, m);
  }
  template <int S, class Warp>
  static FMM_BANK_HD bool plus_transition(Warp& s, int& rank, int capacity, std::uint64_t r) {
    return bank::plus_transition<S>(s, rank, capacity, r);
  }
};

// Whether any two of the first `rank` terms share a factor (over {-1,0,1}: up to sign), i.e.
// whether a flip may exist, in domain D. rank x S x 3 votes: walk() asks only after several
// steps in a row found no flip.
template <class D, int S, class Warp>
FMM_BANK_HD bool has_flip(const Warp& s, int rank) {
  unsigned m[S][3];
  for (int i = 0; i < rank; ++i)
    if (D::template flip_partners<S>(s, i, rank, m) > 0) return true;
  return false;
}

// Draws at most this many terms per step until one shares a factor with another (a step that
// finds none is a step without a flip).
inline constexpr int kDrawsPerStep = 8;
// After this many steps in a row without a flip the walk asks whether any flip is left. Where
// none is (Strassen's scheme, and the rank-49 <4,4,4> schemes built from it, share no factor
// between terms), it leaves the plateau at once, as the CPU walk does (flip_walk.hpp), instead of
// drawing until plateau_limit: on the H200 a <4,4,4> GF(2) bank fell from 1 G to 4 M flips a
// second once its walkers sat on such schemes (results/search/gpu_walk/README.md, call 7).
inline constexpr int kDryStepsBeforeCheck = 4;

// Walks walker w, whose current scheme `s` holds (loaded by the caller), for up to `budget`
// steps with the moves of domain D (Gf2Moves or TernaryMoves); stops early once clock_ns()
// passes `stop_at_ns` (0 = never; polled every 1024 steps) or the walker reaches the target.
// Writes its best to the bank at each new best and its counters at the end (`lead`: this lane
// writes them; the caller stores the scheme).
template <class D, int S, class Warp>
FMM_BANK_HD void walk(const View& v, int w, Warp& s, std::uint64_t budget, const Params& p, std::uint64_t stop_at_ns,
                      bool lead) {
  const TermsOf<D::kWords> best{v.best + w, v.walkers};
  int rank = v.rank[w], best_rank = v.best_rank[w];
  std::uint64_t rng = v.rng[w], since = v.since_best[w], plus = v.plus[w], flips = 0;
  std::uint32_t improved = v.improved[w];
  int dry = 0;  // steps in a row without a flip
  for (std::uint64_t n = 0; n < budget; ++n) {
    if (p.target_rank && best_rank <= p.target_rank) break;
    if (stop_at_ns && (n & 1023) == 0 && clock_ns() >= stop_at_ns) break;
    bool flipped = false;
    for (int draw = 0; draw < kDrawsPerStep && !flipped; ++draw) flipped = D::template try_flip<S>(s, rank, rng);
    if (flipped) {
      ++flips;
      dry = 0;
    }
    // A dead end (checked once per stall: `dry` stays at the limit until a flip or a move away).
    const bool dead_end =
        !flipped && dry < kDryStepsBeforeCheck && ++dry == kDryStepsBeforeCheck && !bank::has_flip<D, S>(s, rank);
    ++since;
    if (rank < best_rank) {
      best_rank = rank;
      s.store(best, rank);
      improved = 1;
      since = 0;
    } else if (since >= p.plateau_limit || dead_end) {
      if (since >= p.plateau_limit) since = 0;
      dry = 0;
      bool climbed = false;
      if (best_rank < p.plus_from_rank && rank < best_rank + p.plus_slack)
        for (int attempt = 0; attempt < 16 && !climbed; ++attempt)
          climbed = D::template plus_transition<S>(s, rank, v.capacity, next_random(rng));
      if (climbed) ++plus;
      else {
        s.load(best, best_rank);
        rank = best_rank;
      }
    }
  }
  if (!lead) return;
  v.rank[w] = rank;
  v.best_rank[w] = best_rank;
  v.rng[w] = rng;
  v.since_best[w] = since;
  v.plus[w] = plus;
  v.flips[w] += flips;
  v.improved[w] = improved;
}

template <class D, int S, class F>
bool call_with_slots(F& f) {
  if constexpr (S <= D::kMaxSlots) {  // never compiled past the domain's largest (kMaxSlotsTernary)
    f.template operator()<S>();
    return true;
  } else {
    return false;
  }
}

// Calls f.template operator()<S>() with the slot count S for `capacity` in domain D (false: too
// large for D's walk).
template <class D, class F>
bool with_slots(int capacity, F&& f) {
  for (int S : kSlotChoices)
    if (capacity <= 32 * S) {
      switch (S) {
        case 1: return call_with_slots<D, 1>(f);
        case 2: return call_with_slots<D, 2>(f);
        case 3: return call_with_slots<D, 3>(f);
        case 4: return call_with_slots<D, 4>(f);
        case 6: return call_with_slots<D, 6>(f);
        case 8: return call_with_slots<D, 8>(f);
        case 12: return call_with_slots<D, 12>(f);
        case 17: return call_with_slots<D, 17>(f);
      }
    }
  return false;
}

// The host emulation of walker w: its warp loaded from the bank, walked, stored back.
template <class D, int S>
void walk_on_host(const View& v, int w, std::uint64_t budget, const Params& p, std::uint64_t stop_at_ns) {
  HostWarp<S, D::kWords> s;
  const TermsOf<D::kWords> cur{v.cur + w, v.walkers};
  s.load(cur, v.rank[w]);
  walk<D, S>(v, w, s, budget, p, stop_at_ns, true);
  s.store(cur, v.rank[w]);
}

}  // namespace fmm::search::bank
