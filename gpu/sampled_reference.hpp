// The accurate reference of the sampled check, on the host: a few output entries of C = A B
// computed with compensated dot products, so that even f64 results (cuBLAS DGEMM among them)
// are measured against something much more accurate than themselves. The full-output check
// against DGEMM cannot do that for f64: there the reference is no better than the baseline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpu/matrix_ops.hpp"

namespace fmm::gpu {

// A rows x cols block of output entries: C(rows[i], cols[j]) for every i, j.
struct OutputSample {
  std::vector<long long> rows, cols;  // distinct, ascending
  uint64_t seed = 0;
  size_t size() const { return rows.size() * cols.size(); }
  std::string describe() const;  // "64 rows x 64 cols (4096 entries, seed 1999)"
};

// `count` distinct indices of [0, n), ascending, drawn with a seeded Mersenne Twister; all of
// them when count >= n.
std::vector<long long> choose_indices(long long n, int count, uint64_t seed);
OutputSample choose_output_sample(long long M, long long N, int side, uint64_t seed);

// x . y as if accumulated in twice the working precision: TwoProduct by FMA, TwoSum, and the
// errors summed apart ("Dot2" of Ogita, Rump & Oishi, "Accurate sum and dot product", SIAM J.
// Sci. Comput. 26(6), 2005). The result is hi + lo, a double-double whose error is at most
// about u^2 (n^2 sum|x_i y_i| + |x.y|) with u = 2^-53: ~1e-21 relative for K = 32768 random
// inputs, five orders under what a double GEMM gets.
struct DoubleDouble {
  double hi = 0, lo = 0;
};
DoubleDouble dot_extended(const double* x, const double* y, long long n);

// The sampled entries: a_rows holds the sampled rows of A (row i at a_rows[i*K], K long),
// b_cols the sampled columns of B (column j at b_cols[j*K]). Entry (i, j) lands at i + j*nr.
// Spread over the host's cores (std::thread); a 64 x 64 sample with K = 32768 is ~1e8 steps.
std::vector<DoubleDouble> sampled_product(const std::vector<double>& a_rows, const std::vector<double>& b_cols,
                                          int nr, int nc, long long K);

// Relative Frobenius and max error of `got` (n values) against the double-double reference;
// the difference is taken as (got - hi) - lo, so the reference's own rounding to double does
// not enter the error. Non-finite values of got are counted and make both errors NaN.
ErrorStats compare_to_extended(const double* got, const std::vector<DoubleDouble>& ref);

}  // namespace fmm::gpu
