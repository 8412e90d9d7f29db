// Restarts of self-play (exploring starts): a game that starts from one of the agent's own best
// schemes with some of its terms removed, so that the tree search looks for a shorter way to
// finish a game it has already played. The removed terms' sum is the residual the game starts
// from, and the game may use as many moves as were removed. Two laws pick the terms:
//
// - random terms: the scheme in a random basis and order, k of its terms removed, k = 2 + a
//   geometric number (mean 1.5). Mostly small rewrites, which the network judges well.
// - a block: the terms that live inside a random sub-block of the product (u inside the rows I
//   and columns J of A, v inside J x K of B, w inside I x K of C), removed together. In a scheme
//   that has a classical <i,j,k> block, that is the whole block, whose residual is the matmul
//   tensor <i,j,k> itself: a restart then asks for Strassen inside <2,2,4> instead of hoping that
//   a random k-subset of 16 terms is exactly one of its blocks (measured: ~6 500 random-law
//   restarts on <2,2,4> never found a saving; results/search/learned/README.md). The scheme keeps
//   its basis, so that the block it finds stays aligned for a later restart on another block.
//   Self-play's elites are mostly in random bases, where a block's terms rarely sum to a
//   sub-product; the trainer therefore takes half of its block restarts from the standard
//   algorithm, whose every block is one, and half from the elite with the most single products
//   A[i][j] B[j][k] left (trainer.cpp, most_aligned).
#pragma once

#include <optional>
#include <vector>

#include "search/game/game.hpp"
#include "search/game/move_generator.hpp"
#include "search/learn/encoding.hpp"

namespace fmm::learn {

struct RestartStart {
  std::vector<game::Move> kept;  // the prefix the game starts after
  int removed = 0;               // moves the game may play
};

// The random law (max_removed caps k; 0 = no cap). The basis change is skipped where a
// coefficient would leave the encoding's range.
RestartStart remove_random_terms(const Shape& shape, const Encoding& enc, const std::vector<game::Move>& scheme,
                                 int max_removed, game::Rng& rng);

// The block law: half of the draws a sub-block drawn uniformly (each row and column in or out
// with probability 1/2, none empty), half a slab (all of two axes, such a subset of the third:
// the sub-products <n,m,p'>, which hold the blocks a classical scheme can shorten most often),
// up to `draws` times until it holds at least 2 and fewer than all of the scheme's terms;
// nullopt when no draw does.
std::optional<RestartStart> remove_block(const Shape& shape, const std::vector<game::Move>& scheme, game::Rng& rng,
                                         int draws = 16);

}  // namespace fmm::learn
