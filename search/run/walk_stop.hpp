// What the plain and the symmetric flip walkers share: the checks every walker makes every few
// thousand moves (a stop signal, another walker having reached the target rank, the deadline)
// and the loop of one epoch around their own moves.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "search/run/host_device.hpp"

namespace fmm::search {

// Moves without a new best before a walker leaves its plateau (or, in the symmetric walks, ends
// its run): plateau_limit, or give_up_moves while the best is above give_up_rank (0 = no such
// rule; --give-up-above). One rule for the CPU walks and the GPU bank's kernel.
FMM_BANK_HD constexpr std::uint64_t patience_moves(std::uint64_t plateau_limit, int give_up_rank,
                                                   std::uint64_t give_up_moves, int best_rank) {
  return give_up_moves && best_rank > give_up_rank ? give_up_moves : plateau_limit;
}

// The same for a walk's parameters: those of the symmetric walks (SymmetricWalkParams,
// orbit_bank::WalkParams) have the give-up fields, the plain walk's do not.
template <class Params>
constexpr std::uint64_t run_patience(const Params& params, int best_rank) {
  if constexpr (requires { params.give_up_moves; })
    return patience_moves(params.plateau_limit, params.give_up_rank, params.give_up_moves, best_rank);
  else
    return params.plateau_limit;
}

// `stop` and `target_hit` may be null. Relaxed loads: a walker that sees the flag a few
// thousand moves late only does a little extra work.
inline bool walk_should_stop(const std::atomic<bool>* stop, const std::atomic<bool>* target_hit,
                             std::chrono::steady_clock::time_point deadline) {
  if (stop && stop->load(std::memory_order_relaxed)) return true;
  if (target_hit && target_hit->load(std::memory_order_relaxed)) return true;
  return std::chrono::steady_clock::now() >= deadline;
}

// Runs up to `budget` moves of walker `w` (fields graph, flips, best_rank, best, best_at,
// improved, since_best): `move()` makes one move, `snapshot()` copies the current scheme into
// `best` on a new lowest rank, `leave_plateau()` runs after run_patience() moves without one. Returns early at params.target_rank (setting `target_hit`), or when walk_should_stop()
// says so, polled when (move count & poll_mask) == poll_mask: only time-limited runs depend on
// timing.
template <class Walker, class Params, class Move, class Snapshot, class LeavePlateau>
inline void walk_epoch(Walker& w, std::uint64_t budget, std::uint64_t poll_mask, const Params& params, Move move,
                       Snapshot snapshot, LeavePlateau leave_plateau, const std::atomic<bool>* stop,
                       std::chrono::steady_clock::time_point deadline, std::atomic<bool>* target_hit) {
  for (std::uint64_t n = 0; n < budget; ++n) {
    move();
    ++w.flips;
    const int rank = w.graph.rank();
    if (rank < w.best_rank) {
      w.best_rank = rank;
      w.best = snapshot();
      w.best_at = std::chrono::steady_clock::now();  // rare: only on a new lowest rank
      w.improved = true;
      w.since_best = 0;
      if (rank <= params.target_rank) {
        if (target_hit) target_hit->store(true, std::memory_order_relaxed);
        return;
      }
      continue;
    }
    if (++w.since_best >= run_patience(params, w.best_rank)) {
      leave_plateau();
      w.since_best = 0;
    }
    if ((n & poll_mask) == poll_mask && walk_should_stop(stop, target_hit, deadline)) return;
  }
}

}  // namespace fmm::search
