// The format <n,m,p> of a matrix product: A is n x m, B is m x p, C = A B is n x p.
#pragma once

#include <string>

namespace fmm {

// Largest dimension the core accepts; a larger request is a user error, not a crash.
inline constexpr int kMaxDim = 16;

struct Shape {
  int n = 0, m = 0, p = 0;

  int a_size() const { return n * m; }  // entries of A = length of a u factor
  int b_size() const { return m * p; }  // entries of B = length of a v factor
  int c_size() const { return n * p; }  // entries of C = length of a w factor
  long classical_rank() const { return static_cast<long>(n) * m * p; }

  // Row-major positions as in the native format: u at i*m+j, v at j*p+k, w at i*p+k.
  int a_index(int i, int j) const { return i * m + j; }
  int b_index(int j, int k) const { return j * p + k; }
  int c_index(int i, int k) const { return i * p + k; }

  bool valid() const { return n >= 1 && m >= 1 && p >= 1 && n <= kMaxDim && m <= kMaxDim && p <= kMaxDim; }
  std::string str() const;  // "2x3x4"

  friend bool operator==(const Shape&, const Shape&) = default;
};

// Throws fmm::Error naming the limit when the shape is out of range.
void require_valid(const Shape& shape);

// Parses "2x3x4" (also "2,3,4"); throws fmm::Error with a clear message.
Shape parse_shape(const std::string& text);

}  // namespace fmm
