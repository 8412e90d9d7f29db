// The coefficient domains a scheme can hold in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fmm {

// Z: integer coefficients, identities hold over the integers (hence every ring).
// Q: rational coefficients, identities hold over the rationals.
// GF2: 0/1 coefficients, identities hold modulo 2 only.
enum class Field { Z, Q, GF2 };

std::string to_string(Field field);  // "Z", "Q", "GF2"
// Accepts z, Z, q, Q, gf2, GF2, Z2, f2 (the spellings found in published files).
std::optional<Field> parse_field(std::string_view text);

}  // namespace fmm
