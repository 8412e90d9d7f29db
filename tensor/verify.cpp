#include "tensor/verify.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "tensor/error.hpp"

namespace fmm {
namespace {

__extension__ typedef __int128 Int128;  // GCC and Clang; exact sums beyond 64 bits

// One factor matrix in compressed rows: term r's nonzeros are entries [start[r], start[r+1]).
template <class V>
struct SparseFactor {
  std::vector<std::size_t> start;
  std::vector<int> index;
  std::vector<V> value;
  std::size_t nonzeros(int r) const { return start[r + 1] - start[r]; }
};

// Multiplies every coefficient by `scale` (a multiple of every denominator) to get integers;
// `max_abs[r]` receives the largest |value| of term r. Throws OverflowError.
SparseFactor<std::int64_t> scaled(const std::vector<Rational>& data, int rank, int len, std::int64_t scale,
                                  std::vector<std::int64_t>& max_abs) {
  SparseFactor<std::int64_t> f;
  f.start.reserve(static_cast<std::size_t>(rank) + 1);
  f.start.push_back(0);
  max_abs.assign(rank, 0);
  for (int r = 0; r < rank; ++r) {
    for (int x = 0; x < len; ++x) {
      const Rational& c = data[static_cast<std::size_t>(r) * len + x];
      if (c.is_zero()) continue;
      const std::int64_t v = checked_mul(c.num(), scale / c.den());
      if (v == std::numeric_limits<std::int64_t>::min()) throw OverflowError("coefficient too large");
      f.index.push_back(x);
      f.value.push_back(v);
      max_abs[r] = std::max(max_abs[r], v < 0 ? -v : v);
    }
    f.start.push_back(f.index.size());
  }
  return f;
}

std::int64_t factor_lcm(const std::vector<Rational>& data) {
  std::int64_t l = 1;
  for (const auto& c : data)
    if (c.den() != 1) l = checked_lcm(l, c.den());
  return l;
}

BrentEquation equation_at(const Shape& s, int a, int b, int c) {
  return BrentEquation{a / s.m, a % s.m, b / s.p, b % s.p, c / s.p, c % s.p};
}

VerifyResult fail(Field field, std::string reason) {
  VerifyResult r;
  r.field = field;
  r.reason = std::move(reason);
  return r;
}

VerifyResult unchecked(Field field, std::string reason) {
  VerifyResult r = fail(field, std::move(reason));
  r.unchecked = true;
  return r;
}

VerifyResult valid(Field field) {
  VerifyResult r;
  r.ok = true;
  r.field = field;
  return r;
}

// a * b, saturating at UINT64_MAX.
std::uint64_t sat_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}
std::uint64_t sat_add(std::uint64_t a, std::uint64_t b) {
  return b > std::numeric_limits<std::uint64_t>::max() - a ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

std::string work_refusal(std::uint64_t work) {
  return "the exact check would take " + std::to_string(work) +
         (work == std::numeric_limits<std::uint64_t>::max() ? "+" : "") +
         " coefficient products (its terms are dense), above the limit of " + std::to_string(kMaxVerifyWork);
}

// Terms touching each A entry, in term order: by_a[a] lists (r, scaled u_r[a]).
template <class V>
SparseFactor<V> transpose_terms(const SparseFactor<V>& u, int rank, int na) {
  SparseFactor<V> by_a;
  by_a.start.assign(static_cast<std::size_t>(na) + 1, 0);
  for (int r = 0; r < rank; ++r)
    for (std::size_t e = u.start[r]; e < u.start[r + 1]; ++e) ++by_a.start[u.index[e] + 1];
  for (int a = 0; a < na; ++a) by_a.start[a + 1] += by_a.start[a];
  by_a.index.resize(u.index.size());
  by_a.value.resize(u.value.size());
  std::vector<std::size_t> fill(by_a.start.begin(), by_a.start.end() - 1);
  for (int r = 0; r < rank; ++r)
    for (std::size_t e = u.start[r]; e < u.start[r + 1]; ++e) {
      const std::size_t at = fill[u.index[e]]++;
      by_a.index[at] = r;
      by_a.value[at] = u.value[e];
    }
  return by_a;
}

// The slice loop over Z or Q with accumulators of type Acc, wide enough by the caller's bound
// that no partial sum overflows (so no per-product checks are needed). One A entry at a time:
// slice[b][c] = sum over terms r with u_r[a] != 0 of u_r[a] v_r[b] w_r[c].
template <class Acc>
VerifyResult rational_slices(const Shape& sh, Field field, std::int64_t scale, const SparseFactor<std::int64_t>& by_a,
                             const SparseFactor<std::int64_t>& V, const SparseFactor<std::int64_t>& W) {
  const int na = sh.a_size(), nb = sh.b_size(), nc = sh.c_size();
  std::vector<Acc> slice(static_cast<std::size_t>(nb) * nc);
  for (int a = 0; a < na; ++a) {
    std::fill(slice.begin(), slice.end(), Acc(0));
    for (std::size_t e = by_a.start[a]; e < by_a.start[a + 1]; ++e) {
      const int r = by_a.index[e];
      // A term with w = 0 adds nothing; skipping it also keeps u*v inside the bound, which
      // counts |u| |v| |w| and so says nothing of |u| |v| when w = 0 (found by fuzz_npz).
      if (W.nonzeros(r) == 0) continue;
      const Acc x = by_a.value[e];
      for (std::size_t f = V.start[r]; f < V.start[r + 1]; ++f) {
        const Acc xy = x * Acc(V.value[f]);
        Acc* row = slice.data() + static_cast<std::size_t>(V.index[f]) * nc;
        for (std::size_t g = W.start[r]; g < W.start[r + 1]; ++g) row[W.index[g]] += xy * Acc(W.value[g]);
      }
    }
    // Brent: the sum is 1 (times the scale) exactly when i = i2, j = j2, k = k2.
    const int i = a / sh.m, j = a % sh.m;
    for (int b = 0; b < nb; ++b)
      for (int c = 0; c < nc; ++c) {
        const int j2 = b / sh.p, k = b % sh.p, i2 = c / sh.p, k2 = c % sh.p;
        const Acc want = (i == i2 && j == j2 && k == k2) ? Acc(scale) : Acc(0);
        const Acc got = slice[static_cast<std::size_t>(b) * nc + c];
        if (got == want) continue;
        VerifyResult res = fail(field, "");
        res.equation = equation_at(sh, a, b, c);
        res.expected = Rational(static_cast<std::int64_t>(want), scale);
        std::string found;
        if (got >= Acc(std::numeric_limits<std::int64_t>::min()) && got <= Acc(std::numeric_limits<std::int64_t>::max())) {
          res.found = Rational(static_cast<std::int64_t>(got), scale);
          found = res.found.str();
        } else {
          found = "a value beyond 64-bit integers";
        }
        res.reason = "Brent equation " + res.equation->str() + " sums to " + found + ", expected " + res.expected.str();
        return res;
      }
  }
  return valid(field);
}

// Exact check over Z or Q. Each factor matrix is scaled to integers by the lcm of its
// denominators (dU, dV, dW); the equations then read  sum = dU*dV*dW * delta.
VerifyResult verify_rational(const Scheme& s, Field field) {
  const Shape& sh = s.shape();
  const int na = sh.a_size(), nb = sh.b_size(), nc = sh.c_size(), R = s.rank();
  const std::int64_t du = factor_lcm(s.u_data()), dv = factor_lcm(s.v_data()), dw = factor_lcm(s.w_data());
  const std::int64_t scale = checked_mul(checked_mul(du, dv), dw);
  std::vector<std::int64_t> mu, mv, mw;
  const auto U = scaled(s.u_data(), R, na, du, mu);
  const auto V = scaled(s.v_data(), R, nb, dv, mv);
  const auto W = scaled(s.w_data(), R, nc, dw, mw);

  // Work, and a bound on every partial sum: |sum| <= sum_r max|u_r| max|v_r| max|w_r|.
  std::uint64_t work = 0;
  long double bound = static_cast<long double>(scale);
  for (int r = 0; r < R; ++r) {
    work = sat_add(work, sat_mul(sat_mul(U.nonzeros(r), V.nonzeros(r)), W.nonzeros(r)));
    bound += static_cast<long double>(mu[r]) * static_cast<long double>(mv[r]) * static_cast<long double>(mw[r]);
  }
  if (work > kMaxVerifyWork) return unchecked(field, work_refusal(work));
  const auto by_a = transpose_terms(U, R, na);
  if (bound < 0x1p62L) return rational_slices<std::int64_t>(sh, field, scale, by_a, V, W);
  if (bound < 0x1p125L) return rational_slices<Int128>(sh, field, scale, by_a, V, W);
  return unchecked(field, "coefficients too large: the exact sums could overflow 128-bit integers");
}

// Check modulo 2: coefficients become bits, each slice row a bit set over the C entries, and
// a term adds (XOR) its w bit set into the rows of its v entries.
VerifyResult verify_gf2(const Scheme& s) {
  const Shape& sh = s.shape();
  const int na = sh.a_size(), nb = sh.b_size(), nc = sh.c_size(), R = s.rank();
  const int words = (nc + 63) / 64;
  // Odd denominators only: p/q = p * q^-1 = p (mod 2) since q = 1 (mod 2).
  auto bits = [R](const std::vector<Rational>& data, int len, SparseFactor<char>& out) -> const Rational* {
    out.start.assign(1, 0);
    for (int r = 0; r < R; ++r) {
      for (int x = 0; x < len; ++x) {
        const Rational& c = data[static_cast<std::size_t>(r) * len + x];
        if (c.den() % 2 == 0) return &c;
        if (c.num() & 1) out.index.push_back(x), out.value.push_back(1);
      }
      out.start.push_back(out.index.size());
    }
    return nullptr;
  };
  SparseFactor<char> U, V, W;
  const Rational* bad = bits(s.u_data(), na, U);
  if (!bad) bad = bits(s.v_data(), nb, V);
  if (!bad) bad = bits(s.w_data(), nc, W);
  if (bad) return fail(Field::GF2, "coefficient " + bad->str() + " has an even denominator: not defined modulo 2");

  std::uint64_t work = 0;
  for (int r = 0; r < R; ++r) work = sat_add(work, sat_mul(sat_mul(U.nonzeros(r), V.nonzeros(r)), words));
  if (work > kMaxVerifyWork) return unchecked(Field::GF2, work_refusal(work));

  std::vector<std::uint64_t> wbits(static_cast<std::size_t>(R) * words, 0);
  for (int r = 0; r < R; ++r)
    for (std::size_t g = W.start[r]; g < W.start[r + 1]; ++g)
      wbits[static_cast<std::size_t>(r) * words + W.index[g] / 64] |= std::uint64_t(1) << (W.index[g] % 64);
  const auto by_a = transpose_terms(U, R, na);
  std::vector<std::uint64_t> slice(static_cast<std::size_t>(nb) * words);
  for (int a = 0; a < na; ++a) {
    std::fill(slice.begin(), slice.end(), 0);
    for (std::size_t e = by_a.start[a]; e < by_a.start[a + 1]; ++e) {
      const int r = by_a.index[e];
      const std::uint64_t* w = wbits.data() + static_cast<std::size_t>(r) * words;
      for (std::size_t f = V.start[r]; f < V.start[r + 1]; ++f) {
        std::uint64_t* row = slice.data() + static_cast<std::size_t>(V.index[f]) * words;
        for (int k = 0; k < words; ++k) row[k] ^= w[k];
      }
    }
    const int i = a / sh.m, j = a % sh.m;
    for (int b = 0; b < nb; ++b)
      for (int c = 0; c < nc; ++c) {
        const int j2 = b / sh.p, k = b % sh.p, i2 = c / sh.p, k2 = c % sh.p;
        const int want = i == i2 && j == j2 && k == k2;
        const int got = static_cast<int>((slice[static_cast<std::size_t>(b) * words + c / 64] >> (c % 64)) & 1);
        if (got == want) continue;
        VerifyResult res = fail(Field::GF2, "");
        res.equation = equation_at(sh, a, b, c);
        res.found = got;
        res.expected = want;
        res.reason = "Brent equation " + res.equation->str() + " sums to " + std::to_string(got) + " mod 2, expected " +
                     std::to_string(want);
        return res;
      }
  }
  return valid(Field::GF2);
}

}  // namespace

std::string BrentEquation::str() const {
  auto ij = [](char name, int a, int b) {
    return std::string(1, name) + "[" + std::to_string(a) + "][" + std::to_string(b) + "]";
  };
  return ij('A', i, j) + "*" + ij('B', j2, k) + " -> " + ij('C', i2, k2);
}

std::string VerifyResult::message() const {
  if (ok) return "valid over " + to_string(field);
  return (unchecked ? "not checked over " : "invalid over ") + to_string(field) + ": " + reason;
}

VerifyResult verify(const Scheme& s, Field field) {
  if (!s.shape().valid()) return fail(field, "format " + s.shape().str() + " is out of range");
  if (field == Field::GF2) return verify_gf2(s);
  if (field == Field::Z && !s.all_integer()) {
    for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
      for (const auto& c : *data)
        if (!c.is_integer()) return fail(Field::Z, "coefficient " + c.str() + " is not an integer");
  }
  try {
    return verify_rational(s, field);
  } catch (const OverflowError&) {
    return unchecked(field, "coefficients too large: scaling them to a common denominator overflows 64-bit integers");
  }
}

void require_verified(const Scheme& s, const std::string& context) {
  const VerifyResult r = verify(s);
  if (r) return;
  const std::string what =
      context + ": scheme " + s.shape().str() + " rank " + std::to_string(s.rank()) + " is " + r.message();
  if (r.unchecked) throw Error(what);
  throw VerificationError(what);
}

}  // namespace fmm
