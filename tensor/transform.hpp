// Transformations that map valid schemes to valid schemes: Kronecker products, the
// symmetries of the format <n,m,p>, changes of basis, and simplification.
//
// Every function here returns a scheme that has passed the one verifier (require_verified)
// over the field it claims; a transformation that would produce anything else throws.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tensor/scheme.hpp"

namespace fmm {

// ---- Kronecker (tensor) product -----------------------------------------------------------------
// <n1,m1,p1;R1> x <n2,m2,p2;R2> -> <n1 n2, m1 m2, p1 p2; R1 R2>: one product per pair (r1, r2),
// u = u1[r1] (x) u2[r2] with A index (i1*n2+i2, j1*m2+j2), likewise for B and C. This is one level
// of recursion written out: the second scheme multiplies the blocks of the first.
// Field: GF2 when both are GF2 (a Z/Q scheme is first reduced modulo 2 when mixed with a GF2
// one); otherwise Q if either is Q, else Z. Throws fmm::Error if a dimension would exceed kMaxDim.
Scheme kronecker(const Scheme& a, const Scheme& b);

// ---- Symmetries of the format -------------------------------------------------------------------
// A scheme is a decomposition of the trilinear form tr(A B D) with D = C^T (p x n):
//   sum_r u_r(A) v_r(B) w_r(C) = sum_{ijk} A[i][j] B[j][k] C[i][k].
//
// cyclic:    <n,m,p> -> <m,p,n>, from tr(ABD) = tr(BDA). New A' = B, B' = D = C^T, C' = A^T:
//            u'_r = v_r, v'_r[k*n+i] = w_r[i*p+k], w'_r[j*n+i] = u_r[i*m+j].
// transpose: <n,m,p> -> <p,m,n>, from (AB)^T = B^T A^T. New A' = B^T, B' = A^T, C' = C^T:
//            u'_r[k*m+j] = v_r[j*p+k], v'_r[j*n+i] = u_r[i*m+j], w'_r[k*n+i] = w_r[i*p+k].
// cyclic^3 and transpose^2 are the identity, exactly (same coefficients, same term order).
Scheme cyclic(const Scheme& s, int times = 1);  // times may be any integer (taken mod 3)
Scheme transpose(const Scheme& s);

// The six elements of the symmetric group on (n,m,p), named by the format they produce from
// <n,m,p>: "nmp" (identity), "mpn" (cyclic), "pnm" (cyclic twice), "pmn" (transpose),
// "npm" (cyclic, then transpose), "mnp" (transpose, then cyclic).
// Accepts "mpn" or "nmp->mpn" (the left side, if given, must be "nmp"); throws otherwise.
Scheme permute(const Scheme& s, const std::string& spec);
std::vector<std::string> permutation_names();  // the six names above, identity first

// ---- Change of basis ----------------------------------------------------------------------------
// A dense rational matrix, row-major.
struct RationalMatrix {
  int rows = 0, cols = 0;
  std::vector<Rational> a;

  RationalMatrix() = default;
  RationalMatrix(int r, int c) : rows(r), cols(c), a(static_cast<size_t>(r) * c) {}
  Rational& operator()(int i, int j) { return a[static_cast<size_t>(i) * cols + j]; }
  const Rational& operator()(int i, int j) const { return a[static_cast<size_t>(i) * cols + j]; }
  bool square() const { return rows == cols; }
  bool all_integer() const;
  std::string str() const;  // "1,1;0,1"
  friend bool operator==(const RationalMatrix&, const RationalMatrix&) = default;

  static RationalMatrix identity(int n);
  // Rows separated by ';', entries by ',' (spaces allowed): "1,1;0,1", "1/2,0;0,2".
  // Throws fmm::Error on malformed text or ragged rows.
  static RationalMatrix parse(const std::string& text);
};

RationalMatrix operator*(const RationalMatrix& x, const RationalMatrix& y);
RationalMatrix transposed(const RationalMatrix& x);
Rational determinant(const RationalMatrix& x);  // exact (Gaussian elimination over Q)
RationalMatrix inverse(const RationalMatrix& x);  // throws fmm::Error when singular

// X (n x n), Y (m x m), Z (p x p). The transformed scheme computes AB by running the original
// on A~ = X A Y^-1 and B~ = Y B Z^-1 (whose product is X AB Z^-1) and returning X^-1 C~ Z.
// Written on the factors (as matrices U_r n x m, V_r m x p, W_r n x p, <U,A> = sum U.*A):
//   U'_r = X^T U_r Y^-T,   V'_r = Y^T V_r Z^-T,   W'_r = X^-1 W_r Z.
struct BasisChange {
  RationalMatrix x, y, z;
};

enum class BasisRing {
  Unimodular,  // integer matrices with determinant +-1: integer schemes stay integer
  Rational,    // any invertible rational matrices: the result may need Q
};

// Throws fmm::Error when a matrix has the wrong size, is not unimodular (BasisRing::Unimodular:
// non-integer entries or det != +-1) or is singular. For a GF2 scheme the matrices must also be
// invertible modulo 2 (odd denominators and odd determinant); the result is reduced modulo 2.
// The result claims GF2 for GF2 input, else the smallest field its coefficients allow.
Scheme change_basis(const Scheme& s, const BasisChange& basis, BasisRing ring = BasisRing::Unimodular);

// A random n x n integer matrix of determinant +-1, deterministic in (n, seed) on every
// platform: a product of `steps` random elementary operations (add +-1 times one row to another,
// swap two rows, negate a row). Small steps keep the entries small.
RationalMatrix random_unimodular(int n, std::uint64_t seed, int steps = 0);  // steps 0: 2n
// X, Y, Z for the shape, drawn from one generator seeded with `seed`.
BasisChange random_basis(const Shape& shape, std::uint64_t seed);

// ---- Simplification -----------------------------------------------------------------------------
// Repeats until nothing changes:
//  1. drops terms with a zero factor;
//  2. merges proportional terms: u_s = a u_r and v_s = b v_r give w_r += a b w_s (and the same
//     for the pairs (u, w) and (v, w)), then drops the merged term (or both, if the sum vanishes);
// then 3. normalizes signs: the first nonzero of u_r and of v_r positive, signs moved into w_r.
// GF2 schemes are first reduced modulo 2 and merged modulo 2. Returns the verified scheme,
// whose rank is at most the input's.
Scheme simplify(const Scheme& s);

}  // namespace fmm
