// Rank-one terms of a residual that exact linear algebra exposes, offered to the policy head as a
// feature (encoding.hpp, kProposal): the head learns when to follow them, the search still samples.
//
// Why: the supervised policy did not learn to take apart sums of even two random terms from the
// residual's entries (results/search/learned/README.md, 2026-12-05: 1.29 nats per term against a
// floor of 0.35). Such sums come apart by an argument, not by a pattern: if R = sum_i u_i (x) X_i
// and some covector x annihilates every u_j but u_i, the contraction R(x) = sum_a x_a R[a,:,:] is
// (x.u_i) X_i, a matrix of rank 1 (the argument behind Jennrich's algorithm: R. A. Harshman,
// "Foundations of the PARAFAC procedure", UCLA Working Papers in Phonetics 16, 1970; S. E. Leurgans,
// R. T. Ross, R. B. Abel, "A decomposition for three-way arrays", SIAM J. Matrix Anal. Appl. 14,
// 1993). So, along each mode, every contraction by a covector with entries in F is formed, the
// ones of rank 1 give a pair of factors (f, g), and the third factor e is the one whose term
// lowers the flattening ranks of the residual: removing a term of a decomposition whose factors
// along a mode are independent lowers that mode's flattening rank by one.
//
// A proposal is a canonical move e (x) f (x) g (in u, v, w order) with every entry in F such that
// R - term has a lower flattening rank along the mode it was found in, and the sum of the three
// flattening ranks drops by at least 2 (by 3 when the term's factors are independent of the
// others' along every mode; by 2 when they are along two, e.g. terms sharing a factor). This is
// exact for small sums with independent factors and says nothing where the rank exceeds the
// sides of the tensor (T<2,2,2> itself: every contraction of it has even rank).
//
// Cost: |F|^n contractions per mode of length n and up to |F|^n candidate factors per pair; a
// mode is enumerated only when |F|^n <= kMaxEnumeration (factor lengths up to 6 over Z, 9 over
// GF(2)), so large formats get no proposals.
#pragma once

#include <vector>

#include "search/game/game.hpp"

namespace fmm::learn {

inline constexpr int kMaxEnumeration = 729;
inline constexpr int kMaxProposals = 64;

// The proposals for `residual` with coefficients `coefficients` (F, holding 0), deterministic,
// distinct, at most kMaxProposals.
std::vector<game::Move> rank_one_proposals(const game::Tensor& residual, const std::vector<int>& coefficients);

}  // namespace fmm::learn
