#include "search/lift/lift.hpp"

#include "search/lift/gf2_system.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <vector>

#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"  // splitmix64
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

namespace fmm::search {
namespace {

// LiftOptions::deadline has passed.
bool past_deadline(const LiftOptions& opt) {
  return opt.deadline && std::chrono::steady_clock::now() >= *opt.deadline;
}

// Seconds until LiftOptions::deadline (infinity without one): an elimination cannot be
// interrupted, so one that would not finish in time is not started.
double seconds_left(const LiftOptions& opt) {
  if (!opt.deadline) return std::numeric_limits<double>::infinity();
  return std::chrono::duration<double>(*opt.deadline - std::chrono::steady_clock::now()).count();
}

// Coefficients X (all u, then all v, then all w, term-major inside each).
struct Layout {
  int R, na, nb, nc;
  int u(int r, int a) const { return r * na + a; }
  int v(int r, int b) const { return R * na + r * nb + b; }
  int w(int r, int c) const { return R * (na + nb) + r * nc + c; }
  int size() const { return R * (na + nb + nc); }
  int equations() const { return na * nb * nc; }
};

// Residuals F(X) - T of every Brent equation (a, b, c), mod 2^64 (exact for small integers
// stored in two's complement).
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

// The coefficients of a GF2 scheme (0/1) in L's order.
std::vector<std::uint64_t> gf2_point(const Scheme& mod2, const Layout& L) {
  std::vector<std::uint64_t> X0(L.size());
  for (int r = 0; r < L.R; ++r) {
    for (int a = 0; a < L.na; ++a) X0[L.u(r, a)] = mod2.u(r)[a].is_zero() ? 0 : 1;
    for (int b = 0; b < L.nb; ++b) X0[L.v(r, b)] = mod2.v(r)[b].is_zero() ? 0 : 1;
    for (int c = 0; c < L.nc; ++c) X0[L.w(r, c)] = mod2.w(r)[c].is_zero() ? 0 : 1;
  }
  return X0;
}

// The unknowns and rows of a lift. Untied (lift_direct): every coefficient is an unknown and
// every Brent equation a row. Tied (lift_scheme_tied): the coefficients of a class are one
// unknown, whose Jacobian column is the sum (mod 2) of theirs, and one equation of each class of
// equal equations is a row.
struct Unknowns {
  std::vector<int> cls;       // coefficient -> its unknown
  std::vector<int> first_of;  // unknown -> one of its coefficients
  std::vector<int> kept;      // row -> its Brent equation
  std::vector<int> row_of;    // Brent equation -> its row, or -1
  int count() const { return static_cast<int>(first_of.size()); }
  int rows() const { return static_cast<int>(kept.size()); }
};

Unknowns untied(const Layout& L) {
  Unknowns P;
  P.cls.resize(L.size());
  std::iota(P.cls.begin(), P.cls.end(), 0);
  P.first_of = P.cls;
  P.kept.resize(L.equations());
  std::iota(P.kept.begin(), P.kept.end(), 0);
  P.row_of = P.kept;
  return P;
}

// The Jacobian of the Brent equations at X0 (0/1 values), mod 2, over the unknowns j with
// col[j] >= 0 (as column col[j]), written into the first columns of `sys` (not yet eliminated).
void fill_jacobian(Gf2System& sys, const Layout& L, const Unknowns& P, const std::vector<std::uint64_t>& X0,
                   const std::vector<int>& col) {
  const int na = L.na, nb = L.nb, nc = L.nc;
  auto toggle = [&](int row, int coefficient) {
    if (const int j = col[P.cls[coefficient]]; j >= 0) sys.toggle(row, j);
  };
  for (int r = 0; r < L.R; ++r)
    for (int a = 0; a < na; ++a)
      for (int b = 0; b < nb; ++b)
        for (int c = 0; c < nc; ++c) {
          const int row = P.row_of[(a * nb + b) * nc + c];
          if (row < 0) continue;
          const std::uint64_t u = X0[L.u(r, a)] & 1, v = X0[L.v(r, b)] & 1, w = X0[L.w(r, c)] & 1;
          if (v & w) toggle(row, L.u(r, a));
          if (u & w) toggle(row, L.v(r, b));
          if (u & v) toggle(row, L.w(r, c));
        }
}

// The same, eliminated, with `cols` columns.
Gf2System jacobian(const Layout& L, const Unknowns& P, const std::vector<std::uint64_t>& X0, const std::vector<int>& col,
                   int cols) {
  Gf2System sys(P.rows(), cols);
  fill_jacobian(sys, L, P, X0, col);
  sys.eliminate();
  return sys;
}

// Bit k of the residual of every row: the right-hand side of the Hensel step k -> k+1 (-E = E
// mod 2).
Bits rhs_bits(const Unknowns& P, const std::vector<std::uint64_t>& res, int k) {
  Bits rhs((P.rows() + 63) / 64, 0);
  for (int q = 0; q < P.rows(); ++q)
    if ((res[P.kept[q]] >> k) & 1) flip_bit(rhs, q);
  return rhs;
}

// X + 2^k d for a choice d given per unknown: every coefficient of the unknown's class moves.
std::vector<std::uint64_t> stepped(const Unknowns& P, std::vector<std::uint64_t> X, const Bits& d, int k) {
  for (std::size_t c = 0; c < X.size(); ++c)
    if (get_bit(d, P.cls[c])) X[c] += 1ULL << k;
  return X;
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

// The integer scheme with coefficients `x`, when it verifies over Z (the residual filter first).
std::optional<Scheme> try_integer_values(const Shape& shape, const Layout& L, const std::vector<std::int64_t>& x) {
  std::vector<std::uint64_t> X(x.begin(), x.end());
  for (std::uint64_t r : residuals(shape, L, X))
    if (r) return std::nullopt;
  std::vector<Rational> coeff(x.begin(), x.end());
  Scheme s = build(shape, L, coeff, Field::Z);
  try {
    if (verify(s, Field::Z).ok) return s;
  } catch (const OverflowError&) {
    // coefficients too large for exact int64 arithmetic: not a result we want anyway
  }
  return std::nullopt;
}

std::optional<Scheme> try_rational(const Shape& shape, const Layout& L, const std::vector<std::uint64_t>& X, int k) {
  std::vector<Rational> coeff(X.size());
  const std::int64_t bound = static_cast<std::int64_t>(1) << ((k - 1) / 2);  // ~ sqrt(2^k / 2)
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
  try {
    Scheme s = build(shape, L, coeff, Field::Q);
    if (!verify(s, Field::Q).ok) return std::nullopt;
    if (s.all_integer()) s.set_field(Field::Z);
    return s;
  } catch (const OverflowError&) {
    return std::nullopt;
  }
}

std::int64_t max_abs(const Scheme& s) {
  std::int64_t m = 0;
  for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
    for (const Rational& q : *data)
      if (q.den() == 1) m = std::max(m, std::abs(q.num()));
  return m;
}

// ---- Route 1: sign lift -------------------------------------------------------------------

// Integer values +-1 on the support with Brent residuals kept incrementally, so that flipping
// the sign of one coefficient costs one slice of the residual tensor.
class SignState {
 public:
  SignState(const Shape& shape, const Layout& L, std::vector<std::int64_t> x) : L_(L), x_(std::move(x)) {
    std::vector<std::uint64_t> X(x_.begin(), x_.end());
    std::vector<std::uint64_t> r = residuals(shape, L, X);
    res_.assign(r.begin(), r.end());
    for (std::int64_t v : res_) cost_ += std::abs(v);
  }
  std::int64_t cost() const { return cost_; }
  const std::vector<std::int64_t>& values() const { return x_; }

  void flip(int pos) {
    const int nu = L_.R * L_.na, nv = L_.R * L_.nb;
    const std::int64_t d = -2 * x_[pos];
    if (pos < nu) {
      const int r = pos / L_.na, a = pos % L_.na;
      for (int b = 0; b < L_.nb; ++b)
        if (const std::int64_t vb = x_[L_.v(r, b)])
          for (int c = 0; c < L_.nc; ++c)
            if (const std::int64_t wc = x_[L_.w(r, c)]) add((a * L_.nb + b) * L_.nc + c, d * vb * wc);
    } else if (pos < nu + nv) {
      const int r = (pos - nu) / L_.nb, b = (pos - nu) % L_.nb;
      for (int a = 0; a < L_.na; ++a)
        if (const std::int64_t ua = x_[L_.u(r, a)])
          for (int c = 0; c < L_.nc; ++c)
            if (const std::int64_t wc = x_[L_.w(r, c)]) add((a * L_.nb + b) * L_.nc + c, d * ua * wc);
    } else {
      const int r = (pos - nu - nv) / L_.nc, c = (pos - nu - nv) % L_.nc;
      for (int a = 0; a < L_.na; ++a)
        if (const std::int64_t ua = x_[L_.u(r, a)])
          for (int b = 0; b < L_.nb; ++b)
            if (const std::int64_t vb = x_[L_.v(r, b)]) add((a * L_.nb + b) * L_.nc + c, d * ua * vb);
    }
    x_[pos] = -x_[pos];
  }
  void apply(const std::vector<int>& positions) {
    for (int p : positions) flip(p);
  }

 private:
  void add(int eq, std::int64_t delta) {
    cost_ -= std::abs(res_[eq]);
    res_[eq] += delta;
    cost_ += std::abs(res_[eq]);
  }
  Layout L_;
  std::vector<std::int64_t> x_, res_;
  std::int64_t cost_ = 0;
};

// One step of the local search over a sign system's solution space (the GF2 kernel, as lists of
// coefficient positions): a random kernel move, undone if it raises the summed |residual|; after
// 20 x dim steps without a new low, a random point of the space.
void local_search_step(SignState& st, const std::vector<std::vector<int>>& moves, std::uint64_t& rng,
                       std::int64_t& best, std::uint64_t& stall) {
  const auto& m = moves[splitmix64(rng) % moves.size()];
  const std::int64_t before = st.cost();
  st.apply(m);
  if (st.cost() > before) st.apply(m);
  if (st.cost() < best) {
    best = st.cost();
    stall = 0;
  } else if (++stall > 20ULL * moves.size()) {
    for (const auto& mv : moves)
      if (splitmix64(rng) & 1) st.apply(mv);
    best = st.cost();
    stall = 0;
  }
}

struct SignOutcome {
  std::optional<Scheme> scheme;
  std::string detail;
};

SignOutcome sign_lift(const Shape& shape, const Layout& L, const std::vector<std::uint64_t>& X0,
                      const LiftOptions& opt) {
  // Unknowns: the support, less one u and one v entry per term (the gauge
  // u (x) v (x) w = (-u) (x) (-v) (x) w = (-u) (x) v (x) (-w) fixes them to +1).
  std::vector<int> unknowns;
  for (int r = 0; r < L.R; ++r) {
    bool first_u = true, first_v = true;
    for (int a = 0; a < L.na; ++a)
      if (X0[L.u(r, a)]) {
        if (!first_u) unknowns.push_back(L.u(r, a));
        first_u = false;
      }
    for (int b = 0; b < L.nb; ++b)
      if (X0[L.v(r, b)]) {
        if (!first_v) unknowns.push_back(L.v(r, b));
        first_v = false;
      }
    for (int c = 0; c < L.nc; ++c)
      if (X0[L.w(r, c)]) unknowns.push_back(L.w(r, c));
  }
  const Unknowns P = untied(L);
  std::vector<int> col(L.size(), -1);
  for (std::size_t j = 0; j < unknowns.size(); ++j) col[unknowns[j]] = static_cast<int>(j);
  Gf2System sys = jacobian(L, P, X0, col, static_cast<int>(unknowns.size()));
  Bits s0;
  if (!sys.solve(rhs_bits(P, residuals(shape, L, X0), 1), s0))
    return {std::nullopt, "no sign pattern: the mod-4 system on the support is inconsistent"};
  std::vector<Bits> kernel = sys.kernel();
  std::vector<std::vector<int>> moves;  // kernel vectors as lists of coefficient positions
  for (const Bits& k : kernel) {
    std::vector<int> m;
    for (int j = 0; j < sys.cols(); ++j)
      if (get_bit(k, j)) m.push_back(unknowns[j]);
    moves.push_back(std::move(m));
  }
  std::vector<std::int64_t> x(X0.begin(), X0.end());
  for (int j = 0; j < sys.cols(); ++j)
    if (get_bit(s0, j)) x[unknowns[j]] = -1;
  SignState st(shape, L, std::move(x));
  const int dim = static_cast<int>(moves.size());
  const std::string sys_text =
      std::to_string(unknowns.size()) + " sign unknowns, solution space 2^" + std::to_string(dim);
  auto found = [&](std::uint64_t tried, const char* how) -> std::optional<SignOutcome> {
    if (st.cost() != 0) return std::nullopt;
    if (auto s = try_integer_values(shape, L, st.values()))
      return SignOutcome{std::move(s), sys_text + ", " + how + " " + std::to_string(tried) + " candidates"};
    return std::nullopt;
  };
  if (dim <= 16) {  // every point, in Gray-code order (one kernel vector per step)
    const std::uint64_t n = 1ULL << dim;
    for (std::uint64_t t = 0; t < n; ++t) {
      if (t) st.apply(moves[std::countr_zero(t)]);
      if (auto f = found(t + 1, "enumerated")) return std::move(*f);
    }
    return {std::nullopt, sys_text + ", all enumerated, none holds over Z"};
  }
  // Local search over the solution space: accept a kernel move unless it raises the summed
  // |residual|; restart from a random point after a long stall.
  std::uint64_t rng = opt.seed ^ 0x5167A11F7ULL;
  std::int64_t best = st.cost();
  std::uint64_t stall = 0;
  for (std::uint64_t n = 1; n <= opt.sign_moves; ++n) {
    if (auto f = found(n, "local search over")) return std::move(*f);
    if (n % 1024 == 0 && past_deadline(opt))
      return {std::nullopt, sys_text + ", local search stopped at the deadline after " + std::to_string(n) + " moves"};
    local_search_step(st, moves, rng, best, stall);
  }
  return {std::nullopt, sys_text + ", local search of " + std::to_string(opt.sign_moves) + " moves found none"};
}

// ---- Route 2: Hensel lifting, free unknowns chosen to keep coefficients small ---------------

// The point of d0 + span(kernel) nearest to `want` on the positions in `care`, greedily: apply
// a kernel vector whenever it lowers the distance, until none does. `rng` (may be null)
// randomizes the starting point and the order.
Bits nearest(const Bits& d0, const std::vector<Bits>& kernel, const Bits& want, const Bits& care,
             std::uint64_t* rng) {
  const std::size_t W = d0.size();
  Bits cur = d0;
  auto dist = [&](const Bits& d) {
    int n = 0;
    for (std::size_t x = 0; x < W; ++x) n += std::popcount((d[x] ^ want[x]) & care[x]);
    return n;
  };
  std::vector<std::size_t> order(kernel.size());
  std::iota(order.begin(), order.end(), 0);
  if (rng) {
    for (const Bits& k : kernel)
      if (splitmix64(*rng) & 1)
        for (std::size_t x = 0; x < W; ++x) cur[x] ^= k[x];
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[splitmix64(*rng) % i]);
  }
  int d = dist(cur);
  for (bool improved = true; improved && d > 0;) {
    improved = false;
    for (std::size_t i : order) {
      const Bits& k = kernel[i];
      int nd = 0;
      for (std::size_t x = 0; x < W; ++x) nd += std::popcount((cur[x] ^ k[x] ^ want[x]) & care[x]);
      if (nd < d) {
        for (std::size_t x = 0; x < W; ++x) cur[x] ^= k[x];
        d = nd;
        improved = true;
      }
    }
  }
  return cur;
}

// J(X) n over the integers, mod 4, for a 0/1 vector n in the kernel of J mod 2: even in every
// equation, so its bit 1 is returned (the "half" of J(X) n mod 2). Only the terms that n touches
// contribute; the Jacobian's entries are X's products taken mod 4.
Bits half_jacobian_product(const Layout& L, const std::vector<std::uint64_t>& X, const Bits& n) {
  const int na = L.na, nb = L.nb, nc = L.nc;
  std::vector<std::uint8_t> acc(static_cast<std::size_t>(L.equations()), 0);
  std::vector<int> du, dv, dw, su, sv, sw;
  for (int r = 0; r < L.R; ++r) {
    du.clear(), dv.clear(), dw.clear(), su.clear(), sv.clear(), sw.clear();
    for (int a = 0; a < na; ++a) {
      if (get_bit(n, L.u(r, a))) du.push_back(a);
      if (X[L.u(r, a)] & 3) su.push_back(a);
    }
    for (int b = 0; b < nb; ++b) {
      if (get_bit(n, L.v(r, b))) dv.push_back(b);
      if (X[L.v(r, b)] & 3) sv.push_back(b);
    }
    for (int c = 0; c < nc; ++c) {
      if (get_bit(n, L.w(r, c))) dw.push_back(c);
      if (X[L.w(r, c)] & 3) sw.push_back(c);
    }
    if (du.empty() && dv.empty() && dw.empty()) continue;
    auto x = [&](int i) { return static_cast<std::uint8_t>(X[i] & 3); };
    auto add = [&](int a, int b, int c, std::uint8_t val) { acc[(static_cast<std::size_t>(a) * nb + b) * nc + c] += val; };
    for (int a : du)
      for (int b : sv)
        for (int c : sw) add(a, b, c, x(L.v(r, b)) * x(L.w(r, c)));
    for (int a : su)
      for (int b : dv)
        for (int c : sw) add(a, b, c, x(L.u(r, a)) * x(L.w(r, c)));
    for (int a : su)
      for (int b : sv)
        for (int c : dw) add(a, b, c, x(L.u(r, a)) * x(L.v(r, b)));
  }
  Bits half((acc.size() + 63) / 64, 0);
  for (std::size_t e = 0; e < acc.size(); ++e) {
    if (acc[e] & 1) throw Error("Hensel look-ahead: a kernel vector of J mod 2 is not in the kernel (a bug)");
    if (acc[e] & 2) flip_bit(half, static_cast<int>(e));
  }
  return half;
}

std::string lookahead_note(int lookaheads) {
  return lookaheads ? ", " + std::to_string(lookaheads) + " step(s) chosen by exact look-ahead" : "";
}

// Exact one-step look-ahead of the Hensel step k -> k+1 (X solves the Brent equations mod 2^k,
// d0 + span(kernel) are the solutions D of step k): which choices make step k+1 -> k+2 solvable?
// With D = d0 + sum z_i n_i taken over the integers, the residual of X + 2^k D has bit k+1 equal
// to h0 + M z mod 2, where h0 is that bit for D = d0 and column i of M is half of J(X) n_i; the
// quadratic part of the Brent equations, 2^2k, does not reach bit k+1 once k >= 2. So step k+1
// is solvable exactly when J e + M z = h0 has a solution (e, z) over GF(2): one linear system,
// [J | M], instead of sampling choices (the two's-complement sum and the XOR of the n_i differ by
// twice a vector, which moves bit k+1 by a column of J only). On success `d` is such a choice and
// `directions` spans the others (as changes of d); false when no choice works.
bool lookahead_choice(const Shape& shape, const Layout& L, const Unknowns& P, const std::vector<std::uint64_t>& X0,
                      const std::vector<std::uint64_t>& X, int k, const Bits& d0, const std::vector<Bits>& kernel,
                      Bits& d, std::vector<Bits>& directions) {
  const int U = P.count(), K = static_cast<int>(kernel.size());
  std::vector<int> all(U);
  std::iota(all.begin(), all.end(), 0);
  Gf2System aug(P.rows(), U + K);
  fill_jacobian(aug, L, P, X0, all);
  for (int i = 0; i < K; ++i) {
    Bits n((L.size() + 63) / 64, 0);  // kernel[i] on the coefficients
    for (int c = 0; c < L.size(); ++c)
      if (get_bit(kernel[i], P.cls[c])) flip_bit(n, c);
    const Bits m = half_jacobian_product(L, X, n);
    for (int q = 0; q < P.rows(); ++q)
      if (get_bit(m, P.kept[q])) aug.set(q, U + i);
  }
  aug.eliminate();
  Bits sol;
  if (!aug.solve(rhs_bits(P, residuals(shape, L, stepped(P, X, d0, k)), k + 1), sol)) return false;
  auto combine = [&](const Bits& v) {
    Bits out(d0.size(), 0);
    for (int i = 0; i < K; ++i)
      if (get_bit(v, U + i))
        for (std::size_t x = 0; x < out.size(); ++x) out[x] ^= kernel[i][x];
    return out;
  };
  d = combine(sol);
  for (std::size_t x = 0; x < d.size(); ++x) d[x] ^= d0[x];
  directions.clear();
  for (const Bits& v : aug.kernel()) {
    Bits dir = combine(v);
    if (std::any_of(dir.begin(), dir.end(), [](std::uint64_t w) { return w != 0; })) directions.push_back(std::move(dir));
  }
  return true;
}

// What the Hensel paths of one lift came to.
struct HenselOutcome {
  std::optional<Scheme> scheme;  // over Z, verified: the first path that settled
  int steps = 0, path = 0;       // of that path
  bool no_solution_mod4 = false; // definitive: no lift at all (to Z, or Q with odd denominators)
  std::vector<std::vector<std::uint64_t>> finals;  // X mod 2^max_steps of paths that went the distance
  std::string last_failure;      // why the last failed path stopped
  int lookaheads = 0;            // steps chosen by lookahead_choice
};

// Route 2 over the unknowns P, from the GF2 point X0 (0/1, constant on P's classes): up to
// opt.hensel_tries paths of Hensel steps (lift.hpp says how each step's free unknowns are
// chosen); after every step the symmetric residues are tried over Z. `salt` seeds the random
// choices together with opt.seed.
HenselOutcome hensel_paths(const Shape& shape, const Layout& L, const Unknowns& P, const std::vector<std::uint64_t>& X0,
                           const LiftOptions& opt, std::uint64_t salt) {
  const int U = P.count();
  std::vector<int> all(U);
  std::iota(all.begin(), all.end(), 0);
  const Gf2System sys = jacobian(L, P, X0, all, U);
  const std::vector<Bits> kernel = sys.kernel();
  const int W = sys.words();
  Bits zeros_of_x0(W, 0);
  for (int j = 0; j < U; ++j)
    if (!X0[P.first_of[j]]) flip_bit(zeros_of_x0, j);
  const Bits everywhere(W, ~0ULL);
  const int choices = std::max(1, opt.hensel_choices);
  HenselOutcome out;
  std::uint64_t rng = opt.seed * 0x9E3779B97F4A7C15ULL + salt;
  for (int attempt = 0; attempt < std::max(1, opt.hensel_tries) && !(attempt && past_deadline(opt)); ++attempt) {
    std::vector<std::uint64_t> X = X0;
    bool dead_end = false;
    // Path 2 takes the particular solution at every step, not the nearest point: on 101 GF(2)
    // schemes of small formats it lifted 7 to Z that the nearest-point paths did not, and it
    // lifted the campaign's <7,7,8> 283 (results/search/lift_split/README.md).
    const bool particular = attempt == 1;
    for (int k = 1; k < opt.max_steps; ++k) {
      // A path of a large scheme takes minutes (two triangular solves a step, 40 steps): the
      // deadline is checked at every step, not only between paths.
      if (k > 1 && past_deadline(opt)) {
        out.last_failure = "the deadline passed at mod 2^" + std::to_string(k);
        dead_end = true;
        break;
      }
      Bits d0;
      if (!sys.solve(rhs_bits(P, residuals(shape, L, X), k), d0)) {
        if (k == 1) {  // every lift (to Z, or Q with odd denominators) is a solution mod 4
          out.no_solution_mod4 = true;
          return out;
        }
        out.last_failure = "a branch had no solution mod 2^" + std::to_string(k + 1);
        dead_end = true;
        break;
      }
      // Digit k of the two's complement of each current symmetric residue: choosing it keeps the
      // value. Mod 4 (k = 1) the support may take either sign; zeros should stay 0.
      Bits want(W, 0);
      for (int j = 0; j < U; ++j)
        if (symmetric(X[P.first_of[j]], k) < 0) flip_bit(want, j);
      // The choice made now decides whether the next step is solvable (the system is linear only
      // mod 2), so try a few choices: the nearest point (greedy from the particular solution,
      // then from random points), finally the particular solution.
      const Bits& care = k == 1 ? zeros_of_x0 : everywhere;
      std::vector<std::uint64_t> next;
      auto take = [&](const Bits& d) {
        next = stepped(P, X, d, k);
        Bits probe;
        return k + 1 >= opt.max_steps || sys.solve(rhs_bits(P, residuals(shape, L, next), k + 1), probe);
      };
      bool next_solvable = false;
      for (int choice = particular ? choices - 1 : 0; choice < choices && !next_solvable; ++choice)
        next_solvable = take(choice == choices - 1 ? d0 : nearest(d0, kernel, want, care, attempt || choice ? &rng : nullptr));
      // None of the sampled choices works: from k = 2 on, the look-ahead is a linear system
      // (lookahead_choice) that finds a working choice, or proves that there is none above X.
      if (!next_solvable && k >= 2 && opt.hensel_lookahead &&
          Gf2System::estimated_seconds(P.rows(), U + static_cast<double>(kernel.size())) < seconds_left(opt)) {
        Bits d;
        std::vector<Bits> directions;
        ++out.lookaheads;
        if (!lookahead_choice(shape, L, P, X0, X, k, d0, kernel, d, directions)) {
          out.last_failure = "no choice at step " + std::to_string(k) + " makes the Brent equations solvable mod 2^" +
                             std::to_string(k + 2) + " (exact look-ahead)";
          dead_end = true;
          break;
        }
        if (!take(nearest(d, directions, want, care, nullptr)))
          throw Error("Hensel look-ahead: the chosen step leaves the next one unsolvable (a bug)");
      }
      X = std::move(next);
      std::vector<std::int64_t> x(X.size());
      for (std::size_t i = 0; i < X.size(); ++i) x[i] = symmetric(X[i], k + 1);
      if (auto s = try_integer_values(shape, L, x)) {
        out.scheme = std::move(s);
        out.steps = k;
        out.path = attempt + 1;
        return out;
      }
    }
    if (!dead_end) out.finals.push_back(std::move(X));
  }
  return out;
}

}  // namespace

std::string to_string(LiftRoute route) {
  switch (route) {
    case LiftRoute::Sign: return "sign lift";
    case LiftRoute::Hensel: return "Hensel lift";
    case LiftRoute::Rational: return "rational reconstruction";
    case LiftRoute::Neighbour: return "lift of a flip neighbour";
    case LiftRoute::None: break;
  }
  return "none";
}

namespace {


// Routes 1 and 2 on `mod2` itself; route 3's result, if any, goes to `rational` (it is used
// only when no flip neighbour lifts to Z either).
LiftResult lift_direct(const Scheme& mod2, const LiftOptions& opt, std::optional<LiftResult>* rational) {
  const Shape shape = mod2.shape();
  const Layout L{mod2.rank(), shape.a_size(), shape.b_size(), shape.c_size()};
  const std::vector<std::uint64_t> X0 = gf2_point(mod2, L);
  auto success = [](Scheme s, int steps, LiftRoute route, std::string text) {
    const std::int64_t m = s.field() == Field::Z ? max_abs(s) : 0;
    return LiftResult{std::move(s), steps, route, m, std::move(text)};
  };

  std::string sign_detail = "sign lift not tried";
  if (opt.sign_lift) {
    SignOutcome so = sign_lift(shape, L, X0, opt);
    if (so.scheme)
      return success(std::move(*so.scheme), 1, LiftRoute::Sign,
                     "sign lift: Z scheme with entries in {-1,0,1} on the GF2 support (" + so.detail + ")");
    sign_detail = "sign lift: " + so.detail;
  }
  if (!opt.hensel) return {std::nullopt, 1, LiftRoute::None, 0, "no lift found (" + sign_detail + ")"};
  // The sign lift's system has the support's unknowns only; Hensel's has every coefficient
  // (search/lift/gf2_system.hpp says which sizes it takes, and how).
  if (!Gf2System::fits(L.equations(), L.size()))
    return {std::nullopt, 1, LiftRoute::None, 0,
            "Hensel not attempted: " + shape.str() + " rank " + std::to_string(L.R) +
                " is too large for the GF2 solver" + (Gf2System::have_m4ri() ? "" : " (built without M4RI)") + "; " +
                sign_detail};
  if (const double left = seconds_left(opt), needs = Gf2System::estimated_seconds(L.equations(), L.size()); needs > left)
    return {std::nullopt, 1, LiftRoute::None, 0,
            "Hensel skipped: its GF2 system (" + std::to_string(L.equations()) + " x " + std::to_string(L.size()) +
                ") would take about " + std::to_string(static_cast<long>(needs)) + " s, more than the " +
                std::to_string(static_cast<long>(std::max(0.0, left))) + " s left before the deadline; " + sign_detail};

  HenselOutcome h = hensel_paths(shape, L, untied(L), X0, opt, 0x1157);
  if (h.no_solution_mod4)
    return {std::nullopt, 1, LiftRoute::None, 0,
            "does not lift (to Z, or Q with odd denominators): the Brent equations have no solution "
            "mod 4 above this GF2 scheme"};
  if (h.scheme) {
    const std::int64_t m = max_abs(*h.scheme);
    return success(std::move(*h.scheme), h.steps, LiftRoute::Hensel,
                   "Hensel lift to Z after " + std::to_string(h.steps) + " steps (mod 2^" + std::to_string(h.steps + 1) +
                       "), path " + std::to_string(h.path) + " of " + std::to_string(opt.hensel_tries) +
                       ", symmetric residues, max |coefficient| " + std::to_string(m) + lookahead_note(h.lookaheads) +
                       "; " + sign_detail);
  }
  // A rational scheme is the caller's fallback: the report below (why there is no integer one)
  // is appended to its own, once, by lift_scheme.
  bool have_rational = false;
  if (opt.rational)
    for (std::size_t t = 0; t < h.finals.size() && !have_rational; ++t)
      if (auto s = try_rational(shape, L, h.finals[t], opt.max_steps)) {
        have_rational = true;
        if (rational)
          *rational = success(std::move(*s), opt.max_steps, LiftRoute::Rational,
                              "lifted to " + to_string(s->field()) + " by rational reconstruction mod 2^" +
                                  std::to_string(opt.max_steps) + " (Hensel path " + std::to_string(t + 1) + ")");
      }
  if (h.last_failure.empty())
    h.last_failure = have_rational ? "no path settled to small integers"
                                   : "no path settled, rational reconstruction failed";
  return {std::nullopt, opt.max_steps, LiftRoute::None, 0,
          std::string(have_rational ? "no Z lift found (" : "no lift found (") + sign_detail + "; Hensel: " +
              std::to_string(opt.hensel_tries) + " paths, " + h.last_failure + lookahead_note(h.lookaheads) + ")"};
}

}  // namespace

LiftResult lift_scheme(const Scheme& gf2, const LiftOptions& opt) {
  require_verified(reduce_mod2(gf2), "lifting needs a scheme valid over GF2");
  if (opt.max_steps < 2 || opt.max_steps > 62) throw Error("lifting: max_steps must be in 2..62");
  const Scheme mod2 = reduce_mod2(gf2);
  std::optional<LiftResult> rational;
  LiftResult direct = lift_direct(mod2, opt, opt.rational ? &rational : nullptr);
  if (direct.scheme || direct.steps == 0) return direct;
  // Route 4: some GF2 schemes have no integer lift at all (Kauers-Moosbauer 2023 report this);
  // a scheme a few flips away in the same flip graph often has one. Walk from `mod2` and lift
  // each scheme of the same or lower rank met every `neighbour_flips` flips.
  if (opt.neighbours > 0 && mask_words(mod2.shape()) == 1) {
    // Each neighbour costs an elimination: keep Hensel paths to the formats where the full
    // system is cheap and bound their total work to about 3e9 word operations (a few
    // seconds); elsewhere neighbours get the sign lift only, whose system has the support's
    // unknowns only (<5,5,5> rank 97: about 0.1 s each).
    const double eqs = static_cast<double>(mod2.shape().a_size()) * mod2.shape().b_size() * mod2.shape().c_size();
    const double unknowns = static_cast<double>(mod2.rank()) *
                            (mod2.shape().a_size() + mod2.shape().b_size() + mod2.shape().c_size());
    const double cost = eqs * unknowns * (unknowns + eqs) / 64;
    LiftOptions quick = opt;
    quick.hensel = cost < 2e8;
    const int neighbours =
        quick.hensel ? static_cast<int>(std::clamp(3e9 / cost, 0.0, static_cast<double>(opt.neighbours))) : opt.neighbours;
    quick.hensel_tries = 2;
    quick.rational = false;
    quick.sign_moves = std::min<std::uint64_t>(opt.sign_moves, 1u << 14);
    FlipGraph<Gf2> graph(mod2.rank() + 1);
    graph.assign(gf2_terms(mod2));
    std::uint64_t rng = opt.seed ^ 0xF11B5EEDULL;
    int tried = 0;
    for (int n = 1; n <= neighbours && !past_deadline(opt); ++n, ++tried) {
      for (int f = 0; f < opt.neighbour_flips && graph.has_flip(); ++f) graph.random_flip(splitmix64(rng));
      const Scheme next = to_scheme(mod2.shape(), graph.terms());
      if (!verify(next, Field::GF2).ok) break;  // cannot happen: flips keep the scheme valid
      LiftResult r = lift_direct(next, quick, nullptr);
      if (r.scheme && r.scheme->field() == Field::Z) {
        r.route = LiftRoute::Neighbour;
        r.report = "the scheme itself has no small lift (" + direct.report + "); flip neighbour " +
                   std::to_string(n) + " (" + std::to_string(n * opt.neighbour_flips) +
                   " GF2 flips away, rank " + std::to_string(r.scheme->rank()) + ") lifts: " + r.report;
        return r;
      }
    }
    direct.report += "; none of " + std::to_string(tried) + " flip neighbours lifted to Z" +
                     (tried < neighbours ? " (stopped at the deadline)" : "");
  }
  if (rational) {
    rational->report += "; " + direct.report;
    return *rational;
  }
  return direct;
}

LiftResult lift_scheme_tied(const Scheme& gf2, const LiftTies& ties, const LiftOptions& opt) {
  require_verified(reduce_mod2(gf2), "lifting needs a scheme valid over GF2");
  if (opt.max_steps < 2 || opt.max_steps > 62) throw Error("lifting: max_steps must be in 2..62");
  const Scheme mod2 = reduce_mod2(gf2);
  const Shape shape = mod2.shape();
  const Layout L{mod2.rank(), shape.a_size(), shape.b_size(), shape.c_size()};
  if (static_cast<int>(ties.coefficient_class.size()) != L.size() ||
      static_cast<int>(ties.equation_class.size()) != L.equations())
    throw Error("lifting: the ties do not match the scheme's rank and shape");
  // Renumber the classes 0..U-1 and keep the first equation of each equation class.
  Unknowns P;
  P.cls.resize(L.size());
  {
    std::vector<int> id(L.size() + 1, -1);
    for (int i = 0; i < L.size(); ++i) {
      const int c = ties.coefficient_class[i];
      if (c < 0 || c >= L.size()) throw Error("lifting: coefficient class out of range");
      if (id[c] < 0) id[c] = P.count(), P.first_of.push_back(i);
      P.cls[i] = id[c];
    }
  }
  const int U = P.count();
  P.row_of.assign(L.equations(), -1);
  {
    std::vector<int> id(L.equations() + 1, -1);
    for (int e = 0; e < L.equations(); ++e) {
      const int c = ties.equation_class[e];
      if (c < 0 || c >= L.equations()) throw Error("lifting: equation class out of range");
      if (id[c] >= 0) continue;  // the same equation as one kept already
      id[c] = P.row_of[e] = P.rows();
      P.kept.push_back(e);
    }
  }
  if (!Gf2System::fits(static_cast<double>(P.rows()), U))
    return {std::nullopt, 0, LiftRoute::None, 0,
            "not attempted: " + std::to_string(U) + " tied unknowns and " + std::to_string(P.rows()) +
                " equations are too many for the GF2 solver"};
  const std::vector<std::uint64_t> X0 = gf2_point(mod2, L);
  for (int i = 0; i < L.size(); ++i)
    if (X0[i] != X0[P.first_of[P.cls[i]]]) throw Error("lifting: the GF2 scheme gives different values to tied coefficients");
  const std::string sizes = std::to_string(U) + " tied unknowns, " + std::to_string(P.rows()) + " equations";

  // Route 1 with ties: entries +-1 on the GF2 support (x = 1 - 2s), the signs s of the support
  // classes solving the mod-4 equations; the affine solution space is searched for an exact
  // solution by the same local search as sign_lift() (moves: kernel vectors, each flipping every
  // coefficient of its classes). The sign gauge of each orbit stays in the kernel.
  std::string sign_detail = "tied sign lift not tried";
  if (opt.sign_lift) {
    std::vector<int> col(U, -1), support;
    for (int j = 0; j < U; ++j)
      if (X0[P.first_of[j]]) col[j] = static_cast<int>(support.size()), support.push_back(j);
    const Gf2System ss = jacobian(L, P, X0, col, static_cast<int>(support.size()));
    Bits s0;
    if (!ss.solve(rhs_bits(P, residuals(shape, L, X0), 1), s0)) {
      sign_detail = "tied sign lift: the mod-4 system on the support is inconsistent";
    } else {
      std::vector<std::vector<int>> moves;
      for (const Bits& k : ss.kernel()) {
        std::vector<int> m;
        for (int i = 0; i < L.size(); ++i)
          if (col[P.cls[i]] >= 0 && get_bit(k, col[P.cls[i]])) m.push_back(i);
        moves.push_back(std::move(m));
      }
      std::vector<std::int64_t> x(X0.begin(), X0.end());
      for (int i = 0; i < L.size(); ++i)
        if (col[P.cls[i]] >= 0 && get_bit(s0, col[P.cls[i]])) x[i] = -1;
      SignState st(shape, L, std::move(x));
      const int dim = static_cast<int>(moves.size());
      std::uint64_t rng = opt.seed ^ 0x51A7ED5ULL;
      std::int64_t best = st.cost();
      std::uint64_t stall = 0, n = 0;
      for (; n <= opt.sign_moves && dim > 0 && !(n % 1024 == 0 && past_deadline(opt)); ++n) {
        if (st.cost() == 0) {
          if (auto s = try_integer_values(shape, L, st.values())) {
            const std::int64_t m = max_abs(*s);
            return LiftResult{std::move(*s), 1, LiftRoute::Sign, m,
                              "tied sign lift: Z scheme with entries in {-1,0,1} on the GF2 support (" + sizes +
                                  ", " + std::to_string(support.size()) + " sign unknowns, solution space 2^" +
                                  std::to_string(dim) + ", local search " + std::to_string(n) + " moves)"};
          }
        }
        local_search_step(st, moves, rng, best, stall);
      }
      sign_detail = "tied sign lift: solution space 2^" + std::to_string(dim) + ", local search of " +
                    std::to_string(n) + " moves found none";
    }
  }
  if (!opt.hensel) return {std::nullopt, 1, LiftRoute::None, 0, "no tied lift found (" + sizes + "; " + sign_detail + ")"};

  HenselOutcome h = hensel_paths(shape, L, P, X0, opt, 0x71ED);
  if (h.no_solution_mod4)
    return {std::nullopt, 1, LiftRoute::None, 0,
            "does not lift with its ties (" + sizes + "): no tied solution mod 4 above this GF2 scheme"};
  if (h.scheme) {
    const std::int64_t m = max_abs(*h.scheme);
    return LiftResult{std::move(*h.scheme), h.steps, LiftRoute::Hensel, m,
                      "Hensel lift with ties to Z after " + std::to_string(h.steps) + " steps (mod 2^" +
                          std::to_string(h.steps + 1) + "), path " + std::to_string(h.path) + " of " +
                          std::to_string(opt.hensel_tries) + ", " + sizes + ", max |coefficient| " + std::to_string(m) +
                          lookahead_note(h.lookaheads) + "; " + sign_detail};
  }
  if (h.last_failure.empty()) h.last_failure = "no path settled to small integers";
  return {std::nullopt, opt.max_steps, LiftRoute::None, 0,
          "no tied lift found (" + sizes + "; " + sign_detail + "; " + std::to_string(opt.hensel_tries) +
              " Hensel paths, " + h.last_failure + lookahead_note(h.lookaheads) + ")"};
}

LiftResult hensel_lift(const Scheme& gf2, int max_steps) {
  LiftOptions opt;
  opt.max_steps = max_steps;
  return lift_scheme(gf2, opt);
}

}  // namespace fmm::search
