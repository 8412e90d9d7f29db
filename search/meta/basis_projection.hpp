// Projection after a change of basis: <n,m,p> -> <n-1,m,p> (or along m, p) through any
// hyperplane, not only by deleting a coordinate.
//
// project() deletes index k of an axis, i.e. runs the scheme on matrices whose row (or column) k
// is zero, and the products whose factor vanishes there go. Deleting a coordinate is one choice
// of hyperplane among many: after a change of basis Q of that axis (tensor/transform.hpp
// change_basis) the same deletion removes every product whose factor, read along the axis, spans
// the line Q e_last (one side of the product) or the line Q^-T e_last (the other side), the two
// lines paired to 1. For axis n these are the column spaces of W and of U; for m the row space
// of U and the column space of V; for p the row spaces of V and of W. So the best hyperplane comes
// from the lines that the scheme's rank-one factors already span, chosen in pairs that cover the
// most products, and over Z the change of basis is unimodular (integer schemes stay integer).
//
// Kauers and Wood (2025) walk from projections of the Moosbauer-Poole schemes; a projection that
// drops more products starts such a walk lower. On the campaign's own schemes this drops up to
// 12 more products than the best coordinate, but walks from the lower starts ended where walks
// from the coordinate ones did (results/search/meta_starts.md): an exact move, not a search gain.
#pragma once

#include <string>

#include "search/meta/format_moves.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search::meta {

// The lowest-rank projection of `scheme` along `axis` over every coordinate and the `candidates`
// best hyperplanes found from its rank-one factors (scored by the products they remove, then each
// realised, tidied and verified). Keeps the scheme's ring (ring_of): a hyperplane whose change of
// basis takes the coefficients out of it (e.g. a 2 into a {-1,0,1} scheme) is not used. First
// coordinate on ties. Throws fmm::Error when the axis has only one index.
Scheme best_basis_projection(const Scheme& scheme, Axis axis, int candidates = 8);

}  // namespace fmm::search::meta
