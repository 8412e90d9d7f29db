// Build-time generator for the codegen tests: writes generated code for the test schemes.
//   codegen_test_driver OUT_DIR SPEC...
// SPEC is twin:CASE (CASE_row_cpu.hpp and CASE_col_cpu.hpp) or cuda:CASE:f32|f64:row|col
// (CASE_f32_row.cuh/.cu). CASE names are in test_schemes.hpp.
#include <iostream>
#include <sstream>

#include "codegen/generate.hpp"
#include "tensor/error.hpp"
#include "tests/codegen/test_schemes.hpp"

using namespace fmm;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: codegen_test_driver OUT_DIR twin:CASE|cuda:CASE:PRECISION:LAYOUT...\n";
    return 2;
  }
  try {
    const std::string out = argv[1];
    for (int i = 2; i < argc; ++i) {
      std::vector<std::string> parts;
      std::stringstream spec(argv[i]);
      for (std::string part; std::getline(spec, part, ':');) parts.push_back(part);
      codegen::PlanOptions options;
      options.command_line = std::string("codegen_test_driver OUT_DIR ") + argv[i];
      // Cases named *_asgiven keep their schemes exactly (no cheapest equivalent).
      options.cheapest_equivalent = std::string(argv[i]).find("_asgiven") == std::string::npos;
      // The default CSE effort's randomised runs take ~30 s on the rank-161 Strassen x Laderman
      // forms (minutes under the sanitizers, on every build's critical path); the greedy program
      // is as much a test of the emitted code, and the default effort is generated for every
      // smaller case here.
      if (parts.size() >= 2) {
        std::uint64_t rank = 1;
        for (const Scheme& level : codegen_test::test_case_levels(parts[1])) rank *= level.rank();
        if (rank > 100) options.cse_effort = codegen::CseEffort::Greedy;
      }
      if (parts.size() == 2 && parts[0] == "twin") {
        for (auto layout : {codegen::Layout::RowMajor, codegen::Layout::ColMajor}) {
          const auto plan = codegen::make_plan(codegen_test::test_case_levels(parts[1]), codegen::Precision::F64, layout,
                                               parts[1] + "_" + codegen::to_string(layout), options);
          codegen::write_files(codegen::generate_cpp(plan), out);
        }
      } else if (parts.size() == 4 && parts[0] == "cuda") {
        const auto precision = codegen::parse_precision(parts[2]);
        const auto layout = codegen::parse_layout(parts[3]);
        if (!precision || !layout) throw Error(std::string("bad spec ") + argv[i]);
        const auto plan = codegen::make_plan(codegen_test::test_case_levels(parts[1]), *precision, *layout,
                                             parts[1] + "_" + parts[2] + "_" + parts[3], options);
        codegen::write_files(codegen::generate_cuda(plan), out);
      } else {
        throw Error(std::string("bad spec ") + argv[i]);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "codegen_test_driver: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
