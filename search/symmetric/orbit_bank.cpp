#include "search/symmetric/orbit_bank.hpp"

#include <algorithm>
#include <atomic>
#include <utility>

#include "search/flip/flip_walk.hpp"  // walker_seed
#include "search/flip/gpu_walk_plugin.hpp"
#include "search/run/thread_pool.hpp"
#include "tensor/error.hpp"

namespace fmm::search {

namespace orbit_bank {

int slots_for(int orbits) {
  for (int s : kSlotChoices)
    if (orbits <= 32 * s) return s;
  return 0;
}

}  // namespace orbit_bank

namespace ob = orbit_bank;

OrbitBank::OrbitBank(const SymmetricScheme& start, int slots, int walkers, std::uint64_t seed,
                     const ob::WalkParams& params)
    : n_(start.n) {
  const int G = start.order;
  if (walkers < 1) throw Error("a symmetric walker bank needs at least one walker");
  if (G != 3 && G != 6) throw Error("a symmetric walker bank walks groups of order 3 or 6, not " + std::to_string(G));
  if (ob::slots_for(32 * slots) != slots)
    throw Error("a symmetric walker bank has 1, 2, 3, 4 or 6 slots a lane, not " + std::to_string(slots));
  const std::size_t W = static_cast<std::size_t>(walkers);
  const std::size_t orbit_words = static_cast<std::size_t>(32 * slots * G), fixed_words = 3 * ob::kMaxFixed;
  cur_.assign(orbit_words * W, 0);
  best_.assign(orbit_words * W, 0);
  cur_fixed_.assign(fixed_words * W, 0);
  best_fixed_.assign(fixed_words * W, 0);
  start_.assign(orbit_words, 0);
  start_fixed_.assign(fixed_words, 0);
  start_counts_.assign(2, 0);
  for (auto* v : {&cur_norb_, &cur_nfixed_, &best_norb_, &best_nfixed_, &best_rank_, &last_rank_, &dry_})
    v->assign(W, 0);
  for (auto* v : {&rng_, &moves_, &since_best_, &since_reduction_, &plus_, &runs_, &dry_steps_, &run_start_, &collected_})
    v->assign(W, 0);
  move_limit_.assign(W, ~std::uint64_t{0});
  run_bests_.assign(ob::kRunBestSpan * W, 0);
  finished_moves_.assign(ob::kFinishedRing * W, 0);
  finished_best_.assign(ob::kFinishedRing * W, 0);
  improved_.assign(W, 0);
  target_hit_.assign(W, 0);
  overflow_.assign(W, 0);

  ob::View& v = view_;
  v.walkers = walkers, v.order = G, v.slots = slots, v.params = params;
  v.cur = cur_.data(), v.cur_fixed = cur_fixed_.data(), v.best = best_.data(), v.best_fixed = best_fixed_.data();
  v.cur_norb = cur_norb_.data(), v.cur_nfixed = cur_nfixed_.data();
  v.best_norb = best_norb_.data(), v.best_nfixed = best_nfixed_.data();
  v.start = start_.data(), v.start_fixed = start_fixed_.data();
  v.start_norb = &start_counts_[0], v.start_nfixed = &start_counts_[1];
  v.rng = rng_.data(), v.moves = moves_.data(), v.since_best = since_best_.data();
  v.since_reduction = since_reduction_.data(), v.plus = plus_.data(), v.runs = runs_.data();
  v.dry_steps = dry_steps_.data(), v.run_start = run_start_.data(), v.move_limit = move_limit_.data();
  v.best_rank = best_rank_.data(), v.last_rank = last_rank_.data(), v.dry = dry_.data();
  v.improved = improved_.data(), v.target_hit = target_hit_.data(), v.overflow = overflow_.data();
  v.run_bests = run_bests_.data(), v.finished_best = finished_best_.data(), v.finished_moves = finished_moves_.data();

  // The start settled once (orbit_bank_walk.hpp's load_board, which refuses what does not fit),
  // then copied to the shared start and to every walker's boards.
  ob::with_order_slots(G, slots, [&]<int GG, int S>() {
    auto b = std::make_unique<ob::OrbitBoard<GG, S>>();
    ob::load_board<GG, S>(*b, start);
    ob::write_board<GG>(ob::start_ref(v), *b);
    v.start_rank = b->rank();
    for (int w = 0; w < walkers; ++w) {
      ob::write_board<GG>(ob::cur_ref(v, w), *b);
      ob::write_board<GG>(ob::best_ref(v, w), *b);
    }
  });
  for (int w = 0; w < walkers; ++w) {
    rng_[w] = walker_seed(seed, static_cast<std::uint64_t>(w));
    best_rank_[w] = last_rank_[w] = v.start_rank;
  }
}

bool OrbitBank::take_improved(int w) {
  const bool was = improved_[w] != 0;
  improved_[w] = 0;
  return was;
}

SymmetricScheme OrbitBank::read(const ob::BoardRef& r) const {
  SymmetricScheme s;
  s.n = n_;
  s.order = view_.order;
  const int G = view_.order;
  for (int t = 0; t < *r.nfixed; ++t)
    s.fixed.push_back({r.fixed[(t * 3) * r.stride], r.fixed[(t * 3 + 1) * r.stride], r.fixed[(t * 3 + 2) * r.stride]});
  for (int o = 0; o < *r.norb; ++o)
    s.orbits.push_back(
        {r.orbits[(o * G) * r.stride], r.orbits[(o * G + 1) * r.stride], r.orbits[(o * G + 2) * r.stride]});
  return s;
}

SymmetricScheme OrbitBank::current(int w) const { return read(ob::cur_ref(view_, w)); }
SymmetricScheme OrbitBank::best(int w) const { return read(ob::best_ref(view_, w)); }

OrbitWalkerState OrbitBank::save_walker(int w) const {
  OrbitWalkerState s;
  s.rng = rng_[w], s.moves = moves_[w], s.since_best = since_best_[w], s.since_reduction = since_reduction_[w];
  s.plus_transitions = plus_[w], s.runs = runs_[w], s.dry_steps = dry_steps_[w], s.run_start = run_start_[w];
  s.best_rank = best_rank_[w], s.last_rank = last_rank_[w], s.dry = dry_[w];
  s.target_hit = target_hit_[w] != 0;
  const SymmetricScheme cur = current(w), b = best(w);
  s.current_fixed = cur.fixed, s.current_orbits = cur.orbits;
  s.best_fixed = b.fixed, s.best_orbits = b.orbits;
  const std::size_t W = static_cast<std::size_t>(view_.walkers);
  for (int r = 0; r < ob::kRunBestSpan; ++r)
    if (run_bests_[r * W + static_cast<std::size_t>(w)]) s.run_bests.emplace_back(r, run_bests_[r * W + static_cast<std::size_t>(w)]);
  return s;
}

void OrbitBank::restore_walker(int w, const OrbitWalkerState& s) {
  const int G = view_.order;
  auto restore_board = [&](const ob::BoardRef& to, const std::vector<SymTerm>& fixed, const std::vector<SymTerm>& orbits,
                           const char* which) {
    SymmetricScheme scheme;
    scheme.n = n_, scheme.order = G, scheme.fixed = fixed, scheme.orbits = orbits;
    ob::with_order_slots(G, view_.slots, [&]<int GG, int S>() {
      auto b = std::make_unique<ob::OrbitBoard<GG, S>>();
      ob::load_board<GG, S>(*b, scheme);  // a settled board comes back as it was, orbit for orbit
      ob::write_board<GG>(to, *b);
    });
    const SymmetricScheme back = read(to);
    if (back.fixed != fixed || back.orbits != orbits)
      throw Error(std::string("checkpoint: the ") + which + " board of symmetric walker " + std::to_string(w) +
                  " is not a settled board of order " + std::to_string(G));
  };
  restore_board(ob::cur_ref(view_, w), s.current_fixed, s.current_orbits, "current");
  restore_board(ob::best_ref(view_, w), s.best_fixed, s.best_orbits, "best");
  rng_[w] = s.rng, moves_[w] = s.moves, since_best_[w] = s.since_best, since_reduction_[w] = s.since_reduction;
  plus_[w] = s.plus_transitions, runs_[w] = s.runs, dry_steps_[w] = s.dry_steps, run_start_[w] = s.run_start;
  best_rank_[w] = s.best_rank, last_rank_[w] = s.last_rank, dry_[w] = s.dry;
  target_hit_[w] = s.target_hit ? 1 : 0;
  improved_[w] = 0;
  overflow_[w] = 0;
  const std::size_t W = static_cast<std::size_t>(view_.walkers);
  for (int r = 0; r < ob::kRunBestSpan; ++r) run_bests_[r * W + static_cast<std::size_t>(w)] = 0;
  for (const auto& [bucket, runs] : s.run_bests) {
    if (bucket >= ob::kRunBestSpan) throw Error("checkpoint: run-best bucket " + std::to_string(bucket) + " out of range");
    run_bests_[static_cast<std::size_t>(bucket) * W + static_cast<std::size_t>(w)] = runs;
  }
  collected_[w] = s.runs;  // runs that ended before the checkpoint were logged then
}

void OrbitBank::check() const {
  for (int w = 0; w < view_.walkers; ++w)
    if (overflow_[w])
      throw Error("symmetric walker " + std::to_string(w) + " holds more than " + std::to_string(ob::kMaxFixed) +
                  " fixed terms: its walk is no longer valid");
}

std::uint64_t OrbitBank::moves() const {
  std::uint64_t s = 0;
  for (auto x : moves_) s += x;
  return s;
}
std::uint64_t OrbitBank::plus_transitions() const {
  std::uint64_t s = 0;
  for (auto x : plus_) s += x;
  return s;
}
std::uint64_t OrbitBank::runs() const {
  std::uint64_t s = 0;
  for (auto x : runs_) s += x;
  return s;
}

std::map<int, std::uint64_t> OrbitBank::runs_by_best() const {
  std::map<int, std::uint64_t> out;
  const std::size_t W = static_cast<std::size_t>(view_.walkers);
  for (int r = 0; r < ob::kRunBestSpan; ++r) {
    std::uint64_t c = 0;
    for (std::size_t w = 0; w < W; ++w) c += run_bests_[r * W + w];
    if (c) out[view_.start_rank - r] += c;
  }
  return out;
}

std::vector<OrbitBank::FinishedRun> OrbitBank::take_finished(std::uint64_t* lost) {
  std::vector<FinishedRun> out;
  std::uint64_t dropped = 0;
  const std::size_t W = static_cast<std::size_t>(view_.walkers);
  for (std::size_t w = 0; w < W; ++w) {
    std::uint64_t from = collected_[w];
    if (runs_[w] - from > static_cast<std::uint64_t>(ob::kFinishedRing)) {
      dropped += runs_[w] - from - ob::kFinishedRing;
      from = runs_[w] - ob::kFinishedRing;
    }
    for (std::uint64_t i = from; i < runs_[w]; ++i) {
      const std::size_t slot = (i % ob::kFinishedRing) * W + w;
      out.push_back({static_cast<int>(w), finished_best_[slot], finished_moves_[slot]});
    }
    collected_[w] = runs_[w];
  }
  if (lost) *lost = dropped;
  return out;
}

namespace {

class EmulatedOrbitBackend final : public OrbitBankBackend {
 public:
  explicit EmulatedOrbitBackend(int threads) : threads_(threads) {}

  void walk(const ob::View& v, std::uint64_t moves, double seconds) override {
    const std::uint64_t stop_at = seconds > 0 ? bank::clock_ns() + static_cast<std::uint64_t>(seconds * 1e9) : 0;
    // Round after round of a chunk for every walker: a time limit is then shared by all walkers
    // as on the GPU, where they walk at once (walker after walker, the first of each thread would
    // spend it all), and SIGINT stops an untimed epoch soon. A walk does not depend on its chunks
    // (walk_walker keeps all state in the view).
    constexpr std::uint64_t kChunk = 1 << 14;
    std::vector<std::uint64_t> left(static_cast<std::size_t>(v.walkers), moves);
    const bool known = ob::with_order_slots(v.order, v.slots, [&]<int G, int S>() {
      std::atomic<bool> more{true};
      while (more.load() && !stop_flag().load(std::memory_order_relaxed) && (!stop_at || bank::clock_ns() < stop_at)) {
        more = false;
        threads_.run(v.walkers, [&](int w) {
          std::uint64_t& l = left[static_cast<std::size_t>(w)];
          if (l == 0) return;
          auto x = std::make_unique<ob::BankWalker<G, S>>();
          const std::uint64_t chunk = std::min(l, kChunk), before = v.moves[w];
          ob::walk_walker<G, S>(v, w, *x, chunk, stop_at);
          l = v.moves[w] - before < chunk ? 0 : l - chunk;  // move limit, target or time: done
          if (l) more = true;
        });
      }
    });
    if (!known) throw Error("no symmetric walk of order " + std::to_string(v.order) + " with " + std::to_string(v.slots) +
                            " slots a lane");
  }
  std::string describe() const override {
    return "GPU symmetric walk emulated on " + std::to_string(threads_.threads()) + " CPU thread(s)";
  }
  int default_walkers(int, int) const override { return 4 * threads_.threads(); }

 private:
  ThreadPool threads_;
};

// The epochs on the GPU through the plugin's symmetric entries (gpu_walk_abi.hpp): the kernel
// runs walk_walker, one warp a walker, on a device copy of the view. The stop flag is not seen
// there: an epoch ends at its moves or its seconds (the search loop's epochs are short).
class GpuOrbitBackend final : public OrbitBankBackend {
 public:
  explicit GpuOrbitBackend(GpuWalkPlugin plugin) : plugin_(std::move(plugin)) {}
  void walk(const ob::View& v, std::uint64_t moves, double seconds) override {
    char error[512] = {0};
    if (plugin_.orbit_epoch(&v, moves, seconds, error, sizeof error) != 0)
      throw Error(std::string("GPU symmetric walk: ") + error);
  }
  std::string describe() const override { return "GPU symmetric walk on " + plugin_.device; }
  // One wave of resident warps (the plain GPU bank's default, walker_bank.cpp).
  int default_walkers(int order, int slots) const override {
    const int n = plugin_.orbit_resident(order, slots);
    return n > 0 ? n : 4096;
  }

 private:
  GpuWalkPlugin plugin_;
};

}  // namespace

std::unique_ptr<OrbitBankBackend> make_emulated_orbit_backend(int threads) {
  return std::make_unique<EmulatedOrbitBackend>(threads);
}

std::unique_ptr<OrbitBankBackend> make_gpu_orbit_backend() {
  // Without the plugin (a build without CUDA) or a GPU, the loader's error says which and where it looked.
  return std::make_unique<GpuOrbitBackend>(load_gpu_walk_plugin("--symmetric --backend gpu"));
}

}  // namespace fmm::search
