// Training data that needs no search: AlphaTensor's synthetic demonstrations (Fawzi et al.,
// Nature 610, 2022, Methods "Synthetic demonstrations": draw R random rank-one terms from F, sum
// them into a tensor, and teach the network to recover a term; the tensor has rank <= R), and
// demonstrations from complete schemes the agent found itself, augmented by changes of basis.
//
// The change of basis (X, Y, Z) in GL_n x GL_m x GL_p maps a scheme of T<n,m,p> to another scheme
// of the same T<n,m,p> with the same rank (the matrix-multiplication tensor is invariant under
// A -> X A Y^-1, B -> Y B Z^-1, C -> X C Z^-1; transform.hpp has the formulas). One found scheme
// thus yields many, with other first moves: the network learns a family of good moves instead of
// one game's. Over Z we keep a transformed scheme only when every coefficient stays in F.
#pragma once

#include <optional>
#include <vector>

#include "search/game/game.hpp"
#include "search/game/move_generator.hpp"  // Rng
#include "search/learn/network.hpp"

namespace fmm::learn {

// A random canonical term with entries in F, every factor nonzero and sparse (1-4 nonzeros
// mostly, like the terms of known small schemes).
game::Move random_term(const Shape& shape, const Encoding& enc, game::Rng& rng);

// The largest number of terms a synthetic demonstration may sum at `progress` (0..1) through a
// curriculum that grows it linearly from 1 to `limit` (TrainConfig::curriculum).
int curriculum_terms(int limit, double progress);

// The most terms a synthetic demonstration of `shape` sums: `cap` (TrainConfig::demo_terms) when it
// is set and below the classical rank, else the classical rank.
int demo_term_limit(const Shape& shape, int cap);

// A synthetic demonstration for `shape`: r (1 <= r <= max_terms) random terms summed; policy
// targets: up to `targets` of those terms, equally weighted; value target: min(r, slice bound).
// The moves-played feature is drawn as if the tensor were the residual of a game of length `limit`.
Example synthetic_example(const Encoding& enc, const Shape& shape, int max_terms, int limit, int targets, game::Rng& rng);

// The terms of a complete scheme for T<shape> moved by a random change of basis (unimodular over
// Z, invertible over GF(2), a few elementary operations each); nullopt when a coefficient would
// leave F. The result is canonical and still sums to T<shape>.
std::optional<std::vector<game::Move>> change_basis(const Shape& shape, const Encoding& enc,
                                                    const std::vector<game::Move>& moves, game::Rng& rng);

// A demonstration from a complete scheme (moves summing to T<shape>): a random order, a random
// number s of its terms played; policy targets: up to `targets` of the remaining terms; value
// target: the number remaining.
Example scheme_example(const Encoding& enc, const Shape& shape, const std::vector<game::Move>& moves, int limit,
                       int targets, game::Rng& rng);

}  // namespace fmm::learn
