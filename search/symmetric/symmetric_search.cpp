#include "search/symmetric/symmetric_search.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "search/flip/flip_search.hpp"  // describe
#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"  // walker_seed, splitmix64
#include "search/lift/lift.hpp"
#include "search/run/checkpoint.hpp"
#include "search/run/results.hpp"  // save_result
#include "search/run/thread_pool.hpp"
#include "search/run/walk_run.hpp"
#include "search/symmetric/orbit_bank.hpp"
#include "search/symmetric/symmetric_lift.hpp"
#include "search/symmetric/symmetric_run.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

namespace fmm::search {
namespace {

using Clock = std::chrono::steady_clock;

// Checkpoints, reports and the MPI exchange carry the expanded scheme (fixed terms, then each
// orbit's images in order); decompose_symmetric gives back the same orbits and representatives,
// so a walker rebuilt from it continues exactly.
std::vector<PackedTerm> pack(const SymmetricScheme& s) {
  std::vector<PackedTerm> out;
  for (const auto& t : gf2_terms(expand_symmetric(s))) {
    PackedTerm p;
    for (int k = 0; k < 3; ++k) p.p[k][0] = t.f[k];  // symmetric formats fit one word (n <= 8)
    out.push_back(p);
  }
  return out;
}

Scheme unpack_scheme(int n, const std::vector<PackedTerm>& terms) {
  std::vector<FlipTerm<Gf2>> ts;
  for (const PackedTerm& p : terms) {
    FlipTerm<Gf2> t;
    for (int k = 0; k < 3; ++k) t.f[k] = p.p[k][0];
    ts.push_back(t);
  }
  return to_scheme(Shape{n, n, n}, ts);
}

SymmetricScheme unpack(int n, int order, const std::vector<PackedTerm>& terms) {
  return decompose_symmetric(unpack_scheme(n, terms), order);
}

// The restart policy as the start line states it ("" for the paper's: every run from the start).
std::string restart_policy_text(const SymmetricRestart& r) {
  if (!r.from_best) return "";
  return r.at_most ? ", next runs from the pool's best once it is at most " + std::to_string(r.at_most)
                   : ", next runs from the pool's best";
}

template <int G>
class SymRun : SymmetricRun {
 public:
  SymRun(const SearchConfig& cfg, Pool& pool, Progress& progress, EpochExchange& exchange)
      : SymmetricRun(cfg, pool, progress, exchange, G) {}

  SearchOutcome go();

 private:
  void take_round(const EpochRound& round);
};

template <int G>
void SymRun<G>::take_round(const EpochRound& round) {
  for (const WalkerReport& r : round.reports)
    on_new_scheme(unpack_scheme(cfg_.shape.n, r.terms), "symmetric walker " + std::to_string(r.walker_id),
                  r.found_at_s);
}

template <int G>
SearchOutcome SymRun<G>::go() {
  const Shape shape = cfg_.shape;
  const int n = shape.n;
  const SymmetricScheme start = symmetric_start(cfg_);
  const SymmetricWalkParams params = symmetric_walk_params(cfg_, start.rank());
  const SymmetricRestart restart = parse_symmetric_restart(cfg_.symmetric_restart);
  const std::string policy = policy_words(params, cfg_.symmetric_restart);  // checkpoints record it
  // Room for every scheme a walker may hold: the start, pool schemes of lower rank, plus
  // transitions up to the limit.
  const int max_rank = std::max(start.rank(), std::min(params.plus_limit, n * n * n + 64)) + 2 * G;

  const int walkers_total = std::max(1, cfg_.walkers);
  std::vector<int> ids;
  for (int id = cfg_.walker_offset; id < walkers_total; id += std::max(1, cfg_.walker_stride)) ids.push_back(id);
  if (ids.empty()) throw Error("no walker ids for offset " + std::to_string(cfg_.walker_offset));
  const int W = static_cast<int>(ids.size());
  exchange_.begin(walkers_total, cfg_.walker_offset, std::max(1, cfg_.walker_stride), max_rank);
  // The move budget split exactly over all walkers (of all processes): walker `id` may make
  // max_flips / walkers_total moves, one more for the first max_flips mod walkers_total ids, so
  // many walkers never overshoot a small budget.
  const auto share = [&](int i) -> std::uint64_t {
    const auto id = static_cast<std::uint64_t>(ids[static_cast<std::size_t>(i)]);
    const auto total = static_cast<std::uint64_t>(walkers_total);
    return cfg_.max_flips / total + (id < cfg_.max_flips % total ? 1 : 0);
  };

  progress_.log("symmetric flip search (Moosbauer-Poole, group order " + std::to_string(G) + "): " + shape.str() +
                " start rank " + describe_sym(start) + ", plus transition after " + std::to_string(params.plus_after) +
                " moves without a reduction up to rank " + std::to_string(params.plus_limit) + ", " +
                run_patience_text(params.plateau_limit, params.give_up_rank, params.give_up_moves) + restart_policy_text(restart) +
                "; seed " + std::to_string(cfg_.seed) +
                ", walkers " + std::to_string(walkers_total) + ", threads " + std::to_string(cfg_.threads));

  std::vector<SymmetricWalker<G>> walkers;
  walkers.reserve(W);
  std::uint64_t epochs = 0;
  if (cfg_.resume) {
    Checkpoint cp = load_checkpoint(cfg_.checkpoint_path);
    if (!cp.orbit_walker_states.empty())
      throw Error("checkpoint '" + cfg_.checkpoint_path +
                  "' holds a symmetric walker bank's walkers: resume it with --backend gpu or gpu-emulated");
    const bool layout_free = cfg_.walker_stride != 1 || cp.config.find(" mpi-ranks ") != std::string::npos;
    if (!(cp.shape == shape) || cp.field != Field::GF2 || cp.seed != cfg_.seed || (cp.walkers != W && !layout_free) ||
        cp.config.find(" symmetric-order " + std::to_string(G)) == std::string::npos)
      throw Error("checkpoint '" + cfg_.checkpoint_path + "' is for " + cp.shape.str() + " over " + to_string(cp.field) +
                  ", seed " + std::to_string(cp.seed) + ", " + std::to_string(cp.walkers) + " walkers (" + cp.config +
                  "); this run asks for a symmetric walk (order " + std::to_string(G) + ") of " + shape.str() +
                  " over GF2, seed " + std::to_string(cfg_.seed) + ", " + std::to_string(W) + " walkers");
    note_policy_change(cp.config, policy);
    elapsed_offset_ = cp.elapsed_s;
    epochs = cp.epochs;
    for (const PoolEntry& e : cp.pool) pool_.offer(e.scheme, e.found_by, e.elapsed_s);
    const bool exact = !layout_free && cp.walker_states.size() == static_cast<std::size_t>(W);
    if (!exact) take_round(EpochRound{cp.reports_in_flight, false});
    for (int i = 0; i < W && !exact; ++i) {
      // Another layout: the walkers start over from the pool's best (symmetric) schemes.
      auto pick = pool_.pick_best(Field::GF2, static_cast<std::uint64_t>(ids[i]));
      SymmetricScheme from = start;
      if (pick && is_invariant(*pick, G)) from = decompose_symmetric(*pick, G);
      walkers.emplace_back(from, max_rank, walker_seed(cfg_.seed, static_cast<std::uint64_t>(ids[i])));
      walkers.back().restart_point = start;
    }
    for (int i = 0; i < W && exact; ++i) {
      const WalkerState& ws = cp.walker_states[static_cast<std::size_t>(i)];
      walkers.emplace_back(unpack(n, G, ws.current), max_rank, ws.rng);
      SymmetricWalker<G>& w = walkers.back();
      w.restart_point = start;
      w.best = unpack(n, G, ws.best);
      restore_counters(w, ws);
      w.runs = ws.returns_to_best;
      w.run_start = w.flips;  // the run in progress began before the checkpoint: its trace is partial
      w.run_start_known = false;
    }
    if (exact) exchange_.restore(cp.reports_in_flight);
    progress_.log(resumed_line(cp.elapsed_s, cp.flips, "moves"));
  } else {
    for (int i = 0; i < W; ++i)
      walkers.emplace_back(start, max_rank, walker_seed(cfg_.seed, static_cast<std::uint64_t>(ids[i])));
    on_new_scheme(expand_symmetric(start), "start", 0);
  }

  auto total_moves = [&] {
    std::uint64_t f = 0;
    for (const auto& w : walkers) f += w.flips;
    return f;
  };
  auto budget_spent = [&] {
    if (!cfg_.max_flips) return false;
    for (int i = 0; i < W; ++i)
      if (walkers[static_cast<std::size_t>(i)].flips < share(i)) return false;
    return true;
  };
  auto checkpoint = [&] {
    if (cfg_.checkpoint_path.empty()) return;
    Checkpoint cp =
        checkpoint_header(Field::GF2, W, describe(cfg_) + " symmetric-order " + std::to_string(G) + policy,
                          total_moves(), epochs);
    for (const auto& w : walkers) {
      WalkerState ws = walker_counters(w, w.runs);
      ws.current = pack(w.graph.scheme());
      ws.best = pack(w.best);
      cp.walker_states.push_back(std::move(ws));
    }
    write_checkpoint(cp);
  };

  ThreadPool threads(cfg_.threads);
  const auto deadline = this->deadline();
  auto last_checkpoint = Clock::now();
  UpdatePacer pacer(total_moves());
  const bool has_target = cfg_.target_rank.has_value();
  auto pool_best = [&] { return pool_.best_rank(Field::GF2); };
  while (true) {
    // With --lift (target_needs_z) a run with a target goes on until the target rank also holds
    // over Z (some GF2 schemes of that rank do not lift; the walkers hand in others), or its
    // time runs out.
    const auto best_now = pool_best(), z_now = pool_.best_rank(Field::Z);
    const bool target_done = has_target && best_now && *best_now <= *cfg_.target_rank &&
                             (!cfg_.target_needs_z || (z_now && *z_now <= *cfg_.target_rank));
    const bool want_stop = target_done || stop_flag().load() || Clock::now() >= deadline || budget_spent();
    if (!want_stop) {
      // restart "best": the next run of each walker starts from a scheme of the pool's best
      // GF2 rank (the same choice in every process: the pools agree, the pick is by walker id
      // and epoch).
      if (restart.from_best && (restart.at_most == 0 || (best_now && *best_now <= restart.at_most))) {
        const auto picks = pool_.best(Field::GF2);
        std::vector<SymmetricScheme> candidates;
        for (const PoolEntry& e : picks)
          if (e.scheme.rank() < start.rank() && is_invariant(e.scheme, G)) candidates.push_back(decompose_symmetric(e.scheme, G));
        for (int i = 0; i < W && !candidates.empty(); ++i) {
          std::uint64_t h = static_cast<std::uint64_t>(ids[static_cast<std::size_t>(i)]) * 0x9E3779B97F4A7C15ULL + epochs;
          walkers[static_cast<std::size_t>(i)].restart_point = candidates[splitmix64(h) % candidates.size()];
        }
      }
      std::atomic<bool> target_hit{false};
      threads.run(W, [&](int i) {
        std::uint64_t budget = cfg_.epoch_flips;
        if (cfg_.max_flips) budget = std::min(budget, share(i) - std::min(share(i), walkers[i].flips));
        if (budget == 0) return;
        walkers[i].run(budget, params, &stop_flag(), deadline, &target_hit);
      });
      ++epochs;
    }
    // Runs that ended in this epoch, one log line each (walker order): rank and moves at every
    // new best of the run, then the run's length. Nominal (moves, not time), so the lines are
    // the same for a seed whatever the threads.
    for (int i = 0; i < W; ++i) {
      SymmetricWalker<G>& w = walkers[static_cast<std::size_t>(i)];
      for (const auto& run : w.finished)
        progress_.log(run_ended_line(ids[static_cast<std::size_t>(i)], run.bests.empty() ? -1 : run.bests.back().first,
                                     run.moves, run.partial, run.bests));
      w.finished.clear();
    }
    // This epoch's new bests, in walker order: only those that reach the pool's best rank
    // (each walker's run starts over from the start, so most of its run-bests are behind).
    const auto gf2_best = pool_best(), z_best = pool_.best_rank(Field::Z);
    const bool want_variants = cfg_.lift && gf2_best && (!z_best || *z_best > *gf2_best);
    std::vector<WalkerReport> reports;
    for (int i = 0; i < W; ++i) {
      SymmetricWalker<G>& w = walkers[static_cast<std::size_t>(i)];
      if (w.improved) {
        w.improved = false;
        if (gf2_best && w.best_rank > *gf2_best) continue;
        const double found_at = elapsed_offset_ + std::chrono::duration<double>(w.best_at - start_).count();
        reports.push_back(WalkerReport{ids[static_cast<std::size_t>(i)], std::max(0.0, found_at), pack(w.best)});
      } else if (want_variants && w.graph.rank() == *gf2_best) {
        reports.push_back(WalkerReport{ids[static_cast<std::size_t>(i)], elapsed(), pack(w.graph.scheme())});
      }
    }
    const EpochRound round = exchange_.exchange(std::move(reports), want_stop);
    take_round(round);
    if (round.stop) break;
    ProgressStats st;
    st.elapsed_s = elapsed();
    st.best_rank_gf2 = pool_best();
    st.best_rank_z = pool_.best_rank(Field::Z);
    st.walkers = walkers_total;
    pacer.maybe_update(progress_, st, total_moves());
    const auto now = Clock::now();
    if (!cfg_.checkpoint_path.empty() &&
        std::chrono::duration<double>(now - last_checkpoint).count() >= cfg_.checkpoint_every_s) {
      checkpoint();
      last_checkpoint = now;
    }
  }
  take_round(exchange_.drain());
  checkpoint();
  SearchOutcome outcome;
  outcome.interrupted = stop_flag().load();
  outcome.write_failures = write_failures_;
  outcome.best_rank_gf2 = pool_best();
  outcome.best_rank_z = pool_.best_rank(Field::Z);
  outcome.flips = total_moves();
  outcome.seconds = elapsed();
  if (has_target) outcome.target_reached = outcome.best_rank_gf2 && *outcome.best_rank_gf2 <= *cfg_.target_rank;
  std::uint64_t plus = 0, runs = 0;
  std::vector<std::uint64_t> hist(512, 0);
  for (const auto& w : walkers) {
    plus += w.plus_transitions, runs += w.runs;
    for (std::size_t r = 0; r < hist.size(); ++r) hist[r] += w.run_bests[r];
  }
  std::map<int, std::uint64_t> ended;
  for (std::size_t r = 0; r < hist.size(); ++r)
    if (hist[r]) ended[static_cast<int>(r)] = hist[r];
  // How long runs waited for their new bests near the run's best rank: moves since the run's
  // previous best, per rank reached (count, median, 90th percentile, max): the evidence for
  // restart_after (a run ends restart_after moves after its last new best).
  {
    std::map<int, std::vector<std::uint64_t>> gaps;
    for (const auto& w : walkers)
      for (const auto& [rank, gap] : w.improvements) gaps[rank].push_back(gap);
    std::string text;
    const int lowest = gaps.empty() ? 0 : gaps.begin()->first;
    for (auto& [rank, g] : gaps) {
      if (rank > lowest + 9) break;
      std::sort(g.begin(), g.end());
      text += " " + std::to_string(rank) + ":" + std::to_string(g.size()) + "/" + std::to_string(g[g.size() / 2]) + "/" +
              std::to_string(g[g.size() * 9 / 10]) + "/" + std::to_string(g.back());
    }
    if (!text.empty()) progress_.log("new bests of runs (rank:count/median/p90/max moves since the run's previous best):" + text);
  }
  progress_.log(summary_line(outcome.flips, plus, runs, ended, " in this process since its start or resume"));
  return outcome;
}

// The paper's code's schedules, in term flips (its unit): PLUS_TRANSITION_AFTER and FLIP_LIMIT
// from its input files r5-93-1.txt (n = 5) and r6-153-1.txt (n = 6) and its suggested settings
// for n = 2..4 (MatrixMult22.py, runmanager()).
struct AnchorSchedule {
  std::uint64_t plus_after_flips, flip_limit;
};

AnchorSchedule anchor_schedule(int n) {
  switch (n) {
    case 1:
    case 2: return {0, 10'000};
    case 3: return {1'000, 300'000};
    case 4: return {3'000, 3'000'000};
    case 5: return {50'000, 100'000'000};
    default: return {500'000, 1'000'000'000};
  }
}

}  // namespace

SymmetricRestart parse_symmetric_restart(const std::string& text) {
  if (text == "start") return {};
  if (text == "best") return {true, 0};
  if (text.rfind("best:", 0) == 0) {
    const std::string_view rank_text = std::string_view(text).substr(5);
    int rank = 0;
    const auto [end, ec] = std::from_chars(rank_text.data(), rank_text.data() + rank_text.size(), rank);
    if (ec == std::errc() && end == rank_text.data() + rank_text.size() && rank >= 1) return {true, rank};
    throw Error("--restart-from best:RANK takes a rank >= 1, not '" + text + "'");
  }
  throw Error("--restart-from must be start, best or best:RANK, not '" + text + "'");
}

SymmetricWalkParams symmetric_walk_params(const SearchConfig& cfg, int start_rank) {
  const int n = cfg.shape.n;
  const int G = cfg.symmetry_order;
  const AnchorSchedule a = anchor_schedule(n);
  SymmetricWalkParams p;
  p.plus_after = cfg.plateau_limit ? cfg.plateau_limit : a.plus_after_flips / static_cast<std::uint64_t>(G);
  p.plateau_limit = cfg.restart_after ? cfg.restart_after : a.flip_limit / static_cast<std::uint64_t>(G);
  p.give_up_rank = cfg.give_up_rank;
  p.give_up_moves = cfg.give_up_moves;
  // The code's PLUS_TRANSITION_LIMIT is a rank, the same for every run of a case file: 0 (= the
  // rank of its cube start) for n <= 5, n^3 for its <6,6,6> file; its driver rounds it down to a
  // rank the walk can hold (the start rank plus or minus a multiple of |G|: 213 from the cube
  // start, 213 too from a saved 165). A walk from --from keeps that ceiling: with the start's
  // own rank as the ceiling, a walk from a 165 can make no plus transition at all, and one that
  // can reached 153 in under a second where the capped walk found nothing in 60 s
  // (results/search/symmetric.md, "Walks from a saved scheme").
  const int ceiling =
      n >= 6 ? n * n * n
             : (cfg.start ? diagonal_cubes_start(n, G, default_cube_groups(n)).rank() : start_rank);
  const int limit = ceiling - (((ceiling - start_rank) % G) + G) % G;
  p.plus_limit = cfg.plus_limit > 0 ? cfg.plus_limit : limit;
  p.target_rank = cfg.target_rank.value_or(0);
  return p;
}

SymmetricScheme symmetric_start(const SearchConfig& cfg) {
  const Shape& s = cfg.shape;
  if (s.n != s.m || s.m != s.p) throw Error("the symmetric flip walk needs a square format <n,n,n>; got " + s.str());
  if (cfg.start) {
    if (!(cfg.start->shape() == s)) throw Error("the start scheme is " + cfg.start->shape().str() + ", not " + s.str());
    return decompose_symmetric(*cfg.start, cfg.symmetry_order);
  }
  const auto groups =
      cfg.symmetric_cubes.empty() ? default_cube_groups(s.n) : parse_cube_groups(s.n, cfg.symmetric_cubes);
  return diagonal_cubes_start(s.n, cfg.symmetry_order, groups);
}

SearchOutcome run_symmetric_flip(const SearchConfig& config, Pool& pool, Progress& progress, EpochExchange* exchange) {
  if (config.field != Field::GF2) throw Error("the symmetric flip walk runs over GF2 only");
  if (config.resume && config.checkpoint_path.empty()) throw Error("--resume needs --checkpoint FILE");
  if (config.backend != "cpu") {
    const std::string b = "--backend " + config.backend + " --symmetric";
    if (config.backend != "gpu" && config.backend != "gpu-emulated")
      throw Error("--backend must be cpu, gpu or gpu-emulated, not '" + config.backend + "'");
    if (exchange || config.walker_stride != 1) throw Error(b + " runs in one process (no MPI)");
    if (parse_symmetric_restart(config.symmetric_restart).from_best)
      throw Error(b + " starts every run from the start (no --restart-from best)");
    auto backend = config.backend == "gpu" ? make_gpu_orbit_backend() : make_emulated_orbit_backend(config.threads);
    return run_symmetric_bank(config, pool, progress, *backend);
  }
  LocalExchange local;
  EpochExchange& ex = exchange ? *exchange : local;
  switch (config.symmetry_order) {
    case 3: return SymRun<3>(config, pool, progress, ex).go();
    case 6: return SymRun<6>(config, pool, progress, ex).go();
    default: break;
  }
  throw Error("the symmetry group must have order 3 or 6; got " + std::to_string(config.symmetry_order));
}

}  // namespace fmm::search
