// The campaign's rounds (campaign.hpp): which format is walked next, from which start, with
// which walks, and what their new bests become in the state.
#include "search/meta/campaign.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "search/flip/bank_walk.hpp"
#include "search/flip/flip_search.hpp"
#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"
#include "search/lift/lift.hpp"
#include "search/run/known_ranks.hpp"
#include "search/run/thread_pool.hpp"
#include "search/symmetric/symmetric_search.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm::search::meta {
namespace {

using Clock = std::chrono::steady_clock;

// The GF(2) walk's share of a format's seconds when it runs on the GPU bank (FormatRound::run).
constexpr double kGf2ShareOnBank = 0.75;
// How far above the lowest projection start the other larger formats' projections still take
// their turn as a round's start (FormatRound::projection_start). A walk goes 2-6 below a
// projection start within minutes (results/search/meta_starts.md), so 4 keeps the lineages
// that can reach the lowest one's result.
constexpr int kProjectionSlack = 4;

// Where a round's walk starts (kBest: best_start, ours or a construction); the rounds cycle
// through them in this order, hence an int.
enum StartKind : int { kBest = 0, kProjection = 1, kExtension = 2 };

// Passes a walk's new bests to the campaign state and its lines to the console.
class CampaignProgress : public Progress {
 public:
  CampaignProgress(CampaignState& state, Progress& console, std::string how, double offset_s, std::string where)
      : state_(state), console_(console), how_(std::move(how)), offset_s_(offset_s), where_(std::move(where)) {}
  void improved(const Scheme& s, const std::string& found_by, double elapsed_s) override {
    if (found_by == "start") return;
    if (state_.offer(s, how_ + ", " + found_by + " at " + fixed_digits(elapsed_s, 1) + " s", offset_s_ + elapsed_s, where_))
      console_.improved(s, "campaign: " + how_ + ", " + found_by, offset_s_ + elapsed_s);
  }
  void log(const std::string& line) override {
    if (line.rfind("lift of", 0) != 0) return;
    // The lift declines schemes too large for its solver: the GF(2) walk then gives no integer
    // scheme, and the campaign spends that format's time on the {-1,0,1} walk instead.
    if (line.find("not attempted") != std::string::npos) {
      lift_unavailable = true;
      return;
    }
    // Lifting reports are many and long; the campaign log keeps the successes.
    if (line.find("no lift") != std::string::npos && line.find("lifts:") == std::string::npos) return;
    state_.log("  " + line.substr(0, 300));
  }
  bool lift_unavailable = false;

 private:
  CampaignState& state_;
  Progress& console_;
  std::string how_;
  double offset_s_;
  std::string where_;
};

std::string machine() {
  return std::to_string(std::max(1u, std::thread::hardware_concurrency())) + " cores";
}


// Serialises a console shared by the campaign's workers.
class LockedProgress : public Progress {
 public:
  explicit LockedProgress(Progress& inner) : inner_(inner) {}
  void update(const ProgressStats& s) override {
    std::lock_guard lock(mutex_);
    inner_.update(s);
  }
  void improved(const Scheme& s, const std::string& found_by, double elapsed_s) override {
    std::lock_guard lock(mutex_);
    inner_.improved(s, found_by, elapsed_s);
  }
  void log(const std::string& line) override {
    std::lock_guard lock(mutex_);
    inner_.log(line);
  }

 private:
  Progress& inner_;
  std::mutex mutex_;
};

// One format's work in one round: file the best constructions, then walk.
class FormatRound {
 public:
  FormatRound(const CampaignConfig& cfg, CampaignState& state, Progress& console, std::string where,
              std::function<double()> left)
      : cfg_(cfg), state_(state), console_(console), where_(std::move(where)), left_(std::move(left)) {}

  // Returns the number of walks made.
  int run(const Shape& f, int round, bool walk_allowed = true) {
    FormatRecord rec = state_.format(f);
    cache_.clear();
    // A decline (of this session or an earlier one) stands while no smaller GF(2) scheme (a
    // cheaper lift) is held.
    bool lift_declined = false;
    if (rec.lift_declined_at > 0) {
      const auto gf2 = state_.ours(f, RankRing::GF2);
      lift_declined = !gf2 || gf2->first >= rec.lift_declined_at;
    }
    // The best constructions from the other formats' schemes, filed when they beat ours. Over Z
    // too: integer schemes outside {-1,0,1} (3x4x4:38 over Z, 39 over {-1,0,1}) build integer
    // ones that no {-1,0,1} construction reaches (Strassen x 3x4x4:38 = 6x8x8:266, best known).
    for (RankRing ring : {RankRing::ZT, RankRing::Z, RankRing::GF2}) {
      Start st = *start(f, ring, kBest);
      state_.offer(st.scheme, "construction: " + st.recipe, rec.spent_s, where_);
    }
    int walked = 0;
    if (!walk_allowed) return 0;
    // A neighbour's new best since our last walk (FormatRecord::fresh): this round's walks start
    // from the extension (a smaller neighbour improved) or the projection (a larger one did).
    const int fresh = rec.fresh;
    if (fresh) {
      FormatRecord now = state_.format(f);
      now.fresh = 0;  // a neighbour that improves during the walks below marks us again
      state_.set_format(f, now);
    }
    const int fresh_kind = fresh & FormatRecord::kFreshExtension ? kExtension : fresh ? kProjection : kBest;
    // The walks of this round and their shares of the format's seconds. Square formats also get
    // the symmetric walk (Moosbauer-Poole 2025: <5,5,5> 93 and <6,6,6> 153 came from it), for
    // the format's seconds on top of the others (it needs minutes: it restarts every round from
    // its own symmetric start); it lifts its orbits itself.
    //
    // Plateau lifting (results/search/lift_large/README.md): while our GF(2) rank is below our
    // integer rank, the GF(2) walk starts every round from our GF(2) best, for the format's whole
    // seconds, with the lift inline: the walkers that sit at that rank hand in the schemes they are
    // at and each distinct one is lifted. Some GF(2) schemes of a rank lift where others do not
    // (Kauers-Moosbauer 2023); walks of minutes from the best lifted 2x4x8 51 and 3x3x8 56 over Z
    // (51 s, 244 s) and 5x6x6 137, 7x7x7 254 over {-1,0,1}, which the campaign, lifting its one
    // best scheme after slices that start from projections and extensions in turn, had not.
    struct Walk {
      RankRing ring;
      bool symmetric;
      double share;
      bool plateau = false;
    };
    std::vector<Walk> walks;
    const bool square = f.n == f.m && f.m == f.p && f.n >= 3 && f.n <= 8 && cfg_.walk_symmetric;
    const auto held_gf2 = state_.ours(f, RankRing::GF2), held_int = state_.ours(f, RankRing::Z);
    const bool plateau_tried_out =
        held_gf2 && rec.plateau_rank == held_gf2->first && rec.plateau_failures >= FormatRecord::kPlateauTries;
    const bool plateau = !fresh && !plateau_tried_out && cfg_.walk_gf2 && !lift_declined && held_gf2 &&
                         (!held_int || held_gf2->first < held_int->first);
    if (square) walks.push_back({RankRing::GF2, true, 1.0});
    if (cfg_.walk_ternary) walks.push_back({RankRing::ZT, false, 0});
    if (cfg_.walk_gf2 && (!cfg_.walk_ternary || !lift_declined)) walks.push_back({RankRing::GF2, false, 0, plateau});
    const std::size_t plain = walks.size() - (square ? 1 : 0);
    // On the GPU the GF(2) bank walks 50-100 times the flips of a CPU core, the {-1,0,1} bank
    // 3-19 times (results/search/gpu_walk/README.md), and in the device campaigns of 2026-12-04/05
    // 4 of 48 GF(2) walks on the GPU set a new best against 1 of 88 {-1,0,1} walks there: with
    // both walks of a round, the GF(2) one gets three quarters of the format's seconds.
    // (Two plain walks are the {-1,0,1} one and the GF(2) one; a plateau round keeps its shares.)
    const bool split = plain == 2 && !plateau && on_bank(f, RankRing::GF2) && on_bank(f, RankRing::ZT);
    for (Walk& w : walks)
      if (!w.symmetric)
        w.share = w.plateau ? 1.0
                  : split   ? (w.ring == RankRing::GF2 ? kGf2ShareOnBank : 1.0 - kGf2ShareOnBank)
                            : 1.0 / static_cast<double>(plain);
    for (const Walk& walk : walks) {
      const RankRing ring = walk.ring;
      if ((met(f) && !cfg_.keep_going) || stop_flag().load()) break;
      const double asked = cfg_.seconds_per_format * walk.share, seconds = std::min(asked, left_());
      if (seconds < std::min(1.0, asked)) break;  // the session ends; this format's round is done on resume
      // The start cycles, round by round, through our best scheme, the best projection of a
      // larger scheme and the best extension of a smaller one: walks from projections and
      // extensions go below their start, walks from block sums of reduced schemes do not
      // (results/search/meta_starts.md). Our best when it is such a construction (no walk has
      // gone below it) gives way to the other two; a start more than 8 above the best falls back.
      Start st = *start(f, ring, kBest);
      const auto ours = state_.ours(f, ring);
      int kind = kBest;  // a plateau walk always starts from our best
      if (!walk.plateau) {
        kind = (round - 1) % 3;
        if (kind == kBest && ours && ours->second.how.rfind("construction", 0) == 0) kind = kProjection + round % 2;
        if (fresh_kind) kind = fresh_kind;
      }
      std::optional<Start> alternative;
      if (kind == kProjection) alternative = projection_start(f, ring, fresh_kind ? 0 : (round - 1) / 3);
      if (kind == kExtension || (kind == kProjection && !alternative)) alternative = start(f, ring, kExtension);
      if (alternative && alternative->scheme.rank() <= st.scheme.rank() + 8) st = std::move(*alternative);
      std::uint64_t mix = cfg_.seed ^ (0x9E3779B97F4A7C15ULL * (f.n * 289 + f.m * 17 + f.p)) ^
                          (0xD1B54A32D192ED03ULL * (round * 8 + static_cast<int>(ring) + (walk.symmetric ? 4 : 0)));
      const std::uint64_t seed = splitmix64(mix) >> 16;
      const int threads = std::max(1, cfg_.threads / std::max(1, cfg_.parallel));
      SearchConfig sc;
      sc.shape = f;
      sc.field = ring == RankRing::GF2 ? Field::GF2 : Field::Z;
      sc.threads = threads;
      sc.walkers = cfg_.walkers > 0 ? cfg_.walkers : 4 * threads;
      sc.time_limit_s = seconds;
      sc.seed = seed;
      sc.start = st.scheme;
      // Small formats lift cheaply: the search itself then lifts every distinct GF(2) scheme of
      // the best rank that its walkers sit on (some do not lift, others of the same rank do,
      // Kauers-Moosbauer 2023). Larger ones are lifted below, within the campaign's time budget.
      const bool inline_lift =
          ring == RankRing::GF2 && !walk.symmetric && (walk.plateau || cheap_lift(f, st.scheme.rank()));
      sc.lift = inline_lift;
      sc.plus_slack = 4;
      sc.plus_from_start = true;  // the start is usually reduced already
      const auto target = best_known_rank(f, ring == RankRing::GF2 ? RankRing::GF2 : RankRing::ZT);
      // Over GF(2), once we hold the best known GF(2) rank the walk goes on without a target:
      // it is there for more schemes of that rank to lift.
      const auto ours_gf2 = state_.ours(f, RankRing::GF2);
      if (target && !(ring == RankRing::GF2 && ours_gf2 && ours_gf2->first <= *target)) sc.target_rank = *target;
      sc.command_line = cfg_.command_line;
      // The GPU's walkers (a bank, one warp each) for the plain GF(2) and {-1,0,1} walks that fit
      // one word, and over {-1,0,1} the terms its kernel holds (bank::max_capacity: a start of
      // rank up to 378 with this plus slack); the symmetric walk stays on CPU threads.
      const bool bank = !walk.symmetric && on_bank(f, ring) &&
                        (ring == RankRing::GF2 ||
                         search::bank::capacity_for(st.scheme.rank(), sc.plus_slack) <= search::bank::max_capacity(search::bank::Domain::Ternary));
      if (bank) {
        sc.backend = backend(ring);
        sc.walkers = cfg_.walkers;  // 0: as many as the backend walks at once
      }
      if (walk.symmetric) {
        sc.symmetric = true;
        sc.start.reset();  // the symmetric walk's own start (our schemes are not invariant)
        sc.lift = true;    // the orbits lift together, inside the symmetric search
        sc.plus_slack = SearchConfig{}.plus_slack;
        sc.plus_from_start = false;
      }
      const std::string walk_name = walk.symmetric ? "symmetric GF(2) walk + lift"
                                    : walk.plateau          ? "GF(2) plateau walk + lift"
                                    : ring == RankRing::GF2 ? "GF(2) walk + lift"
                                                            : "{-1,0,1} walk";
      const std::string how = walk_name + (bank ? " on " + backend(ring) : std::string()) + " (round " + std::to_string(round) +
                              (fresh_kind && !walk.plateau && !walk.symmetric ? ", after a neighbour's new best" : "") +
                              ", seed " + std::to_string(seed) + ", " +
                              fixed_digits(seconds, 0) + " s) from " +
                              (walk.symmetric ? std::string("its symmetric start")
                                              : st.scheme.shape().str() + ":" + std::to_string(st.scheme.rank()) +
                                                    " = " + st.recipe.substr(0, 160));
      ++walked;
      CampaignProgress progress(state_, console_, how, rec.spent_s, where_);
      Pool pool;
      SearchOutcome o;
      try {
        o = walk.symmetric ? run_symmetric_flip(sc, pool, progress) : run_flip_search(sc, pool, progress);
      } catch (const Error& e) {
        state_.log("walk of " + f.str() + " failed: " + e.what());
        continue;
      }
      double lift_s = 0;
      if (ring == RankRing::GF2 && !walk.symmetric && !inline_lift)
        lift_s = lift(f, pool, seconds, how, rec.spent_s + o.seconds, progress);
      rec = state_.format(f);
      rec.spent_s += o.seconds + lift_s;
      if (walk.plateau) {  // FormatRecord::plateau_failures: count the rounds that lifted nothing at this rank
        const auto gf2 = state_.ours(f, RankRing::GF2), integer = state_.ours(f, RankRing::Z);
        if (gf2 && (!integer || integer->first > gf2->first)) {
          if (rec.plateau_rank != gf2->first) rec.plateau_rank = gf2->first, rec.plateau_failures = 0;
          if (++rec.plateau_failures == FormatRecord::kPlateauTries)
            state_.log(f.str() + ": " + std::to_string(rec.plateau_failures) + " plateau walks at GF(2) rank " +
                       std::to_string(gf2->first) + " lifted nothing; its GF(2) walks start from the round's starts " +
                       "until that rank changes");
        }
      }
      state_.set_format(f, rec);
      if (progress.lift_unavailable && !lift_declined) {
        lift_declined = true;
        const auto gf2 = state_.ours(f, RankRing::GF2);  // at most the walk's best: the decline stands
        rec.lift_declined_at = gf2 ? gf2->first : o.best_rank_gf2.value_or(st.scheme.rank());
        state_.set_format(f, rec);
        state_.log(f.str() + ": the lift declines schemes this large (rank " + std::to_string(rec.lift_declined_at) +
                   "); later rounds, in this session and the next, walk over {-1,0,1} only");
      }
      auto rank_text = [](const std::optional<int>& r) { return r ? std::to_string(*r) : std::string("-"); };
      state_.log(f.str() + " " + how.substr(0, how.find(" from ")) + ": start " +
                 (walk.symmetric ? std::string("symmetric") : std::to_string(st.scheme.rank())) +
                 ", walk best gf2 " + rank_text(o.best_rank_gf2) + " z " + rank_text(o.best_rank_z) + ", " +
                 std::to_string(o.flips) + " flips in " + fixed_digits(o.seconds, 1) + " s");
      if (o.interrupted) break;
    }
    return walked;
  }

  // Whether lifting a rank-`rank` scheme of `f` is cheap (well under a second): the dense GF(2)
  // elimination of search/lift costs about equations * unknowns * (unknowns + equations) / 64
  // word operations.
  static bool cheap_lift(const Shape& f, int rank) {
    const double eqs = static_cast<double>(f.a_size()) * f.b_size() * f.c_size();
    const double unknowns = static_cast<double>(rank) * (f.a_size() + f.b_size() + f.c_size());
    return eqs * unknowns * (unknowns + eqs) / 64 < 1e9;
  }

  // Hensel-lifts the walk's GF(2) schemes that beat our integer rank, best first, for at most
  // half the walk's time (at least two seconds) and never past the campaign's --stop-after: the
  // lift of a <4,5,5> scheme alone can take seconds, and the flip search's own lifting
  // (SearchConfig::lift) is not bounded in time. (A device call of 16 large formats once ran
  // past its deadline and was killed before it could save its state; why was not established,
  // but these lifts were the one stage after a walk that the deadline did not bound.)
  // Some GF(2) schemes have no integer lift and another of the same rank has (Kauers-Moosbauer
  // 2023), so several are tried. Returns the seconds spent.
  double lift(const Shape& f, const Pool& pool, double walk_s, const std::string& how, double at_s,
              CampaignProgress& progress) {
    const auto t0 = Clock::now();
    auto spent = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    const double budget = std::min(std::max(2.0, walk_s / 2), left_());
    std::vector<PoolEntry> todo;
    for (const PoolEntry& e : pool.all())
      if (e.scheme.field() == Field::GF2) todo.push_back(e);
    std::stable_sort(todo.begin(), todo.end(),
                     [](const PoolEntry& a, const PoolEntry& b) { return a.scheme.rank() < b.scheme.rank(); });
    int tried = 0, lifted = 0;
    for (const PoolEntry& e : todo) {
      const auto z = state_.ours(f, RankRing::Z);
      if ((z && z->first <= e.scheme.rank()) || spent() >= budget || stop_flag().load()) break;
      LiftOptions options;
      options.seed = e.fingerprint;
      options.neighbours = tried == 0 ? 8 : 0;  // flip neighbours only for the first: they cost most
      // One lift of a big scheme can take longer than the whole budget (82 s for a <6,7,7> rank-217
      // scheme, sign lift and neighbours, before it declined): it stops at the budget's end too.
      options.deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget));
      LiftResult r = lift_scheme(e.scheme, options);
      ++tried;
      if (r.report.find("not attempted") != std::string::npos) {
        progress.lift_unavailable = true;
        break;
      }
      if (!r.scheme) continue;
      ++lifted;
      state_.offer(*r.scheme, how + ", Hensel lift (" + to_string(r.route) + ") of " + e.found_by, at_s + spent(),
                   where_);
    }
    if (tried) state_.log(f.str() + ": lifted " + std::to_string(lifted) + " of " + std::to_string(tried) +
                          " GF(2) schemes in " + fixed_digits(spent(), 1) + " s");
    return spent();
  }

  // The first start of a kind (kBest or kExtension) for `f` over `ring`.
  std::optional<Start> start(const Shape& f, RankRing ring, StartKind kind) {
    const std::vector<Start>& all = starts(f, ring, kind);
    if (all.empty()) return std::nullopt;
    return all.front();
  }

  // The projection start of a round. The rounds that start from a projection take the larger
  // formats' projections in turn (projection_starts: each larger format is a lineage of its own),
  // lowest rank first, among those at most kProjectionSlack above the lowest; after a larger
  // neighbour's new best (turn 0) the lowest.
  std::optional<Start> projection_start(const Shape& f, RankRing ring, int turn) {
    const std::vector<Start>& all = starts(f, ring, kProjection);
    if (all.empty()) return std::nullopt;
    std::size_t count = 0;
    while (count < all.size() && all[count].scheme.rank() <= all.front().scheme.rank() + kProjectionSlack) ++count;
    return all[static_cast<std::size_t>(turn) % count];
  }

  // The starts of a kind (kBest: best_start; kProjection: every larger format's
  // projection; kExtension: the best extension) for `f` over `ring`, computed again only when the
  // library has changed: the projections of big schemes cost seconds.
  const std::vector<Start>& starts(const Shape& f, RankRing ring, StartKind kind) {
    const std::uint64_t version = state_.version();
    auto& slot = cache_[{static_cast<int>(ring), kind}];
    if (slot.first == version + 1) return slot.second;  // stored as version + 1: 0 means empty
    const Library library = state_.library();
    std::vector<Start> s;
    if (kind == kBest) s.push_back(best_start(f, ring, library));
    else if (kind == kProjection) s = projection_starts(f, ring, library);
    else if (auto e = best_extension_start(f, ring, library)) s.push_back(std::move(*e));
    slot = {version + 1, std::move(s)};
    return slot.second;
  }

  // A format is met when we hold the best known integer rank ({-1,0,1} counts as integer).
  bool met(const Shape& f) const { return state_.at_best_known(f); }

 private:
  // Where the plain walks over `ring` run, and whether those of `f` go to the GPU bank
  // (`--backend gpu`; one-word formats only).
  const std::string& backend(RankRing ring) const {
    return ring == RankRing::ZT && !cfg_.ternary_backend.empty() ? cfg_.ternary_backend : cfg_.gf2_backend;
  }
  bool on_bank(const Shape& f, RankRing ring) const { return backend(ring) != "cpu" && mask_words(f) == 1; }

  const CampaignConfig& cfg_;
  CampaignState& state_;
  Progress& console_;
  std::string where_;
  std::function<double()> left_;
  std::map<std::pair<int, int>, std::pair<std::uint64_t, std::vector<Start>>> cache_;  // this format's starts
};

}  // namespace

bool run_campaign(const CampaignConfig& cfg, CampaignState& state, Progress& console_in) {
  install_stop_signal_handlers();
  LockedProgress console(console_in);
  const auto started = Clock::now();
  auto left = [&] {
    if (cfg.stop_after_s <= 0) return 1e300;
    return cfg.stop_after_s - std::chrono::duration<double>(Clock::now() - started).count();
  };
  std::vector<Shape> formats = cfg.formats;
  std::stable_sort(formats.begin(), formats.end(),
                   [](const Shape& a, const Shape& b) { return a.classical_rank() < b.classical_rank(); });
  const int parallel = std::max(1, std::min<int>(cfg.parallel, static_cast<int>(formats.size())));
  const std::string where = machine() + ", " + std::to_string(std::max(1, cfg.threads / parallel)) + " threads per walk, " +
                            std::to_string(parallel) + " formats at once";
  state.log("campaign: " + cfg.command_line + " (" + std::to_string(formats.size()) + " formats, " +
            fixed_digits(cfg.seconds_per_format, 0) + " s each per round, " + std::to_string(cfg.rounds) + " rounds; " +
            where + ")");
  // Workers take formats one at a time, each the format not being walked with the fewest rounds
  // done (smallest first among equals), for its next round; a fresh format (FormatRecord::fresh)
  // before all of them. There is no barrier between rounds: a worker never waits for the slowest
  // walk of a round, and formats that earlier sessions took further than the others (a slice of a
  // few formats) get walked again while the rest catch up, instead of leaving cores idle (a device
  // call of 16 formats once walked only the 7 that were behind). A format runs at most kRoundsAhead rounds ahead of the least advanced one, so formats
  // that are not walked (met, or past --focus), which take no time, cannot race ahead.
  constexpr int kRoundsAhead = 3;
  std::mutex mutex;  // guards the fields below
  std::condition_variable changed;
  std::set<std::tuple<int, int, int>> busy;           // formats being walked now
  std::set<std::tuple<int, int, int>> ran;            // formats that ran a round this session
  bool stopped = false, finished = false;
  auto key = [](const Shape& f) { return std::make_tuple(f.n, f.m, f.p); };
  auto worker = [&] {
    FormatRound work(cfg, state, console, where, left);
    while (true) {
      Shape f;
      int round = 0;
      bool walk_allowed = true;
      {
        std::unique_lock lock(mutex);
        while (true) {
          if (stopped || finished) return;
          if (stop_flag().load() || left() <= 0) {
            stopped = true;
            changed.notify_all();
            return;
          }
          int least = std::numeric_limits<int>::max();
          for (const Shape& g : formats) least = std::min(least, state.format(g).rounds_done);
          if (least >= cfg.rounds) {
            finished = true;
            changed.notify_all();
            return;
          }
          // A fresh format (a neighbour's new best since its last walk: FormatRecord::fresh) that
          // will be walked goes first, even ahead of the others' rounds; the smallest of them
          // first, since it is a part of the larger ones (the new best climbs the formats).
          std::optional<Shape> pick;
          bool pick_fresh = false;
          int pick_done = 0, unmet_before = 0, unmet_before_pick = 0;
          for (const Shape& g : formats) {
            const FormatRecord r = state.format(g);
            const bool met = work.met(g);
            const bool fresh = r.fresh != 0 && !met && (cfg.focus <= 0 || unmet_before < cfg.focus);
            if (!busy.count(key(g)) && r.rounds_done < cfg.rounds && (fresh || r.rounds_done < least + kRoundsAhead) &&
                (!pick || (fresh && !pick_fresh) || (!fresh && !pick_fresh && r.rounds_done < pick_done))) {
              pick = g, pick_fresh = fresh, pick_done = r.rounds_done, unmet_before_pick = unmet_before;
            }
            if (!met) ++unmet_before;
          }
          if (pick) {
            f = *pick;
            round = pick_done + 1;
            // --focus: only the first that many unmet formats (smallest first) are walked.
            if (!work.met(f)) walk_allowed = cfg.focus <= 0 || unmet_before_pick < cfg.focus;
            break;
          }
          changed.wait_for(lock, std::chrono::seconds(1));  // every free format is busy or too far ahead
        }
        busy.insert(key(f));
      }
      try {
        work.run(f, round, walk_allowed);
      } catch (const std::exception& e) {
        state.log("format " + f.str() + " failed: " + e.what());
      }
      std::lock_guard lock(mutex);
      busy.erase(key(f));
      changed.notify_all();
      if (stop_flag().load() || left() <= 0) {
        stopped = true;  // this format's round is not complete: it is done again on resume
        return;
      }
      FormatRecord rec = state.format(f);
      rec.rounds_done = std::max(rec.rounds_done, round);
      state.set_format(f, rec);
      ran.insert(key(f));
      // Every format of the list run once this session (its constructions refreshed) and at the
      // best known rank: further rounds would walk nothing.
      if (!cfg.keep_going && ran.size() == formats.size() &&
          std::all_of(formats.begin(), formats.end(), [&](const Shape& g) { return work.met(g); })) {
        if (!finished) state.log("campaign: every format is at its best known integer rank; nothing left to walk");
        finished = true;
        return;
      }
    }
  };
  std::vector<std::thread> workers;
  for (int i = 1; i < parallel; ++i) workers.emplace_back(worker);
  worker();
  for (auto& t : workers) t.join();
  state.save();
  if (stopped) {
    state.log("campaign stopped (" + std::string(stop_flag().load() ? "signal" : "time limit") + "); resumable");
    return false;
  }
  state.log("campaign done");
  return true;
}

std::vector<Shape> parse_format_list(const std::string& text) {
  std::vector<Shape> out;
  auto all = [&](int most) {
    for (int n = 2; n <= most; ++n)
      for (int m = n; m <= most; ++m)
        for (int p = m; p <= most; ++p) out.push_back({n, m, p});
  };
  if (text == "all8") all(8);
  else if (text == "all6") all(6);
  else if (text == "small") all(4);
  else {
    std::stringstream s(text);
    for (std::string item; std::getline(s, item, ',');) {
      if (item.empty()) continue;
      out.push_back(sorted_format(parse_shape(item)));
    }
  }
  if (out.empty()) throw Error("no formats in '" + text + "'");
  std::sort(out.begin(), out.end(), [](const Shape& a, const Shape& b) {
    return std::make_tuple(a.n, a.m, a.p) < std::make_tuple(b.n, b.m, b.p);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}


}  // namespace fmm::search::meta
