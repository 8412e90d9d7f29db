// A lift lottery at a fixed GF(2) rank: walk the GF(2) flip graph of a format and hold the walk
// at rank R (a reduction below R is undone at once by a plus transition), and hand every
// distinct rank-R scheme met every STRIDE flips to fmm's lift (sign lift, then Hensel; no flip
// neighbours, no rational reconstruction). The question: does some GF(2) scheme of rank R lift
// to Z where our walks only hold R over GF(2), e.g. <4,4,5> 61 (best known over Z; ours 62 over
// Z, 60 over GF(2) with no solution mod 4)? A measurement tool for README.md, not part of fmm.
// Build as split_lift.cpp:
//   g++ -std=c++20 -O2 -fopenmp -I. -Ibuild-device/generated results/search/lift_split/rank_lottery.cpp \
//     build-device/search/libfmm_search.a build-device/tensor/libfmm_tensor.a -lm4ri -lz -o /tmp/rank_lottery
//   /tmp/rank_lottery START R SECONDS OUT_DIR [stride=5000] [seed=1]   (threads: OMP_NUM_THREADS)
// START may be over GF(2) or Z (it is reduced mod 2); below R, plus transitions lift it to R.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

#include <omp.h>

#include "search/flip/flip_graph.hpp"
#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"  // splitmix64
#include "search/lift/lift.hpp"
#include "search/run/pool.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: rank_lottery START R SECONDS OUT_DIR [stride=5000] [seed=1]\n");
    return 2;
  }
  const Scheme start = reduce_mod2(read_one_scheme(argv[1], Field::GF2));  // verified mod 2 (a Z file too)
  const int R = std::atoi(argv[2]);
  const double seconds = std::atof(argv[3]);
  const std::string out_dir = argv[4];
  const std::uint64_t stride = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 5000;
  const std::uint64_t seed = argc > 6 ? std::strtoull(argv[6], nullptr, 10) : 1;
  if (R < 1 || seconds <= 0 || stride < 1) {
    std::fprintf(stderr, "R, SECONDS and STRIDE must be positive\n");
    return 2;
  }
  const Shape shape = start.shape();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                                std::chrono::duration<double>(seconds));
  std::mutex mu;
  std::set<std::uint64_t> seen;
  std::atomic<long> sampled{0}, no_mod4{0}, died{0}, lifted{0}, sign{0};
  std::atomic<std::uint64_t> flips{0};
  const int factor_bits = std::max({shape.a_size(), shape.b_size(), shape.c_size()});
#pragma omp parallel
  {
    std::uint64_t rng = seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(omp_get_thread_num()) * 7919 + 1;
    FlipGraph<Gf2> g(start.rank() + 8, factor_bits);
    g.assign(gf2_terms(start));
    std::uint64_t n = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      for (std::uint64_t i = 0; i < stride; ++i) {
        if (!g.random_flip(splitmix64(rng)) && !g.has_flip()) g.plus_transition(splitmix64(rng));
        while (g.rank() < R) g.plus_transition(splitmix64(rng));
      }
      n += stride;
      if (omp_get_thread_num() == 0 && n % (stride * 20000) == 0) {
        std::printf("thread 0: %llu flips, rank %d, %ld sampled so far\n", static_cast<unsigned long long>(n), g.rank(),
                    sampled.load());
        std::fflush(stdout);
      }
      if (g.rank() != R) continue;  // still above R (from the start): walk on
      const Scheme s = to_scheme(shape, g.terms());
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!seen.insert(Pool::fingerprint(s)).second) continue;
      }
      LiftOptions o;
      o.neighbours = 0;
      o.rational = false;
      o.hensel_tries = 2;
      o.seed = splitmix64(rng);
      const LiftResult r = lift_scheme(s, o);
      ++sampled;
      if (r.report.find("no solution mod 4") != std::string::npos) ++no_mod4;
      else if (!r.scheme) ++died;
      if (r.scheme && r.scheme->field() == Field::Z && verify(*r.scheme, Field::Z).ok) {
        const long k = ++lifted;
        if (r.route == LiftRoute::Sign) ++sign;
        if (k > 5) continue;  // a few files are enough (on formats where every scheme lifts, all would)
        const std::string path = out_dir + "/" + shape.str() + "_r" + std::to_string(R) + "_z_lottery" + std::to_string(k) + ".txt";
        Scheme z = *r.scheme;
        z.set_source("rank_lottery " + std::string(argv[1]) + " R " + std::to_string(R) + " seed " + std::to_string(seed) +
                     ": " + r.report);
        write_scheme_file(path, z, Format::Native);
        std::lock_guard<std::mutex> lock(mu);
        std::printf("LIFTED %ld: %s -> %s\n", k, r.report.c_str(), path.c_str());
        std::fflush(stdout);
      }
    }
    flips += n;
  }
  std::printf("done: %.0f s, %llu flips, %ld distinct rank-%d schemes lifted, of which %ld have no solution mod 4, "
              "%ld died on the Hensel paths, %ld lifted to Z (%ld by the sign lift)\n",
              seconds, static_cast<unsigned long long>(flips.load()), sampled.load(), R, no_mod4.load(), died.load(),
              lifted.load(), sign.load());
  return lifted.load() > 0 ? 0 : 1;
}
