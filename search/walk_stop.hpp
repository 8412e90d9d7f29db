// The checks every walker makes every few thousand moves: a stop signal, another walker having
// reached the target rank, or the deadline. Shared by the plain and the symmetric flip walks.
#pragma once

#include <atomic>
#include <chrono>

namespace fmm::search {

// `stop` and `target_hit` may be null. Relaxed loads: a walker that sees the flag a few
// thousand moves late only does a little extra work.
inline bool walk_should_stop(const std::atomic<bool>* stop, const std::atomic<bool>* target_hit,
                             std::chrono::steady_clock::time_point deadline) {
  if (stop && stop->load(std::memory_order_relaxed)) return true;
  if (target_hit && target_hit->load(std::memory_order_relaxed)) return true;
  return std::chrono::steady_clock::now() >= deadline;
}

}  // namespace fmm::search
