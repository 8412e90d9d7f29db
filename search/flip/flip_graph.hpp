// A scheme as a vertex of the flip graph, with the incremental indices that make a random
// flip O(1).
//
// Flip graphs: M. Kauers, J. Moosbauer, "Flip graphs for matrix multiplication", ISSAC 2023
// (arXiv 2212.01175). A scheme is a sum of rank-one terms x (x) y (x) z. When two terms share
// a factor, a *flip* rewrites
//     x(x)y_i(x)z_i + x(x)y_j(x)z_j  ->  x(x)(y_i + y_j)(x)z_i + x(x)y_j(x)(z_j - z_i),
// which keeps the sum. When two terms come to share two factors, a *reduction* merges them
//     x(x)y(x)z_i + x(x)y(x)z_j  ->  x(x)y(x)(z_i + z_j)
// and the rank drops (by two if z_i + z_j = 0). To leave a plateau we use the "plus
// transition" of Arai, Ichikawa, Hukushima, "Adaptive flip graph algorithm for matrix
// multiplication", ISSAC 2024 (arXiv 2312.17394), which raises the rank by one:
//     a(x)b(x)c + a'(x)b'(x)c'  ->  (a-a')(x)b(x)c + a'(x)(b-b')(x)c + a'(x)b'(x)(c+c').
//
// Two coefficient domains share the code (Gf2Of and TernaryOf below), each over a mask type M
// of 1, 2 or 4 words (factor_mask.hpp: formats up to <16,16,16>); Gf2 and Ternary are the
// one-word instances that formats with nm, mp, np <= 64 use:
//  * Gf2:     a factor is one mask, addition is XOR (Kauers-Moosbauer's setting);
//  * Ternary: a factor is a pair of masks (+1 entries, -1 entries) over Z; a flip whose result
//             would leave {-1,0,1} is rejected (the setting of Perminov's ternary_flip_graph).
//    Each factor is kept with its lowest nonzero entry +1 and the term carries a sign, so
//    factors equal up to sign are found by the same exact-match index.
//
// Index: per factor kind (0 = u/A, 1 = v/B, 2 = w/C) a linear-probing hash table maps a factor
// value to a bucket listing the terms that have it; buckets holding >= 2 terms are listed in
// `multi_`, so a flip is drawn by picking a random entry of `multi_` and a random ordered pair
// in its bucket. Invariant between operations: no two terms share two factors (every such
// pair has been reduced), except in the ternary domain where a merge would leave {-1,0,1}.
#pragma once

#include <cassert>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "search/flip/factor_mask.hpp"

namespace fmm::search {

// GF(2) over masks M (std::uint64_t or WideMask<W>).
template <class M>
struct Gf2Of {
  using F = M;
  static constexpr bool kSigned = false;
  static constexpr int kWords = kMaskWords<M>;
  static bool zero(const F& x) { return mask_none(x); }
  // out = x + t*y; false when not representable (never over GF2).
  static bool add(const F& x, const F& y, int /*t*/, F& out) {
    out = x ^ y;
    return true;
  }
  static int canonicalize(F&) { return 1; }
  static std::uint64_t hash(const F& x) { return mask_hash(x); }
};
using Gf2 = Gf2Of<std::uint64_t>;

template <class M>
struct TernaryFactorOf {
  M p{}, n{};  // masks of +1 and -1 entries (disjoint)
  friend bool operator==(const TernaryFactorOf&, const TernaryFactorOf&) = default;
};
using TernaryFactor = TernaryFactorOf<std::uint64_t>;

template <class M>
struct TernaryOf {
  using F = TernaryFactorOf<M>;
  static constexpr bool kSigned = true;
  static constexpr int kWords = kMaskWords<M>;
  static bool zero(const F& x) { return mask_none(x.p | x.n); }
  static bool add(const F& x, F y, int t, F& out) {
    if (t < 0) std::swap(y.p, y.n);
    if (!mask_none((x.p & y.p) | (x.n & y.n))) return false;  // an entry would become +-2
    out.p = (x.p & ~y.n) | (y.p & ~x.n);
    out.n = (x.n & ~y.p) | (y.n & ~x.p);
    return true;
  }
  // Makes the lowest nonzero entry +1; returns the sign taken out.
  static int canonicalize(F& x) {
    if (mask_lowest_in(x.p | x.n, x.n)) {
      std::swap(x.p, x.n);
      return -1;
    }
    return 1;
  }
  static std::uint64_t hash(const F& x) { return mask_hash(x.p) ^ mask_hash(x.n, 1); }
};
using Ternary = TernaryOf<std::uint64_t>;

template <class C>
struct FlipTerm {
  typename C::F f[3];
  int sign = 1;  // always 1 over GF2
};

template <class C>
class FlipGraph {
 public:
  using F = typename C::F;
  using Term = FlipTerm<C>;

  // `capacity` bounds the rank this graph can hold (start rank plus room for plus transitions).
  // `factor_bits` bounds the entries of a factor (max of nm, mp, np): GF2 factors of at most
  // 16 bits are indexed by a direct-address table instead of the hash table (no probing).
  explicit FlipGraph(int capacity, int factor_bits = 64) : cap_(capacity) {
    direct_ = !C::kSigned && C::kWords == 1 && factor_bits <= kMaxDirectBits;
    stride_ = C::kWords == 1 ? cap_ : std::min(cap_, kInitialStride);
    int bits = 4;
    while ((1 << bits) < 4 * capacity) ++bits;
    shift_ = 64 - bits;
    mask_ = (1u << bits) - 1;
    for (int k = 0; k < 3; ++k) {
      fac_[k].assign(cap_, F{});
      bucket_of_[k].assign(cap_, -1);
      pos_[k].assign(cap_, 0);
      buckets_[k].assign(cap_, Bucket{});
      items_[k].assign(static_cast<std::size_t>(cap_) * stride_, 0);
      if (direct_) direct_table_[k].assign(std::size_t{1} << factor_bits, -1);
      else table_[k].assign(mask_ + 1, Slot{});
      free_[k].resize(cap_);
      nfree_[k] = 0;
      for (int b = cap_ - 1; b >= 0; --b) free_[k][nfree_[k]++] = b;
    }
    sign_.assign(cap_, 1);
    multi_.reserve(3 * cap_);
  }

  int capacity() const { return cap_; }
  // GF2 only (ignored over Z): merge every set of terms sharing a factor whose other factors of
  // one kind are linearly dependent, not only pairs with an equal one (reduce_dependent).
  void set_general_reductions(bool on) { general_ = on && !C::kSigned; }
  int rank() const { return rank_; }
  bool has_flip() const { return !multi_.empty(); }

  // Replaces the content; applies reductions, so the rank may come out lower.
  // The indices are rebuilt from scratch, so the graph's future moves depend only on `terms`
  // (and their order), not on the history that produced them: checkpoints rely on this.
  void assign(const std::vector<Term>& terms) {
    // A scheme larger than the graph would overrun its tables (the capacity is the run's start
    // rank plus the plus-transition slack): refuse it, in release builds too.
    if (terms.size() > static_cast<std::size_t>(cap_))
      throw std::length_error("flip graph: " + std::to_string(terms.size()) + " terms, capacity " + std::to_string(cap_));
    for (int k = 0; k < 3 && direct_; ++k)  // the direct tables hold exactly the present factors
      for (int t = 0; t < rank_; ++t) direct_table_[k][direct_key(fac_[k][t])] = -1;
    rank_ = 0;
    multi_.clear();
    nwork_ = 0;
    last_[0] = last_[1] = -1;
    for (int k = 0; k < 3; ++k) {
      if (!direct_) std::fill(table_[k].begin(), table_[k].end(), Slot{});
      nfree_[k] = 0;
      for (int b = cap_ - 1; b >= 0; --b) free_[k][nfree_[k]++] = b;
    }
    for (const Term& t : terms) {
      assert(rank_ < cap_);
      Term c = t;
      bool vanishes = false;
      for (int k = 0; k < 3; ++k) {
        if (C::zero(c.f[k])) vanishes = true;
        c.sign *= C::canonicalize(c.f[k]);
      }
      if (vanishes) continue;
      int id = append(c);
      for (int k = 0; k < 3; ++k) push_work(id, k);
      settle();
    }
  }

  std::vector<Term> terms() const {
    std::vector<Term> out(rank_);
    for (int t = 0; t < rank_; ++t) {
      for (int k = 0; k < 3; ++k) out[t].f[k] = fac_[k][t];
      out[t].sign = sign_[t];
    }
    return out;
  }

  // One random flip driven by the 64 random bits `r`. Returns false when none is possible or
  // (ternary) the drawn flip would leave {-1,0,1}.
  bool random_flip(std::uint64_t r) {
    const std::uint32_t nm = static_cast<std::uint32_t>(multi_.size());
    if (nm == 0) return false;
    const std::uint32_t e = multi_[(static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) * nm) >> 32];
    const int k = static_cast<int>(e >> 28);
    const int b = static_cast<int>(e & 0x0FFFFFFF);
    const std::uint32_t cnt = static_cast<std::uint32_t>(buckets_[k][b].count);
    const std::uint32_t ii = static_cast<std::uint32_t>(((r >> 32) & 0xFFFF) * cnt >> 16);
    std::uint32_t jj = static_cast<std::uint32_t>(((r >> 48) & 0x3FFF) * (cnt - 1) >> 14);
    if (jj >= ii) ++jj;
    const int* items = &items_[k][static_cast<std::size_t>(b) * stride_];
    return flip(k, items[ii], items[jj], r);
  }

  // A flip that involves one of the two terms the previous flip changed (drawn from `r`): with
  // the kind of the shared factor and the partner in that bucket at random. Reductions need a
  // few flips on the same few terms, which uniform draws rarely chain in a scheme of hundreds
  // of terms. Falls back to random_flip when neither term has a partner.
  bool focused_flip(std::uint64_t r) {
    const int t = last_[r & 1];
    if (t < 0) return random_flip(r);
    const int k0 = static_cast<int>(((r >> 1) & 0xFF) % 3);
    for (int d = 0; d < 3; ++d) {
      const int k = k0 + d < 3 ? k0 + d : k0 + d - 3;
      const int b = bucket_of_[k][t];
      const std::uint32_t cnt = static_cast<std::uint32_t>(buckets_[k][b].count);
      if (cnt < 2) continue;
      const std::uint32_t it = static_cast<std::uint32_t>(pos_[k][t]);
      std::uint32_t jj = static_cast<std::uint32_t>(((r >> 48) & 0x3FFF) * (cnt - 1) >> 14);
      if (jj >= it) ++jj;
      const int other = items_[k][static_cast<std::size_t>(b) * stride_ + jj];
      return (r >> 9) & 1 ? flip(k, t, other, r) : flip(k, other, t, r);
    }
    return random_flip(r);
  }

  // Flips terms i and j, which share factor k; bits 62 and 63 of r choose the orientation and
  // (ternary) the sign.
  bool flip(int k, int i, int j, std::uint64_t r) {
    // Which of the two other factors of i absorbs the other's: both orientations are flips.
    const bool swap_yz = (r >> 62) & 1;
    const int y = swap_yz ? kNext2[k] : kNext1[k];
    const int z = swap_yz ? kNext1[k] : kNext2[k];
    F ny, nz;
    if constexpr (C::kSigned) {
      // s_i x(x)y_i(x)z_i + s_j x(x)y_j(x)z_j
      //   = s_i x(x)(y_i + t y_j)(x)z_i + s_j x(x)y_j(x)(z_j - s_i s_j t z_i)
      const int t = (r >> 63) ? -1 : 1;
      if (!C::add(fac_[y][i], fac_[y][j], t, ny)) return false;
      if (!C::add(fac_[z][j], fac_[z][i], -sign_[i] * sign_[j] * t, nz)) return false;
    } else {
      ny = fac_[y][i] ^ fac_[y][j];
      nz = fac_[z][j] ^ fac_[z][i];
    }
    int ti = i, tj = j;
    track_[0] = &ti;
    track_[1] = &tj;
    set_factor(ti, y, ny);
    set_factor(tj, z, nz);
    settle();
    track_[0] = track_[1] = nullptr;
    last_[0] = ti;
    last_[1] = tj;
    return true;
  }

  // Plus transition on two terms drawn from `r`; false when the draw gives a zero factor or
  // (ternary) leaves {-1,0,1}, or there is no room.
  bool plus_transition(std::uint64_t r) {
    if (rank_ < 2 || rank_ >= cap_) return false;
    const std::uint32_t R = static_cast<std::uint32_t>(rank_);
    const int i = static_cast<int>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) * R) >> 32);
    int j = static_cast<int>(((r >> 32) & 0xFFFF) * (R - 1) >> 16);
    if (j >= i) ++j;
    const int rot = static_cast<int>(((r >> 48) & 0xFF) % 3);
    const int ka = rot, kb = kNext1[rot], kc = kNext2[rot];
    // Signs folded into the c factors: a(x)b(x)c~ + a'(x)b'(x)c~'.
    F a = fac_[ka][i], b = fac_[kb][i], c = fac_[kc][i];
    F a2 = fac_[ka][j], b2 = fac_[kb][j], c2 = fac_[kc][j];
    int si = sign_[i], sj = sign_[j];
    F amb, bmb, cpc;
    if (!C::add(a, a2, -1, amb) || !C::add(b, b2, -1, bmb) || !C::add(c, c2, si * sj, cpc)) return false;
    if (C::zero(amb) || C::zero(bmb) || C::zero(cpc)) return false;
    // (a - a')(x)b(x)c~  +  a'(x)(b - b')(x)c~  +  a'(x)b'(x)(c~ + c~')
    Term t1, t2, t3;
    t1.f[ka] = amb, t1.f[kb] = b, t1.f[kc] = c, t1.sign = si;
    t2.f[ka] = a2, t2.f[kb] = bmb, t2.f[kc] = c, t2.sign = si;
    t3.f[ka] = a2, t3.f[kb] = b2, t3.f[kc] = cpc, t3.sign = si;  // c~ + c~' = s_i (c + s_i s_j c')
    for (Term* t : {&t1, &t2, &t3})
      for (int k = 0; k < 3; ++k) t->sign *= C::canonicalize(t->f[k]);
    replace_term(i, t1);
    replace_term(j, t3);
    int n = append(t2);
    for (int k = 0; k < 3; ++k) push_work(i, k), push_work(j, k), push_work(n, k);
    settle();
    last_[0] = last_[1] = -1;
    return true;
  }

 private:
  struct Bucket {
    F key{};
    int count = 0;
    int multi_pos = -1;
    std::uint32_t slot = 0;  // where the hash table points at this bucket
  };
  // Hash-table slots carry the key, so a probe needs no second load.
  struct Slot {
    F key{};
    int bucket = -1;  // -1: empty
  };
  static constexpr int kNext1[3] = {1, 2, 0};
  static constexpr int kNext2[3] = {2, 0, 1};

  std::uint32_t home(const F& key) const { return static_cast<std::uint32_t>(C::hash(key) >> shift_); }

  std::uint32_t find_slot(int k, const F& key) const {
    const Slot* tab = table_[k].data();
    std::uint32_t s = home(key);
    while (tab[s].bucket >= 0 && !(tab[s].key == key)) s = (s + 1) & mask_;
    return s;
  }

  void erase_slot(int k, std::uint32_t s) {
    // Backward-shift deletion keeps linear probing free of tombstones.
    Slot* tab = table_[k].data();
    tab[s].bucket = -1;
    std::uint32_t i = s, j = (s + 1) & mask_;
    while (tab[j].bucket >= 0) {
      std::uint32_t h = home(tab[j].key);
      if (((j - h) & mask_) >= ((j - i) & mask_)) {
        tab[i] = tab[j];
        buckets_[k][tab[i].bucket].slot = i;
        tab[j].bucket = -1;
        i = j;
      }
      j = (j + 1) & mask_;
    }
  }

  static std::size_t direct_key(const F& key) {
    if constexpr (C::kSigned || C::kWords > 1) return 0;
    else return static_cast<std::size_t>(key);
  }

  [[gnu::always_inline]] inline void index_add(int k, int t) {
    const F& key = fac_[k][t];
    int b;
    if (direct_) {
      int& entry = direct_table_[k][direct_key(key)];
      b = entry;
      if (b < 0) {
        b = entry = free_[k][--nfree_[k]];
        buckets_[k][b] = Bucket{key, 0, -1, 0};
      }
    } else {
      const std::uint32_t s = find_slot(k, key);
      b = table_[k][s].bucket;
      if (b < 0) {
        b = free_[k][--nfree_[k]];
        table_[k][s] = Slot{key, b};
        buckets_[k][b] = Bucket{key, 0, -1, s};
      }
    }
    Bucket& B = buckets_[k][b];
    if constexpr (C::kWords > 1)
      if (B.count == stride_) [[unlikely]] widen_buckets();
    items_[k][static_cast<std::size_t>(b) * stride_ + B.count] = t;
    pos_[k][t] = B.count;
    bucket_of_[k][t] = b;
    if (++B.count == 2) {
      B.multi_pos = static_cast<int>(multi_.size());
      multi_.push_back((static_cast<std::uint32_t>(k) << 28) | static_cast<std::uint32_t>(b));
    }
  }

  [[gnu::always_inline]] inline void index_remove(int k, int t) {
    const int b = bucket_of_[k][t];
    Bucket& B = buckets_[k][b];
    int* items = &items_[k][static_cast<std::size_t>(b) * stride_];
    const int p = pos_[k][t];
    const int last = items[B.count - 1];
    items[p] = last;
    pos_[k][last] = p;
    if (--B.count == 1) {
      const std::uint32_t moved = multi_.back();
      multi_[B.multi_pos] = moved;
      buckets_[moved >> 28][moved & 0x0FFFFFFF].multi_pos = B.multi_pos;
      multi_.pop_back();
      B.multi_pos = -1;
    } else if (B.count == 0) {
      if (direct_) direct_table_[k][direct_key(B.key)] = -1;
      else erase_slot(k, B.slot);
      free_[k][nfree_[k]++] = b;
    }
  }

  int append(const Term& t) {
    assert(rank_ < cap_);
    int id = rank_++;
    for (int k = 0; k < 3; ++k) {
      fac_[k][id] = t.f[k];
      index_add(k, id);
    }
    sign_[id] = static_cast<std::int8_t>(t.sign);
    return id;
  }

  void replace_term(int id, const Term& t) {
    for (int k = 0; k < 3; ++k) {
      index_remove(k, id);
      fac_[k][id] = t.f[k];
      index_add(k, id);
    }
    sign_[id] = static_cast<std::int8_t>(t.sign);
  }

  // Removes term x; the last term moves into its slot. Tracked indices and the work list follow.
  void remove_term(int x) {
    const int last = rank_ - 1;
    for (int k = 0; k < 3; ++k) index_remove(k, x);
    if (x != last) {
      for (int k = 0; k < 3; ++k) {
        fac_[k][x] = fac_[k][last];
        const int b = bucket_of_[k][last];
        bucket_of_[k][x] = b;
        pos_[k][x] = pos_[k][last];
        items_[k][static_cast<std::size_t>(b) * stride_ + pos_[k][x]] = x;
      }
      sign_[x] = sign_[last];
    }
    --rank_;
    for (int*& tr : track_)
      if (tr) *tr = (*tr == x) ? -1 : (*tr == last ? x : *tr);
    for (int w = 0; w < nwork_; ++w) work_t_[w] = (work_t_[w] == x) ? -1 : (work_t_[w] == last ? x : work_t_[w]);
  }

  // Sets factor k of term t (t may be -1 when already removed); a zero factor removes the term.
  [[gnu::always_inline]] inline void set_factor(int t, int k, F value) {
    if (t < 0) return;
    int s = C::canonicalize(value);
    if (C::zero(value)) {
      remove_term(t);
      return;
    }
    index_remove(k, t);
    fac_[k][t] = value;
    sign_[t] = static_cast<std::int8_t>(sign_[t] * s);
    index_add(k, t);
    push_work(t, k);
  }

  // A bucket outgrew the stride of items_: doubles it (up to the capacity) for every kind. The
  // positions in each bucket stay, so the walk does not depend on when this happens.
  [[gnu::noinline]] void widen_buckets() {
    const int wider = std::min(cap_, 2 * stride_);
    for (int k = 0; k < 3; ++k) {
      std::vector<int> items(static_cast<std::size_t>(cap_) * wider, 0);
      for (int b = 0; b < cap_; ++b)
        std::copy_n(&items_[k][static_cast<std::size_t>(b) * stride_], stride_, &items[static_cast<std::size_t>(b) * wider]);
      items_[k] = std::move(items);
    }
    stride_ = wider;
  }

  void push_work(int t, int k) {
    if (nwork_ == kMaxWork) return;  // cannot happen in practice; a missed reduction is harmless
    work_t_[nwork_] = t;
    work_k_[nwork_] = k;
    ++nwork_;
  }

  // Merges every pair of terms sharing two factors, starting from the terms on the work list
  // (the only ones whose factors changed).
  void settle() {
    while (nwork_ > 0) {
      --nwork_;
      const int t = work_t_[nwork_], k = work_k_[nwork_];
      if (t < 0) continue;
      if (!merge_pair(t, k)) {
        if constexpr (!C::kSigned)
          if (general_) reduce_dependent(t, k);
      }
    }
  }

  // Merges t with a term that shares factor k and one other factor with it; true if it did.
  bool merge_pair(int t, int k) {
    const int b = bucket_of_[k][t];
    const int cnt = buckets_[k][b].count;
    if (cnt < 2) return false;
    const int* items = &items_[k][static_cast<std::size_t>(b) * stride_];
    for (int q = 0; q < cnt; ++q) {
      const int l = items[q];
      if (l == t) continue;
      int s = -1;
      if (fac_[kNext1[k]][l] == fac_[kNext1[k]][t]) s = kNext2[k];
      else if (fac_[kNext2[k]][l] == fac_[kNext2[k]][t]) s = kNext1[k];
      if (s < 0) continue;
      // s_t x(x)y(x)z_t + s_l x(x)y(x)z_l = x(x)y(x)(s_t z_t + s_l z_l)
      F merged;
      if (!C::add(fac_[s][t], fac_[s][l], sign_[t] * sign_[l], merged)) continue;
      int tt = t;
      int* saved = track_[2];
      track_[2] = &tt;
      remove_term(l);
      if (C::zero(merged)) {
        remove_term(tt);
      } else {
        // s_t z_t + s_l z_l = s_t (z_t + s_t s_l z_l) = s_t * merged: the term keeps its
        // sign s_t, times whatever canonicalising `merged` takes out.
        set_factor(tt, s, merged);
        push_work(tt, k);
      }
      track_[2] = saved;
      return true;
    }
    return false;
  }

  // The general reduction of Kauers-Moosbauer (flips repository, Scheme::reduce): terms
  // x(x)y_l(x)z_l, l in S, sharing x whose y's sum to zero (GF2) are
  //     sum_{l in S} x(x)y_l(x)z_l = sum_{l in S, l != r} x(x)y_l(x)(z_l + z_r),
  // one term fewer. Two terms with equal y is the case |S| = 2 (merge_pair, tried first), so
  // only buckets of three or more terms are searched here. Factor k of t changed, so a new
  // dependency involves t: among the y's of t's bucket of kind k (either other kind), or among
  // the k-factors of t's buckets of the two other kinds. Returns true when it reduced (the work
  // list then holds the changed terms).
  bool reduce_dependent(int t, int k) {
    const int kb_of[4] = {k, k, kNext1[k], kNext2[k]};
    const int ky_of[4] = {kNext1[k], kNext2[k], k, k};
    for (int c = 0; c < 4; ++c) {
      const int kb = kb_of[c], ky = ky_of[c];
      const int b = bucket_of_[kb][t];
      const int cnt = std::min(buckets_[kb][b].count, 64);
      if (cnt < 3) continue;
      const int* items = &items_[kb][static_cast<std::size_t>(b) * stride_];
      // Incremental echelon form over GF2 with the combination of bucket positions of each
      // row; t goes last, so a dependency among the others (pending work) is found as well.
      F basis[64];
      std::uint64_t comb[64];
      int pivot[64];
      int rows = 0;
      int order[64];
      int n = 0;
      const int tq = pos_[kb][t];
      for (int q = 0; q < cnt; ++q)
        if (q != tq) order[n++] = q;
      if (tq < cnt) order[n++] = tq;
      for (int o = 0; o < n; ++o) {
        const int q = order[o];
        F v = fac_[ky][items[q]];
        std::uint64_t m = std::uint64_t{1} << q;
        for (int i = 0; i < rows; ++i)
          if (mask_test(v, pivot[i])) v = v ^ basis[i], m ^= comb[i];
        if (C::zero(v)) {
          apply_dependency(kb, ky, items, m, q);
          return true;
        }
        basis[rows] = v;
        comb[rows] = m;
        pivot[rows] = mask_lowest_index(v);
        ++rows;
      }
    }
    return false;
  }

  // Applies the dependency `m` (bucket positions) found in bucket `items` of kind kb among the
  // ky-factors; position q (in m) is the term removed.
  void apply_dependency(int kb, int ky, const int* items, std::uint64_t m, int q) {
    const int kz = 3 - kb - ky;
    int r = items[q];
    const F zr = fac_[kz][r];
    int ids[64];
    int n = 0;
    for (std::uint64_t rest = m & ~(std::uint64_t{1} << q); rest; rest &= rest - 1) ids[n++] = items[__builtin_ctzll(rest)];
    int* saved = track_[2];
    track_[2] = &r;
    for (int i = 0; i < n; ++i) {
      if (fac_[kz][ids[i]] == zr) {
        // l and r share x and z: the pairwise merge x(x)(y_l + y_r)(x)z (both go if y_l = y_r).
        set_factor(ids[i], ky, fac_[ky][ids[i]] ^ fac_[ky][r]);
        remove_term(r);
        track_[2] = saved;
        return;
      }
    }
    for (int i = 0; i < n; ++i) set_factor(ids[i], kz, fac_[kz][ids[i]] ^ zr);
    remove_term(r);
    track_[2] = saved;
  }

  int cap_;
  int rank_ = 0;
  int shift_ = 0;
  std::uint32_t mask_ = 0;
  std::vector<F> fac_[3];
  std::vector<std::int8_t> sign_;
  std::vector<int> bucket_of_[3], pos_[3];
  std::vector<Bucket> buckets_[3];
  // Bucket b of kind k lists its terms at items_[k][b * stride_ ...]. One-word factors (ranks up
  // to 512 + slack) take the full capacity as stride, so the hot path has no bound check; wider
  // ones start at min(capacity, kInitialStride) and double it when a bucket needs more: the
  // capacity squared would take 200 MB a walker for <16,16,16> (rank 4096).
  static constexpr int kInitialStride = 64;
  int stride_ = 0;
  std::vector<int> items_[3];
  std::vector<int> free_[3];  // unused bucket ids: a stack of nfree_ entries
  int nfree_[3] = {0, 0, 0};
  std::vector<Slot> table_[3];
  static constexpr int kMaxDirectBits = 16;
  bool direct_ = false;
  bool general_ = false;  // GF2: reduce_dependent after the pairwise merges (set_general_reductions)
  std::vector<int> direct_table_[3];  // factor value -> bucket id, -1: absent (direct_ only)
  std::vector<std::uint32_t> multi_;
  static constexpr int kMaxWork = 64;
  int work_t_[kMaxWork] = {}, work_k_[kMaxWork] = {};
  int nwork_ = 0;
  int* track_[3] = {nullptr, nullptr, nullptr};
  int last_[2] = {-1, -1};  // the terms the last flip changed (-1: gone, or no flip since)
};

}  // namespace fmm::search
