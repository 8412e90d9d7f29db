// Conversions between exact Schemes and the bit-packed terms the flip graph walks on.
// A factor's bit x stands for entry x of the Scheme's u/v/w span (u: i*m+j, v: j*p+k, w: i*p+k),
// so every format with n*m, m*p, n*p <= 64 fits (n, m, p <= 8).
#pragma once

#include <vector>

#include "search/flip/flip_graph.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search {

// True when the shape's factors fit in 64-bit masks.
bool fits_bit_packing(const Shape& shape);

// GF2: coefficients reduced mod 2 (odd denominators only). Throws fmm::Error otherwise.
std::vector<FlipTerm<Gf2>> gf2_terms(const Scheme& scheme);
// Ternary: every coefficient must be -1, 0 or 1. Throws fmm::Error otherwise.
std::vector<FlipTerm<Ternary>> ternary_terms(const Scheme& scheme);

// Back to exact schemes (not verified here; the pool verifies).
Scheme to_scheme(const Shape& shape, const std::vector<FlipTerm<Gf2>>& terms);      // field GF2
Scheme to_scheme(const Shape& shape, const std::vector<FlipTerm<Ternary>>& terms);  // field Z

}  // namespace fmm::search
