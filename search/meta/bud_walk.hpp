// The bud walk: a flip walk that grows the shared factors a bud product (bud_product.hpp) pays
// less for.
//
// A bud product of a scheme of rank r with an inner format of rank r2 costs r r2 less what its
// groups of products with a common factor save; against <2,2,1> (or <2,1,2>, <1,2,2>), rank 4,
// every pair of products sharing the factor of the right slot saves one product (<2,2,2> in 7
// instead of 8). Perminov (arXiv 2606.02480) builds his records from bases that are rich in such
// pairs, often one rank above the best known: <4,7,8;161> needs a <2,4,7;46> whose 46 products
// pair up by a shared factor. Flips move along exactly these pairs (two products can flip only where they
// share a factor), so the walk here flips at random on the scheme's plateau (Kauers-Moosbauer
// 2022), takes the reductions it meets (a product with a zero factor goes; two products equal in
// two factors merge), and accepts each step by the Metropolis rule on the score
//     score = saving in the slot - inner_rank * rank
// (saving: the sum over the slot's classes of proportional factors of what a class of its size
// saves, by default floor(size / 2), the pairs against <2,2,1>), keeping the best scheme seen.
// Integer coefficients only, each at most `max_coefficient` in absolute value (never less than
// the start's largest). Flips alone never create a shared factor where the products share none
// (Strassen's <2,2,2> has no flip at all); plus transitions do. Measured: a <2,2,7;25> walked
// for <4,4,1> gave <7,8,8;310> over Z, the best known (results/search/meta_starts.md).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "search/meta/bud_product.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search::meta {

struct BudWalkConfig {
  Slot slot = Slot::W;
  int inner_rank = 4;          // the rank paid per product of the outer scheme (4: <2,2,1> and its turns)
  // What a class of c products with proportional factors in the slot saves, indexed by c (sizes
  // past the end save what the last entry says); empty: floor(c / 2). class_saving_table() makes
  // one for an inner format.
  std::vector<long> class_saving;
  double seconds = 10;
  std::uint64_t max_steps = 0; // 0: no limit (then `seconds` ends the walk); else the walk's length
  std::uint64_t seed = 1;
  double temperature = 0.5;    // Metropolis: a step that loses d is taken with probability exp(-d / T)
  int max_coefficient = 1;     // 0: the largest in the start (which always fits)
  // A plus transition (Arai, Ichikawa, Hukushima 2024) every that many flips tried (0: never):
  // a product splits in two, one of them sharing a factor with another product, so the walk
  // leaves a plateau whose products share too little to flip; taken whatever the score while the
  // rank stays at most `plus_slack` above the start's.
  std::uint64_t plus_every = 0;
  int plus_slack = 2;
};

struct BudWalkResult {
  Scheme best;                 // verified; of the start's field
  long saving = 0;             // of `best`, in the slot
  long score = 0;              // saving - inner_rank * rank
  std::uint64_t steps = 0;     // flips tried
  std::uint64_t taken = 0;     // flips made
};

// What the classes of products with proportional factors in `slot` save under the table (empty:
// floor(size / 2) each, the pairs).
long bud_saving(const Scheme& scheme, Slot slot, const std::vector<long>& class_saving = {});

// The table for BudWalkConfig::class_saving against an inner format of rank `inner_rank`: entry c
// is the most a class of c products saves split into groups (a group of k saves
// k inner_rank - rank_of(enlarged_format(inner, slot, k)) when that is positive and the rank is
// known, i.e. >= 0), for c = 0 .. max_size.
std::vector<long> class_saving_table(const Shape& inner, Slot slot, long inner_rank,
                                     const std::function<long(const Shape&)>& rank_of, int max_size);

// Walks from `start` (an integer scheme over Z; GF(2) schemes are refused). Same seed and steps,
// same result.
BudWalkResult bud_walk(const Scheme& start, const BudWalkConfig& config);

}  // namespace fmm::search::meta
