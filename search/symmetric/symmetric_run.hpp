// What the CPU symmetric search (symmetric_search.cpp) and the bank's (symmetric_bank_run.cpp)
// share around their walkers: new schemes offered to the pool, new bests saved, --lift of the
// expanded GF2 schemes (orbits lifted together), the end-of-run summary line, and the walk policy
// their checkpoints record (with the note a resume under another policy logs).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "search/run/walk_run.hpp"
#include "search/symmetric/symmetric_scheme.hpp"
#include "search/symmetric/symmetric_walk.hpp"  // SymmetricWalkParams

namespace fmm::search {

// "165 (3 fixed + 6 x 27)"
std::string describe_sym(const SymmetricScheme& s);

// The log line of a finished run, the same from the CPU walk and the bank:
// "run ended: walker 3, best 171 after 251.30 M moves (partial): 225@0.00 219@0.00 ... 171@85.21"
// (moves in millions since the run began; "partial": it began before a --resume; the trajectory,
// rank@moves at each new best, where the walker kept it; best -1: none).
std::string run_ended_line(int walker, int best, std::uint64_t moves, bool partial,
                           const std::vector<std::pair<int, std::uint64_t>>& bests = {});

// "new run after N moves without a new best" (", M while the best is above R" with a give-up rule).
std::string run_patience_text(std::uint64_t plateau_limit, int give_up_rank, std::uint64_t give_up_moves);

// The walk policy a checkpoint records at the end of its configuration line (" walk-policy
// plus-after .. plus-limit .. restart-after .. give-up R:M restart-from .."), so that a resume
// under another policy says so. Changing it is allowed: a lottery's later sessions may, as
// results/search/symmetric_runs/vm_session17 did with --restart-from best:159.
std::string policy_words(const SymmetricWalkParams& params, const std::string& restart_from);

class SymmetricRun : protected WalkRun {
 protected:
  SymmetricRun(const SearchConfig& cfg, Pool& pool, Progress& progress, EpochExchange& exchange, int order)
      : WalkRun(cfg, pool, progress, exchange), order_(order) {}

  // The pool verifies; a new best is saved; with --lift each new GF2 scheme of the best rank is
  // lifted until one of that rank lifts.
  void on_new_scheme(const Scheme& s, const std::string& found_by, double elapsed);
  void save_result(const Scheme& s, const std::string& found_by, double elapsed);
  // "symmetric walk: M orbit moves (G term flips each), P plus transitions, R finished runs
  // (best rank:count ...<note>)".
  std::string summary_line(std::uint64_t moves, std::uint64_t plus, std::uint64_t runs,
                           const std::map<int, std::uint64_t>& runs_by_best, const std::string& note) const;
  // On resume: logs the checkpoint's and this run's policies (policy_words) when they differ;
  // silent for checkpoints written before the policy was recorded.
  void note_policy_change(const std::string& checkpoint_config, const std::string& policy);

  int order_;

 private:
  static constexpr int kMaxLiftAttemptsPerRank = 256, kNeighbourLiftAttempts = 2;
  std::map<int, int> lift_attempts_;
  std::set<std::uint64_t> lifted_;
};

}  // namespace fmm::search
