// fmm-gpu-codegen: build-time generator of the CUDA code fmm::gpu links in, through the codegen
// library directly (the fmm CLI needs Boost, which GPU machines lack).
//   fmm-gpu-codegen OUT_DIR NAME:SCHEME:LEVELS:PRECISION...
// writes OUT_DIR/NAME.cuh and NAME.cu, column-major like cuBLAS; SCHEME is a builtin name.
#include <iostream>
#include <sstream>
#include <vector>

#include "codegen/generate.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"

int main(int argc, char** argv) {
  using namespace fmm;
  if (argc < 3) {
    std::cerr << "usage: fmm-gpu-codegen OUT_DIR NAME:SCHEME:LEVELS:PRECISION...\n";
    return 2;
  }
  try {
    for (int i = 2; i < argc; ++i) {
      std::vector<std::string> parts;
      std::stringstream spec(argv[i]);
      for (std::string part; std::getline(spec, part, ':');) parts.push_back(part);
      if (parts.size() != 4) throw Error(std::string("bad spec '") + argv[i] + "' (NAME:SCHEME:LEVELS:PRECISION)");
      const auto precision = codegen::parse_precision(parts[3]);
      if (!precision) throw Error("bad precision in '" + std::string(argv[i]) + "'");
      codegen::PlanOptions options;
      options.min_block_dim = 256;
      options.command_line = std::string("fmm-gpu-codegen OUT_DIR ") + argv[i];
      const auto plan = codegen::make_plan(codegen::repeat_levels(builtin_scheme(parts[1]), std::stoi(parts[2])),
                                           *precision, codegen::Layout::ColMajor, parts[0], options);
      codegen::write_files(codegen::generate_cuda(plan), argv[1]);
    }
  } catch (const std::exception& e) {
    std::cerr << "fmm-gpu-codegen: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
