// JSON scheme files. Schema (version 1):
//   {"format": "fmm-scheme", "version": 1, "n": 2, "m": 2, "p": 2, "rank": 7,
//    "field": "Z" | "Q" | "GF2", "source": "free text (optional)",
//    "u": [[...n*m...], ... rank rows], "v": [[...m*p...], ...], "w": [[...n*p...], ...]}
// Row r of u/v/w is product r; u is indexed i*m+j, v j*p+k, w i*p+k (C NOT transposed,
// as in the native format). Coefficients are JSON integers, exact decimals (0.5), or
// strings "p/q" ("-1/2", also "3"); the writer uses integers and "p/q" strings.
// Unknown keys are ignored; duplicate keys are an error.
//
// The parser is our own (no dependency): recursive descent over RFC 8259 with bounded
// nesting depth and string length, reporting the line of the offending token.
#include <cctype>
#include <map>
#include <memory>
#include <sstream>
#include <variant>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm {
namespace {

constexpr int kMaxJsonDepth = 32;              // the schema needs 3
constexpr size_t kMaxJsonString = 1 << 16;     // a source note, never megabytes
// About 4 million values (a <16,16,16> scheme of rank 4096 has 3.1 million coefficients);
// this caps the tree at a few hundred MiB however the file is shaped.
constexpr long kMaxJsonValues = 1L << 22;

struct Json;
using JsonArray = std::vector<Json>;
using JsonObject = std::vector<std::pair<std::string, Json>>;

struct Json {
  enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
  long line = 0;
  bool boolean = false;
  std::string text;  // the number's literal text, or the string's decoded value
  std::shared_ptr<JsonArray> array;
  std::shared_ptr<JsonObject> object;
};

const char* type_name(Json::Type t) {
  switch (t) {
    case Json::Type::Null: return "null";
    case Json::Type::Bool: return "a boolean";
    case Json::Type::Number: return "a number";
    case Json::Type::String: return "a string";
    case Json::Type::Array: return "an array";
    case Json::Type::Object: return "an object";
  }
  return "?";
}

class JsonParser {
 public:
  JsonParser(const std::string& text, const std::string& file) : s_(text), file_(file) {}

  Json parse_document() {
    if (s_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;  // UTF-8 byte order mark
    skip();
    if (pos_ >= s_.size()) fail("expected a JSON object, found an empty file");
    Json v = value(0);
    skip();
    if (pos_ != s_.size()) fail("expected end of input after the top-level value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw ParseError(file_, line_, what); }

  void skip() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\n') ++line_;
      else if (c != ' ' && c != '\t' && c != '\r') break;
      ++pos_;
    }
  }

  std::string found() const {
    if (pos_ >= s_.size()) return "end of input";
    unsigned char c = static_cast<unsigned char>(s_[pos_]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + char(c) + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02x", c);
    return buf;
  }

  Json value(int depth) {
    if (depth > kMaxJsonDepth) fail("JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    if (++values_ > kMaxJsonValues) fail("more than " + std::to_string(kMaxJsonValues) + " JSON values: refusing a file this large");
    skip();
    Json v;
    v.line = line_;
    if (pos_ >= s_.size()) fail("expected a JSON value, found end of input");
    char c = s_[pos_];
    if (c == '{') {
      ++pos_;
      v.type = Json::Type::Object;
      v.object = std::make_shared<JsonObject>();
      skip();
      if (pos_ < s_.size() && s_[pos_] == '}') return ++pos_, v;
      for (;;) {
        skip();
        if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a string key, found " + found());
        std::string key = string();
        for (const auto& [k, x] : *v.object)
          if (k == key) fail("duplicate key \"" + key + "\"");
        skip();
        if (pos_ >= s_.size() || s_[pos_] != ':') fail("expected ':' after key \"" + key + "\", found " + found());
        ++pos_;
        v.object->emplace_back(std::move(key), value(depth + 1));
        skip();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == '}') return ++pos_, v;
        fail("expected ',' or '}' in object, found " + found());
      }
    }
    if (c == '[') {
      ++pos_;
      v.type = Json::Type::Array;
      v.array = std::make_shared<JsonArray>();
      skip();
      if (pos_ < s_.size() && s_[pos_] == ']') return ++pos_, v;
      for (;;) {
        v.array->push_back(value(depth + 1));
        skip();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == ']') return ++pos_, v;
        fail("expected ',' or ']' in array, found " + found());
      }
    }
    if (c == '"') {
      v.type = Json::Type::String;
      v.text = string();
      return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      v.type = Json::Type::Number;
      v.text = number();
      return v;
    }
    for (const char* word : {"true", "false", "null"}) {
      size_t len = std::char_traits<char>::length(word);
      if (s_.compare(pos_, len, word) == 0) {
        pos_ += len;
        v.type = word[0] == 'n' ? Json::Type::Null : Json::Type::Bool;
        v.boolean = word[0] == 't';
        return v;
      }
    }
    fail("expected a JSON value, found " + found());
  }

  // RFC 8259 number grammar; the literal is kept and converted exactly where it is used.
  std::string number() {
    size_t start = pos_;
    auto digits = [&]() {
      size_t d = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ - d;
    };
    if (s_[pos_] == '-') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '0') ++pos_;
    else if (digits() == 0) fail("expected digits in a number, found " + found());
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) fail("expected digits after '.' in a number, found " + found());
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (digits() == 0) fail("expected digits in a number's exponent, found " + found());
    }
    if (pos_ - start > 64) fail("number literal longer than 64 characters");
    return s_.substr(start, pos_ - start);
  }

  static void put_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }

  unsigned hex4() {
    if (pos_ + 4 > s_.size()) fail("expected four hex digits after \\u");
    unsigned cp = 0;
    for (int i = 0; i < 4; ++i) {
      char h = s_[pos_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') cp |= unsigned(h - '0');
      else if (h >= 'a' && h <= 'f') cp |= unsigned(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') cp |= unsigned(h - 'A' + 10);
      else fail("expected four hex digits after \\u");
    }
    return cp;
  }

  std::string string() {
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (pos_ >= s_.size()) fail("expected closing '\"' of a string, found end of input");
      if (out.size() > kMaxJsonString) fail("string longer than 64 KiB");
      unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"') return out;
      if (c < 0x20) fail("expected '\"' or a printable character in a string, found a control character");
      if (c != '\\') {
        out += char(c);
        continue;
      }
      if (pos_ >= s_.size()) fail("expected an escape after '\\', found end of input");
      char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (s_.compare(pos_, 2, "\\u") != 0) fail("expected a low surrogate \\uDC00..\\uDFFF after a high surrogate");
            pos_ += 2;
            unsigned lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) fail("expected a low surrogate \\uDC00..\\uDFFF after a high surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            fail("unpaired low surrogate in \\u escape");
          }
          put_utf8(out, cp);
          break;
        }
        default: fail(std::string("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\', found '") + e + "'");
      }
    }
  }

  const std::string& s_;
  const std::string& file_;
  size_t pos_ = 0;
  long line_ = 1;
  long values_ = 0;
};

// Exact value of a JSON number literal such as -12, 0.125 or 25e-2.
std::optional<Rational> exact_decimal(const std::string& lit) {
  std::string mantissa;
  int exponent = 0;
  size_t e = lit.find_first_of("eE");
  std::string head = lit.substr(0, e);
  if (e != std::string::npos) {
    std::string ex = lit.substr(e + 1);
    if (ex.size() > 4) return std::nullopt;
    exponent = std::stoi(ex);
  }
  size_t dot = head.find('.');
  if (dot != std::string::npos) {
    exponent -= static_cast<int>(head.size() - dot - 1);
    head.erase(dot, 1);
  }
  auto r = Rational::parse(head);
  if (!r) return std::nullopt;
  try {
    Rational ten(10), scale(1);
    for (int i = 0; i < std::abs(exponent); ++i) {
      if (i > 40) return std::nullopt;
      scale *= ten;
    }
    return exponent >= 0 ? *r * scale : *r / scale;
  } catch (const OverflowError&) {
    return std::nullopt;
  }
}

class SchemeReader {
 public:
  explicit SchemeReader(const std::string& file) : file_(file) {}

  Scheme read(const Json& root) {
    if (root.type != Json::Type::Object) fail(root, std::string("expected a JSON object at the top, found ") + type_name(root.type));
    const Json& format = key(root, "format");
    if (string_of(format, "format") != "fmm-scheme") fail(format, "expected \"format\": \"fmm-scheme\"");
    const Json& version = key(root, "version");
    if (integer(version, "version", 1, 1000) != 1) fail(version, "expected \"version\": 1 (the only version this reader knows)");
    Shape sh{integer(key(root, "n"), "n", 1, kMaxDim), integer(key(root, "m"), "m", 1, kMaxDim),
             integer(key(root, "p"), "p", 1, kMaxDim)};
    const Json& rank_json = key(root, "rank");
    int rank = integer(rank_json, "rank", 0, kMaxRank);
    const Json& field_json = key(root, "field");
    auto field = parse_field(string_of(field_json, "field"));
    if (!field) fail(field_json, "expected \"field\" to be \"Z\", \"Q\" or \"GF2\", found \"" + field_json.text + "\"");
    Scheme s(sh, *field);
    if (const Json* src = find(root, "source")) s.set_source(string_of(*src, "source"));
    const Json& u = rows(root, "u", rank);
    const Json& v = rows(root, "v", rank);
    const Json& w = rows(root, "w", rank);
    std::vector<Rational> fu, fv, fw;
    for (int r = 0; r < rank; ++r) {
      coefficients((*u.array)[r], "u", r, sh.a_size(), fu);
      coefficients((*v.array)[r], "v", r, sh.b_size(), fv);
      coefficients((*w.array)[r], "w", r, sh.c_size(), fw);
      s.add_term(fu, fv, fw);
    }
    return s;
  }

 private:
  [[noreturn]] void fail(const Json& at, const std::string& what) const { throw ParseError(file_, at.line, what); }

  static const Json* find(const Json& obj, const std::string& name) {
    for (const auto& [k, v] : *obj.object)
      if (k == name) return &v;
    return nullptr;
  }
  const Json& key(const Json& obj, const std::string& name) const {
    const Json* v = find(obj, name);
    if (!v) fail(obj, "expected key \"" + name + "\" in the top-level object");
    return *v;
  }
  std::string string_of(const Json& v, const std::string& name) const {
    if (v.type != Json::Type::String) fail(v, "expected \"" + name + "\" to be a string, found " + type_name(v.type));
    return v.text;
  }
  int integer(const Json& v, const std::string& name, int lo, int hi) const {
    auto r = v.type == Json::Type::Number ? exact_decimal(v.text) : std::nullopt;
    if (!r || !r->is_integer() || r->num() < lo || r->num() > hi)
      fail(v, "expected \"" + name + "\" to be an integer between " + std::to_string(lo) + " and " + std::to_string(hi) +
                  (v.type == Json::Type::Number ? ", found " + v.text : std::string(", found ") + type_name(v.type)));
    return static_cast<int>(r->num());
  }
  const Json& rows(const Json& obj, const std::string& name, int rank) const {
    const Json& v = key(obj, name);
    if (v.type != Json::Type::Array) fail(v, "expected \"" + name + "\" to be an array of " + std::to_string(rank) + " rows");
    if (v.array->size() != size_t(rank))
      fail(v, "expected \"" + name + "\" to have rank = " + std::to_string(rank) + " rows, found " + std::to_string(v.array->size()));
    return v;
  }
  void coefficients(const Json& row, const std::string& name, int r, int size, std::vector<Rational>& out) const {
    std::string where = name + "[" + std::to_string(r) + "]";
    if (row.type != Json::Type::Array || row.array->size() != size_t(size))
      fail(row, "expected " + where + " to be an array of " + std::to_string(size) + " coefficients" +
                    (row.type == Json::Type::Array ? ", found " + std::to_string(row.array->size()) : std::string(", found ") + type_name(row.type)));
    out.clear();
    for (const Json& x : *row.array) {
      std::optional<Rational> c;
      if (x.type == Json::Type::Number) c = exact_decimal(x.text);
      else if (x.type == Json::Type::String) c = Rational::parse(x.text);
      else fail(x, "expected a coefficient in " + where + " (a number or a \"p/q\" string), found " + type_name(x.type));
      if (!c)
        fail(x, "expected a coefficient in " + where + " (an integer, exact decimal or \"p/q\" with nonzero q, within 64 bits), found " +
                    (x.type == Json::Type::String ? "\"" + x.text.substr(0, 40) + "\"" : x.text));
      out.push_back(*c);
    }
  }

  const std::string& file_;
};

}  // namespace

Scheme parse_json(const std::string& text, const std::string& file) {
  Json root = JsonParser(text, file).parse_document();
  return SchemeReader(file).read(root);
}

namespace {
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += char(c);
  }
  return out + "\"";
}
}  // namespace

std::string write_json(const Scheme& s) {
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
      for (size_t x = 0; x < f.size(); ++x)
        out << (x ? ", " : "") << (f[x].is_integer() ? f[x].str() : "\"" + f[x].str() + "\"");
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
