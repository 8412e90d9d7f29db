// Everything one wants to know about a scheme at a glance: rank, sparsity, the cost of its
// plain evaluation, its coefficients, its exponent, where it holds, and the stability
// quantities e_max and q_max of Ballard, Benson, Druinsky, Lipshitz and Schwartz.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "tensor/scheme.hpp"

namespace fmm {

struct SchemeMetrics {
  Shape shape;
  int rank = 0;
  Field field = Field::Z;  // the field the scheme claims
  std::string source;

  // Nonzero coefficients of U, V, W.
  long nnz_u = 0, nnz_v = 0, nnz_w = 0;
  // Additions of the plain evaluation (no common subexpressions reused):
  //   A side: sum_r (nnz(u_r) - 1), B side: sum_r (nnz(v_r) - 1),
  //   C side: sum over C entries of (number of products with a nonzero w there) - 1.
  long additions_u = 0, additions_v = 0, additions_w = 0;
  long additions() const { return additions_u + additions_v + additions_w; }
  // After codegen's common-subexpression elimination (intermediate sums shared, the C side's
  // sums of products too): the count the generated code performs. Not computed here (tensor/
  // knows nothing of codegen); the caller fills it in (`fmm info` does), printed when set.
  struct CseAdditions {
    long a = 0, b = 0, c = 0;
    long total() const { return a + b + c; }
  };
  std::optional<CseAdditions> additions_cse;

  std::vector<Rational> coefficients;      // distinct nonzero values, ascending
  Rational max_abs;                        // largest |coefficient|
  std::vector<std::int64_t> denominators;  // distinct denominators of the nonzero values, ascending

  // 3 ln R / ln(nmp): the exponent omega this scheme gives used recursively (via its
  // symmetrizations) on square matrices; NaN for <1,1,1>, log of 0 never happens (R >= 1).
  double exponent = 0;

  // From the verifier: whether the identities hold over each domain.
  bool holds_z = false, holds_q = false, holds_gf2 = false;

  // Stability: G. Ballard, A. R. Benson, A. Druinsky, B. Lipshitz, O. Schwartz, "Improving the
  // numerical stability of fast matrix multiplication", SIMAX 37(4), 2016, Sect. 3 (error analysis
  // of L recursive steps of a base algorithm [[U,V,W]]; the stability vector generalizes Bini and
  // Lotti, Numer. Math. 36, 1980). The definitions below follow the authors' own script that
  // computes them "using the notation from our paper" (arbenson/fast-matmul,
  // codegen/stability_quantities.py); the paper's text was not at hand to quote equation numbers.
  // One entry per C entry i*p+k:
  //   e[ik] = sum_r |w_r[ik]| * ||u_r||_1 * ||v_r||_1      (the stability vector e = |W|(a o b)),
  //   q[ik] = gamma_ik + max_{r: w_r[ik] != 0} (alpha_r + beta_r)
  // with alpha_r = nnz(u_r), beta_r = nnz(v_r), gamma_ik = #{r : w_r[ik] != 0}.
  // e_max and q_max are their maxima; both enter the forward error bound of L recursive steps
  // (q_max linearly in L, e_max as e_max^L). Computed from the coefficients as written, also
  // for GF2 schemes, where they describe the 0/1 integer reading of the scheme.
  std::vector<Rational> e;
  std::vector<long> q;
  Rational e_max;
  long q_max = 0;

  // Flip-graph neighbourhood (Kauers and Moosbauer, "Flip graphs for matrix multiplication",
  // ISSAC 2023): a flip acts on two terms with a common factor, a reduction on two with two.
  // Factors are compared up to a nonzero scale (over GF2: as 0/1 vectors). A scheme with no flip
  // pair has no flip neighbour: a walk reaches it only by a reduction and leaves it only by a
  // plus transition (results/search/flip_isolation.md).
  long flip_pairs = 0;       // pairs of terms sharing at least one factor
  long flip_terms = 0;       // terms in at least one such pair
  long reducible_pairs = 0;  // pairs sharing at least two factors (0 in a reduced scheme)
};

SchemeMetrics compute_metrics(const Scheme& scheme);

// A readable two-column table, one quantity per line.
void print_metrics(std::ostream& out, const SchemeMetrics& metrics);
// One JSON object; rationals as strings ("1/2"), the exponent as a number (null when undefined).
void print_metrics_json(std::ostream& out, const SchemeMetrics& metrics);

}  // namespace fmm
