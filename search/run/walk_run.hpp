// What the plain walk (search/flip/flip_search.cpp) and the symmetric walk
// (search/symmetric/symmetric_search.cpp) share around their walkers: the run's clock, which
// survives --resume; the pool that verifies every scheme offered to it, with the progress line of a
// new best; results and checkpoints that are written without ever ending the run (a full disk is
// logged and counted: the outcome's write_failures, exit 2 at the end).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "search/run/checkpoint.hpp"
#include "search/run/epoch_exchange.hpp"
#include "search/run/pool.hpp"
#include "search/run/progress.hpp"
#include "search/run/search_config.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search {

// The counters both walkers keep, to and from a checkpoint's walker state; `restarts` is the plain
// walker's returns to its best, the symmetric walker's runs.
template <class Walker>
WalkerState walker_counters(const Walker& w, std::uint64_t restarts) {
  WalkerState ws;
  ws.rng = w.rng;
  ws.flips = w.flips;
  ws.since_best = w.since_best;
  ws.plus_transitions = w.plus_transitions;
  ws.returns_to_best = restarts;
  ws.best_rank = w.best_rank;
  return ws;
}
template <class Walker>
void restore_counters(Walker& w, const WalkerState& ws) {
  w.best_rank = ws.best_rank;
  w.flips = ws.flips;
  w.since_best = ws.since_best;
  w.plus_transitions = ws.plus_transitions;
}

class WalkRun {
 protected:
  using Clock = std::chrono::steady_clock;

  WalkRun(const SearchConfig& cfg, Pool& pool, Progress& progress, EpochExchange& exchange)
      : cfg_(cfg), pool_(pool), progress_(progress), exchange_(exchange) {}

  // Seconds of the run, including those before a resume.
  double elapsed() const { return elapsed_offset_ + std::chrono::duration<double>(Clock::now() - start_).count(); }
  // When --time-limit ends the run (never without one), counting the time before a resume.
  Clock::time_point deadline() const;
  // The log line of a resume: where it continues, and a warning when the checkpoint's seconds
  // already fill --time-limit (the search would stop at once; the limit counts them).
  std::string resumed_line(double checkpoint_s, std::uint64_t moves, const std::string& unit) const;

  // Offers a scheme to the pool (which verifies it) and prints the progress line of a new best.
  // nullopt: refused (logged unless a duplicate). A verified scheme of a full rank bucket is
  // returned with kept = false: it is not kept, but may still be lifted.
  struct Offered {
    std::optional<int> best_before;  // the pool's best rank over the scheme's field before
    bool kept = false;
    bool new_best = false;
  };
  std::optional<Offered> offer(const Scheme& s, const std::string& found_by, double elapsed);

  // Writes a result under --out with `source` as its provenance line (no --out: nothing).
  void write_result(Scheme s, const std::string& source);
  // The provenance tail every result shares: seed, who found it, when, the command line.
  std::string result_provenance(const std::string& found_by, double elapsed) const;

  // A checkpoint of this run without its walkers' states: the caller adds those.
  Checkpoint checkpoint_header(Field field, int walkers, const std::string& config, std::uint64_t moves,
                               std::uint64_t epochs) const;
  void write_checkpoint(const Checkpoint& cp);

  const SearchConfig& cfg_;
  Pool& pool_;
  Progress& progress_;
  EpochExchange& exchange_;
  Clock::time_point start_ = Clock::now();
  double elapsed_offset_ = 0;
  int write_failures_ = 0;  // results and checkpoints that could not be written (logged)
};

}  // namespace fmm::search
