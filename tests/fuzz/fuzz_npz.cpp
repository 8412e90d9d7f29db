// libFuzzer target for the AlphaTensor .npz reader: parse; verify every plain entry that
// is small enough. Only fmm::ParseError may escape.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<fmm::NpzEntry> entries;
  try {
    entries = fmm::parse_npz(input, "fuzz");
  } catch (const fmm::ParseError&) {
    return 0;
  }
  for (const auto& e : entries) {
    if (e.scheme.has_value() == !e.error.empty()) fmm::fuzz::die("an npz entry must hold a scheme or an error");
    if (e.scheme && fmm::fuzz::small_enough(*e.scheme)) (void)fmm::verify(*e.scheme);
  }
  return 0;
}
