// The transposition-symmetric flip walk of <n,m,n> (transpose_scheme.hpp, transpose_graph.hpp):
// the bit transposes are transposes; the starts are valid invariant schemes of the rank the
// construction says; every move (flips, plus transitions, the fixed part's moves and their
// reductions) keeps the scheme valid and invariant; a non-invariant scheme is refused; the
// search goes below the standard <3,3,3> and gives the same result for a seed whatever the thread count.
#include <doctest/doctest.h>

#include <cstdint>

#include "search/symmetric/symmetric_search.hpp"
#include "search/symmetric/transpose_graph.hpp"
#include "search/symmetric/transpose_scheme.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search;

namespace {

int fixed_rank(const std::vector<int>& k) {
  int f = 0;
  for (int x : k) f += x;
  return f;
}

}  // namespace

TEST_CASE("the byte-table transposes are matrix transposes") {
  const TransposeMaps T(5, 3);
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 3; ++j) {
      CHECK(T.a_to_b(SymFactor{1} << (i * 3 + j)) == SymFactor{1} << (j * 5 + i));
      CHECK(T.b_to_a(SymFactor{1} << (j * 5 + i)) == SymFactor{1} << (i * 3 + j));
    }
  for (int i = 0; i < 5; ++i)
    for (int k = 0; k < 5; ++k) CHECK(T.c_t(SymFactor{1} << (i * 5 + k)) == SymFactor{1} << (k * 5 + i));
  const SymFactor x = 0x5A3C;  // 15 bits
  CHECK(T.b_to_a(T.a_to_b(x)) == x);
}

TEST_CASE("transposition starts are valid invariant schemes of the stated rank") {
  for (auto [n, m] : {std::pair{2, 2}, {3, 2}, {2, 3}, {5, 3}, {4, 5}}) {
    for (const std::string& groups : {std::string("standard"), std::string("")}) {
      const auto k = groups.empty() ? default_row_groups(n, m, 0) : parse_row_groups(n, m, groups);
      const SymmetricScheme s = transpose_rows_start(n, m, k);
      CAPTURE(n);
      CAPTURE(m);
      CAPTURE(groups);
      CHECK(static_cast<int>(s.fixed.size()) == fixed_rank(k));
      const Scheme e = expand_transpose(s);
      CHECK(e.shape() == Shape{n, m, n});
      CHECK(verify(e, Field::GF2).ok);
      const SymmetricScheme back = decompose_transpose(e);
      CHECK(back.rank() == s.rank());
      CHECK(back.fixed.size() == s.fixed.size());
    }
  }
  // The standard algorithm itself: n*m fixed products, the rest in pairs.
  CHECK(transpose_rows_start(5, 3, parse_row_groups(5, 3, "standard")).rank() == 75);
  // One group a row: n fixed terms, and the cross products of each row's columns in pairs.
  CHECK(transpose_rows_start(5, 3, {1, 1, 1, 1, 1}).rank() == 5 + 5 * 3 * 4 + 5 * 3 * 2);
  CHECK(default_row_groups(5, 3, 58) == std::vector<int>{2, 1, 1, 1, 1});
  CHECK(default_row_groups(5, 3, 59) == std::vector<int>{1, 1, 1, 1, 1});
  CHECK_THROWS_AS(parse_row_groups(5, 3, "1,1,1"), Error);
  CHECK_THROWS_AS(parse_row_groups(5, 3, "4,1,1,1,1"), Error);
  CHECK_THROWS_AS(parse_row_groups(5, 3, "1,1,x,1,1"), Error);
}

TEST_CASE("a scheme that is not transposition-invariant is refused, a wrong format named") {
  CHECK_THROWS_AS(decompose_transpose(builtin_scheme("random:3x3x3:6:1")), Error);
  // Strassen's <2,2,2> is invariant as written: 3 fixed products and 2 pairs.
  const SymmetricScheme strassen = decompose_transpose(builtin_scheme("strassen"));
  CHECK(strassen.fixed.size() == 3);
  CHECK(strassen.orbits.size() == 2);
  CHECK_THROWS_WITH_AS(decompose_transpose(Scheme(Shape{3, 5, 5}, Field::GF2)),
                       doctest::Contains("5x3x5"), Error);
}

TEST_CASE("random transposition moves keep the scheme valid and invariant") {
  for (auto [n, m, groups] : {std::tuple{3, 4, "1,1,1"}, {4, 3, "2,1,1,1"}, {5, 3, "standard"}, {2, 3, "1,2"}}) {
    const SymmetricScheme start = transpose_rows_start(n, m, parse_row_groups(n, m, groups));
    TransposeGraph g(n, m, start.rank() + 40);
    g.assign(start);
    std::uint64_t rng = 12345 + static_cast<std::uint64_t>(n * 10 + m);
    int plus = 0, fixed_changes = 0;
    std::size_t fixed_before = g.scheme().fixed.size();
    for (int step = 0; step < 4000; ++step) {
      const std::uint64_t r = TransposeGraph::next_random(rng);
      if (step % 7 == 0 && g.rank() + 2 <= start.rank() + 30) plus += g.plus_transition(r);
      else if (!g.random_flip(r, rng) && g.rank() + 2 <= start.rank() + 30) plus += g.plus_transition(r);
      const SymmetricScheme s = g.scheme();
      fixed_changes += s.fixed.size() != fixed_before;
      fixed_before = s.fixed.size();
      if (step % 50 == 0 || step > 3990) {
        const Scheme e = expand_transpose(s);
        CAPTURE(step);
        REQUIRE(verify(e, Field::GF2).ok);
        REQUIRE(decompose_transpose(e).rank() == s.rank());
        REQUIRE(s.rank() == g.rank());
      }
    }
    CHECK(plus > 0);
    CHECK(fixed_changes > 0);  // the fixed part moves too
  }
}

TEST_CASE("the transposition search goes below the standard <3,3,3>, the same for any thread count") {
  SearchConfig cfg;
  cfg.shape = Shape{3, 3, 3};
  cfg.field = Field::GF2;
  cfg.symmetric = true;
  cfg.symmetry_order = 2;
  cfg.target_rank = 23;
  cfg.seed = 1;
  cfg.walkers = 4;
  cfg.max_flips = 40'000'000;
  Pool pool_a;
  SilentProgress quiet;
  cfg.threads = 1;
  const SearchOutcome a = run_symmetric_flip(cfg, pool_a, quiet);
  REQUIRE(a.best_rank_gf2);
  CHECK(*a.best_rank_gf2 <= 25);  // 23 in 1 s before the fixed part's moves (results/search/transpose_walk.md)
  for (const PoolEntry& e : pool_a.best(Field::GF2)) CHECK(verify(e.scheme, Field::GF2).ok);
  Pool pool_b;
  cfg.threads = 2;
  const SearchOutcome b = run_symmetric_flip(cfg, pool_b, quiet);
  CHECK(b.best_rank_gf2 == a.best_rank_gf2);
  CHECK(b.flips == a.flips);
  CHECK(pool_b.best(Field::GF2).front().scheme == pool_a.best(Field::GF2).front().scheme);
}
