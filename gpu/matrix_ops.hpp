// Element-wise device helpers for the harness: random fill, poisoning, upcasting and the
// error measure against an FP64 reference. Matrices here are dense column-major (ld = rows),
// so these treat them as flat arrays of `count` elements.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

namespace fmm::gpu {

enum class Elem { F32, F64, BF16 };

// Uniform in [-1, 1] from a counter-based hash of (seed, index): deterministic for a seed,
// never zero-filled (METHOD.md: zeros hide unwritten outputs and run faster than real data).
void fill_uniform(void* data, Elem elem, size_t count, uint64_t seed, cudaStream_t stream);
// Quiet NaN everywhere, so an element a kernel forgot to write shows up in the error check.
void fill_nan(void* data, Elem elem, size_t count, cudaStream_t stream);
void upcast_to_f64(const void* src, Elem elem, double* dst, size_t count, cudaStream_t stream);

struct ErrorStats {
  double rel_frobenius = 0;  // ||C - ref||_F / ||ref||_F
  double rel_max = 0;        // max |C - ref| / max |ref|
  size_t nonfinite = 0;      // NaN or Inf entries in C (poison left behind counts here)
  bool finite() const { return nonfinite == 0; }
};

// Compares C (count elements, type elem) with the FP64 reference; synchronizes the stream.
ErrorStats compare_to_reference(const void* c, Elem elem, const double* ref, size_t count, cudaStream_t stream);

}  // namespace fmm::gpu
