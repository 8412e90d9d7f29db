// The flip graph's moves keep the tensor: random flips, reductions and plus transitions on
// the standard algorithm and on Strassen/Laderman always leave a scheme that verifies, and
// walks from the standard algorithm reach the known ranks <2,2,2>: 7 and <3,3,3>: 23; walks with
// 2- and 4-word factors (formats past nm, mp, np = 64) follow the one-word walk flip for flip.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <map>

#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"
#include "tensor/builtin.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search;

namespace {

template <class C>
std::vector<FlipTerm<C>> terms_of(const Scheme& s) {
  return flip_terms<C>(s);
}

template <class C>
Scheme to_scheme(const Shape& shape, const std::vector<FlipTerm<C>>& terms) {
  return flip_scheme<C>(shape, terms);
}

template <class C>
constexpr Field field_of() {
  return C::kSigned ? Field::Z : Field::GF2;
}

template <class C>
void check_random_moves_keep_validity(const Scheme& start, std::uint64_t seed) {
  const Field field = field_of<C>();
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
  const Field field = field_of<C>();
  VerifyResult r = verify(to_scheme(shape, w.best), field);
  CHECK_MESSAGE(r.ok, r.message());
  CHECK(static_cast<int>(w.best.size()) == w.best_rank);
  return w.best_rank;
}

// As above, with half the flips focused (FlipGraph::focused_flip) and, over GF2, general
// reductions (FlipGraph::set_general_reductions).
template <class C>
void check_focused_moves_keep_validity(const Scheme& start, std::uint64_t seed) {
  const Field field = field_of<C>();
  INFO("seed " << seed << " shape " << start.shape().str() << " field " << to_string(field));
  FlipGraph<C> g(start.rank() + 8);
  g.set_general_reductions(true);
  g.assign(terms_of<C>(start));
  std::uint64_t rng = seed;
  for (int step = 0; step < 2000; ++step) {
    if (step % 97 == 0 && g.rank() + 1 < g.capacity()) g.plus_transition(splitmix64(rng));
    else if (step % 2) g.focused_flip(splitmix64(rng));
    else g.random_flip(splitmix64(rng));
    if (step % 50 == 0) {
      VerifyResult r = verify(to_scheme(start.shape(), g.terms()), field);
      REQUIRE_MESSAGE(r.ok, "after step " << step << ": " << r.message());
    }
  }
  CHECK(verify(to_scheme(start.shape(), g.terms()), field).ok);
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

// The walk does not depend on the width of its masks: the same seed gives the same moves, so a
// format that fits one word walks identically with two or four (only the index differs).
template <class Narrow, class Wide>
void check_same_walk(const Shape& shape, std::uint64_t seed) {
  INFO("shape " << shape.str() << " seed " << seed << " words " << Wide::kWords);
  const Scheme start = standard_scheme(shape);
  const int capacity = start.rank() + 4;
  Walker<Narrow> a(capacity, terms_of<Narrow>(start), walker_seed(seed, 0), factor_bits(shape));
  Walker<Wide> b(capacity, terms_of<Wide>(start), walker_seed(seed, 0), factor_bits(shape));
  WalkParams params;
  params.plateau_limit = 5000;
  params.plus_from_rank = start.rank();
  for (int epoch = 0; epoch < 4; ++epoch) {
    a.run(100'000, params, nullptr, std::chrono::steady_clock::time_point::max());
    b.run(100'000, params, nullptr, std::chrono::steady_clock::time_point::max());
    REQUIRE(a.flips == b.flips);
    REQUIRE(a.best_rank == b.best_rank);
    REQUIRE(a.plus_transitions == b.plus_transitions);
    REQUIRE(to_scheme(shape, a.graph.terms()) == to_scheme(shape, b.graph.terms()));
  }
}

TEST_CASE("walks with 2- and 4-word factors follow the one-word walk exactly") {
  for (std::uint64_t seed : {1, 2}) {
    check_same_walk<Gf2, Gf2Of<WideMask<2>>>({3, 3, 3}, seed);
    check_same_walk<Gf2, Gf2Of<WideMask<4>>>({2, 3, 4}, seed);
    check_same_walk<Ternary, TernaryOf<WideMask<2>>>({2, 3, 4}, seed);
    check_same_walk<Ternary, TernaryOf<WideMask<4>>>({3, 3, 3}, seed);
  }
}

TEST_CASE("random moves keep schemes of formats past 64 entries valid (2 and 4 words)") {
  // <3,9,9>: B has 81 entries (2 words); <2,9,16>: 144 (4 words); <16,16,16>: 256.
  CHECK(mask_words({3, 9, 9}) == 2);
  CHECK(mask_words({2, 9, 16}) == 4);
  CHECK(mask_words({16, 16, 16}) == 4);
  CHECK(mask_words({8, 8, 8}) == 1);
  for (std::uint64_t seed : {1, 2}) {
    check_random_moves_keep_validity<Gf2Of<WideMask<2>>>(standard_scheme({3, 9, 9}), seed);
    check_random_moves_keep_validity<Gf2Of<WideMask<4>>>(standard_scheme({2, 9, 16}), seed);
    check_random_moves_keep_validity<TernaryOf<WideMask<2>>>(standard_scheme({3, 9, 9}), seed);
    check_random_moves_keep_validity<TernaryOf<WideMask<4>>>(standard_scheme({2, 9, 16}), seed);
  }
  // A factor's top entry (bit 255) survives the round trip.
  const Scheme big = standard_scheme({16, 16, 16});
  CHECK(to_scheme(big.shape(), terms_of<Gf2Of<WideMask<4>>>(big)) == reduce_mod2(big));
  CHECK_THROWS(terms_of<Gf2Of<WideMask<2>>>(big));
}

// No set of terms sharing a factor has linearly dependent factors of another kind (the
// invariant general reductions keep); brute force over GF2.
bool has_dependent_bucket(const std::vector<FlipTerm<Gf2>>& ts) {
  for (int kb = 0; kb < 3; ++kb)
    for (int ky = 0; ky < 3; ++ky) {
      if (ky == kb) continue;
      std::map<std::uint64_t, std::vector<std::uint64_t>> buckets;
      for (const auto& t : ts) buckets[t.f[kb]].push_back(t.f[ky]);
      for (auto& [x, ys] : buckets) {
        std::vector<std::uint64_t> basis;
        for (std::uint64_t y : ys) {
          for (std::uint64_t b : basis)
            if (y & (b & (0 - b))) y ^= b;
          if (!y) return true;
          for (auto& b : basis)
            if (b & (y & (0 - y))) b ^= y;
          basis.push_back(y);
        }
      }
    }
  return false;
}

TEST_CASE("general reductions keep schemes valid and leave no dependent bucket (GF2)") {
  for (std::uint64_t seed : {1, 2, 3})
    for (const Scheme& start : {standard_scheme({3, 3, 3}), standard_scheme({4, 4, 4}), laderman_scheme()}) {
      INFO("seed " << seed << " shape " << start.shape().str());
      FlipGraph<Gf2> g(start.rank() + 8);
      g.set_general_reductions(true);
      g.assign(gf2_terms(start));
      std::uint64_t rng = seed;
      for (int step = 0; step < 3000; ++step) {
        if (step % 97 == 0 && g.rank() + 1 < g.capacity()) g.plus_transition(splitmix64(rng));
        else g.random_flip(splitmix64(rng));
        if (step % 50 == 0) {
          REQUIRE(verify(to_scheme(start.shape(), g.terms()), Field::GF2).ok);
          REQUIRE_FALSE(has_dependent_bucket(g.terms()));
        }
      }
    }
  // Without them such buckets do arise (so the check above has teeth).
  int dependent = 0;
  for (std::uint64_t seed : {1, 2, 3}) {
    FlipGraph<Gf2> g(72);
    g.assign(gf2_terms(standard_scheme({4, 4, 4})));
    std::uint64_t rng = seed;
    for (int step = 0; step < 3000; ++step) {
      if (step % 97 == 0 && g.rank() + 1 < g.capacity()) g.plus_transition(splitmix64(rng));
      else g.random_flip(splitmix64(rng));
      if (step % 50 == 0) dependent += has_dependent_bucket(g.terms());
    }
  }
  CHECK(dependent > 0);
}

TEST_CASE("focused flips (and GF2 general reductions) keep schemes valid, for 1, 2 and 4 words") {
  for (std::uint64_t seed : {1, 2}) {
    check_focused_moves_keep_validity<Gf2>(standard_scheme({3, 3, 3}), seed);
    check_focused_moves_keep_validity<Gf2>(laderman_scheme(), seed);
    check_focused_moves_keep_validity<Ternary>(standard_scheme({2, 3, 4}), seed);
    check_focused_moves_keep_validity<Ternary>(laderman_scheme(), seed);
    check_focused_moves_keep_validity<Gf2Of<WideMask<2>>>(standard_scheme({3, 9, 9}), seed);
    check_focused_moves_keep_validity<Gf2Of<WideMask<4>>>(standard_scheme({2, 9, 16}), seed);
    check_focused_moves_keep_validity<TernaryOf<WideMask<2>>>(standard_scheme({3, 9, 9}), seed);
  }
}

TEST_CASE("a walk with focused flips, general reductions and a descent phase reaches <3,3,3> rank 23 over GF2") {
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    INFO("seed " << seed);
    Walker<Gf2> w(31, terms_of<Gf2>(standard_scheme({3, 3, 3})), walker_seed(seed, 0));
    WalkParams params;
    params.target_rank = 23;
    params.plateau_limit = 50000;
    params.general_reductions = true;
    params.focus = 1 << 15;
    params.descent_limit = 1000;
    w.run(50'000'000, params, nullptr, std::chrono::steady_clock::time_point::max());
    CHECK(w.best_rank == 23);
    CHECK(verify(to_scheme(Shape{3, 3, 3}, w.best), Field::GF2).ok);
    // The descent phase started at 1000 flips and doubles after kStuckReturns fruitless returns.
    CHECK(w.limit >= 1000);
    CHECK(w.limit <= 50000);
  }
}

TEST_CASE("a drifting walk (plus transitions after flips without a reduction) reaches <3,3,3> rank 23 and <2,2,3> 11") {
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    INFO("seed " << seed);
    for (Shape shape : {Shape{3, 3, 3}, Shape{2, 2, 3}}) {
      const int target = shape == Shape{3, 3, 3} ? 23 : 11;
      Walker<Gf2> w(shape.classical_rank() + 10, terms_of<Gf2>(standard_scheme(shape)), walker_seed(seed, 0));
      WalkParams params;
      params.target_rank = target;
      params.plateau_limit = 5'000'000;
      params.plus_slack = 8;
      params.drift_after = 2000;
      w.run(200'000'000, params, nullptr, std::chrono::steady_clock::time_point::max());
      CHECK(w.best_rank == target);
      CHECK(verify(to_scheme(shape, w.best), Field::GF2).ok);
      if (shape == Shape{3, 3, 3}) CHECK(w.plus_transitions > 0);  // <2,2,3> is reached without one
      // The current scheme stays valid and within the slack above the best.
      CHECK(verify(to_scheme(shape, w.graph.terms()), Field::GF2).ok);
      CHECK(w.graph.rank() <= w.best_rank + params.plus_slack + 1);
    }
  }
}
