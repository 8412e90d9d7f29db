// placeholder until the .exp reader lands
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
namespace fmm {
Scheme parse_exp(const std::string&, const std::string& file, std::optional<Shape>) { throw ParseError(file, 0, "exp: not implemented yet"); }
std::string write_exp(const Scheme&) { throw Error("exp: not implemented yet"); }
}  // namespace fmm
