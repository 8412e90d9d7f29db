// Shared by the JSON scheme readers (json.cpp: fmm's own format; community_json.cpp: the
// FastMatrixMultiplication collection's): typed access to a JsonDocument's values with errors
// that name line, column and what was expected. Internal to tensor/formats.
#pragma once

#include <string>
#include <vector>

#include "tensor/formats/json_document.hpp"
#include "tensor/scheme.hpp"

namespace fmm {

namespace json_scheme {
const JsonValue& key(const JsonDocument& doc, const JsonValue& obj, const std::string& name);
std::string string_of(const JsonDocument& doc, const JsonValue& v, const std::string& name);
int integer(const JsonDocument& doc, const JsonValue& v, const std::string& name, int lo, int hi);
// The array `name` of obj, of exactly `count` rows.
const JsonValue& rows(const JsonDocument& doc, const JsonValue& obj, const std::string& name, int count);
// A coefficient: a JSON number (integer or exact decimal) or a "p/q" string.
Rational coefficient(const JsonDocument& doc, const JsonValue& x, const std::string& where);
// An array of exactly `size` coefficients into `out`.
void coefficients(const JsonDocument& doc, const JsonValue& row, const std::string& where, int size,
                  std::vector<Rational>& out);
std::string quoted(const std::string& s);           // a JSON string literal
std::string coefficient_text(const Rational& c);    // 3, or "1/2"
}  // namespace json_scheme

// Which JSON schema a document follows: fmm's own ("format": "fmm-scheme"), or the
// FastMatrixMultiplication collection's full or reduced format.
enum class JsonFlavor { Fmm, CommunityFull, CommunityReduced };
JsonFlavor json_flavor(const JsonDocument& doc);

Scheme read_fmm_json(const JsonDocument& doc);
Scheme read_community_json(const JsonDocument& doc);          // full or reduced, by json_flavor
Scheme read_community_reduced_json(const JsonDocument& doc);  // expands the stored addition chains

}  // namespace fmm
