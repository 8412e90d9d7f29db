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

// Most walkers one run may have: each holds a flip graph (kilobytes to a megabyte for the
// larger formats), so 400,000 took 2.7 GB on <3,3,3>; 65,536 stays below half a gigabyte there.
inline constexpr int kMaxWalkers = 1 << 16;

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
  double first_checkpoint_s = 5;    // the first checkpoint comes this early (at most checkpoint_every_s)
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
  // Plus transitions from the first plateau on, not only once below the start's rank: for starts
  // that are already reduced (a campaign's best scheme), where no flip lowers the rank.
  bool plus_from_start = false;

  // Random starts (--random-starts KMIN-KMAX; GF2 plain walk on the CPU): every walker starts from
  // a random start of its own (tensor/random_start.hpp, K in [kmin, kmax] dense terms) and from a
  // fresh one after `restart_after` flips without a new best of its own (0 = auto). The pool's
  // best does not pull walkers in, as it does from one start: that would put every walker into
  // the funnel of the first good find (results/search/random_starts/README.md).
  struct RandomStarts {
    int kmin = 8, kmax = 12;
  };
  std::optional<RandomStarts> random_starts;

  // Symmetric walk (run_symmetric_flip, symmetric/symmetric_search.hpp): the group's order (3:
  // cyclic, 6: cyclic x reversal), the grouped-diagonal start ("" = the paper's for this n,
  // "standard", or "10001,01010,00100"), orbit moves without a new best before a walker starts
  // a new run, the highest rank a plus transition may reach (0 = auto for both). With
  // random_starts, restart_after is the plain walker's flips without a new best before it
  // starts over from a new random start.
  int symmetry_order = 3;
  std::string symmetric_cubes;
  std::uint64_t restart_after = 0;
  int plus_limit = 0;
  // A shorter patience for runs that stay high (--give-up-above RANK:MOVES): a run whose best is
  // still above give_up_rank ends after give_up_moves moves without a new best (0 = off). From
  // replays of logged <6,6,6> runs (results/search/symmetric_runs/run_patience.py).
  int give_up_rank = 0;
  std::uint64_t give_up_moves = 0;
  // The run ends at target_rank only once the target also holds over Z (--symmetric --lift; set
  // on every MPI rank, although only rank 0 lifts).
  bool target_needs_z = false;
  // Where a symmetric walker's next run starts: "start" (the start scheme, as the paper's code),
  // "best" (a scheme of the pool's best GF2 rank, chosen per walker and epoch) or "best:RANK"
  // (the start until the pool's best is at most RANK, then the best: the lottery keeps its spread
  // until a run lands low; a <6,6,6> 159 is minutes from 153 while its 165s are dead ends,
  // results/search/symmetric.md). Read by parse_symmetric_restart (symmetric_search.hpp).
  std::string symmetric_restart = "start";

  // Where the plain GF2 walk runs: "cpu" (flip_walk.hpp, one walker per thread at a time),
  // "gpu" (a WalkerBank on the GPU, walker_bank.hpp) or "gpu-emulated" (the GPU's code on CPU
  // threads: the same walk, for machines without a GPU and for tests).
  std::string backend = "cpu";

  bool general_reductions = false;       // GF2: merge dependent sets of terms, not only pairs
  double focus = 0;                      // chance that a flip involves a term the last one changed
  std::uint64_t descent_limit = 0;       // first plateau limit of the descent phase; 0 = none
  std::uint64_t drift_after = 0;         // flips without a reduction before a plus transition; 0 = off

  // [mpi] This process runs walker ids walker_offset, walker_offset + walker_stride, ... < walkers
  // (MPI rank k of K: offset k, stride K), each seeded from (seed, id) as in a one-process run.
  int walker_offset = 0, walker_stride = 1;
};

// What a run reports back to the CLI.
struct SearchOutcome {
  bool target_reached = false;
  bool interrupted = false;         // stopped by a signal (stop_signal() says which)
  int write_failures = 0;           // results or checkpoints that could not be written (logged)
  std::optional<int> best_rank_gf2, best_rank_z;
  std::uint64_t flips = 0;          // or game moves, for the tree search
  double seconds = 0;
};

std::string to_string(Method method);
std::optional<Method> parse_method(const std::string& text);

}  // namespace fmm::search
