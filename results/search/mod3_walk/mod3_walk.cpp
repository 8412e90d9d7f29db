// Experiment: the {-1,0,1} walk (flips leaving {-1,0,1} rejected) against a walk over Z/3
// (every flip allowed, entries mod 3 kept in {-1,0,1}); for Z/3, every new best is checked
// over Z as it stands ({-1,0,1} representative).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include "search/flip/flip_graph.hpp"
#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

namespace fmm::search {
// The {-1,0,1} domain's factor, canonical form and hash; only the addition differs.
template <class M>
struct Z3Of : TernaryOf<M> {
  using F = typename TernaryOf<M>::F;
  static bool add(const F& x, F y, int t, F& out) {
    if (t < 0) std::swap(y.p, y.n);
    const M xz = ~(x.p | x.n), yz = ~(y.p | y.n);
    out.p = (x.p & yz) | (y.p & xz) | (x.n & y.n);
    out.n = (x.n & yz) | (y.n & xz) | (x.p & y.p);
    return true;
  }
};
}  // namespace fmm::search

using namespace fmm;
using namespace fmm::search;
using Clock = std::chrono::steady_clock;

template <class C>
std::vector<FlipTerm<C>> to_terms(const Scheme& s) {
  auto t = flip_terms<Ternary>(s);
  std::vector<FlipTerm<C>> out(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    for (int k = 0; k < 3; ++k) out[i].f[k] = t[i].f[k];
    out[i].sign = t[i].sign;
  }
  return out;
}
template <class C>
Scheme to_z(const Shape& sh, const std::vector<FlipTerm<C>>& t) {
  std::vector<FlipTerm<Ternary>> o(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    for (int k = 0; k < 3; ++k) o[i].f[k] = t[i].f[k];
    o[i].sign = t[i].sign;
  }
  return flip_scheme<Ternary>(sh, o);
}

template <class C>
void run(const Scheme& start, double seconds, std::uint64_t seed, bool z3, int walkers_n) {
  const Shape sh = start.shape();
  WalkParams params;
  params.plateau_limit = std::clamp<long>(sh.classical_rank() * 300, 5000, 2000000);
  params.plus_slack = 4;
  const int cap = start.rank() + 16;
  std::vector<Walker<C>> ws;
  auto st = to_terms<C>(start);
  for (int i = 0; i < walkers_n; ++i) ws.emplace_back(cap, st, walker_seed(seed, i), factor_bits(sh));
  int best = start.rank(), bestz = start.rank();
  int tried = 0, valid = 0;
  auto t0 = Clock::now();
  std::uint64_t flips = 0;
  while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) {
    for (auto& w : ws) {
      w.run(1 << 20, params, nullptr, Clock::now() + std::chrono::hours(1));
      if (w.improved) {
        w.improved = false;
        double el = std::chrono::duration<double>(Clock::now() - t0).count();
        if (w.best_rank < best) {
          best = w.best_rank;
          std::printf("  %.1fs new best %d (%s)\n", el, best, z3 ? "mod 3" : "{-1,0,1}");
        }
        if (z3 && w.best_rank < bestz) {
          ++tried;
          Scheme s = to_z(sh, w.best);
          if (verify(s, Field::Z).ok) {
            ++valid;
            bestz = w.best_rank;
            std::printf("  %.1fs   valid over Z as it stands: %d\n", el, bestz);
          }
        }
      }
    }
  }
  for (auto& w : ws) flips += w.flips;
  std::printf("%s: best %d, Z-valid best %d, %d of %d new bests valid over Z, %.2f G flips\n",
              z3 ? "mod 3" : "{-1,0,1}", best, z3 ? bestz : best, valid, tried, flips / 1e9);
}

int main(int argc, char** argv) {
  Scheme s = read_one_scheme(argv[1]);
  double secs = std::atof(argv[2]);
  std::uint64_t seed = std::strtoull(argv[3], nullptr, 10);
  std::string mode = argv[4];
  std::printf("start %s rank %d\n", s.shape().str().c_str(), s.rank());
  if (mode == "zt") run<Ternary>(s, secs, seed, false, 4);
  else run<Z3Of<std::uint64_t>>(s, secs, seed, true, 4);
}
