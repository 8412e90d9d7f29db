// The Kronecker (tensor) product of two schemes, private to codegen until tensor/transform.hpp
// provides kronecker(a, b); then this file goes and the callers switch.
//
// If [[U1,V1,W1]] computes <n1,m1,p1> in R1 products and [[U2,V2,W2]] computes <n2,m2,p2> in R2,
// then the products u1(r1) (x) u2(r2) etc. compute <n1 n2, m1 m2, p1 p2> in R1 R2 products: running
// the second scheme on every block product of the first. Block (i1, j1) of the outer level holds
// inner block (i2, j2); the flattened block index is i1 * n2 + i2 (outer major), which is where the
// inner block sits in the matrix, so the flattened scheme is the same two-level recursion.
#pragma once

#include "tensor/scheme.hpp"

namespace fmm::codegen::detail {

// Product index r = r1 * rank(b) + r2. The result claims Z when both factors do, else Q; the
// caller verifies it. Throws fmm::Error when the product shape exceeds kMaxDim.
Scheme kronecker(const Scheme& a, const Scheme& b);

}  // namespace fmm::codegen::detail
