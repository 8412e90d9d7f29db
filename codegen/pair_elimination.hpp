// Common-subexpression elimination on integer linear forms: the engine behind codegen's addition
// programs (linear_program.hpp) and the additions objective of `fmm search` (search/additions/).
//
// The model is the one of the addition-reduction literature (Benson and Ballard, PPoPP 2015, sect.
// 3.3; Mårtensson and Stankovski Wagner, "The number of the beast: reducing additions in fast
// matrix multiplication algorithms for dimensions up to 666", IACR ePrint 2024/2063; Perminov,
// "Parallel heuristic exploration for additive complexity reduction in fast matrix
// multiplication", arXiv 2512.13365): a pass computes a set of linear forms; a fresh variable
// t = q x_i + p x_j (a "pair") costs one addition and replaces c x_i + c (p/q) x_j wherever that
// occurs, up to a common factor; an output with k terms costs k - 1. Scaling is free in this
// count. For the C pass the variables are the products, so sums of products are shared too
// ("intermediate sums shared").
//
// Choosing the pairs well is a hard combinatorial problem; the classical greedy (take the most
// frequent pair) gets stuck. reduce_additions() runs the deterministic greedy and then randomised
// runs of these pair-selection strategies, keeps the cheapest program, and lets half the runs
// replay a prefix of the best one's choices first (Perminov's "partial initialisation"):
//   greedy            the most frequent pair, ties to the smallest (i, j, p, q);
//   random ties       the most frequent pair, ties broken at random;
//   weighted          a pair drawn with probability proportional to its saving (count - 1), mixed
//                     with random-tie greedy steps;
//   look-ahead        among pairs drawn from all that occur twice, the one maximising
//                     saving + alpha * (change of the total remaining saving sum_pairs (count-1)+)
//                     + noise; the change sees the pairs a substitution creates (t, x_k) and
//                     destroys (x_i, x_k), (x_j, x_k): our variant of Greedy-Potential (Mårtensson
//                     et al.) and Greedy-Intersections (Perminov), computed exactly;
//   pilot             (half the runs) every step tries up to 32 candidate pairs, finishes each greedily, and takes
//                     the one whose finish is cheapest (Duin and Voss's pilot method); the one that
//                     finds Winograd^2's 42-addition A pass most often.
// Forms with a coefficient above 2^24 get no temporaries (the program is the forms themselves):
// the elimination's products of two coefficients stay inside 64 bits.
// Everything is deterministic in (forms, options): a fixed seed, and a work budget counted in
// pair-table updates, never in time, so generated code is byte-identical on every machine.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace fmm::codegen {

struct IntTerm {
  int var = 0;
  std::int64_t coef = 0;
  friend bool operator==(const IntTerm&, const IntTerm&) = default;
};
using IntForm = std::vector<IntTerm>;  // sorted by var, no zero coefficients

// temps[t] defines variable inputs + t as q x_i + p x_j (two terms, i < j).
struct IntProgram {
  int inputs = 0;
  std::vector<std::array<IntTerm, 2>> temps;
  std::vector<IntForm> outputs;
  int additions() const;
};

struct ReduceOptions {
  int runs = 64;                   // randomised runs after the deterministic greedy one
  std::uint64_t seed = 1;          // drives every random choice
  std::int64_t work_limit = 0;     // stop starting runs once this many pair updates were made (0 = none)
};

// The deterministic greedy alone (the first run of reduce_additions).
IntProgram greedy_pairs(int inputs, const std::vector<IntForm>& outputs);

// The cheapest program found by the greedy run and `runs` randomised runs.
IntProgram reduce_additions(int inputs, const std::vector<IntForm>& outputs, const ReduceOptions& options = {});

// The additions of reduce_additions()'s program, without building it (reuses one eliminator per
// thread: for searches that score many schemes).
int count_additions(int inputs, const std::vector<IntForm>& outputs, const ReduceOptions& options = {});

// Additions to evaluate every form on its own.
int plain_additions(const std::vector<IntForm>& forms);

}  // namespace fmm::codegen
