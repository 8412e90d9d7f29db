// The endgame solver: a known scheme minus k terms leaves a residual of rank <= k; the game is
// played from it with R_limit = k to close it in k moves or fewer.
#include <algorithm>
#include <climits>

#include "search/game/mcts.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

namespace fmm::game {

std::optional<Scheme> close_endgame(const Scheme& scheme, int removed, const MctsConfig& config,
                                    std::vector<int>* removed_terms) {
  if (removed < 1 || removed > scheme.rank())
    throw Error("endgame: cannot remove " + std::to_string(removed) + " of " + std::to_string(scheme.rank()) + " terms");
  require_verified(scheme, "endgame input");
  // Choose the removed terms by the seed (a partial Fisher-Yates shuffle).
  Rng rng(config.seed ^ 0x5bd1e995ull);
  std::vector<int> order(scheme.rank());
  for (int i = 0; i < scheme.rank(); ++i) order[i] = i;
  for (int i = 0; i < removed; ++i) std::swap(order[i], order[i + rng.below(scheme.rank() - i)]);
  std::vector<int> gone(order.begin(), order.begin() + removed);
  std::sort(gone.begin(), gone.end());
  if (removed_terms) *removed_terms = gone;

  Scheme prefix = scheme;
  for (auto it = gone.rbegin(); it != gone.rend(); ++it) prefix.remove_term(*it);
  MctsConfig c = config;
  c.rules.max_moves = removed;
  if (!c.target_rank) c.target_rank = prefix.rank() + removed - 1;  // stop early only on a strict gain
  MctsResult r = mcts_search_from(prefix, c);
  if (!r.best || r.best_rank > scheme.rank()) return std::nullopt;
  return r.best;
}

}  // namespace fmm::game
