#include "search/symmetric/symmetric_scheme.hpp"

#include <algorithm>
#include <set>

#include "search/flip/flip_terms.hpp"
#include "tensor/error.hpp"

namespace fmm::search {

Symmetry::Symmetry(int n, int order) : n_(n), order_(order), spread_(std::size_t{1} << std::clamp(n, 1, 8), 0) {
  if (n < 1 || n > 8) throw Error("the symmetric flip walk supports <n,n,n> with n <= 8; got n = " + std::to_string(n));
  if (order != 3 && order != 6)
    throw Error("the symmetry group must have order 3 (cyclic) or 6 (cyclic x reversal); got " + std::to_string(order));
  for (std::size_t r = 0; r < spread_.size(); ++r)
    for (int j = 0; j < n; ++j)
      if (r >> j & 1) spread_[r] |= SymFactor{1} << (j * n);
}

SymFactor Symmetry::transpose(SymFactor x) const {
  const SymFactor row_mask = (SymFactor{1} << n_) - 1;
  SymFactor out = 0;
  for (int i = 0; i < n_; ++i) out |= spread_[(x >> (i * n_)) & row_mask] << i;
  return out;
}

SymFactor Symmetry::reverse(SymFactor x) const {
  // Full 64-bit reversal, then shift the n^2 used bits down.
  SymFactor r = 0;
  for (int i = 0; i < 64; ++i) r |= ((x >> i) & 1) << (63 - i);
  return r >> (64 - n_ * n_);
}

SymTerm Symmetry::image(const SymTerm& t, int g) const {
  const int r = g % 3;
  SymTerm out{t[r], t[(r + 1) % 3], t[(r + 2) % 3]};
  if (g >= 3)
    for (SymFactor& f : out) f = reverse(f);
  return out;
}

int Symmetry::orbit_size(const SymTerm& t) const {
  std::set<SymTerm> seen;
  for (int g = 0; g < order_; ++g) seen.insert(image(t, g));
  return static_cast<int>(seen.size());
}

namespace {

void require_square(const Shape& s) {
  if (s.n != s.m || s.m != s.p)
    throw Error("the symmetric flip walk needs a square format <n,n,n>; got " + s.str());
  if (s.n < 1 || s.n > 8) throw Error("the symmetric flip walk supports n <= 8; got " + s.str());
}

std::string group_name(int order) { return order == 6 ? "cyclic x reversal (order 6)" : "cyclic (order 3)"; }

// Groups a multiset of terms (internal convention) into fixed terms and regular orbits.
SymmetricScheme group_terms(const Symmetry& S, std::vector<SymTerm> rest, const std::string& what) {
  SymmetricScheme out;
  out.n = S.n();
  out.order = S.order();
  auto take = [&](const SymTerm& t) {
    auto it = std::find(rest.begin(), rest.end(), t);
    if (it == rest.end()) return false;
    rest.erase(it);
    return true;
  };
  while (!rest.empty()) {
    const SymTerm t = rest.front();
    rest.erase(rest.begin());
    std::vector<SymTerm> images;
    for (int g = 1; g < S.order(); ++g) {
      const SymTerm e = S.image(t, g);
      if (e != t && std::find(images.begin(), images.end(), e) == images.end()) images.push_back(e);
    }
    for (const SymTerm& e : images)
      if (!take(e))
        throw Error(what + " is not invariant under the " + group_name(S.order()) + " symmetry of <" +
                    std::to_string(S.n()) + "," + std::to_string(S.n()) + "," + std::to_string(S.n()) +
                    ">: a term's image is missing");
    if (static_cast<int>(images.size()) + 1 == S.order()) {
      out.orbits.push_back(t);
    } else {
      out.fixed.push_back(t);
      for (const SymTerm& e : images) out.fixed.push_back(e);
    }
  }
  return out;
}

}  // namespace

SymmetricScheme decompose_symmetric(const Scheme& scheme, int order) {
  require_square(scheme.shape());
  const Symmetry S(scheme.shape().n, order);
  std::vector<SymTerm> terms;
  for (const auto& t : gf2_terms(scheme))
    if (t.f[0] && t.f[1] && t.f[2]) terms.push_back(S.from_uvw({t.f[0], t.f[1], t.f[2]}));
  return group_terms(S, std::move(terms), "scheme");
}

Scheme expand_symmetric(const SymmetricScheme& sym) {
  const Symmetry S(sym.n, sym.order);
  std::vector<FlipTerm<Gf2>> terms;
  auto add = [&](const SymTerm& abc) {
    const SymTerm t = S.to_uvw(abc);
    FlipTerm<Gf2> f;
    for (int k = 0; k < 3; ++k) f.f[k] = t[k];
    terms.push_back(f);
  };
  for (const SymTerm& t : sym.fixed) add(t);
  for (const SymTerm& t : sym.orbits)
    for (int g = 0; g < sym.order; ++g) add(S.image(t, g));
  return to_scheme(Shape{sym.n, sym.n, sym.n}, terms);
}

bool is_invariant(const Scheme& scheme, int order) {
  try {
    decompose_symmetric(scheme, order);
    return true;
  } catch (const Error&) {
    return false;
  }
}

std::vector<std::string> parse_cube_groups(int n, const std::string& text) {
  std::vector<std::string> groups;
  if (text == "standard") {
    for (int i = 0; i < n; ++i) {
      std::string g(static_cast<std::size_t>(n), '0');
      g[static_cast<std::size_t>(i)] = '1';
      groups.push_back(g);
    }
    return groups;
  }
  std::string cur;
  for (char ch : text + ",") {
    if (ch == ',') {
      groups.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  for (const std::string& g : groups)
    if (static_cast<int>(g.size()) != n || g.find_first_not_of("01") != std::string::npos)
      throw Error("cube groups must be 0/1 strings of length " + std::to_string(n) + " separated by commas (e.g. " +
                  "10001,01010,00100), or 'standard'; got '" + text + "'");
  return groups;
}

std::vector<std::string> default_cube_groups(int n) {
  switch (n) {
    case 2: return {"11"};                                 // Strassen's cube (runcase 0/1, matdim 2)
    case 3: return {"010", "101"};                         // runcase 5 ("2-cube, simplest"), target 23
    case 4: return {"1111"};                               // runcase 0/1 ("1-cube"), target 49
    case 5: return {"10001", "01010", "00100"};            // r5-93-1.txt, target 93
    case 6: return {"110000", "001100", "000011"};         // r6-153-1.txt, target 153
    default: return parse_cube_groups(n, "standard");
  }
}

SymmetricScheme diagonal_cubes_start(int n, int order, const std::vector<std::string>& groups) {
  const Symmetry S(n, order);
  std::vector<int> covered(static_cast<std::size_t>(n), 0);
  std::vector<SymFactor> cubes;
  for (const std::string& g : groups) {
    if (static_cast<int>(g.size()) != n) throw Error("a cube group needs " + std::to_string(n) + " digits: '" + g + "'");
    SymFactor x = 0;
    for (int i = 0; i < n; ++i)
      if (g[static_cast<std::size_t>(i)] == '1') {
        ++covered[static_cast<std::size_t>(i)];
        x |= SymFactor{1} << (i * n + i);
      }
    if (!x) throw Error("an empty cube group: '" + g + "'");
    cubes.push_back(x);
  }
  for (int i = 0; i < n; ++i)
    if (covered[static_cast<std::size_t>(i)] != 1)
      throw Error("the cube groups must cover each diagonal entry exactly once (entry " + std::to_string(i + 1) +
                  " is covered " + std::to_string(covered[static_cast<std::size_t>(i)]) + " times)");
  if (order == 6)
    for (SymFactor x : cubes)
      if (std::find(cubes.begin(), cubes.end(), S.reverse(x)) == cubes.end())
        throw Error("for the order-6 symmetry the cube groups must be closed under reversal (i -> n+1-i)");
  // The elementary terms of T + sum_j x_j^3 over GF(2), as triples of basis indices: toggling
  // keeps the sum mod 2.
  const int nn = n * n;
  std::vector<char> pattern(static_cast<std::size_t>(nn) * nn * nn, 0);
  auto toggle = [&](int a, int b, int c) { pattern[(static_cast<std::size_t>(a) * nn + b) * nn + c] ^= 1; };
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k) toggle(i * n + j, j * n + k, k * n + i);  // e_ij (x) e_jk (x) e_ki
  for (SymFactor x : cubes)
    for (int a = 0; a < nn; ++a)
      for (int b = 0; b < nn; ++b)
        for (int c = 0; c < nn; ++c)
          if ((x >> a & 1) && (x >> b & 1) && (x >> c & 1)) toggle(a, b, c);
  std::vector<SymTerm> terms;
  for (int a = 0; a < nn; ++a)
    for (int b = 0; b < nn; ++b)
      for (int c = 0; c < nn; ++c)
        if (pattern[(static_cast<std::size_t>(a) * nn + b) * nn + c])
          terms.push_back({SymFactor{1} << a, SymFactor{1} << b, SymFactor{1} << c});
  SymmetricScheme out = group_terms(S, std::move(terms), "the grouped-diagonal start");
  std::vector<SymTerm> fixed;
  for (SymFactor x : cubes) fixed.push_back({x, x, x});
  fixed.insert(fixed.end(), out.fixed.begin(), out.fixed.end());
  out.fixed = std::move(fixed);
  return out;
}

}  // namespace fmm::search
