// Many symmetric flip walkers (orbit_bank_walk.hpp) in one block of memory, walked an epoch at a
// time: the symmetric counterpart of search/flip/walker_bank.hpp. `fmm search --symmetric
// --backend gpu-emulated` runs its walkers this way on CPU threads; `--backend gpu` runs the
// same walker code (walk_walker below) in a kernel, one warp a walker, on a device copy of the
// same View (gpu/walk/orbit_bank_kernel.cu).
//
// Everything a walker is lives in the View's arrays, walker-minor (entry i of walker w at
// [i * walkers + w]), so that a warp per walker reads its orbits coalesced and an epoch can stop
// and resume anywhere: walking a walker in several calls gives the same walk as in one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "search/run/checkpoint.hpp"
#include "search/symmetric/orbit_bank_walk.hpp"
#include "search/symmetric/symmetric_scheme.hpp"

namespace fmm::search::orbit_bank {

// Slots a lane the bank instantiates (32 orbits each); <8,8,8> under order 3 up to rank 512
// needs 171 orbits, 6 slots.
inline constexpr int kSlotChoices[] = {1, 2, 3, 4, 6};
inline constexpr int kMaxSlots = 6;
// Finished runs are counted by how far their best got below the start: bucket r holds runs whose
// best was start_rank - r (the last bucket: that far or farther).
inline constexpr int kRunBestSpan = 128;
// The last finished runs of each walker (best, moves), for the host's "run ended" lines.
inline constexpr int kFinishedRing = 16;

// A board in the bank's memory: value k of orbit o at orbits[(o * G + k) * stride], word k of
// fixed term t at fixed[(t * 3 + k) * stride] (stride = walkers, base offset by the walker; the
// shared start has stride 1).
struct BoardRef {
  std::uint64_t* orbits = nullptr;
  std::uint64_t* fixed = nullptr;
  int* norb = nullptr;
  int* nfixed = nullptr;
  std::int64_t stride = 1;
};

// What a bank holds, as raw pointers (host memory; a device copy for the GPU walk). An array added
// here goes into for_each_array of gpu/walk/orbit_bank_kernel.cu too, and raises kGpuWalkAbi.
struct View {
  int walkers = 0, order = 3, slots = 1;  // G and S of every walker
  int start_rank = 0;                     // of the settled start
  WalkParams params;
  // Boards: current and run-best per walker (orbits: 32 * slots * order words a walker;
  // fixed terms: kMaxFixed * 3 words), the shared start (stride 1).
  std::uint64_t *cur = nullptr, *cur_fixed = nullptr, *best = nullptr, *best_fixed = nullptr;
  int *cur_norb = nullptr, *cur_nfixed = nullptr, *best_norb = nullptr, *best_nfixed = nullptr;
  std::uint64_t *start = nullptr, *start_fixed = nullptr;
  int *start_norb = nullptr, *start_nfixed = nullptr;
  // Walker state (Walker's fields, orbit_bank_walk.hpp), one entry a walker.
  std::uint64_t *rng = nullptr, *moves = nullptr, *since_best = nullptr, *since_reduction = nullptr,
                *plus = nullptr, *runs = nullptr, *dry_steps = nullptr;
  std::uint64_t* run_start = nullptr;   // `moves` when the current run began
  std::uint64_t* move_limit = nullptr;  // a walker walks no further than this many moves in all
  int *best_rank = nullptr, *last_rank = nullptr, *dry = nullptr;
  std::uint32_t *improved = nullptr, *target_hit = nullptr, *overflow = nullptr;
  // Finished runs: run_bests[r * walkers + w] (r as kRunBestSpan says); the ring of the last
  // kFinishedRing, run i (from 0) of walker w in slot i % kFinishedRing.
  std::uint64_t* run_bests = nullptr;
  int* finished_best = nullptr;
  std::uint64_t* finished_moves = nullptr;
};

FMM_BANK_HD BoardRef cur_ref(const View& v, int w) {
  return {v.cur + w, v.cur_fixed + w, v.cur_norb + w, v.cur_nfixed + w, v.walkers};
}
FMM_BANK_HD BoardRef best_ref(const View& v, int w) {
  return {v.best + w, v.best_fixed + w, v.best_norb + w, v.best_nfixed + w, v.walkers};
}
FMM_BANK_HD BoardRef start_ref(const View& v) { return {v.start, v.start_fixed, v.start_norb, v.start_nfixed, 1}; }

// Board <- memory. The board is settled (it was when stored): no work pending. The warp loads
// the orbits (on the GPU each lane its own slots), the fixed terms their own storage.
template <int G, class B>
FMM_BANK_HD void read_board(const BoardRef& r, B& b) {
  b.norb = *r.norb;
  b.w.load(r.orbits, r.stride, b.norb);
  b.fixed.load(r.fixed, r.stride, *r.nfixed);
  b.nwork = 0;
}

// Memory <- board; `lead`: this lane writes the counts (on the GPU lane 0; each lane stores its
// own slots).
template <int G, class B>
FMM_BANK_HD void write_board(const BoardRef& r, const B& b, bool lead = true) {
  if (lead) {
    *r.norb = b.norb;
    *r.nfixed = b.fixed.count;
  }
  b.w.store(r.orbits, r.stride, b.norb);
  b.fixed.store(r.fixed, r.stride);
}

// Walker `id` of a bank while it walks: its current board in the warp, its counters in
// registers; start and best stay in the bank (walker_step's hooks read and write them there).
// On the GPU every lane of the warp runs it with the same values; only the `lead` lane writes
// the bank's per-walker entries (a counter incremented by 32 lanes would count 32).
template <int G, int S, class Warp = OrbitWarp<G, S>>
struct BankWalker {
  using Board = OrbitBoard<G, S, Warp>;
  const View* v = nullptr;
  int id = 0;
  bool lead = true;
  Board cur;
  std::uint64_t rng = 0, moves = 0, since_best = 0, since_reduction = 0, plus_transitions = 0, runs = 0,
                dry_steps = 0, run_start = 0;
  int best_rank = 0, last_rank = 0, dry = 0;
  bool target_hit = false;
  std::uint32_t improved = 0;

  FMM_BANK_HD void keep_best() { write_board<G>(best_ref(*v, id), cur, lead); }
  FMM_BANK_HD void load_start() { read_board<G>(start_ref(*v), cur); }
  // Called by new_run after ++runs, before the run's best is reset.
  FMM_BANK_HD void record_run() {
    if (lead) {
      int r = v->start_rank - best_rank;
      r = r < 0 ? 0 : r >= kRunBestSpan ? kRunBestSpan - 1 : r;
      ++v->run_bests[static_cast<std::int64_t>(r) * v->walkers + id];
      const std::int64_t slot = static_cast<std::int64_t>((runs - 1) % kFinishedRing) * v->walkers + id;
      v->finished_best[slot] = best_rank;
      v->finished_moves[slot] = moves - run_start;
    }
    run_start = moves;
  }
};

// Walks walker w of the bank up to `moves` moves (fewer at its move_limit, at the target, or once
// clock_ns() passes stop_at_ns, polled every 1024 moves; 0 = never), with walker_step's policy.
// `x` is scratch (the kernel's is in registers: x.cur.w a DeviceOrbitWarp, x.lead on lane 0).
// Loads everything from the view and stores it back, so that the walk does not depend on how its
// moves are split into calls. The clock is lane 0's in every lane (Warp::uniform), so that the
// lanes of a warp stop together.
template <int G, int S, class Warp = OrbitWarp<G, S>>
FMM_BANK_HD void walk_walker(const View& v, int w, BankWalker<G, S, Warp>& x, std::uint64_t moves,
                             std::uint64_t stop_at_ns) {
  x.v = &v;
  x.id = w;
  read_board<G>(cur_ref(v, w), x.cur);
  x.rng = v.rng[w], x.moves = v.moves[w], x.since_best = v.since_best[w], x.since_reduction = v.since_reduction[w];
  x.plus_transitions = v.plus[w], x.runs = v.runs[w], x.dry_steps = v.dry_steps[w], x.run_start = v.run_start[w];
  x.best_rank = v.best_rank[w], x.last_rank = v.last_rank[w], x.dry = v.dry[w];
  x.target_hit = v.target_hit[w] != 0;
  x.improved = v.improved[w];
  const std::uint64_t limit = v.move_limit[w];
  const std::uint64_t budget = x.moves >= limit ? 0 : limit - x.moves < moves ? limit - x.moves : moves;
  for (std::uint64_t n = 0; n < budget && !x.target_hit; ++n) {
    if (stop_at_ns && (n & 1023) == 0 && Warp::uniform(bank::clock_ns()) >= stop_at_ns) break;
    walker_step<G, S>(x, v.params);
  }
  write_board<G>(cur_ref(v, w), x.cur, x.lead);
  if (!x.lead) return;
  v.rng[w] = x.rng, v.moves[w] = x.moves, v.since_best[w] = x.since_best, v.since_reduction[w] = x.since_reduction;
  v.plus[w] = x.plus_transitions, v.runs[w] = x.runs, v.dry_steps[w] = x.dry_steps, v.run_start[w] = x.run_start;
  v.best_rank[w] = x.best_rank, v.last_rank[w] = x.last_rank, v.dry[w] = x.dry;
  v.target_hit[w] = x.target_hit ? 1 : 0;
  v.improved[w] = x.improved;
  if (x.cur.fixed.overflow) v.overflow[w] = 1;
}

// Calls f.template operator()<G, S>() for a bank's order and slots (false: not instantiated).
template <class F>
bool with_order_slots(int order, int slots, F&& f) {
  auto for_order = [&]<int G>() {
    switch (slots) {
      case 1: f.template operator()<G, 1>(); return true;
      case 2: f.template operator()<G, 2>(); return true;
      case 3: f.template operator()<G, 3>(); return true;
      case 4: f.template operator()<G, 4>(); return true;
      case 6: f.template operator()<G, 6>(); return true;
      default: return false;
    }
  };
  if (order == 3) return for_order.template operator()<3>();
  if (order == 6) return for_order.template operator()<6>();
  return false;
}

// The fewest slots (a kSlotChoices entry) holding `orbits` orbits; 0: more than kMaxSlots hold.
int slots_for(int orbits);

}  // namespace fmm::search::orbit_bank

namespace fmm::search {

// The host side of a bank of symmetric walkers: owns the View's arrays.
class OrbitBank {
 public:
  // `walkers` walkers of `slots` slots a lane, each at the start of its first run from `start`
  // (settled, as OrbitGraph does: its rank may come out lower) with the seed walker_seed(seed, id),
  // as the CPU walk seeds walker id. Throws fmm::Error when the start does not fit.
  OrbitBank(const SymmetricScheme& start, int slots, int walkers, std::uint64_t seed,
            const orbit_bank::WalkParams& params);

  int walkers() const { return view_.walkers; }
  int order() const { return view_.order; }
  int slots() const { return view_.slots; }
  int start_rank() const { return view_.start_rank; }
  int rank(int w) const { return view_.cur_nfixed[w] + view_.order * view_.cur_norb[w]; }
  int best_rank(int w) const { return view_.best_rank[w]; }  // of the walker's current run
  std::uint64_t moves(int w) const { return view_.moves[w]; }
  // True once per new best of walker w (clears the flag).
  bool take_improved(int w);
  SymmetricScheme current(int w) const;
  SymmetricScheme best(int w) const;
  // Walker w walks no further than `moves` moves in all (default: no limit).
  void set_move_limit(int w, std::uint64_t moves) { move_limit_[w] = moves; }
  // Throws fmm::Error if a walker's fixed terms overflowed (the walk would be wrong).
  void check() const;

  // Walker w for a checkpoint, and back: a restored walker walks on exactly as the saved one
  // would have. restore_walker throws fmm::Error when a board is not a settled board of this
  // bank's order that fits its slots (checkpoint.hpp: the caller verifies the schemes).
  OrbitWalkerState save_walker(int w) const;
  void restore_walker(int w, const OrbitWalkerState& s);

  std::uint64_t moves() const;
  std::uint64_t plus_transitions() const;
  std::uint64_t runs() const;
  // Finished runs of all walkers by their best rank (the lowest key: that rank or lower, when
  // runs got more than kRunBestSpan - 1 below the start).
  std::map<int, std::uint64_t> runs_by_best() const;
  // Runs finished since the last call, walker by walker; `lost`: those that fell out of a
  // walker's ring (more than kFinishedRing in one epoch).
  struct FinishedRun {
    int walker = 0, best = 0;
    std::uint64_t moves = 0;
  };
  std::vector<FinishedRun> take_finished(std::uint64_t* lost = nullptr);

  const orbit_bank::View& view() const { return view_; }

 private:
  SymmetricScheme read(const orbit_bank::BoardRef& r) const;

  int n_ = 0;
  std::vector<std::uint64_t> cur_, cur_fixed_, best_, best_fixed_, start_, start_fixed_;
  std::vector<int> cur_norb_, cur_nfixed_, best_norb_, best_nfixed_, start_counts_;
  std::vector<std::uint64_t> rng_, moves_, since_best_, since_reduction_, plus_, runs_, dry_steps_, run_start_,
      move_limit_, run_bests_, finished_moves_;
  std::vector<int> best_rank_, last_rank_, dry_, finished_best_;
  std::vector<std::uint32_t> improved_, target_hit_, overflow_;
  std::vector<std::uint64_t> collected_;  // runs of each walker already handed out by take_finished
  orbit_bank::View view_;
};

// Where a bank's epochs run (the emulation on CPU threads, or later the GPU).
class OrbitBankBackend {
 public:
  virtual ~OrbitBankBackend() = default;
  // Walks every walker up to `moves` moves (fewer at its move limit or the target, or once
  // `seconds` have passed, or at stop_flag(); seconds <= 0: no time limit).
  virtual void walk(const orbit_bank::View& view, std::uint64_t moves, double seconds) = 0;
  virtual std::string describe() const = 0;
  // Walkers a run of a bank of order `order` and `slots` slots gets when --walkers does not say.
  virtual int default_walkers(int order, int slots) const = 0;
};

// walk_walker on `threads` CPU threads (OpenMP), one walker per task.
std::unique_ptr<OrbitBankBackend> make_emulated_orbit_backend(int threads);
// The GPU: the kernel of the plugin libfmm_gpu_walk.so (gpu/walk/orbit_bank_kernel.cu), found
// as make_gpu_backend finds it (gpu_walk_plugin.hpp). Throws fmm::Error when the plugin cannot
// be loaded or finds no GPU.
std::unique_ptr<OrbitBankBackend> make_gpu_orbit_backend();

}  // namespace fmm::search
