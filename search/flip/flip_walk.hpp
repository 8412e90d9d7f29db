// One walker of the flip graph: a FlipGraph, its own random stream and its best scheme so far.
// A walker's trajectory depends only on its seed and the flips it has been allowed, never on
// the thread that runs it (Stockfish-style determinism: `fmm search bench` relies on it).
//
// Plateaus (Arai, Ichikawa, Hukushima, ISSAC 2024, "adaptive flip graph"; Kauers-Moosbauer's
// path-length limit L): after `plateau_limit` flips without reaching a new lowest rank, the
// walker makes a plus transition (rank + 1) while it is less than `plus_slack` above its best,
// and otherwise returns to its best scheme; before the run's first reduction it only returns
// (`plus_from_rank`).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

#include "search/run/walk_stop.hpp"
#include "search/flip/flip_graph.hpp"

namespace fmm::search {

// splitmix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
// one 64-bit word of state, so a checkpoint stores it exactly.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The seed of walker `id` in a run seeded with `seed`: independent of the thread count.
inline std::uint64_t walker_seed(std::uint64_t seed, std::uint64_t id) {
  std::uint64_t s = seed ^ (0xD1B54A32D192ED03ULL * (id + 1));
  splitmix64(s);
  return splitmix64(s);
}

struct WalkParams {
  std::uint64_t plateau_limit = 100000;
  int plus_slack = 2;
  // Plus transitions start once a walker's best is below this rank (the run's start scheme's).
  // Until then a plateau sends the walker back to its best: from the standard algorithm of
  // formats like <2,3,7> or <2,5,5> the first reduction is found by short walks near the start,
  // while a walk left to drift (plus transitions) never found one (results/search/README.md).
  int plus_from_rank = 1 << 30;
  int target_rank = 0;  // 0 = none
  // GF2: general reductions (FlipGraph::set_general_reductions): sets of terms sharing a factor
  // whose other factors are dependent merge, not only pairs.
  bool general_reductions = false;
  // Chance (in 1/65536) that a flip involves a term the previous flip changed
  // (FlipGraph::focused_flip); 0 = every flip uniform.
  std::uint32_t focus = 0;
  // Descent phase (0 = off): plateaus start at this many flips and send the walker back to its
  // best; after kStuckReturns returns without a new best the limit doubles, up to
  // plateau_limit, where the plus-transition policy above takes over (plus_from_rank does not
  // apply then). A new best resets the count of returns, not the limit: the phase runs once.
  std::uint64_t descent_limit = 0;
  static constexpr int kStuckReturns = 8;
  // Drift (0 = off; the symmetric walk's schedule, Moosbauer-Poole 2025, applied to the plain
  // walk): a plus transition after this many flips without a reduction, while the rank is less
  // than `plus_slack` above the walker's best; `plateau_limit` flips without a new best then send
  // the walker back to its best. The walk so hovers where reductions and plus transitions
  // balance instead of next to its best.
  std::uint64_t drift_after = 0;
};

template <class C>
struct Walker {
  using Term = FlipTerm<C>;

  // `factor_bits`: the largest of nm, mp, np (lets small formats use a direct-address index).
  Walker(int capacity, const std::vector<Term>& start, std::uint64_t seed, int factor_bits = 64)
      : graph(capacity, factor_bits), rng(seed) {
    graph.assign(start);
    best_rank = graph.rank();
    best = graph.terms();
  }

  // Runs up to `budget` flips; returns early at the target rank, at `deadline` or when `stop`
  // is set (both polled every 16384 flips, so only time-limited runs depend on timing).
  // `target_hit` (may be null) is set by a walker that reaches the target and polled by the
  // others, so a run with a target ends promptly; which walkers get to finish their epoch then
  // depends on timing, as with a time limit.
  void run(std::uint64_t budget, const WalkParams& params, const std::atomic<bool>* stop,
           std::chrono::steady_clock::time_point deadline, std::atomic<bool>* target_hit = nullptr) {
    // Rebuild the indices so the walk from here depends only on the current terms: a walker
    // restored from a checkpoint (taken between epochs) then continues exactly.
    graph.set_general_reductions(params.general_reductions);
    graph.assign(graph.terms());
    live_ = params;
    if (params.descent_limit) {
      if (limit == 0) limit = std::min(params.descent_limit, params.plateau_limit), limit_rank = best_rank;
      live_.plateau_limit = limit;
    }
    walk_epoch(
        *this, budget, 0x3FFF, live_,
        [&] {
          const int before = graph.rank();
          bool flipped;
          if (params.focus && (splitmix64(rng) & 0xFFFF) < params.focus) flipped = graph.focused_flip(splitmix64(rng));
          else flipped = graph.random_flip(splitmix64(rng));
          if (params.drift_after) {
            if (graph.rank() < before) since_reduction = 0;
            else if (++since_reduction >= params.drift_after || (!flipped && !graph.has_flip())) drift_up(params);
            return;
          }
          if (!flipped && !graph.has_flip()) leave_plateau(params);
        },
        [&] { return graph.terms(); }, [&] { leave_plateau(params); }, stop, deadline, target_hit);
  }

  // A plus transition (up to 16 tries) if the rank is less than plus_slack above the best.
  bool climb(const WalkParams& params) {
    if (graph.rank() >= best_rank + params.plus_slack) return false;
    for (int attempt = 0; attempt < 16; ++attempt)
      if (graph.plus_transition(splitmix64(rng))) {
        ++plus_transitions;
        return true;
      }
    return false;
  }

  void return_to_best() {
    graph.assign(best);
    since_reduction = 0;
    ++returns_to_best;
  }

  // Drift: D flips without a reduction (or no flip left) make the walk climb.
  void drift_up(const WalkParams& params) {
    since_reduction = 0;
    climb(params);
  }

  void leave_plateau(const WalkParams& params) {
    if (params.drift_after) return return_to_best();
    if (params.descent_limit) {
      if (best_rank < limit_rank) {
        limit_rank = best_rank;
        stuck = 0;
      }
      if (limit < params.plateau_limit) {
        if (++stuck >= WalkParams::kStuckReturns) {
          stuck = 0;
          limit = std::min(2 * limit, params.plateau_limit);
        }
        live_.plateau_limit = limit;
        return return_to_best();
      }
      live_.plateau_limit = limit;
      if (!climb(params)) return_to_best();
      return;
    }
    if (!(best_rank < params.plus_from_rank && climb(params))) return_to_best();
  }

  // Starts over from `start` (a pool scheme or a new random start), keeping the counters.
  void restart(const std::vector<Term>& start) {
    graph.assign(start);
    best_rank = graph.rank();
    best = graph.terms();
    since_best = 0;
    since_reduction = 0;
    limit = 0;
    stuck = 0;
  }

  FlipGraph<C> graph;
  std::uint64_t rng;
  std::uint64_t flips = 0, since_best = 0, plus_transitions = 0, returns_to_best = 0;
  std::uint64_t since_reduction = 0;  // drift: flips since the rank last fell or the walk last climbed
  // Random starts (SearchConfig::random_starts): the flip count at the walker's last new best or
  // start, read at epoch ends, and how many random starts it has begun since its first.
  std::uint64_t flips_at_gain = 0, random_restarts = 0;
  int best_rank = 0;
  std::vector<Term> best;
  // Descent phase (WalkParams::descent_limit): the current plateau limit (0 = not started),
  // returns since the last new best, and the best rank when the limit last changed.
  std::uint64_t limit = 0;
  int stuck = 0, limit_rank = 0;
  WalkParams live_;
  bool improved = false;  // a new best since the coordinator last collected it
  std::chrono::steady_clock::time_point best_at{};  // when `best` was found (for reports only)
};

}  // namespace fmm::search
