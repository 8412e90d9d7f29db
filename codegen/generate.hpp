// Code generators over a Plan (plan.hpp). Output is deterministic: the same plan gives
// byte-identical files. See codegen/README.md for the API of the generated code.
#pragma once

#include <string>
#include <vector>

#include "codegen/plan.hpp"

namespace fmm::codegen {

struct GeneratedFile {
  std::string name;     // file name without directory, e.g. "strassen.cuh"
  std::string content;
};
using GeneratedFiles = std::vector<GeneratedFile>;

// NAME.cuh and NAME.cu: the cuBLAS-like `NAME::gemm` for CUDA (sm_70 and newer, C++17).
GeneratedFiles generate_cuda(const Plan& plan);
// NAME_cpu.hpp: the header-only C++ twin `NAME::cpu::gemm<T>` with the same passes.
GeneratedFiles generate_cpp(const Plan& plan);
// NAME.target.cmake and the folder's CMakeLists.txt: `add_subdirectory(folder)` gives the target
// NAME, the CUDA library when CUDA is available (and `with_cuda`: NAME.cu was generated), the
// header-only twin otherwise (codegen/README.md).
GeneratedFiles generate_cmake(const Plan& plan, bool with_cuda);

// Writes each file into `directory` (created if missing). A file whose content is already
// there is left untouched so that build systems do not rebuild; others are replaced atomically.
// Throws fmm::Error on I/O failure.
void write_files(const GeneratedFiles& files, const std::string& directory);

// The generator's identity, written into every file header.
std::string generator_version();

}  // namespace fmm::codegen
