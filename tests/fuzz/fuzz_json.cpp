// libFuzzer target for the JSON readers, fmm's own and the FastMatrixMultiplication collection's
// (see fuzz_common.hpp for what is checked).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  fmm::fuzz::exercise(
      input, [](const std::string& text) { return fmm::parse_json(text, "fuzz"); },
      [](const fmm::Scheme& s) { return fmm::write_json(s); });
  fmm::fuzz::exercise(
      input, [](const std::string& text) { return fmm::parse_community_json(text, "fuzz"); },
      [](const fmm::Scheme& s) { return fmm::write_community_json(s); });
  return 0;
}
