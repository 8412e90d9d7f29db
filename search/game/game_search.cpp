// `fmm search --method mcts`: the tensor game's tree search (search/game/mcts.hpp) behind the shared
// search interface. Every improvement goes through the Pool (which verifies), the progress hooks and,
// with --out, a result file.
#include "search/game/game_search.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>

#include "search/run/results.hpp"
#include "search/game/mcts.hpp"
#include "search/learn/net_policy.hpp"
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
  if (cfg.simulations_per_move > 0) mc.simulations_per_move = cfg.simulations_per_move;
  if (cfg.bare) {
    mc.generator.use_known = false;
    mc.generator.walk_flips = 0;
  }
  // The network, when a model is given: candidates from it alone by default (the bare network
  // game), or together with the heuristics.
  std::optional<learn::Model> model;
  std::optional<learn::NetPolicy> policy;
  const std::string source = cfg.candidates.empty() ? (cfg.model_path.empty() ? "heuristics" : "net") : cfg.candidates;
  if (source == "net") mc.candidates = game::CandidateSource::Policy;
  else if (source == "both") mc.candidates = game::CandidateSource::Both;
  else if (source != "heuristics") throw Error("--candidates must be heuristics, net or both, not '" + source + "'");
  if (mc.candidates != game::CandidateSource::Heuristics && cfg.model_path.empty())
    throw Error("--candidates " + source + " needs a network: --model FILE");
  if (!cfg.model_path.empty()) {
    model = learn::load_model(cfg.model_path);
    if (model->enc.field != cfg.field)
      throw Error("model '" + cfg.model_path + "' plays over " + to_string(model->enc.field) + ", not " +
                  to_string(cfg.field) + " (use --field " + (model->enc.field == Field::GF2 ? "gf2" : "z") + ")");
    if (!model->enc.fits(cfg.shape))
      throw Error("model '" + cfg.model_path + "' has a tensor box of " + std::to_string(model->enc.box_a) + "x" +
                  std::to_string(model->enc.box_b) + "x" + std::to_string(model->enc.box_c) + " entries; " +
                  cfg.shape.str() + " does not fit");
    mc.rules.coefficients = model->enc.coefficients;
    learn::NetPolicyConfig pc;
    pc.samples = cfg.policy_samples;
    pc.root_samples = 4 * cfg.policy_samples;  // as in training (fmm train --root-samples 128)
    policy.emplace(model->net, model->enc, pc);
    mc.policy = &*policy;
    if (mc.candidates == game::CandidateSource::Policy) mc.rollout_steps = 0;
  }
  if (cfg.start) progress.log("mcts: --from is not used; the game starts from the bare tensor");

  std::ostringstream line;
  line << "mcts: shape " << cfg.shape.str() << " field " << to_string(cfg.field) << " trees " << mc.trees
       << " threads " << mc.threads << " seed " << mc.seed << " simulations/tree "
       << (mc.max_simulations ? std::to_string(mc.max_simulations) : std::string("unbounded")) << " c_puct " << mc.c_puct
       << " simulations/move " << mc.simulations_per_move << " candidates " << source
       << (cfg.bare ? " (known-sub-scheme and walk heuristics off)" : "");
  if (model) line << " model " << cfg.model_path << " (" << model->net.size() << " parameters, trained " << model->train.step << " steps, "
                  << model->train.cpu_s << " CPU s)";
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
