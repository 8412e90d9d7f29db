// `fmm train`: supervised training on synthetic demonstrations, then self-play on the matrix
// multiplication tensors (AlphaTensor's loop, Fawzi et al. 2022, Fig. 2: actors play games with
// the current network and the tree search; the learner trains on played games and demonstrations).
//
// Schedule, as fractions of the budget (wall clock, CPU time or optimizer steps, whichever is
// given; budgets count the model's whole training, over resumed runs):
//   [0, supervised_fraction)  batches of synthetic demonstrations only (demos.hpp);
//   then rounds of            `games_per_round` self-play games (OpenMP threads over games, each
//                             game one episode of the sampled tree search with the current
//                             network, no heuristic move) -> replay buffer; best schemes per
//                             format -> elite demonstrations (changes of basis, random orders);
//                             then `steps_per_round` optimizer steps on a mixture of synthetic,
//                             replay and elite examples.
//
// Determinism: every game is seeded from (seed, round, game index) and plays against a fixed
// network; a batch's gradient is the sum of a fixed number of chunk gradients, added in order.
// So a run with a step budget gives the same model for any thread count (tested); a wall-clock
// or CPU budget only decides when it stops.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "search/learn/model_file.hpp"
#include "search/learn/net_policy.hpp"

namespace fmm::learn {

struct TrainConfig {
  std::vector<Shape> shapes;       // formats to learn (self-play plays their T<n,m,p> in turn)
  Field field = Field::Z;
  std::string model_path;          // written periodically, on stop and at the end
  bool resume = false;             // continue the model at model_path
  std::string supervised_model_path;  // when set: a copy of the model at the end of the supervised phase
                                      // (without the optimizer state)
  std::string export_path;         // when set: at the end, a copy without the optimizer state (1/3 the size)
  std::string log_path;            // when set: CSV training curve, one line per report
  std::string note;                // provenance stored in the model (the command line)

  double time_limit_s = 0, cpu_limit_s = 0;  // totals over the model's training; 0 = none
  std::int64_t max_steps = 0;                 // total optimizer steps; 0 = none
  int threads = 1;
  std::uint64_t seed = 1;

  NetDims widths;                  // width, blocks, policy/value widths, quantiles of a new model
  AdamConfig adam;
  int batch = 128;
  int chunks = 4;                  // gradient chunks per batch (fixed: results independent of threads)
  double value_coef = 0.25;
  int targets = 4;                 // policy targets per demonstration

  double supervised_fraction = 0.3;
  // Curriculum over the demonstrations' size: during the first `curriculum` share of the
  // supervised phase the largest number of terms summed into a demonstration grows linearly from
  // 1 to its full size, `demo_terms` or the format's classical rank (then stays there). A demonstration of one term is its own
  // answer, and the policy learns it in seconds; sums of up to the classical rank are what the
  // loss stalls on (results/search/learned/README.md). 0 = off: every demonstration draws 1 to
  // the full size from the start. Self-play's synthetic share always uses the full range.
  double curriculum = 0.0;
  // The most terms a synthetic demonstration sums (0 = the format's classical rank). Near the
  // classical rank a small format's GF(2) sums have many decompositions (<2,2,2>: C(3375, 7) is
  // 53 times 2^64), so "recover a term" has no single answer there; a cap keeps to sums that
  // mostly have one. The curriculum, when on, ramps up to this cap. Measured: no gain
  // (results/search/learned/README.md, which has the count); off by default.
  int demo_terms = 0;
  int games_per_round = 8;
  int steps_per_round = 24;
  int simulations_per_move = 96;
  int sampled_moves = 4;           // the first moves of a self-play game are sampled by visit count
  NetPolicyConfig policy{32, 128};
  std::size_t replay_capacity = 30000;
  double synthetic_share = 0.3, elite_share = 0.3;  // of a self-play batch; the rest from replay
  int elites_per_shape = 32;
  // Restarts (exploring starts): this share of the games starts from one of the agent's own best
  // schemes for the format minus k of its terms (k = 2 + a geometric number with mean 1.5, at most
  // restart_max_removed, 0 = no cap), in a random basis and order, instead of from T<n,m,p>. Their
  // schemes feed the elite set like any game's. 0 switches them off.
  double restart_share = 0.0;
  int restart_max_removed = 0;
  // Of the restarts, this share removes the terms inside a random sub-block instead (the block
  // law of restarts.hpp: a classical block's terms together, the scheme's basis kept), half of
  // them from the standard algorithm, half from the elite with the most single products left;
  // where no sub-block holds 2 or more of the terms, the random law above. 0 = the random law only.
  double restart_block_share = 0.0;

  double report_every_s = 10;
  double save_every_s = 120;
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const std::string&)> log;     // configuration, saves, improvements
  std::function<void(const std::string&)> status;  // the periodic progress line
};

struct TrainResult {
  std::int64_t steps = 0, games = 0;
  double wall_s = 0, cpu_s = 0;        // this run
  bool interrupted = false;
  std::vector<std::pair<Shape, int>> best_rank;
};

TrainResult train(const TrainConfig& config);

// Process CPU seconds (every thread), for budgets and reports.
double process_cpu_seconds();

}  // namespace fmm::learn
