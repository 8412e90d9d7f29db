// `fmm search bench` is a signature (Stockfish's bench): fixed formats, seeds and flip budgets
// on one thread give the same flips, ranks and best-scheme hashes on every machine. A change
// that should not alter the search must not alter this value; a change that does (a new move
// rule, a different plateau default) updates it here on purpose, in the same commit.
#include <doctest/doctest.h>

#include <iostream>

#include "search/run/bench.hpp"

using namespace fmm::search;

namespace {
// `fmm search bench --small`. The <5,5,5> symmetric case (fifth row) came with the O(1)
// symmetric walk; the four plain cases alone keep their earlier signature (checked below).
constexpr std::uint64_t kExpectedSmallSignature = 0x81e2c87847600538ULL;
constexpr std::uint64_t kExpectedPlainSignature = 0xdd3764ef69e84a12ULL;
}

TEST_CASE("the small bench reproduces its committed signature") {
  BenchResult r = run_bench(bench_cases(20));
  print_bench(std::cout, r);
  CHECK(r.rows.size() == 5);
  for (const BenchRow& row : r.rows) {
    CHECK(row.flips == row.c.flips);
    CHECK(row.best_rank > 0);
  }
  CHECK(r.signature == kExpectedSmallSignature);
}

TEST_CASE("the plain cases keep their flips: their signature is unchanged by the symmetric case") {
  std::vector<BenchCase> plain;
  for (const BenchCase& c : bench_cases(20))
    if (!c.symmetry_order) plain.push_back(c);
  CHECK(plain.size() == 4);
  CHECK(run_bench(plain).signature == kExpectedPlainSignature);
}

TEST_CASE("the bench is deterministic within a process") {
  std::vector<BenchCase> cases = {{{3, 3, 3}, fmm::Field::GF2, 9, 200'000}, {{2, 2, 3}, fmm::Field::Z, 9, 200'000}};
  CHECK(run_bench(cases).signature == run_bench(cases).signature);
}
