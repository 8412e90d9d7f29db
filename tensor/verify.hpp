// The one exact verifier of the Brent equations (R. P. Brent, "Algorithms for matrix
// multiplication", Stanford CS-TR-70-157, 1970). A scheme [[U,V,W]] computes <n,m,p> iff
//   sum_r u_r[i*m+j] * v_r[j'*p+k] * w_r[i'*p+k'] = [i=i'][j=j'][k=k']
// for all (nm)(mp)(np) index triples. Every path that loads, saves, transforms or generates
// code from a scheme calls this; nothing else decides whether a scheme is valid.
//
// Cost: the check walks the nonzero coefficient triples of each term, term r contributing
// |u_r| |v_r| |w_r| multiply-adds (|x| = nonzeros; over GF2 |u_r| |v_r| word operations on
// bit rows), plus one pass over the (nm)(mp)(np) equations; memory is one slice of (mp)(np)
// accumulators. Real schemes are sparse: the standard <16,16,16> (rank 4096) is 4096 products,
// a Kronecker power of rank ~40,000 a few million. A scheme whose terms are so dense that the
// check would exceed kMaxVerifyWork is not checked (reported as such, never as valid).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tensor/scheme.hpp"

namespace fmm {

// One Brent equation, named by the A entry (i,j), B entry (j2,k) and C entry (i2,k2).
struct BrentEquation {
  int i = 0, j = 0, j2 = 0, k = 0, i2 = 0, k2 = 0;
  std::string str() const;  // "A[0][1]*B[1][0] -> C[0][0]"
};

// Largest number of coefficient products (or GF2 row operations) one check may take: about
// 10 s on one core. A dense rank-40,000 <16,16,16> scheme would need ~10^12.
inline constexpr std::uint64_t kMaxVerifyWork = std::uint64_t(1) << 33;

struct VerifyResult {
  bool ok = false;
  // Set when no answer could be given: the exact sums would overflow 128-bit integers, or the
  // work would exceed kMaxVerifyWork. `ok` is then false, but the scheme was not found invalid.
  bool unchecked = false;
  Field field = Field::Z;                  // the field the check was made over
  std::optional<BrentEquation> equation;   // first failing equation (lexicographic), if any
  Rational found, expected;                // its two sides (over GF2: 0 or 1)
  std::string reason;                      // set on failure: what went wrong, one line

  explicit operator bool() const { return ok; }
  // "valid over Z", "invalid over Z: <reason>" or "not checked over Z: <reason>".
  std::string message() const;
};

// Checks the scheme's identities over `field`:
//   Z   - every coefficient must be an integer and the identities hold over the integers;
//   Q   - the identities hold over the rationals;
//   GF2 - every denominator must be odd and the identities hold modulo 2.
// Never throws for a well-formed Scheme: overflow and the work bound give `unchecked`.
VerifyResult verify(const Scheme& scheme, Field field);
inline VerifyResult verify(const Scheme& scheme) { return verify(scheme, scheme.field()); }

// Throws unless the scheme verifies over its own field: fmm::VerificationError when it is
// invalid (a negative answer), fmm::Error when it could not be checked.
void require_verified(const Scheme& scheme, const std::string& context);

}  // namespace fmm
