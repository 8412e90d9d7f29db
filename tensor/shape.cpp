#include "tensor/shape.hpp"

#include <charconv>

#include "tensor/error.hpp"
#include "tensor/field.hpp"

namespace fmm {

std::string Shape::str() const { return std::to_string(n) + "x" + std::to_string(m) + "x" + std::to_string(p); }

void require_valid(const Shape& s) {
  if (!s.valid())
    throw Error("format <" + std::to_string(s.n) + "," + std::to_string(s.m) + "," + std::to_string(s.p) +
                "> is out of range: each dimension must be between 1 and " + std::to_string(kMaxDim));
}

Shape parse_shape(const std::string& text) {
  int dims[3];
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int d = 0; d < 3; ++d) {
    auto [next, ec] = std::from_chars(p, end, dims[d]);
    if (ec != std::errc() || next == p)
      throw Error("bad shape '" + text + "': expected NxMxP, e.g. 3x3x3");
    p = next;
    if (d < 2) {
      if (p == end || (*p != 'x' && *p != 'X' && *p != ',')) throw Error("bad shape '" + text + "': expected NxMxP, e.g. 3x3x3");
      ++p;
    }
  }
  if (p != end) throw Error("bad shape '" + text + "': expected NxMxP, e.g. 3x3x3");
  Shape s{dims[0], dims[1], dims[2]};
  require_valid(s);
  return s;
}

std::string to_string(Field f) {
  switch (f) {
    case Field::Z: return "Z";
    case Field::Q: return "Q";
    case Field::GF2: return "GF2";
  }
  return "?";
}

std::optional<Field> parse_field(std::string_view t) {
  if (t == "z" || t == "Z") return Field::Z;
  if (t == "q" || t == "Q") return Field::Q;
  if (t == "gf2" || t == "GF2" || t == "Z2" || t == "z2" || t == "f2" || t == "F2") return Field::GF2;
  return std::nullopt;
}

}  // namespace fmm
