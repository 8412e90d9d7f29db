#include "tensor/metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tensor/verify.hpp"

namespace fmm {
namespace {

long nnz(std::span<const Rational> f) {
  return static_cast<long>(std::count_if(f.begin(), f.end(), [](const Rational& x) { return !x.is_zero(); }));
}

Rational l1_norm(std::span<const Rational> f) {
  Rational s = 0;
  for (const auto& x : f) s += x.abs();
  return s;
}

template <typename T, typename F>
std::string join(const std::vector<T>& xs, F&& str, const char* sep = ", ") {
  std::string out;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i) out += sep;
    out += str(xs[i]);
  }
  return out;
}

// A JSON string literal, escaped by nlohmann-json (invalid UTF-8 in a free-text source is replaced).
std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

// Pairs of terms whose factors agree in every kind of `kinds` (a bit set over u, v, w), from the
// factors' ids: n terms with one key make n(n-1)/2 pairs. Marks the terms of such pairs.
long pairs_sharing(const std::vector<std::array<int, 3>>& ids, unsigned kinds, std::vector<char>* in_pair) {
  std::map<std::array<int, 3>, std::vector<int>> groups;
  for (int r = 0; r < static_cast<int>(ids.size()); ++r) {
    std::array<int, 3> key{-1, -1, -1};
    for (int k = 0; k < 3; ++k)
      if (kinds >> k & 1) key[static_cast<size_t>(k)] = ids[static_cast<size_t>(r)][static_cast<size_t>(k)];
    groups[key].push_back(r);
  }
  long pairs = 0;
  for (const auto& [key, terms] : groups) {
    const long n = static_cast<long>(terms.size());
    pairs += n * (n - 1) / 2;
    if (in_pair && n >= 2)
      for (int r : terms) (*in_pair)[static_cast<size_t>(r)] = 1;
  }
  return pairs;
}

}  // namespace

SchemeMetrics compute_metrics(const Scheme& s) {
  SchemeMetrics m;
  const Shape sh = s.shape();
  m.shape = sh;
  m.rank = s.rank();
  m.field = s.field();
  m.source = s.source();

  for (int r = 0; r < s.rank(); ++r) {
    long nu = nnz(s.u(r)), nv = nnz(s.v(r)), nw = nnz(s.w(r));
    m.nnz_u += nu;
    m.nnz_v += nv;
    m.nnz_w += nw;
    m.additions_u += std::max(0L, nu - 1);
    m.additions_v += std::max(0L, nv - 1);
  }

  // Per C entry: how many products feed it (gamma), and the stability quantities.
  std::vector<long> gamma(sh.c_size(), 0);
  std::vector<long> max_ab(sh.c_size(), 0);
  m.e.assign(sh.c_size(), Rational(0));
  for (int r = 0; r < s.rank(); ++r) {
    const long ab = nnz(s.u(r)) + nnz(s.v(r));      // alpha_r + beta_r
    const Rational norms = l1_norm(s.u(r)) * l1_norm(s.v(r));  // a_r b_r
    auto w = s.w(r);
    for (int c = 0; c < sh.c_size(); ++c) {
      if (w[c].is_zero()) continue;
      ++gamma[c];
      max_ab[c] = std::max(max_ab[c], ab);
      m.e[c] += w[c].abs() * norms;
    }
  }
  m.q.assign(sh.c_size(), 0);
  for (int c = 0; c < sh.c_size(); ++c) {
    m.additions_w += std::max(0L, gamma[c] - 1);
    m.q[c] = gamma[c] + max_ab[c];
    m.q_max = std::max(m.q_max, m.q[c]);
    m.e_max = std::max(m.e_max, m.e[c]);
  }

  std::set<Rational> values;
  std::set<std::int64_t> dens;
  for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
    for (const auto& x : *data)
      if (!x.is_zero()) {
        values.insert(x);
        dens.insert(x.den());
        m.max_abs = std::max(m.max_abs, x.abs());
      }
  m.coefficients.assign(values.begin(), values.end());
  m.denominators.assign(dens.begin(), dens.end());

  const double nmp = static_cast<double>(sh.classical_rank());
  m.exponent = nmp > 1 && s.rank() > 0 ? 3.0 * std::log(static_cast<double>(s.rank())) / std::log(nmp)
                                       : std::numeric_limits<double>::quiet_NaN();

  // Flip pairs by inclusion-exclusion over the kinds of factor two terms share.
  {
    // Each factor's id: equal ids for factors equal up to a nonzero scale (over GF2 as 0/1
    // vectors: entries read modulo 2, denominators being odd there).
    const bool gf2 = s.field() == Field::GF2;
    std::vector<std::array<int, 3>> ids(static_cast<size_t>(s.rank()));
    for (int k = 0; k < 3; ++k) {
      std::map<std::vector<Rational>, int> id_of;
      for (int r = 0; r < s.rank(); ++r) {
        const auto f = k == 0 ? s.u(r) : k == 1 ? s.v(r) : s.w(r);
        std::vector<Rational> key;
        if (gf2)
          for (const Rational& x : f) key.push_back(Rational(x.num() % 2 != 0 ? 1 : 0));
        else
          key = normalised_factor(f);
        ids[static_cast<size_t>(r)][static_cast<size_t>(k)] = id_of.emplace(std::move(key), static_cast<int>(id_of.size())).first->second;
      }
    }
    std::vector<char> in_pair(static_cast<size_t>(s.rank()), 0);
    const long one = pairs_sharing(ids, 1, &in_pair) + pairs_sharing(ids, 2, &in_pair) + pairs_sharing(ids, 4, &in_pair);
    const long two = pairs_sharing(ids, 3, nullptr) + pairs_sharing(ids, 5, nullptr) + pairs_sharing(ids, 6, nullptr);
    const long three = pairs_sharing(ids, 7, nullptr);
    m.flip_pairs = one - two + three;
    m.reducible_pairs = two - 2 * three;
    m.flip_terms = static_cast<long>(std::count(in_pair.begin(), in_pair.end(), 1));
  }

  m.holds_z = verify(s, Field::Z).ok;
  m.holds_q = verify(s, Field::Q).ok;
  m.holds_gf2 = verify(s, Field::GF2).ok;
  return m;
}

void print_metrics(std::ostream& out, const SchemeMetrics& m) {
  auto row = [&out](const char* key, const std::string& value) {
    out << std::left << std::setw(16) << key << value << '\n';
  };
  auto num = [](double x) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(4) << x;
    return os.str();
  };
  const auto& sh = m.shape;
  row("source", m.source.empty() ? "-" : m.source);
  std::ostringstream format;
  format << '<' << sh.n << ',' << sh.m << ',' << sh.p << ">  (A " << sh.n << 'x' << sh.m << ", B " << sh.m << 'x'
         << sh.p << ", C " << sh.n << 'x' << sh.p << ')';
  row("format", format.str());
  row("rank", std::to_string(m.rank) + "  (classical " + std::to_string(sh.classical_rank()) + ")");
  row("exponent", (std::isnan(m.exponent) ? std::string("undefined for <1,1,1>") : num(m.exponent)) +
                      "  (3 ln R / ln nmp)");
  row("field claimed", to_string(m.field));
  row("holds over", "Z: " + yes_no(m.holds_z) + "  Q: " + yes_no(m.holds_q) + "  GF2: " + yes_no(m.holds_gf2));
  row("nonzeros", "U " + std::to_string(m.nnz_u) + "  V " + std::to_string(m.nnz_v) + "  W " +
                      std::to_string(m.nnz_w) + "  total " + std::to_string(m.nnz_u + m.nnz_v + m.nnz_w));
  row("additions", std::to_string(m.additions()) + "  (A " + std::to_string(m.additions_u) + ", B " +
                       std::to_string(m.additions_v) + ", C " + std::to_string(m.additions_w) +
                       "; plain evaluation, no reuse)");
  if (m.additions_cse)
    row("additions CSE", std::to_string(m.additions_cse->total()) + "  (A " + std::to_string(m.additions_cse->a) +
                             ", B " + std::to_string(m.additions_cse->b) + ", C " + std::to_string(m.additions_cse->c) +
                             "; fmm codegen --as-given: shared sums, also of products)");
  auto braces = [](std::string inner) { return inner.insert(0, 1, '{').append(1, '}'); };
  row("coefficients", braces(join(m.coefficients, [](const Rational& x) { return x.str(); })));
  row("max |coeff|", m.max_abs.str());
  row("denominators", braces(join(m.denominators, [](std::int64_t d) { return std::to_string(d); })));
  row("e_max", m.e_max.str() + "  (stability vector max, Ballard et al. 2016)");
  row("q_max", std::to_string(m.q_max) + "  (error prefactor, Ballard et al. 2016)");
  row("flip pairs", std::to_string(m.flip_pairs) + "  (pairs of terms with a common factor, " +
                        std::to_string(m.flip_terms) + " terms in them; 0 = no flip neighbour; " +
                        std::to_string(m.reducible_pairs) + " reducible)");
  auto grid = [&](const char* key, auto&& cell) {
    for (int i = 0; i < sh.n; ++i) {
      std::string line;
      for (int k = 0; k < sh.p; ++k) {
        std::string c = cell(sh.c_index(i, k));
        line += std::string(k ? 1 : 0, ' ') + std::string(c.size() < 5 ? 5 - c.size() : 0, ' ') + c;
      }
      row(i == 0 ? key : "", line);
    }
  };
  grid("e (per C[i][k])", [&](int c) { return m.e[c].str(); });
  grid("q (per C[i][k])", [&](int c) { return std::to_string(m.q[c]); });
}

void print_metrics_json(std::ostream& out, const SchemeMetrics& m) {
  auto rat = [](const Rational& x) { return json_string(x.str()); };
  std::ostringstream exp;
  if (std::isnan(m.exponent)) exp << "null";
  else exp << std::setprecision(17) << m.exponent;
  out << "{\n"
      << "  \"source\": " << json_string(m.source) << ",\n"
      << "  \"shape\": [" << m.shape.n << ", " << m.shape.m << ", " << m.shape.p << "],\n"
      << "  \"rank\": " << m.rank << ",\n"
      << "  \"field\": " << json_string(to_string(m.field)) << ",\n"
      << "  \"holds\": {\"Z\": " << (m.holds_z ? "true" : "false") << ", \"Q\": " << (m.holds_q ? "true" : "false")
      << ", \"GF2\": " << (m.holds_gf2 ? "true" : "false") << "},\n"
      << "  \"exponent\": " << exp.str() << ",\n"
      << "  \"nnz\": {\"U\": " << m.nnz_u << ", \"V\": " << m.nnz_v << ", \"W\": " << m.nnz_w << "},\n"
      << "  \"additions\": {\"total\": " << m.additions() << ", \"A\": " << m.additions_u << ", \"B\": "
      << m.additions_v << ", \"C\": " << m.additions_w << "},\n";
  if (m.additions_cse)
    out << "  \"additions_cse\": {\"total\": " << m.additions_cse->total() << ", \"A\": " << m.additions_cse->a
        << ", \"B\": " << m.additions_cse->b << ", \"C\": " << m.additions_cse->c << "},\n";
  out << "  \"coefficients\": [" << join(m.coefficients, rat) << "],\n"
      << "  \"max_abs_coefficient\": " << rat(m.max_abs) << ",\n"
      << "  \"denominators\": [" << join(m.denominators, [](std::int64_t d) { return std::to_string(d); }) << "],\n"
      << "  \"e_max\": " << rat(m.e_max) << ",\n"
      << "  \"q_max\": " << m.q_max << ",\n"
      << "  \"flip\": {\"pairs\": " << m.flip_pairs << ", \"terms\": " << m.flip_terms
      << ", \"reducible_pairs\": " << m.reducible_pairs << "},\n"
      << "  \"e\": [" << join(m.e, rat) << "],\n"
      << "  \"q\": [" << join(m.q, [](long x) { return std::to_string(x); }) << "]\n"
      << "}\n";
}

}  // namespace fmm
