#include "search/flip/flip_search.hpp"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <type_traits>

#include "search/run/checkpoint.hpp"
#include "search/run/epoch_exchange.hpp"
#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"
#include "search/flip/walker_bank.hpp"
#include "search/lift/lift.hpp"
#include "search/run/thread_pool.hpp"
#include "search/run/walk_run.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/random_start.hpp"
#include "tensor/transform.hpp"

namespace fmm::search {
namespace {

using Clock = std::chrono::steady_clock;

template <class M>
PackedTerm::Mask pack_mask(const M& m) {
  PackedTerm::Mask out{};
  for (int i = 0; i < kMaskWords<M>; ++i) out[i] = mask_word(m, i);
  return out;
}

template <class M>
M unpack_mask(const PackedTerm::Mask& m) {
  M out{};
  for (int i = 0; i < kMaskWords<M>; ++i) mask_word(out, i) = m[i];
  return out;
}

template <class C>
PackedTerm pack(const FlipTerm<C>& t) {
  PackedTerm out;
  for (int k = 0; k < 3; ++k) {
    if constexpr (C::kSigned) {
      out.p[k] = pack_mask(t.f[k].p);
      out.n[k] = pack_mask(t.f[k].n);
    } else {
      out.p[k] = pack_mask(t.f[k]);
    }
  }
  out.sign = t.sign;
  return out;
}

template <class C>
FlipTerm<C> unpack(const PackedTerm& t) {
  using M = std::remove_cvref_t<decltype(FlipTerm<C>{}.f[0])>;
  FlipTerm<C> out;
  for (int k = 0; k < 3; ++k) {
    if constexpr (C::kSigned) {
      using P = decltype(M{}.p);
      out.f[k] = M{unpack_mask<P>(t.p[k]), unpack_mask<P>(t.n[k])};
    } else {
      out.f[k] = unpack_mask<M>(t.p[k]);
    }
  }
  out.sign = t.sign;
  return out;
}

template <class C>
std::vector<PackedTerm> pack_all(const std::vector<FlipTerm<C>>& ts) {
  std::vector<PackedTerm> out;
  for (const auto& t : ts) out.push_back(pack(t));
  return out;
}

template <class C>
std::vector<FlipTerm<C>> unpack_all(const std::vector<PackedTerm>& ts) {
  std::vector<FlipTerm<C>> out;
  for (const auto& t : ts) out.push_back(unpack<C>(t));
  return out;
}

template <class C>
std::vector<FlipTerm<C>> terms_from(const Scheme& s) {
  return flip_terms<C>(s);
}


// The dense elimination of a Hensel lift of `s` in word operations (search/lift/lift.cpp).
double lift_work_estimate(const Scheme& s) {
  const Shape sh = s.shape();
  const double eqs = static_cast<double>(sh.a_size()) * sh.b_size() * sh.c_size();
  const double unknowns = static_cast<double>(s.rank()) * (sh.a_size() + sh.b_size() + sh.c_size());
  return eqs * unknowns * (unknowns + eqs) / 64;
}

// Default plateau limit: long enough to explore a rank level, short enough to leave it soon
// (Kauers-Moosbauer use path lengths growing with the format; these were tuned on <3,3,3>
// and <4,4,4> with `fmm search`, see results/search/README.md).
std::uint64_t auto_plateau_limit(const Shape& s) {
  // 300 nmp: 8100 for <3,3,3> (median 27 -> 23 in ~3 ms over 60 seeds; 2000..16000 all within
  // noise), 19200 for <4,4,4> (better than 60000 and 200000 in 60-s runs to rank 49).
  const long nmp = s.classical_rank();
  return static_cast<std::uint64_t>(std::clamp<long>(nmp * 300, 5000, 2'000'000));
}

// Heap bytes held by what make() returns (glibc's counters; 0 where they are not kept, e.g.
// under AddressSanitizer, which then skips the check below).
template <class Make>
std::size_t heap_bytes_of(Make make) {
  const auto held = [] {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
  };
  const std::size_t before = held();
  const auto probe = make();
  const std::size_t after = held();
  return after > before ? after - before : 0;
}

void require_walker_memory(int walkers, std::size_t per_walker) {
  const double physical = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
  const double need = static_cast<double>(per_walker) * walkers;
  if (per_walker == 0 || physical <= 0 || need <= 0.75 * physical) return;
  const long fit = static_cast<long>(0.75 * physical / static_cast<double>(per_walker));
  throw Error(std::to_string(walkers) + " walkers need about " + fixed_digits(need / 1e9, 1) + " GB (" +
              fixed_digits(static_cast<double>(per_walker) / 1e6, 2) + " MB each), more than 3/4 of this machine's " +
              fixed_digits(physical / 1e9, 1) + " GB: use --walkers " + std::to_string(std::max(1L, fit)) + " or fewer");
}

class Run : WalkRun {
 public:
  Run(const SearchConfig& cfg, Pool& pool, Progress& progress, EpochExchange& exchange)
      : WalkRun(cfg, pool, progress, exchange) {}

  template <class C>
  SearchOutcome go();
  // The walk of a WalkerBank (C = Gf2 or Ternary: one-word factors) on the GPU or its host emulation.
  template <class C>
  SearchOutcome go_bank(BankBackend& backend);

 private:
  // The run's start: --from, or the standard algorithm of the shape.
  Scheme start_scheme() const;
  // The progress line's figures for W walkers (the pacer adds the flips).
  ProgressStats stats(int walkers) const;
  // What the run reports at its end, with the target read over `field`.
  SearchOutcome outcome_of(Field field, std::uint64_t flips) const;
  void save_result(const Scheme& s, const std::string& found_by, double elapsed);
  void on_new_scheme(Scheme s, const std::string& found_by, double elapsed);
  template <class C>
  void take_round(const EpochRound& round);

  static constexpr int kMaxLiftAttemptsPerRank = 1024, kNeighbourLiftAttempts = 4;
  std::map<int, int> lift_attempts_;
  static constexpr double kLiftShare = 0.25;
  static constexpr double kBankLiftSeconds = 3;
  bool bank_run_ = false;  // go_bank: the walkers wait while on_new_scheme lifts
  double lift_work_ = 0;            // estimated word operations spent lifting (lift_work_estimate)
  std::uint64_t flips_done_ = 0;    // epochs so far times the flips all walkers make in one
  std::set<std::uint64_t> lifted_;  // fingerprints of the GF2 schemes handed to the lift
};

Scheme Run::start_scheme() const {
  Scheme start = cfg_.start ? *cfg_.start : standard_scheme(cfg_.shape);
  if (!(start.shape() == cfg_.shape))
    throw Error("the start scheme is " + start.shape().str() + ", not " + cfg_.shape.str());
  return start;
}

ProgressStats Run::stats(int walkers) const {
  ProgressStats st;
  st.elapsed_s = elapsed();
  st.best_rank_gf2 = pool_.best_rank(Field::GF2);
  st.best_rank_z = pool_.best_rank(Field::Z);
  st.walkers = walkers;
  return st;
}

SearchOutcome Run::outcome_of(Field field, std::uint64_t flips) const {
  SearchOutcome outcome;
  if (stop_flag().load()) outcome.interrupted = true;
  outcome.write_failures = write_failures_;
  outcome.best_rank_gf2 = pool_.best_rank(Field::GF2);
  outcome.best_rank_z = pool_.best_rank(Field::Z);
  outcome.flips = flips;
  outcome.seconds = elapsed();
  if (cfg_.target_rank) {
    // The target is a rank over the field walked on (GF2 ranks with --lift too).
    auto b = field == Field::GF2 ? outcome.best_rank_gf2 : outcome.best_rank_z;
    outcome.target_reached = b && *b <= *cfg_.target_rank;
  }
  return outcome;
}

void Run::save_result(const Scheme& s, const std::string& found_by, double elapsed) {
  write_result(s, "fmm search: rank " + std::to_string(s.rank()) + " field " + to_string(s.field()) +
                      result_provenance(found_by, elapsed));
}

void Run::on_new_scheme(Scheme s, const std::string& found_by, double elapsed) {
  // A verified scheme of a full rank bucket is not kept, but may still be lifted (below).
  const auto offered = offer(s, found_by, elapsed);
  if (!offered) return;
  const auto before = offered->best_before;
  const bool new_best = offered->new_best;
  if (found_by == "start") return;  // the start scheme is not a result
  if (new_best) save_result(s, found_by, elapsed);
  // Lift every new GF2 scheme of the best rank until one of that rank lifts: some GF2 schemes
  // do not lift (Kauers-Moosbauer 2023), another of the same rank often does.
  if (cfg_.lift && s.field() == Field::GF2 && (new_best || s.rank() == *before)) {
    const auto z_best = pool_.best_rank(Field::Z);
    int& attempts = lift_attempts_[s.rank()];
    if ((z_best && *z_best <= s.rank()) || attempts >= kMaxLiftAttemptsPerRank) return;
    // The lift runs between epochs, while the walkers wait: past the first attempt at a rank,
    // keep its work under about a quarter of the walk's (a <5,5,5> lift takes seconds, not
    // milliseconds). Counted in estimated word operations, not seconds, so that a run does
    // not depend on timing: 1.3e10 of them take about a second, as do 2e7 flips.
    const double flips_done = static_cast<double>(flips_done_);
    if (attempts > 0 && lift_work_ > kLiftShare * 650 * flips_done) return;
    if (!lifted_.insert(Pool::fingerprint(s)).second) return;  // tried already (not kept by a full pool)
    ++attempts;
    // The first attempts at a rank also walk to flip neighbours of the scheme; later ones (the
    // walkers keep handing in other schemes of that rank) try the scheme alone, which costs
    // tens of milliseconds instead of seconds, so many more schemes get tried.
    LiftOptions options;
    if (attempts > kNeighbourLiftAttempts) options.neighbours = 0;
    // Never past the run's time limit: the first lift at a rank walks to flip neighbours, which
    // took 82 s on a <6,7,7> rank-217 scheme, longer than a campaign's slice. Not under MPI,
    // where every process lifts and must reach the same result.
    if (cfg_.time_limit_s > 0 && cfg_.walker_stride == 1) options.deadline = deadline();
    // A bank's walkers (the GPU) wait while the host lifts: a timed bank run gives one lift at
    // most kBankLiftSeconds or a quarter of the time walked so far. Without the cap, the first
    // lift of a <4,7,8> rank-164 GF(2) scheme (Hensel on thousands of unknowns, 8 paths) held the
    // GPU 58 s of a 60-s run (results/search/gpu_walk/README.md, call 5). Untimed runs keep
    // the run's own limit only, so that a seed still gives the same schemes.
    if (bank_run_ && options.deadline) {
      const auto cap = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(std::max(kBankLiftSeconds, kLiftShare * elapsed)));
      options.deadline = std::min(*options.deadline, cap);
    }
    LiftResult lr = lift_scheme(s, options);
    lift_work_ += lift_work_estimate(s) * (options.neighbours > 0 ? 8 : 1);
    progress_.log("lift of a rank-" + std::to_string(s.rank()) + " scheme from " + found_by + ": " + lr.report);
    if (lr.scheme) on_new_scheme(*lr.scheme, "Hensel lift of " + found_by, elapsed);
  }
}

// Every process's new bests of one epoch, in walker-id order: the pool (which verifies) sees
// the same sequence whatever the thread and rank counts.
template <class C>
void Run::take_round(const EpochRound& round) {
  for (const WalkerReport& r : round.reports)
    on_new_scheme(flip_scheme<C>(cfg_.shape, unpack_all<C>(r.terms)), "flip walker " + std::to_string(r.walker_id),
                  r.found_at_s);
}

template <class C>
SearchOutcome Run::go() {
  const Field field = C::kSigned ? Field::Z : Field::GF2;
  const Shape shape = cfg_.shape;
  const Scheme start = start_scheme();
  const std::vector<FlipTerm<C>> start_terms = terms_from<C>(start);
  // [mpi] The walker ids this process runs (all of them unless the run is spread over MPI ranks).
  const int walkers_total = std::max(1, cfg_.walkers);
  std::vector<int> ids;
  for (int id = cfg_.walker_offset; id < walkers_total; id += std::max(1, cfg_.walker_stride)) ids.push_back(id);
  if (ids.empty()) throw Error("no walker ids for offset " + std::to_string(cfg_.walker_offset));
  const int W = static_cast<int>(ids.size());
  const auto& random = cfg_.random_starts;
  // Random starts (SearchConfig::random_starts): random_start_scheme slices the tensor along A,
  // so a start sliced along C is one of <p,n,m> turned once by cyclic(), one sliced along B one of
  // <m,p,n> turned twice. The slicing is along the first factor with the most entries: <3,5,5>
  // sliced along A (15 entries) walked down to 75, the classical rank, and stayed there on 3 of 3
  // seeds in 30 s, sliced along B (25) it went below (73, 65, 69). A draw among tied factors did
  // worse on <4,4,4> (one 47 in ~780 starts against 8 in 555 along A;
  // results/search/random_starts/tie_draw_444/), so ties keep the first.
  const int sizes[3] = {shape.a_size(), shape.b_size(), shape.c_size()};
  const int axis = static_cast<int>(std::max_element(sizes, sizes + 3) - sizes);  // 0: A, 1: B, 2: C
  const int turns = (3 - axis) % 3;
  const Shape sliced = turns == 0 ? shape : turns == 1 ? Shape{shape.p, shape.n, shape.m} : Shape{shape.m, shape.p, shape.n};
  // The random starts' bound is at least the classical rank, the standard start's.
  const int capacity =
      bank::capacity_for(random ? random_start_max_rank(sliced, random->kmax) : start.rank(), cfg_.plus_slack);
  const int bits = factor_bits(shape);
  // A new random start drawn from the stream `rng` (a walker's own, so that restarts are
  // reproducible and survive checkpoints): K, then the start's seed.
  const auto random_start = [&](std::uint64_t& rng) {
    const auto span = static_cast<std::uint64_t>(random->kmax - random->kmin + 1);
    const int k = random->kmin + static_cast<int>(splitmix64(rng) % span);
    const Scheme s = random_start_scheme(sliced, k, splitmix64(rng));
    return terms_from<C>(turns ? cyclic(s, turns) : s);
  };
  // Flips without a new best before a walker takes a new random start: 2 000 plateaus (about
  // 38 M flips on <4,4,4>, a few seconds of one walker).
  const std::uint64_t restart_after =
      cfg_.restart_after ? cfg_.restart_after : 2000 * (cfg_.plateau_limit ? cfg_.plateau_limit : auto_plateau_limit(shape));
  exchange_.begin(walkers_total, cfg_.walker_offset, std::max(1, cfg_.walker_stride), capacity);
  // The flip budget is split over all walkers (not over this process's), so every walker gets
  // the same flips whatever the layout: walker id i gets floor(B/W), plus one for the first
  // B mod W ids, so the shares add up to the budget exactly (a walker with share 0 never walks).
  const auto flips_for = [&](int id) -> std::uint64_t {
    const auto W_total = static_cast<std::uint64_t>(walkers_total);
    return cfg_.max_flips / W_total + (static_cast<std::uint64_t>(id) < cfg_.max_flips % W_total ? 1 : 0);
  };

  WalkParams params;
  params.plateau_limit = cfg_.plateau_limit ? cfg_.plateau_limit : auto_plateau_limit(shape);
  params.plus_slack = cfg_.plus_slack;
  params.plus_from_rank = cfg_.plus_from_start ? WalkParams{}.plus_from_rank : start.rank();
  params.target_rank = cfg_.target_rank.value_or(0);
  params.general_reductions = cfg_.general_reductions;
  params.focus = static_cast<std::uint32_t>(std::clamp(cfg_.focus, 0.0, 1.0) * 65536);
  params.descent_limit = cfg_.descent_limit;
  params.drift_after = cfg_.drift_after;

  // Each walker is a flip graph of its own: 25 KB for <3,3,3>, 0.85 MB for <4,4,4>, 3.4 MB for
  // <8,8,8> (measured). Refuse a count this machine cannot hold before building any of them.
  require_walker_memory(W, heap_bytes_of([&] { return Walker<C>(capacity, start_terms, 0, bits); }));
  std::vector<Walker<C>> walkers;
  walkers.reserve(W);
  std::uint64_t epochs = 0;
  if (cfg_.resume) {
    Checkpoint cp = load_checkpoint(cfg_.checkpoint_path);
    // [mpi] Checkpoints of MPI runs hold rank 0's walkers only: their layout is not checked.
    const bool layout_free = cfg_.walker_stride != 1 || cp.config.find(" mpi-ranks ") != std::string::npos;
    if (!(cp.shape == shape) || cp.field != field || cp.seed != cfg_.seed || (cp.walkers != W && !layout_free))
      throw Error("checkpoint '" + cfg_.checkpoint_path + "' is for " + cp.shape.str() + " over " +
                  to_string(cp.field) + ", seed " + std::to_string(cp.seed) + ", " + std::to_string(cp.walkers) +
                  " walkers; this run asks for " + shape.str() + " over " + to_string(field) + ", seed " +
                  std::to_string(cfg_.seed) + ", " + std::to_string(W) + " walkers");
    elapsed_offset_ = cp.elapsed_s;
    epochs = cp.epochs;
    for (const PoolEntry& e : cp.pool) pool_.offer(e.scheme, e.found_by, e.elapsed_s);
    // [mpi] A checkpoint of another walker layout (other rank count) gives the pool only: the
    // walkers start over from its best schemes and report them, so every rank gets them.
    const bool exact = !layout_free && cp.walker_states.size() == static_cast<std::size_t>(W);
    if (!exact) take_round<C>(EpochRound{cp.reports_in_flight, false});
    for (int i = 0; i < W && !exact; ++i) {
      auto pick = pool_.pick_best(field, static_cast<std::uint64_t>(ids[i]));
      walkers.emplace_back(capacity, pick ? terms_from<C>(*pick) : start_terms, walker_seed(cfg_.seed, ids[i]), bits);
      walkers.back().improved = true;
    }
    for (int i = 0; i < W && exact; ++i) {
      const WalkerState& ws = cp.walker_states[i];
      // load_checkpoint verified the schemes; they must also fit this run's walkers.
      if (ws.current.size() > static_cast<std::size_t>(capacity) || ws.best.size() > static_cast<std::size_t>(capacity))
        throw Error("checkpoint '" + cfg_.checkpoint_path + "': walker " + std::to_string(i) + " holds " +
                    std::to_string(std::max(ws.current.size(), ws.best.size())) + " terms, more than this run's " +
                    std::to_string(capacity));
      walkers.emplace_back(capacity, unpack_all<C>(ws.current), ws.rng, bits);
      Walker<C>& w = walkers.back();
      w.best = unpack_all<C>(ws.best);
      restore_counters(w, ws);
      w.returns_to_best = ws.returns_to_best;
      w.limit = ws.plateau;
      w.stuck = ws.stuck;
      w.limit_rank = ws.plateau_rank;
      w.since_reduction = ws.since_reduction;
      w.flips_at_gain = ws.flips_at_gain;
      w.random_restarts = ws.random_restarts;
    }
    if (exact) exchange_.restore(cp.reports_in_flight);
    progress_.log(resumed_line(cp.elapsed_s, cp.flips, "flips"));
  } else {
    for (int i = 0; i < W; ++i) {
      const std::uint64_t seed = walker_seed(cfg_.seed, ids[i]);
      std::uint64_t stream = seed ^ 0x243F6A8885A308D3ULL;  // the first random start's, apart from the walk's
      walkers.emplace_back(capacity, random ? random_start(stream) : start_terms, seed, bits);
    }
    Scheme s0 = flip_scheme<C>(shape, walkers[0].best);
    on_new_scheme(s0, "start", 0);
  }

  auto total_flips = [&] {
    std::uint64_t f = 0;
    for (const auto& w : walkers) f += w.flips;
    return f;
  };
  auto best_rank = [&] {
    int b = walkers[0].best_rank;
    for (const auto& w : walkers) b = std::min(b, w.best_rank);
    return b;
  };
  auto budget_spent = [&] {
    if (!cfg_.max_flips) return false;
    for (int i = 0; i < W; ++i)
      if (walkers[i].flips < flips_for(ids[i])) return false;
    return true;
  };
  auto checkpoint = [&] {
    if (cfg_.checkpoint_path.empty()) return;
    Checkpoint cp = checkpoint_header(field, W, describe(cfg_), total_flips(), epochs);
    for (const auto& w : walkers) {
      WalkerState ws = walker_counters(w, w.returns_to_best);
      ws.plateau = w.limit;
      ws.stuck = w.stuck;
      ws.plateau_rank = w.limit_rank;
      ws.since_reduction = w.since_reduction;
      ws.flips_at_gain = w.flips_at_gain;
      ws.random_restarts = w.random_restarts;
      ws.current = pack_all(w.graph.terms());
      ws.best = pack_all(w.best);
      cp.walker_states.push_back(std::move(ws));
    }
    write_checkpoint(cp);
  };

  ThreadPool threads(cfg_.threads);
  const auto deadline = this->deadline();
  auto last_checkpoint = Clock::now();
  int checkpoints_written = 0;
  UpdatePacer pacer(total_flips());
  const bool has_target = cfg_.target_rank.has_value();
  while (true) {
    // A process that wants to stop walks no more but keeps exchanging until every process has
    // seen its request (one round later), so all of them leave the loop after the same round.
    const bool want_stop = (has_target && best_rank() <= *cfg_.target_rank) || stop_flag().load() ||
                           Clock::now() >= deadline || budget_spent();
    if (!want_stop) {
      std::atomic<bool> target_hit{false};
      threads.run(W, [&](int i) {
        std::uint64_t budget = cfg_.epoch_flips;
        if (cfg_.max_flips) {
          const std::uint64_t share = flips_for(ids[i]);
          budget = std::min(budget, share - std::min(share, walkers[i].flips));
        }
        if (budget == 0) return;
        walkers[i].run(budget, params, &stop_flag(), deadline, &target_hit);
      });
      ++epochs;
    }
    // This epoch's new bests, in walker order. With --lift, while the best GF2 rank has no Z
    // scheme yet, a walker sitting at its best rank hands in the scheme it is at: some GF2
    // schemes do not lift and others of the same rank do, so the lift needs many of them.
    const auto gf2_best = pool_.best_rank(Field::GF2), z_best = pool_.best_rank(Field::Z);
    const bool want_variants = cfg_.lift && field == Field::GF2 && gf2_best && (!z_best || *z_best > *gf2_best);
    std::vector<WalkerReport> reports;
    std::vector<char> improved_now(W, 0);
    for (int i = 0; i < W; ++i) {
      Walker<C>& w = walkers[i];
      if (w.improved) {
        w.improved = false;
        improved_now[i] = 1;
        const double found_at = elapsed_offset_ + std::chrono::duration<double>(w.best_at - start_).count();
        reports.push_back(WalkerReport{ids[i], std::max(0.0, found_at), pack_all(w.best)});
      } else if (want_variants && w.graph.rank() == w.best_rank && w.best_rank == *gf2_best) {
        reports.push_back(WalkerReport{ids[i], elapsed(), pack_all(w.graph.terms())});
      }
    }
    // Nominal, so that every MPI process takes the same lift decisions.
    flips_done_ = epochs * cfg_.epoch_flips * static_cast<std::uint64_t>(walkers_total);
    const EpochRound round = exchange_.exchange(std::move(reports), want_stop);
    take_round<C>(round);
    if (round.stop) break;
    // Random starts: a walker without a new best for restart_after flips takes a new one.
    for (int i = 0; i < W && !want_stop && random; ++i) {
      Walker<C>& w = walkers[i];
      if (improved_now[i]) w.flips_at_gain = w.flips;
      if (w.flips - w.flips_at_gain < restart_after) continue;
      w.restart(random_start(w.rng));
      w.flips_at_gain = w.flips;
      ++w.random_restarts;
    }
    // Walkers whose best is behind the pool's best start over from a pool scheme of the best
    // rank (Kauers-Moosbauer keep a pool per rank level and walk on from it). Walkers that
    // improved this epoch are left alone: their schemes are still in flight.
    const auto pool_best = pool_.best_rank(field);
    for (int i = 0; i < W && !want_stop && pool_best && !random; ++i) {
      Walker<C>& w = walkers[i];
      if (w.best_rank <= *pool_best || improved_now[i]) continue;
      auto pick = pool_.pick_best(field, splitmix64(w.rng));
      if (pick && pick->rank() == *pool_best) w.restart(terms_from<C>(*pick));
    }
    pacer.maybe_update(progress_, stats(W), total_flips());
    // The first checkpoint comes early (a run killed after a few seconds can resume), then
    // one every checkpoint_every_s.
    const auto now = Clock::now();
    const double due = checkpoints_written ? cfg_.checkpoint_every_s
                                           : std::min(cfg_.first_checkpoint_s, cfg_.checkpoint_every_s);
    if (!cfg_.checkpoint_path.empty() && std::chrono::duration<double>(now - last_checkpoint).count() >= due) {
      checkpoint();
      last_checkpoint = now;
      ++checkpoints_written;
    }
  }
  take_round<C>(exchange_.drain());
  checkpoint();
  if (random) {
    std::uint64_t restarts = 0;
    for (const auto& w : walkers) restarts += w.random_restarts;
    progress_.log("random starts: " + std::to_string(W + restarts) + " (" + std::to_string(W) + " walkers, " +
                  std::to_string(restarts) + " restarts after " + std::to_string(restart_after) + " flips without a new best)");
  }
  return outcome_of(field, total_flips());
}

template <class C>
SearchOutcome Run::go_bank(BankBackend& backend) {
  // Over GF(2) the bank's schemes are GF(2) schemes (lifted to Z with --lift); over {-1,0,1}
  // they are integer schemes already and go to the pool as Field::Z (--lift has nothing to do).
  const Field field = C::kSigned ? Field::Z : Field::GF2;
  bank_run_ = true;
  const Shape shape = cfg_.shape;
  const Scheme start = start_scheme();
  const int capacity = bank::capacity_for(start.rank(), cfg_.plus_slack);
  const bank::Domain domain = WalkerBankOf<C>::kDomain;
  if (capacity > bank::max_capacity(domain))
    throw Error("--backend " + cfg_.backend + (C::kSigned ? " --field z" : "") + " holds at most " +
                std::to_string(bank::max_capacity(domain)) + " terms per walker; a rank-" + std::to_string(start.rank()) +
                " start with --plus-slack " + std::to_string(cfg_.plus_slack) + " needs " + std::to_string(capacity));
  // 0 walkers: as many as the backend walks at once (one warp each on the GPU: a bank larger
  // than the GPU holds runs in waves, and a time-limited epoch ends before the later ones walk).
  const int W = cfg_.walkers > 0 ? cfg_.walkers : std::max(1, backend.resident_walkers(capacity, domain));
  WalkerBankOf<C> bank(W, capacity, terms_from<C>(start), cfg_.seed);
  on_new_scheme(flip_scheme<C>(shape, bank.best(0)), "start", 0);
  progress_.log(backend.describe() + ", " + std::to_string(W) + " walkers over " +
                (C::kSigned ? std::string("{-1,0,1}: integer schemes") + (cfg_.lift ? ", --lift has nothing to do" : "")
                            : std::string("GF(2)")));

  bank::Params params;
  params.plateau_limit = cfg_.plateau_limit ? cfg_.plateau_limit : auto_plateau_limit(shape);
  params.plus_slack = cfg_.plus_slack;
  params.plus_from_rank = cfg_.plus_from_start ? bank::Params{}.plus_from_rank : start.rank();
  params.target_rank = cfg_.target_rank.value_or(0);

  // At most this many schemes a round go to the pool (each is verified, and may be lifted):
  // tens of thousands of walkers improve at once in the first rounds.
  constexpr int kOffersPerRound = 256, kVariantsPerRound = 16;
  constexpr double kEpochSeconds = 2;
  std::uint64_t restart_rng = cfg_.seed ^ 0x6A09E667F3BCC909ULL;
  const auto deadline = this->deadline();
  const bool has_target = cfg_.target_rank.has_value();
  UpdatePacer pacer(0);
  std::uint64_t epochs = 0;
  double variant_s = 0;     // seconds spent offering (and lifting) variants at the best rank
  std::uint64_t steps = 0;  // steps asked of all walkers so far
  while (true) {
    const auto best = pool_.best_rank(field);
    // --max-flips counts steps here (a step is a flip, or kDrawsPerStep draws without one), so
    // that a budget ends even where no flip is left (<1,1,1>, or rank-49 <4,4,4> dead ends).
    const bool stop = (has_target && best && *best <= *cfg_.target_rank) || stop_flag().load() ||
                      Clock::now() >= deadline || (cfg_.max_flips && steps >= cfg_.max_flips);
    if (stop) break;
    std::uint64_t epoch_steps = cfg_.epoch_flips;
    if (cfg_.max_flips) epoch_steps = std::min(epoch_steps, (cfg_.max_flips - steps + W - 1) / static_cast<std::uint64_t>(W));
    // Timed runs: epochs of at most kEpochSeconds, so that the host's reports and restarts keep
    // up and walks sharing one GPU (a campaign's formats side by side) take turns. Untimed runs
    // cut epochs by steps only (the same seed gives the same schemes).
    double seconds = 0;
    if (cfg_.time_limit_s > 0)
      seconds = std::clamp(std::chrono::duration<double>(deadline - Clock::now()).count(), 0.001, kEpochSeconds);
    backend.run(bank, epoch_steps, params, seconds);
    steps += epoch_steps * static_cast<std::uint64_t>(W);
    ++epochs;
    flips_done_ = bank.flips();

    // New bests at or below the pool's best rank, best first; then, with --lift while the best
    // GF2 rank has no Z scheme, schemes that walkers sit on at that rank (the lift needs many).
    const auto pool_best = pool_.best_rank(field);
    std::vector<int> improved;
    std::vector<char> improved_now(W, 0);
    for (int w = 0; w < W; ++w)
      if (bank.take_improved(w)) {
        improved_now[w] = 1;
        if (!pool_best || bank.best_rank(w) <= *pool_best) improved.push_back(w);
      }
    std::stable_sort(improved.begin(), improved.end(), [&](int a, int b) { return bank.best_rank(a) < bank.best_rank(b); });
    if (improved.size() > kOffersPerRound) improved.resize(kOffersPerRound);
    for (int w : improved)
      on_new_scheme(flip_scheme<C>(shape, bank.best(w)), "GPU-bank walker " + std::to_string(w), elapsed());
    // The GPU waits while the host lifts: variants are handed in only while the time spent on
    // them stays under a quarter of the run (on <2,5,7> 64 variants a round took the GPU's time
    // 8 to 1, results/search/gpu_walk/README.md).
    const auto gf2_best = pool_.best_rank(Field::GF2), z_best = pool_.best_rank(Field::Z);
    if (!C::kSigned && cfg_.lift && gf2_best && (!z_best || *z_best > *gf2_best) && variant_s < kLiftShare * elapsed()) {
      const auto lift_start = Clock::now();
      int handed = 0;
      for (int w = 0; w < W && handed < kVariantsPerRound; ++w)
        if (!improved_now[w] && bank.rank(w) == *gf2_best && bank.best_rank(w) == *gf2_best) {
          on_new_scheme(flip_scheme<C>(shape, bank.current(w)), "GPU-bank walker " + std::to_string(w), elapsed());
          ++handed;
        }
      variant_s += std::chrono::duration<double>(Clock::now() - lift_start).count();
    }
    // Walkers whose best is behind the pool's restart from one of its best schemes of the field
    // walked, as the CPU walkers do (the schemes converted once per round, not once per walker).
    if (const auto best_now = pool_.best_rank(field)) {
      std::vector<std::vector<FlipTerm<C>>> starts;
      for (const PoolEntry& e : pool_.best(field)) starts.push_back(terms_from<C>(e.scheme));
      for (int w = 0; w < W && !starts.empty(); ++w)
        if (bank.best_rank(w) > *best_now && !improved_now[w])
          bank.restart(w, starts[splitmix64(restart_rng) % starts.size()]);
    }
    pacer.maybe_update(progress_, stats(W), bank.flips());
  }
  progress_.log("bank walk: " + std::to_string(bank.flips()) + " flips in " + std::to_string(epochs) + " epochs, " +
                std::to_string(bank.plus_transitions()) + " plus transitions");
  return outcome_of(field, bank.flips());
}

}  // namespace

std::string describe(const SearchConfig& c) {
  std::ostringstream out;
  out << "fmm search config: shape " << c.shape.str() << " field " << to_string(c.field) << " method "
      << to_string(c.method) << " target " << (c.target_rank ? std::to_string(*c.target_rank) : "none") << " seed "
      << c.seed << " walkers " << c.walkers << " threads " << c.threads << " time-limit " << c.time_limit_s
      << " max-flips " << c.max_flips << " epoch-flips " << c.epoch_flips << " plateau "
      << (c.plateau_limit ? std::to_string(c.plateau_limit) : "auto(" + std::to_string(auto_plateau_limit(c.shape)) + ")")
      << " plus-slack " << c.plus_slack << (c.plus_from_start ? " plus-from-start yes" : "") << " reductions " << (c.general_reductions ? "general" : "pairs") << " focus " << c.focus << " descent " << c.descent_limit << (c.drift_after ? " drift " + std::to_string(c.drift_after) : "") << " start " << (c.random_starts ? "random K " + std::to_string(c.random_starts->kmin) + "-" + std::to_string(c.random_starts->kmax) + " restart-after " + (c.restart_after ? std::to_string(c.restart_after) : "auto") : c.start ? "file rank " + std::to_string(c.start->rank()) : "standard")
      << " lift " << (c.lift ? "yes" : "no") << (c.backend != "cpu" ? " backend " + c.backend : "") << " checkpoint " << (c.checkpoint_path.empty() ? "none" : c.checkpoint_path)
      << " resume " << (c.resume ? "yes" : "no") << " out " << (c.out_dir.empty() ? "none" : c.out_dir);
  return out.str();
}

SearchOutcome run_flip_search(const SearchConfig& config, Pool& pool, Progress& progress, EpochExchange* exchange) {
  if (config.symmetric) throw Error("symmetric walks run in run_symmetric_flip (symmetric_search.hpp)");
  if (!fits_bit_packing(config.shape))
    throw Error("shape " + config.shape.str() + " is too large for the flip-graph walk (needs n*m, m*p, n*p <= 256)");
  if (config.resume && config.checkpoint_path.empty()) throw Error("--resume needs --checkpoint FILE");
  if (config.random_starts) {
    const auto& r = *config.random_starts;
    if (config.field != Field::GF2) throw Error("--random-starts walks over gf2 (random starts are GF(2) schemes; --lift lifts)");
    if (config.backend != "cpu") throw Error("--random-starts runs on the CPU (--backend cpu)");
    if (config.start) throw Error("--random-starts and --from exclude each other");
    if (r.kmin < 0 || r.kmin > r.kmax || r.kmax > 4096)
      throw Error("--random-starts takes KMIN-KMAX with 0 <= KMIN <= KMAX <= 4096, not " + std::to_string(r.kmin) + "-" +
                  std::to_string(r.kmax));
  }
  LocalExchange local;
  Run run(config, pool, progress, exchange ? *exchange : local);
  if (config.backend != "cpu") {
    if (config.backend != "gpu" && config.backend != "gpu-emulated")
      throw Error("--backend must be cpu, gpu or gpu-emulated, not '" + config.backend + "'");
    if (config.field != Field::GF2 && config.field != Field::Z)
      throw Error("--backend " + config.backend + " walks over gf2 or z (coefficients in {-1,0,1}), not " +
                  to_string(config.field));
    if (mask_words(config.shape) != 1)
      throw Error("--backend " + config.backend + " takes formats with n*m, m*p, n*p <= 64, not " + config.shape.str());
    if (!config.checkpoint_path.empty() || config.resume)
      throw Error("--backend " + config.backend + " keeps no checkpoints (--checkpoint, --resume): its runs are one sitting");
    if (exchange || config.walker_stride != 1) throw Error("--backend " + config.backend + " runs in one process (no MPI)");
    if (config.descent_limit || config.drift_after || config.focus > 0 || config.general_reductions)
      throw Error("--backend " + config.backend + " has the plain plateau policy only (no --descent, --drift, --focus, --reductions general)");
    auto backend = config.backend == "gpu" ? make_gpu_backend() : make_emulated_backend(config.threads);
    return config.field == Field::Z ? run.go_bank<Ternary>(*backend) : run.go_bank<Gf2>(*backend);
  }
  // Factors take 1, 2 or 4 words by the format (factor_mask.hpp); the one-word walk is the
  // one `fmm search bench` measures.
  const int words = mask_words(config.shape);
  switch (config.field) {
    case Field::GF2:
      return words == 1 ? run.go<Gf2>() : words == 2 ? run.go<Gf2Of<WideMask<2>>>() : run.go<Gf2Of<WideMask<4>>>();
    case Field::Z:
      return words == 1 ? run.go<Ternary>()
                        : words == 2 ? run.go<TernaryOf<WideMask<2>>>() : run.go<TernaryOf<WideMask<4>>>();
    case Field::Q: break;
  }
  throw Error("the flip search works over gf2 or z (coefficients in {-1,0,1}); use --lift to get Z/Q schemes from GF2");
}

}  // namespace fmm::search
