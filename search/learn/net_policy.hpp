// The network as the tree search's source of candidate moves and leaf values (game::MovePolicy).
//
// Sampled MCTS (Hubert et al., "Learning and planning in complex action spaces", ICML 2021):
// a node draws K moves from the policy (with replacement), keeps the distinct ones, and gives
// each the prior (count / K) * pi^(1 - 1/temperature) (normalised): the sample-based estimate
// beta_hat / beta * pi of that paper with beta = pi^(1/temperature); at temperature 1 it is the
// empirical frequency, and PUCT on it is an unbiased improvement of the sampled policy.
// We chose sampled MCTS over Gumbel MuZero (Danihelka et al., ICLR 2022): the tree already is
// PUCT with a transposition table, our network is cheap enough for hundreds of simulations per
// move (Gumbel's advantage is at a handful), and Gumbel-top-k needs the logits of every action,
// which an autoregressive head over 3^27 terms does not give (it would need stochastic beam search).
//
// The leaf value is min(slice-rank bound, optimistic network estimate): the bound is achievable
// (complete() closes any residual with that many terms), so no estimate above it is useful.
#pragma once

#include "search/game/mcts.hpp"
#include "search/learn/model_file.hpp"

namespace fmm::learn {

struct NetPolicyConfig {
  int samples = 32;           // K: moves drawn per expanded node
  int root_samples = 0;       // K at the game's first position (more candidates where the tree
                              // spends most visits); 0 = samples
  double temperature = 1.0;   // of the sampling
  // The leaf cost is the mean of this lowest fraction of the predicted quantiles: 1 = the mean
  // (calibrated), 0.25 = AlphaTensor's risk-seeking choice, which with a small network trained for
  // minutes is too optimistic on states unlike its training data (results/search/learned/README.md).
  double value_fraction = 1.0;
};

class NetPolicy : public game::MovePolicy {
 public:
  // `net` and `enc` must outlive the policy; the network is read only.
  NetPolicy(const Network<float>& net, const Encoding& enc, NetPolicyConfig config = {});
  Expansion expand(const game::Tensor& residual, int moves_played, int move_limit, game::Rng& rng) const override;
  double cost(const game::Tensor& residual, int moves_played, int move_limit) const override;

 private:
  const Network<float>& net_;
  const Encoding& enc_;
  NetPolicyConfig config_;
};

}  // namespace fmm::learn
