#include "gpu/precision.hpp"

namespace fmm::gpu {

std::string to_string(Precision p) {
  switch (p) {
    case Precision::F32: return "f32";
    case Precision::F64: return "f64";
    case Precision::TF32: return "tf32";
    case Precision::BF16: return "bf16";
  }
  return "?";
}

std::optional<Precision> parse_precision(const std::string& text) {
  if (text == "f32" || text == "fp32" || text == "float") return Precision::F32;
  if (text == "f64" || text == "fp64" || text == "double") return Precision::F64;
  if (text == "tf32") return Precision::TF32;
  if (text == "bf16") return Precision::BF16;
  return std::nullopt;
}

size_t input_bytes(Precision p) {
  switch (p) {
    case Precision::F64: return 8;
    case Precision::BF16: return 2;
    default: return 4;
  }
}

size_t output_bytes(Precision p) { return p == Precision::F64 ? 8 : 4; }

double correctness_tolerance(Precision p) {
  switch (p) {
    case Precision::F32: return 1e-3;
    case Precision::F64: return 1e-10;
    case Precision::TF32: return 2e-2;
    case Precision::BF16: return 5e-2;
  }
  return 0;
}

}  // namespace fmm::gpu
