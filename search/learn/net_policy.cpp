#include "search/learn/net_policy.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "tensor/error.hpp"

namespace fmm::learn {

NetPolicy::NetPolicy(const Network<float>& net, const Encoding& enc, NetPolicyConfig config)
    : net_(net), enc_(enc), config_(config) {
  if (config_.samples < 1) throw Error("learn: the policy needs at least one sample per node");
  if (!(config_.temperature > 0)) throw Error("learn: the sampling temperature must be > 0");
}

game::MovePolicy::Expansion NetPolicy::expand(const game::Tensor& residual, int moves_played, int move_limit,
                                              game::Rng& rng) const {
  const Shape& shape = residual.shape();
  const int bound = game::rank_upper_bound(residual);
  const StateInput in = encode_state(enc_, residual, moves_played, move_limit, bound);
  const auto inf = net_.infer(in);
  Expansion out;
  out.cost = std::min(double(bound), std::max(1.0, optimistic_cost(inf.quantiles, config_.value_fraction)));
  std::unordered_map<std::uint64_t, std::size_t> seen;
  std::vector<int> counts;
  const int samples = moves_played == 0 && config_.root_samples > 0 ? config_.root_samples : config_.samples;
  for (int k = 0; k < samples; ++k) {
    const Tokens t = net_.sample(inf, enc_, in, rng, config_.temperature);
    game::Move m = tokens_move(enc_, shape, t);
    const std::uint64_t h = game::move_hash(m);
    auto it = seen.find(h);
    if (it != seen.end() && out.candidates[it->second].move == m) {
      ++counts[it->second];
      continue;
    }
    seen.emplace(h, out.candidates.size());
    game::Candidate c;
    c.move = std::move(m);
    out.candidates.push_back(std::move(c));
    counts.push_back(1);
  }
  double total = 0;
  for (std::size_t i = 0; i < out.candidates.size(); ++i) {
    double p = counts[i];
    if (config_.temperature != 1.0)
      p *= std::exp((1 - 1 / config_.temperature) *
                    net_.log_prob(inf, enc_, in, move_tokens(enc_, shape, out.candidates[i].move)));
    out.candidates[i].prior = p;
    total += p;
  }
  for (auto& c : out.candidates) c.prior /= total;
  return out;
}

double NetPolicy::cost(const game::Tensor& residual, int moves_played, int move_limit) const {
  const int bound = game::rank_upper_bound(residual);
  const auto inf = net_.infer(encode_state(enc_, residual, moves_played, move_limit, bound));
  return std::min(double(bound), std::max(1.0, optimistic_cost(inf.quantiles, config_.value_fraction)));
}

}  // namespace fmm::learn
