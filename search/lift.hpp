// Hensel lifting of a scheme that holds modulo 2 to one that holds over Z (or Q).
//
// Kauers and Moosbauer ("Flip graphs for matrix multiplication", ISSAC 2023, section 5) search
// over GF(2) and lift: if X_k solves the Brent equations F(X) = T modulo 2^k, write
// F(X_k) - T = 2^k E; then X_{k+1} = X_k + 2^k D solves them modulo 2^(k+1) iff
//     J(X_0) D = -E  (mod 2),
// with J the Jacobian of F, the same matrix mod 2 at every step. We solve that system over
// GF(2) by Gaussian elimination on bit rows (once), then at each step:
//   1. read X_k with symmetric residues in (-2^(k-1), 2^(k-1)] and try it over Z;
//   2. after the last step, try rational reconstruction (Wang's algorithm) of each coefficient
//      and check over Q.
// The first step is solved with the unknowns restricted to the support of X_0 first: a
// {-1,0,1} integer scheme reduces mod 2 to X_0 and differs from it by 2 on a subset of that
// support, so this finds the ternary sign pattern when one exists.
// The verifier (tensor/verify.hpp) decides every success; nothing is assumed.
#pragma once

#include <optional>
#include <string>

#include "tensor/scheme.hpp"

namespace fmm::search {

struct LiftResult {
  std::optional<Scheme> scheme;  // field Z or Q, verified; empty when lifting failed
  int steps = 0;                 // Hensel steps taken (the 2-adic precision reached)
  std::string report;            // one line: how it lifted, or why not
};

// `gf2` must verify over GF2 (throws fmm::Error otherwise). `max_steps` bounds the 2-adic
// precision 2^max_steps (<= 62).
LiftResult hensel_lift(const Scheme& gf2, int max_steps = 40);

}  // namespace fmm::search
