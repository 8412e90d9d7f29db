// The JSON formats of the FastMatrixMultiplication collection (A. Perminov,
// github.com/dronperminov/FastMatrixMultiplication, README "Scheme File Formats"):
//
// full:    {"n": [n1, n2, n3] (or one integer for n x n x n), "m": rank, "z2": false,
//           "u": m rows of n1*n2, "v": m rows of n2*n3, "w": m rows of n3*n1, ...}
//          u is indexed i*n2+j (A row-major), v j*n3+k, and w k*n1+i: w holds C TRANSPOSED,
//          unlike fmm's formats (i*p+k). Coefficients are integers or "p/q" strings. The
//          human-readable "multiplications" and "elements" (and "complexity", invariants) are
//          derived from u, v, w: the reader ignores them, the writer emits them for people.
// reduced: the same "n", "m", "z2" with addition chains: "u_fresh", "v_fresh", "w_fresh" define
//          fresh variables as sparse forms [{"index": i, "value": c}, ...] over the inputs
//          (A's n1*n2 entries, B's n2*n3, the m products) and earlier fresh variables (index
//          inputs + t for fresh variable t); "u" and "v" give the m operands and "w" the n3*n1
//          entries of C transposed as such forms. The reader expands the chains into a scheme.
//
// "z2": true means the identities hold modulo 2 (GF2); false that they hold over the integers
// or rationals, whichever the coefficients need (Z or Q here).
#include <algorithm>
#include <map>
#include <sstream>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/formats/json_scheme.hpp"

namespace fmm {

using namespace json_scheme;
using Kind = JsonValue::Kind;

JsonFlavor json_flavor(const JsonDocument& doc) {
  const JsonValue& root = doc.root();
  if (!root.is(Kind::Object) || root.find("format")) return JsonFlavor::Fmm;
  if (root.find("u_fresh") || root.find("v_fresh") || root.find("w_fresh")) return JsonFlavor::CommunityReduced;
  if (root.find("n") && root.find("m")) return JsonFlavor::CommunityFull;
  return JsonFlavor::Fmm;
}

namespace {

struct Header {
  Shape shape;
  int rank = 0;
  bool z2 = false;
};

Header read_header(const JsonDocument& doc) {
  const JsonValue& root = doc.root();
  Header h;
  const JsonValue& n = key(doc, root, "n");
  if (n.is(Kind::Array)) {
    if (n.items.size() != 3) doc.fail(n, "expected \"n\" to be [n1, n2, n3], found " + std::to_string(n.items.size()) + " numbers");
    h.shape = {integer(doc, n.items[0], "n[0]", 1, kMaxDim), integer(doc, n.items[1], "n[1]", 1, kMaxDim),
               integer(doc, n.items[2], "n[2]", 1, kMaxDim)};
  } else {
    const int d = integer(doc, n, "n", 1, kMaxDim);
    h.shape = {d, d, d};
  }
  h.rank = integer(doc, key(doc, root, "m"), "m", 0, kMaxRank);
  if (const JsonValue* z2 = root.find("z2")) {
    if (!z2->is(Kind::Bool)) doc.fail(*z2, "expected \"z2\" to be true or false, found " + z2->describe());
    h.z2 = z2->boolean;
  }
  return h;
}

// The field a collection file claims: GF2 for "z2": true; otherwise Z or Q by the coefficients.
void settle_claimed_field(Scheme& s, bool z2) { s.set_field(z2 ? Field::GF2 : coefficient_field(s)); }

// w from C^T order (k*n + i) to fmm's (i*p + k), and back.
int c_index_from_transposed(const Shape& sh, int t) { return (t % sh.n) * sh.p + t / sh.n; }

// A sparse form [{"index": i, "value": c}, ...] with 0 <= i < limit.
using SparseForm = std::vector<std::pair<int, Rational>>;
SparseForm read_form(const JsonDocument& doc, const JsonValue& form, const std::string& where, int limit) {
  if (!form.is(Kind::Array)) doc.fail(form, "expected " + where + " to be an array of {\"index\", \"value\"} objects, found " + form.describe());
  SparseForm out;
  for (const JsonValue& term : form.items) {
    if (!term.is(Kind::Object)) doc.fail(term, "expected {\"index\": i, \"value\": c} in " + where + ", found " + term.describe());
    const JsonValue* index = term.find("index");
    const JsonValue* value = term.find("value");
    if (!index || !value) doc.fail(term, "expected both \"index\" and \"value\" in a term of " + where);
    out.emplace_back(integer(doc, *index, where + " index", 0, limit - 1), coefficient(doc, *value, where));
  }
  return out;
}

// Expanded fresh variables: each a map from input index to coefficient.
using Expansion = std::map<int, Rational>;
// Bound on the expanded chains' terms, so a hostile file cannot make the expansion explode.
constexpr long kMaxExpandedTerms = 1L << 24;

void add_form(const SparseForm& form, int inputs, const std::vector<Expansion>& fresh, const Rational& scale,
              Expansion& out) {
  for (const auto& [index, coef] : form) {
    const Rational c = coef * scale;
    if (index < inputs) {
      out[index] += c;
    } else {
      for (const auto& [i, x] : fresh[static_cast<size_t>(index - inputs)]) out[i] += c * x;
    }
  }
}

// Reads "<name>_fresh" and expands each fresh variable over the `inputs` original variables.
std::vector<Expansion> expand_fresh(const JsonDocument& doc, const std::string& name, int inputs) {
  const JsonValue& list = key(doc, doc.root(), name);
  if (!list.is(Kind::Array)) doc.fail(list, "expected \"" + name + "\" to be an array of forms, found " + list.describe());
  if (list.items.size() > static_cast<size_t>(kMaxRank))
    doc.fail(list, "expected at most " + std::to_string(kMaxRank) + " fresh variables in \"" + name + "\"");
  std::vector<Expansion> fresh;
  long terms = 0;
  for (size_t t = 0; t < list.items.size(); ++t) {
    // A fresh variable is defined over the inputs and the fresh variables before it.
    const std::string where = name + "[" + std::to_string(t) + "]";
    const SparseForm form = read_form(doc, list.items[t], where, inputs + static_cast<int>(t));
    Expansion e;
    add_form(form, inputs, fresh, Rational(1), e);
    std::erase_if(e, [](const auto& kv) { return kv.second.is_zero(); });
    terms += static_cast<long>(e.size());
    if (terms > kMaxExpandedTerms) doc.fail(list.items[t], "the fresh variables of \"" + name + "\" expand to too many terms");
    fresh.push_back(std::move(e));
  }
  return fresh;
}

Scheme expand_reduced(const JsonDocument& doc);

}  // namespace

Scheme read_community_reduced_json(const JsonDocument& doc) {
  try {
    return expand_reduced(doc);
  } catch (const OverflowError&) {
    doc.fail(doc.root(), "a coefficient overflows 64 bits while the fresh variables are expanded");
  }
}

namespace {
Scheme expand_reduced(const JsonDocument& doc) {
  const Header h = read_header(doc);
  const Shape& sh = h.shape;
  const JsonValue& root = doc.root();
  Scheme s(sh, Field::Q, h.rank);
  auto operands = [&](const char* name, int inputs, auto factor) {
    const std::vector<Expansion> fresh = expand_fresh(doc, std::string(name) + "_fresh", inputs);
    const JsonValue& forms = rows(doc, root, name, h.rank);
    for (int r = 0; r < h.rank; ++r) {
      const std::string where = std::string(name) + "[" + std::to_string(r) + "]";
      Expansion e;
      add_form(read_form(doc, forms.items[r], where, inputs + static_cast<int>(fresh.size())), inputs, fresh, Rational(1), e);
      auto f = factor(r);
      for (const auto& [i, c] : e) f[static_cast<size_t>(i)] = c;
    }
  };
  operands("u", sh.a_size(), [&](int r) { return s.u(r); });
  operands("v", sh.b_size(), [&](int r) { return s.v(r); });
  // w: one form per entry of C^T over the m products and the fresh variables of "w_fresh".
  const std::vector<Expansion> fresh = expand_fresh(doc, "w_fresh", h.rank);
  const JsonValue& forms = key(doc, root, "w");
  if (!forms.is(Kind::Array) || forms.items.size() != static_cast<size_t>(sh.c_size()))
    doc.fail(forms, "expected \"w\" to be an array of n3*n1 = " + std::to_string(sh.c_size()) + " forms, found " +
                        (forms.is(Kind::Array) ? std::to_string(forms.items.size()) : forms.describe()));
  for (int t = 0; t < sh.c_size(); ++t) {
    Expansion e;
    add_form(read_form(doc, forms.items[static_cast<size_t>(t)], "w[" + std::to_string(t) + "]",
                       h.rank + static_cast<int>(fresh.size())),
             h.rank, fresh, Rational(1), e);
    const int c = c_index_from_transposed(sh, t);
    for (const auto& [product, coef] : e) s.w(product)[static_cast<size_t>(c)] = coef;
  }
  settle_claimed_field(s, h.z2);
  return s;
}
}  // namespace

Scheme read_community_json(const JsonDocument& doc) {
  if (json_flavor(doc) == JsonFlavor::CommunityReduced) return read_community_reduced_json(doc);
  const Header h = read_header(doc);
  const Shape& sh = h.shape;
  const JsonValue& root = doc.root();
  Scheme s(sh, Field::Q);
  const JsonValue& u = rows(doc, root, "u", h.rank);
  const JsonValue& v = rows(doc, root, "v", h.rank);
  const JsonValue& w = rows(doc, root, "w", h.rank);
  std::vector<Rational> fu, fv, wt, fw(static_cast<size_t>(sh.c_size()));
  for (int r = 0; r < h.rank; ++r) {
    const std::string at = "[" + std::to_string(r) + "]";
    coefficients(doc, u.items[r], "u" + at, sh.a_size(), fu);
    coefficients(doc, v.items[r], "v" + at, sh.b_size(), fv);
    coefficients(doc, w.items[r], "w" + at + " (C transposed, n3*n1 entries)", sh.c_size(), wt);
    for (int t = 0; t < sh.c_size(); ++t) fw[static_cast<size_t>(c_index_from_transposed(sh, t))] = wt[static_cast<size_t>(t)];
    s.add_term(fu, fv, fw);
  }
  settle_claimed_field(s, h.z2);
  return s;
}

Scheme parse_community_json(const std::string& text, const std::string& file) {
  return read_community_json(JsonDocument(text, file));
}

namespace {

// "a11 + 1/2a22 - b12": the collection's human-readable linear forms (1-based indices written
// next to each other, coefficient before the name; GF2 sums written with "⊕").
std::string readable_sum(const std::vector<std::pair<Rational, std::string>>& terms, bool z2) {
  std::string out;
  for (const auto& [c, name] : terms) {
    if (c.is_zero()) continue;
    if (z2) {
      out += (out.empty() ? "" : " ⊕ ") + name;
      continue;
    }
    const Rational a = c.abs();
    if (out.empty()) out += c.sign() < 0 ? "-" : "";
    else out += c.sign() < 0 ? " - " : " + ";
    out += (a == Rational(1) ? "" : a.str()) + name;
  }
  return out.empty() ? "0" : out;
}

}  // namespace

std::string write_community_json(const Scheme& s) {
  const Shape& sh = s.shape();
  const bool z2 = s.field() == Field::GF2;
  std::ostringstream out;
  out << "{\n    \"n\": [" << sh.n << ", " << sh.m << ", " << sh.p << "],\n    \"m\": " << s.rank()
      << ",\n    \"z2\": " << (z2 ? "true" : "false") << ",\n";
  auto name = [](char letter, int row, int col) { return letter + std::to_string(row + 1) + std::to_string(col + 1); };
  out << "    \"multiplications\": [";
  for (int r = 0; r < s.rank(); ++r) {
    std::vector<std::pair<Rational, std::string>> a, b;
    for (int i = 0; i < sh.n; ++i)
      for (int j = 0; j < sh.m; ++j) a.emplace_back(s.u(r)[static_cast<size_t>(i * sh.m + j)], name('a', i, j));
    for (int j = 0; j < sh.m; ++j)
      for (int k = 0; k < sh.p; ++k) b.emplace_back(s.v(r)[static_cast<size_t>(j * sh.p + k)], name('b', j, k));
    out << (r ? ",\n        " : "\n        ")
        << quoted("m" + std::to_string(r + 1) + " = (" + readable_sum(a, z2) + ") " + (z2 ? "∧" : "*") + " (" +
                  readable_sum(b, z2) + ")");
  }
  out << "\n    ],\n    \"elements\": [";
  for (int i = 0; i < sh.n; ++i)
    for (int k = 0; k < sh.p; ++k) {
      std::vector<std::pair<Rational, std::string>> terms;
      for (int r = 0; r < s.rank(); ++r) terms.emplace_back(s.w(r)[static_cast<size_t>(i * sh.p + k)], "m" + std::to_string(r + 1));
      out << (i || k ? ",\n        " : "\n        ") << quoted(name('c', i, k) + " = " + readable_sum(terms, z2));
    }
  out << "\n    ],\n";
  auto matrix = [&](const char* key_name, int size, auto entry) {
    out << "    \"" << key_name << "\": [";
    for (int r = 0; r < s.rank(); ++r) {
      out << (r ? ",\n        [" : "\n        [");
      for (int x = 0; x < size; ++x) out << (x ? ", " : "") << coefficient_text(entry(r, x));
      out << ']';
    }
    out << (s.rank() ? "\n    ]" : "]");
  };
  matrix("u", sh.a_size(), [&](int r, int x) { return s.u(r)[static_cast<size_t>(x)]; });
  out << ",\n";
  matrix("v", sh.b_size(), [&](int r, int x) { return s.v(r)[static_cast<size_t>(x)]; });
  out << ",\n";
  // C transposed: entry t = k*n + i holds C[i][k].
  matrix("w", sh.c_size(), [&](int r, int t) { return s.w(r)[static_cast<size_t>(c_index_from_transposed(sh, t))]; });
  out << "\n}\n";
  return out.str();
}

}  // namespace fmm
