// Lifting a scheme that holds modulo 2 to one that holds over Z (or, failing that, Q).
//
// Kauers and Moosbauer ("Flip graphs for matrix multiplication", ISSAC 2023, arXiv 2212.01175,
// section on Hensel lifting) search over GF(2) and lift afterwards. Three routes, in order:
//
//  1. Sign lift. An integer scheme with the SAME support and entries +-1 where the GF(2) scheme
//     has 1. Write each such entry as 1 - 2s, s in {0,1}: a product of three is
//     1 - 2(s_u + s_v + s_w) mod 4, so the Brent equations mod 4 are a linear system over GF(2)
//     in the s's (one s per term and factor pair is fixed, the sign gauge u,v -> -u,-v etc.).
//     Its affine solution space is enumerated when it has at most 2^16 points, else searched by
//     a seeded local search; every candidate's residuals over Z are kept incrementally and a
//     zero-residual candidate is checked by verify() over Z.
//  2. Hensel lifting with small coefficients. If X_k solves F(X) = T mod 2^k and
//     F(X_k) - T = 2^k E, then X_{k+1} = X_k + 2^k D solves it mod 2^(k+1) iff J(X_0) D = -E
//     mod 2 (J the Jacobian, the same mod 2 at every step). The free unknowns of that system
//     are chosen so that D continues the two's-complement digits of the current symmetric
//     residues (D_i = 1 exactly where the residue is negative keeps |X_i| unchanged): a
//     nearest-point problem on the affine solution space, solved greedily over the kernel
//     basis, from the particular solution and from several seeded random points; one path
//     takes the particular solution itself at every step instead (it lifts some schemes that
//     the nearest points do not). When none of a step's choices leaves the next step solvable,
//     an exact one-step look-ahead (linear from k = 2 on; opt-in) picks a choice that does.
//     After each step the symmetric residues mod 2^(k+1) are checked over Z.
//  3. Flip neighbours. Some GF(2) schemes have no integer lift; then the scheme is walked in its
//     flip graph (same or lower rank) and routes 1-2 are tried on the schemes met. The result
//     is a Z scheme of the same rank that reduces to a NEIGHBOUR, not to the input; the report
//     says so.
//  4. Only then rational reconstruction (Wang's algorithm) of the input's 2-adic approximations,
//     over Q.
//
// The verifier (tensor/verify.hpp) decides every success; nothing is assumed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tensor/scheme.hpp"

namespace fmm::search {

enum class LiftRoute { None, Sign, Hensel, Rational, Neighbour };
std::string to_string(LiftRoute route);

struct LiftOptions {
  int max_steps = 40;                     // 2-adic precision 2^max_steps (<= 62) for routes 2 and 3
  std::uint64_t seed = 1;                 // drives the random choices of routes 1 and 2
  // Hensel paths: the nearest point from the particular solution (path 1), the particular
  // solution itself at every step (path 2), the nearest point from random points (the rest).
  int hensel_tries = 8;
  // Choices of the free unknowns tried at each Hensel step until the next step is solvable (the
  // last one the particular solution); the system is linear only mod 2, so the choice made now
  // decides the next step. Paths of <5,7,8> 205 and <6,7,7> 215 die by mod 2^5 with 6.
  int hensel_choices = 6;
  // When none of those choices works at a step k >= 2, solve for one that does (one linear
  // system over GF(2) the size of the Hensel step's, plus a column per kernel vector; see
  // lookahead_choice in lift.cpp), or learn that no choice above the current point works. Off by
  // default: on 101 GF(2) schemes of small formats it lengthened many Hensel paths but lifted
  // none more to Z (results/search/lift_split/README.md), and each use costs an elimination.
  bool hensel_lookahead = false;
  std::uint64_t sign_moves = 1u << 18;    // local-search budget of route 1 beyond 2^16 points
  bool sign_lift = true, hensel = true, rational = true;  // which routes to try
  int neighbours = 64;          // route 4: GF2 flip neighbours tried when the scheme has no Z lift
  int neighbour_flips = 200;    // flips between two neighbours tried
  // When set, the lift gives up (no scheme, report "deadline") once this time has passed: checked
  // at every Hensel step, between flip neighbours and every 1024 moves of route 1's local search,
  // and an elimination forecast to end past it is not started, so a caller with a deadline
  // (fmm campaign --stop-after) overruns it by about one such step at most.
  // Results then depend on timing; without it they do not.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct LiftResult {
  std::optional<Scheme> scheme;  // field Z or Q, verified; empty when lifting failed
  int steps = 0;                 // Hensel steps taken (the 2-adic precision reached)
  LiftRoute route = LiftRoute::None;
  std::int64_t max_abs_coefficient = 0;  // over Z; 0 for Q or failure
  std::string report;            // one line: which route lifted and how, or why not
};

// `gf2` must verify over GF2 (throws fmm::Error otherwise). Deterministic for given options.
LiftResult lift_scheme(const Scheme& gf2, const LiftOptions& options);

// The defaults of LiftOptions with the given precision (kept for existing callers).
LiftResult hensel_lift(const Scheme& gf2, int max_steps = 40);

// Lifting with tied unknowns: route 2 (Hensel) on a scheme whose coefficients fall into classes
// forced to be equal, e.g. the images of one orbit of a symmetric scheme (Moosbauer-Poole,
// "Flip graphs with symmetry...", arXiv 2502.04514: lifting the orbit representatives keeps the
// Z scheme invariant and makes the system |G| times smaller). Coefficient i is numbered as
// follows, for a scheme of rank R over <n,m,p> with na = nm, nb = mp, nc = np entries per factor:
// u_r[a] is r*na + a, v_r[b] is R*na + r*nb + b, w_r[c] is R*(na+nb) + r*nc + c; Brent equation
// (a, b, c) is (a*nb + b)*nc + c. `coefficient_class[i]` names the unknown of coefficient i (the
// GF2 scheme must give equal values to a class); Brent equations in one `equation_class` must
// be the same equation for every tied coefficient vector, and one of each is kept.
struct LiftTies {
  std::vector<int> coefficient_class;
  std::vector<int> equation_class;
};
// `gf2` must verify over GF2; `ties` must match its rank and shape (throws fmm::Error
// otherwise). The result, when there is one, verified over Z, has the tied coefficients equal.
LiftResult lift_scheme_tied(const Scheme& gf2, const LiftTies& ties, const LiftOptions& options);

}  // namespace fmm::search
