// Many GF(2) flip walkers in one block of memory, walked an epoch at a time either on the GPU
// (the plugin libfmm_gpu_walk.so, gpu/walk/) or by the host emulation of the same code on CPU
// threads (bank_walk.hpp). `fmm search --backend gpu` runs its walkers this way: tens of
// thousands of walkers at once where the CPU walk (flip_walk.hpp) runs one per thread.
//
// The bank lives in host memory; the GPU backend copies it to the device for an epoch and back
// (a few milliseconds for tens of megabytes, against epochs of about a second), so everything
// between epochs - reports, restarts from the pool - is plain host code.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "search/flip/bank_walk.hpp"
#include "search/flip/flip_graph.hpp"

namespace fmm::search {

class WalkerBank {
 public:
  using Term = FlipTerm<Gf2>;

  // `walkers` walkers, each starting from `start` (reduced as the walk reduces) with its own
  // seed walker_seed(seed, id), room for `capacity` terms.
  WalkerBank(int walkers, int capacity, const std::vector<Term>& start, std::uint64_t seed);

  int walkers() const { return view_.walkers; }
  int capacity() const { return view_.capacity; }
  int rank(int w) const { return rank_[w]; }
  int best_rank(int w) const { return best_rank_[w]; }
  // True once per new best of walker w (clears the flag).
  bool take_improved(int w);
  std::vector<Term> current(int w) const { return read(cur_, w, rank_[w]); }
  std::vector<Term> best(int w) const { return read(best_, w, best_rank_[w]); }
  // Starts walker w over from `start`, keeping its random stream and counters.
  void restart(int w, const std::vector<Term>& start);
  std::uint64_t flips() const;
  std::uint64_t plus_transitions() const;

  const bank::View& view() const { return view_; }

 private:
  std::vector<Term> read(const std::vector<std::uint64_t>& from, int w, int rank) const;
  void write(std::vector<std::uint64_t>& to, int w, const std::vector<Term>& terms);

  std::vector<std::uint64_t> cur_, best_, rng_, flips_, since_, plus_;
  std::vector<int> rank_, best_rank_;
  std::vector<std::uint32_t> improved_;
  bank::View view_;
};

// Where a bank's epochs run.
class BankBackend {
 public:
  virtual ~BankBackend() = default;
  // Walks every walker up to `flips` flips (fewer at the target, or once `seconds` have passed;
  // seconds <= 0: no limit).
  virtual void run(WalkerBank& bank, std::uint64_t flips, const bank::Params& params, double seconds) = 0;
  virtual std::string describe() const = 0;
  // Walkers of `capacity` terms the backend walks at once (the default bank size).
  virtual int resident_walkers(int capacity) const = 0;
};

// The host emulation: the GPU's code on `threads` CPU threads (OpenMP).
std::unique_ptr<BankBackend> make_emulated_backend(int threads);
// The GPU: loads libfmm_gpu_walk.so ($FMM_GPU_WALK_PLUGIN, or next to the running program, or
// its ../lib, or the loader's path) and picks CUDA device 0. Throws fmm::Error with the reason when there is
// no plugin, no CUDA driver or no GPU.
std::unique_ptr<BankBackend> make_gpu_backend();

}  // namespace fmm::search
