// Tree search over the tensor game (search/game/game.hpp), after AlphaTensor (Fawzi et al., Nature 610,
// 2022) but without a trained network: candidate moves and priors come from the heuristics of
// search/game/move_generator.hpp, and a leaf is valued by the terminal bound (sum of slice ranks, an
// achievable rank: complete() closes the residual with exactly that many terms), optionally after a
// short greedy rollout.
//
// Selection is PUCT (Silver et al., "Mastering the game of Go without human knowledge", Nature 550,
// 2017): argmax Q + c * P * sqrt(N) / (1 + n), with Q min-max normalised over the tree as in MuZero
// (Schrittwieser et al., Nature 588, 2020) since returns are in rank units, not [-1,1]. Nodes live in
// a transposition table keyed by the residual's hash; they store the cost *from* the node, which
// depends only on the residual, so transpositions at different depths share statistics. As in
// AlphaTensor's acting, an episode runs `simulations_per_move` simulations from its current root,
// commits a move by visit count, and repeats until the game ends; episodes repeat within the budget
// and keep the table.
//
// Parallelism is root parallelism (Chaslot, Winands, van den Herik, "Parallel Monte-Carlo tree
// search", CG 2008): `trees` independent trees, each with its own random stream seeded from
// (seed, tree index), spread over OpenMP threads. We chose it over a shared tree with virtual loss
// because (1) it needs no locks on a 2-core machine where contention would dominate, and (2) each
// tree's result depends only on (seed, tree index, budget), not on thread scheduling: with a
// simulation budget the outcome is the same for any thread count (only a wall-clock limit or an
// early stop at the target rank makes it timing-dependent).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "search/game/game.hpp"
#include "search/game/move_generator.hpp"
#include "tensor/scheme.hpp"

namespace fmm::game {

// A source of candidate moves and leaf values other than the heuristics: the learned policy and
// value network of search/learn/ (AlphaTensor's network) implements it. Calls come from several
// trees at once, so implementations must be safe to call concurrently (const, no shared state).
class MovePolicy {
 public:
  virtual ~MovePolicy() = default;
  struct Expansion {
    std::vector<Candidate> candidates;  // legal, canonical, distinct; priors sum to 1
    double cost = 0;                    // estimated moves to finish from the residual (<= its bound)
  };
  virtual Expansion expand(const Tensor& residual, int moves_played, int move_limit, Rng& rng) const = 0;
  // The estimate alone, for leaves the tree does not expand (node limit reached).
  virtual double cost(const Tensor& residual, int moves_played, int move_limit) const = 0;
};

// Where a node's candidate moves come from.
enum class CandidateSource {
  Heuristics,  // MoveGenerator (slice, random, walk, known); leaves valued by rollout + bound
  Policy,      // MovePolicy only; leaves valued by the policy's cost estimate (the bare network game)
  Both,        // the union (priors averaged); leaves valued by the smaller of the two estimates
};

// What the tree saw at a committed move (self-play training data): the root's residual, its depth
// and each candidate's visit count.
struct CommitRecord {
  const Tensor* state = nullptr;
  int depth = 0;
  std::vector<std::pair<const Move*, int>> visits;  // (move, visits) for every edge of the root
  const Move* chosen = nullptr;
};

struct MctsConfig {
  GameRules rules;                   // field, coefficient set F, R_limit (0 = classical rank)
  GeneratorConfig generator;
  double c_puct = 1.25;
  int simulations_per_move = 64;     // before each committed move
  long max_simulations = 20000;      // per tree (the deterministic budget); 0 = none
  double time_limit_s = 0;           // wall clock for the whole run; 0 = none
  int rollout_steps = 2;             // greedy moves at a leaf before reading the bound
  int sampled_moves = 3;             // first moves of an episode are sampled by visit count, then argmax
  int trees = 1;                     // independent trees (root parallelism)
  int threads = 1;                   // OpenMP threads over the trees; never changes a tree's result
  std::uint64_t seed = 1;
  std::optional<int> target_rank;    // stop every tree once a scheme of this rank (or less) is found
  std::size_t max_nodes = 300000;    // per tree; beyond it leaves are valued without expansion
  const std::atomic<bool>* stop = nullptr;  // external stop request (signal), may be null
  // The learned policy (search/learn/); used when `candidates` is Policy or Both. Not owned.
  const MovePolicy* policy = nullptr;
  CandidateSource candidates = CandidateSource::Heuristics;
  long max_episodes = 0;             // per tree; 0 = none (self-play plays one episode per game)
  // Self-play hooks, called on the tree's own thread: each committed move, and each episode's end
  // (the committed moves, the residual left, and the episode's total = moves + its bound).
  std::function<void(const CommitRecord&)> on_commit;
  std::function<void(const std::vector<Move>&, const Tensor&, int total)> on_episode;
  // Called (serialised) with each verified scheme that improves the run's best; may be empty.
  std::function<void(const Scheme&, int tree, double elapsed_s)> on_improved;
};

struct TreeStats {
  int best_rank = 0;  // of the tree's best complete scheme (INT_MAX when none)
  long simulations = 0, episodes = 0;
  std::size_t nodes = 0;
};

struct MctsResult {
  std::optional<Scheme> best;        // verified complete scheme for the target, lowest rank, then tree index
  int best_rank = 0;                 // INT_MAX when none
  int best_tree = -1;
  bool best_uses_completion = false; // some terms came from complete() (may lie outside F)
  long simulations = 0, episodes = 0;
  std::size_t nodes = 0;
  double seconds = 0;
  std::vector<TreeStats> trees;
};

// Plays the game from T<n,m,p>.
MctsResult mcts_search(const Shape& shape, const MctsConfig& config);
// Plays the game from the residual of `prefix` (its terms are kept); result schemes contain the
// prefix's terms first. An empty prefix gives mcts_search(shape).
MctsResult mcts_search_from(const Scheme& prefix, const MctsConfig& config);

// Endgame solver: removes `removed` terms of `scheme` (chosen by config.seed; their indices go to
// *removed_terms) and plays the residual game with R_limit = removed. Returns the closed scheme
// (verified, kept terms first) when it uses at most `removed` new terms, else nullopt.
std::optional<Scheme> close_endgame(const Scheme& scheme, int removed, const MctsConfig& config,
                                    std::vector<int>* removed_terms = nullptr);

}  // namespace fmm::game
