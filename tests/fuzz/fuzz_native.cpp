// libFuzzer target for the native reader (see fuzz_common.hpp for what is checked).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  fmm::fuzz::exercise(
      input, [](const std::string& text) { return fmm::parse_native(text, "fuzz"); },
      [](const fmm::Scheme& s) { return fmm::write_native(s); });
  return 0;
}
