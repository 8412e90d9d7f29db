// The flip-graph community's .exp format (M. Kauers and J. Moosbauer, "Flip graphs for
// matrix multiplication", ISSAC 2023; files of jakobmoosbauer/flips and
// mkauers/matrix-multiplication): one product per line,
//   (a11-a12)*(b21+2*b22)*(c12+c21)
// read as the trace form sum_r a(r) b(r) c(r) of sum a_ij b_jk c_ki, so aIJ = A[I][J],
// bJK = B[J][K] and cKI is the coefficient of C[I][K] (C transposed). Indices are 1-based,
// one digit each, or "a10_12" style for dimensions above 9. Variants found in published
// files are accepted: a leading "-(...)", numeric factors ("2*a11", "1/2*(...)", "/3"),
// juxtaposition without '*', and single variables without parentheses.
// Blank lines and lines starting with '#' are ignored. The file states neither its shape
// (inferred from the largest indices unless given) nor its field.
#include <algorithm>
#include <sstream>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/linear_form.hpp"

namespace fmm {
namespace {

struct SparseTerm {
  LinearForm a, b, c;
};

std::string variable(char letter, int row, int col, bool wide) {
  std::string s(1, letter);
  if (wide) return s + std::to_string(row + 1) + "_" + std::to_string(col + 1);
  return s + char('1' + row) + char('1' + col);
}

// "(a11-2*a12+1/2*a21)"; a zero factor is written "(0*a11)" so that it still names its letter.
std::string write_form(const std::vector<std::pair<std::pair<int, int>, Rational>>& terms, char letter, bool wide) {
  std::string out = "(";
  if (terms.empty()) return out + "0*" + variable(letter, 0, 0, wide) + ")";
  bool first = true;
  for (const auto& [rc, c] : terms) {
    Rational mag = c.abs();
    if (c.sign() < 0) out += "-";
    else if (!first) out += "+";
    if (mag != Rational(1)) out += mag.str() + "*";
    out += variable(letter, rc.first, rc.second, wide);
    first = false;
  }
  return out + ")";
}

}  // namespace

Scheme parse_exp(const std::string& text, const std::string& file, std::optional<Shape> shape) {
  if (shape && !shape->valid())
    throw ParseError(file, 0, "given shape " + shape->str() + " is outside 1.." + std::to_string(kMaxDim));
  std::vector<SparseTerm> terms;
  // Largest 1-based extent of each dimension seen, and the line that first needed it.
  int n = 0, m = 0, p = 0;
  size_t start = 0;
  long lineno = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++lineno;
    if (end - start > kMaxLineBytes) throw ParseError(file, lineno, "line longer than 1 MiB");
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    if (terms.size() >= size_t(kMaxRank))
      throw ParseError(file, lineno, "more than " + std::to_string(kMaxRank) + " products: refusing a rank this large");
    std::string err;
    auto prod = parse_form_product(line, "abc", err);
    if (!prod) throw ParseError(file, lineno, "expected a product like (a11-a12)*(b21+2*b22)*(c12+c21): " + err);
    for (char letter : {'a', 'b', 'c'})
      if (!prod->forms.count(letter))
        throw ParseError(file, lineno, std::string("expected one factor in each of a, b and c; the '") + letter + "' factor is missing");
    SparseTerm t{std::move(prod->forms['a']), std::move(prod->forms['b']), std::move(prod->forms['c'])};
    // A number multiplying the whole product goes into the A factor (as a leading sign is usually meant).
    if (prod->scale != Rational(1)) {
      try {
        for (auto& [rc, c] : t.a.coeffs) c *= prod->scale;
      } catch (const OverflowError&) {  // malformed input, named by line like every other
        throw ParseError(file, lineno, "the product's factor times a coefficient leaves 64-bit integers");
      }
    }
    auto widen = [&](int& extent, int index) {
      if (index >= kMaxDim)
        throw ParseError(file, lineno, "index " + std::to_string(index + 1) + " exceeds the largest dimension " + std::to_string(kMaxDim));
      extent = std::max(extent, index + 1);
    };
    for (const auto& [rc, c] : t.a.coeffs) widen(n, rc.first), widen(m, rc.second);
    for (const auto& [rc, c] : t.b.coeffs) widen(m, rc.first), widen(p, rc.second);
    for (const auto& [rc, c] : t.c.coeffs) widen(p, rc.first), widen(n, rc.second);  // cKI
    terms.push_back(std::move(t));
  }
  if (terms.empty()) throw ParseError(file, lineno, "no products: expected lines like (a11-a12)*(b21+2*b22)*(c12+c21)");
  if (shape) {
    if (n > shape->n || m > shape->m || p > shape->p)
      throw ParseError(file, 0, "indices reach " + Shape{n, m, p}.str() + ", beyond the given shape " + shape->str());
  } else {
    if (n == 0 || m == 0 || p == 0)
      throw ParseError(file, 0, "cannot infer the shape: some matrix has no nonzero coefficient in any product");
    shape = Shape{n, m, p};
  }
  const Shape& sh = *shape;
  Scheme s(sh, Field::Z);
  std::vector<Rational> u(sh.a_size()), v(sh.b_size()), w(sh.c_size());
  for (const auto& t : terms) {
    std::fill(u.begin(), u.end(), Rational(0));
    std::fill(v.begin(), v.end(), Rational(0));
    std::fill(w.begin(), w.end(), Rational(0));
    for (const auto& [rc, c] : t.a.coeffs) u[sh.a_index(rc.first, rc.second)] = c;
    for (const auto& [rc, c] : t.b.coeffs) v[sh.b_index(rc.first, rc.second)] = c;
    for (const auto& [rc, c] : t.c.coeffs) w[sh.c_index(rc.second, rc.first)] = c;  // cKI -> C[I][K]
    s.add_term(u, v, w);
  }
  s.set_field(coefficient_field(s));
  return s;
}

std::string write_exp(const Scheme& s) {
  const Shape& sh = s.shape();
  bool wide = sh.n > 9 || sh.m > 9 || sh.p > 9;
  std::ostringstream out;
  std::vector<std::pair<std::pair<int, int>, Rational>> a, b, c;
  for (int r = 0; r < s.rank(); ++r) {
    a.clear(), b.clear(), c.clear();
    for (int i = 0; i < sh.n; ++i)
      for (int j = 0; j < sh.m; ++j)
        if (!s.u(r)[sh.a_index(i, j)].is_zero()) a.push_back({{i, j}, s.u(r)[sh.a_index(i, j)]});
    for (int j = 0; j < sh.m; ++j)
      for (int k = 0; k < sh.p; ++k)
        if (!s.v(r)[sh.b_index(j, k)].is_zero()) b.push_back({{j, k}, s.v(r)[sh.b_index(j, k)]});
    for (int k = 0; k < sh.p; ++k)
      for (int i = 0; i < sh.n; ++i)
        if (!s.w(r)[sh.c_index(i, k)].is_zero()) c.push_back({{k, i}, s.w(r)[sh.c_index(i, k)]});
    out << write_form(a, 'a', wide) << '*' << write_form(b, 'b', wide) << '*' << write_form(c, 'c', wide) << '\n';
  }
  return out.str();
}

}  // namespace fmm
