// fmm train --shapes 2x2x2,2x2x3 --field z --model M.fmmnet --time-limit 3600 [--threads 2] ...
// Trains the tensor game's policy/value network (search/learn/trainer.hpp); Ctrl-C or SIGTERM
// stops it and saves the model, `--resume` continues it.
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "search/learn/trainer.hpp"
#include "search/run/thread_pool.hpp"  // stop_flag, install_stop_signal_handlers
#include "tensor/error.hpp"

namespace fmm::cli {

namespace {

std::vector<Shape> parse_shapes(const std::string& text) {
  std::vector<Shape> out;
  std::stringstream ss(text);
  std::string one;
  while (std::getline(ss, one, ','))
    if (!one.empty()) out.push_back(parse_shape(one));
  return out;
}

}  // namespace

int cmd_train(int argc, char** argv) {
  po::options_description opts("fmm train options");
  std::string shapes_text, field_name, model, supervised_model, log_path;
  learn::TrainConfig c;
  bool init_only = false;
  long steps = 0;
  opts.add_options()("shapes", po::value(&shapes_text)->default_value(""),
                     "formats to learn, e.g. 2x2x2,2x2x3 (a new model's tensor box fits them all; on --resume "
                     "default: the model's)")(
      "field", po::value(&field_name)->default_value("z"), "z (coefficients {-1,0,1}) or gf2")(
      "model", po::value(&model)->required(), "model file (.fmmnet) to write, or to continue with --resume")(
      "resume", po::bool_switch(&c.resume), "continue training the model in --model (weights, Adam, counters)")(
      "init-only", po::bool_switch(&init_only), "write an untrained (randomly initialised) model and exit")(
      "time-limit", po::value(&c.time_limit_s)->default_value(0), "wall-clock seconds of training in all (0 = none)")(
      "cpu-time-limit", po::value(&c.cpu_limit_s)->default_value(0), "CPU seconds of training in all (0 = none)")(
      "steps", po::value(&steps)->default_value(0), "optimizer steps in all (0 = none; gives a deterministic run)")(
      "threads", po::value(&c.threads)->default_value(1), "OpenMP threads (self-play games, gradient chunks)")(
      "seed", po::value(&c.seed)->default_value(1), "random seed (initial weights, demonstrations, games)")(
      "supervised-fraction", po::value(&c.supervised_fraction)->default_value(0.3),
      "share of the budget spent on synthetic demonstrations before self-play (1 = supervised only)")(
      "curriculum", po::value(&c.curriculum)->default_value(0.0),
      "share of the supervised phase over which the demonstrations grow from 1 term to the classical rank "
      "(0 = off: 1 to the classical rank from the start)")(
      "demo-terms", po::value(&c.demo_terms)->default_value(0),
      "the most terms a synthetic demonstration sums (0 = the format's classical rank; below it, sums "
      "that have one decomposition: see results/search/learned/README.md)")(
      "supervised-model", po::value(&supervised_model)->default_value(""),
      "also write the model as it is at the end of the supervised phase")(
      "log", po::value(&log_path)->default_value(""), "append a CSV training curve to this file")(
      "export", po::value(&c.export_path)->default_value(""),
      "at the end also write a copy without the optimizer state (a third of the size)")(
      "width", po::value(&c.widths.width)->default_value(256), "torso width (new model)")(
      "blocks", po::value(&c.widths.blocks)->default_value(2), "residual blocks (new model)")(
      "policy-width", po::value(&c.widths.policy_width)->default_value(256), "policy head width (new model)")(
      "value-width", po::value(&c.widths.value_width)->default_value(128), "value head width (new model)")(
      "quantiles", po::value(&c.widths.quantiles)->default_value(8), "value quantiles (new model)")(
      "batch", po::value(&c.batch)->default_value(128), "examples per optimizer step")(
      "lr", po::value(&c.adam.lr)->default_value(1e-3), "Adam learning rate")(
      "games-per-round", po::value(&c.games_per_round)->default_value(8), "self-play games between training bursts")(
      "steps-per-round", po::value(&c.steps_per_round)->default_value(24), "optimizer steps after each round of games")(
      "simulations", po::value(&c.simulations_per_move)->default_value(96), "tree-search simulations per self-play move")(
      "samples", po::value(&c.policy.samples)->default_value(32), "moves sampled from the policy per tree node")(
      "root-samples", po::value(&c.policy.root_samples)->default_value(128),
      "moves sampled at a game's first position (0 = --samples)")(
      "value-fraction", po::value(&c.policy.value_fraction)->default_value(1.0),
      "leaf value: mean of this lowest fraction of the value quantiles (1 = mean, 0.25 = optimistic)")(
      "replay", po::value(&c.replay_capacity)->default_value(30000), "replay buffer capacity (states)")(
      "restarts", po::value(&c.restart_share)->default_value(0.0),
      "share of self-play games that start from one of the agent's own best schemes minus k terms (0 = none)")(
      "restart-max-removed", po::value(&c.restart_max_removed)->default_value(0),
      "most terms a restart removes (0 = up to all)")(
      "restart-blocks", po::value(&c.restart_block_share)->default_value(0.0),
      "share of the restarts that remove the terms inside a random sub-block (e.g. a classical <2,2,2> block of "
      "<2,2,4>) instead of random terms (0 = none)");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm train --shapes 2x2x2,2x2x3 [--field z|gf2] --model FILE (--time-limit S | --cpu-time-limit S "
                     "| --steps N) [--threads N] [--seed S] [--resume] [--log CSV]",
                     opts, pos, vm))
    return 0;

  auto field = parse_field(field_name);
  if (!field || (*field != Field::Z && *field != Field::GF2)) throw Error("--field must be z or gf2, not '" + field_name + "'");
  c.field = *field;
  c.shapes = parse_shapes(shapes_text);
  for (const Shape& s : c.shapes) require_valid(s);
  if (c.shapes.empty() && !c.resume) throw Error("--shapes is required (e.g. --shapes 2x2x2,2x2x3)");
  c.model_path = model;
  c.supervised_model_path = supervised_model;
  c.log_path = log_path;
  if (c.threads < 1 || c.threads > 1024) throw Error("--threads must be between 1 and 1024");
  if (c.time_limit_s < 0 || c.cpu_limit_s < 0 || steps < 0) throw Error("budgets must be >= 0");
  c.max_steps = steps;
  if (c.batch < 1 || c.batch > 65536) throw Error("--batch must be between 1 and 65536");
  if (!(c.adam.lr > 0) || c.adam.lr > 1) throw Error("--lr must be in (0, 1]");
  if (!(c.restart_share >= 0 && c.restart_share <= 1) || !(c.restart_block_share >= 0 && c.restart_block_share <= 1))
    throw Error("--restarts and --restart-blocks are shares: between 0 and 1");
  if (c.restart_max_removed < 0) throw Error("--restart-max-removed must be >= 0");
  if (c.games_per_round < 1 || c.steps_per_round < 0 || c.simulations_per_move < 1 || c.policy.samples < 1)
    throw Error("--games-per-round, --simulations and --samples must be >= 1, --steps-per-round >= 0");
  const std::string command = command_line(argc, argv);
  c.note = command + " (" + version_line() + ")";

  if (init_only) {
    if (c.resume) throw Error("--init-only and --resume exclude each other");
    learn::Model m = learn::Model::create(c.field, c.shapes, c.widths, c.seed);
    m.note = c.note;
    learn::save_model(c.model_path, m);
    std::cout << "wrote an untrained model " << c.model_path << " (" << m.net.size() << " parameters)\n";
    return 0;
  }
  if (c.time_limit_s <= 0 && c.cpu_limit_s <= 0 && c.max_steps <= 0)
    throw Error("give a budget: --time-limit, --cpu-time-limit or --steps");

  search::install_stop_signal_handlers();
  c.stop = &search::stop_flag();
  const bool tty = isatty(STDERR_FILENO);
  c.log = [](const std::string& line) { std::cerr << line << '\n'; };
  c.status = [tty](const std::string& line) {
    if (tty) std::cerr << '\r' << line << "\x1b[K" << std::flush;
    else std::cerr << line << '\n';
  };
  c.log("command: " + command);
  const learn::TrainResult r = learn::train(c);
  if (tty) std::cerr << '\n';
  std::ostringstream done;
  done << "done: " << r.steps << " steps, " << r.games << " self-play games in " << r.wall_s << " s (" << r.cpu_s
       << " CPU s); best ranks";
  for (const auto& [s, rank] : r.best_rank) done << ' ' << s.str() << ':' << rank;
  done << (r.interrupted ? " (interrupted; model saved)" : "");
  std::cout << done.str() << '\n';
  return 0;
}

}  // namespace fmm::cli
