// The one exact verifier of the Brent equations (R. P. Brent, "Algorithms for matrix
// multiplication", Stanford CS-TR-70-157, 1970). A scheme [[U,V,W]] computes <n,m,p> iff
//   sum_r u_r[i*m+j] * v_r[j'*p+k] * w_r[i'*p+k'] = [i=i'][j=j'][k=k']
// for all (nm)(mp)(np) index triples. Every path that loads, saves, transforms or generates
// code from a scheme calls this; nothing else decides whether a scheme is valid.
#pragma once

#include <optional>
#include <string>

#include "tensor/scheme.hpp"

namespace fmm {

// One Brent equation, named by the A entry (i,j), B entry (j2,k) and C entry (i2,k2).
struct BrentEquation {
  int i = 0, j = 0, j2 = 0, k = 0, i2 = 0, k2 = 0;
  std::string str() const;  // "A[0][1]*B[1][0] -> C[0][0]"
};

struct VerifyResult {
  bool ok = false;
  Field field = Field::Z;                  // the field the check was made over
  std::optional<BrentEquation> equation;   // first failing equation (lexicographic), if any
  Rational found, expected;                // its two sides (over GF2: 0 or 1)
  std::string reason;                      // set on failure: what went wrong, one line

  explicit operator bool() const { return ok; }
  std::string message() const;  // "valid over Z" or "invalid over Z: <reason>"
};

// Checks the scheme's identities over `field`:
//   Z   - every coefficient must be an integer and the identities hold over the integers;
//   Q   - the identities hold over the rationals;
//   GF2 - every denominator must be odd and the identities hold modulo 2.
// Never throws for a well-formed Scheme: overflow is reported as a failure reason.
VerifyResult verify(const Scheme& scheme, Field field);
inline VerifyResult verify(const Scheme& scheme) { return verify(scheme, scheme.field()); }

// Throws fmm::Error("<context>: <message>") unless the scheme verifies over its own field.
void require_verified(const Scheme& scheme, const std::string& context);

}  // namespace fmm
