// fmm search --shape NxMxP [--field gf2|z] [--method flip|mcts|auto] ...   (flip-graph search)
// fmm search bench [--small] [--expect SIGNATURE]                          (deterministic bench)
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "search/meta/best_start.hpp"
#include "search/run/bench.hpp"
#include "search/flip/bank_walk.hpp"
#include "search/flip/flip_search.hpp"
#ifdef FMM_HAVE_MPI
#include <filesystem>

#include "search/run/mpi_exchange.hpp"  // [mpi] walkers spread over MPI ranks
#endif
#include "search/game/game_search.hpp"
#include "search/symmetric/symmetric_search.hpp"
#include "search/run/pool.hpp"
#include "search/run/progress.hpp"
#include "search/run/thread_pool.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/io/safe_write.hpp"

namespace fmm::cli {
namespace {

int cmd_search_bench(int argc, char** argv) {
  po::options_description opts("fmm search bench options");
  bool small = false, latency = false;
  std::string expect;
  opts.add_options()("small", po::bool_switch(&small), "short budgets (one twentieth), as the CTest check runs it")(
      "expect", po::value(&expect)->default_value(""), "exit 1 unless the signature equals this (hex)")(
      "latency", po::bool_switch(&latency), "instead: <3,3,3> 27 -> 23 over GF2, one walker, seeds 1..10, CPU time");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_options(argc, argv, "fmm search bench [--small] [--expect SIGNATURE] [--latency]", opts, pos, vm))
    return 0;
  if (latency) {
    search::run_latency_bench(std::cout, {3, 3, 3}, 23, 10);
    return 0;
  }
  search::BenchResult r = search::run_bench(search::bench_cases(small ? 20 : 1));
  search::print_bench(std::cout, r);
  if (!expect.empty()) {
    std::ostringstream hex;
    hex << std::hex << r.signature;
    std::string got = hex.str();
    while (got.size() < 16) got = "0" + got;
    if (got != expect) {
      std::cerr << "fmm search bench: signature " << got << " differs from the expected " << expect << '\n';
      return 1;
    }
  }
  return 0;
}

// Names the pool's best schemes over `field` (order-free): equal signatures, equal schemes. The
// way to check that runs of one seed, walker count and flip budget agree across thread and
// MPI rank counts.
std::string best_schemes_signature(const search::Pool& pool, Field field) {
  std::vector<std::uint64_t> prints;
  for (const search::PoolEntry& e : pool.best(field)) prints.push_back(e.fingerprint);
  std::sort(prints.begin(), prints.end());
  std::uint64_t h = 0x243F6A8885A308D3ULL;
  for (std::uint64_t f : prints) h = (h ^ f) * 0x100000001B3ULL;
  std::ostringstream hex;
  hex << std::hex << h;
  return hex.str();
}

// --random-starts KMIN-KMAX, or K for KMIN = KMAX (the range is checked by run_flip_search).
search::SearchConfig::RandomStarts parse_random_starts(const std::string& text) {
  const auto number = [&](std::string_view part) {
    int value = -1;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || end != part.data() + part.size() || part.empty())
      throw Error("--random-starts takes KMIN-KMAX or K (dense terms, 0..4096), not '" + text + "'");
    return value;
  };
  const std::string_view all(text);
  const auto dash = all.find('-');
  search::SearchConfig::RandomStarts r;
  r.kmin = number(all.substr(0, dash));
  r.kmax = dash == std::string_view::npos ? r.kmin : number(all.substr(dash + 1));
  return r;
}

}  // namespace

int cmd_search(int argc, char** argv) {
  if (argc >= 2 && !std::strcmp(argv[1], "bench")) return cmd_search_bench(argc - 1, argv + 1);
  if (search_objective_is_additions(argc, argv)) return cmd_search_additions(argc, argv);
#ifdef FMM_HAVE_MPI
  // [mpi] Initialised only under mpirun/srun; a plain `fmm search` never touches MPI.
  search::MpiSession mpi(nullptr, nullptr);
#endif
  po::options_description opts("fmm search options");
  std::string shape_text, field_name, method_name, from, out_dir, checkpoint, objective, reductions, give_up;
  int target = 0, threads = 1, walkers = 0;
  Seconds time_limit{0}, checkpoint_every{60};
  Count seed{1}, max_flips{0}, plateau{0}, epoch_flips{1u << 20}, descent{0}, drift{0};
  double focus = 0;
  int plus_slack = 4;  // 4 took <4,4,4> to 49 on 5 of 5 seeds in 30 s (2 did on 2 of 5): results/search/run_444.sh
  bool resume = false, lift = false, symmetric = false, plus_from_start = false;
  int symmetry = 3, plus_limit = 0;
  std::string cubes, restart_from, backend, random_starts;
  Count restart_after{0};
  bool bare = false;
  std::string model_path, candidates;
  int simulations_per_move = 0, policy_samples = 32;
  opts.add_options()("objective", po::value(&objective)->default_value("rank"),
                     "rank (lowest rank), or additions (fewest additions at the rank of --from; see --objective additions --help)")(
      "shape", po::value(&shape_text)->required(), "format NxMxP, each dimension 1..16")(
      "field", po::value(&field_name)->default_value("gf2"), "gf2, or z (coefficients kept in {-1,0,1})")(
      "method", po::value(&method_name)->default_value("auto"), "flip, mcts (tensor game tree search) or auto (= flip)")(
      "target-rank", po::value(&target)->default_value(0), "stop when this rank is reached (0 = no target)")(
      "threads", po::value(&threads)->default_value(1), "OpenMP threads, 1..1024 (results do not depend on it)")(
      "backend", po::value(&backend)->default_value("cpu"),
      ("where the flip walk runs: cpu, gpu (tens of thousands of walkers on the GPU; needs "
       "libfmm_gpu_walk.so next to fmm, built where CUDA was found) or gpu-emulated (the GPU's walk on "
       "--threads CPU threads); gpu and gpu-emulated: --field gf2 or z, formats with nm, mp, np <= 64, at most " +
       std::to_string(search::bank::max_capacity(search::bank::Domain::Gf2)) + " terms a walker over gf2 and " +
       std::to_string(search::bank::max_capacity(search::bank::Domain::Ternary)) +
       " over z (start rank + --plus-slack + 2), plain plateau policy, no checkpoints; with --symmetric: "
       "gpu (one warp a walker) or gpu-emulated (the same code on CPU threads; checkpoints of either resume on either)")
          .c_str())(
      "walkers", po::value(&walkers)->default_value(0),
      ("independent walkers, at most " + std::to_string(search::kMaxWalkers) +
       " (0 = 4 per thread; with --backend gpu, as many as the GPU holds at once)").c_str())(
      "time-limit", po::value(&time_limit)->default_value(time_limit),
      "seconds of search in all (0 = none); a --resume'd search counts the checkpoint's seconds too")(
      "max-flips", po::value(&max_flips)->default_value(max_flips),
      "flip budget over all walkers, split exactly between them (0 = none; --backend gpu and gpu-emulated count "
      "steps, a step being a flip or 8 draws that found none)")(
      "seed", po::value(&seed)->default_value(seed), "random seed; walker i uses splitmix64(seed, i)")(
      "from", po::value(&from)->default_value(""),
      "start scheme file or builtin name (default: standard algorithm; random:NxMxP:K:SEED for a random start); it must "
      "hold over --field; of another "
      "format: projected, extended or permuted to --shape")(
      "random-starts", po::value(&random_starts)->default_value(""),
      "KMIN-KMAX (or K): every walker starts from a random start of its own (random:NxMxP:K:SEED, K drawn "
      "in KMIN..KMAX) and from a fresh one after --restart-after flips without a new best of its own (0 = auto: "
      "2000 plateaus); --field gf2, no --from; the way to <4,4,4> rank 47 (results/search/random_starts/)")(
      "out", po::value(&out_dir)->default_value(""),
      "directory for found schemes, checked writable at the start: NxMxP_rR_gf2.txt / _z.txt, or "
      "NxMxP_rR_gf2_2.txt ... when another run holds that name (files are never replaced). Without --out "
      "the best schemes are printed to stdout at the end")(
      "checkpoint", po::value(&checkpoint)->default_value(""),
      "checkpoint file, checked writable at the start and rewritten atomically")(
      "checkpoint-every", po::value(&checkpoint_every)->default_value(checkpoint_every),
      "seconds between checkpoints; the first one comes after 5 s (or this, if shorter)")(
      "resume", po::bool_switch(&resume), "continue from --checkpoint (every scheme in it is verified first)")(
      "lift", po::bool_switch(&lift), "Hensel-lift each new best GF2 scheme to Z (or Q) and save it too (--field z: nothing to lift)")(
      "symmetric", po::bool_switch(&symmetric), "walk only schemes invariant under the cyclic symmetry of <n,n,n> (Moosbauer-Poole 2025; GF2, square formats)")(
      "symmetry", po::value(&symmetry)->default_value(3), "with --symmetric: group order 3 (cyclic) or 6 (cyclic x reversal of rows and columns)")(
      "cubes", po::value(&cubes)->default_value(""), "with --symmetric and no --from: diagonal cube groups, e.g. 10001,01010,00100, or 'standard' (default: the paper's for n)")(
      "restart-after", po::value(&restart_after)->default_value(restart_after), "with --symmetric: moves without a new best before a walker starts a new run; with --random-starts: flips "
      "without a new best before a walker takes a new random start (0 = auto)")(
      "give-up-above", po::value(&give_up)->default_value(""),
      "with --symmetric: RANK:MOVES, a run whose best is still above RANK ends after MOVES moves without a new best "
      "(default: every run waits --restart-after; e.g. 183:20800000 for <6,6,6>, results/search/symmetric.md)")(
      "plus-limit", po::value(&plus_limit)->default_value(0),
      "with --symmetric: highest rank a plus transition may reach (0 = auto: the paper's ceiling, n^3 for n >= 6 "
      "and the cube start's rank for n <= 5, also from --from)")(
      "restart-from", po::value(&restart_from)->default_value("start"), "with --symmetric: where a walker's next run starts: start, best (a scheme of the pool's best rank) or best:RANK (the pool's best once it is at most RANK, the start before)")(
      "plateau", po::value(&plateau)->default_value(plateau), "flips without progress before a plus transition (0 = auto)")(
      "plus-slack", po::value(&plus_slack)->default_value(4), "how far above its best rank a walker may climb, 0..64")(
      "plus-from-start", po::bool_switch(&plus_from_start),
      "plus transitions before the first reduction; always on with --from (such starts are usually reduced "
      "already: results/search/policies_345.md)")(
      "descent", po::value(&descent)->default_value(descent), "first plateau of the descent phase (short walks from the best, lengthened when stuck; 0 = none; default 1000 from the standard algorithm, 0 with --from or --drift)")(
      "drift", po::value(&drift)->default_value(drift), "flips without a reduction before a plus transition, up to --plus-slack above the best; --plateau then means flips without a new best before a return to it (0 = off)")(
      "focus", po::value(&focus)->default_value(0), "chance (0..1) that a flip involves a term the previous flip changed")(
      "reductions", po::value(&reductions)->default_value("pairs"), "pairs (terms sharing two factors merge) or general (GF2: any terms sharing a factor whose others are dependent)")(
      "epoch-flips", po::value(&epoch_flips)->default_value(epoch_flips), "flips per walker between synchronisations (>= 1)")(
      "model", po::value(&model_path)->default_value(""), "mcts: a trained network (fmm train) proposes moves and values leaves")(
      "candidates", po::value(&candidates)->default_value(""), "mcts: where moves come from: heuristics, net or both (default: net with --model, else heuristics)")(
      "bare", po::bool_switch(&bare), "mcts: switch off the known-sub-scheme (Strassen blocks) and flip-walk heuristics")(
      "simulations", po::value(&simulations_per_move)->default_value(0), "mcts: simulations per committed move (0 = automatic)")(
      "samples", po::value(&policy_samples)->default_value(32), "mcts: moves sampled from the network per tree node");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm search --shape NxMxP [--field gf2|z] [--method flip|mcts|auto] [--target-rank R]\n"
                     "                  [--threads N] [--walkers W] [--time-limit S] [--max-flips F] [--seed S]\n"
                     "                  [--from FILE | --random-starts KMIN-KMAX] [--out DIR] [--checkpoint FILE] [--checkpoint-every S] [--resume]\n"
                     "                  [--lift] [--symmetric] [--plateau L] [--plus-slack K] [--epoch-flips E]\n"
                     "       fmm search bench [--small] [--expect SIGNATURE] [--latency]",
                     opts, pos, vm))
    return 0;

  if (objective != "rank") throw Error("--objective must be rank or additions, not '" + objective + "'");
  search::SearchConfig cfg;
  cfg.shape = parse_shape(shape_text);
  auto field = parse_field(field_name);
  if (!field || *field == Field::Q) throw Error("--field must be gf2 or z, not '" + field_name + "'");
  cfg.field = *field;
  auto method = search::parse_method(method_name);
  if (!method) throw Error("--method must be flip, mcts or auto, not '" + method_name + "'");
  cfg.method = *method;
  if (target < 0) throw Error("--target-rank must be >= 0");
  if (target > 0) cfg.target_rank = target;
  if (threads < 1 || threads > 1024) throw Error("--threads must be between 1 and 1024");
  cfg.threads = threads;
  if (walkers < 0 || walkers > search::kMaxWalkers)
    throw Error("--walkers must be between 0 (4 per thread) and " + std::to_string(search::kMaxWalkers));
  cfg.backend = backend;
  // --backend gpu without --walkers: as many walkers as the GPU holds at once (0 = ask it).
  cfg.walkers = walkers > 0 ? walkers : backend == "gpu" ? 0 : std::min(4 * threads, search::kMaxWalkers);
  cfg.time_limit_s = time_limit.value;
  cfg.max_flips = max_flips.value;
  cfg.seed = seed.value;
  if (!from.empty()) {
    // The start must hold over the field walked on: a GF(2)-only scheme cannot start a walk
    // over Z (it would walk an invalid scheme for the whole budget).
    try {
      cfg.start = read_one_scheme(from, cfg.field);
    } catch (const VerificationError& e) {
      throw Error(std::string("--from: ") + e.what());
    }
  }
  // A start of another format: projected, extended or permuted to this one (search/meta).
  if (cfg.start && !(cfg.start->shape() == cfg.shape))
    cfg.start = search::meta::start_from(*cfg.start, cfg.shape,
                                         cfg.field == Field::GF2 ? search::RankRing::GF2 : search::RankRing::ZT)
                    .scheme;
  cfg.out_dir = out_dir;
  cfg.checkpoint_path = checkpoint;
  if (checkpoint_every.value <= 0) throw Error("--checkpoint-every must be > 0");
  cfg.checkpoint_every_s = checkpoint_every.value;
  cfg.resume = resume;
  if (resume && checkpoint.empty()) throw Error("--resume needs --checkpoint FILE");
  cfg.lift = lift;
  cfg.symmetric = symmetric;
  if (backend != "cpu" && cfg.method == search::Method::Mcts)
    throw Error("--backend " + backend + " runs the flip walks (plain or --symmetric), not --method mcts");
  if (symmetric && (cfg.shape.n != cfg.shape.m || cfg.shape.m != cfg.shape.p))
    throw Error("--symmetric needs a square format <n,n,n>");
  if (symmetric && cfg.field != Field::GF2) throw Error("--symmetric walks over GF2 only (use --field gf2)");
  if (symmetry != 3 && symmetry != 6) throw Error("--symmetry must be 3 or 6");
  if (!symmetric && (vm["symmetry"].defaulted() + vm["cubes"].defaulted() + vm["plus-limit"].defaulted() +
                     vm["restart-from"].defaulted() + vm["give-up-above"].defaulted()) != 5)
    throw Error("--symmetry, --cubes, --plus-limit, --restart-from and --give-up-above need --symmetric");
  if (!give_up.empty()) {
    // RANK:MOVES, both positive integers.
    const auto colon = give_up.find(':');
    const std::string rank_text = give_up.substr(0, colon), moves_text = colon == std::string::npos ? "" : give_up.substr(colon + 1);
    auto digits = [](const std::string& t) { return !t.empty() && t.size() <= 18 && t.find_first_not_of("0123456789") == std::string::npos; };
    if (!digits(rank_text) || !digits(moves_text) || rank_text.size() > 6 || std::stoll(moves_text) == 0)
      throw Error("--give-up-above takes RANK:MOVES (e.g. 183:20800000), not '" + give_up + "'");
    cfg.give_up_rank = std::stoi(rank_text);
    cfg.give_up_moves = std::stoull(moves_text);
  }
  if (!random_starts.empty()) {
    if (symmetric || cfg.method == search::Method::Mcts) throw Error("--random-starts belongs to the plain flip walk");
    cfg.random_starts = parse_random_starts(random_starts);
  }
  if (!symmetric && !cfg.random_starts && !vm["restart-after"].defaulted())
    throw Error("--restart-after needs --symmetric or --random-starts");
  search::parse_symmetric_restart(restart_from);  // bad values exit 2 before anything starts
  cfg.symmetric_restart = restart_from;
  if (!cubes.empty() && cfg.start) throw Error("--cubes and --from exclude each other");
  if (plus_limit < 0) throw Error("--plus-limit must be >= 0");
  cfg.symmetry_order = symmetry;
  cfg.target_needs_z = symmetric && lift;  // a symmetric run with --lift ends once the target holds over Z
  cfg.symmetric_cubes = cubes;
  cfg.restart_after = restart_after.value;
  cfg.plus_limit = plus_limit;
  cfg.plateau_limit = plateau.value;
  if (plus_slack < 0 || plus_slack > 64) throw Error("--plus-slack must be between 0 and 64");
  cfg.plus_slack = plus_slack;
  // A --from start gets plus transitions from the start: with the start's rank as the bar a walk
  // from a reduced start (a block sum) could make none until it reduced (<3,4,5>: 49 -> 47 only
  // with them, results/search/policies_345.md).
  cfg.plus_from_start = plus_from_start || !from.empty() || cfg.random_starts;
  if (reductions != "pairs" && reductions != "general") throw Error("--reductions must be pairs or general, not '" + reductions + "'");
  cfg.general_reductions = reductions == "general";
  if (!(focus >= 0 && focus <= 1)) throw Error("--focus must be between 0 and 1");
  cfg.focus = focus;
  cfg.descent_limit = descent.value;
  // From the standard algorithm the walk first needs many short descents: with plus transitions
  // right after its first reduction it leaves the sparse region where reductions are common and
  // often stalls a few below the start (<2,5,6>: 59 on 3 of 3 seeds in 15 s; with a descent
  // phase of 1000 flips 56, 51, 57; better on 7 of 8 formats, results/search/descent_default/).
  // Reduced starts (--from) and the drift policy keep their own schedules.
  if (vm["descent"].defaulted() && from.empty() && !cfg.random_starts && drift.value == 0 && !symmetric && backend == "cpu")
    cfg.descent_limit = 1000;
  cfg.drift_after = drift.value;
  if (cfg.drift_after && cfg.descent_limit) throw Error("--drift and --descent are two plateau policies: use one");
  if (epoch_flips.value < 1) throw Error("--epoch-flips must be >= 1");
  cfg.epoch_flips = epoch_flips.value;
  cfg.command_line = command_line(argc, argv);
  if ((!model_path.empty() || !candidates.empty() || bare || simulations_per_move) && cfg.method != search::Method::Mcts)
    throw Error("--model, --candidates, --bare and --simulations belong to --method mcts");
  if (simulations_per_move < 0 || policy_samples < 1) throw Error("--simulations must be >= 0 and --samples >= 1");
  cfg.model_path = model_path;
  cfg.candidates = candidates;
  cfg.bare = bare;
  cfg.simulations_per_move = simulations_per_move;
  cfg.policy_samples = policy_samples;

  search::ConsoleProgress console(isatty(STDERR_FILENO), cfg.shape);
  search::Progress* progress_ptr = &console;
  search::Pool pool;
  int ranks = 1;
#ifdef FMM_HAVE_MPI
  // [mpi] Rank k of K runs walkers k, k+K, ...; every rank's pool sees the same schemes, only
  // rank 0 writes results, checkpoints and lifts.
  std::optional<search::MpiProgress> mpi_progress;
  std::optional<search::MpiEpochExchange> mpi_exchange;
  if (mpi.active()) {
    ranks = mpi.size();
    if (walkers == 0) cfg.walkers = std::min(4 * threads * ranks, search::kMaxWalkers);
    if (cfg.walkers < ranks) throw Error("--walkers must be at least the number of MPI ranks");
    if (ranks > 1 && cfg.method == search::Method::Mcts) throw Error("--method mcts does not run under MPI");
    cfg.walker_offset = mpi.rank();
    cfg.walker_stride = ranks;
    if (mpi.rank() != 0) {
      cfg.out_dir.clear();
      cfg.checkpoint_path.clear();
      cfg.resume = false;
      cfg.lift = false;
    }
    mpi_progress.emplace(console, mpi);
    progress_ptr = &*mpi_progress;
    mpi_exchange.emplace(mpi, *mpi_progress);
  }
#endif
  // Fail now, not at the first save an hour into the run.
  if (!cfg.out_dir.empty()) check_writable_directory(cfg.out_dir);
  if (!cfg.checkpoint_path.empty()) check_writable_file(cfg.checkpoint_path);
  search::Progress& progress = *progress_ptr;
  progress.log(search::describe(cfg) + " ranks " + std::to_string(ranks));
  progress.log("command: " + cfg.command_line);
  search::install_stop_signal_handlers();
  search::SearchOutcome outcome;
#ifdef FMM_HAVE_MPI
  try {
#endif
  if (cfg.method == search::Method::Mcts) {
#ifdef FMM_HAVE_MCTS
    outcome = search::run_mcts(cfg, pool, progress);
#else
    std::cerr << "fmm search: --method mcts is not available in this build (the tensor-game search does not "
                 "provide run_mcts yet); use --method flip\n";
    return 2;
#endif
  } else if (cfg.symmetric) {
#ifdef FMM_HAVE_MPI
    outcome = search::run_symmetric_flip(cfg, pool, progress, mpi_exchange ? &*mpi_exchange : nullptr);
#else
    outcome = search::run_symmetric_flip(cfg, pool, progress);
#endif
  } else {
#ifdef FMM_HAVE_MPI
    outcome = search::run_flip_search(cfg, pool, progress, mpi_exchange ? &*mpi_exchange : nullptr);
#else
    outcome = search::run_flip_search(cfg, pool, progress);
#endif
  }
#ifdef FMM_HAVE_MPI
  } catch (const std::exception& e) {
    if (!mpi.active() || mpi.size() == 1) throw;
    std::cerr << "fmm search (mpi rank " << mpi.rank() << "): " << e.what() << '\n';
    mpi.abort(2);
  }
  if (mpi_exchange) {
    progress.log("exchange: " + std::to_string(mpi_exchange->rounds()) + " rounds, " +
                 std::to_string(mpi_exchange->schemes_received()) + " schemes received from other ranks, " +
                 std::to_string(mpi_exchange->seconds_waiting()) + " s waiting");
    const std::uint64_t all_flips = mpi.sum(outcome.flips);
    progress.log("this rank: " + std::to_string(outcome.flips) + " flips in " + std::to_string(outcome.seconds) + " s");
    outcome.flips = all_flips;
  }
  const bool print_summary = !mpi.active() || mpi.rank() == 0;
#else
  const bool print_summary = true;
#endif
  auto rank_text = [](const std::optional<int>& r) { return r ? std::to_string(*r) : std::string("-"); };
  std::ostringstream summary;
  // "done: best rank gf2 93 (best known), z 95 (+2); ...": measured against known_ranks.hpp.
  summary << "done: best rank gf2 " << rank_text(outcome.best_rank_gf2)
          << search::rank_versus_known(cfg.shape, search::RankRing::GF2, outcome.best_rank_gf2) << ", z "
          << rank_text(outcome.best_rank_z)
          << search::rank_versus_known(cfg.shape, search::RankRing::Z, outcome.best_rank_z) << "; best schemes "
          << best_schemes_signature(pool, cfg.field) << "; " << outcome.flips
          << (cfg.method == search::Method::Mcts ? " moves" : cfg.symmetric ? " orbit moves" : " flips") << " in "
          << outcome.seconds << " s"
          << (outcome.interrupted ? " (interrupted; checkpoint and results saved)" : "");
  progress.log(summary.str());
  if (print_summary) std::cout << summary.str() << '\n';
  // A scheme that was not written to a file is printed, so it is never lost.
  if (print_summary && (cfg.out_dir.empty() || outcome.write_failures > 0)) {
    std::cerr << "fmm search: "
              << (cfg.out_dir.empty() ? "no --out DIR given" : "some results could not be written (see above)")
              << ": the best scheme of each field follows on stdout\n";
    for (Field f : {Field::GF2, Field::Z, Field::Q}) {
      const auto best = pool.best(f);
      if (!best.empty()) std::cout << write_native(best.front().scheme);
    }
  }
  if (outcome.write_failures > 0) {
    std::cerr << "fmm search: " << outcome.write_failures << " result or checkpoint writes failed\n";
    return 2;
  }
  // Stopped by SIGINT or SIGTERM (results and checkpoint saved): the shell's 128 + signal.
  if (outcome.interrupted) return 128 + (search::stop_signal() ? search::stop_signal() : SIGTERM);
  if (cfg.target_rank && !outcome.target_reached) return 1;
  return 0;
}

}  // namespace fmm::cli
