// `fmm search --objective additions`: fewest additions at a given rank.
//
// Walks the flip graph of a scheme at fixed rank (flips and the reductions they enable; no plus
// transitions, so the rank never grows) together with the change-of-basis orbit (elementary
// unimodular moves) and the shape-preserving symmetries, over Z with coefficients bounded by
// --max-coefficient (1: {-1,0,1}), and minimises the additions codegen emits after its
// common-subexpression elimination (addition_cost.hpp). Perminov found his 58-addition <3,3,3;23>
// the same way, a ternary flip-graph walk scored by a CSE heuristic ("A 58-addition, rank-23
// scheme for general 3x3 matrix multiplication", arXiv 2512.21980).
//
// Each walker does late-acceptance hill climbing (E. K. Burke, Y. Bykov, "The late acceptance
// hill-climbing heuristic", EJOR 258, 2017): a move is kept when its cost is at most the current
// one or the one `history` steps ago. Walkers run in epochs; between epochs the best schemes are
// pooled in walker order and a walker that has not improved for `restart_after` steps restarts
// from one of the best four, kicked by a few random flips, so a run with a step budget (--max-steps) gives the same result on any number
// of threads. The best candidates are scored at the end with codegen's own elimination, and the
// winner is verified before it is written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "codegen/plan.hpp"
#include "search/run/progress.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search::additions {

struct AdditionSearchConfig {
  Scheme start;                       // any verified scheme; GF2-only ones are lifted to Z first
  int max_coefficient = 1;            // |coefficient| bound of the walk (raised to the start's own)
  int threads = 1;
  int walkers = 0;                    // 0: 4 per thread
  double time_limit_s = 0;            // 0: none
  std::uint64_t max_steps = 0;        // moves per walker; 0: none (then a time limit is needed)
  std::uint64_t seed = 1;
  std::uint64_t epoch_steps = 2000;   // moves per walker between synchronisations
  int history = 64;                   // late-acceptance history length
  std::uint64_t restart_after = 20000;  // moves without a walker improvement before a restart
  int kick_flips = 10;                // unscored random flips applied to a restart point
  double basis_rate = 0.03;           // share of moves that are elementary changes of basis
  double symmetry_rate = 0.002;       // share that are format symmetries (where the shape has one)
  int walk_runs = 0;                  // randomised CSE runs per evaluation in the walk (0: greedy only)
  std::string out_dir;                // where the best scheme is written ("": nowhere)
  std::string command_line;           // provenance
};

struct AdditionSearchResult {
  Scheme start, best;                 // both verified; `start` after lifting, if any
  codegen::AdditionCounts start_counts, best_counts;  // {naive, after codegen's CSE}
  std::string lift_report;            // how a GF2 start was lifted ("" if not)
  std::uint64_t steps = 0;            // moves over all walkers
  double seconds = 0;
  bool interrupted = false;
  std::string written;                // path of the written scheme ("" if none)
};

// Throws fmm::Error on bad input (a scheme that does not verify, one that cannot be lifted or
// made integral, a shape without moves).
AdditionSearchResult run_addition_search(const AdditionSearchConfig& config, Progress& progress);

}  // namespace fmm::search::additions
