// Lifting an invariant GF(2) scheme of <n,n,n> to Z with its symmetry kept (Moosbauer, Poole,
// "Flip graphs with symmetry and new matrix multiplication schemes", arXiv 2502.04514: the
// orbit structure carries over to Z and the lifting system shrinks by the group's order). The
// coefficients of each term's images are tied to the term's own (the images are the same
// numbers, permuted: sigma(u,v,w) = (v, w^T, u^T), rho reverses each factor), and the Brent
// equations that the symmetry maps onto each other are kept once; lift/lift.hpp's
// lift_scheme_tied does the Hensel lifting.
#pragma once

#include "search/lift/lift.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search {

// The ties of a scheme invariant under the group of the given order (3 or 6); throws
// fmm::Error when a term's image is missing.
LiftTies symmetric_lift_ties(const Scheme& gf2, int order);

// lift_scheme_tied with those ties. The result (verified over Z by the lifter) is invariant.
LiftResult lift_symmetric(const Scheme& gf2, int order, const LiftOptions& options);

}  // namespace fmm::search
