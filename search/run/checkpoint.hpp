// Checkpoints of a flip-graph search: the configuration that must match on --resume, elapsed
// time and flip counters, every walker's exact state (random stream, current and best scheme)
// and the pool. Taken between epochs, so a resumed run continues exactly where the saved one
// stood. Written atomically (temporary file + rename): a SIGKILL leaves the previous one intact.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "search/run/pool.hpp"
#include "tensor/field.hpp"
#include "tensor/shape.hpp"

namespace fmm::search {

// A term in a field-neutral form: GF2 factors use p only (n = 0) and sign 1. A factor is up to
// 256 bits (formats up to <16,16,16>), word 0 holding entries 0..63; checkpoints write each as
// one hexadecimal number, so files of one-word formats read as before.
struct PackedTerm {
  static constexpr int kWords = 4;
  using Mask = std::array<std::uint64_t, kWords>;
  Mask p[3] = {}, n[3] = {};
  int sign = 1;
};

// A walker's new best scheme, reported at the end of the epoch in which it was found
// (epoch_exchange.hpp); a checkpoint keeps those still in flight.
struct WalkerReport {
  int walker_id = 0;
  double found_at_s = 0;  // run time when found (for reports only)
  std::vector<PackedTerm> terms;
};

struct WalkerState {
  std::uint64_t rng = 0, flips = 0, since_best = 0, plus_transitions = 0, returns_to_best = 0;
  int best_rank = 0;
  // The walker's adaptive plateau (flip_walk.hpp): limit, returns since it changed, and the
  // best rank then (0 0 0 in checkpoints written before it existed).
  std::uint64_t plateau = 0;
  int stuck = 0, plateau_rank = 0;
  // Drift (WalkParams::drift_after): flips since the rank last fell (0 in older checkpoints).
  std::uint64_t since_reduction = 0;
  // Random starts (SearchConfig::random_starts): the flip count at the walker's last new best,
  // and its restarts so far (0 0 in older checkpoints).
  std::uint64_t flips_at_gain = 0, random_restarts = 0;
  std::vector<PackedTerm> current, best;
};

// A walker of the symmetric walker bank (search/symmetric/orbit_bank.hpp): its counters and its
// two boards as fixed terms and orbit representatives (a, b, c) in the bank's order, one word a
// factor (symmetric formats have n <= 8), so that a resumed bank walks on exactly as the saved one
// would have. The group order is in the configuration line; the run that resumes verifies the
// boards (the file alone cannot: it holds one term of each orbit).
struct OrbitWalkerState {
  using Triple = std::array<std::uint64_t, 3>;
  std::uint64_t rng = 0, moves = 0, since_best = 0, since_reduction = 0, plus_transitions = 0, runs = 0,
                dry_steps = 0, run_start = 0;
  int best_rank = 0, last_rank = 0, dry = 0;
  bool target_hit = false;
  std::vector<Triple> current_fixed, current_orbits, best_fixed, best_orbits;
  std::vector<std::pair<int, std::uint64_t>> run_bests;  // (bucket, finished runs), nonzero buckets only
};

struct Checkpoint {
  Shape shape;
  Field field = Field::GF2;
  std::uint64_t seed = 0;
  int walkers = 0;
  std::string config;  // the run's configuration line, for the reader
  double elapsed_s = 0;
  std::uint64_t flips = 0, epochs = 0;
  std::vector<WalkerState> walker_states;
  std::vector<OrbitWalkerState> orbit_walker_states;  // a symmetric walker bank's (walker_states then empty)
  std::vector<WalkerReport> reports_in_flight;  // handed to the exchange, not yet back
  std::vector<PoolEntry> pool;
};

// Throws fmm::Error when the file cannot be written.
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);
// Throws fmm::ParseError for a malformed file (names the line).
Checkpoint load_checkpoint(const std::string& path);

}  // namespace fmm::search
