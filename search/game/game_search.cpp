// `fmm search --method mcts`: the tensor game's tree search (search/game/mcts.hpp) behind the shared
// search interface. Every improvement goes through the Pool (which verifies), the progress hooks and,
// with --out, a result file.
#include "search/game/game_search.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "search/run/results.hpp"
#include "search/game/mcts.hpp"
#include "search/run/thread_pool.hpp"  // stop_flag
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm::search {

SearchOutcome run_mcts(const SearchConfig& cfg, Pool& pool, Progress& progress) {
  require_valid(cfg.shape);
  if (cfg.field != Field::GF2 && cfg.field != Field::Z)
    throw Error("mcts: the tensor game plays over gf2 or z, not " + to_string(cfg.field));
  game::MctsConfig mc;
  mc.rules = game::GameRules::for_field(cfg.field);
  mc.seed = cfg.seed;
  mc.threads = std::max(1, cfg.threads);
  // Root parallelism: under a wall-clock limit one tree per thread (a tree queued behind another
  // would start after the deadline); under a simulation budget one tree per walker.
  mc.trees = cfg.time_limit_s > 0 && cfg.max_flips == 0 ? mc.threads : std::max(1, cfg.walkers);
  // No more trees than simulations in the budget: each tree runs at least one, so more trees
  // would overshoot it (65536 trees on a budget of 10000).
  if (cfg.max_flips > 0) mc.trees = static_cast<int>(std::min<std::uint64_t>(mc.trees, cfg.max_flips));
  mc.time_limit_s = cfg.time_limit_s;
  if (cfg.max_flips > 0) mc.max_simulations = long(std::max<std::uint64_t>(1, cfg.max_flips / std::uint64_t(mc.trees)));
  else if (cfg.time_limit_s > 0) mc.max_simulations = 0;
  mc.target_rank = cfg.target_rank;
  mc.stop = &stop_flag();
  if (cfg.shape.classical_rank() > 8) mc.simulations_per_move = 16;  // reach the end of long games
  if (cfg.start) progress.log("mcts: --from is not used; the game starts from the bare tensor");

  std::ostringstream line;
  line << "mcts: shape " << cfg.shape.str() << " field " << to_string(cfg.field) << " trees " << mc.trees
       << " threads " << mc.threads << " seed " << mc.seed << " simulations/tree "
       << (mc.max_simulations ? std::to_string(mc.max_simulations) : std::string("unbounded")) << " c_puct " << mc.c_puct
       << " simulations/move " << mc.simulations_per_move;
  progress.log(line.str());

  int write_failures = 0;
  mc.on_improved = [&](const Scheme& found, int tree, double elapsed) {
    const std::string by = "mcts tree " + std::to_string(tree);
    if (!pool.offer(found, by, elapsed)) return;
    progress.improved(found, by, elapsed);
    if (cfg.out_dir.empty()) return;
    Scheme out = found;
    out.set_source("fmm search --method mcts: rank " + std::to_string(found.rank()) + " field " +
                   to_string(found.field()) + " seed " + std::to_string(cfg.seed) + " by " + by + "; command: " +
                   (cfg.command_line.empty() ? std::string("(library call)") : cfg.command_line));
    if (!save_result(cfg.out_dir, out, progress)) ++write_failures;  // verifies before writing
  };

  const game::MctsResult r = game::mcts_search(cfg.shape, mc);
  SearchOutcome outcome;
  if (r.best) pool.offer(*r.best, "mcts tree " + std::to_string(r.best_tree), r.seconds);
  outcome.best_rank_gf2 = pool.best_rank(Field::GF2);
  outcome.best_rank_z = pool.best_rank(Field::Z);
  outcome.flips = std::uint64_t(r.simulations);
  outcome.seconds = r.seconds;
  outcome.interrupted = stop_flag().load();
  outcome.write_failures = write_failures;
  outcome.target_reached = cfg.target_rank && r.best_rank <= *cfg.target_rank;
  std::ostringstream done;
  done << "mcts: " << r.simulations << " simulations, " << r.episodes << " episodes, " << r.nodes << " nodes, best rank "
       << (r.best ? std::to_string(r.best_rank) : std::string("-"))
       << (r.best_uses_completion ? " (last terms by slice completion)" : "");
  progress.log(done.str());
  return outcome;
}

}  // namespace fmm::search
