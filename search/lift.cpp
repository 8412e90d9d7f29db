#include "search/lift.hpp"

#include <bit>
#include <cstdint>
#include <vector>

#include "tensor/error.hpp"
#include "tensor/verify.hpp"

namespace fmm::search {
namespace {

// A linear system over GF(2), reduced once (Gauss-Jordan on [J | I]) so that each right-hand
// side is then solved by one pass of parities.
class Gf2System {
 public:
  Gf2System(int rows, int cols)
      : rows_(rows), cols_(cols), wj_((cols + 63) / 64), wt_((rows + 63) / 64),
        data_(static_cast<std::size_t>(rows) * (wj_ + wt_), 0) {
    for (int r = 0; r < rows; ++r) row(r)[wj_ + r / 64] |= 1ULL << (r % 64);
  }
  void set(int r, int c) { row(r)[c / 64] |= 1ULL << (c % 64); }

  void eliminate() {
    const int W = wj_ + wt_;
    int cur = 0;
    for (int c = 0; c < cols_ && cur < rows_; ++c) {
      const int w = c / 64;
      const std::uint64_t bit = 1ULL << (c % 64);
      int p = cur;
      while (p < rows_ && !(row(p)[w] & bit)) ++p;
      if (p == rows_) continue;
      if (p != cur)
        for (int x = 0; x < W; ++x) std::swap(row(p)[x], row(cur)[x]);
      const std::uint64_t* pr = row(cur);
      for (int r = 0; r < rows_; ++r) {
        if (r == cur || !(row(r)[w] & bit)) continue;
        std::uint64_t* rr = row(r);
        for (int x = w; x < W; ++x) rr[x] ^= pr[x];  // words before w are zero in the pivot row
      }
      pivot_col_.push_back(c);
      ++cur;
    }
  }

  // Solves J d = rhs; free unknowns are 0. False when inconsistent.
  bool solve(const std::vector<std::uint64_t>& rhs_bits, std::vector<std::uint8_t>& d) const {
    d.assign(cols_, 0);
    for (int r = 0; r < rows_; ++r) {
      const std::uint64_t* t = row(r) + wj_;
      int parity = 0;
      for (int x = 0; x < wt_; ++x) parity ^= std::popcount(t[x] & rhs_bits[x]) & 1;
      if (r < static_cast<int>(pivot_col_.size())) d[pivot_col_[r]] = static_cast<std::uint8_t>(parity);
      else if (parity) return false;
    }
    return true;
  }

 private:
  std::uint64_t* row(int r) { return data_.data() + static_cast<std::size_t>(r) * (wj_ + wt_); }
  const std::uint64_t* row(int r) const { return data_.data() + static_cast<std::size_t>(r) * (wj_ + wt_); }
  int rows_, cols_, wj_, wt_;
  std::vector<std::uint64_t> data_;
  std::vector<int> pivot_col_;
};

// Coefficients X (all u, then all v, then all w, term-major inside each) as integers mod 2^64.
struct Layout {
  int R, na, nb, nc;
  int u(int r, int a) const { return r * na + a; }
  int v(int r, int b) const { return R * na + r * nb + b; }
  int w(int r, int c) const { return R * (na + nb) + r * nc + c; }
  int size() const { return R * (na + nb + nc); }
};

// Residuals F(X) - T of every Brent equation (a, b, c), mod 2^64.
std::vector<std::uint64_t> residuals(const Shape& s, const Layout& L, const std::vector<std::uint64_t>& X) {
  const int na = L.na, nb = L.nb, nc = L.nc;
  std::vector<std::uint64_t> res(static_cast<std::size_t>(na) * nb * nc, 0);
  for (int r = 0; r < L.R; ++r)
    for (int a = 0; a < na; ++a) {
      const std::uint64_t ua = X[L.u(r, a)];
      if (!ua) continue;
      for (int b = 0; b < nb; ++b) {
        const std::uint64_t uv = ua * X[L.v(r, b)];
        if (!uv) continue;
        std::uint64_t* row = &res[(static_cast<std::size_t>(a) * nb + b) * nc];
        for (int c = 0; c < nc; ++c) row[c] += uv * X[L.w(r, c)];
      }
    }
  // T[a=(i,j)][b=(j2,k)][c=(i2,k2)] = [j=j2][i=i2][k=k2]
  for (int i = 0; i < s.n; ++i)
    for (int j = 0; j < s.m; ++j)
      for (int k = 0; k < s.p; ++k)
        res[(static_cast<std::size_t>(s.a_index(i, j)) * nb + s.b_index(j, k)) * nc + s.c_index(i, k)] -= 1;
  return res;
}

// Jacobian of the Brent equations at X0 (0/1 values), mod 2, over the unknowns in `cols`.
Gf2System jacobian(const Layout& L, const std::vector<std::uint64_t>& X0, const std::vector<int>& cols) {
  const int na = L.na, nb = L.nb, nc = L.nc;
  std::vector<int> col_of(L.size(), -1);
  for (std::size_t i = 0; i < cols.size(); ++i) col_of[cols[i]] = static_cast<int>(i);
  Gf2System sys(na * nb * nc, static_cast<int>(cols.size()));
  for (int r = 0; r < L.R; ++r)
    for (int a = 0; a < na; ++a)
      for (int b = 0; b < nb; ++b)
        for (int c = 0; c < nc; ++c) {
          const int eq = (a * nb + b) * nc + c;
          const std::uint64_t u = X0[L.u(r, a)] & 1, v = X0[L.v(r, b)] & 1, w = X0[L.w(r, c)] & 1;
          if (v & w && col_of[L.u(r, a)] >= 0) sys.set(eq, col_of[L.u(r, a)]);
          if (u & w && col_of[L.v(r, b)] >= 0) sys.set(eq, col_of[L.v(r, b)]);
          if (u & v && col_of[L.w(r, c)] >= 0) sys.set(eq, col_of[L.w(r, c)]);
        }
  sys.eliminate();
  return sys;
}

// One Hensel step: X valid mod 2^k -> valid mod 2^(k+1). False when J d = e has no solution.
bool hensel_step(const Shape& s, const Layout& L, const Gf2System& sys, const std::vector<int>& cols, int k,
                 std::vector<std::uint64_t>& X) {
  std::vector<std::uint64_t> res = residuals(s, L, X);
  std::vector<std::uint64_t> rhs((res.size() + 63) / 64, 0);
  for (std::size_t e = 0; e < res.size(); ++e)
    if ((res[e] >> k) & 1) rhs[e / 64] |= 1ULL << (e % 64);  // -E = E mod 2
  std::vector<std::uint8_t> d;
  if (!sys.solve(rhs, d)) return false;
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (d[i]) X[cols[i]] += 1ULL << k;
  return true;
}

std::int64_t symmetric(std::uint64_t x, int k) {
  const std::uint64_t mod = 1ULL << k, half = mod >> 1;
  x &= mod - 1;
  return x > half ? static_cast<std::int64_t>(x) - static_cast<std::int64_t>(mod) : static_cast<std::int64_t>(x);
}

Scheme build(const Shape& shape, const Layout& L, const std::vector<Rational>& coeff, Field field) {
  Scheme s(shape, field);
  std::vector<Rational> u(L.na), v(L.nb), w(L.nc);
  for (int r = 0; r < L.R; ++r) {
    for (int a = 0; a < L.na; ++a) u[a] = coeff[L.u(r, a)];
    for (int b = 0; b < L.nb; ++b) v[b] = coeff[L.v(r, b)];
    for (int c = 0; c < L.nc; ++c) w[c] = coeff[L.w(r, c)];
    s.add_term(u, v, w);
  }
  return s;
}

std::optional<Scheme> try_integer(const Shape& shape, const Layout& L, const std::vector<std::uint64_t>& X, int k) {
  std::vector<Rational> coeff(X.size());
  for (std::size_t i = 0; i < X.size(); ++i) coeff[i] = symmetric(X[i], k);
  Scheme s = build(shape, L, coeff, Field::Z);
  if (verify(s, Field::Z).ok) return s;
  return std::nullopt;
}

std::int64_t isqrt_bound(int k) {
  // floor(sqrt(2^k / 2)) = floor(2^((k-1)/2)), times sqrt 2 when k-1 is odd; a bound is enough.
  return static_cast<std::int64_t>(1) << ((k - 1) / 2);
}

std::optional<Scheme> try_rational(const Shape& shape, const Layout& L, const std::vector<std::uint64_t>& X, int k) {
  std::vector<Rational> coeff(X.size());
  const std::int64_t bound = isqrt_bound(k);
  for (std::size_t i = 0; i < X.size(); ++i) {
    // Wang's algorithm with a power-of-two bound (no square-root loop).
    __extension__ typedef __int128 i128;
    const i128 M = static_cast<i128>(1) << k;
    i128 r0 = M, r1 = static_cast<i128>(X[i] & ((1ULL << k) - 1)), t0 = 0, t1 = 1;
    while (r1 > bound) {
      i128 q = r0 / r1;
      i128 r2 = r0 - q * r1, t2 = t0 - q * t1;
      r0 = r1, r1 = r2, t0 = t1, t1 = t2;
    }
    if (t1 < 0) t1 = -t1, r1 = -r1;
    if (t1 == 0 || t1 > bound || (t1 & 1) == 0) return std::nullopt;
    coeff[i] = Rational(static_cast<std::int64_t>(r1), static_cast<std::int64_t>(t1));
  }
  Scheme s = build(shape, L, coeff, Field::Q);
  if (!verify(s, Field::Q).ok) return std::nullopt;
  if (s.all_integer()) s.set_field(Field::Z);
  return s;
}

}  // namespace

LiftResult hensel_lift(const Scheme& gf2, int max_steps) {
  require_verified(reduce_mod2(gf2), "Hensel lifting needs a scheme valid over GF2");
  if (max_steps < 1 || max_steps > 62) throw Error("Hensel lifting: max_steps must be in 1..62");
  const Shape shape = gf2.shape();
  const Scheme mod2 = reduce_mod2(gf2);
  const Layout L{mod2.rank(), shape.a_size(), shape.b_size(), shape.c_size()};
  // Dense elimination costs about equations * unknowns * (unknowns + equations) / 64 word
  // operations: ~1e9 for <4,4,4> rank 49 (about a second); refuse what would take minutes.
  const double eqs = static_cast<double>(L.na) * L.nb * L.nc;
  if (eqs * L.size() * (L.size() + eqs) / 64 > 2e10)
    return {std::nullopt, 0,
            "not attempted: " + shape.str() + " rank " + std::to_string(L.R) + " is too large for the dense GF2 solver"};

  std::vector<std::uint64_t> X0(L.size());
  for (int r = 0; r < L.R; ++r) {
    for (int a = 0; a < L.na; ++a) X0[L.u(r, a)] = mod2.u(r)[a].is_zero() ? 0 : 1;
    for (int b = 0; b < L.nb; ++b) X0[L.v(r, b)] = mod2.v(r)[b].is_zero() ? 0 : 1;
    for (int c = 0; c < L.nc; ++c) X0[L.w(r, c)] = mod2.w(r)[c].is_zero() ? 0 : 1;
  }
  // Step 1 (mod 4), first restricted to the support: the sign pattern of a {-1,0,1} lift.
  std::vector<int> support, all(L.size());
  for (int i = 0; i < L.size(); ++i) {
    all[i] = i;
    if (X0[i]) support.push_back(i);
  }
  std::vector<std::vector<std::uint64_t>> starts;  // solutions mod 4 to continue from
  {
    Gf2System sys = jacobian(L, X0, support);
    std::vector<std::uint64_t> Xs = X0;
    if (hensel_step(shape, L, sys, support, 1, Xs)) {
      if (auto s = try_integer(shape, L, Xs, 2))
        return {std::move(s), 1, "lifted to Z with coefficients in {-1,0,1} (sign pattern found mod 4)"};
      starts.push_back(std::move(Xs));
    }
  }
  Gf2System sys = jacobian(L, X0, all);
  {
    std::vector<std::uint64_t> X1 = X0;
    if (!hensel_step(shape, L, sys, all, 1, X1)) {
      // Definitive: every lift (over Z, or over Q with odd denominators) reduces to a solution mod 4.
      return {std::nullopt, 1, "does not lift (to Z, or Q with odd denominators): the Brent equations have no solution mod 4 above this GF2 scheme"};
    }
    starts.push_back(std::move(X1));
  }
  // Steps 2.. from each solution mod 4, with the free unknowns set to 0 at every step.
  std::string last_failure;
  for (std::vector<std::uint64_t>& X : starts) {
    std::vector<std::int64_t> previous;
    int k = 2;
    bool dead_end = false;
    for (; k <= max_steps; ++k) {
      std::vector<std::int64_t> now(X.size());
      for (std::size_t i = 0; i < X.size(); ++i) now[i] = symmetric(X[i], k);
      if (now == previous) {  // the symmetric residues have settled: try them over Z
        if (auto s = try_integer(shape, L, X, k))
          return {std::move(s), k,
                  "lifted to Z after " + std::to_string(k) + " Hensel steps (mod 2^" + std::to_string(k) + ")"};
      }
      previous = std::move(now);
      if (k == max_steps) break;
      if (!hensel_step(shape, L, sys, all, k, X)) {
        last_failure = "the chosen branch has no solution mod 2^" + std::to_string(k + 1);
        dead_end = true;
        break;
      }
    }
    if (dead_end) continue;
    if (auto s = try_rational(shape, L, X, max_steps)) {
      std::string report = "lifted to " + to_string(s->field()) + " by rational reconstruction mod 2^" +
                           std::to_string(max_steps);
      return {std::move(s), max_steps, report};
    }
    last_failure = "lifted to Z/2^" + std::to_string(max_steps) +
                   " but neither symmetric residues nor rational reconstruction verify over Z or Q";
  }
  return {std::nullopt, max_steps,
          "no lift found (" + last_failure + "; free unknowns fixed to 0, other 2-adic branches not explored)"};
}

}  // namespace fmm::search
