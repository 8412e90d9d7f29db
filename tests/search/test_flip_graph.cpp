// The flip graph's moves keep the tensor: random flips, reductions and plus transitions on
// the standard algorithm and on Strassen/Laderman always leave a scheme that verifies, and
// walks from the standard algorithm reach the known ranks <2,2,2>: 7 and <3,3,3>: 23.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>

#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"
#include "tensor/builtin.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search;

namespace {

template <class C>
std::vector<FlipTerm<C>> terms_of(const Scheme& s) {
  if constexpr (std::is_same_v<C, Gf2>) return gf2_terms(s);
  else return ternary_terms(s);
}

template <class C>
void check_random_moves_keep_validity(const Scheme& start, std::uint64_t seed) {
  const Field field = std::is_same_v<C, Gf2> ? Field::GF2 : Field::Z;
  INFO("seed " << seed << " shape " << start.shape().str() << " field " << to_string(field));
  FlipGraph<C> g(start.rank() + 8);
  g.assign(terms_of<C>(start));
  std::uint64_t rng = seed;
  for (int step = 0; step < 2000; ++step) {
    if (step % 97 == 0 && g.rank() + 1 < g.capacity()) g.plus_transition(splitmix64(rng));
    else g.random_flip(splitmix64(rng));
    if (step % 50 == 0) {
      VerifyResult r = verify(to_scheme(start.shape(), g.terms()), field);
      REQUIRE_MESSAGE(r.ok, "after step " << step << ": " << r.message());
    }
  }
  CHECK(verify(to_scheme(start.shape(), g.terms()), field).ok);
}

template <class C>
int walk_to(const Shape& shape, int target, std::uint64_t seed, std::uint64_t budget, std::uint64_t plateau) {
  Walker<C> w(static_cast<int>(shape.classical_rank()) + 4, terms_of<C>(standard_scheme(shape)), walker_seed(seed, 0));
  WalkParams params;
  params.target_rank = target;
  params.plateau_limit = plateau;
  w.run(budget, params, nullptr, std::chrono::steady_clock::time_point::max());
  const Field field = std::is_same_v<C, Gf2> ? Field::GF2 : Field::Z;
  VerifyResult r = verify(to_scheme(shape, w.best), field);
  CHECK_MESSAGE(r.ok, r.message());
  CHECK(static_cast<int>(w.best.size()) == w.best_rank);
  return w.best_rank;
}

}  // namespace

TEST_CASE("random flips and plus transitions keep schemes valid over GF2") {
  for (std::uint64_t seed : {1, 2, 3}) {
    check_random_moves_keep_validity<Gf2>(standard_scheme({3, 3, 3}), seed);
    check_random_moves_keep_validity<Gf2>(standard_scheme({2, 3, 4}), seed);
    check_random_moves_keep_validity<Gf2>(laderman_scheme(), seed);
  }
}

TEST_CASE("random flips and plus transitions keep schemes valid over Z (ternary)") {
  for (std::uint64_t seed : {1, 2, 3}) {
    check_random_moves_keep_validity<Ternary>(standard_scheme({3, 3, 3}), seed);
    check_random_moves_keep_validity<Ternary>(standard_scheme({2, 3, 4}), seed);
    check_random_moves_keep_validity<Ternary>(laderman_scheme(), seed);
    check_random_moves_keep_validity<Ternary>(strassen_scheme(), seed);
  }
}

TEST_CASE("walks from the standard algorithm reach <2,2,2> rank 7 over GF2 and Z") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    INFO("seed " << seed);
    CHECK(walk_to<Gf2>({2, 2, 2}, 7, seed, 2'000'000, 2000) == 7);
    CHECK(walk_to<Ternary>({2, 2, 2}, 7, seed, 2'000'000, 2000) == 7);
  }
}

TEST_CASE("walks from the standard algorithm reach <3,3,3> rank 23 over GF2") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    CHECK(walk_to<Gf2>({3, 3, 3}, 23, seed, 50'000'000, 50000) == 23);
  }
}
