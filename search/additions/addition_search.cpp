#include "search/additions/addition_search.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>

#include "search/additions/addition_cost.hpp"
#include "search/lift/lift.hpp"
#include "search/run/thread_pool.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

namespace fmm::search::additions {

namespace {

// How many of the walk's best schemes are kept, and re-scored with codegen's own elimination.
constexpr std::size_t kCandidates = 32;
constexpr std::size_t kFinalScored = 8;
// Per walker and epoch, at most this many schemes are handed to the pool.
constexpr std::size_t kFoundPerEpoch = 8;

struct Candidate {
  int cost = 0;  // walk cost
  std::uint64_t fingerprint = 0;
  WalkScheme scheme;
};

struct Walker {
  Rng rng{0};
  WalkScheme cur, next;  // next: the proposal, a reused buffer
  PassCosts cost;
  int best = 0;
  std::vector<int> history;
  std::uint64_t steps = 0, since_improvement = 0;
  std::vector<Candidate> found;
};

// Merges `c` into the sorted candidate list (by cost, then arrival), without duplicates.
void offer(std::vector<Candidate>& pool, Candidate c) {
  for (const Candidate& p : pool)
    if (p.fingerprint == c.fingerprint) return;
  auto at = std::upper_bound(pool.begin(), pool.end(), c.cost, [](int cost, const Candidate& p) { return cost < p.cost; });
  pool.insert(at, std::move(c));
  if (pool.size() > kCandidates) pool.pop_back();
}

int max_abs(const WalkScheme& s) {
  int m = 0;
  for (const WalkTerm& t : s.terms())
    for (const Factor& f : t.f)
      for (int x : f) m = std::max(m, x < 0 ? -x : x);
  return m;
}

std::uint64_t splitmix(std::uint64_t seed, std::uint64_t id) {
  Rng r{seed ^ (id * 0xD6E8FEB86659FD93ULL)};
  r.next();
  return r.next();
}

std::string counts_text(const codegen::AdditionCounts& c) {
  return std::to_string(c.cse) + " (naive " + std::to_string(c.plain) + ")";
}

}  // namespace

AdditionSearchResult run_addition_search(const AdditionSearchConfig& config, Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  if (config.max_steps == 0 && config.time_limit_s <= 0)
    throw Error("the additions search needs a budget: --time-limit or --max-steps");
  if (config.threads < 1) throw Error("--threads must be at least 1");
  if (config.history < 1 || config.epoch_steps < 1) throw Error("history and epoch length must be at least 1");

  AdditionSearchResult result;
  Scheme start = config.start;
  // Generated code runs over the reals: a scheme that holds only modulo 2 is lifted to Z first.
  if (start.field() == Field::GF2 && !verify(start, Field::Q)) {
    require_verified(start, "the start scheme");
    LiftOptions lo;
    lo.seed = config.seed;
    LiftResult lifted = lift_scheme(start, lo);
    result.lift_report = lifted.report;
    progress.log("lift: " + lifted.report);
    if (!lifted.scheme) throw Error("the start scheme holds only over GF(2) and could not be lifted to Z or Q: " + lifted.report);
    start = *lifted.scheme;
  } else if (start.field() == Field::GF2) {
    start.set_field(coefficient_field(start));
  }
  require_verified(start, "the start scheme");

  // The walk's coefficient bound: the user's, or the start's own largest coefficient if higher.
  WalkScheme origin(start, 1 << 20);
  const int bound = std::max(config.max_coefficient, max_abs(origin));
  if (bound > config.max_coefficient)
    progress.log("the start has coefficients up to " + std::to_string(bound) + "; the walk keeps that bound");
  origin = WalkScheme(origin.to_scheme(), bound);
  result.start = start;
  result.start_counts = codegen_additions(start);
  progress.log("start: " + start.shape().str() + " rank " + std::to_string(start.rank()) + ", additions " +
               counts_text(result.start_counts));

  const codegen::ReduceOptions walk_cse{.runs = config.walk_runs, .seed = 1, .work_limit = 0};
  const int walkers = config.walkers > 0 ? config.walkers : 4 * config.threads;
  std::vector<Walker> ws(static_cast<std::size_t>(walkers));
  const PassCosts origin_cost = evaluate(origin, walk_cse);
  std::vector<Candidate> pool;
  offer(pool, {origin_cost.total(), origin.fingerprint(), origin});
  for (int i = 0; i < walkers; ++i) {
    Walker& w = ws[static_cast<std::size_t>(i)];
    w.rng = Rng{splitmix(config.seed, static_cast<std::uint64_t>(i))};
    w.cur = origin;
    w.cost = origin_cost;
    w.best = origin_cost.total();
    w.history.assign(static_cast<std::size_t>(config.history), w.best);
  }

  ThreadPool threads(config.threads);
  stop_flag().store(false);
  UpdatePacer pacer(0);
  int reported = pool.front().cost;
  progress.log("walk cost (greedy CSE) of the start: " + std::to_string(reported));
  for (std::uint64_t epoch = 0;; ++epoch) {
    const std::uint64_t done = epoch * config.epoch_steps;
    if (config.max_steps && done >= config.max_steps) break;
    if (config.time_limit_s > 0 && elapsed() >= config.time_limit_s) break;
    if (stop_flag().load(std::memory_order_relaxed)) {
      result.interrupted = true;
      break;
    }
    const std::uint64_t steps = config.max_steps ? std::min(config.epoch_steps, config.max_steps - done) : config.epoch_steps;
    threads.run(walkers, [&](int id) {
      Walker& w = ws[static_cast<std::size_t>(id)];
      w.found.clear();
      for (std::uint64_t s = 0; s < steps; ++s) {
        ++w.steps;
        WalkScheme& next = w.next;
        next = w.cur;  // copy-assignment reuses next's buffers
        const double r = w.rng.unit();
        PassMask changed = 0;
        if (r < config.basis_rate) changed = next.random_basis_move(w.rng);
        else if (r < config.basis_rate + config.symmetry_rate) changed = next.random_symmetry(w.rng);
        else changed = next.random_flip(w.rng);
        // Some schemes have no flip at all (Strassen's and Laderman's share no factor between
        // two products): a change of basis is what moves them.
        if (!changed) changed = next.random_basis_move(w.rng);
        if (!changed) continue;
        const PassCosts cost = evaluate(next, walk_cse, changed, w.cost);
        int& slot = w.history[w.steps % w.history.size()];
        if (cost.total() <= w.cost.total() || cost.total() <= slot) {
          std::swap(w.cur, next);
          w.cost = cost;
        }
        slot = w.cost.total();
        if (w.cost.total() < w.best) {
          w.best = w.cost.total();
          w.since_improvement = 0;
          if (w.found.size() >= kFoundPerEpoch) w.found.erase(w.found.begin());
          w.found.push_back({w.best, w.cur.fingerprint(), w.cur});
        } else {
          ++w.since_improvement;
        }
      }
    });
    // Pool in walker order, then restart the walkers that stalled from the best.
    for (Walker& w : ws)
      for (Candidate& c : w.found) offer(pool, std::move(c));
    const Candidate& best = pool.front();
    if (best.cost < reported) {
      reported = best.cost;
      std::ostringstream line;
      line << "walk cost " << best.cost << " (rank " << best.scheme.rank() << ") after " << elapsed() << " s";
      progress.log(line.str());
    }
    for (Walker& w : ws) {
      if (w.since_improvement < config.restart_after) continue;
      // Restart from one of the best few (not always the best: the walkers would all crowd one
      // basin), kicked by a few unscored flips.
      w.cur = pool[static_cast<std::size_t>(w.rng.below(std::min<std::size_t>(pool.size(), 4)))].scheme;
      for (int k = 0; k < config.kick_flips; ++k)
        if (!w.cur.random_flip(w.rng)) w.cur.random_basis_move(w.rng);
      w.cost = evaluate(w.cur, walk_cse);
      w.best = w.cost.total();
      std::fill(w.history.begin(), w.history.end(), w.best);
      w.since_improvement = 0;
    }
    std::uint64_t total = 0;
    for (const Walker& w : ws) total += w.steps;
    ProgressStats stats;
    stats.elapsed_s = elapsed();
    stats.best_rank_z = best.scheme.rank();
    stats.walkers = walkers;
    pacer.maybe_update(progress, stats, total);
  }
  for (const Walker& w : ws) result.steps += w.steps;

  // The real count: codegen's own elimination on the best few candidates (and the start).
  result.best = start;
  result.best_counts = result.start_counts;
  for (std::size_t c = 0; c < pool.size() && c < kFinalScored; ++c) {
    Scheme s = pool[c].scheme.to_scheme(Field::Z);
    s.set_source("fmm search --objective additions");
    if (!verify(s, Field::Z)) continue;  // cannot happen (the moves keep the tensor); never hand it out
    const codegen::AdditionCounts counts = codegen_additions(s);
    if (counts.cse < result.best_counts.cse) {
      result.best = s;
      result.best_counts = counts;
    }
  }
  result.seconds = elapsed();
  if (!config.out_dir.empty() && result.best_counts.cse < result.start_counts.cse) {
    Scheme out = result.best;
    std::ostringstream source;
    source << "fmm search --objective additions: additions " << result.best_counts.cse << " after CSE (naive "
           << result.best_counts.plain << "), from " << result.start_counts.cse << " (naive " << result.start_counts.plain
           << ") of " << (start.source().empty() ? std::string("the start") : start.source()) << "; seed " << config.seed
           << ", " << result.steps << " moves in " << result.seconds << " s; command: " << config.command_line;
    out.set_source(source.str());
    std::filesystem::create_directories(config.out_dir);
    const Shape& sh = out.shape();
    result.written = (std::filesystem::path(config.out_dir) /
                      (std::to_string(sh.n) + "x" + std::to_string(sh.m) + "x" + std::to_string(sh.p) + "_r" +
                       std::to_string(out.rank()) + "_add" + std::to_string(result.best_counts.cse) + "_z.txt"))
                         .string();
    write_scheme_file(result.written, out, Format::Native);  // verifies before writing
    result.best = out;
  }
  return result;
}

}  // namespace fmm::search::additions
