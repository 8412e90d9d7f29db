// The native text format, identical to ../shared/reference's:
//   # <n> <m> <p> rank <R> field <Z|Q|Z2> source <free text>
//   u_1 .. u_nm | v_1 .. v_mp | w_1 .. w_np        (one line per product; C not transposed)
// Further lines starting with '#' and blank lines are ignored.
#include <sstream>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm {
namespace {

std::vector<std::string> split_ws(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string tok;
  while (in >> tok) out.push_back(tok);
  return out;
}

int parse_small_int(const std::string& tok, const std::string& file, long line, const char* what, int lo, int hi) {
  auto r = Rational::parse(tok);
  if (!r || !r->is_integer() || r->num() < lo || r->num() > hi)
    throw ParseError(file, line, std::string("expected ") + what + " between " + std::to_string(lo) + " and " +
                                     std::to_string(hi) + ", found '" + tok + "'");
  return static_cast<int>(r->num());
}

}  // namespace

Scheme parse_native(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  std::string line;
  long lineno = 0;
  std::optional<Scheme> scheme;
  int declared_rank = 0;
  std::vector<Rational> u, v, w;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.size() > kMaxLineBytes) throw ParseError(file, lineno, "line longer than 1 MiB");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto toks = split_ws(line);
    if (toks.empty()) continue;
    if (!scheme) {
      // Header: # n m p rank R field F [source ...]
      if (toks[0] != "#" || toks.size() < 8 || toks[4] != "rank" || toks[6] != "field")
        throw ParseError(file, lineno, "expected header '# n m p rank R field Z|Q|Z2 source ...'");
      Shape shape{parse_small_int(toks[1], file, lineno, "n", 1, kMaxDim), parse_small_int(toks[2], file, lineno, "m", 1, kMaxDim),
                  parse_small_int(toks[3], file, lineno, "p", 1, kMaxDim)};
      declared_rank = parse_small_int(toks[5], file, lineno, "rank", 0, kMaxRank);
      auto field = parse_field(toks[7]);
      if (!field) throw ParseError(file, lineno, "expected field Z, Q or Z2, found '" + toks[7] + "'");
      scheme.emplace(shape, *field);
      std::string source;
      for (size_t t = 8; t < toks.size(); ++t) {
        if (t == 8 && toks[t] == "source") continue;
        source += (source.empty() ? "" : " ") + toks[t];
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
    for (const auto& tok : toks) {
      if (tok == "|") {
        if (++part > 2) throw ParseError(file, lineno, "expected exactly two '|' separators");
        continue;
      }
      auto r = Rational::parse(tok);
      if (!r) throw ParseError(file, lineno, "expected an integer or p/q coefficient, found '" + tok + "'");
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
