// `fmm search bench` is a signature (Stockfish's bench): fixed formats, seeds and flip budgets
// on one thread give the same flips, ranks and best-scheme hashes on every machine. A change
// that should not alter the search must not alter this value; a change that does (a new move
// rule, a different plateau default) updates it here on purpose, in the same commit.
#include <doctest/doctest.h>

#include <iostream>

#include "search/run/bench.hpp"

using namespace fmm::search;

namespace {
constexpr std::uint64_t kExpectedSmallSignature = 0xdd3764ef69e84a12ULL;  // `fmm search bench --small`
}

TEST_CASE("the small bench reproduces its committed signature") {
  BenchResult r = run_bench(bench_cases(20));
  print_bench(std::cout, r);
  CHECK(r.rows.size() == 4);
  for (const BenchRow& row : r.rows) {
    CHECK(row.flips == row.c.flips);
    CHECK(row.best_rank > 0);
  }
  CHECK(r.signature == kExpectedSmallSignature);
}

TEST_CASE("the bench is deterministic within a process") {
  std::vector<BenchCase> cases = {{{3, 3, 3}, fmm::Field::GF2, 9, 200'000}, {{2, 2, 3}, fmm::Field::Z, 9, 200'000}};
  CHECK(run_bench(cases).signature == run_bench(cases).signature);
}
