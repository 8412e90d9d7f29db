// Bit masks that hold one factor of a flip-graph term: bit x stands for entry x of a u, v or
// w factor (u: i*m+j, v: j*p+k, w: i*p+k). A format needs max(nm, mp, np) bits: one 64-bit word
// up to n, m, p <= 8, and up to four words (256 bits) for formats up to <16,16,16> (issue #12).
//
// The one-word mask is a plain std::uint64_t, so the small formats, where the walk spends its
// time, keep the code they had; WideMask<W> gives W > 1 words the same operators. The helpers
// below (mask_*) are overloaded for both, so the flip graph is written once.
#pragma once

#include <cstdint>

namespace fmm::search {

template <int W>
struct WideMask {
  static_assert(W >= 2, "one word is a plain std::uint64_t");
  std::uint64_t w[W] = {};

  friend WideMask operator^(WideMask a, const WideMask& b) {
    for (int i = 0; i < W; ++i) a.w[i] ^= b.w[i];
    return a;
  }
  friend WideMask operator&(WideMask a, const WideMask& b) {
    for (int i = 0; i < W; ++i) a.w[i] &= b.w[i];
    return a;
  }
  friend WideMask operator|(WideMask a, const WideMask& b) {
    for (int i = 0; i < W; ++i) a.w[i] |= b.w[i];
    return a;
  }
  friend WideMask operator~(WideMask a) {
    for (int i = 0; i < W; ++i) a.w[i] = ~a.w[i];
    return a;
  }
  friend bool operator==(const WideMask&, const WideMask&) = default;
};

// Words of a mask type.
template <class M>
inline constexpr int kMaskWords = 1;
template <int W>
inline constexpr int kMaskWords<WideMask<W>> = W;

// Most bits any mask type holds (four words: every format up to <16,16,16>).
inline constexpr int kMaxMaskWords = 4;

// Words needed for `bits` entries: 1, 2 or 4 (the instantiated widths); 0 when more than 256.
constexpr int mask_words_for(int bits) { return bits <= 64 ? 1 : bits <= 128 ? 2 : bits <= 256 ? 4 : 0; }

inline bool mask_none(std::uint64_t x) { return x == 0; }
template <int W>
bool mask_none(const WideMask<W>& x) {
  std::uint64_t any = 0;
  for (int i = 0; i < W; ++i) any |= x.w[i];
  return any == 0;
}

inline std::uint64_t mask_word(const std::uint64_t& x, int) { return x; }
template <int W>
std::uint64_t mask_word(const WideMask<W>& x, int i) {
  return x.w[i];
}
inline std::uint64_t& mask_word(std::uint64_t& x, int) { return x; }
template <int W>
std::uint64_t& mask_word(WideMask<W>& x, int i) {
  return x.w[i];
}

template <class M>
bool mask_test(const M& x, int bit) {
  return (mask_word(x, bit / 64) >> (bit % 64)) & 1;
}
template <class M>
void mask_set(M& x, int bit) {
  mask_word(x, bit / 64) |= std::uint64_t{1} << (bit % 64);
}

// True when the lowest set bit of `all` is also set in `sub`.
inline bool mask_lowest_in(std::uint64_t all, std::uint64_t sub) { return (all & (0 - all) & sub) != 0; }
template <int W>
bool mask_lowest_in(const WideMask<W>& all, const WideMask<W>& sub) {
  for (int i = 0; i < W; ++i)
    if (all.w[i]) return (all.w[i] & (0 - all.w[i]) & sub.w[i]) != 0;
  return false;
}

// Index of the lowest set bit (x must not be zero).
inline int mask_lowest_index(std::uint64_t x) { return __builtin_ctzll(x); }
template <int W>
int mask_lowest_index(const WideMask<W>& x) {
  for (int i = 0; i < W; ++i)
    if (x.w[i]) return 64 * i + __builtin_ctzll(x.w[i]);
  return -1;
}

// Multiplicative hashes whose HIGH bits depend on every bit of the mask (the index takes the
// top bits). `salt` picks one of two odd multipliers, so (p, n) pairs hash differently.
inline std::uint64_t mask_hash(std::uint64_t x, int salt = 0) {
  return x * (salt ? 0xC2B2AE3D27D4EB4FULL : 0x9E3779B97F4A7C15ULL);
}
template <int W>
std::uint64_t mask_hash(const WideMask<W>& x, int salt = 0) {
  std::uint64_t h = 0;
  for (int i = 0; i < W; ++i) h = (h ^ x.w[i]) * (salt ? 0xC2B2AE3D27D4EB4FULL : 0x9E3779B97F4A7C15ULL) + (h >> 29);
  return h;
}

}  // namespace fmm::search
