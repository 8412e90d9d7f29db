// Conversions between exact Schemes and the bit-packed terms the flip graph walks on.
// A factor's bit x stands for entry x of the Scheme's u/v/w span (u: i*m+j, v: j*p+k, w: i*p+k);
// a format needs max(nm, mp, np) bits, held in 1, 2 or 4 64-bit words (factor_mask.hpp), so every
// format up to <16,16,16> fits.
#pragma once

#include <vector>

#include "search/flip/flip_graph.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search {

// Entries of the longest factor of `shape`: max(nm, mp, np).
int factor_bits(const Shape& shape);
// 64-bit words a factor of `shape` takes in the walk (1, 2 or 4); 0 when it does not fit.
int mask_words(const Shape& shape);
// True when the flip walk takes the shape (every valid shape up to <16,16,16>).
bool fits_bit_packing(const Shape& shape);

// The scheme's terms in domain C (Gf2Of<M> or TernaryOf<M>), M wide enough for the shape.
// GF2: coefficients reduced mod 2 (odd denominators only). Ternary: every coefficient must be
// -1, 0 or 1. Throws fmm::Error otherwise, and when the shape does not fit M.
template <class C>
std::vector<FlipTerm<C>> flip_terms(const Scheme& scheme);
// Back to an exact scheme over GF2 (Gf2Of) or Z (TernaryOf); not verified here (the pool verifies).
template <class C>
Scheme flip_scheme(const Shape& shape, const std::vector<FlipTerm<C>>& terms);

// The one-word instances under their established names.
inline std::vector<FlipTerm<Gf2>> gf2_terms(const Scheme& scheme) { return flip_terms<Gf2>(scheme); }
inline std::vector<FlipTerm<Ternary>> ternary_terms(const Scheme& scheme) { return flip_terms<Ternary>(scheme); }
inline Scheme to_scheme(const Shape& shape, const std::vector<FlipTerm<Gf2>>& terms) {
  return flip_scheme<Gf2>(shape, terms);
}
inline Scheme to_scheme(const Shape& shape, const std::vector<FlipTerm<Ternary>>& terms) {
  return flip_scheme<Ternary>(shape, terms);
}

}  // namespace fmm::search
