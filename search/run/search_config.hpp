// What a search run is asked to do. Shared by the flip-graph walks (flip_search.hpp) and
// the tensor game's tree search (game_search.hpp); the CLI fills it from `fmm search` options.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tensor/field.hpp"
#include "tensor/scheme.hpp"
#include "tensor/shape.hpp"

namespace fmm::search {

enum class Method { Flip, Mcts, Auto };

struct SearchConfig {
  Shape shape{3, 3, 3};
  Field field = Field::GF2;         // GF2 (bit-packed walk) or Z (coefficients in {-1,0,1})
  Method method = Method::Auto;     // Auto = Flip
  std::optional<int> target_rank;   // stop once reached
  int threads = 1;                  // OpenMP threads; never changes results
  int walkers = 1;                  // independent walks, each with its own random stream
  double time_limit_s = 0;          // 0 = none
  std::uint64_t max_flips = 0;      // total flip budget over all walkers; 0 = none (deterministic stop)
  std::uint64_t seed = 1;
  std::optional<Scheme> start;      // --from; default: the standard algorithm
  std::string out_dir;              // where found schemes are written ("" = nowhere)
  std::string checkpoint_path;      // "" = no checkpoints
  double checkpoint_every_s = 60;
  bool resume = false;
  bool lift = false;                // lift GF2 results to Z (Hensel) and save those too
  bool symmetric = false;           // Moosbauer-Poole symmetric walk (run_symmetric_flip)
  std::string command_line;         // recorded in every result file's provenance

  // Tree search (--method mcts): a learned network (search/learn/), where candidate moves come
  // from, and the heuristics that can be switched off to measure the network's own contribution.
  std::string model_path;           // "" = no network
  std::string candidates;           // heuristics | net | both; "" = net with a model, else heuristics
  bool bare = false;                // known-sub-scheme and flip-walk heuristics off
  int simulations_per_move = 0;     // 0 = automatic (64; 16 beyond classical rank 8)
  int policy_samples = 32;          // moves sampled from the network per tree node

  // Flip-walk tuning (Kauers-Moosbauer 2023 call the plateau limit the path length L).
  std::uint64_t epoch_flips = 1u << 20;  // flips per walker between synchronisation points
  std::uint64_t plateau_limit = 0;       // flips without progress before a plus transition; 0 = auto
  int plus_slack = 2;                    // how far above its best rank a walker may climb

  // [mpi] This process runs walker ids walker_offset, walker_offset + walker_stride, ... < walkers
  // (MPI rank k of K: offset k, stride K), each seeded from (seed, id) as in a one-process run.
  int walker_offset = 0, walker_stride = 1;
};

// What a run reports back to the CLI.
struct SearchOutcome {
  bool target_reached = false;
  bool interrupted = false;         // stopped by a signal
  std::optional<int> best_rank_gf2, best_rank_z;
  std::uint64_t flips = 0;          // or game moves, for the tree search
  double seconds = 0;
};

std::string to_string(Method method);
std::optional<Method> parse_method(const std::string& text);

}  // namespace fmm::search
