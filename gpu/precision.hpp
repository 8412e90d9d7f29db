// The arithmetic a GEMM runs in. F32/F64 are the classical CUDA-core/DMMA paths;
// TF32 keeps float storage but multiplies on the tensor cores with 10-bit mantissas;
// BF16 stores A and B in bfloat16 and accumulates and stores C in float.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace fmm::gpu {

enum class Precision { F32, F64, TF32, BF16 };

std::string to_string(Precision p);                        // "f32", "f64", "tf32", "bf16"
std::optional<Precision> parse_precision(const std::string& text);
size_t input_bytes(Precision p);   // bytes of one A or B element
size_t output_bytes(Precision p);  // bytes of one C element
// Largest relative Frobenius error that still counts as a correct result: far above what the
// precision's rounding gives even after three Strassen levels, far below what a wrong index or
// a dropped term gives (~1). METHOD.md: fp32 lands far under 1e-3, tf32 near 3e-4, bf16 1e-3..1e-2.
double correctness_tolerance(Precision p);

}  // namespace fmm::gpu
