// A JSON text read through nlohmann-json (its SAX interface) into a small tree that keeps what
// the scheme readers need and nlohmann's own DOM drops: every number's exact literal (a DOM
// stores 0.1 as a double; coefficients must be exact) and where each value sits in the text
// (nlohmann 3.11 records no positions), so that a reader's error names line and column.
//
// Limits (a hostile file must not make us allocate without bound or recurse deeply): nesting
// depth, number of values, string length, number-literal length; duplicate keys are rejected.
// Syntax errors come from nlohmann's parser, their byte position turned into line:column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tensor/rational.hpp"

namespace fmm {

inline constexpr int kMaxJsonDepth = 32;           // the schemes' formats need 4
inline constexpr size_t kMaxJsonString = 1 << 16;  // a source note, never megabytes
// About 4 million values (a <16,16,16> scheme of rank 4096 has 3.1 million coefficients);
// this caps the tree at a few hundred MiB however the file is shaped.
inline constexpr long kMaxJsonValues = 1L << 22;

struct JsonValue {
  enum class Kind : std::uint8_t { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::uint32_t end = 0;          // offset just past the value in the text (see JsonDocument::fail)
  std::string text;               // a number's literal, or a string's decoded value
  std::vector<JsonValue> items;   // array elements, or object members' values
  std::vector<std::string> keys;  // object members' keys, parallel to items

  bool is(Kind k) const { return kind == k; }
  const JsonValue* find(std::string_view key) const;  // object member or nullptr
  std::string describe() const;  // "a string", "an array", or the number's literal, for messages
};

// Exact value of a JSON number literal such as -12, 0.125 or 25e-2; nullopt when it is not a
// rational within 64 bits.
std::optional<Rational> exact_decimal(std::string_view literal);

class JsonDocument {
 public:
  // Parses `text`; throws ParseError naming `file`, line and column for malformed JSON or a
  // broken limit. `text` must outlive the document (errors are located in it).
  JsonDocument(const std::string& text, std::string file);

  const JsonValue& root() const { return root_; }
  const std::string& file() const { return file_; }
  // Throws ParseError "FILE:LINE:COLUMN: what" at the start of `at`.
  [[noreturn]] void fail(const JsonValue& at, const std::string& what) const;

 private:
  const std::string& text_;
  std::string file_;
  JsonValue root_;
};

// Line and column (1-based) of byte `offset` in `text`.
struct TextPosition {
  long line = 1;
  long column = 1;
};
TextPosition position_of(std::string_view text, size_t offset);

}  // namespace fmm
