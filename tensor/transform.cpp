#include "tensor/transform.hpp"

#include <cassert>
#include <map>
#include <sstream>
#include <utility>

#include "tensor/error.hpp"
#include "tensor/splitmix64.hpp"
#include "tensor/verify.hpp"

namespace fmm {
namespace {

using Vec = std::vector<Rational>;

Vec to_vec(std::span<const Rational> s) { return Vec(s.begin(), s.end()); }

bool is_zero(const Vec& x) {
  for (const auto& c : x)
    if (!c.is_zero()) return false;
  return true;
}

// The field of a result built from exact arithmetic on a scheme that claimed `claimed`.
Field result_field(Field claimed, const Scheme& out) {
  return claimed == Field::GF2 ? Field::GF2 : coefficient_field(out);
}

std::string label(const Scheme& s) { return s.source().empty() ? s.shape().str() : s.source(); }

// ---- Kronecker ----

// out = x (x) y for row-major matrices x (r1 x c1) and y (r2 x c2); out is (r1 r2) x (c1 c2)
// with row i1*r2+i2 and column j1*c2+j2.
void kron(std::span<const Rational> x, int r1, int c1, std::span<const Rational> y, int r2, int c2, Vec& out) {
  out.assign(static_cast<size_t>(r1) * r2 * c1 * c2, Rational(0));
  const int cols = c1 * c2;
  for (int i1 = 0; i1 < r1; ++i1)
    for (int j1 = 0; j1 < c1; ++j1) {
      const Rational& a = x[static_cast<size_t>(i1) * c1 + j1];
      if (a.is_zero()) continue;
      for (int i2 = 0; i2 < r2; ++i2)
        for (int j2 = 0; j2 < c2; ++j2) {
          const Rational& b = y[static_cast<size_t>(i2) * c2 + j2];
          if (b.is_zero()) continue;
          out[static_cast<size_t>(i1 * r2 + i2) * cols + (j1 * c2 + j2)] = a * b;
        }
    }
}

// ---- Symmetries ----

Scheme cyclic_once(const Scheme& s) {
  const Shape sh = s.shape();
  const int n = sh.n, m = sh.m, p = sh.p;
  Scheme out(Shape{m, p, n}, s.field());
  Vec u(static_cast<size_t>(m) * p), v(static_cast<size_t>(p) * n), w(static_cast<size_t>(m) * n);
  for (int r = 0; r < s.rank(); ++r) {
    auto su = s.u(r), sv = s.v(r), sw = s.w(r);
    for (int j = 0; j < m; ++j)
      for (int k = 0; k < p; ++k) u[j * p + k] = sv[j * p + k];  // A' = B
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < p; ++k) v[k * n + i] = sw[i * p + k];  // B' = C^T
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < m; ++j) w[j * n + i] = su[i * m + j];  // C' = A^T
    out.add_term(u, v, w);
  }
  return out;
}

Scheme transpose_once(const Scheme& s) {
  const Shape sh = s.shape();
  const int n = sh.n, m = sh.m, p = sh.p;
  Scheme out(Shape{p, m, n}, s.field());
  Vec u(static_cast<size_t>(p) * m), v(static_cast<size_t>(m) * n), w(static_cast<size_t>(p) * n);
  for (int r = 0; r < s.rank(); ++r) {
    auto su = s.u(r), sv = s.v(r), sw = s.w(r);
    for (int j = 0; j < m; ++j)
      for (int k = 0; k < p; ++k) u[k * m + j] = sv[j * p + k];  // A' = B^T
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < m; ++j) v[j * n + i] = su[i * m + j];  // B' = A^T
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < p; ++k) w[k * n + i] = sw[i * p + k];  // C' = C^T
    out.add_term(u, v, w);
  }
  return out;
}

Scheme finish_symmetry(Scheme out, const Scheme& in, const std::string& what) {
  out.set_source(in.source().empty() ? what : in.source() + " | " + what);
  require_verified(out, what + " of " + label(in));
  return out;
}

// ---- Matrices ----


// Reads a factor as an rows x cols matrix, and writes one back.
RationalMatrix as_matrix(std::span<const Rational> f, int rows, int cols) {
  RationalMatrix x(rows, cols);
  std::copy(f.begin(), f.end(), x.a.begin());
  return x;
}

void require_invertible_mod2(const RationalMatrix& x, const char* name) {
  for (const auto& c : x.a)
    if (c.den() % 2 == 0)
      throw Error(std::string("change of basis: ") + name + " has an even denominator; a GF2 scheme needs matrices "
                  "invertible modulo 2");
  Rational d = determinant(x);
  if (d.num() % 2 == 0)
    throw Error(std::string("change of basis: ") + name + " has even determinant " + d.str() +
                ", not invertible modulo 2 (needed for a GF2 scheme)");
}

void check_basis_matrix(const RationalMatrix& x, int size, const char* name, BasisRing ring) {
  if (x.rows != size || x.cols != size)
    throw Error(std::string("change of basis: ") + name + " must be " + std::to_string(size) + "x" +
                std::to_string(size) + ", got " + std::to_string(x.rows) + "x" + std::to_string(x.cols));
  Rational d = determinant(x);
  if (ring == BasisRing::Unimodular) {
    if (!x.all_integer())
      throw Error(std::string("change of basis: ") + name + " = " + x.str() +
                  " has non-integer entries; unimodular matrices are integer (allow rational matrices to use it)");
    if (!(d == Rational(1) || d == Rational(-1)))
      throw Error(std::string("change of basis: ") + name + " = " + x.str() + " has determinant " + d.str() +
                  ", not +-1: not unimodular");
  } else if (d.is_zero()) {
    throw Error(std::string("change of basis: ") + name + " = " + x.str() + " is singular");
  }
}

// ---- Simplification ----

struct Term {
  Vec f[3];  // u, v, w
};

// The first nonzero entry (the vector must not be zero).
const Rational& lead(const Vec& x) {
  for (const auto& c : x)
    if (!c.is_zero()) return c;
  assert(false && "lead() of a zero vector");
  return x.front();
}

void reduce2(Vec& x) {
  for (auto& c : x) c = Rational(c.num() & 1);  // GF2 schemes are reduced to 0/1 first
}

// One merging pass over the factor pair (a, b); the third factor c absorbs the merged terms.
// Returns whether anything merged.
bool merge_pass(std::vector<Term>& terms, int a, int b, bool gf2, bool keep_integer) {
  const int c = 3 - a - b;
  std::map<std::pair<Vec, Vec>, size_t> seen;  // normalised (f[a], f[b]) -> index of the surviving term
  std::vector<bool> dead(terms.size(), false);
  bool merged = false;
  for (size_t t = 0; t < terms.size(); ++t) {
    auto key = std::make_pair(normalised_factor(terms[t].f[a]), normalised_factor(terms[t].f[b]));
    auto [it, inserted] = seen.emplace(std::move(key), t);
    if (inserted) continue;
    size_t r = it->second;
    // term t = (ratio) * (f_a(r) (x) f_b(r)) (x) f_c(t) with ratio = (lead_a(t)/lead_a(r)) (lead_b(t)/lead_b(r)).
    Rational ratio = (lead(terms[t].f[a]) / lead(terms[r].f[a])) * (lead(terms[t].f[b]) / lead(terms[r].f[b]));
    size_t into = r, from = t;
    if (keep_integer && !ratio.is_integer()) {
      // Merge the other way round if that keeps the coefficients integer, else leave both.
      Rational inv = Rational(1) / ratio;
      if (!inv.is_integer()) continue;
      ratio = inv;
      into = t;
      from = r;
      it->second = t;
    }
    Vec& dst = terms[into].f[c];
    const Vec& src = terms[from].f[c];
    for (size_t i = 0; i < dst.size(); ++i) dst[i] += ratio * src[i];
    if (gf2) reduce2(dst);
    dead[from] = true;
    merged = true;
  }
  if (merged) {
    std::vector<Term> kept;
    for (size_t t = 0; t < terms.size(); ++t)
      if (!dead[t]) kept.push_back(std::move(terms[t]));
    terms = std::move(kept);
  }
  return merged;
}

bool drop_zero_terms(std::vector<Term>& terms) {
  size_t before = terms.size();
  std::erase_if(terms, [](const Term& t) { return is_zero(t.f[0]) || is_zero(t.f[1]) || is_zero(t.f[2]); });
  return terms.size() != before;
}

}  // namespace

// ---- Kronecker ----

Scheme kronecker(const Scheme& a_in, const Scheme& b_in) {
  Scheme a = a_in, b = b_in;
  Field field;
  if (a.field() == Field::GF2 || b.field() == Field::GF2) {
    // Identities that hold modulo 2 only combine with others modulo 2.
    if (a.field() != Field::GF2) a = reduce_mod2(a);
    if (b.field() != Field::GF2) b = reduce_mod2(b);
    field = Field::GF2;
  } else {
    field = (a.field() == Field::Q || b.field() == Field::Q) ? Field::Q : Field::Z;
  }
  const Shape sa = a.shape(), sb = b.shape();
  const Shape shape{sa.n * sb.n, sa.m * sb.m, sa.p * sb.p};
  if (!shape.valid())
    throw Error("kronecker: " + sa.str() + " x " + sb.str() + " = " + shape.str() + " exceeds the largest dimension " +
                std::to_string(kMaxDim));
  Scheme out(shape, field);
  out.set_source("kronecker(" + label(a) + ", " + label(b) + ")");
  Vec u, v, w;
  for (int r1 = 0; r1 < a.rank(); ++r1)
    for (int r2 = 0; r2 < b.rank(); ++r2) {
      kron(a.u(r1), sa.n, sa.m, b.u(r2), sb.n, sb.m, u);
      kron(a.v(r1), sa.m, sa.p, b.v(r2), sb.m, sb.p, v);
      kron(a.w(r1), sa.n, sa.p, b.w(r2), sb.n, sb.p, w);
      out.add_term(u, v, w);
    }
  require_verified(out, "kronecker product of " + label(a) + " and " + label(b));
  return out;
}

// ---- Symmetries ----

Scheme cyclic(const Scheme& s, int times) {
  int k = ((times % 3) + 3) % 3;
  Scheme out = s;
  for (int i = 0; i < k; ++i) out = cyclic_once(out);
  return finish_symmetry(std::move(out), s, "cyclic^" + std::to_string(k));
}

Scheme transpose(const Scheme& s) { return finish_symmetry(transpose_once(s), s, "transpose"); }

std::vector<std::string> permutation_names() { return {"nmp", "mpn", "pnm", "pmn", "npm", "mnp"}; }

Scheme permute(const Scheme& s, const std::string& spec_in) {
  std::string spec = spec_in;
  if (auto arrow = spec.find("->"); arrow != std::string::npos) {
    if (spec.substr(0, arrow) != "nmp")
      throw Error("permutation '" + spec_in + "': the left side must be 'nmp' (write e.g. nmp->mpn)");
    spec = spec.substr(arrow + 2);
  }
  Scheme out;
  if (spec == "nmp") out = s;
  else if (spec == "mpn") out = cyclic_once(s);
  else if (spec == "pnm") out = cyclic_once(cyclic_once(s));
  else if (spec == "pmn") out = transpose_once(s);
  else if (spec == "npm") out = transpose_once(cyclic_once(s));
  else if (spec == "mnp") out = cyclic_once(transpose_once(s));
  else
    throw Error("permutation '" + spec_in + "': expected one of nmp, mpn, pnm, pmn, npm, mnp (optionally as nmp->XYZ)");
  return finish_symmetry(std::move(out), s, "permute nmp->" + spec);
}

// ---- Matrices ----

bool RationalMatrix::all_integer() const {
  for (const auto& c : a)
    if (!c.is_integer()) return false;
  return true;
}

std::string RationalMatrix::str() const {
  std::string out;
  for (int i = 0; i < rows; ++i) {
    if (i) out += ';';
    for (int j = 0; j < cols; ++j) {
      if (j) out += ',';
      out += (*this)(i, j).str();
    }
  }
  return out;
}

RationalMatrix RationalMatrix::identity(int n) {
  RationalMatrix x(n, n);
  for (int i = 0; i < n; ++i) x(i, i) = 1;
  return x;
}

RationalMatrix RationalMatrix::parse(const std::string& text) {
  std::vector<Vec> rows;
  std::stringstream rs(text);
  std::string row;
  while (std::getline(rs, row, ';')) {
    Vec entries;
    std::stringstream es(row);
    std::string entry;
    while (std::getline(es, entry, ',')) {
      size_t b = entry.find_first_not_of(" \t"), e = entry.find_last_not_of(" \t");
      std::string tok = b == std::string::npos ? "" : entry.substr(b, e - b + 1);
      auto value = Rational::parse(tok);
      if (!value) throw Error("matrix '" + text + "': '" + tok + "' is not a rational number");
      entries.push_back(*value);
    }
    if (entries.empty()) throw Error("matrix '" + text + "': empty row");
    if (!rows.empty() && entries.size() != rows.front().size())
      throw Error("matrix '" + text + "': rows of different lengths");
    rows.push_back(std::move(entries));
  }
  if (rows.empty()) throw Error("matrix '" + text + "': no entries");
  if (rows.size() > size_t(kMaxDim) || rows.front().size() > size_t(kMaxDim))
    throw Error("matrix '" + text + "': larger than " + std::to_string(kMaxDim) + "x" + std::to_string(kMaxDim));
  RationalMatrix x(static_cast<int>(rows.size()), static_cast<int>(rows.front().size()));
  for (int i = 0; i < x.rows; ++i)
    for (int j = 0; j < x.cols; ++j) x(i, j) = rows[i][j];
  return x;
}

RationalMatrix operator*(const RationalMatrix& x, const RationalMatrix& y) {
  assert(x.cols == y.rows);
  RationalMatrix z(x.rows, y.cols);
  for (int i = 0; i < x.rows; ++i)
    for (int k = 0; k < x.cols; ++k) {
      const Rational& a = x(i, k);
      if (a.is_zero()) continue;
      for (int j = 0; j < y.cols; ++j)
        if (!y(k, j).is_zero()) z(i, j) += a * y(k, j);
    }
  return z;
}

RationalMatrix transposed(const RationalMatrix& x) {
  RationalMatrix t(x.cols, x.rows);
  for (int i = 0; i < x.rows; ++i)
    for (int j = 0; j < x.cols; ++j) t(j, i) = x(i, j);
  return t;
}

Rational determinant(const RationalMatrix& x_in) {
  if (!x_in.square()) throw Error("determinant of a non-square matrix");
  RationalMatrix x = x_in;
  const int n = x.rows;
  Rational det = 1;
  for (int col = 0; col < n; ++col) {
    int pivot = col;
    while (pivot < n && x(pivot, col).is_zero()) ++pivot;
    if (pivot == n) return 0;
    if (pivot != col) {
      for (int j = 0; j < n; ++j) std::swap(x(pivot, j), x(col, j));
      det = -det;
    }
    det *= x(col, col);
    for (int i = col + 1; i < n; ++i) {
      if (x(i, col).is_zero()) continue;
      Rational f = x(i, col) / x(col, col);
      for (int j = col; j < n; ++j) x(i, j) -= f * x(col, j);
    }
  }
  return det;
}

RationalMatrix inverse(const RationalMatrix& x_in) {
  if (!x_in.square()) throw Error("inverse of a non-square matrix");
  const int n = x_in.rows;
  RationalMatrix x = x_in, inv = RationalMatrix::identity(n);
  for (int col = 0; col < n; ++col) {
    int pivot = col;
    while (pivot < n && x(pivot, col).is_zero()) ++pivot;
    if (pivot == n) throw Error("matrix " + x_in.str() + " is singular");
    if (pivot != col)
      for (int j = 0; j < n; ++j) {
        std::swap(x(pivot, j), x(col, j));
        std::swap(inv(pivot, j), inv(col, j));
      }
    Rational p = x(col, col);
    for (int j = 0; j < n; ++j) {
      x(col, j) /= p;
      inv(col, j) /= p;
    }
    for (int i = 0; i < n; ++i) {
      if (i == col || x(i, col).is_zero()) continue;
      Rational f = x(i, col);
      for (int j = 0; j < n; ++j) {
        x(i, j) -= f * x(col, j);
        inv(i, j) -= f * inv(col, j);
      }
    }
  }
  return inv;
}

// ---- Change of basis ----

Scheme change_basis(const Scheme& s, const BasisChange& basis, BasisRing ring) {
  const Shape sh = s.shape();
  check_basis_matrix(basis.x, sh.n, "X", ring);
  check_basis_matrix(basis.y, sh.m, "Y", ring);
  check_basis_matrix(basis.z, sh.p, "Z", ring);
  const bool gf2 = s.field() == Field::GF2;
  if (gf2) {
    require_invertible_mod2(basis.x, "X");
    require_invertible_mod2(basis.y, "Y");
    require_invertible_mod2(basis.z, "Z");
  }
  // u'(A) = u(X A Y^-1) = <X^T U Y^-T, A>, v'(B) = v(Y B Z^-1) = <Y^T V Z^-T, B>, and the
  // result X^-1 C~ Z collects W'_r = X^-1 W_r Z.
  const RationalMatrix xt = transposed(basis.x), yt = transposed(basis.y);
  const RationalMatrix yinv_t = transposed(inverse(basis.y)), zinv_t = transposed(inverse(basis.z));
  const RationalMatrix xinv = inverse(basis.x);
  Scheme out(sh, s.field());
  for (int r = 0; r < s.rank(); ++r) {
    RationalMatrix u = xt * as_matrix(s.u(r), sh.n, sh.m) * yinv_t;
    RationalMatrix v = yt * as_matrix(s.v(r), sh.m, sh.p) * zinv_t;
    RationalMatrix w = xinv * as_matrix(s.w(r), sh.n, sh.p) * basis.z;
    out.add_term(u.a, v.a, w.a);
  }
  if (gf2) out = reduce_mod2(out);
  out.set_field(result_field(s.field(), out));
  out.set_source((s.source().empty() ? std::string() : s.source() + " | ") + "basis X=" + basis.x.str() +
                 " Y=" + basis.y.str() + " Z=" + basis.z.str());
  require_verified(out, "change of basis of " + label(s));
  return out;
}

RationalMatrix random_unimodular(int n, std::uint64_t seed, int steps) {
  if (n < 1 || n > kMaxDim) throw Error("random_unimodular: size " + std::to_string(n) + " out of range");
  if (steps <= 0) steps = 2 * n;
  SplitMix64 rng{seed ^ (0xD1B54A32D192ED03ULL * static_cast<std::uint64_t>(n))};
  RationalMatrix x = RationalMatrix::identity(n);
  for (int s = 0; s < steps; ++s) {
    int op = n == 1 ? 2 : static_cast<int>(rng.below(4));  // 0, 1: row addition (twice as likely); 2: negation; 3: swap
    if (op <= 1) {
      int i = static_cast<int>(rng.below(n)), j = static_cast<int>(rng.below(n - 1));
      if (j >= i) ++j;
      Rational sign = rng.below(2) ? 1 : -1;
      for (int c = 0; c < n; ++c) x(i, c) += sign * x(j, c);
    } else if (op == 2) {
      int i = static_cast<int>(rng.below(n));
      for (int c = 0; c < n; ++c) x(i, c) = -x(i, c);
    } else {
      int i = static_cast<int>(rng.below(n)), j = static_cast<int>(rng.below(n - 1));
      if (j >= i) ++j;
      for (int c = 0; c < n; ++c) std::swap(x(i, c), x(j, c));
    }
  }
  return x;
}

BasisChange random_basis(const Shape& shape, std::uint64_t seed) {
  require_valid(shape);
  SplitMix64 rng{seed};
  BasisChange b;
  b.x = random_unimodular(shape.n, rng.next());
  b.y = random_unimodular(shape.m, rng.next());
  b.z = random_unimodular(shape.p, rng.next());
  return b;
}

// ---- Simplification ----

Scheme simplify(const Scheme& s_in) {
  const bool gf2 = s_in.field() == Field::GF2;
  const Scheme s = gf2 ? reduce_mod2(s_in) : s_in;
  const bool keep_integer = s.all_integer();
  std::vector<Term> terms;
  terms.reserve(s.rank());
  for (int r = 0; r < s.rank(); ++r) terms.push_back(Term{{to_vec(s.u(r)), to_vec(s.v(r)), to_vec(s.w(r))}});

  bool changed = true;
  while (changed) {
    changed = drop_zero_terms(terms);
    for (auto [a, b] : {std::pair{0, 1}, std::pair{0, 2}, std::pair{1, 2}}) {
      if (merge_pass(terms, a, b, gf2, keep_integer)) {
        changed = true;
        drop_zero_terms(terms);
      }
    }
  }

  Scheme out(s.shape(), s.field());
  for (auto& t : terms) {
    if (!gf2) {
      // The first nonzero of u and of v positive; a sign moved from u or v to w keeps the product.
      for (int f = 0; f < 2; ++f)
        if (lead(t.f[f]).sign() < 0) {
          for (auto& c : t.f[f]) c = -c;
          for (auto& c : t.f[2]) c = -c;
        }
    }
    out.add_term(t.f[0], t.f[1], t.f[2]);
  }
  out.set_field(result_field(s.field(), out));  // integer input stays integer: see keep_integer
  out.set_source((s.source().empty() ? std::string() : s.source() + " | ") + "simplify");
  require_verified(out, "simplification of " + label(s_in));
  return out;
}

}  // namespace fmm
