// `fmm search bench`: fixed formats, seeds and flip budgets on one thread and one walker, like
// Stockfish's `bench`. Because a single walker is deterministic, the flips done, ranks reached
// and the hash of each best scheme form a *signature*: a change that should not alter the
// search must not alter it (tests/search/test_bench.cpp pins the small mode's value).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "tensor/field.hpp"
#include "tensor/shape.hpp"

namespace fmm::search {

struct BenchCase {
  Shape shape;
  Field field;
  std::uint64_t seed;
  std::uint64_t flips;     // orbit moves for a symmetric case
  int symmetry_order = 0;  // 0: the plain walk; 3 or 6: the symmetric walk (run_symmetric_flip)
};

struct BenchRow {
  BenchCase c;
  int best_rank = 0;
  std::uint64_t flips = 0;
  std::uint64_t scheme_hash = 0;
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // this thread's CPU time (the machine may be shared)
};

struct BenchResult {
  std::vector<BenchRow> rows;
  std::uint64_t signature = 0;  // deterministic: does not include times
  double flips_per_s = 0;       // over the plain cases, wall clock
  double flips_per_cpu_s = 0;   // over the plain cases, per CPU second of the one thread
  double orbit_moves_per_cpu_s = 0;  // over the symmetric cases
};

// The fixed cases; `scale` divides the flip budgets (1 = full bench, 20 = the CTest mode).
std::vector<BenchCase> bench_cases(int scale);
BenchResult run_bench(const std::vector<BenchCase>& cases);
void print_bench(std::ostream& out, const BenchResult& result);

// Time to target: one walker on one thread walks from the standard algorithm of `shape` to
// `target` over GF2 for seeds 1..seeds; prints flips and CPU milliseconds per seed and the
// median CPU time (CPU time, because the machine may be shared). Returns the median in seconds.
double run_latency_bench(std::ostream& out, const Shape& shape, int target, int seeds);

}  // namespace fmm::search
