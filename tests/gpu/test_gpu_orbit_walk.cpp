// The GPU symmetric walk (gpu/walk/orbit_bank_kernel.cu, Moosbauer-Poole arXiv 2502.04514)
// against its host emulation (search/symmetric/orbit_bank.hpp): the same bank, seed and moves give
// the same boards and counters, walker for walker, on <3,3,3> under order 3 and <4,4,4>, <6,6,6>
// under order 6 from the cube starts; a timed epoch stops and leaves valid schemes. Skipped (77)
// without a GPU or the plugin.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "search/symmetric/orbit_bank.hpp"
#include "search/symmetric/symmetric_scheme.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search;
namespace ob = fmm::search::orbit_bank;

namespace {

std::unique_ptr<OrbitBankBackend> gpu_or_skip() {
  try {
    return make_gpu_orbit_backend();
  } catch (const Error& e) {
    std::printf("no GPU symmetric walk here (%s): skipping\n", e.what());
    std::fflush(stdout);
    std::exit(77);  // CTest SKIP_RETURN_CODE
  }
}

struct Case {
  int n, order;
  std::string groups;  // cube groups ("" = default_cube_groups)
  int walkers;
  std::uint64_t moves;  // per epoch
};

SymmetricScheme cube_start(const Case& c) {
  return diagonal_cubes_start(c.n, c.order, c.groups.empty() ? default_cube_groups(c.n) : parse_cube_groups(c.n, c.groups));
}

// Short plateaus and frequent plus transitions, so that an epoch sees every move: flips,
// reductions, collapses, plus transitions and new runs.
ob::WalkParams params_for(const SymmetricScheme& start) {
  ob::WalkParams p;
  p.plus_after = 300;
  p.plateau_limit = 4000;
  p.plus_limit = start.rank() + 2 * start.order;
  return p;
}

// The bank's slots as run_symmetric_bank sizes them.
int slots_for_start(const SymmetricScheme& start, const ob::WalkParams& p) {
  return ob::slots_for((p.plus_limit + 2 * start.order) / start.order + 2);
}

void check_same_walk(OrbitBankBackend& gpu, const Case& c) {
  CAPTURE(c.n);
  CAPTURE(c.order);
  const SymmetricScheme start = cube_start(c);
  const ob::WalkParams p = params_for(start);
  const int slots = slots_for_start(start, p);
  REQUIRE(slots > 0);
  OrbitBank on_gpu(start, slots, c.walkers, 11, p), on_cpu(start, slots, c.walkers, 11, p);
  // One walker stops early at its move limit (the budget arithmetic on the device).
  on_gpu.set_move_limit(1, c.moves / 3);
  on_cpu.set_move_limit(1, c.moves / 3);
  auto cpu = make_emulated_orbit_backend(4);
  for (int epoch = 0; epoch < 2; ++epoch) {
    gpu.walk(on_gpu.view(), c.moves, 0);
    cpu->walk(on_cpu.view(), c.moves, 0);
  }
  on_gpu.check();
  std::printf("test_gpu_orbit_walk: <%d,%d,%d> order %d, %d slots: %d walkers, %llu moves, %llu plus, %llu runs\n", c.n,
              c.n, c.n, c.order, slots, c.walkers, static_cast<unsigned long long>(on_gpu.moves()),
              static_cast<unsigned long long>(on_gpu.plus_transitions()),
              static_cast<unsigned long long>(on_gpu.runs()));
  CHECK(on_gpu.moves() == on_cpu.moves());
  CHECK(on_gpu.plus_transitions() == on_cpu.plus_transitions());
  CHECK(on_gpu.runs() == on_cpu.runs());
  CHECK(on_gpu.runs_by_best() == on_cpu.runs_by_best());
  const ob::View &g = on_gpu.view(), &h = on_cpu.view();
  int best = 1 << 30;
  for (int w = 0; w < c.walkers; ++w) {
    CAPTURE(w);
    REQUIRE(on_gpu.rank(w) == on_cpu.rank(w));
    CHECK(on_gpu.best_rank(w) == on_cpu.best_rank(w));
    CHECK(on_gpu.moves(w) == on_cpu.moves(w));
    CHECK(g.rng[w] == h.rng[w]);
    CHECK(g.since_best[w] == h.since_best[w]);
    CHECK(g.since_reduction[w] == h.since_reduction[w]);
    CHECK(g.dry_steps[w] == h.dry_steps[w]);
    CHECK(g.run_start[w] == h.run_start[w]);
    CHECK(g.last_rank[w] == h.last_rank[w]);
    CHECK(g.dry[w] == h.dry[w]);
    CHECK(g.improved[w] == h.improved[w]);
    CHECK(g.target_hit[w] == h.target_hit[w]);
    const SymmetricScheme a = on_gpu.current(w), b = on_cpu.current(w);
    CHECK(a.orbits == b.orbits);
    CHECK(a.fixed == b.fixed);
    const SymmetricScheme ab = on_gpu.best(w), bb = on_cpu.best(w);
    CHECK(ab.orbits == bb.orbits);
    CHECK(ab.fixed == bb.fixed);
    CHECK(verify(expand_symmetric(ab), Field::GF2).ok);
    best = std::min(best, on_gpu.best_rank(w));
  }
  CHECK(on_gpu.moves(1) == c.moves / 3);
  std::uint64_t lost_g = 0, lost_c = 0;
  const auto fg = on_gpu.take_finished(&lost_g), fc = on_cpu.take_finished(&lost_c);
  CHECK(lost_g == lost_c);
  REQUIRE(fg.size() == fc.size());
  for (std::size_t i = 0; i < fg.size(); ++i) {
    CHECK(fg[i].walker == fc[i].walker);
    CHECK(fg[i].best == fc[i].best);
    CHECK(fg[i].moves == fc[i].moves);
  }
  CHECK(best < on_gpu.start_rank());  // the walk got somewhere
}

}  // namespace

TEST_CASE("the GPU symmetric walk equals its host emulation, walker for walker") {
  auto gpu = gpu_or_skip();
  std::printf("test_gpu_orbit_walk: %s\n", gpu->describe().c_str());
  check_same_walk(*gpu, {3, 3, "", 300, 20000});
  check_same_walk(*gpu, {4, 6, "", 300, 20000});
  check_same_walk(*gpu, {6, 6, "110000,001100,000011", 128, 10000});
}

TEST_CASE("a timed GPU symmetric epoch stops on time with valid schemes") {
  auto gpu = gpu_or_skip();
  const Case c{6, 6, "110000,001100,000011", 0, 0};
  const SymmetricScheme start = cube_start(c);
  const ob::WalkParams p = params_for(start);
  const int slots = slots_for_start(start, p);
  OrbitBank bank(start, slots, gpu->default_walkers(6, slots), 3, p);
  std::printf("test_gpu_orbit_walk: %d resident walkers of <6,6,6> order 6, %d slots\n", bank.walkers(), slots);
  const auto t0 = std::chrono::steady_clock::now();
  gpu->walk(bank.view(), std::uint64_t{1} << 40, 0.5);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("test_gpu_orbit_walk: timed epoch of 0.5 s took %.2f s: %llu moves = %.1f M moves/s\n", s,
              static_cast<unsigned long long>(bank.moves()), bank.moves() / s / 1e6);
  CHECK(s < 5);
  CHECK(bank.moves() > 0);
  bank.check();
  for (int w = 0; w < bank.walkers(); w += 97) {
    CAPTURE(w);
    CHECK(verify(expand_symmetric(bank.current(w)), Field::GF2).ok);
    CHECK(verify(expand_symmetric(bank.best(w)), Field::GF2).ok);
  }
}
