#include "tensor/random_start.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "tensor/error.hpp"
#include "tensor/splitmix64.hpp"

namespace fmm {
namespace {

using Bits = std::vector<std::uint64_t>;  // a GF(2) vector, bit i of word i / 64

Bits zero_bits(int n) { return Bits(static_cast<std::size_t>((n + 63) / 64), 0); }
bool bit(const Bits& x, int i) { return (x[static_cast<std::size_t>(i / 64)] >> (i % 64)) & 1; }
void flip_bit(Bits& x, int i) { x[static_cast<std::size_t>(i / 64)] ^= std::uint64_t{1} << (i % 64); }
bool is_zero(const Bits& x) {
  for (auto w : x)
    if (w) return false;
  return true;
}
void add_into(Bits& x, const Bits& y) {
  for (std::size_t i = 0; i < x.size(); ++i) x[i] ^= y[i];
}
int lowest_bit(const Bits& x) {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i]) return static_cast<int>(i * 64) + __builtin_ctzll(x[i]);
  return -1;
}

Bits random_nonzero(int n, SplitMix64& rng) {
  Bits x = zero_bits(n);
  do {
    for (auto& w : x) w = rng.next();
    if (n % 64) x.back() &= (std::uint64_t{1} << (n % 64)) - 1;
  } while (is_zero(x));
  return x;
}

std::vector<Rational> to_rationals(const Bits& x, int n) {
  std::vector<Rational> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = bit(x, i) ? 1 : 0;
  return out;
}

}  // namespace

Scheme random_start_scheme(const Shape& shape, int dense_terms, std::uint64_t seed) {
  require_valid(shape);
  if (dense_terms < 0 || dense_terms > 4096)
    throw Error("a random start takes 0 to 4096 dense terms, not " + std::to_string(dense_terms));
  const int na = shape.a_size(), nb = shape.b_size(), nc = shape.c_size();
  // The residual, slice by slice: rows[a][b] is the row of M_a for B entry b, a vector over C.
  std::vector<std::vector<Bits>> rows(static_cast<std::size_t>(na), std::vector<Bits>(static_cast<std::size_t>(nb), zero_bits(nc)));
  for (int i = 0; i < shape.n; ++i)
    for (int j = 0; j < shape.m; ++j)
      for (int k = 0; k < shape.p; ++k)
        flip_bit(rows[static_cast<std::size_t>(shape.a_index(i, j))][static_cast<std::size_t>(shape.b_index(j, k))], shape.c_index(i, k));

  Scheme s(shape, Field::GF2);
  s.set_source("builtin:random:" + shape.str() + ":" + std::to_string(dense_terms) + ":" + std::to_string(seed));
  SplitMix64 rng{seed};
  for (int t = 0; t < dense_terms; ++t) {
    const Bits u = random_nonzero(na, rng), v = random_nonzero(nb, rng), w = random_nonzero(nc, rng);
    s.add_term(to_rationals(u, na), to_rationals(v, nb), to_rationals(w, nc));
    for (int a = 0; a < na; ++a)
      if (bit(u, a))
        for (int b = 0; b < nb; ++b)
          if (bit(v, b)) add_into(rows[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)], w);
  }
  // M_a = sum_b e_b (x) row_b. Eliminating a pivot: with x = row_r, for every other row e holding
  // the pivot, bm_r (x) x + bm_e (x) row_e = (bm_r + bm_e) (x) x + bm_e (x) (row_e + x), so row_e
  // takes x and bm_r takes bm_e; the popped pair is then a term e_a (x) bm_r (x) x.
  for (int a = 0; a < na; ++a) {
    struct Pair {
      Bits row, bmask;
    };
    std::vector<Pair> live;
    for (int b = 0; b < nb; ++b) {
      Bits& row = rows[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
      if (is_zero(row)) continue;
      Bits bm = zero_bits(nb);
      flip_bit(bm, b);
      live.push_back({std::move(row), std::move(bm)});
    }
    Bits ea = zero_bits(na);
    flip_bit(ea, a);
    while (!live.empty()) {
      Pair top = std::move(live.back());
      live.pop_back();
      const int pivot = lowest_bit(top.row);
      std::vector<Pair> kept;
      for (Pair& e : live) {
        if (bit(e.row, pivot)) {
          add_into(e.row, top.row);
          add_into(top.bmask, e.bmask);
        }
        if (!is_zero(e.row)) kept.push_back(std::move(e));
      }
      live = std::move(kept);
      s.add_term(to_rationals(ea, na), to_rationals(top.bmask, nb), to_rationals(top.row, nc));
    }
  }
  return s;
}

int random_start_max_rank(const Shape& shape, int dense_terms) {
  return dense_terms + shape.a_size() * std::min(shape.b_size(), shape.c_size());
}

}  // namespace fmm
