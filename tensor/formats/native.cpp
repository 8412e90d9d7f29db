// The native text format, identical to ../shared/reference's:
//   # <n> <m> <p> rank <R> field <Z|Q|Z2> source <free text>
//   u_1 .. u_nm | v_1 .. v_mp | w_1 .. w_np        (one line per product; C not transposed)
// Further lines starting with '#' and blank lines are ignored. Under field Z2 every coefficient
// must be 0 or 1 (not -1, 3 or 1/3, which name the same residue only by convention).
#include <algorithm>
#include <sstream>
#include <string_view>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// Whitespace-separated tokens of one line, as views into it (no copies: files reach 64 MiB).
void split_ws(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
}

int parse_small_int(std::string_view tok, const std::string& file, long line, const char* what, int lo, int hi) {
  auto r = Rational::parse(tok);
  if (!r || !r->is_integer() || r->num() < lo || r->num() > hi)
    throw ParseError(file, line, std::string("expected ") + what + " between " + std::to_string(lo) + " and " +
                                     std::to_string(hi) + ", found '" + std::string(tok) + "'");
  return static_cast<int>(r->num());
}

}  // namespace

Scheme parse_native(const std::string& text, const std::string& file) {
  long lineno = 0;
  std::optional<Scheme> scheme;
  int declared_rank = 0;
  std::vector<Rational> u, v, w;
  std::vector<std::string_view> toks;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + at, end - at);
    at = end + 1;
    ++lineno;
    if (line.size() > kMaxLineBytes) throw ParseError(file, lineno, "line longer than 1 MiB");
    split_ws(line, toks);
    if (toks.empty()) continue;
    if (!scheme) {
      // Header: # n m p rank R field F [source ...]
      if (toks[0] != "#" || toks.size() < 8 || toks[4] != "rank" || toks[6] != "field")
        throw ParseError(file, lineno, "expected header '# n m p rank R field Z|Q|Z2 source ...'");
      Shape shape{parse_small_int(toks[1], file, lineno, "n", 1, kMaxDim), parse_small_int(toks[2], file, lineno, "m", 1, kMaxDim),
                  parse_small_int(toks[3], file, lineno, "p", 1, kMaxDim)};
      declared_rank = parse_small_int(toks[5], file, lineno, "rank", 0, kMaxRank);
      auto field = parse_field(toks[7]);
      if (!field) throw ParseError(file, lineno, "expected field Z, Q or Z2, found '" + std::string(toks[7]) + "'");
      scheme.emplace(shape, *field);
      // Room for the declared rank, but no more than the file's bytes can hold (a product line
      // has at least two bytes per coefficient), so a lying header cannot make us allocate.
      const std::size_t per_line = 2 * static_cast<std::size_t>(shape.a_size() + shape.b_size() + shape.c_size());
      scheme->reserve(static_cast<int>(std::min<std::size_t>(declared_rank, text.size() / per_line + 1)));
      std::string source;
      for (size_t t = 8; t < toks.size(); ++t) {
        if (t == 8 && toks[t] == "source") continue;
        source += (source.empty() ? "" : " ") + std::string(toks[t]);
      }
      scheme->set_source(source);
      continue;
    }
    if (toks[0][0] == '#') continue;
    const Shape& sh = scheme->shape();
    if (scheme->rank() >= declared_rank)
      throw ParseError(file, lineno, "more product lines than the declared rank " + std::to_string(declared_rank));
    u.clear(); v.clear(); w.clear();
    std::vector<Rational>* parts[3] = {&u, &v, &w};
    int part = 0;
    for (const auto tok : toks) {
      if (tok == "|") {
        if (++part > 2) throw ParseError(file, lineno, "expected exactly two '|' separators");
        continue;
      }
      auto r = Rational::parse(tok);
      if (!r) throw ParseError(file, lineno, "expected an integer or p/q coefficient, found '" + std::string(tok) + "'");
      if (scheme->field() == Field::GF2 && !(r->is_zero() || *r == Rational(1)))
        throw ParseError(file, lineno, "field Z2 allows only the coefficients 0 and 1, found '" + std::string(tok) + "'" +
                                           (*r == Rational(-1) ? " (-1 is 1 modulo 2: write 1)" : ""));
      if (parts[part]->size() >= 256) throw ParseError(file, lineno, "too many coefficients");
      parts[part]->push_back(*r);
    }
    if (part != 2) throw ParseError(file, lineno, "expected 'u | v | w' (two '|' separators)");
    if (u.size() != size_t(sh.a_size()) || v.size() != size_t(sh.b_size()) || w.size() != size_t(sh.c_size()))
      throw ParseError(file, lineno, "expected " + std::to_string(sh.a_size()) + " | " + std::to_string(sh.b_size()) + " | " +
                                         std::to_string(sh.c_size()) + " coefficients for format " + sh.str() + ", found " +
                                         std::to_string(u.size()) + " | " + std::to_string(v.size()) + " | " +
                                         std::to_string(w.size()));
    scheme->add_term(u, v, w);
  }
  if (!scheme) throw ParseError(file, lineno, "empty file: expected header '# n m p rank R field F source ...'");
  if (scheme->rank() != declared_rank)
    throw ParseError(file, lineno, "header declares rank " + std::to_string(declared_rank) + " but the file has " +
                                       std::to_string(scheme->rank()) + " product lines");
  return std::move(*scheme);
}

std::string write_native(const Scheme& s) {
  std::ostringstream out;
  const Shape& sh = s.shape();
  std::string field = s.field() == Field::GF2 ? "Z2" : to_string(s.field());
  out << "# " << sh.n << ' ' << sh.m << ' ' << sh.p << " rank " << s.rank() << " field " << field << " source "
      << (s.source().empty() ? "fmm" : s.source()) << '\n';
  for (int r = 0; r < s.rank(); ++r) {
    auto put = [&](std::span<const Rational> f) {
      for (size_t x = 0; x < f.size(); ++x) out << (x ? " " : "") << f[x].str();
    };
    put(s.u(r));
    out << " | ";
    put(s.v(r));
    out << " | ";
    put(s.w(r));
    out << '\n';
  }
  return out.str();
}

}  // namespace fmm
