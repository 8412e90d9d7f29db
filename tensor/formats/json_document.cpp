#include "tensor/formats/json_document.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <memory>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "tensor/error.hpp"

namespace fmm {
namespace {

using Kind = JsonValue::Kind;

// A forward iterator over the text that records in `*read_to` how far nlohmann's lexer has read.
// The parser reports each SAX event right after lexing its token, so at that moment `*read_to`
// is the token's end (one byte further for a number, whose end is known only after that byte).
class TrackingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator(const char* at, const char** read_to) : at_(at), read_to_(read_to) {}
  reference operator*() const { return *at_; }
  TrackingIterator& operator++() {
    *read_to_ = ++at_;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const TrackingIterator& a, const TrackingIterator& b) { return a.at_ == b.at_; }

 private:
  const char* at_;
  const char** read_to_;
};

bool in_token(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.';
}

// Where the token that ends at `end` (as recorded above) starts: strings back to their opening
// quote, brackets are one byte, numbers and literals back over their characters.
size_t token_start(std::string_view text, size_t end) {
  size_t i = std::min(end, text.size());
  if (i == 0) return 0;
  const char last = text[i - 1];
  if (last == '{' || last == '[') return i - 1;
  if (last == '"') {
    for (size_t j = i - 1; j-- > 0;) {
      if (text[j] != '"') continue;
      size_t backslashes = 0;
      while (j > backslashes && text[j - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return j;
    }
    return 0;
  }
  if (!in_token(last)) --i;  // the byte that ended a number
  while (i > 0 && in_token(text[i - 1])) --i;
  return i;
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 2: " prefix, since we print the position ourselves.
std::string library_message(const std::string& what) {
  const size_t column = what.find(", column ");
  if (column != std::string::npos) {
    const size_t colon = what.find(": ", column);
    if (colon != std::string::npos) return what.substr(colon + 2);
  }
  const size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

// Builds the tree from nlohmann's SAX events and enforces the limits.
class TreeBuilder {
 public:
  TreeBuilder(const std::string& text, const std::string& file, JsonValue& root)
      : text_(text), file_(file), root_(root), read_to_(text.data()) {}

  TrackingIterator begin() { return {text_.data(), &read_to_}; }
  TrackingIterator end() { return {text_.data() + text_.size(), &read_to_}; }

  bool null() { return add(Kind::Null), true; }
  bool boolean(bool b) { return add(Kind::Bool).boolean = b, true; }
  bool number_integer(std::int64_t v) { return add(Kind::Number).text = std::to_string(v), true; }
  bool number_unsigned(std::uint64_t v) { return add(Kind::Number).text = std::to_string(v), true; }
  bool number_float(double, const std::string& literal) {
    if (literal.size() > 64) fail_at_token("number literal longer than 64 characters");
    add(Kind::Number).text = literal;
    return true;
  }
  bool string(std::string& s) {
    if (s.size() > kMaxJsonString) fail_at_token("string longer than 64 KiB");
    add(Kind::String).text = std::move(s);
    return true;
  }
  bool binary(nlohmann::json::binary_t&) { return false; }  // JSON text has no binary values

  bool start_object(std::size_t) { return open(Kind::Object); }
  bool start_array(std::size_t) { return open(Kind::Array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& k) {
    if (k.size() > kMaxJsonString) fail_at_token("string longer than 64 KiB");
    Open& o = open_.back();
    const auto& keys = o.value->keys;
    // Objects in scheme files have a dozen keys; a set only for the hostile ones with many.
    if (!o.key_set && keys.size() >= 16) o.key_set = std::make_unique<std::unordered_set<std::string>>(keys.begin(), keys.end());
    const bool duplicate =
        o.key_set ? !o.key_set->insert(k).second : std::find(keys.begin(), keys.end(), k) != keys.end();
    if (duplicate) fail_at_token("duplicate key \"" + k + "\"");
    pending_key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    const TextPosition p = position_of(text_, position > 0 ? position - 1 : 0);
    throw ParseError(file_, p.line, p.column, library_message(e.what()));
  }

 private:
  struct Open {
    JsonValue* value;
    std::unique_ptr<std::unordered_set<std::string>> key_set;
  };

  [[noreturn]] void fail_at_token(const std::string& what) const {
    const TextPosition p = position_of(text_, token_start(text_, offset()));
    throw ParseError(file_, p.line, p.column, what);
  }

  std::uint32_t offset() const { return static_cast<std::uint32_t>(read_to_ - text_.data()); }

  JsonValue& add(Kind kind) {
    if (++values_ > kMaxJsonValues)
      fail_at_token("more than " + std::to_string(kMaxJsonValues) + " JSON values: refusing a file this large");
    JsonValue* v = &root_;
    if (!open_.empty()) {
      JsonValue& parent = *open_.back().value;
      if (parent.kind == Kind::Object) parent.keys.push_back(std::move(pending_key_));
      v = &parent.items.emplace_back();
    }
    v->kind = kind;
    v->end = offset();
    return *v;
  }

  bool open(Kind kind) {
    if (open_.size() >= static_cast<size_t>(kMaxJsonDepth))
      fail_at_token("JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    JsonValue& v = add(kind);
    open_.push_back({&v, nullptr});
    return true;
  }

  bool close() {
    open_.pop_back();
    return true;
  }

  const std::string& text_;
  const std::string& file_;
  JsonValue& root_;
  const char* read_to_;
  std::vector<Open> open_;  // containers being filled; only the innermost grows, so these stay valid
  std::string pending_key_;
  long values_ = 0;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  if (kind != Kind::Object) return nullptr;
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &items[i];
  return nullptr;
}

std::string JsonValue::describe() const {
  switch (kind) {
    case Kind::Null: return "null";
    case Kind::Bool: return "a boolean";
    case Kind::Number: return text;
    case Kind::String: return "\"" + text.substr(0, 40) + (text.size() > 40 ? "...\"" : "\"");
    case Kind::Array: return "an array";
    case Kind::Object: return "an object";
  }
  return "?";
}

std::optional<Rational> exact_decimal(std::string_view lit) {
  int exponent = 0;
  const size_t e = lit.find_first_of("eE");
  std::string head(lit.substr(0, e));
  if (e != std::string_view::npos) {
    std::string_view ex = lit.substr(e + 1);
    if (!ex.empty() && ex[0] == '+') ex.remove_prefix(1);
    const bool negative = !ex.empty() && ex[0] == '-';
    if (negative) ex.remove_prefix(1);
    if (ex.empty() || ex.size() > 4 || !std::all_of(ex.begin(), ex.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    exponent = std::stoi(std::string(ex)) * (negative ? -1 : 1);
  }
  const size_t dot = head.find('.');
  if (dot != std::string::npos) {
    exponent -= static_cast<int>(head.size() - dot - 1);
    head.erase(dot, 1);
  }
  auto r = Rational::parse(head);
  if (!r) return std::nullopt;
  try {
    Rational scale(1);
    for (int i = 0; i < std::abs(exponent); ++i) {
      if (i > 40) return std::nullopt;
      scale *= Rational(10);
    }
    return exponent >= 0 ? *r * scale : *r / scale;
  } catch (const OverflowError&) {
    return std::nullopt;
  }
}

TextPosition position_of(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  TextPosition p;
  const std::string_view before = text.substr(0, offset);
  p.line = 1 + static_cast<long>(std::count(before.begin(), before.end(), '\n'));
  const size_t newline = before.rfind('\n');
  p.column = static_cast<long>(newline == std::string_view::npos ? offset + 1 : offset - newline);
  return p;
}

JsonDocument::JsonDocument(const std::string& text, std::string file) : text_(text), file_(std::move(file)) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw ParseError(file_, 1, "expected a JSON object, found an empty file");
  // nlohmann's lexer takes a NUL byte for the end of the input and would ignore what follows.
  if (const size_t nul = text.find('\0'); nul != std::string::npos) {
    const TextPosition p = position_of(text, nul);
    throw ParseError(file_, p.line, p.column, "expected JSON text, found byte 0x00");
  }
  TreeBuilder builder(text_, file_, root_);
  nlohmann::json::sax_parse(builder.begin(), builder.end(), &builder);
}

void JsonDocument::fail(const JsonValue& at, const std::string& what) const {
  const TextPosition p = position_of(text_, token_start(text_, at.end));
  throw ParseError(file_, p.line, p.column, what);
}

}  // namespace fmm
