#include "search/flip/walker_bank.hpp"

#include <type_traits>
#include <utility>

#include "search/flip/flip_walk.hpp"  // walker_seed
#include "search/flip/gpu_walk_plugin.hpp"
#include "search/run/thread_pool.hpp"
#include "tensor/error.hpp"

namespace fmm::search {

namespace {

// A term as the bank's words: GF(2) the three masks; ternary (p, n) of each factor with the
// term's sign folded into u (bank_walk_ternary.hpp holds terms without a sign).
void to_words(const FlipTerm<Gf2>& t, std::uint64_t* w) {
  for (int k = 0; k < 3; ++k) w[k] = t.f[k];
}
void to_words(const FlipTerm<Ternary>& t, std::uint64_t* w) {
  for (int k = 0; k < 3; ++k) w[2 * k] = t.f[k].p, w[2 * k + 1] = t.f[k].n;
  if (t.sign < 0) std::swap(w[0], w[1]);
}
// Back: ternary factors made canonical (lowest nonzero entry +1), the signs taken out multiplied
// into the term's sign, as FlipGraph<Ternary> holds them.
void from_words(const std::uint64_t* w, FlipTerm<Gf2>& t) {
  for (int k = 0; k < 3; ++k) t.f[k] = w[k];
}
void from_words(const std::uint64_t* w, FlipTerm<Ternary>& t) {
  t.sign = 1;
  for (int k = 0; k < 3; ++k) {
    t.f[k] = TernaryFactor{w[2 * k], w[2 * k + 1]};
    t.sign *= Ternary::canonicalize(t.f[k]);
  }
}

}  // namespace

template <class C>
WalkerBankOf<C>::WalkerBankOf(int walkers, int capacity, const std::vector<Term>& start, std::uint64_t seed) {
  if (walkers < 1 || capacity < 1) throw Error("a walker bank needs at least one walker and one term");
  if (capacity > bank::max_capacity(kDomain))
    throw Error(std::string("a ") + bank::domain_name(kDomain) + " walker bank holds at most " +
                std::to_string(bank::max_capacity(kDomain)) + " terms per walker, not " + std::to_string(capacity));
  if (static_cast<int>(start.size()) > capacity)
    throw Error("the start has " + std::to_string(start.size()) + " terms, more than the bank's room of " +
                std::to_string(capacity));
  const std::size_t words = static_cast<std::size_t>(capacity) * kWords * walkers;
  cur_.assign(words, 0);
  best_.assign(words, 0);
  rng_.resize(walkers);
  flips_.assign(walkers, 0);
  since_.assign(walkers, 0);
  plus_.assign(walkers, 0);
  rank_.assign(walkers, 0);
  best_rank_.assign(walkers, 0);
  improved_.assign(walkers, 0);
  view_ = bank::View{walkers,     capacity,      kDomain,       cur_.data(),  best_.data(),    rank_.data(),
                     best_rank_.data(), rng_.data(), flips_.data(), since_.data(), plus_.data(), improved_.data()};
  for (int w = 0; w < walkers; ++w) {
    rng_[w] = walker_seed(seed, static_cast<std::uint64_t>(w));
    restart(w, start);
  }
}

template <class C>
bool WalkerBankOf<C>::take_improved(int w) {
  const bool was = improved_[w] != 0;
  improved_[w] = 0;
  return was;
}

template <class C>
std::vector<typename WalkerBankOf<C>::Term> WalkerBankOf<C>::read(const std::vector<std::uint64_t>& from, int w,
                                                                  int rank) const {
  std::vector<Term> out(rank);
  const bank::TermsOf<kWords> s{const_cast<std::uint64_t*>(from.data()) + w, view_.walkers};
  for (int t = 0; t < rank; ++t) {
    std::uint64_t words[kWords];
    for (int k = 0; k < kWords; ++k) words[k] = s.at(t, k);
    from_words(words, out[t]);
  }
  return out;
}

template <class C>
void WalkerBankOf<C>::write(std::vector<std::uint64_t>& to, int w, const std::vector<Term>& terms) {
  const bank::TermsOf<kWords> s{to.data() + w, view_.walkers};
  for (std::size_t t = 0; t < terms.size(); ++t) {
    std::uint64_t words[kWords];
    to_words(terms[t], words);
    for (int k = 0; k < kWords; ++k) s.at(static_cast<int>(t), k) = words[k];
  }
}

template <class C>
void WalkerBankOf<C>::restart(int w, const std::vector<Term>& start) {
  if (static_cast<int>(start.size()) > view_.capacity) throw Error("restart scheme larger than the bank's room");
  // Through the walk's own reductions, so that the bank's invariant (no two terms sharing two
  // factors, no zero factor; over Z: none whose merge stays in {-1,0,1}) holds from the first flip.
  write(cur_, w, start);
  int rank = static_cast<int>(start.size());
  const bank::TermsOf<kWords> cur{cur_.data() + w, view_.walkers}, best{best_.data() + w, view_.walkers};
  using Moves = std::conditional_t<C::kSigned, bank::TernaryMoves, bank::Gf2Moves>;
  bank::with_slots<Moves>(view_.capacity, [&]<int S>() {
    auto s = std::make_unique<bank::HostWarp<S, kWords>>();
    s->load(cur, rank);
    for (int t = rank - 1; t >= 0; --t) {
      if (t >= rank) continue;
      int track[1] = {t};
      Moves::template settle<S>(*s, rank, track, 1);
    }
    s->store(cur, rank);
    s->store(best, rank);
  });
  rank_[w] = best_rank_[w] = rank;
  since_[w] = 0;
  improved_[w] = 0;
}

template <class C>
std::uint64_t WalkerBankOf<C>::flips() const {
  std::uint64_t f = 0;
  for (auto x : flips_) f += x;
  return f;
}

template <class C>
std::uint64_t WalkerBankOf<C>::plus_transitions() const {
  std::uint64_t f = 0;
  for (auto x : plus_) f += x;
  return f;
}

template class WalkerBankOf<Gf2>;
template class WalkerBankOf<Ternary>;

namespace {

class EmulatedBackend final : public BankBackend {
 public:
  explicit EmulatedBackend(int threads) : threads_(threads) {}
  void walk(const bank::View& v, std::uint64_t flips, const bank::Params& params, double seconds) override {
    const std::uint64_t stop_at = seconds > 0 ? bank::clock_ns() + static_cast<std::uint64_t>(seconds * 1e9) : 0;
    bank::with_domain(v.domain, [&]<class D>() {
      bank::with_slots<D>(v.capacity, [&]<int S>() {
        threads_.run(v.walkers, [&](int w) { bank::walk_on_host<D, S>(v, w, flips, params, stop_at); });
      });
    });
  }
  std::string describe() const override {
    return "GPU walk emulated on " + std::to_string(threads_.threads()) + " CPU thread(s)";
  }
  int resident_walkers(int, bank::Domain) const override { return 4 * threads_.threads(); }

 private:
  ThreadPool threads_;
};

// The plugin's entry points (gpu_walk_abi.hpp), resolved once per process.
class GpuBackend final : public BankBackend {
 public:
  explicit GpuBackend(const GpuWalkPlugin& plugin) : plugin_(plugin) {}
  void walk(const bank::View& v, std::uint64_t flips, const bank::Params& params, double seconds) override {
    char error[512] = {0};
    if (plugin_.epoch(&v, &params, flips, seconds, error, sizeof error) != 0)
      throw Error(std::string("GPU walk: ") + error);
  }
  std::string describe() const override { return "GPU walk on " + plugin_.device; }
  int resident_walkers(int capacity, bank::Domain domain) const override {
    const int n = plugin_.resident(capacity, static_cast<int>(domain));
    return n > 0 ? n : 4096;
  }

 private:
  GpuWalkPlugin plugin_;
};

}  // namespace

std::unique_ptr<BankBackend> make_emulated_backend(int threads) { return std::make_unique<EmulatedBackend>(threads); }

std::unique_ptr<BankBackend> make_gpu_backend() {
  return std::make_unique<GpuBackend>(load_gpu_walk_plugin("--backend gpu"));
}

}  // namespace fmm::search
