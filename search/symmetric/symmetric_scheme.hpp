// Schemes for <n,n,n> over GF(2) that are invariant under a symmetry group, bit-packed.
//
// Moosbauer, Poole, "Flip graphs with symmetry and new matrix multiplication schemes", 2025
// (arXiv 2502.04514): restricting the flip graph to schemes invariant under a group G shrinks
// the search space by |G|. Two groups, both from the paper:
//  * C3, the cyclic permutation of the three factors;
//  * C3 x Z2, C3 together with the reversal of the order of rows and columns (conjugation of
//    every matrix by the anti-diagonal permutation), order 6 (the paper's <6,6,6> 153 and the
//    public code's SYMMETRY: 6).
//
// Internal convention. tensor/ stores a term as (u, v, w) with u at i*n+j, v at j*n+k and w at
// i*n+k (C not transposed). Here a term is (a, b, c) = (u, v, w^T): the matrix multiplication
// tensor is then sum e_ij (x) e_jk (x) e_ki, and the cyclic map of tensor/transform.hpp's
// cyclic() (which sends (u, v, w) to (v, w^T, u^T)) becomes the plain rotation
//     sigma(a, b, c) = (b, c, a).
// The reversal is rho(a, b, c) = (Ra, Rb, Rc) with R(e_ij) = e_{n-1-i, n-1-j}: on the n^2-bit
// mask, R reverses the bit order, and it commutes with transposition, so it reads the same in
// both conventions.
//
// An invariant scheme is a list of *fixed* terms (those with a non-trivial stabiliser: the
// cubes (a, a, a), and under C3 x Z2 also terms with rho t = t; stored with all their distinct
// images) plus *orbits*: regular orbits of |G| distinct terms, each stored by one
// representative t, whose images are sigma^r t and (order 6) rho sigma^r t.
// Rank = fixed.size() + |G| * orbits.size().
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/scheme.hpp"

namespace fmm::search {

using SymFactor = std::uint64_t;           // bit i*n+j = entry (i,j), n <= 8
using SymTerm = std::array<SymFactor, 3>;  // (a, b, c) = (u, v, w^T)

// The group and the bit-level maps for one n.
class Symmetry {
 public:
  // order 3 (C3) or 6 (C3 x Z2); throws fmm::Error for other orders or n outside 1..8.
  Symmetry(int n, int order);
  int n() const { return n_; }
  int order() const { return order_; }

  SymFactor transpose(SymFactor x) const;
  SymFactor reverse(SymFactor x) const;  // R: bit i -> bit n^2 - 1 - i
  // Image number g of t: sigma^(g mod 3), followed by rho when g >= 3.
  SymTerm image(const SymTerm& t, int g) const;
  // Number of distinct images (|G| / |stabiliser|).
  int orbit_size(const SymTerm& t) const;

  // Conversions to and from tensor/'s (u, v, w).
  SymTerm from_uvw(const SymTerm& uvw) const { return {uvw[0], uvw[1], transpose(uvw[2])}; }
  SymTerm to_uvw(const SymTerm& abc) const { return {abc[0], abc[1], transpose(abc[2])}; }

 private:
  int n_, order_;
  std::vector<SymFactor> spread_;  // row bits r -> bit j*n for each bit j of r (transpose)
};

struct SymmetricScheme {
  int n = 0;
  int order = 3;                 // |G|
  std::vector<SymTerm> fixed;    // every term of the non-regular orbits
  std::vector<SymTerm> orbits;   // representatives of regular orbits
  int rank() const { return static_cast<int>(fixed.size()) + order * static_cast<int>(orbits.size()); }
};

// Splits a scheme for <n,n,n> (n <= 8), reduced mod 2, into fixed terms and orbits of the
// group of the given order. Terms come out in the scheme's order: the first term of each orbit
// met is its representative (so decompose(expand(s)) == s). Throws fmm::Error when the shape is
// not square or too large, or when the scheme (as a multiset of GF(2) terms) is not invariant.
SymmetricScheme decompose_symmetric(const Scheme& scheme, int order = 3);

// Every term written out (fixed terms, then each orbit's images in image order): field GF2.
// Not verified here; callers verify (tensor/verify.hpp) before anything leaves the search.
Scheme expand_symmetric(const SymmetricScheme& sym);

// Whether the scheme (as a multiset of GF(2) terms) is invariant under the group.
bool is_invariant(const Scheme& scheme, int order = 3);
inline bool is_cyclic_invariant(const Scheme& scheme) { return is_invariant(scheme, 3); }

// The grouped-diagonal starts of Moosbauer-Poole's code (its DIAGONAL_CUBES): the diagonal
// {0..n-1} is split into groups S_1..S_m; the cubes x_j (x) x_j (x) x_j with x_j = sum_{i in S_j}
// e_ii become fixed terms, and the rest of the tensor, T + sum_j x_j^3 over GF(2), is written as
// elementary terms e_ij (x) e_kl (x) e_pq grouped in orbits. `groups` holds one 0/1 string of
// length n per cube ("10001,01010,00100" for n = 5). The groups must partition the diagonal,
// and for order 6 the set of cubes must be closed under the reversal. Throws fmm::Error
// otherwise.
SymmetricScheme diagonal_cubes_start(int n, int order, const std::vector<std::string>& groups);
// Parses "10001,01010,00100" (or "standard": one cube per diagonal entry). Throws fmm::Error.
std::vector<std::string> parse_cube_groups(int n, const std::string& text);
// The groups of the public code's input files for n = 5 (r5-93-1.txt) and n = 6
// (r6-153-1.txt) and of its built-in cases for n = 2, 3, 4; one cube per entry for n >= 7.
std::vector<std::string> default_cube_groups(int n);

}  // namespace fmm::search
