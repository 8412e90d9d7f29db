#include "search/symmetric/symmetric_search.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>

#include "search/run/results.hpp"      // save_result
#include "search/flip/flip_walk.hpp"    // walker_seed, splitmix64
#include "search/symmetric/symmetric_walk.hpp"
#include "search/run/thread_pool.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

namespace fmm::search {

SearchOutcome run_symmetric_flip(const SearchConfig& cfg, Pool& pool, Progress& progress) {
  using Clock = std::chrono::steady_clock;
  const auto start_time = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start_time).count(); };
  if (cfg.field != Field::GF2) throw Error("the symmetric flip walk runs over GF2 only");
  const Shape shape = cfg.shape;
  const SymmetricScheme start = decompose_symmetric(cfg.start ? *cfg.start : standard_scheme(shape));
  const int W = std::max(1, cfg.walkers);

  SymmetricWalkParams params;
  params.plateau_limit = cfg.plateau_limit ? cfg.plateau_limit : 20000;
  // Ranks move by 2 and 3 here, so the slack counts orbits (3 ranks each), plus three orbits of
  // room: on <4,4,4> 15-21 ranks reached 49 within seconds, 6-12 often stalled at 50
  // (results/search/symmetric.md).
  params.plus_slack = 3 * std::max(cfg.plus_slack, 0) + 9;
  params.target_rank = cfg.target_rank.value_or(0);
  progress.log("symmetric flip search (cyclic Z3, Moosbauer-Poole): " + shape.str() + " start rank " +
               std::to_string(start.rank()) + " (" + std::to_string(start.fixed.size()) + " fixed + 3 x " +
               std::to_string(start.orbits.size()) + "), seed " + std::to_string(cfg.seed) + ", walkers " +
               std::to_string(W) + ", threads " + std::to_string(cfg.threads));

  // Every scheme leaves through here: expanded, verified, then offered (the pool verifies again).
  int run_best = start.rank();
  int write_failures = 0;
  std::vector<SymmetricScheme> bests{start};  // the run's best symmetric schemes, in the order found
  auto offer = [&](const SymmetricScheme& sym, const std::string& found_by, double at) {
    Scheme s = expand_symmetric(sym);
    const VerifyResult vr = verify(s, Field::GF2);
    if (!vr.ok) throw Error("symmetric walk produced an invalid scheme (" + found_by + "): " + vr.message());
    if (sym.rank() < run_best) {
      run_best = sym.rank();
      bests.clear();
    }
    if (sym.rank() == run_best && bests.size() < 16) bests.push_back(sym);
    const auto before = pool.best_rank(Field::GF2);
    if (!pool.offer(s, found_by, at)) return;
    if (before && s.rank() >= *before) return;
    progress.improved(s, found_by, at);
    if (found_by == "start" || cfg.out_dir.empty()) return;
    s.set_source("fmm search --symmetric: rank " + std::to_string(s.rank()) + " (" + std::to_string(sym.fixed.size()) +
                 " fixed + 3 x " + std::to_string(sym.orbits.size()) + ") field GF2 seed " + std::to_string(cfg.seed) +
                 " by " + found_by + "; command: " +
                 (cfg.command_line.empty() ? std::string("(library call)") : cfg.command_line));
    if (!save_result(cfg.out_dir, s, progress)) ++write_failures;  // verifies before writing
  };
  offer(start, "start", 0);

  std::vector<SymmetricWalker> walkers;
  walkers.reserve(W);
  for (int i = 0; i < W; ++i) walkers.emplace_back(start, walker_seed(cfg.seed, static_cast<std::uint64_t>(i)));
  const auto total_flips = [&] {
    std::uint64_t f = 0;
    for (const auto& w : walkers) f += w.flips;
    return f;
  };

  ThreadPool threads(cfg.threads);
  const auto deadline = cfg.time_limit_s > 0 ? start_time + std::chrono::duration_cast<Clock::duration>(
                                                                std::chrono::duration<double>(cfg.time_limit_s))
                                             : Clock::time_point::max();
  SearchOutcome outcome;
  UpdatePacer pacer(0);
  while (true) {
    if (cfg.target_rank && run_best <= *cfg.target_rank) break;
    if (stop_flag().load()) break;
    if (Clock::now() >= deadline) break;
    // The flip budget split exactly: walker i may make max_flips / W flips, one more for the
    // first max_flips mod W walkers (so many walkers never overshoot a small budget).
    const auto share = [&](int i) {
      return cfg.max_flips / W + (static_cast<std::uint64_t>(i) < cfg.max_flips % W ? 1 : 0);
    };
    if (cfg.max_flips) {
      bool spent = true;
      for (int i = 0; i < W && spent; ++i) spent = walkers[i].flips >= share(i);
      if (spent) break;
    }
    std::atomic<bool> target_hit{false};
    threads.run(W, [&](int i) {
      std::uint64_t budget = cfg.epoch_flips;
      if (cfg.max_flips) budget = std::min(budget, share(i) - std::min(share(i), walkers[i].flips));
      if (budget > 0) walkers[i].run(budget, params, &stop_flag(), deadline, &target_hit);
    });
    // Collect in walker order: the same sequence whatever the thread count.
    std::vector<char> improved_now(W, 0);
    for (int i = 0; i < W; ++i) {
      SymmetricWalker& w = walkers[i];
      if (!w.improved) continue;
      w.improved = false;
      improved_now[i] = 1;
      offer(w.best, "symmetric walker " + std::to_string(i),
            std::chrono::duration<double>(w.best_at - start_time).count());
    }
    for (int i = 0; i < W; ++i) {
      SymmetricWalker& w = walkers[i];
      if (w.best_rank <= run_best || improved_now[i]) continue;
      w.restart(bests[splitmix64(w.rng) % bests.size()]);
    }
    ProgressStats st;
    st.elapsed_s = elapsed();
    st.best_rank_gf2 = pool.best_rank(Field::GF2);
    st.walkers = W;
    pacer.maybe_update(progress, st, total_flips());
  }
  outcome.interrupted = stop_flag().load();
  outcome.write_failures = write_failures;
  outcome.best_rank_gf2 = run_best;
  outcome.flips = total_flips();
  outcome.seconds = elapsed();
  outcome.target_reached = cfg.target_rank && run_best <= *cfg.target_rank;
  return outcome;
}

}  // namespace fmm::search
