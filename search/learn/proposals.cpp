#include "search/learn/proposals.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <numeric>

#include "search/game/game_rank.hpp"

namespace fmm::learn {

namespace {

// The residual's three flattenings: mode m's rows are the index along m, its columns the other two
// indices (o1 = m+1, o2 = m+2, mod 3) with o1 major. Removing a term changes each by a rank-one matrix.
struct Flattenings {
  std::array<int, 3> d{};
  std::array<std::vector<int>, 3> mat;
  bool gf2 = false;

  int reduce(int v) const { return gf2 ? ((v % 2) + 2) % 2 : v; }
  int rows(int m) const { return d[size_t(m)]; }
  int cols(int m) const { return d[size_t((m + 1) % 3)] * d[size_t((m + 2) % 3)]; }
  int rank(int m) const;
  // Sets mode m's flattening to `from`'s minus the term whose mode-k factor is factor[k].
  void subtract(const Flattenings& from, const std::array<const std::vector<int>*, 3>& factor, int m);
};

int exact_rank(const std::vector<int>& a, int rows, int cols, bool gf2) {
  return gf2 ? game::rank_over_gf2(a, rows, cols) : game::rank_over_q(a, rows, cols);
}

int Flattenings::rank(int m) const { return exact_rank(mat[size_t(m)], rows(m), cols(m), gf2); }

// The columns of `a` (rows x cols) restricted to `keep`, row-major.
std::vector<int> columns(const std::vector<int>& a, int rows, int cols, const std::vector<int>& keep) {
  std::vector<int> out;
  out.reserve(size_t(rows) * keep.size());
  for (int i = 0; i < rows; ++i)
    for (int j : keep) out.push_back(a[size_t(i * cols + j)]);
  return out;
}

void Flattenings::subtract(const Flattenings& from, const std::array<const std::vector<int>*, 3>& factor, int m) {
  const std::vector<int>& fm = *factor[size_t(m)];
  const std::vector<int>& f1 = *factor[size_t((m + 1) % 3)];
  const std::vector<int>& f2 = *factor[size_t((m + 2) % 3)];
  const int n2 = int(f2.size()), c = cols(m);
  std::vector<int>& out = mat[size_t(m)];
  const std::vector<int>& in = from.mat[size_t(m)];
  for (int i = 0; i < rows(m); ++i)
    for (int j = 0; j < c; ++j)
      out[size_t(i * c + j)] = reduce(in[size_t(i * c + j)] - fm[size_t(i)] * f1[size_t(j / n2)] * f2[size_t(j % n2)]);
}

// Every vector of F^n in a fixed order (a mixed-radix counter), `visit` called on each nonzero one.
template <class Visit>
void for_each_vector(int n, const std::vector<int>& f, Visit visit) {
  std::vector<int> digit(size_t(n), 0), v(size_t(n), f[0]);
  for (;;) {
    if (std::any_of(v.begin(), v.end(), [](int a) { return a != 0; })) visit(v);
    int k = 0;
    while (k < n && ++digit[size_t(k)] == int(f.size())) digit[size_t(k)] = 0, v[size_t(k)] = f[0], ++k;
    if (k == n) return;
    v[size_t(k)] = f[size_t(digit[size_t(k)])];
  }
}

int gcd_of(const std::vector<int>& v) {
  int g = 0;
  for (int a : v) g = std::gcd(g, std::abs(a));
  return g;
}

// A rank-one matrix X (rows x cols, nonzero) as f g^T with f, g primitive (gcd 1, first nonzero
// positive; over GF(2) the 0/1 row and column patterns). False when X has rank above 1.
bool rank_one_factors(const std::vector<int>& mat, int rows, int cols, bool gf2, std::vector<int>& f,
                      std::vector<int>& g) {
  if (exact_rank(mat, rows, cols, gf2) != 1) return false;
  int r0 = 0;
  while (std::all_of(mat.begin() + r0 * cols, mat.begin() + (r0 + 1) * cols, [](int a) { return a == 0; })) ++r0;
  g.assign(mat.begin() + r0 * cols, mat.begin() + (r0 + 1) * cols);
  const int gg = gcd_of(g);
  int c0 = 0;
  while (g[size_t(c0)] == 0) ++c0;
  const int sign = g[size_t(c0)] < 0 ? -1 : 1;
  for (int& a : g) a = a / gg * sign;
  f.assign(size_t(rows), 0);
  for (int r = 0; r < rows; ++r) f[size_t(r)] = mat[size_t(r) * size_t(cols) + size_t(c0)] / g[size_t(c0)];
  const int gf = gcd_of(f);
  int s0 = 0;
  while (f[size_t(s0)] == 0) ++s0;
  const int fsign = f[size_t(s0)] < 0 ? -1 : 1;
  for (int& a : f) a = a / gf * fsign;
  return true;
}

bool in_f(const std::vector<int>& v, const std::vector<int>& f) {
  return std::all_of(v.begin(), v.end(), [&](int a) { return std::find(f.begin(), f.end(), a) != f.end(); });
}

long count_vectors(int n, int base) {
  long c = 1;
  for (int i = 0; i < n && c <= kMaxEnumeration; ++i) c *= base;
  return c;
}

}  // namespace

std::vector<game::Move> rank_one_proposals(const game::Tensor& residual, const std::vector<int>& coefficients) {
  std::vector<game::Move> out;
  if (residual.is_zero()) return out;
  const Shape& shape = residual.shape();
  Flattenings t;
  t.d = {residual.dim(0), residual.dim(1), residual.dim(2)};
  t.gf2 = residual.field() == Field::GF2;
  for (int m = 0; m < 3; ++m) t.mat[size_t(m)].assign(size_t(t.rows(m)) * size_t(t.cols(m)), 0);
  std::array<int, 3> i{};
  for (i[0] = 0; i[0] < t.d[0]; ++i[0])
    for (i[1] = 0; i[1] < t.d[1]; ++i[1])
      for (i[2] = 0; i[2] < t.d[2]; ++i[2])
        for (int m = 0; m < 3; ++m) {
          const int o1 = (m + 1) % 3, o2 = (m + 2) % 3;
          t.mat[size_t(m)][size_t(i[size_t(m)] * t.cols(m) + i[size_t(o1)] * t.d[size_t(o2)] + i[size_t(o2)])] =
              residual.at(i[0], i[1], i[2]);
        }
  const std::array<int, 3> base = {t.rank(0), t.rank(1), t.rank(2)};
  std::vector<int> f(coefficients);
  std::sort(f.begin(), f.end());
  Flattenings rest = t;
  std::vector<int> mat, p, q;
  for (int m = 0; m < 3 && int(out.size()) < kMaxProposals; ++m) {
    const int n = t.d[size_t(m)], o1 = (m + 1) % 3, o2 = (m + 2) % 3, rows = t.d[size_t(o1)], cols = t.d[size_t(o2)];
    if (count_vectors(n, int(f.size())) > kMaxEnumeration) continue;
    // Pairs (p, q) from the rank-one contractions along mode m, distinct, in enumeration order: the
    // contraction by x is x^T times mode m's flattening, a row that is the rows x cols matrix.
    const std::vector<int>& flat = t.mat[size_t(m)];
    std::vector<std::pair<std::vector<int>, std::vector<int>>> pairs;
    for_each_vector(n, f, [&](const std::vector<int>& x) {
      if (*std::find_if(x.begin(), x.end(), [](int a) { return a != 0; }) < 0) return;  // x and -x: one contraction
      mat.assign(size_t(rows) * size_t(cols), 0);
      for (int a = 0; a < n; ++a)
        if (x[size_t(a)] != 0)
          for (int j = 0; j < rows * cols; ++j) mat[size_t(j)] += x[size_t(a)] * flat[size_t(a * rows * cols + j)];
      for (int& a : mat) a = t.reduce(a);
      if (std::all_of(mat.begin(), mat.end(), [](int a) { return a == 0; })) return;
      if (!rank_one_factors(mat, rows, cols, t.gf2, p, q) || !in_f(p, f) || !in_f(q, f)) return;
      if (std::find(pairs.begin(), pairs.end(), std::make_pair(p, q)) == pairs.end()) pairs.emplace_back(p, q);
    });
    // The third factor e: the terms e (x) p (x) q that lower the flattening ranks (header). Mode
    // m's rank can drop only if y = p (x) q lies in the row space of its flattening M; then every
    // row of M - e y^T does, and a row-space basis's pivot columns J give its rank: rank of the
    // n x rank(M) matrix M[:, J] - e y[J]^T, which is what is computed for each e.
    std::vector<int> pivots;
    for (int j = 0; j < rows * cols && int(pivots.size()) < base[size_t(m)]; ++j) {
      pivots.push_back(j);
      if (exact_rank(columns(flat, n, rows * cols, pivots), n, int(pivots.size()), t.gf2) < int(pivots.size()))
        pivots.pop_back();
    }
    const std::vector<int> m_j = columns(flat, n, rows * cols, pivots);  // the same for every pair
    const int r = int(pivots.size());
    std::vector<int> sub;
    for (const auto& [pp, qq] : pairs) {
      std::vector<int> with_y = flat;
      for (int a : pp)
        for (int b : qq) with_y.push_back(a * b);
      if (exact_rank(with_y, n + 1, rows * cols, t.gf2) > base[size_t(m)]) continue;
      const std::vector<int> y_j = columns(with_y, n + 1, rows * cols, pivots);  // its last row is y[J]
      for_each_vector(n, f, [&](const std::vector<int>& e) {
        if (int(out.size()) >= kMaxProposals) return;
        sub = m_j;
        for (int a = 0; a < n; ++a)
          for (int k = 0; k < r; ++k)
            sub[size_t(a * r + k)] = t.reduce(sub[size_t(a * r + k)] - e[size_t(a)] * y_j[size_t(n * r + k)]);
        const int along = exact_rank(sub, n, r, t.gf2);
        if (along >= base[size_t(m)]) return;
        std::array<const std::vector<int>*, 3> factor{};
        factor[size_t(m)] = &e;
        factor[size_t(o1)] = &pp;
        factor[size_t(o2)] = &qq;
        rest.subtract(t, factor, o1);
        rest.subtract(t, factor, o2);
        if (base[size_t(m)] - along + base[size_t(o1)] - rest.rank(o1) + base[size_t(o2)] - rest.rank(o2) < 2) return;
        game::Move move;
        for (const auto* v : factor)
          for (int a : *v) move.coeffs.push_back(std::int8_t(a));
        game::canonicalize(move, shape);
        if (std::find(out.begin(), out.end(), move) == out.end()) out.push_back(std::move(move));
      });
    }
  }
  return out;
}

}  // namespace fmm::learn
