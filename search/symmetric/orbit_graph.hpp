// The flip graph of G-invariant schemes of <n,n,n> over GF(2) (Moosbauer, Poole, "Flip graphs
// with symmetry and new matrix multiplication schemes", arXiv 2502.04514, section 3), with the
// incremental index that makes a random flip O(1), as flip/flip_graph.hpp does for the plain
// walk.
//
// Representation (symmetric_scheme.hpp's internal convention, where sigma is the rotation
// (a,b,c) -> (b,c,a)). A regular orbit is stored as G *slots*, one factor each. For G = 3 the
// slots x0, x1, x2 of an orbit hold its representative (x0, x1, x2); slot r is the first
// factor of image r = (x_r, x_{r+1}, x_{r+2}) (indices mod 3), the second factor of image r-1
// and the third of image r-2, so each slot value is stored once although three terms use it.
// For G = 6 slots 3..5 hold R x0, R x1, R x2 (rho = reversal), the three images rho sigma^r.
// Terms with a non-trivial stabiliser (cubes (a,a,a); under G = 6 also rho-fixed terms) are
// *fixed*: kept aside, never flipped (as in the paper's code, which keeps its diagonal cubes
// out of the walk).
//
// Because every factor of every image is some slot, one index serves all three factor kinds:
// a direct-address table (n <= 4, 16-bit factors) or a linear-probing hash table maps a factor
// value to the bucket of slots holding it; buckets with >= 2 slots are listed in `multi_`.
// Two slots p, q of different orbits with equal values are images T_p, T_q sharing their first
// factor a: the flip (Kauers-Moosbauer)
//     a(x)b(x)c + a(x)b'(x)c'  ->  a(x)(b+b')(x)c + a(x)b'(x)(c+c')
// changes exactly two slots, next(p) and prev(q), and, applied to those two slots, it is done on
// all |G| image pairs at once (the images of (T_p, T_q) under G are disjoint pairs), so the
// scheme stays invariant. For G = 6 the mirrored slots change the same way.
// Reductions: after a change, the changed slot's bucket is scanned for an image of another orbit
// sharing a second factor; the two orbits merge (rank - |G|, or - 2|G| when they cancel). An
// orbit that becomes a cube (x0 = x1 = x2) turns into fixed terms (G = 3: rank - 2); under
// G = 6 an orbit whose images pair up (x_r = x_{3+r}) cancels (rank - 6), as in the paper's code.
// Invariant between moves: no two images of different orbits share two factors.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "search/symmetric/symmetric_scheme.hpp"

namespace fmm::search {

template <int G>
class OrbitGraph {
  static_assert(G == 3 || G == 6, "orbits of the cyclic group (3) or cyclic x reversal (6)");

 public:
  // `max_rank` bounds the rank of the walked (non-fixed) part: the slots available.
  OrbitGraph(int n, int max_rank) : S_(n, G), cap_(std::max(2 * G, max_rank - max_rank % G)) {
    direct_ = n * n <= kMaxDirectBits;
    int bits = 4;
    while ((1 << bits) < 4 * cap_) ++bits;
    shift_ = 64 - bits;
    mask_ = (1u << bits) - 1;
    val_.assign(cap_, 0);
    bucket_of_.assign(cap_, -1);
    pos_.assign(cap_, 0);
    buckets_.assign(cap_, Bucket{});
    items_.assign(static_cast<std::size_t>(cap_) * cap_, 0);
    if (direct_) direct_table_.assign(std::size_t{1} << (n * n), -1);
    else table_.assign(mask_ + 1, Slot{});
    free_.resize(cap_);
    multi_.reserve(cap_);
    work_.reserve(64);
    reset_index();
  }

  int n() const { return S_.n(); }
  int capacity() const { return cap_; }
  int orbits() const { return norb_; }
  int rank() const { return static_cast<int>(fixed_.size()) + G * norb_; }
  bool has_flip() const { return !multi_.empty(); }

  // Replaces the content and applies every reduction (the rank may come out lower). The index
  // is rebuilt from scratch, so the future walk depends only on `s` (checkpoints rely on this).
  void assign(const SymmetricScheme& s) {
    assert(s.n == S_.n() && s.order == G);
    clear();
    for (const SymTerm& t : s.fixed) add_fixed(t);
    for (const SymTerm& t : s.orbits) {
      if (G * (norb_ + 1) > cap_) break;  // cannot happen for a scheme within max_rank
      SymFactor x[G];
      for (int r = 0; r < 3; ++r) x[r] = t[r];
      if constexpr (G == 6)
        for (int r = 0; r < 3; ++r) x[3 + r] = S_.reverse(t[r]);
      const int o = add_orbit(x);
      for (int r = 0; r < G; ++r) work_.push_back(G * o + r);
      settle();
    }
  }

  SymmetricScheme scheme() const {
    SymmetricScheme s;
    s.n = S_.n();
    s.order = G;
    s.fixed = fixed_;
    s.orbits.resize(norb_);
    for (int o = 0; o < norb_; ++o) s.orbits[o] = {val_[G * o], val_[G * o + 1], val_[G * o + 2]};
    return s;
  }

  // One random flip driven by the 64 random bits `r` (redrawn from `rng` when the drawn pair
  // lies in one orbit). False when no flip was found.
  bool random_flip(std::uint64_t r, std::uint64_t& rng) {
    const std::uint32_t nm = static_cast<std::uint32_t>(multi_.size());
    if (nm == 0) return false;
    for (int attempt = 0; attempt < kMaxDraws; ++attempt) {
      const int b = multi_[(static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) * nm) >> 32];
      const std::uint32_t cnt = static_cast<std::uint32_t>(buckets_[b].count);
      const std::uint32_t ii = static_cast<std::uint32_t>(((r >> 32) & 0xFFFF) * cnt >> 16);
      std::uint32_t jj = static_cast<std::uint32_t>(((r >> 48) & 0xFFFF) * (cnt - 1) >> 16);
      if (jj >= ii) ++jj;
      const int* items = &items_[static_cast<std::size_t>(b) * cap_];
      const int p = items[ii], q = items[jj];
      if (p / G != q / G) {
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
    if (norb_ < 2 || G * (norb_ + 1) > cap_) return false;
    const std::uint32_t ns = static_cast<std::uint32_t>(G * norb_);
    const int p = static_cast<int>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) * ns) >> 32);
    const int q = static_cast<int>(((r >> 32) * ns) >> 32);
    if (p / G == q / G) return false;
    const int p1 = next(p), p2 = prev(p), q1 = next(q), q2 = prev(q);
    if (val_[p] == val_[q] || val_[p1] == val_[q1] || val_[p2] == val_[q2]) return false;
    // The new orbit's representative is (a+a', b', c'); for G = 6 its mirror from the mirrored
    // slots (R is linear).
    SymFactor x[G];
    x[0] = val_[p] ^ val_[q], x[1] = val_[q1], x[2] = val_[q2];
    SymFactor pm_val = 0, pm1 = 0, pm2 = 0;
    int pm = 0, qm = 0;
    if constexpr (G == 6) {
      pm = mirror(p), qm = mirror(q);
      x[3] = val_[pm] ^ val_[qm], x[4] = val_[next(qm)], x[5] = val_[prev(qm)];
      pm_val = val_[pm], pm1 = val_[next(pm)] ^ val_[next(qm)], pm2 = val_[prev(qm)] ^ val_[prev(pm)];
    }
    const SymFactor np1 = val_[p1] ^ val_[q1], nq2 = val_[q2] ^ val_[p2], nq = val_[p];
    set_value(p1, np1);
    set_value(q, nq);
    set_value(q2, nq2);
    if constexpr (G == 6) {
      set_value(next(pm), pm1);
      set_value(qm, pm_val);
      set_value(prev(qm), pm2);
    }
    const int o = add_orbit(x);
    for (int r2 = 0; r2 < G; ++r2) work_.push_back(G * o + r2);
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
    int multi_pos = -1;
    std::uint32_t hslot = 0;  // where the hash table points at this bucket
  };
  struct Slot {
    SymFactor key = 0;
    int bucket = -1;  // -1: empty
  };
  static constexpr int kMaxDirectBits = 16;
  static constexpr int kMaxDraws = 8;

  // Slot arithmetic inside an orbit: the triple {0,1,2} (and {3,4,5} for G = 6).
  static int next(int s) { return (s % 3 == 2) ? s - 2 : s + 1; }
  static int prev(int s) { return (s % 3 == 0) ? s + 2 : s - 1; }
  static int mirror(int s) { return (s % 6 < 3) ? s + 3 : s - 3; }

  // The flip of images T_p and T_q (equal first factors), with all its images.
  void flip(int p, int q) {
    const int p1 = next(p), q1 = next(q), p2 = prev(p), q2 = prev(q);
    if constexpr (G == 6) {
      const int pm = mirror(p), qm = mirror(q);
      const int pm1 = next(pm), qm1 = next(qm), pm2 = prev(pm), qm2 = prev(qm);
      set_value(pm1, val_[pm1] ^ val_[qm1]);
      set_value(qm2, val_[qm2] ^ val_[pm2]);
    }
    set_value(p1, val_[p1] ^ val_[q1]);
    set_value(q2, val_[q2] ^ val_[p2]);
    settle();
  }

  std::uint32_t home(SymFactor key) const {
    return static_cast<std::uint32_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  void reset_index() {
    multi_.clear();
    nfree_ = 0;
    for (int b = cap_ - 1; b >= 0; --b) free_[nfree_++] = b;
  }

  void clear() {
    if (direct_) {
      for (int s = 0; s < G * norb_; ++s) direct_table_[val_[s]] = -1;
    } else {
      std::fill(table_.begin(), table_.end(), Slot{});
    }
    norb_ = 0;
    fixed_.clear();
    work_.clear();
    reset_index();
  }

  [[gnu::always_inline]] inline int find_or_make_bucket(SymFactor key) {
    if (direct_) {
      int& entry = direct_table_[key];
      if (entry < 0) {
        entry = free_[--nfree_];
        buckets_[entry] = Bucket{key, 0, -1, 0};
      }
      return entry;
    }
    Slot* tab = table_.data();
    std::uint32_t h = home(key);
    while (tab[h].bucket >= 0 && tab[h].key != key) h = (h + 1) & mask_;
    if (tab[h].bucket < 0) {
      const int b = free_[--nfree_];
      tab[h] = Slot{key, b};
      buckets_[b] = Bucket{key, 0, -1, h};
    }
    return tab[h].bucket;
  }

  void erase_hash_slot(std::uint32_t h) {
    // Backward-shift deletion keeps linear probing free of tombstones.
    Slot* tab = table_.data();
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

  [[gnu::always_inline]] inline void index_add(int s) {
    const int b = find_or_make_bucket(val_[s]);
    Bucket& B = buckets_[b];
    items_[static_cast<std::size_t>(b) * cap_ + B.count] = s;
    pos_[s] = B.count;
    bucket_of_[s] = b;
    if (++B.count == 2) {
      B.multi_pos = static_cast<int>(multi_.size());
      multi_.push_back(b);
    }
  }

  [[gnu::always_inline]] inline void index_remove(int s) {
    const int b = bucket_of_[s];
    Bucket& B = buckets_[b];
    int* items = &items_[static_cast<std::size_t>(b) * cap_];
    const int p = pos_[s];
    const int last = items[B.count - 1];
    items[p] = last;
    pos_[last] = p;
    if (--B.count == 1) {
      const int moved = multi_.back();
      multi_[B.multi_pos] = moved;
      buckets_[moved].multi_pos = B.multi_pos;
      multi_.pop_back();
      B.multi_pos = -1;
    } else if (B.count == 0) {
      if (direct_) direct_table_[B.key] = -1;
      else erase_hash_slot(B.hslot);
      free_[nfree_++] = b;
    }
  }

  [[gnu::always_inline]] inline void set_value(int s, SymFactor v) {
    index_remove(s);
    val_[s] = v;
    index_add(s);
    work_.push_back(s);
  }

  int add_orbit(const SymFactor* x) {
    const int o = norb_++;
    for (int r = 0; r < G; ++r) {
      val_[G * o + r] = x[r];
      index_add(G * o + r);
    }
    return o;
  }

  // Removes orbit o; the last orbit moves into its slots. Work entries follow.
  void remove_orbit(int o) {
    const int last = norb_ - 1;
    for (int r = 0; r < G; ++r) index_remove(G * o + r);
    if (o != last) {
      for (int r = 0; r < G; ++r) {
        const int from = G * last + r, to = G * o + r;
        val_[to] = val_[from];
        bucket_of_[to] = bucket_of_[from];
        pos_[to] = pos_[from];
        items_[static_cast<std::size_t>(bucket_of_[to]) * cap_ + pos_[to]] = to;
      }
    }
    --norb_;
    for (int& w : work_) {
      const int wo = w / G;
      if (wo == o) w = -1;
      else if (wo == last && w >= 0) w = G * o + w % G;
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
    const SymFactor* x = &val_[G * o];
    if (x[0] == x[1] && x[1] == x[2]) {
      // sigma-fixed: three copies of the cube (a,a,a) sum to one (and, G = 6, three of
      // (Ra,Ra,Ra) to one; the two cancel when Ra = a).
      const SymTerm cube{x[0], x[0], x[0]};
      SymTerm mirror_cube{};
      if constexpr (G == 6) mirror_cube = {x[3], x[3], x[3]};
      remove_orbit(o);
      add_fixed(cube);
      if constexpr (G == 6) add_fixed(mirror_cube);
      return true;
    }
    if constexpr (G == 6) {
      if (x[0] == x[3] && x[1] == x[4] && x[2] == x[5]) {  // every image twice: zero
        remove_orbit(o);
        return true;
      }
    }
    return false;
  }

  // Applies reductions until none is left, starting from the slots on the work list.
  void settle() {
    while (!work_.empty()) {
      const int s = work_.back();
      work_.pop_back();
      if (s < 0) continue;
      const int os = s / G;
      if (val_[s] == 0) {  // a zero factor: the orbit is zero (cannot happen from a valid flip)
        remove_orbit(os);
        continue;
      }
      if (collapse_if_degenerate(os)) continue;
      const int b = bucket_of_[s];
      const int cnt = buckets_[b].count;
      if (cnt < 2) continue;
      const int* items = &items_[static_cast<std::size_t>(b) * cap_];
      const SymFactor sn = val_[next(s)], sp = val_[prev(s)];
      for (int i = 0; i < cnt; ++i) {
        const int t = items[i];
        if (t / G == os) continue;
        int keep, other;  // slot of s's orbit that absorbs the matching slot of t's orbit
        if (val_[next(t)] == sn) keep = prev(s), other = prev(t);       // T_s = (a,b,c), T_t = (a,b,c')
        else if (val_[prev(t)] == sp) keep = next(s), other = next(t);  // T_s = (a,b,c), T_t = (a,b',c)
        else continue;
        merge(os, keep, other);
        break;
      }
    }
  }

  // Orbit `os` absorbs the orbit of slot `other`: slot `keep` += slot `other` (and mirrors).
  void merge(int os, int keep, int other) {
    const SymFactor merged = val_[keep] ^ val_[other];
    SymFactor merged_m = 0;
    if constexpr (G == 6) merged_m = val_[mirror(keep)] ^ val_[mirror(other)];
    const int ot = other / G, last = norb_ - 1;
    remove_orbit(ot);
    if (os == last) {  // orbit os moved into ot's slots
      keep = G * ot + keep % G;
      os = ot;
    }
    if (merged == 0) {  // the orbits were equal: both cancel
      remove_orbit(os);
      return;
    }
    set_value(keep, merged);
    if constexpr (G == 6) set_value(mirror(keep), merged_m);
  }

  Symmetry S_;
  int cap_;
  int norb_ = 0;
  int shift_ = 0;
  std::uint32_t mask_ = 0;
  bool direct_ = false;
  std::vector<SymFactor> val_;
  std::vector<int> bucket_of_, pos_;
  std::vector<Bucket> buckets_;
  std::vector<int> items_;  // bucket b's slots at [b * cap_, b * cap_ + count)
  std::vector<int> free_;   // unused bucket ids: a stack of nfree_ entries
  int nfree_ = 0;
  std::vector<Slot> table_;
  std::vector<int> direct_table_;  // factor value -> bucket id, -1: absent (direct_ only)
  std::vector<int> multi_;         // buckets holding >= 2 slots
  std::vector<int> work_;          // slots changed since the last settle
  std::vector<SymTerm> fixed_;
};

}  // namespace fmm::search
