#include "search/additions/walk_scheme.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "tensor/error.hpp"
#include "tensor/transform.hpp"

namespace fmm::search::additions {

namespace {

bool is_zero(const Factor& f) {
  return std::all_of(f.begin(), f.end(), [](int x) { return x == 0; });
}

// +1 when a == b, -1 when a == -b, 0 otherwise (a, b nonzero).
int sign_relation(const Factor& a, const Factor& b) {
  int s = 0;
  for (std::size_t x = 0; x < a.size(); ++x) {
    if (a[x] == 0 && b[x] == 0) continue;
    const int here = a[x] == b[x] ? 1 : a[x] == -b[x] ? -1 : 0;
    if (here == 0 || (s != 0 && here != s)) return 0;
    s = here;
  }
  return s;
}

// Hash of a factor up to sign (first nonzero made positive).
std::uint64_t sign_free_hash(const Factor& f) {
  int sign = 0;
  std::uint64_t h = 0x243F6A8885A308D3ULL;
  for (int x : f) {
    if (sign == 0 && x != 0) sign = x > 0 ? 1 : -1;
    h = (h ^ static_cast<std::uint64_t>(static_cast<std::int64_t>(x * (sign ? sign : 1)) + 0x80)) * 0x100000001B3ULL;
  }
  return h;
}

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

WalkScheme::WalkScheme(const Scheme& scheme, int max_coefficient) : shape_(scheme.shape()), bound_(max_coefficient) {
  if (max_coefficient < 1) throw Error("the coefficient bound must be at least 1");
  for (int r = 0; r < scheme.rank(); ++r) {
    std::array<std::span<const Rational>, 3> src = {scheme.u(r), scheme.v(r), scheme.w(r)};
    // u = (g_u / l_u) u' and v = (g_v / l_v) v' with u', v' coprime integers; w' = w (g_u g_v)/(l_u l_v).
    WalkTerm t;
    Rational carry = 1;
    for (int k = 0; k < 2; ++k) {
      std::int64_t l = 1, g = 0;
      for (const Rational& c : src[static_cast<std::size_t>(k)]) l = checked_lcm(l, c.den());
      for (const Rational& c : src[static_cast<std::size_t>(k)]) g = checked_gcd(g, checked_mul(c.num(), l / c.den()));
      if (g == 0) g = 1;
      for (const Rational& c : src[static_cast<std::size_t>(k)]) t.f[static_cast<std::size_t>(k)].push_back(static_cast<int>(checked_mul(c.num(), l / c.den()) / g));
      carry *= Rational(g, l);
    }
    for (const Rational& c : src[2]) {
      const Rational x = c * carry;
      if (!x.is_integer())
        throw Error("product " + std::to_string(r + 1) + " has a coefficient that no rescaling of its factors makes an integer (" +
                    x.str() + "); the additions search walks schemes over Z");
      t.f[2].push_back(static_cast<int>(x.num()));
    }
    for (const Factor& f : t.f)
      if (!in_bound(f))
        throw Error("product " + std::to_string(r + 1) + " has a coefficient beyond " + std::to_string(bound_) +
                    " in absolute value (raise --max-coefficient)");
    if (is_zero(t.f[0]) || is_zero(t.f[1]) || is_zero(t.f[2])) continue;
    terms_.push_back(std::move(t));
  }
  std::vector<int> all(terms_.size());
  std::iota(all.begin(), all.end(), 0);
  reduce_around(all);
}

bool WalkScheme::in_bound(const Factor& f) const {
  return std::all_of(f.begin(), f.end(), [&](int x) { return x <= bound_ && x >= -bound_; });
}

Scheme WalkScheme::to_scheme(Field field) const {
  Scheme s(shape_, field);
  std::array<std::vector<Rational>, 3> buf;
  for (const WalkTerm& t : terms_) {
    for (int k = 0; k < 3; ++k) {
      buf[static_cast<std::size_t>(k)].clear();
      for (int x : t.f[static_cast<std::size_t>(k)]) buf[static_cast<std::size_t>(k)].push_back(Rational(x));
    }
    s.add_term(buf[0], buf[1], buf[2]);
  }
  return s;
}

// Merges terms that agree in two factors up to sign, starting from the touched ones. Terms that
// vanish are removed (indices shift; the caller re-derives nothing from them).
void WalkScheme::reduce_around(std::vector<int> touched) {
  std::vector<char> dead(terms_.size(), 0);
  while (!touched.empty()) {
    const int a = touched.back();
    touched.pop_back();
    if (dead[static_cast<std::size_t>(a)]) continue;
    for (int b = 0; b < static_cast<int>(terms_.size()); ++b) {
      if (b == a || dead[static_cast<std::size_t>(b)]) continue;
      WalkTerm& ta = terms_[static_cast<std::size_t>(a)];
      const WalkTerm& tb = terms_[static_cast<std::size_t>(b)];
      int rel[3], equal = 0, other = -1;
      for (int k = 0; k < 3; ++k) {
        rel[k] = sign_relation(ta.f[static_cast<std::size_t>(k)], tb.f[static_cast<std::size_t>(k)]);
        if (rel[k]) ++equal;
        else other = k;
      }
      if (equal < 2) continue;
      if (other < 0) other = 2;  // all three agree: merge into w
      int s = 1;
      for (int k = 0; k < 3; ++k)
        if (k != other) s *= rel[k];
      Factor merged = ta.f[static_cast<std::size_t>(other)];
      for (std::size_t x = 0; x < merged.size(); ++x) merged[x] += s * tb.f[static_cast<std::size_t>(other)][x];
      if (!in_bound(merged)) continue;  // the merge would leave the coefficient set: keep both
      dead[static_cast<std::size_t>(b)] = 1;
      if (is_zero(merged)) {
        dead[static_cast<std::size_t>(a)] = 1;
        break;
      }
      ta.f[static_cast<std::size_t>(other)] = std::move(merged);
      touched.push_back(a);  // a changed: look again
      break;
    }
  }
  std::size_t keep = 0;
  for (std::size_t t = 0; t < terms_.size(); ++t) {
    if (dead[t]) continue;
    if (keep != t) terms_[keep] = std::move(terms_[t]);  // never self-move: it empties a vector
    ++keep;
  }
  terms_.resize(keep);
}

PassMask WalkScheme::random_flip(Rng& rng) {
  // Every unordered pair of terms whose factor k agrees up to sign.
  struct Candidate {
    int k, i, j;
  };
  std::vector<Candidate> cands;
  std::vector<std::pair<std::uint64_t, int>> keyed(terms_.size());
  for (int k = 0; k < 3; ++k) {
    for (std::size_t t = 0; t < terms_.size(); ++t) keyed[t] = {sign_free_hash(terms_[t].f[static_cast<std::size_t>(k)]), static_cast<int>(t)};
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t s = 0; s < keyed.size();) {
      std::size_t e = s + 1;
      while (e < keyed.size() && keyed[e].first == keyed[s].first) ++e;
      for (std::size_t a = s; a < e; ++a)
        for (std::size_t b = a + 1; b < e; ++b)
          if (sign_relation(terms_[static_cast<std::size_t>(keyed[a].second)].f[static_cast<std::size_t>(k)],
                            terms_[static_cast<std::size_t>(keyed[b].second)].f[static_cast<std::size_t>(k)]))
            cands.push_back({k, keyed[a].second, keyed[b].second});
      s = e;
    }
  }
  if (cands.empty()) return 0;
  const Candidate c = cands[rng.below(cands.size())];
  const std::uint64_t bits = rng.next();
  int i = c.i, j = c.j;
  if (bits & 1) std::swap(i, j);
  const int s = sign_relation(terms_[static_cast<std::size_t>(i)].f[static_cast<std::size_t>(c.k)],
                              terms_[static_cast<std::size_t>(j)].f[static_cast<std::size_t>(c.k)]);
  // x_i = s x_j:  x_i(x)y_i(x)z_i + x_j(x)y_j(x)z_j = x_i(x)(y_i + s t y_j)(x)z_i + x_j(x)y_j(x)(z_j - t z_i).
  // Of the four flips of this pair (which factor absorbs, t = +-1) the first, in a random order,
  // that stays within the coefficient bound is taken: most of them leave {-1,0,1}.
  Factor ny, nz;
  int y = 0, z = 0;
  bool ok = false;
  for (int attempt = 0; attempt < 4 && !ok; ++attempt) {
    const std::uint64_t choice = (static_cast<std::uint64_t>(attempt) + (bits >> 1)) & 3;
    y = (choice & 1) ? (c.k + 1) % 3 : (c.k + 2) % 3;
    z = 3 - c.k - y;
    const int t = (choice & 2) ? 1 : -1;
    ny = terms_[static_cast<std::size_t>(i)].f[static_cast<std::size_t>(y)];
    nz = terms_[static_cast<std::size_t>(j)].f[static_cast<std::size_t>(z)];
    for (std::size_t x = 0; x < ny.size(); ++x) ny[x] += s * t * terms_[static_cast<std::size_t>(j)].f[static_cast<std::size_t>(y)][x];
    for (std::size_t x = 0; x < nz.size(); ++x) nz[x] -= t * terms_[static_cast<std::size_t>(i)].f[static_cast<std::size_t>(z)][x];
    ok = in_bound(ny) && in_bound(nz);
  }
  if (!ok) return 0;
  const std::size_t before = terms_.size();
  terms_[static_cast<std::size_t>(i)].f[static_cast<std::size_t>(y)] = std::move(ny);
  terms_[static_cast<std::size_t>(j)].f[static_cast<std::size_t>(z)] = std::move(nz);
  std::vector<int> touched = {i, j};
  // A vanished factor kills its term.
  bool vanished = false;
  for (int idx : {i, j})
    for (const Factor& f : terms_[static_cast<std::size_t>(idx)].f)
      if (is_zero(f)) vanished = true;
  if (vanished) {
    std::vector<WalkTerm> next;
    std::vector<int> map(terms_.size(), -1);
    for (std::size_t q = 0; q < terms_.size(); ++q) {
      bool zero = false;
      for (const Factor& f : terms_[q].f) zero = zero || is_zero(f);
      if (!zero) {
        map[q] = static_cast<int>(next.size());
        next.push_back(std::move(terms_[q]));
      }
    }
    terms_ = std::move(next);
    touched.clear();
    for (int idx : {i, j})
      if (map[static_cast<std::size_t>(idx)] >= 0) touched.push_back(map[static_cast<std::size_t>(idx)]);
  }
  reduce_around(touched);
  if (terms_.size() != before) return kAllPasses;
  return (1u << y) | (1u << z);
}

bool WalkScheme::apply_basis(int dim, int a, int b, int e) {
  const int n = shape_.n, m = shape_.m, p = shape_.p;
  std::vector<WalkTerm> next = terms_;
  for (WalkTerm& t : next) {
    Factor& u = t.f[0];
    Factor& v = t.f[1];
    Factor& w = t.f[2];
    if (dim == 0) {  // X (n x n): U row b += e row a; W row a -= e row b
      for (int j = 0; j < m; ++j) u[static_cast<std::size_t>(b * m + j)] += e * u[static_cast<std::size_t>(a * m + j)];
      for (int k = 0; k < p; ++k) w[static_cast<std::size_t>(a * p + k)] -= e * w[static_cast<std::size_t>(b * p + k)];
    } else if (dim == 1) {  // Y (m x m): U col a -= e col b; V row b += e row a
      for (int i = 0; i < n; ++i) u[static_cast<std::size_t>(i * m + a)] -= e * u[static_cast<std::size_t>(i * m + b)];
      for (int k = 0; k < p; ++k) v[static_cast<std::size_t>(b * p + k)] += e * v[static_cast<std::size_t>(a * p + k)];
    } else {  // Z (p x p): V col a -= e col b; W col b += e col a
      for (int j = 0; j < m; ++j) v[static_cast<std::size_t>(j * p + a)] -= e * v[static_cast<std::size_t>(j * p + b)];
      for (int i = 0; i < n; ++i) w[static_cast<std::size_t>(i * p + b)] += e * w[static_cast<std::size_t>(i * p + a)];
    }
    for (const Factor& f : t.f)
      if (!in_bound(f)) return false;
  }
  terms_ = std::move(next);
  return true;
}

PassMask WalkScheme::random_basis_move(Rng& rng) {
  const int dims[3] = {shape_.n, shape_.m, shape_.p};
  std::vector<int> usable;
  for (int d = 0; d < 3; ++d)
    if (dims[d] >= 2) usable.push_back(d);
  if (usable.empty()) return 0;
  const int d = usable[rng.below(usable.size())];
  const int a = static_cast<int>(rng.below(static_cast<std::uint64_t>(dims[d])));
  int b = static_cast<int>(rng.below(static_cast<std::uint64_t>(dims[d] - 1)));
  if (b >= a) ++b;
  const int e = (rng.next() & 1) ? 1 : -1;
  if (!apply_basis(d, a, b, e)) return 0;
  return d == 0 ? 5u : d == 1 ? 3u : 6u;  // X: A and C; Y: A and B; Z: B and C
}

bool WalkScheme::has_symmetry() const {
  return (shape_.n == shape_.m && shape_.m == shape_.p) || shape_.n == shape_.p;
}

PassMask WalkScheme::random_symmetry(Rng& rng) {
  if (!has_symmetry()) return 0;
  const bool square = shape_.n == shape_.m && shape_.m == shape_.p;
  const Scheme s = to_scheme();
  Scheme out;
  const std::uint64_t pick = rng.below(square ? 3 : 1);
  if (shape_.n == shape_.p && pick == 0) out = transpose(s);
  else out = cyclic(s, pick == 2 ? 2 : 1);
  *this = WalkScheme(out, bound_);
  return kAllPasses;
}

std::uint64_t WalkScheme::fingerprint() const {
  std::uint64_t h = 0;
  for (const WalkTerm& t : terms_) {
    // Sign-normalise u and v (first nonzero positive), moving the signs into w.
    int su = 0, sv = 0;
    for (int x : t.f[0])
      if (x) {
        su = x > 0 ? 1 : -1;
        break;
      }
    for (int x : t.f[1])
      if (x) {
        sv = x > 0 ? 1 : -1;
        break;
      }
    std::uint64_t th = 0x9E3779B97F4A7C15ULL;
    for (int k = 0; k < 3; ++k) {
      const int s = k == 0 ? su : k == 1 ? sv : su * sv;
      for (int x : t.f[static_cast<std::size_t>(k)]) th = mix(th ^ static_cast<std::uint64_t>(static_cast<std::int64_t>(x * s) + 0x1000));
    }
    h += mix(th);
  }
  return h;
}

}  // namespace fmm::search::additions
