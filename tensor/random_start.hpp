// Random starts for flip walks over GF(2): K random dense rank-one terms, plus the rest of the
// matrix multiplication tensor written slice by slice.
//
// Why: walks from the standard algorithm end in the same few funnels (<4,4,4>: rank-49 schemes
// without a single flip), while a scheme that holds other factors walks into other ones. The
// published <4,4,4;47> keeps its funnel through 60 plus transitions and 20 000 flips, and a
// start of 12 random dense terms walked to rank 47 (results/search/flip_isolation.md,
// results/search/random_starts/README.md).
#pragma once

#include <cstdint>

#include "tensor/scheme.hpp"

namespace fmm {

// A GF(2) scheme for `shape`: `dense_terms` terms u (x) v (x) w with every entry drawn uniformly
// (nonzero factors), then for each entry a of A the slice of the remaining tensor T - sum, a
// (mp x np) matrix M_a, written as sum_j e_a (x) x_j (x) y_j by Gaussian elimination (at most
// rank(M_a) terms). The same shape, count and seed give the same scheme. Its rank is about
// dense_terms + nm * min(mp, np) / 2: far above the standard algorithm's, which the walk's
// reductions bring down in a fraction of a second.
Scheme random_start_scheme(const Shape& shape, int dense_terms, std::uint64_t seed);

// The most terms random_start_scheme(shape, dense_terms, *) can have: each of the nm slices has
// rank at most min(mp, np).
int random_start_max_rank(const Shape& shape, int dense_terms);

}  // namespace fmm
