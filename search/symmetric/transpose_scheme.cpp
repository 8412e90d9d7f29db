#include "search/symmetric/transpose_scheme.hpp"

#include <algorithm>

#include "search/flip/flip_terms.hpp"
#include "tensor/error.hpp"

namespace fmm::search {

namespace {

// A byte table for the bit map `to` (input bit -> output bit) over `bits` input bits.
template <class F>
std::vector<std::array<SymFactor, 256>> byte_table(int bits, F to) {
  std::vector<std::array<SymFactor, 256>> t(static_cast<std::size_t>((bits + 7) / 8));
  for (std::size_t b = 0; b < t.size(); ++b)
    for (int x = 0; x < 256; ++x) {
      SymFactor out = 0;
      for (int i = 0; i < 8; ++i) {
        const int bit = static_cast<int>(8 * b) + i;
        if (x >> i & 1 && bit < bits) out |= SymFactor{1} << to(bit);
      }
      t[b][static_cast<std::size_t>(x)] = out;
    }
  return t;
}

void require_nmn(const Shape& s) {
  if (s.n != s.p)
    throw Error("the transposition symmetry needs a format <n,m,n> (first and last dimensions equal); got " + s.str() +
                (s.m == s.p ? " (try --shape " + std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.p) + ")"
                 : s.n == s.m ? " (try --shape " + std::to_string(s.n) + "x" + std::to_string(s.p) + "x" + std::to_string(s.m) + ")"
                              : std::string()));
  if (s.n > 8 || s.m > 8) throw Error("the transposition symmetry supports n, m <= 8; got " + s.str());
}

using Term = std::array<SymFactor, 3>;  // (u, v, w), tensor/ convention

Term tau(const TransposeMaps& T, const Term& t) { return {T.b_to_a(t[1]), T.a_to_b(t[0]), T.c_t(t[2])}; }

// Groups terms (u, v, w) into fixed terms and pairs (representative (U0, U1, W) = (u, v^T, w)).
SymmetricScheme group_pairs(const TransposeMaps& T, std::vector<Term> rest, const std::string& what) {
  SymmetricScheme out;
  out.n = T.n();
  out.m = T.m();
  out.order = 2;
  std::sort(rest.begin(), rest.end());
  std::vector<char> used(rest.size(), 0);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (used[i]) continue;
    used[i] = 1;
    const Term& t = rest[i];
    const Term e = tau(T, t);
    if (e == t) {
      out.fixed.push_back(t);
      continue;
    }
    // The image: the first unused equal term (terms may repeat; GF(2) multisets).
    auto it = std::lower_bound(rest.begin(), rest.end(), e);
    std::size_t j = static_cast<std::size_t>(it - rest.begin());
    while (j < rest.size() && rest[j] == e && used[j]) ++j;
    if (j == rest.size() || rest[j] != e)
      throw Error(what + " is not invariant under the transposition symmetry of <" + std::to_string(T.n()) + "," +
                  std::to_string(T.m()) + "," + std::to_string(T.n()) + ">: a term's image is missing");
    used[j] = 1;
    out.orbits.push_back({t[0], T.b_to_a(t[1]), t[2]});
  }
  return out;
}

}  // namespace

TransposeMaps::TransposeMaps(int n, int m) : n_(n), m_(m) {
  if (n < 1 || n > 8 || m < 1 || m > 8)
    throw Error("the transposition symmetry supports <n,m,n> with n, m <= 8; got n = " + std::to_string(n) +
                ", m = " + std::to_string(m));
  ab_ = byte_table(n * m, [&](int bit) { return (bit % m) * n + bit / m; });  // (i,j) at i*m+j -> (j,i) at j*n+i
  ba_ = byte_table(n * m, [&](int bit) { return (bit % n) * m + bit / n; });  // (j,i) at j*n+i -> (i,j) at i*m+j
  cc_ = byte_table(n * n, [&](int bit) { return (bit % n) * n + bit / n; });
}

SymmetricScheme decompose_transpose(const Scheme& scheme) {
  require_nmn(scheme.shape());
  const TransposeMaps T(scheme.shape().n, scheme.shape().m);
  std::vector<Term> terms;
  for (const auto& t : gf2_terms(scheme))
    if (t.f[0] && t.f[1] && t.f[2]) terms.push_back({t.f[0], t.f[1], t.f[2]});
  return group_pairs(T, std::move(terms), "scheme");
}

Scheme expand_transpose(const SymmetricScheme& sym) {
  const TransposeMaps T(sym.n, sym.m);
  std::vector<FlipTerm<Gf2>> terms;
  auto add = [&](SymFactor u, SymFactor v, SymFactor w) {
    FlipTerm<Gf2> f;
    f.f[0] = u, f.f[1] = v, f.f[2] = w;
    terms.push_back(f);
  };
  for (const SymTerm& t : sym.fixed) add(t[0], t[1], t[2]);
  for (const SymTerm& o : sym.orbits) {
    add(o[0], T.a_to_b(o[1]), o[2]);
    add(o[1], T.a_to_b(o[0]), T.c_t(o[2]));
  }
  return to_scheme(Shape{sym.n, sym.m, sym.n}, terms);
}

std::vector<int> parse_row_groups(int n, int m, const std::string& text) {
  if (text == "standard") return std::vector<int>(static_cast<std::size_t>(n), m);
  std::vector<int> k;
  std::string cur;
  for (char ch : text + ",") {
    if (ch != ',') {
      cur += ch;
      continue;
    }
    if (cur.empty() || cur.size() > 2 || cur.find_first_not_of("0123456789") != std::string::npos) k.push_back(-1);
    else k.push_back(std::stoi(cur));
    cur.clear();
  }
  const bool ok = static_cast<int>(k.size()) == n &&
                  std::all_of(k.begin(), k.end(), [&](int x) { return x >= 1 && x <= m; });
  if (!ok)
    throw Error("with --symmetry 2, --cubes takes the number of fixed terms in each of the " + std::to_string(n) +
                " rows of A, each 1.." + std::to_string(m) + " (e.g. 2" + std::string(static_cast<std::size_t>(n - 1) * 2, ',') +
                "), or 'standard'; got '" + text + "'");
  return k;
}

std::vector<int> default_row_groups(int n, int m, int target_rank) {
  std::vector<int> k(static_cast<std::size_t>(n), 1);
  if (target_rank > 0 && (target_rank - n) % 2 != 0 && m >= 2) k[0] = 2;
  return k;
}

SymmetricScheme transpose_rows_start(int n, int m, const std::vector<int>& row_groups) {
  const TransposeMaps T(n, m);
  if (static_cast<int>(row_groups.size()) != n)
    throw Error("the transposition start needs a group count for each of the " + std::to_string(n) + " rows");
  // Elementary terms as triples of bit indices; toggling keeps the sum mod 2.
  const int na = n * m, nc = n * n;
  std::vector<char> pattern(static_cast<std::size_t>(na) * na * nc, 0);
  auto toggle = [&](int a, int b, int c) { pattern[(static_cast<std::size_t>(a) * na + b) * nc + c] ^= 1; };
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < m; ++j)
      for (int k = 0; k < n; ++k) toggle(i * m + j, j * n + k, i * n + k);  // a_ij b_jk c_ik
  std::vector<Term> fixed;
  for (int c = 0; c < n; ++c) {
    const int k = row_groups[static_cast<std::size_t>(c)];
    if (k < 1 || k > m) throw Error("a row's group count must be 1.." + std::to_string(m));
    for (int g = 0; g < k; ++g) {
      // Columns [m*g/k, m*(g+1)/k) of row c.
      SymFactor x = 0;
      for (int j = m * g / k; j < m * (g + 1) / k; ++j) x |= SymFactor{1} << (c * m + j);
      fixed.push_back({x, T.a_to_b(x), SymFactor{1} << (c * n + c)});
      for (int j = m * g / k; j < m * (g + 1) / k; ++j)
        for (int j2 = m * g / k; j2 < m * (g + 1) / k; ++j2) toggle(c * m + j, j2 * n + c, c * n + c);
    }
  }
  std::vector<Term> terms;
  for (int a = 0; a < na; ++a)
    for (int b = 0; b < na; ++b)
      for (int c = 0; c < nc; ++c)
        if (pattern[(static_cast<std::size_t>(a) * na + b) * nc + c])
          terms.push_back({SymFactor{1} << a, SymFactor{1} << b, SymFactor{1} << c});
  SymmetricScheme out = group_pairs(T, std::move(terms), "the transposition start");
  if (!out.fixed.empty()) throw Error("internal: the transposition start left tau-fixed elementary terms");
  out.fixed = std::move(fixed);
  return out;
}

}  // namespace fmm::search
