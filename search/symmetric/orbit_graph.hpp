// The flip graph of G-invariant schemes of <n,n,n> over GF(2) (Moosbauer, Poole, "Flip graphs
// with symmetry and new matrix multiplication schemes", arXiv 2502.04514, section 3), with the
// incremental index that makes a random flip O(1), as flip/flip_graph.hpp does for the plain
// walk.
//
// Representation (symmetric_scheme.hpp's internal convention, where sigma is the rotation
// (a,b,c) -> (b,c,a)). A regular orbit is stored as |G| *slots*, one factor each. Slots x0, x1,
// x2 hold its representative (x0, x1, x2); slot r is the first factor of image r =
// (x_r, x_{r+1}, x_{r+2}) (indices mod 3), the second factor of image r-1 and the third of
// image r-2: each slot value is stored once although three terms use it. For G = 6 a second
// triple holds R x0, R x1, R x2 (rho = reversal): the images rho sigma^r. Orbit o's triples
// start at slot kStride * o (and kStride * o + 4), so orbit, position and mirror of a slot are
// bit operations. Terms with a non-trivial stabiliser (cubes (a,a,a); under G = 6 also
// rho-fixed terms) are *fixed*: kept aside, never flipped (as in the paper's code, which keeps
// its diagonal cubes out of the walk).
//
// Because every factor of every image is some slot, one index serves all three factor kinds:
// a direct-address table (n <= 4, 16-bit factors) or a linear-probing hash table maps a factor
// value to the bucket of slots holding it (a doubly linked list through the slots, so the
// index stays a few kilobytes); buckets with >= 2 slots are listed in `multi_`. Two slots p, q
// of different orbits with equal values are images T_p, T_q sharing their first factor a: the
// flip (Kauers-Moosbauer)
//     a(x)b(x)c + a(x)b'(x)c'  ->  a(x)(b+b')(x)c + a(x)b'(x)(c+c')
// changes exactly two slots, next(p) and prev(q), and, applied to those two slots, it is done on
// all |G| image pairs at once (the images of (T_p, T_q) under G are disjoint pairs), so the
// scheme stays invariant. For G = 6 the mirrored slots change the same way.
// Reductions: after a change, the changed slot's bucket is scanned for an image of another orbit
// sharing a second factor; the two orbits merge (rank - |G|, or - 2|G| when they cancel). An
// orbit that becomes a cube (x0 = x1 = x2) turns into fixed terms (G = 3: rank - 2); under
// G = 6 an orbit whose images pair up (x_r = R x_r) cancels (rank - 6), as in the paper's code.
// Invariant between moves: no two images of different orbits share two factors.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "search/symmetric/symmetric_scheme.hpp"

namespace fmm::search {

template <int G>
class OrbitGraph {
  static_assert(G == 3 || G == 6, "orbits of the cyclic group (3) or cyclic x reversal (6)");

 public:
  // `max_rank` bounds the rank of the walked (non-fixed) part.
  OrbitGraph(int n, int max_rank) : S_(n, G), max_orbits_(std::max(2, max_rank / G + 1)) {
    const int slots = kStride * max_orbits_;
    direct_ = n * n <= kMaxDirectBits;
    int bits = 4;
    while ((1 << bits) < 4 * G * max_orbits_) ++bits;  // load <= 1/4: short probes and shifts
    shift_ = 64 - bits;
    mask_ = (1u << bits) - 1;
    val_.assign(slots, 0);
    bucket_of_.assign(slots, -1);
    next_in_.assign(slots, -1);
    prev_in_.assign(slots, -1);
    buckets_.assign(G * max_orbits_, Bucket{});
    if (direct_) direct_table_.assign(std::size_t{1} << (n * n), -1);
    else table_.assign(mask_ + 1, HashSlot{});
    free_.resize(G * max_orbits_);
    multi_.resize(G * max_orbits_);
    reset_index();
  }

  int n() const { return S_.n(); }
  int orbits() const { return norb_; }
  int rank() const { return static_cast<int>(fixed_.size()) + G * norb_; }
  bool has_flip() const { return nmulti_ > 0; }

  // Replaces the content and applies every reduction (the rank may come out lower). The index
  // is rebuilt from scratch, so the future walk depends only on `s` (checkpoints rely on this).
  void assign(const SymmetricScheme& s) {
    assert(s.n == S_.n() && s.order == G);
    clear();
    for (const SymTerm& t : s.fixed) add_fixed(t);
    for (const SymTerm& t : s.orbits) {
      if (norb_ + 1 > max_orbits_) break;  // cannot happen for a scheme within max_rank
      SymFactor x[G];
      for (int r = 0; r < 3; ++r) x[r] = t[r];
      if constexpr (G == 6)
        for (int r = 0; r < 3; ++r) x[3 + r] = S_.reverse(t[r]);
      const int o = add_orbit(x);
      for (int g = 0; g < G; ++g) push_work(slot(o, g));
      settle();
    }
  }

  SymmetricScheme scheme() const {
    SymmetricScheme s;
    s.n = S_.n();
    s.order = G;
    s.fixed = fixed_;
    s.orbits.resize(norb_);
    for (int o = 0; o < norb_; ++o) s.orbits[o] = {val_[slot(o, 0)], val_[slot(o, 1)], val_[slot(o, 2)]};
    return s;
  }

  // One random flip driven by the 64 random bits `r` (redrawn from `rng` when the drawn pair
  // lies in one orbit). False when no flip was found.
  bool random_flip(std::uint64_t r, std::uint64_t& rng) {
    const std::uint32_t nm = static_cast<std::uint32_t>(nmulti_);
    if (nm == 0) return false;
    for (int attempt = 0; attempt < kMaxDraws; ++attempt) {
      const Bucket& B = buckets_[multi_[(static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) * nm) >> 32]];
      int p, q;
      if (B.count == 2) {  // the common case: one ordered pair of two
        p = B.head, q = next_in_[p];
        if (r >> 63) std::swap(p, q);
      } else {
        // A uniform ordered pair (ii, jj), ii != jj, found by walking the bucket's list.
        const std::uint32_t cnt = static_cast<std::uint32_t>(B.count);
        const std::uint32_t ii = static_cast<std::uint32_t>(((r >> 32) & 0xFFFF) * cnt >> 16);
        std::uint32_t jj = static_cast<std::uint32_t>(((r >> 48) & 0xFFFF) * (cnt - 1) >> 16);
        if (jj >= ii) ++jj;
        p = q = -1;
        std::uint32_t k = 0;
        for (int t = B.head; p < 0 || q < 0; t = next_in_[t], ++k) {
          if (k == ii) p = t;
          if (k == jj) q = t;
        }
      }
      if (orbit_of(p) != orbit_of(q)) {
        flip(p, q);
        return true;
      }
      r = next_random(rng);
    }
    return false;
  }

  // Plus transition (Arai, Ichikawa, Hukushima, ISSAC 2024) on the images T_p, T_q of two
  // random slots of different orbits, done on all image pairs at once: rank + G.
  //     a(x)b(x)c + a'(x)b'(x)c' = a(x)(b+b')(x)c + a(x)b'(x)(c+c') + (a+a')(x)b'(x)c'
  // False when there is no room, or when the draw gives images sharing a factor (the paper's
  // code draws again then; so does the caller).
  bool plus_transition(std::uint64_t r) {
    if (norb_ < 2 || norb_ + 1 > max_orbits_) return false;
    const std::uint32_t ns = static_cast<std::uint32_t>(G * norb_);
    const int ip = static_cast<int>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) * ns) >> 32);
    const int iq = static_cast<int>(((r >> 32) * ns) >> 32);
    const int p = slot(ip / G, ip % G), q = slot(iq / G, iq % G);
    if (orbit_of(p) == orbit_of(q)) return false;
    const int p1 = next(p), p2 = prev(p), q1 = next(q), q2 = prev(q);
    if (val_[p] == val_[q] || val_[p1] == val_[q1] || val_[p2] == val_[q2]) return false;
    // The new orbit's representative is (a+a', b', c'); for G = 6 its mirror comes from the
    // mirrored slots (R is linear).
    SymFactor x[G];
    x[0] = val_[p] ^ val_[q], x[1] = val_[q1], x[2] = val_[q2];
    if constexpr (G == 6) {
      const int pm = mirror(p), qm = mirror(q);
      x[3] = val_[pm] ^ val_[qm], x[4] = val_[next(qm)], x[5] = val_[prev(qm)];
      const SymFactor a_m = val_[pm], b_m = val_[next(pm)] ^ val_[next(qm)], c_m = val_[prev(qm)] ^ val_[prev(pm)];
      set_value(next(pm), b_m);
      set_value(qm, a_m);
      set_value(prev(qm), c_m);
    }
    const SymFactor b = val_[p1] ^ val_[q1], c = val_[q2] ^ val_[p2], a = val_[p];
    set_value(p1, b);
    set_value(q, a);
    set_value(q2, c);
    const int o = add_orbit(x);
    for (int g = 0; g < G; ++g) push_work(slot(o, g));
    settle();
    return true;
  }

  static std::uint64_t next_random(std::uint64_t& state) {  // splitmix64 (flip_walk.hpp)
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  struct Bucket {
    SymFactor key = 0;
    int count = 0;
    int head = -1;            // first slot of the bucket's list (next_in_ links the rest)
    int multi_pos = -1;
    std::uint32_t hslot = 0;  // where the hash table points at this bucket
  };
  struct HashSlot {
    SymFactor key = 0;
    int bucket = -1;  // -1: empty
  };
  static constexpr int kMaxDirectBits = 16;
  static constexpr int kMaxDraws = 8;
  static constexpr int kStride = G == 3 ? 4 : 8;  // slots per orbit (one or two triples of 4)
  static constexpr int kShift = G == 3 ? 2 : 3;

  static int orbit_of(int s) { return s >> kShift; }
  static int slot(int o, int g) { return (o << kShift) + g + (g >= 3); }  // image g's first factor
  static int next(int s) { return (s & 3) == 2 ? s - 2 : s + 1; }
  static int prev(int s) { return (s & 3) == 0 ? s + 2 : s - 1; }
  static int mirror(int s) { return s ^ 4; }

  // The flip of images T_p and T_q (equal first factors), with all its images.
  void flip(int p, int q) {
    const int p1 = next(p), q2 = prev(q);
    if constexpr (G == 6) {
      const int pm1 = mirror(p1), qm2 = mirror(q2);
      set_value(pm1, val_[pm1] ^ val_[mirror(next(q))]);
      set_value(qm2, val_[qm2] ^ val_[mirror(prev(p))]);
    }
    set_value(p1, val_[p1] ^ val_[next(q)]);
    set_value(q2, val_[q2] ^ val_[prev(p)]);
    if (nwork_) settle();
  }

  std::uint32_t home(SymFactor key) const {
    return static_cast<std::uint32_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  void reset_index() {
    nmulti_ = 0;
    nfree_ = 0;
    for (int b = G * max_orbits_ - 1; b >= 0; --b) free_[nfree_++] = b;
  }

  void clear() {
    if (direct_) {
      for (int o = 0; o < norb_; ++o)
        for (int g = 0; g < G; ++g) direct_table_[val_[slot(o, g)]] = -1;
    } else {
      std::fill(table_.begin(), table_.end(), HashSlot{});
    }
    norb_ = 0;
    fixed_.clear();
    nwork_ = 0;
    reset_index();
  }

  [[gnu::always_inline]] inline int find_or_make_bucket(SymFactor key) {
    if (direct_) {
      int& entry = direct_table_[key];
      if (entry < 0) {
        entry = free_[--nfree_];
        buckets_[entry] = Bucket{key, 0, -1, -1, 0};
      }
      return entry;
    }
    HashSlot* tab = table_.data();
    std::uint32_t h = home(key);
    while (tab[h].bucket >= 0 && tab[h].key != key) h = (h + 1) & mask_;
    if (tab[h].bucket < 0) {
      const int b = free_[--nfree_];
      tab[h] = HashSlot{key, b};
      buckets_[b] = Bucket{key, 0, -1, -1, h};
    }
    return tab[h].bucket;
  }

  void erase_hash_slot(std::uint32_t h) {
    // Backward-shift deletion keeps linear probing free of tombstones.
    HashSlot* tab = table_.data();
    tab[h].bucket = -1;
    std::uint32_t i = h, j = (h + 1) & mask_;
    while (tab[j].bucket >= 0) {
      const std::uint32_t home_j = home(tab[j].key);
      if (((j - home_j) & mask_) >= ((j - i) & mask_)) {
        tab[i] = tab[j];
        buckets_[tab[i].bucket].hslot = i;
        tab[j].bucket = -1;
        i = j;
      }
      j = (j + 1) & mask_;
    }
  }

  // Returns the bucket's new count.
  [[gnu::always_inline]] inline int index_add(int s) {
    const int b = find_or_make_bucket(val_[s]);
    Bucket& B = buckets_[b];
    next_in_[s] = B.head;
    prev_in_[s] = -1;
    if (B.head >= 0) prev_in_[B.head] = s;
    B.head = s;
    bucket_of_[s] = b;
    if (++B.count == 2) {
      B.multi_pos = nmulti_;
      multi_[nmulti_++] = b;
    }
    return B.count;
  }

  [[gnu::always_inline]] inline void index_remove(int s) {
    const int b = bucket_of_[s];
    Bucket& B = buckets_[b];
    const int before = prev_in_[s], after = next_in_[s];
    if (before >= 0) next_in_[before] = after;
    else B.head = after;
    if (after >= 0) prev_in_[after] = before;
    if (--B.count == 1) {
      const int moved = multi_[--nmulti_];
      multi_[B.multi_pos] = moved;
      buckets_[moved].multi_pos = B.multi_pos;
      B.multi_pos = -1;
    } else if (B.count == 0) {
      if (direct_) direct_table_[B.key] = -1;
      else erase_hash_slot(B.hslot);
      free_[nfree_++] = b;
    }
  }

  // A slot alone in its bucket shares its value with no other image: no reduction and no
  // degenerate orbit (x0 = x1 = x2 puts three slots in one bucket) can involve it, so only
  // slots that land in a shared bucket (or become zero) go on the work list.
  [[gnu::always_inline]] inline void set_value(int s, SymFactor v) {
    index_remove(s);
    val_[s] = v;
    if (index_add(s) >= 2 || v == 0) push_work(s);
  }

  [[gnu::always_inline]] inline void push_work(int s) {
    if (nwork_ < kMaxWork) work_[nwork_++] = s;  // a flip queues <= 4; a full list cannot happen
  }

  int add_orbit(const SymFactor* x) {
    const int o = norb_++;
    for (int g = 0; g < G; ++g) {
      val_[slot(o, g)] = x[g];
      index_add(slot(o, g));
    }
    return o;
  }

  // Removes orbit o; the last orbit moves into its slots. Work entries follow.
  void remove_orbit(int o) {
    const int last = norb_ - 1;
    for (int g = 0; g < G; ++g) index_remove(slot(o, g));
    if (o != last) {
      for (int g = 0; g < G; ++g) {
        const int from = slot(last, g), to = slot(o, g);
        val_[to] = val_[from];
        const int b = bucket_of_[to] = bucket_of_[from];
        const int before = prev_in_[to] = prev_in_[from], after = next_in_[to] = next_in_[from];
        if (before >= 0) next_in_[before] = to;
        else buckets_[b].head = to;
        if (after >= 0) prev_in_[after] = to;
      }
    }
    --norb_;
    for (int i = 0; i < nwork_; ++i) {
      int& w = work_[i];
      if (w < 0) continue;
      if (orbit_of(w) == o) w = -1;
      else if (orbit_of(w) == last) w = (o << kShift) + (w & (kStride - 1));
    }
  }

  void add_fixed(const SymTerm& t) {
    // Two equal terms cancel over GF(2).
    auto it = std::find(fixed_.begin(), fixed_.end(), t);
    if (it != fixed_.end()) {
      *it = fixed_.back();
      fixed_.pop_back();
    } else {
      fixed_.push_back(t);
    }
  }

  // Orbit o has a non-trivial stabiliser now: replace it by what it sums to. True if it did.
  bool collapse_if_degenerate(int o) {
    const SymFactor* x = &val_[slot(o, 0)];
    if (x[0] == x[1] && x[1] == x[2]) {
      // sigma-fixed: three copies of the cube (a,a,a) sum to one (and, G = 6, three of
      // (Ra,Ra,Ra) to one; the two cancel when Ra = a).
      const SymTerm cube{x[0], x[0], x[0]};
      SymTerm mirror_cube{};
      if constexpr (G == 6) mirror_cube = {x[4], x[4], x[4]};
      remove_orbit(o);
      add_fixed(cube);
      if constexpr (G == 6) add_fixed(mirror_cube);
      return true;
    }
    if constexpr (G == 6) {
      if (x[0] == x[4] && x[1] == x[5] && x[2] == x[6]) {  // every image twice: zero
        remove_orbit(o);
        return true;
      }
    }
    return false;
  }

  // Applies reductions until none is left, starting from the slots on the work list.
  void settle() {
    while (nwork_ > 0) {
      const int s = work_[--nwork_];
      if (s < 0) continue;
      const int os = orbit_of(s);
      if (val_[s] == 0) {  // a zero factor: the orbit is zero (cannot happen from a valid flip)
        remove_orbit(os);
        continue;
      }
      if (collapse_if_degenerate(os)) continue;
      const Bucket& B = buckets_[bucket_of_[s]];
      if (B.count < 2) continue;
      const SymFactor sn = val_[next(s)], sp = val_[prev(s)];
      for (int t = B.head; t >= 0; t = next_in_[t]) {
        if (orbit_of(t) == os) continue;
        int keep, other;  // slot of s's orbit that absorbs the matching slot of t's orbit
        if (val_[next(t)] == sn) keep = prev(s), other = prev(t);       // T_s = (a,b,c), T_t = (a,b,c')
        else if (val_[prev(t)] == sp) keep = next(s), other = next(t);  // T_s = (a,b,c), T_t = (a,b',c)
        else continue;
        merge(keep, other);
        break;
      }
    }
  }

  // The orbit of slot `keep` absorbs the orbit of slot `other`: slot `keep` += slot `other`
  // (and the mirrors).
  void merge(int keep, int other) {
    const SymFactor merged = val_[keep] ^ val_[other];
    SymFactor merged_m = 0;
    if constexpr (G == 6) merged_m = val_[mirror(keep)] ^ val_[mirror(other)];
    const int ot = orbit_of(other), last = norb_ - 1;
    remove_orbit(ot);
    if (orbit_of(keep) == last) keep = (ot << kShift) + (keep & (kStride - 1));  // moved into ot's slots
    if (merged == 0) {  // the orbits were equal: both cancel
      remove_orbit(orbit_of(keep));
      return;
    }
    set_value(keep, merged);
    if constexpr (G == 6) set_value(mirror(keep), merged_m);
  }

  Symmetry S_;
  int max_orbits_;
  int norb_ = 0;
  int shift_ = 0;
  std::uint32_t mask_ = 0;
  bool direct_ = false;
  std::vector<SymFactor> val_;
  std::vector<int> bucket_of_;
  std::vector<int> next_in_, prev_in_;  // each bucket's slots as a doubly linked list
  std::vector<Bucket> buckets_;
  std::vector<int> free_;  // unused bucket ids: a stack of nfree_ entries
  int nfree_ = 0;
  std::vector<HashSlot> table_;
  std::vector<int> direct_table_;  // factor value -> bucket id, -1: absent (direct_ only)
  std::vector<int> multi_;         // buckets holding >= 2 slots: the first nmulti_ entries
  int nmulti_ = 0;
  static constexpr int kMaxWork = 64;
  int work_[kMaxWork] = {};  // slots changed since the last settle
  int nwork_ = 0;
  std::vector<SymTerm> fixed_;
};

}  // namespace fmm::search
