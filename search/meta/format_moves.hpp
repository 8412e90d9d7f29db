// Moves between formats: exact operations that turn schemes of some formats into a scheme of
// another, the edges of the "meta" flip graph.
//
// Kauers and Wood (2025) walk flip graphs across formats: a scheme of <n,m,p> is extended to
// <n,m,p+1> by the products of the new column and walked there, or restricted to <n,m,p-1> by
// dropping a column (the products whose factor vanishes go), and Perminov ("Fast Matrix
// Multiplication via Ternary Meta Flip Graphs", arXiv 2511.20317) adds merges of two schemes
// along a dimension and products, keeping coefficients in {-1,0,1}. Together with the Kronecker
// product and the six symmetries of the format (tensor/transform.hpp) these let a search start
// <n,m,p> from the best schemes of its neighbours instead of from the standard algorithm.
//
// Every move works over any field (GF(2), Z, Q), keeps the coefficients it is given (a
// {-1,0,1} scheme stays {-1,0,1}: the moves only copy and drop coefficients) and returns a
// scheme that the one verifier has accepted over the field it claims.
#pragma once

#include <string>
#include <vector>

#include "search/run/known_ranks.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search::meta {

// The dimension a move acts on: n (rows of A and C), m (the inner dimension), p (columns of B
// and C).
enum class Axis { N = 0, M = 1, P = 2 };
std::string to_string(Axis axis);               // "n", "m", "p"
Axis parse_axis(const std::string& text);       // "n"/"m"/"p" (also 0/1/2); throws fmm::Error
int dim(const Shape& shape, Axis axis);
Shape with_dim(Shape shape, Axis axis, int value);

// <n,m,p> -> <n,m,p+1> (for axis P; likewise N and M): the old products, with the new column's
// entries zero, plus one product A[i][j] B[j][p] for every (i,j) of the new column, written
// into C[i][p]: rank + n*m (P), + m*p (N), + n*p (M).
Scheme extend(const Scheme& scheme, Axis axis);

// <n,m,p> -> <n,m,p-1>: deletes index `index` of the axis (column `index` of B and C for P),
// i.e. the scheme applied to matrices whose deleted row or column is zero. Products whose u, v
// or w vanish are dropped; the rank falls by their number. Needs the dimension >= 2.
Scheme project(const Scheme& scheme, Axis axis, int index);

// project() for every index of the axis; the lowest rank after dropping vanished products and
// (where the coefficients allow) merging proportional ones (tensor/transform.hpp simplify), first
// index on ties.
Scheme best_projection(const Scheme& scheme, Axis axis);

// Block sum along an axis, the other two dimensions equal: <n,m,p1> + <n,m,p2> -> <n,m,p1+p2>
// computes [C1 C2] = A [B1 B2] (P); <n1,m,p> + <n2,m,p> stacks A and C (N); <n,m1,p> + <n,m2,p>
// computes C = A1 B1 + A2 B2 with A = [A1 A2], B = [B1; B2] (M). Rank r1 + r2. GF(2) with
// anything gives GF(2) (the other reduced modulo 2), else Q if either is Q, else Z.
Scheme block_sum(const Scheme& a, const Scheme& b, Axis axis);

// A symmetry of the format (tensor/transform.hpp permute) that turns `scheme` into a scheme of
// `target`, which must be a permutation of its format; the identity when they are equal.
Scheme permute_to(const Scheme& scheme, const Shape& target);

// Whether the scheme can serve as a scheme over `ring`: GF(2) takes any scheme whose
// denominators are odd (reduced modulo 2); {-1,0,1}, Z and Q take schemes verified over Z or Q
// whose coefficients lie in the ring.
bool holds_in(const Scheme& scheme, RankRing ring);
// The smallest ring the scheme holds in: GF2 for GF(2) schemes, else {-1,0,1}, Z or Q.
RankRing ring_of(const Scheme& scheme);
// The scheme as a scheme over `ring` (reduced modulo 2 for GF(2)); throws unless holds_in().
Scheme as_ring(const Scheme& scheme, RankRing ring);

// Drops products with a zero factor and merges proportional products when the result stays in
// `ring`; verified. The rank never grows.
Scheme tidy(const Scheme& scheme, RankRing ring);

}  // namespace fmm::search::meta
