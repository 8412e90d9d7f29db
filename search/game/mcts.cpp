#include "search/game/mcts.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <climits>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "tensor/error.hpp"
#include "tensor/verify.hpp"

namespace fmm::game {

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t tree_seed(std::uint64_t seed, int tree) {
  Rng mix(seed ^ (0xd1b54a32d192ed03ull * std::uint64_t(tree + 1)));
  return mix.next();
}

struct Edge {
  Move move;
  float prior = 0;
  int visits = 0;
  double cost_sum = 0;  // sum over visits of the cost from the parent through this edge (1 + child's)
};

struct Node {
  std::vector<Edge> edges;
  bool expanded = false;
  int visits = 0;
  double cost_sum = 0;  // sum over visits of the cost from this node to a complete scheme
};

// A complete plan: moves from the game's start, and the residual left for complete().
struct Plan {
  std::vector<Move> moves;
  Tensor residual;
  int total = INT_MAX;
};

class Tree {
 public:
  Tree(const Tensor& start, const MctsConfig& config, const MoveGenerator& gen, std::uint64_t seed)
      : start_(start), config_(config), gen_(gen), rng_(seed) {
    limit_ = config.rules.max_moves > 0 ? config.rules.max_moves : int(start.shape().classical_rank());
  }

  // Runs episodes until the budget is spent or `keep_going` says stop.
  template <class KeepGoing, class Improved>
  void run(KeepGoing keep_going, Improved improved) {
    while (keep_going(stats_.simulations) && (config_.max_episodes <= 0 || stats_.episodes < config_.max_episodes)) {
      ++stats_.episodes;
      Tensor state = start_;
      std::vector<Move> played;
      int depth = 0;
      while (depth < limit_ && !state.is_zero()) {
        for (int s = 0; s < config_.simulations_per_move && keep_going(stats_.simulations); ++s) {
          simulate(state, played, depth, improved);
          ++stats_.simulations;
        }
        Node& root = table_[state.hash()];
        if (root.edges.empty()) break;
        const Edge* chosen = choose_commit(root, depth);
        if (!chosen || chosen->visits == 0) break;
        if (config_.on_commit) {
          CommitRecord record;
          record.state = &state;
          record.depth = depth;
          record.chosen = &chosen->move;
          for (const Edge& e : root.edges) record.visits.emplace_back(&e.move, e.visits);
          config_.on_commit(record);
        }
        state.subtract(chosen->move);
        played.push_back(chosen->move);
        ++depth;
        if (!keep_going(stats_.simulations)) break;
      }
      // The committed line itself is a plan too.
      const int total = depth + (state.is_zero() ? 0 : rank_upper_bound(state));
      consider(played, state, total, improved);
      if (config_.on_episode) config_.on_episode(played, state, total);
    }
    stats_.nodes = table_.size();
  }

  const Plan& best() const { return best_; }
  TreeStats& stats() { return stats_; }

 private:
  const Edge* choose_commit(const Node& root, int depth) {
    if (depth < config_.sampled_moves) {
      long total = 0;
      for (auto& e : root.edges) total += e.visits;
      if (total == 0) return nullptr;
      long pick = long(rng_.next() % std::uint64_t(total));
      for (auto& e : root.edges) {
        if (pick < e.visits) return &e;
        pick -= e.visits;
      }
    }
    const Edge* best = nullptr;
    for (auto& e : root.edges)
      if (!best || e.visits > best->visits ||
          (e.visits == best->visits && e.visits > 0 && e.cost_sum / e.visits < best->cost_sum / best->visits))
        best = &e;
    return best;
  }

  void expand(Node& node, const Tensor& state) {
    node.expanded = true;
    for (auto& c : gen_.generate(state, rng_)) node.edges.push_back({std::move(c.move), float(c.prior), 0, 0.0});
  }

  // Expands `node` (when the table has room) with the policy's candidates (and, for Both, the
  // heuristics' as well, priors averaged) and returns the leaf's cost estimate.
  template <class Improved>
  double expand_with_policy(Node& node, const Tensor& state, std::vector<Move>& path, int depth, Improved& improved) {
    const bool both = config_.candidates == CandidateSource::Both;
    const int bound = rank_upper_bound(state);
    consider(path, state, depth + bound, improved);  // the completion of this leaf is a scheme too
    if (table_.size() >= config_.max_nodes) {
      const double c = config_.policy->cost(state, depth, limit_);
      return both ? std::min(c, double(evaluate(state, path, depth, improved))) : c;
    }
    node.expanded = true;
    MovePolicy::Expansion x = config_.policy->expand(state, depth, limit_, rng_);
    const float share = both ? 0.5f : 1.0f;
    for (auto& c : x.candidates) node.edges.push_back({std::move(c.move), share * float(c.prior), 0, 0.0});
    if (!both) return x.cost;
    std::unordered_map<std::uint64_t, std::size_t> index;
    for (std::size_t i = 0; i < node.edges.size(); ++i) index.emplace(move_hash(node.edges[i].move), i);
    for (auto& c : gen_.generate(state, rng_)) {
      auto it = index.find(move_hash(c.move));
      if (it != index.end() && node.edges[it->second].move == c.move) node.edges[it->second].prior += 0.5f * float(c.prior);
      else node.edges.push_back({std::move(c.move), 0.5f * float(c.prior), 0, 0.0});
    }
    return std::min(x.cost, double(evaluate(state, path, depth, improved)));
  }

  // Cost (moves) to finish from `state` by a short greedy rollout then completion.
  template <class Improved>
  int evaluate(Tensor state, std::vector<Move>& path, int depth, Improved& improved) {
    int bound = rank_upper_bound(state);
    int steps = 0;
    const size_t path_size = path.size();
    for (int s = 0; s < config_.rollout_steps && depth + steps < limit_ && bound > 0; ++s) {
      auto c = gen_.best_greedy(state, rng_);
      if (!c || c->next_bound + 1 > bound) break;  // only moves that do not worsen the estimate
      state.subtract(c->move);
      path.push_back(c->move);
      bound = c->next_bound;
      ++steps;
    }
    consider(path, state, depth + steps + bound, improved);
    path.resize(path_size);
    return steps + bound;
  }

  template <class Improved>
  void consider(const std::vector<Move>& moves, const Tensor& residual, int total, Improved& improved) {
    if (total >= best_.total) return;
    best_.moves = moves;
    best_.residual = residual;
    best_.total = total;
    improved(best_);
  }

  bool use_policy() const { return config_.policy && config_.candidates != CandidateSource::Heuristics; }

  double normalized(double cost) const {
    // Lower cost is better; map into [0,1] with 1 the best seen.
    if (max_cost_ <= min_cost_) return 0.5;
    return (max_cost_ - cost) / (max_cost_ - min_cost_);
  }

  template <class Improved>
  void simulate(const Tensor& root_state, std::vector<Move>& played, int root_depth, Improved& improved) {
    Tensor state = root_state;
    std::vector<Move> path = played;
    std::vector<std::pair<Node*, Edge*>> trail;
    int depth = root_depth;
    double leaf_cost = 0;
    for (;;) {
      if (state.is_zero()) { leaf_cost = 0; consider(path, state, depth, improved); break; }
      if (depth >= limit_) {
        leaf_cost = rank_upper_bound(state);
        consider(path, state, depth + int(leaf_cost), improved);
        break;
      }
      Node& node = table_[state.hash()];
      if (!node.expanded && use_policy()) {
        leaf_cost = expand_with_policy(node, state, path, depth, improved);
        node.visits += 1;
        node.cost_sum += leaf_cost;
        break;
      }
      if (!node.expanded) {
        if (table_.size() < config_.max_nodes) expand(node, state);
        leaf_cost = evaluate(state, path, depth, improved);
        node.visits += 1;
        node.cost_sum += leaf_cost;
        break;
      }
      if (node.edges.empty()) {
        leaf_cost = use_policy() ? std::min(double(rank_upper_bound(state)), config_.policy->cost(state, depth, limit_))
                                 : evaluate(state, path, depth, improved);
        node.visits += 1;
        node.cost_sum += leaf_cost;
        break;
      }
      // PUCT with first-play urgency = the node's mean value.
      const double sqrt_n = std::sqrt(double(std::max(1, node.visits)));
      const double fpu = node.visits > 0 ? normalized(node.cost_sum / node.visits) : 0.5;
      Edge* best = nullptr;
      double best_score = -1e300;
      for (auto& e : node.edges) {
        const double q = e.visits > 0 ? normalized(e.cost_sum / e.visits) : fpu;
        const double u = config_.c_puct * e.prior * sqrt_n / (1.0 + e.visits);
        if (q + u > best_score) best_score = q + u, best = &e;
      }
      trail.emplace_back(&node, best);
      state.subtract(best->move);
      path.push_back(best->move);
      ++depth;
    }
    // Back up: the cost from each node is the leaf's cost plus the moves between them.
    double cost = leaf_cost;
    for (auto it = trail.rbegin(); it != trail.rend(); ++it) {
      cost += 1;
      it->second->visits += 1;
      it->second->cost_sum += cost;
      it->first->visits += 1;
      it->first->cost_sum += cost;
      min_cost_ = std::min(min_cost_, cost);
      max_cost_ = std::max(max_cost_, cost);
    }
    min_cost_ = std::min(min_cost_, leaf_cost);
    max_cost_ = std::max(max_cost_, leaf_cost);
  }

  Tensor start_;
  const MctsConfig& config_;
  const MoveGenerator& gen_;
  Rng rng_;
  int limit_ = 0;
  std::unordered_map<std::uint64_t, Node> table_;
  Plan best_;
  TreeStats stats_;
  double min_cost_ = 1e300, max_cost_ = -1e300;
};

}  // namespace

MctsResult mcts_search_from(const Scheme& prefix, const MctsConfig& config) {
  config.rules.validate();
  if (config.trees < 1) throw Error("mcts: need at least one tree");
  if (config.candidates != CandidateSource::Heuristics && !config.policy)
    throw Error("mcts: candidates from a policy need a policy (a model)");
  const auto t0 = Clock::now();
  const Field field = config.rules.field;
  const Tensor start = Tensor::residual_of(prefix, field);
  const MoveGenerator gen(prefix.shape(), config.rules, config.generator);

  MctsResult result;
  result.best_rank = INT_MAX;
  result.trees.resize(config.trees);
  std::vector<Plan> plans(config.trees);
  std::mutex mutex;
  std::atomic<int> global_best{INT_MAX};
  std::atomic<bool> target_hit{false};
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };

  auto build = [&](const Plan& plan) {
    Scheme s = finish_scheme(prefix, field, plan.moves, plan.residual);
    s.set_source("fmm mcts seed " + std::to_string(config.seed));
    VerifyResult v = verify(s);
    // complete() and the moves are exact, so a failure here is a bug of ours, not bad luck.
    if (!v.ok) throw Error("mcts: internal error, a found scheme does not verify: " + v.message());
    return s;
  };

  const int threads = std::max(1, config.threads);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (int t = 0; t < config.trees; ++t) {
    Tree tree(start, config, gen, tree_seed(config.seed, t));
    auto keep_going = [&](long sims) {
      if (config.max_simulations > 0 && sims >= config.max_simulations) return false;
      if (target_hit.load(std::memory_order_relaxed)) return false;
      if (config.stop && config.stop->load(std::memory_order_relaxed)) return false;
      if (config.time_limit_s > 0 && (sims & 7) == 0 && elapsed() > config.time_limit_s) return false;
      return true;
    };
    auto improved = [&](const Plan& plan) {
      const int rank = prefix.rank() + plan.total;
      if (config.target_rank && rank <= *config.target_rank) target_hit.store(true, std::memory_order_relaxed);
      if (!config.on_improved || rank >= global_best.load()) return;
      Scheme s = build(plan);
      std::lock_guard lock(mutex);
      if (rank < global_best.load()) {
        global_best.store(rank);
        config.on_improved(s, t, elapsed());
      }
    };
    tree.run(keep_going, improved);
    plans[t] = tree.best();
    result.trees[t] = tree.stats();
    result.trees[t].best_rank = tree.best().total == INT_MAX ? INT_MAX : prefix.rank() + tree.best().total;
  }

  for (int t = 0; t < config.trees; ++t) {
    result.simulations += result.trees[t].simulations;
    result.episodes += result.trees[t].episodes;
    result.nodes += result.trees[t].nodes;
    if (result.trees[t].best_rank < result.best_rank) {
      result.best_rank = result.trees[t].best_rank;
      result.best_tree = t;
    }
  }
  if (result.best_tree >= 0) {
    const Plan& plan = plans[result.best_tree];
    result.best = build(plan);
    result.best_uses_completion = !plan.residual.is_zero();
  }
  result.seconds = elapsed();
  return result;
}

MctsResult mcts_search(const Shape& shape, const MctsConfig& config) {
  return mcts_search_from(Scheme(shape, config.rules.field == Field::GF2 ? Field::GF2 : Field::Z), config);
}

}  // namespace fmm::game
