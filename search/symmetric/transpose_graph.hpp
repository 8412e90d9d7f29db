// The flip graph of tau-invariant schemes of <n,m,n> over GF(2) (transpose_scheme.hpp), with
// the interface of orbit_graph.hpp's OrbitGraph, so that symmetric_walk.hpp's walker and
// symmetric_search.cpp's search run it as the group of order 2.
//
// An orbit o is (U0, U1, W); its images are T0 = (U0, U1^T, W) and T1 = (U1, U0^T, W^T). Two
// indices find the flips in O(1), as OrbitGraph's one does:
//  * the u-index holds the two u-slots of every orbit (values U0, U1). Images T_p, T_q with equal
//    u-slots share their first factor, and their partners share their second (v = partner's
//    u^T), so this one index serves both factor kinds;
//  * the w-index holds W and W^T of every orbit (the third factors of T0 and T1).
// Moves, each applied to an image pair and, through the representatives, to its mirror:
//  * u-flip (T_p, T_q share u):  x(x)y(x)z + x(x)y'(x)z'  ->  x(x)(y+y')(x)z + x(x)y'(x)(z+z');
//  * w-flip (T_p, T_q share w):  x(x)y(x)z + x'(x)y'(x)z  ->  (x+x')(x)y(x)z + x'(x)(y+y')(x)z;
//    when T_p, T_q are the two images of one orbit (W symmetric) this is U0 += U1, a move the
//    cyclic group has no counterpart of;
//  * plus transition (Arai, Ichikawa, Hukushima 2024) on images of two orbits: rank + 2.
// Reductions: images of two orbits sharing u and v merge their w (rank - 2, or - 4 when they
// cancel); sharing u and w (or, mirrored, v and w) they merge the other factor. An orbit with
// U0 = U1 sums to the fixed term (U0, U0^T, W + W^T) (rank - 1) or to zero when W = W^T.
// Fixed terms are kept aside and never flipped, as the cyclic walk keeps its cubes.
// Invariant between moves: no two images of different orbits share two factors.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

#include "search/symmetric/transpose_scheme.hpp"

namespace fmm::search {

class TransposeGraph {
 public:
  TransposeGraph(int n, int m, int max_rank)
      : T_(n, m), max_orbits_(std::max(2, max_rank / 2 + 2)), u_(2 * max_orbits_), w_(2 * max_orbits_) {}

  int n() const { return T_.n(); }
  int orbits() const { return norb_; }
  int rank() const { return static_cast<int>(fixed_.size()) + 2 * norb_; }
  bool has_flip() const { return u_.multi() + w_.multi() > 0; }

  void assign(const SymmetricScheme& s) {
    clear();
    for (const SymTerm& t : s.fixed) add_fixed(t);
    for (const SymTerm& o : s.orbits) {
      if (norb_ + 1 > max_orbits_) break;  // cannot happen for a scheme within max_rank
      add_orbit(o[0], o[1], o[2]);
      settle();
    }
  }

  SymmetricScheme scheme() const {
    SymmetricScheme s;
    s.n = T_.n();
    s.m = T_.m();
    s.order = 2;
    s.fixed = fixed_;
    s.orbits.resize(static_cast<std::size_t>(norb_));
    for (int o = 0; o < norb_; ++o) s.orbits[static_cast<std::size_t>(o)] = {U(o, 0), U(o, 1), W(o)};
    return s;
  }

  bool random_flip(std::uint64_t r, std::uint64_t& rng) {
    const std::uint32_t nu = static_cast<std::uint32_t>(u_.multi()), nw = static_cast<std::uint32_t>(w_.multi());
    if (nu + nw == 0) return false;
    for (int attempt = 0; attempt < kMaxDraws; ++attempt) {
      const std::uint32_t pick = static_cast<std::uint32_t>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) * (nu + nw)) >> 32);
      const bool on_u = pick < nu;
      const auto [p, q] = (on_u ? u_ : w_).pair(on_u ? pick : pick - nu, r);
      const int o = p >> 1, g = p & 1, o2 = q >> 1, g2 = q & 1;
      if (on_u) {
        if (o != o2) {
          u_flip(o, g, o2, g2);
          return true;
        }
      } else {
        w_flip(o, g, o2, g2);
        return true;
      }
      r = next_random(rng);
    }
    return false;
  }

  // Images T_p = (a,b,c) of orbit o and T_q = (a',b',c') of orbit o2 sharing no factor:
  //     a(x)b(x)c + a'(x)b'(x)c' = a(x)(b+b')(x)c + a(x)b'(x)(c+c') + (a+a')(x)b'(x)c'.
  // With fixed terms, one plus transition in (fixed + 1) / (fixed + 1 + 2 orbits) involves one,
  // so the fixed part changes too (fixed_plus).
  bool plus_transition(std::uint64_t r) {
    if (norb_ + 1 > max_orbits_) return false;
    const std::uint32_t nf = static_cast<std::uint32_t>(fixed_.size());
    static const bool no_fixed_plus = std::getenv("FMM_EXP_NOFIXED") != nullptr;
    if (nf && !no_fixed_plus && (static_cast<std::uint32_t>(r >> 40) & 0xFFFF) * (nf + 1 + 2 * static_cast<std::uint32_t>(norb_)) >> 16 <= nf)
      return fixed_plus(r);
    if (norb_ < 2) return false;
    const std::uint32_t ns = static_cast<std::uint32_t>(2 * norb_);
    const int p = static_cast<int>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) * ns) >> 32);
    const int q = static_cast<int>(((r >> 32) * ns) >> 32);
    const int o = p >> 1, g = p & 1, o2 = q >> 1, g2 = q & 1;
    if (o == o2) return false;
    const SymFactor a = U(o, g), a2 = U(o2, g2), bp = U(o, 1 - g), bq = U(o2, 1 - g2);
    const SymFactor c = w_of(o, g), c2 = w_of(o2, g2);
    if (a == a2 || bp == bq || c == c2) return false;
    set_u(o, 1 - g, bp ^ bq);
    set_u(o2, g2, a);
    set_w_image(o2, g2, c ^ c2);
    add_orbit(a ^ a2, bq, c2);
    settle();
    return true;
  }

  // Plus transitions that change the fixed part (rank + 1), for a random fixed term
  // f = (x, x^T, s) (s symmetric):
  //  * an image (x, y, z) of an orbit shares its u:  f + (x,y,z) + (y^T,x^T,z^T) =
  //    (x+y^T, (x+y^T)^T, s) + (x, y, z+s) + (y^T, x^T, z^T+s) + (y^T, y, s);
  //  * else another fixed term (x', x'^T, s) shares its w:  f + f' = (x+x', (x+x')^T, s) + the
  //    orbit of (x, x'^T, s).
  bool fixed_plus(std::uint64_t r) {
    const std::size_t i = static_cast<std::size_t>(((r & 0xFFFFFFFF) * fixed_.size()) >> 32);
    const SymTerm f = fixed_[i];
    const SymFactor x = f[0], s = f[2];
    const int slot = u_.find(x);
    if (slot >= 0) {
      const int o = slot >> 1, g = slot & 1;
      const SymFactor yt = U(o, 1 - g);
      remove_fixed(i);
      set_w_image(o, g, w_of(o, g) ^ s);
      add_fixed({x ^ yt, T_.a_to_b(x ^ yt), s});
      add_fixed({yt, T_.a_to_b(yt), s});
      settle();
      return true;
    }
    for (std::size_t j = 0; j < fixed_.size(); ++j) {
      if (j == i || fixed_[j][2] != s) continue;
      const SymFactor x2 = fixed_[j][0];
      remove_fixed(std::max(i, j));
      remove_fixed(std::min(i, j));
      add_fixed({x ^ x2, T_.a_to_b(x ^ x2), s});
      add_orbit(x, x2, s);
      settle();
      return true;
    }
    return false;
  }

  static std::uint64_t next_random(std::uint64_t& state) {  // splitmix64 (flip_walk.hpp)
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  static constexpr int kMaxDraws = 8;

  // Values of slots 2*o + g, bucketed by value (linear probing), with the buckets of >= 2 slots
  // listed for drawing. Slot lists are doubly linked through the slots.
  class Index {
   public:
    explicit Index(int slots)
        : val_(static_cast<std::size_t>(slots), 0), bucket_of_(static_cast<std::size_t>(slots), -1),
          next_(static_cast<std::size_t>(slots), -1), prev_(static_cast<std::size_t>(slots), -1),
          buckets_(static_cast<std::size_t>(slots)), free_(static_cast<std::size_t>(slots)),
          multi_(static_cast<std::size_t>(slots)) {
      int bits = 4;
      while ((1 << bits) < 4 * slots) ++bits;
      shift_ = 64 - bits;
      mask_ = (1u << bits) - 1;
      table_.assign(mask_ + 1, HashSlot{});
      clear();
    }
    void clear() {
      std::fill(table_.begin(), table_.end(), HashSlot{});
      nmulti_ = 0;
      nfree_ = 0;
      for (int b = static_cast<int>(buckets_.size()) - 1; b >= 0; --b) free_[static_cast<std::size_t>(nfree_++)] = b;
    }
    int multi() const { return nmulti_; }
    SymFactor value(int s) const { return val_[static_cast<std::size_t>(s)]; }
    int head_of(int s) const { return buckets_[static_cast<std::size_t>(bucket_of_[static_cast<std::size_t>(s)])].head; }
    int next(int s) const { return next_[static_cast<std::size_t>(s)]; }
    // The first slot holding value v, or -1.
    int find(SymFactor v) const {
      std::uint32_t h = home(v);
      while (table_[h].bucket >= 0 && table_[h].key != v) h = (h + 1) & mask_;
      return table_[h].bucket < 0 ? -1 : buckets_[static_cast<std::size_t>(table_[h].bucket)].head;
    }

    void add(int s, SymFactor v) {
      val_[static_cast<std::size_t>(s)] = v;
      std::uint32_t h = home(v);
      while (table_[h].bucket >= 0 && table_[h].key != v) h = (h + 1) & mask_;
      if (table_[h].bucket < 0) {
        const int b = free_[static_cast<std::size_t>(--nfree_)];
        table_[h] = HashSlot{v, b};
        buckets_[static_cast<std::size_t>(b)] = Bucket{v, 0, -1, -1, h};
      }
      const int b = table_[h].bucket;
      Bucket& B = buckets_[static_cast<std::size_t>(b)];
      next_[static_cast<std::size_t>(s)] = B.head;
      prev_[static_cast<std::size_t>(s)] = -1;
      if (B.head >= 0) prev_[static_cast<std::size_t>(B.head)] = s;
      B.head = s;
      bucket_of_[static_cast<std::size_t>(s)] = b;
      if (++B.count == 2) {
        B.multi_pos = nmulti_;
        multi_[static_cast<std::size_t>(nmulti_++)] = b;
      }
    }
    void remove(int s) {
      const int b = bucket_of_[static_cast<std::size_t>(s)];
      Bucket& B = buckets_[static_cast<std::size_t>(b)];
      const int before = prev_[static_cast<std::size_t>(s)], after = next_[static_cast<std::size_t>(s)];
      if (before >= 0) next_[static_cast<std::size_t>(before)] = after;
      else B.head = after;
      if (after >= 0) prev_[static_cast<std::size_t>(after)] = before;
      if (--B.count == 1) {
        const int moved = multi_[static_cast<std::size_t>(--nmulti_)];
        multi_[static_cast<std::size_t>(B.multi_pos)] = moved;
        buckets_[static_cast<std::size_t>(moved)].multi_pos = B.multi_pos;
        B.multi_pos = -1;
      } else if (B.count == 0) {
        erase_hash_slot(B.hslot);
        free_[static_cast<std::size_t>(nfree_++)] = b;
      }
    }
    // A uniform ordered pair of distinct slots of multi bucket number k, from the bits of r.
    std::pair<int, int> pair(std::uint32_t k, std::uint64_t r) const {
      const Bucket& B = buckets_[static_cast<std::size_t>(multi_[k])];
      const std::uint32_t cnt = static_cast<std::uint32_t>(B.count);
      const std::uint32_t ii = static_cast<std::uint32_t>(((r >> 32) & 0xFFFF) * cnt >> 16);
      std::uint32_t jj = static_cast<std::uint32_t>(((r >> 48) & 0xFFFF) * (cnt - 1) >> 16);
      if (jj >= ii) ++jj;
      int p = -1, q = -1;
      std::uint32_t i = 0;
      for (int t = B.head; p < 0 || q < 0; t = next_[static_cast<std::size_t>(t)], ++i) {
        if (i == ii) p = t;
        if (i == jj) q = t;
      }
      return {p, q};
    }

   private:
    struct Bucket {
      SymFactor key = 0;
      int count = 0, head = -1, multi_pos = -1;
      std::uint32_t hslot = 0;
    };
    struct HashSlot {
      SymFactor key = 0;
      int bucket = -1;
    };
    std::uint32_t home(SymFactor key) const { return static_cast<std::uint32_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_); }
    void erase_hash_slot(std::uint32_t h) {  // backward-shift deletion, as OrbitGraph's
      table_[h].bucket = -1;
      std::uint32_t i = h, j = (h + 1) & mask_;
      while (table_[j].bucket >= 0) {
        const std::uint32_t home_j = home(table_[j].key);
        if (((j - home_j) & mask_) >= ((j - i) & mask_)) {
          table_[i] = table_[j];
          buckets_[static_cast<std::size_t>(table_[i].bucket)].hslot = i;
          table_[j].bucket = -1;
          i = j;
        }
        j = (j + 1) & mask_;
      }
    }
    std::vector<SymFactor> val_;
    std::vector<int> bucket_of_, next_, prev_;
    std::vector<Bucket> buckets_;
    std::vector<int> free_, multi_;
    std::vector<HashSlot> table_;
    int nfree_ = 0, nmulti_ = 0, shift_ = 0;
    std::uint32_t mask_ = 0;
  };

  SymFactor U(int o, int g) const { return u_.value(2 * o + g); }
  SymFactor W(int o) const { return w_.value(2 * o); }
  SymFactor w_of(int o, int g) const { return w_.value(2 * o + g); }  // the third factor of image g

  void clear() {
    u_.clear();
    w_.clear();
    norb_ = 0;
    nwork_ = 0;
    fixed_.clear();
  }

  void add_orbit(SymFactor u0, SymFactor u1, SymFactor w) {
    const int o = norb_++;
    u_.add(2 * o, u0);
    u_.add(2 * o + 1, u1);
    w_.add(2 * o, w);
    w_.add(2 * o + 1, T_.c_t(w));
    push_work(o);
  }

  void remove_orbit(int o) {
    const int last = norb_ - 1;
    for (int g = 0; g < 2; ++g) u_.remove(2 * o + g), w_.remove(2 * o + g);
    if (o != last) {
      const SymFactor u0 = U(last, 0), u1 = U(last, 1), w0 = w_of(last, 0), w1 = w_of(last, 1);
      for (int g = 0; g < 2; ++g) u_.remove(2 * last + g), w_.remove(2 * last + g);
      u_.add(2 * o, u0), u_.add(2 * o + 1, u1), w_.add(2 * o, w0), w_.add(2 * o + 1, w1);
    }
    --norb_;
    for (int i = 0; i < nwork_; ++i) {
      if (work_[i] == o) work_[i] = -1;
      else if (work_[i] == last) work_[i] = o;
    }
  }

  void set_u(int o, int g, SymFactor v) {
    u_.remove(2 * o + g);
    u_.add(2 * o + g, v);
    push_work(o);
  }
  // Sets the third factor of image g of orbit o to c (W = c for g = 0, c^T for g = 1).
  void set_w_image(int o, int g, SymFactor c) {
    const SymFactor w = g == 0 ? c : T_.c_t(c);
    w_.remove(2 * o), w_.remove(2 * o + 1);
    w_.add(2 * o, w), w_.add(2 * o + 1, T_.c_t(w));
    push_work(o);
  }

  void u_flip(int o, int g, int o2, int g2) {
    set_u(o, 1 - g, U(o, 1 - g) ^ U(o2, 1 - g2));
    set_w_image(o2, g2, w_of(o2, g2) ^ w_of(o, g));
    settle();
  }

  void w_flip(int o, int g, int o2, int g2) {
    if (o == o2) {  // the two images of one orbit (W symmetric)
      set_u(o, g, U(o, g) ^ U(o, g2));
    } else {
      const SymFactor x = U(o, g), x2 = U(o2, g2), y = U(o, 1 - g), y2 = U(o2, 1 - g2);
      set_u(o, g, x ^ x2);
      set_u(o2, 1 - g2, y2 ^ y);
    }
    settle();
  }

  void push_work(int o) {
    if (nwork_ < kMaxWork) work_[nwork_++] = o;
  }

  // Adds the fixed term (x, x^T, s); one with the same x takes it in (their w add; both go
  // when they cancel). The orbits whose W is s are queued: they may reduce with it now.
  void add_fixed(const SymTerm& t) {
    for (std::size_t j = 0; j < fixed_.size(); ++j)
      if (fixed_[j][0] == t[0]) {
        const SymFactor s = fixed_[j][2] ^ t[2];
        remove_fixed(j);
        if (s) add_fixed({t[0], t[1], s});
        return;
      }
    fixed_.push_back(t);
    for (int slot = w_.find(t[2]); slot >= 0; slot = w_.next(slot)) push_work(slot >> 1);
  }
  void remove_fixed(std::size_t j) {
    fixed_[j] = fixed_.back();
    fixed_.pop_back();
  }

  // Orbit o with a symmetric W = s against the fixed terms (x, x^T, s): with x = U_g the three
  // terms are two fixed ones (fixed_plus's first identity read backwards, rank - 1); with
  // x = U0 + U1 likewise (its second). True when o went.
  bool reduce_with_fixed(int o) {
    const SymFactor w = W(o);
    if (w != w_of(o, 1)) return false;
    const SymFactor u0 = U(o, 0), u1 = U(o, 1);
    for (std::size_t j = 0; j < fixed_.size(); ++j) {
      if (fixed_[j][2] != w) continue;
      const SymFactor x = fixed_[j][0];
      SymFactor a, b;
      if (x == u0) a = u0 ^ u1, b = u1;
      else if (x == u1) a = u0 ^ u1, b = u0;
      else if (x == (u0 ^ u1)) a = u0, b = u1;
      else continue;
      remove_fixed(j);
      remove_orbit(o);
      add_fixed({a, T_.a_to_b(a), w});
      add_fixed({b, T_.a_to_b(b), w});
      return true;
    }
    return false;
  }

  // Applies reductions until none is left, starting from the orbits on the work list.
  void settle() {
    while (nwork_ > 0) {
      const int o = work_[--nwork_];
      if (o < 0) continue;
      if (U(o, 0) == 0 || U(o, 1) == 0 || W(o) == 0) {  // a zero factor: both images are zero
        remove_orbit(o);
        continue;
      }
      if (U(o, 0) == U(o, 1)) {  // T0 + T1 = (a, a^T, W + W^T)
        const SymFactor a = U(o, 0), w = W(o) ^ w_of(o, 1);
        remove_orbit(o);
        if (w) add_fixed({a, T_.a_to_b(a), w});
        continue;
      }
      if (!fixed_.empty() && reduce_with_fixed(o)) continue;
      bool changed = false;
      for (int g = 0; g < 2 && !changed; ++g) {
        const int s = 2 * o + g;
        for (int t = u_.head_of(s); t >= 0; t = u_.next(t)) {
          const int o2 = t >> 1, g2 = t & 1;
          if (o2 == o) continue;
          if (U(o, 1 - g) == U(o2, 1 - g2)) {  // share u and v: merge w
            const SymFactor c = w_of(o, g) ^ w_of(o2, g2);
            int keep = o;
            remove_orbit(o2);
            if (keep == norb_) keep = o2;  // the last orbit moved into o2's place
            if (c == 0) remove_orbit(keep);
            else set_w_image(keep, g, c);
            changed = true;
            break;
          }
          if (w_of(o, g) == w_of(o2, g2)) {  // share u and w: merge v
            const SymFactor y = U(o, 1 - g) ^ U(o2, 1 - g2);
            int keep = o;
            remove_orbit(o2);
            if (keep == norb_) keep = o2;
            set_u(keep, 1 - g, y);
            changed = true;
            break;
          }
        }
      }
    }
  }

  TransposeMaps T_;
  int max_orbits_;
  int norb_ = 0;
  Index u_, w_;
  static constexpr int kMaxWork = 512;  // add_fixed queues every orbit whose W is its s
  int work_[kMaxWork] = {};
  int nwork_ = 0;
  std::vector<SymTerm> fixed_;
};

}  // namespace fmm::search
