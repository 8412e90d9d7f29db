// fmm search --objective additions --from SCHEME [--time-limit S] [--max-steps N] [--seed S] [--out DIR]
// (search/additions/addition_search.hpp: fewest additions at a given rank)
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "search/additions/addition_search.hpp"
#include "search/run/thread_pool.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm::cli {

bool search_objective_is_additions(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--objective") && i + 1 < argc) return !std::strcmp(argv[i + 1], "additions");
    if (!std::strcmp(argv[i], "--objective=additions")) return true;
  }
  return false;
}

int cmd_search_additions(int argc, char** argv) {
  po::options_description opts("fmm search --objective additions options");
  std::string objective, from, out_dir;
  search::additions::AdditionSearchConfig cfg;
  opts.add_options()("objective", po::value(&objective)->required(), "additions: fewest additions at the start's rank")(
      "from", po::value(&from)->required(), "start scheme file or builtin name (any field; GF2-only schemes are lifted to Z)")(
      "time-limit", po::value(&cfg.time_limit_s)->default_value(0), "seconds (0 = none; then --max-steps is needed)")(
      "max-steps", po::value(&cfg.max_steps)->default_value(0), "moves per walker (0 = none); with it the result does not depend on --threads")(
      "seed", po::value(&cfg.seed)->default_value(1), "random seed; walker i uses splitmix64(seed, i)")(
      "threads", po::value(&cfg.threads)->default_value(1), "threads (results do not depend on it under --max-steps)")(
      "walkers", po::value(&cfg.walkers)->default_value(0), "independent walkers (0 = 4 per thread)")(
      "max-coefficient", po::value(&cfg.max_coefficient)->default_value(1), "largest |coefficient| the walk may create (1: {-1,0,1})")(
      "basis-rate", po::value(&cfg.basis_rate)->default_value(0.03), "share of moves that are elementary changes of basis")(
      "history", po::value(&cfg.history)->default_value(64), "late-acceptance history length")(
      "walk-runs", po::value(&cfg.walk_runs)->default_value(0), "randomised CSE runs per step of the walk (0: greedy)")(
      "out", po::value(&out_dir)->default_value(""), "directory for the best scheme (NxMxP_rR_addA_z.txt), written when it improves on the start");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm search --objective additions --from SCHEME [--time-limit S | --max-steps N] [--seed S] "
                     "[--threads N] [--out DIR]\n\n"
                     "Walks the flip graph of SCHEME at fixed rank (flips and reductions, no plus transitions) and\n"
                     "its change-of-basis orbit, and minimises the additions codegen emits after its common-\n"
                     "subexpression elimination. Prints the counts before and after; the best scheme is verified\n"
                     "before it is written.",
                     opts, pos, vm))
    return 0;
  if (objective != "additions") throw Error("--objective must be 'additions' here, not '" + objective + "'");
  if (cfg.time_limit_s < 0) throw Error("--time-limit must be >= 0");
  if (cfg.time_limit_s == 0 && cfg.max_steps == 0) throw Error("give a budget: --time-limit S or --max-steps N");
  if (cfg.threads < 1 || cfg.threads > 1024) throw Error("--threads must be between 1 and 1024");
  if (cfg.walkers < 0) throw Error("--walkers must be >= 0");
  if (cfg.max_coefficient < 1 || cfg.max_coefficient > 64) throw Error("--max-coefficient must be between 1 and 64");
  if (cfg.basis_rate < 0 || cfg.basis_rate > 1) throw Error("--basis-rate must be between 0 and 1");
  if (cfg.history < 1 || cfg.history > 1000000) throw Error("--history must be between 1 and 1000000");
  if (cfg.walk_runs < 0 || cfg.walk_runs > 4096) throw Error("--walk-runs must be between 0 and 4096");
  cfg.start = read_one_scheme(from);
  cfg.out_dir = out_dir;
  cfg.command_line = command_line(argc, argv);

  search::ConsoleProgress console(isatty(STDERR_FILENO));
  console.log("command: " + cfg.command_line);
  search::install_stop_signal_handlers();
  const search::additions::AdditionSearchResult r = search::additions::run_addition_search(cfg, console);
  std::cout << "additions: " << r.start_counts.cse << " -> " << r.best_counts.cse << " after CSE (naive "
            << r.start_counts.plain << " -> " << r.best_counts.plain << "), rank " << r.start.rank() << " -> "
            << r.best.rank() << "; " << r.steps << " moves in " << r.seconds << " s"
            << (r.interrupted ? " (interrupted)" : "") << '\n';
  if (!r.written.empty()) std::cout << "wrote " << r.written << '\n';
  return 0;
}

}  // namespace fmm::cli
