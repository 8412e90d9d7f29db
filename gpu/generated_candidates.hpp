// Candidates backed by code that fmm::codegen generated at build time (gpu/CMakeLists.txt:
// FMM_GPU_GENERATED). Each wraps a generated `NAME::gemm` (codegen/README.md) behind the
// Candidate interface, so the benchmark checks and times it like any other row.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gpu/candidate.hpp"

namespace fmm::gpu {

// The generated kernels compiled into this build for a builtin scheme and depth (e.g.
// "strassen", 2) as one candidate (f32/tf32 and f64 kernels); nullptr when none was generated.
std::unique_ptr<Candidate> make_generated_candidate(const std::string& scheme, int levels);
// "strassen^2 f32, strassen^2 f64, ..." for --help and notes.
std::string generated_kernel_list();

}  // namespace fmm::gpu
