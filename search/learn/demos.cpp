#include "search/learn/demos.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "tensor/error.hpp"

namespace fmm::learn {

namespace {

// How many nonzeros a random factor of length `len` gets: mostly 1-4 (the terms of Strassen,
// Laderman and the flip-graph schemes are that sparse), sometimes more.
int random_support(int len, game::Rng& rng) {
  const double u = rng.uniform();
  int k = u < 0.35 ? 1 : u < 0.65 ? 2 : u < 0.83 ? 3 : u < 0.93 ? 4 : 5 + rng.below(std::max(1, len - 4));
  return std::min(k, len);
}

void random_factor(std::int8_t* out, int len, const Encoding& enc, game::Rng& rng) {
  std::fill(out, out + len, std::int8_t(0));
  const int k = random_support(len, rng);
  std::vector<int> idx(static_cast<size_t>(len));
  for (int i = 0; i < len; ++i) idx[size_t(i)] = i;
  for (int i = 0; i < k; ++i) std::swap(idx[size_t(i)], idx[size_t(i + rng.below(len - i))]);
  std::vector<int> nonzero;
  for (int c : enc.coefficients)
    if (c != 0) nonzero.push_back(c);
  for (int i = 0; i < k; ++i) out[idx[size_t(i)]] = std::int8_t(nonzero[size_t(rng.below(int(nonzero.size())))]);
}

// Small square integer matrices for changes of basis.
struct IntMat {
  int n = 0;
  std::vector<int> a;
  explicit IntMat(int size) : n(size), a(size_t(size) * size_t(size), 0) {
    for (int i = 0; i < n; ++i) at(i, i) = 1;
  }
  int& at(int i, int j) { return a[size_t(i) * size_t(n) + size_t(j)]; }
  int at(int i, int j) const { return a[size_t(i) * size_t(n) + size_t(j)]; }
};

// A random invertible matrix M and its inverse, as a product of elementary operations (row i +=
// s * row j, row swap, row negation), each undone on the inverse's columns: M' = E M gives
// M'^-1 = M^-1 E^-1. Entries stay small because there are few operations.
void random_invertible(int n, const Encoding& enc, game::Rng& rng, IntMat& m, IntMat& inv) {
  m = IntMat(n);
  inv = IntMat(n);
  if (n < 2) {
    if (enc.field != Field::GF2 && rng.below(2)) m.at(0, 0) = inv.at(0, 0) = -1;
    return;
  }
  const int ops = 1 + rng.below(2 * n);
  for (int o = 0; o < ops; ++o) {
    const int kind = rng.below(4), i = rng.below(n);
    int j = rng.below(n - 1);
    if (j >= i) ++j;
    if (kind <= 1) {  // row i += s row j
      const int s = enc.field == Field::GF2 || kind == 0 ? 1 : -1;
      for (int c = 0; c < n; ++c) m.at(i, c) += s * m.at(j, c);
      for (int r = 0; r < n; ++r) inv.at(r, j) -= s * inv.at(r, i);
    } else if (kind == 2) {  // swap rows i, j
      for (int c = 0; c < n; ++c) std::swap(m.at(i, c), m.at(j, c));
      for (int r = 0; r < n; ++r) std::swap(inv.at(r, i), inv.at(r, j));
    } else if (enc.field != Field::GF2) {  // negate row i
      for (int c = 0; c < n; ++c) m.at(i, c) = -m.at(i, c);
      for (int r = 0; r < n; ++r) inv.at(r, i) = -inv.at(r, i);
    }
  }
}

// out (r x c) = L^T-or-L (r x r) * F (r x c) * R (c x c), with `lt` choosing L^T.
void sandwich(const IntMat& l, bool lt, const std::int8_t* f, int rows, int cols, const IntMat& r, bool rt,
              std::vector<long>& out) {
  std::vector<long> tmp(size_t(rows) * size_t(cols), 0);
  for (int i = 0; i < rows; ++i)
    for (int k = 0; k < rows; ++k) {
      const long lik = lt ? l.at(k, i) : l.at(i, k);
      if (!lik) continue;
      for (int j = 0; j < cols; ++j) tmp[size_t(i) * size_t(cols) + size_t(j)] += lik * f[k * cols + j];
    }
  out.assign(size_t(rows) * size_t(cols), 0);
  for (int i = 0; i < rows; ++i)
    for (int k = 0; k < cols; ++k) {
      const long t = tmp[size_t(i) * size_t(cols) + size_t(k)];
      if (!t) continue;
      for (int j = 0; j < cols; ++j) out[size_t(i) * size_t(cols) + size_t(j)] += t * (rt ? r.at(j, k) : r.at(k, j));
    }
}

}  // namespace

game::Move random_term(const Shape& shape, const Encoding& enc, game::Rng& rng) {
  game::Move m;
  const int a = shape.a_size(), b = shape.b_size(), c = shape.c_size();
  m.coeffs.assign(size_t(a + b + c), 0);
  random_factor(m.coeffs.data(), a, enc, rng);
  random_factor(m.coeffs.data() + a, b, enc, rng);
  random_factor(m.coeffs.data() + a + b, c, enc, rng);
  game::canonicalize(m, shape);
  return m;
}

int curriculum_terms(int limit, double progress) {
  const double t = std::clamp(progress, 0.0, 1.0);
  return std::clamp(1 + int(std::floor(double(limit - 1) * t)), 1, std::max(1, limit));
}

int demo_term_limit(const Shape& shape, int cap) {
  const int classical = int(shape.classical_rank());
  return cap > 0 ? std::min(cap, classical) : classical;
}

Example synthetic_example(const Encoding& enc, const Shape& shape, int max_terms, int limit, int targets,
                          game::Rng& rng) {
  for (;;) {
    const int r = 1 + rng.below(std::max(1, max_terms));
    game::Tensor t(shape, enc.field);
    std::vector<game::Move> terms;
    for (int i = 0; i < r; ++i) {
      terms.push_back(random_term(shape, enc, rng));
      t.add(terms.back());
    }
    if (t.is_zero()) continue;  // over GF(2) random terms may cancel
    const int bound = game::rank_upper_bound(t);
    const int played = rng.below(std::max(1, limit - r + 1));
    Example ex;
    ex.state = encode_state(enc, t, played, limit, bound);
    ex.cost = float(std::min(r, bound));
    // Up to `targets` distinct terms (a partial shuffle), equal weights.
    const int k = std::min(targets, r);
    for (int i = 0; i < k; ++i) std::swap(terms[size_t(i)], terms[size_t(i + rng.below(r - i))]);
    for (int i = 0; i < k; ++i) {
      ex.targets.push_back(move_tokens(enc, shape, terms[size_t(i)]));
      ex.weights.push_back(1.0f / float(k));
    }
    return ex;
  }
}

std::optional<std::vector<game::Move>> change_basis(const Shape& shape, const Encoding& enc,
                                                    const std::vector<game::Move>& moves, game::Rng& rng) {
  const int n = shape.n, m = shape.m, p = shape.p;
  IntMat x(n), xi(n), y(m), yi(m), z(p), zi(p);
  random_invertible(n, enc, rng, x, xi);
  random_invertible(m, enc, rng, y, yi);
  random_invertible(p, enc, rng, z, zi);
  // U' = X^T U Y^-T, V' = Y^T V Z^-T, W' = X^-1 W Z (tensor/transform.hpp, "Change of basis").
  std::vector<game::Move> out;
  out.reserve(moves.size());
  std::vector<long> uu, vv, ww;
  const int a = shape.a_size(), b = shape.b_size();
  for (const game::Move& mv : moves) {
    const std::int8_t* f = mv.coeffs.data();
    sandwich(x, true, f, n, m, yi, true, uu);
    sandwich(y, true, f + a, m, p, zi, true, vv);
    sandwich(xi, false, f + a + b, n, p, z, false, ww);
    game::Move t;
    t.coeffs.reserve(mv.coeffs.size());
    for (const auto* part : {&uu, &vv, &ww})
      for (long c : *part) {
        if (enc.field == Field::GF2) c = ((c % 2) + 2) % 2;
        if (enc.token_of(int(std::clamp(c, -1000L, 1000L))) < 0) return std::nullopt;
        t.coeffs.push_back(std::int8_t(c));
      }
    game::canonicalize(t, shape);
    out.push_back(std::move(t));
  }
  return out;
}

Example scheme_example(const Encoding& enc, const Shape& shape, const std::vector<game::Move>& moves, int limit,
                       int targets, game::Rng& rng) {
  const int r = int(moves.size());
  if (r == 0) throw Error("learn: an empty scheme is no demonstration");
  std::vector<int> order(static_cast<size_t>(r));
  for (int i = 0; i < r; ++i) order[size_t(i)] = i;
  for (int i = r - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng.below(i + 1))]);
  const int played = rng.below(r);  // 0 .. r-1 terms already played
  game::Tensor t = game::Tensor::matmul(shape, enc.field);
  for (int i = 0; i < played; ++i) t.subtract(moves[size_t(order[size_t(i)])]);
  Example ex;
  ex.state = encode_state(enc, t, played, limit, game::rank_upper_bound(t));
  ex.cost = float(r - played);
  const int k = std::min(targets, r - played);
  for (int i = 0; i < k; ++i) {
    ex.targets.push_back(move_tokens(enc, shape, moves[size_t(order[size_t(played + i)])]));
    ex.weights.push_back(1.0f / float(k));
  }
  return ex;
}

}  // namespace fmm::learn
