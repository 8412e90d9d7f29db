// fmm's JSON scheme files. Schema (version 1):
//   {"format": "fmm-scheme", "version": 1, "n": 2, "m": 2, "p": 2, "rank": 7,
//    "field": "Z" | "Q" | "GF2", "source": "free text (optional)",
//    "u": [[...n*m...], ... rank rows], "v": [[...m*p...], ...], "w": [[...n*p...], ...]}
// Row r of u/v/w is product r; u is indexed i*m+j, v j*p+k, w i*p+k (C NOT transposed,
// as in the native format). Coefficients are JSON integers, exact decimals (0.5), or
// strings "p/q" ("-1/2", also "3"); the writer uses integers and "p/q" strings.
// Unknown keys are ignored; duplicate keys are an error. The JSON itself is read by
// nlohmann-json (json_document.hpp).
#include <sstream>

#include <nlohmann/json.hpp>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/formats/json_scheme.hpp"

namespace fmm {

namespace json_scheme {

const JsonValue& key(const JsonDocument& doc, const JsonValue& obj, const std::string& name) {
  const JsonValue* v = obj.find(name);
  if (!v) doc.fail(obj, "expected key \"" + name + "\" in the top-level object");
  return *v;
}

std::string string_of(const JsonDocument& doc, const JsonValue& v, const std::string& name) {
  if (!v.is(JsonValue::Kind::String)) doc.fail(v, "expected \"" + name + "\" to be a string, found " + v.describe());
  return v.text;
}

int integer(const JsonDocument& doc, const JsonValue& v, const std::string& name, int lo, int hi) {
  auto r = v.is(JsonValue::Kind::Number) ? exact_decimal(v.text) : std::nullopt;
  if (!r || !r->is_integer() || r->num() < lo || r->num() > hi)
    doc.fail(v, "expected \"" + name + "\" to be an integer between " + std::to_string(lo) + " and " + std::to_string(hi) +
                    ", found " + v.describe());
  return static_cast<int>(r->num());
}

const JsonValue& rows(const JsonDocument& doc, const JsonValue& obj, const std::string& name, int count) {
  const JsonValue& v = key(doc, obj, name);
  if (!v.is(JsonValue::Kind::Array))
    doc.fail(v, "expected \"" + name + "\" to be an array of " + std::to_string(count) + " rows, found " + v.describe());
  if (v.items.size() != size_t(count))
    doc.fail(v, "expected \"" + name + "\" to have rank = " + std::to_string(count) + " rows, found " +
                    std::to_string(v.items.size()));
  return v;
}

Rational coefficient(const JsonDocument& doc, const JsonValue& x, const std::string& where) {
  std::optional<Rational> c;
  if (x.is(JsonValue::Kind::Number)) c = exact_decimal(x.text);
  else if (x.is(JsonValue::Kind::String)) c = Rational::parse(x.text);
  else doc.fail(x, "expected a coefficient in " + where + " (a number or a \"p/q\" string), found " + x.describe());
  if (!c)
    doc.fail(x, "expected a coefficient in " + where +
                    " (an integer, exact decimal or \"p/q\" with nonzero q, within 64 bits), found " + x.describe());
  return *c;
}

void coefficients(const JsonDocument& doc, const JsonValue& row, const std::string& where, int size,
                  std::vector<Rational>& out) {
  if (!row.is(JsonValue::Kind::Array) || row.items.size() != size_t(size))
    doc.fail(row, "expected " + where + " to be an array of " + std::to_string(size) + " coefficients, found " +
                      (row.is(JsonValue::Kind::Array) ? std::to_string(row.items.size()) : row.describe()));
  out.clear();
  for (const JsonValue& x : row.items) out.push_back(coefficient(doc, x, where));
}

std::string quoted(const std::string& s) {
  // Invalid UTF-8 (a free-text source note can hold anything) is replaced, never written raw.
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string coefficient_text(const Rational& c) { return c.is_integer() ? c.str() : "\"" + c.str() + "\""; }

}  // namespace json_scheme

Scheme read_fmm_json(const JsonDocument& doc) {
  using namespace json_scheme;
  const JsonValue& root = doc.root();
  if (!root.is(JsonValue::Kind::Object)) doc.fail(root, "expected a JSON object at the top, found " + root.describe());
  if (!root.find("format"))
    doc.fail(root, "expected a scheme: fmm's JSON (\"format\": \"fmm-scheme\") or the FastMatrixMultiplication "
                   "collection's (keys \"n\", \"m\", \"u\", \"v\", \"w\")");
  const JsonValue& format = key(doc, root, "format");
  if (string_of(doc, format, "format") != "fmm-scheme") doc.fail(format, "expected \"format\": \"fmm-scheme\"");
  const JsonValue& version = key(doc, root, "version");
  if (integer(doc, version, "version", 1, 1000) != 1)
    doc.fail(version, "expected \"version\": 1 (the only version this reader knows)");
  Shape sh{integer(doc, key(doc, root, "n"), "n", 1, kMaxDim), integer(doc, key(doc, root, "m"), "m", 1, kMaxDim),
           integer(doc, key(doc, root, "p"), "p", 1, kMaxDim)};
  const int rank = integer(doc, key(doc, root, "rank"), "rank", 0, kMaxRank);
  const JsonValue& field_json = key(doc, root, "field");
  auto field = parse_field(string_of(doc, field_json, "field"));
  if (!field) doc.fail(field_json, "expected \"field\" to be \"Z\", \"Q\" or \"GF2\", found " + field_json.describe());
  Scheme s(sh, *field);
  if (const JsonValue* src = root.find("source")) s.set_source(string_of(doc, *src, "source"));
  const JsonValue& u = rows(doc, root, "u", rank);
  const JsonValue& v = rows(doc, root, "v", rank);
  const JsonValue& w = rows(doc, root, "w", rank);
  std::vector<Rational> fu, fv, fw;
  for (int r = 0; r < rank; ++r) {
    const std::string at = "[" + std::to_string(r) + "]";
    coefficients(doc, u.items[r], "u" + at, sh.a_size(), fu);
    coefficients(doc, v.items[r], "v" + at, sh.b_size(), fv);
    coefficients(doc, w.items[r], "w" + at, sh.c_size(), fw);
    s.add_term(fu, fv, fw);
  }
  return s;
}

Scheme parse_json(const std::string& text, const std::string& file) {
  return read_fmm_json(JsonDocument(text, file));
}

Scheme parse_any_json(const std::string& text, const std::string& file, Format* format) {
  const JsonDocument doc(text, file);
  const bool fmm = json_flavor(doc) == JsonFlavor::Fmm;
  if (format) *format = fmm ? Format::Json : Format::CommunityJson;
  return fmm ? read_fmm_json(doc) : read_community_json(doc);
}

std::string write_json(const Scheme& s) {
  using json_scheme::coefficient_text;
  using json_scheme::quoted;
  const Shape& sh = s.shape();
  std::ostringstream out;
  out << "{\n  \"format\": \"fmm-scheme\",\n  \"version\": 1,\n"
      << "  \"n\": " << sh.n << ",\n  \"m\": " << sh.m << ",\n  \"p\": " << sh.p << ",\n"
      << "  \"rank\": " << s.rank() << ",\n  \"field\": " << quoted(to_string(s.field())) << ",\n"
      << "  \"source\": " << quoted(s.source().empty() ? "fmm" : s.source()) << ",\n";
  auto factor = [&](const char* name, auto get) {
    out << "  \"" << name << "\": [";
    for (int r = 0; r < s.rank(); ++r) {
      out << (r ? ",\n    [" : "\n    [");
      auto f = get(r);
      for (size_t x = 0; x < f.size(); ++x) out << (x ? ", " : "") << coefficient_text(f[x]);
      out << ']';
    }
    out << (s.rank() ? "\n  ]" : "]");
  };
  factor("u", [&](int r) { return s.u(r); });
  out << ",\n";
  factor("v", [&](int r) { return s.v(r); });
  out << ",\n";
  factor("w", [&](int r) { return s.w(r); });
  out << "\n}\n";
  return out.str();
}

}  // namespace fmm
