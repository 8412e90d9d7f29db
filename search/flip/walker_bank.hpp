// Many flip walkers in one block of memory, walked an epoch at a time either on the GPU (the
// plugin libfmm_gpu_walk.so, gpu/walk/) or by the host emulation of the same code on CPU threads
// (bank_walk.hpp). `fmm search --backend gpu` runs its walkers this way: tens of thousands of
// walkers at once where the CPU walk (flip_walk.hpp) runs one per thread. Two domains: GF(2)
// (WalkerBank, 3 words a term) and {-1,0,1} over Z (TernaryWalkerBank, 6 words a term: the
// factors with their signs, bank_walk_ternary.hpp), each reading and writing the CPU walk's
// terms (FlipTerm<Gf2>, FlipTerm<Ternary>).
//
// The bank lives in host memory; the GPU backend copies it to the device for an epoch and back
// (a few milliseconds for tens of megabytes, against epochs of about a second), so everything
// between epochs - reports, restarts from the pool - is plain host code.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "search/flip/bank_walk_ternary.hpp"
#include "search/flip/flip_graph.hpp"

namespace fmm::search {

// C: Gf2 or Ternary (one mask word a factor).
template <class C>
class WalkerBankOf {
 public:
  using Term = FlipTerm<C>;
  static constexpr bank::Domain kDomain = C::kSigned ? bank::Domain::Ternary : bank::Domain::Gf2;
  static constexpr int kWords = bank::words_per_term(kDomain);

  // `walkers` walkers, each starting from `start` (reduced as the walk reduces) with its own
  // seed walker_seed(seed, id), room for `capacity` terms (at most bank::max_capacity(kDomain)).
  WalkerBankOf(int walkers, int capacity, const std::vector<Term>& start, std::uint64_t seed);

  int walkers() const { return view_.walkers; }
  int capacity() const { return view_.capacity; }
  int rank(int w) const { return rank_[w]; }
  int best_rank(int w) const { return best_rank_[w]; }
  // True once per new best of walker w (clears the flag).
  bool take_improved(int w);
  // Ternary: canonical factors (lowest nonzero entry +1) with the sign on the term, as the CPU
  // walk holds them.
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
using WalkerBank = WalkerBankOf<Gf2>;
using TernaryWalkerBank = WalkerBankOf<Ternary>;
extern template class WalkerBankOf<Gf2>;
extern template class WalkerBankOf<Ternary>;

// Where a bank's epochs run.
class BankBackend {
 public:
  virtual ~BankBackend() = default;
  // Walks every walker up to `flips` flips (fewer at the target, or once `seconds` have passed;
  // seconds <= 0: no limit).
  template <class C>
  void run(WalkerBankOf<C>& bank, std::uint64_t flips, const bank::Params& params, double seconds) {
    walk(bank.view(), flips, params, seconds);
  }
  // The same on a bank's raw view (its domain says which walk).
  virtual void walk(const bank::View& view, std::uint64_t flips, const bank::Params& params, double seconds) = 0;
  virtual std::string describe() const = 0;
  // Walkers of `capacity` terms in `domain` the backend walks at once (the default bank size).
  virtual int resident_walkers(int capacity, bank::Domain domain) const = 0;
};

// The host emulation: the GPU's code on `threads` CPU threads (OpenMP).
std::unique_ptr<BankBackend> make_emulated_backend(int threads);
// The GPU: loads libfmm_gpu_walk.so ($FMM_GPU_WALK_PLUGIN, or next to the running program, or
// its ../lib, or the loader's path) and picks CUDA device 0. Throws fmm::Error with the reason when there is
// no plugin, no CUDA driver or no GPU.
std::unique_ptr<BankBackend> make_gpu_backend();

}  // namespace fmm::search
