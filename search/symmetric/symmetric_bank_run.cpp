// run_symmetric_bank: the symmetric flip search (symmetric_search.cpp's SymRun) with its walkers
// in an OrbitBank, walked an epoch at a time by an OrbitBankBackend (the host emulation now, the
// GPU), as flip_search.cpp's Run::go_bank does for the plain walk. Between epochs, in walker
// order: finished runs logged, new run bests at the pool's best rank offered to the pool
// (expanded, verified there), saved and lifted as SymRun does. Checkpoints hold every walker's
// boards and counters (checkpoint.hpp's OrbitWalkerState): a bank's runs outlast one sitting
// (a <6,6,6> run of the paper's schedule is ~250 M moves of one walker).
#include <algorithm>
#include <chrono>
#include <optional>
#include <tuple>
#include <vector>

#include "search/flip/flip_search.hpp"  // describe
#include "search/run/checkpoint.hpp"
#include "search/run/thread_pool.hpp"  // stop_flag
#include "search/symmetric/orbit_bank.hpp"
#include "search/symmetric/symmetric_run.hpp"
#include "search/symmetric/symmetric_search.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

namespace fmm::search {
namespace {

class SymBankRun : SymmetricRun {
 public:
  SymBankRun(const SearchConfig& cfg, Pool& pool, Progress& progress, EpochExchange& exchange)
      : SymmetricRun(cfg, pool, progress, exchange, cfg.symmetry_order) {}
  SearchOutcome go(OrbitBankBackend& backend);

 private:
  void restore(const Checkpoint& cp, OrbitBank& bank, std::uint64_t& epochs, const std::string& policy);
};

// The walkers, pool, clock and epochs of a checkpoint written by this kind of run: same format,
// seed, group order and walker count; every board verified before a walker takes it.
void SymBankRun::restore(const Checkpoint& cp, OrbitBank& bank, std::uint64_t& epochs, const std::string& policy) {
  const Shape shape = cfg_.shape;
  const std::string kind = " symmetric-order " + std::to_string(order_) + " walker-bank";
  if (!(cp.shape == shape) || cp.field != Field::GF2 || cp.seed != cfg_.seed || cp.walkers != bank.walkers() ||
      cp.config.find(kind) == std::string::npos || cp.orbit_walker_states.size() != static_cast<std::size_t>(cp.walkers))
    throw Error("checkpoint '" + cfg_.checkpoint_path + "' is for " + cp.shape.str() + " over " + to_string(cp.field) +
                ", seed " + std::to_string(cp.seed) + ", " + std::to_string(cp.walkers) + " walkers (" + cp.config +
                "); this run asks for a symmetric walker bank (order " + std::to_string(order_) + ") of " + shape.str() +
                " over GF2, seed " + std::to_string(cfg_.seed) + ", " + std::to_string(bank.walkers()) + " walkers");
  for (int w = 0; w < bank.walkers(); ++w) {
    const OrbitWalkerState& ws = cp.orbit_walker_states[static_cast<std::size_t>(w)];
    for (const auto& [board, fixed, orbits] : {std::tuple{"current", &ws.current_fixed, &ws.current_orbits},
                                               std::tuple{"best", &ws.best_fixed, &ws.best_orbits}}) {
      SymmetricScheme s;
      s.n = shape.n, s.order = order_, s.fixed = *fixed, s.orbits = *orbits;
      const VerifyResult v = verify(expand_symmetric(s), Field::GF2);
      if (!v)
        throw Error("checkpoint '" + cfg_.checkpoint_path + "': the " + board + " board of walker " + std::to_string(w) +
                    " is not a valid scheme: " + v.message());
    }
    bank.restore_walker(w, ws);
  }
  note_policy_change(cp.config, policy);
  elapsed_offset_ = cp.elapsed_s;
  epochs = cp.epochs;
  for (const PoolEntry& e : cp.pool) pool_.offer(e.scheme, e.found_by, e.elapsed_s);
  progress_.log(resumed_line(cp.elapsed_s, cp.flips, "moves"));
}

SearchOutcome SymBankRun::go(OrbitBankBackend& backend) {
  const int G = order_;
  const Shape shape = cfg_.shape;
  const int n = shape.n;
  const SymmetricScheme start = symmetric_start(cfg_);
  const SymmetricWalkParams sp = symmetric_walk_params(cfg_, start.rank());
  orbit_bank::WalkParams params;
  params.plus_after = sp.plus_after;
  params.plus_limit = sp.plus_limit;
  params.plateau_limit = sp.plateau_limit;
  params.give_up_rank = sp.give_up_rank;
  params.give_up_moves = sp.give_up_moves;
  params.target_rank = sp.target_rank;
  // Room as SymRun's walkers have it (the start, plus transitions up to the limit), in orbits:
  // a plus transition that finds no room does not happen, so the room only caps the climb.
  const int max_rank = std::max(start.rank(), std::min(params.plus_limit, n * n * n + 64)) + 2 * G;
  const int max_orbits = max_rank / G + 2;
  const int slots = orbit_bank::slots_for(max_orbits);
  if (slots == 0)
    throw Error("--backend " + cfg_.backend + " --symmetric holds at most " + std::to_string(32 * orbit_bank::kMaxSlots) +
                " orbits a walker; " + shape.str() + " under order " + std::to_string(G) + " up to rank " +
                std::to_string(max_rank) + " needs " + std::to_string(max_orbits) + " (lower --plus-limit)");
  // A resumed bank has the checkpoint's walkers (a default that depends on the GPU must not change them).
  std::optional<Checkpoint> resumed;
  if (cfg_.resume) resumed = load_checkpoint(cfg_.checkpoint_path);
  const int W = cfg_.walkers > 0 ? cfg_.walkers
                : resumed      ? resumed->walkers
                               : std::max(1, backend.default_walkers(G, slots));
  OrbitBank bank(start, slots, W, cfg_.seed, params);
  // The bank runs every run from the start (run_symmetric refuses --restart-from best for it).
  const std::string policy = policy_words(sp, cfg_.symmetric_restart);
  const std::string config_line = describe(cfg_) + " symmetric-order " + std::to_string(G) + " walker-bank" + policy;
  std::uint64_t epochs = 0;
  if (resumed) restore(*resumed, bank, epochs, policy);
  // --max-flips: orbit moves over all walkers, split exactly as SymRun splits them.
  if (cfg_.max_flips) {
    const auto total = static_cast<std::uint64_t>(W);
    for (int w = 0; w < W; ++w)
      bank.set_move_limit(w, cfg_.max_flips / total + (static_cast<std::uint64_t>(w) < cfg_.max_flips % total ? 1 : 0));
  }
  progress_.log("symmetric flip search (Moosbauer-Poole, group order " + std::to_string(G) + ") on a walker bank: " +
                shape.str() + " start rank " + describe_sym(start) + " (settled " + std::to_string(bank.start_rank()) +
                "), plus transition after " + std::to_string(params.plus_after) + " moves without a reduction up to rank " +
                std::to_string(params.plus_limit) + ", " +
                run_patience_text(params.plateau_limit, params.give_up_rank, params.give_up_moves) + "; seed " +
                std::to_string(cfg_.seed) + ", " + backend.describe() + ", " + std::to_string(W) + " walkers of " +
                std::to_string(32 * slots) + " orbits");
  if (!resumed) on_new_scheme(expand_symmetric(start), "start", 0);
  auto checkpoint = [&] {
    if (cfg_.checkpoint_path.empty()) return;
    Checkpoint cp = checkpoint_header(Field::GF2, W, config_line, bank.moves(), epochs);
    for (int w = 0; w < W; ++w) cp.orbit_walker_states.push_back(bank.save_walker(w));
    write_checkpoint(cp);
  };
  auto last_checkpoint = Clock::now();

  // At most this many schemes a round go to the pool (each is verified, and may be lifted).
  constexpr int kOffersPerRound = 256, kVariantsPerRound = 16;
  constexpr double kEpochSeconds = 2;
  const auto deadline = this->deadline();
  const bool has_target = cfg_.target_rank.has_value();
  UpdatePacer pacer(bank.moves());
  auto pool_best = [&] { return pool_.best_rank(Field::GF2); };
  auto budget_spent = [&] {
    if (!cfg_.max_flips) return false;
    for (int w = 0; w < W; ++w)
      if (bank.moves(w) < bank.view().move_limit[w]) return false;
    return true;
  };
  while (true) {
    // As SymRun: with --lift a target must also hold over Z.
    const auto best_now = pool_best(), z_now = pool_.best_rank(Field::Z);
    const bool target_done = has_target && best_now && *best_now <= *cfg_.target_rank &&
                             (!cfg_.target_needs_z || (z_now && *z_now <= *cfg_.target_rank));
    if (target_done || stop_flag().load() || Clock::now() >= deadline || budget_spent()) break;
    // Timed runs: epochs of at most kEpochSeconds; untimed ones are cut by moves only (the same
    // seed gives the same schemes).
    double seconds = 0;
    if (cfg_.time_limit_s > 0)
      seconds = std::clamp(std::chrono::duration<double>(deadline - Clock::now()).count(), 0.001, kEpochSeconds);
    backend.walk(bank.view(), cfg_.epoch_flips, seconds);
    bank.check();
    ++epochs;

    // Runs that ended in this epoch (no trajectory: the bank keeps each run's best and length).
    std::uint64_t lost = 0;
    for (const auto& r : bank.take_finished(&lost))
      progress_.log(run_ended_line(r.walker, r.best, r.moves, false));
    if (lost) progress_.log(std::to_string(lost) + " more runs ended in this epoch (not listed)");

    // New run bests at or below the pool's best rank, best first, then (with --lift while the
    // best GF2 rank has no Z scheme) schemes walkers sit on at that rank.
    const auto gf2_best = pool_best();
    std::vector<int> improved;
    std::vector<char> improved_now(static_cast<std::size_t>(W), 0);
    for (int w = 0; w < W; ++w)
      if (bank.take_improved(w)) {
        improved_now[static_cast<std::size_t>(w)] = 1;
        if (!gf2_best || bank.best_rank(w) <= *gf2_best) improved.push_back(w);
      }
    std::stable_sort(improved.begin(), improved.end(), [&](int a, int b) { return bank.best_rank(a) < bank.best_rank(b); });
    if (improved.size() > kOffersPerRound) improved.resize(kOffersPerRound);
    for (int w : improved)
      on_new_scheme(expand_symmetric(bank.best(w)), "symmetric bank walker " + std::to_string(w), elapsed());
    const auto best_after = pool_best(), z_best = pool_.best_rank(Field::Z);
    if (cfg_.lift && best_after && (!z_best || *z_best > *best_after)) {
      int handed = 0;
      for (int w = 0; w < W && handed < kVariantsPerRound; ++w)
        if (!improved_now[static_cast<std::size_t>(w)] && bank.rank(w) == *best_after) {
          on_new_scheme(expand_symmetric(bank.current(w)), "symmetric bank walker " + std::to_string(w), elapsed());
          ++handed;
        }
    }
    ProgressStats st;
    st.elapsed_s = elapsed();
    st.best_rank_gf2 = pool_best();
    st.best_rank_z = pool_.best_rank(Field::Z);
    st.walkers = W;
    pacer.maybe_update(progress_, st, bank.moves());
    const auto now = Clock::now();
    if (!cfg_.checkpoint_path.empty() &&
        std::chrono::duration<double>(now - last_checkpoint).count() >= cfg_.checkpoint_every_s) {
      checkpoint();
      last_checkpoint = now;
    }
  }
  checkpoint();
  SearchOutcome outcome;
  outcome.interrupted = stop_flag().load();
  outcome.write_failures = write_failures_;
  outcome.best_rank_gf2 = pool_best();
  outcome.best_rank_z = pool_.best_rank(Field::Z);
  outcome.flips = bank.moves();
  outcome.seconds = elapsed();
  if (has_target) outcome.target_reached = outcome.best_rank_gf2 && *outcome.best_rank_gf2 <= *cfg_.target_rank;
  progress_.log(summary_line(bank.moves(), bank.plus_transitions(), bank.runs(), bank.runs_by_best(),
                             " in " + std::to_string(epochs) + " epochs"));
  return outcome;
}

}  // namespace

SearchOutcome run_symmetric_bank(const SearchConfig& config, Pool& pool, Progress& progress,
                                 OrbitBankBackend& backend) {
  if (config.field != Field::GF2) throw Error("the symmetric flip walk runs over GF2 only");
  if (config.symmetry_order != 3 && config.symmetry_order != 6)
    throw Error("the symmetry group must have order 3 or 6; got " + std::to_string(config.symmetry_order));
  LocalExchange local;
  return SymBankRun(config, pool, progress, local).go(backend);
}

}  // namespace fmm::search
