#include "search/meta/basis_projection.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "tensor/error.hpp"
#include "tensor/transform.hpp"

namespace fmm::search::meta {
namespace {

using IntVec = std::vector<std::int64_t>;

// Integer arithmetic that throws OverflowError instead of wrapping (INT64_MIN counts as
// overflow, so every value here can be negated): a scheme with huge coefficients or
// denominators then loses its hyperplane candidates, never the projection.
std::int64_t mul(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r) || r == INT64_MIN)
    throw OverflowError("integer overflow in a projection's change of basis");
  return r;
}
std::int64_t add(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r) || r == INT64_MIN)
    throw OverflowError("integer overflow in a projection's change of basis");
  return r;
}

// Where an axis's lines are read, for the two sides of a product (see the header): the factor
// (0 = u, 1 = v, 2 = w) and whether its vectors along the axis are the matrix's columns (the
// axis is the factor's row index) or its rows.
struct Side {
  int factor;
  bool columns;
};
// `col` spans Q e_last, `inv` spans Q^-T e_last (header).
struct AxisSides {
  Side col, inv;
};
AxisSides sides_of(Axis axis) {
  switch (axis) {
    case Axis::N: return {{2, true}, {0, true}};    // W's columns, U's columns (index i)
    case Axis::M: return {{0, false}, {1, true}};   // U's rows, V's columns (index j)
    case Axis::P: return {{1, false}, {2, false}};  // V's rows, W's rows (index k)
  }
  return {{0, true}, {0, true}};
}

// Rows and columns of a factor matrix: u is n x m, v is m x p, w is n x p (row-major).
std::pair<int, int> factor_dims(const Shape& s, int factor) {
  return factor == 0 ? std::make_pair(s.n, s.m) : factor == 1 ? std::make_pair(s.m, s.p) : std::make_pair(s.n, s.p);
}

std::span<const Rational> factor_of(const Scheme& s, int r, int factor) {
  return factor == 0 ? s.u(r) : factor == 1 ? s.v(r) : s.w(r);
}

// The primitive integer vector of a nonzero rational one (first nonzero entry positive); over
// GF(2) the vector's entries modulo 2.
IntVec primitive(const std::vector<Rational>& x, bool gf2) {
  IntVec out(x.size());
  if (gf2) {
    for (size_t i = 0; i < x.size(); ++i) out[i] = x[i].is_zero() ? 0 : 1;
    return out;
  }
  std::int64_t lcm = 1;
  for (const Rational& c : x) lcm = mul(lcm / std::gcd(lcm, c.den()), c.den());
  std::int64_t g = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    out[i] = mul(x[i].num(), lcm / x[i].den());
    g = std::gcd(g, std::abs(out[i]));  // mul() never returns INT64_MIN
  }
  const auto lead = std::find_if(out.begin(), out.end(), [](std::int64_t c) { return c != 0; });
  const std::int64_t scale = *lead < 0 ? -g : g;
  for (auto& c : out) c /= scale;
  return out;
}

// The line spanned by the vectors of factor `side` of product r along the axis, or nullopt when
// they span nothing or more than a line.
std::optional<IntVec> line_of(const Scheme& s, int r, Side side) {
  const auto [rows, cols] = factor_dims(s.shape(), side.factor);
  const auto f = factor_of(s, r, side.factor);
  const bool gf2 = s.field() == Field::GF2;
  const int count = side.columns ? cols : rows, length = side.columns ? rows : cols;
  std::optional<std::vector<Rational>> first;
  for (int c = 0; c < count; ++c) {
    std::vector<Rational> x(length);
    bool zero = true;
    for (int i = 0; i < length; ++i) {
      x[i] = side.columns ? f[static_cast<size_t>(i) * cols + c] : f[static_cast<size_t>(c) * cols + i];
      if (gf2 && x[i].num() % 2 == 0) x[i] = 0;
      zero = zero && x[i].is_zero();
    }
    if (zero) continue;
    if (!first) {
      first = std::move(x);
      continue;
    }
    // Proportional to the first: x = t * first (over GF(2): equal).
    const auto lead = std::find_if(first->begin(), first->end(), [](const Rational& v) { return !v.is_zero(); });
    const Rational t = x[lead - first->begin()] / *lead;
    for (int i = 0; i < length; ++i)
      if (gf2 ? x[i].is_zero() != (*first)[i].is_zero() : !(x[i] == t * (*first)[i])) return std::nullopt;
  }
  if (!first) return std::nullopt;
  return primitive(*first, gf2);
}

std::int64_t dot(const IntVec& a, const IntVec& b) {
  std::int64_t d = 0;
  for (size_t i = 0; i < a.size(); ++i) d = add(d, mul(a[i], b[i]));
  return d;
}

// An integer matrix M of determinant +-1 with M a = e_last, for a primitive vector a: a's
// entries reduced against the smallest one by integer row operations (Euclid's algorithm on the
// vector), applied to the identity alongside.
std::vector<IntVec> unit_to_last(IntVec a) {
  const int d = static_cast<int>(a.size());
  std::vector<IntVec> m(d, IntVec(d, 0));
  for (int i = 0; i < d; ++i) m[i][i] = 1;
  for (;;) {
    int p = -1;
    for (int i = 0; i < d; ++i)
      if (a[i] != 0 && (p < 0 || std::abs(a[i]) < std::abs(a[p]))) p = i;
    if (p < 0) throw Error("projection: the zero vector spans no line");
    bool others = false;
    for (int i = 0; i < d; ++i) {
      if (i == p || a[i] == 0) continue;
      const std::int64_t q = a[i] / a[p];
      a[i] -= q * a[p];  // |q a[p]| <= |a[i]|
      for (int c = 0; c < d; ++c) m[i][c] = add(m[i][c], -mul(q, m[p][c]));
      others = true;
    }
    if (!others) {
      if (std::abs(a[p]) != 1) throw Error("projection: the line's vector is not primitive");
      std::swap(m[p], m[d - 1]);
      if (a[p] < 0)
        for (auto& c : m[d - 1]) c = -c;
      return m;
    }
  }
}

// Q with Q e_last on line `col` and Q^-T e_last on line `inv` (col . inv = +-1 over Z, odd over
// GF(2)): Q^-1 has the rows of M (M col = e_last) that are orthogonal to `col`, then `inv`.
RationalMatrix basis_for(const IntVec& col, IntVec inv) {
  if (dot(col, inv) < 0)
    for (auto& c : inv) c = -c;
  std::vector<IntVec> g = unit_to_last(col);
  g.back() = std::move(inv);
  const int d = static_cast<int>(col.size());
  RationalMatrix q_inverse(d, d);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) q_inverse(i, j) = g[i][j];
  return inverse(q_inverse);
}

bool pairs_to_one(const IntVec& a, const IntVec& b, bool gf2) {
  const std::int64_t d = dot(a, b);
  return gf2 ? d % 2 != 0 : (d == 1 || d == -1);
}

struct Candidate {
  int removed;  // products whose factor lies on one of the two lines
  IntVec col, inv;
};

// The pairs of lines that remove the most products, best first.
std::vector<Candidate> candidates_of(const Scheme& s, Axis axis, int keep) {
  const AxisSides sides = sides_of(axis);
  const bool gf2 = s.field() == Field::GF2;
  std::map<IntVec, std::vector<int>> col_lines, inv_lines;
  for (int r = 0; r < s.rank(); ++r) {
    try {
      if (auto l = line_of(s, r, sides.col)) col_lines[*l].push_back(r);
      if (auto l = line_of(s, r, sides.inv)) inv_lines[*l].push_back(r);
    } catch (const OverflowError&) {
      // coefficients too large to compare exactly: this product offers no line
    }
  }
  std::vector<Candidate> out;
  auto union_size = [](const std::vector<int>& x, const std::vector<int>& y) {
    std::vector<int> both;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(both));
    return static_cast<int>(x.size() + y.size() - both.size());
  };
  auto guarded = [](auto&& f) {
    try {
      f();
    } catch (const OverflowError&) {
      // a pair whose integers overflow is not a candidate
    }
  };
  for (const auto& [a, pa] : col_lines)
    for (const auto& [b, pb] : inv_lines)
      guarded([&] {
        if (pairs_to_one(a, b, gf2)) out.push_back({union_size(pa, pb), a, b});
      });
  // One line alone, the other side any line paired to it: the last row of M (M a = e_last)
  // has dot product 1 with a.
  for (const auto& [a, pa] : col_lines)
    guarded([&] { out.push_back({static_cast<int>(pa.size()), a, unit_to_last(a).back()}); });
  for (const auto& [b, pb] : inv_lines)
    guarded([&] { out.push_back({static_cast<int>(pb.size()), unit_to_last(b).back(), b}); });
  std::stable_sort(out.begin(), out.end(), [](const Candidate& x, const Candidate& y) { return x.removed > y.removed; });
  if (static_cast<int>(out.size()) > keep) out.resize(keep);
  return out;
}

}  // namespace

Scheme best_basis_projection(const Scheme& s, Axis axis, int candidates) {
  const int d = dim(s.shape(), axis);
  if (d < 2) throw Error("project: " + s.shape().str() + " has only one index along " + to_string(axis));
  const RankRing ring = ring_of(s);
  Scheme best = best_projection(s, axis);  // the coordinates first: they win ties
  auto offer = [&](Scheme t) {
    if (t.rank() < best.rank()) best = std::move(t);
  };
  for (const Candidate& c : candidates_of(s, axis, candidates)) {
    if (c.removed == 0) break;
    try {
      BasisChange basis{RationalMatrix::identity(s.shape().n), RationalMatrix::identity(s.shape().m),
                        RationalMatrix::identity(s.shape().p)};
      (axis == Axis::N ? basis.x : axis == Axis::M ? basis.y : basis.z) = basis_for(c.col, c.inv);
      // Over GF(2) the pairing is odd, not +-1: Q is then rational with odd denominators.
      const BasisRing basis_ring = s.field() == Field::GF2 ? BasisRing::Rational : BasisRing::Unimodular;
      Scheme t = project(change_basis(s, basis, basis_ring), axis, d - 1);
      if (!holds_in(t, ring)) continue;  // the change of basis left the scheme's ring
      if (ring != RankRing::GF2) t = as_ring(t, ring);
      offer(tidy(t, ring));
    } catch (const OverflowError&) {
      // the transformed coefficients overflow: this hyperplane is skipped, the others stand
    }
  }
  return best;
}

}  // namespace fmm::search::meta
