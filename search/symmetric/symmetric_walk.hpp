// One walker on orbit_graph.hpp's symmetric flip graph, with the walk policy of Moosbauer and
// Poole's code (arXiv 2502.04514, section 4; its FlipSolver22.cpp / MatrixMult22.py):
//  * random flips (all image pairs at once), reductions as soon as they appear;
//  * after `plus_after` moves without a reduction, a plus transition (rank + |G|), but only
//    while the rank stays within `plus_limit` (the case file's ceiling: symmetric_walk_params),
//    so the walk may drift far above its best;
//  * a run ends `reset_after` moves after its last new best (the code's TERMINATION_STRATEGY
//    RESET: each new best grants another FLIP_LIMIT moves) and the walker starts a new run from
//    `restart_point` (the start scheme: independent runs, as the paper's code does; the search
//    may hand in a pool scheme instead).
// Moves are counted per orbit move (one flip of all image pairs); the paper's code counts
// |G| flips per such move.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "search/run/walk_stop.hpp"
#include "search/symmetric/orbit_graph.hpp"

namespace fmm::search {

struct SymmetricWalkParams {
  std::uint64_t plus_after = 16667;   // orbit moves without a reduction before a plus transition (0 = never)
  int plus_limit = 1 << 30;           // a plus transition only while rank + |G| <= plus_limit
  std::uint64_t plateau_limit = 33'000'000;  // = reset_after: moves without a new best before a new run
  int target_rank = 0;                // 0 = none
  // A run whose best is above give_up_rank ends after give_up_moves moves without a new best
  // (0 = never): most runs end high after the full plateau_limit (SearchConfig::give_up_rank).
  int give_up_rank = 0;
  std::uint64_t give_up_moves = 0;
};

template <int G>
struct SymmetricWalker {
  SymmetricWalker(const SymmetricScheme& start, int max_rank, std::uint64_t seed)
      : graph(start.n, max_rank), rng(seed), restart_point(start) {
    restart(start);
  }

  // Runs up to `budget` moves; returns early at the target, at `deadline` or when `stop` or
  // `target_hit` is set (polled every 16384 moves, so only time-limited runs depend on timing).
  void run(std::uint64_t budget, const SymmetricWalkParams& params, const std::atomic<bool>* stop,
           std::chrono::steady_clock::time_point deadline, std::atomic<bool>* target_hit) {
    // Rebuild from the scheme alone, so a walk depends on its terms and seed, not on history
    // (a walker restored from a checkpoint continues exactly). The plus-transition clock
    // starts over at each epoch for the same reason.
    graph.assign(graph.scheme());
    since_reduction = 0;
    int last_rank = graph.rank();
    walk_epoch(
        *this, budget, 0x3FFF, params,
        [&] {
          if (!graph.random_flip(OrbitGraph<G>::next_random(rng), rng)) {
            // No flip between two orbits: a plus transition, or a new run.
            if (!plus(params)) new_run();
            last_rank = graph.rank();
            return;
          }
          const int rank = graph.rank();
          if (rank < last_rank) {
            since_reduction = 0;
          } else if (params.plus_after && ++since_reduction >= params.plus_after) {
            plus(params);
            since_reduction = 0;
          }
          last_rank = graph.rank();
        },
        [&] {
          improvements.push_back({graph.rank(), since_best});
          run_trace.push_back({graph.rank(), flips - run_start});
          return graph.scheme();
        },
        [&] {
          new_run();
          last_rank = graph.rank();
        },
        stop, deadline, target_hit);
  }

  // A plus transition if the rank limit allows (the paper's code draws until a pair fits).
  bool plus(const SymmetricWalkParams& params) {
    if (graph.rank() + G > params.plus_limit) return false;
    for (int attempt = 0; attempt < 64; ++attempt)
      if (graph.plus_transition(OrbitGraph<G>::next_random(rng))) {
        ++plus_transitions;
        return true;
      }
    return false;
  }

  void new_run() {
    ++runs;
    if (best_rank >= 0 && best_rank < static_cast<int>(run_bests.size())) ++run_bests[best_rank];
    finished.push_back(FinishedRun{std::move(run_trace), flips - run_start, !run_start_known});
    restart(restart_point);
  }

  // Starts over from `start`, keeping the counters; the run's best starts over too.
  void restart(const SymmetricScheme& start) {
    graph.assign(start);
    best_rank = graph.rank();
    best = graph.scheme();
    since_best = 0;
    since_reduction = 0;
    run_start = flips;
    run_start_known = true;
    run_trace.clear();
  }

  OrbitGraph<G> graph;
  std::uint64_t rng;
  SymmetricScheme restart_point;  // where the next run starts (set by the search between epochs)
  std::uint64_t flips = 0, since_best = 0, since_reduction = 0, plus_transitions = 0, runs = 0;
  std::vector<std::uint64_t> run_bests = std::vector<std::uint64_t>(512, 0);  // finished runs by best rank
  // Every new best of a run: its rank and the moves since the run's previous best (for choosing
  // restart_after from measurements).
  std::vector<std::pair<int, std::uint64_t>> improvements;
  // The trajectory of each run (its new bests: rank and moves since the run started), so that
  // the cost of a run and the ranks it passed can be read from the log: the data for choosing
  // when to end runs (results/search/symmetric_runs/run_patience.py). `partial` marks a run
  // that began before a --resume (its moves count from the resume only).
  struct FinishedRun {
    std::vector<std::pair<int, std::uint64_t>> bests;
    std::uint64_t moves = 0;
    bool partial = false;
  };
  std::vector<FinishedRun> finished;  // collected (and cleared) by the search between epochs
  std::vector<std::pair<int, std::uint64_t>> run_trace;  // the current run's
  std::uint64_t run_start = 0;  // `flips` when the current run began
  bool run_start_known = true;
  int best_rank = 0;  // of the current run
  SymmetricScheme best;
  bool improved = false;  // a new best since the coordinator last collected it
  std::chrono::steady_clock::time_point best_at{};
};

}  // namespace fmm::search
