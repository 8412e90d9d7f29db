// The bud product: a Kronecker product that pays less where the outer scheme's products share a
// factor.
//
// Two or more products of a scheme S1 for <n1,m1,p1> whose factors in one slot are proportional
// (u_j = l_j u, say: "buds", Perminov's word) can share that factor in the product with a scheme
// of <n2,m2,p2> as well. The Kronecker product replaces each of S1's r1 products by r2 products,
// r1 r2 in all. A group of k products sharing u instead needs one scheme of the enlarged format
// <n2, m2, k p2>: with X (x) Y (x) Z one of its products, the product
//     (u (x) X) (x) (sum_j l_j v_j (x) Y_j) (x) (sum_j w_j (x) Z_j)
// (Y_j, Z_j: the j-th block of p2 columns of Y, Z) summed over the enlarged scheme is exactly
// the group's k products times <n2,m2,p2>, because the enlarged tensor is the sum of k copies
// of <n2,m2,p2>, one per column block, and the map that sends block j to the j-th product of the
// group is linear in each factor. Likewise a shared v needs <k n2, m2, p2> (row blocks of A and
// C) and a shared w <n2, k m2, p2> (blocks of the inner dimension). So with disjoint groups G,
//     rank = r1 r2 - sum_G ( |G| r2 - R(enlarged_G) ),
// which beats the Kronecker product wherever R(enlarged) < |G| r2 (<2,2,2>: 7 < 2 * 4).
//
// W. D. Smith, "Fast matrix multiplication formulae - report of the prospectors" (2002), section
// 9.3 (R<3a,3b,3c> <= 19 R<a,b,c> + 2 R<2a,b,c> from a <3,3,3;23> scheme with two proportional
// pairs); A. I. Perminov, "Meta Flip Graph meets Serendipitous Product" (arXiv 2606.02480, 2026)
// names it the serendipitous product and reaches records with it, e.g. <4,8,8;180> from a
// <2,4,8;51> with 24 pairs of equal u times <2,2,1>, each pair through Strassen's <2,2,2;7>.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tensor/scheme.hpp"

namespace fmm::search::meta {

enum class Slot { U = 0, V = 1, W = 2 };
std::string to_string(Slot slot);                       // "u", "v", "w"
std::optional<Slot> parse_slot(const std::string& text);  // "u", "v" or "w"; nullopt otherwise

// Products of a scheme whose factor in `slot` is proportional (non-zero): a class of at least
// two, or a group chosen from one.
struct BudGroup {
  Slot slot = Slot::U;
  std::vector<int> terms;  // product indices of the outer scheme, ascending
};

// Every class of at least two products with proportional factors, slot by slot (U, V, W), each
// class in order of its first product. Over GF(2) proportional means equal.
std::vector<BudGroup> bud_classes(const Scheme& scheme);

// The format whose scheme a group of k products sharing `slot` needs against `inner`:
// <n2, m2, k p2> (U), <k n2, m2, p2> (V), <n2, k m2, p2> (W).
Shape enlarged_format(const Shape& inner, Slot slot, int k);

// The bud product of `outer` and `inner` (format <n1 n2, m1 m2, p1 p2>) with the given disjoint
// groups, each group's products replaced through `scheme_of(enlarged_format(...))`. The other
// products of `outer` are multiplied out as in the Kronecker product. Within a group the block
// order and signs of the enlarged scheme are chosen (all orders up to four products) to keep the
// coefficients small: an enlarged scheme stays a scheme when a column block of B and the same
// block of C change sign. GF(2) with anything gives GF(2). The result is verified; throws
// fmm::Error on groups that are not disjoint classes of proportional factors.
Scheme bud_product(const Scheme& outer, const Scheme& inner, const std::vector<BudGroup>& groups,
                   const std::function<Scheme(const Shape&)>& scheme_of);

// The best split of `count` products of one class into groups of k >= 2 products that save
// group_saving(k) > 0 each, the rest single: best[i] is the most the first i products save, last[i]
// the size of the group that ends at product i (1: a single). One dynamic programme for the
// choice of groups below and the bud walk's score (bud_walk.hpp, class_saving_table).
struct ClassSplit {
  std::vector<long> best;
  std::vector<int> last;
};
ClassSplit split_class(int count, const std::function<long(int)>& group_saving);

// Disjoint groups of `outer`'s bud classes that save the most products against an inner format
// of rank `inner_rank`, given the rank of each enlarged format (`rank_of`; a negative rank: not
// available). A seeded randomised greedy over the classes with an exact split of each class
// into groups (Perminov's builder draws groups at random likewise); the saving is
// sum_G (|G| inner_rank - rank_of(enlarged_G)) > 0, or no groups.
struct BudChoice {
  std::vector<BudGroup> groups;
  long saving = 0;
};
BudChoice choose_bud_groups(const Scheme& outer, const Shape& inner, long inner_rank,
                            const std::function<long(const Shape&)>& rank_of, std::uint64_t seed = 1,
                            int tries = 64);
// The same from the classes of a scheme of rank `outer_rank` (bud_classes, computed once by a
// caller that offers one scheme against many inner formats).
BudChoice choose_bud_groups(const std::vector<BudGroup>& classes, int outer_rank, const Shape& inner, long inner_rank,
                            const std::function<long(const Shape&)>& rank_of, std::uint64_t seed = 1,
                            int tries = 64);

}  // namespace fmm::search::meta
