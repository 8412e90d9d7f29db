// The cyclic-symmetric flip walk: the standard algorithm splits into fixed terms and orbits
// and is invariant under tensor/transform.hpp's cyclic(); random symmetric moves keep the
// scheme valid and invariant; walks reach the known ranks; the same seed gives the same result.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>

#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"
#include "search/symmetric/symmetric_search.hpp"
#include "search/symmetric/symmetric_walk.hpp"
#include "tensor/builtin.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search;

namespace {

// Invariance judged by tensor/transform.hpp's cyclic() itself, not by our own map: the sorted
// GF(2) terms of s and of cyclic(s) agree.
bool invariant_by_transform(const Scheme& s) {
  auto sorted = [](const Scheme& x) {
    std::vector<std::array<std::uint64_t, 3>> t;
    for (const auto& f : gf2_terms(x)) t.push_back({f.f[0], f.f[1], f.f[2]});
    std::sort(t.begin(), t.end());
    return t;
  };
  return sorted(s) == sorted(cyclic(s));
}

struct Found {
  int rank = 0;
  std::uint64_t flips = 0;
  std::vector<std::uint64_t> fingerprints;
};

Found walk(int n, std::uint64_t seed, std::uint64_t max_flips, int target, int walkers = 1, int threads = 1) {
  SearchConfig cfg;
  cfg.shape = Shape{n, n, n};
  cfg.field = Field::GF2;
  cfg.seed = seed;
  cfg.max_flips = max_flips;
  cfg.epoch_flips = 1u << 16;
  cfg.walkers = walkers;
  cfg.threads = threads;
  if (target) cfg.target_rank = target;
  Pool pool;
  SilentProgress quiet;
  SearchOutcome o = run_symmetric_flip(cfg, pool, quiet);
  Found f;
  f.rank = o.best_rank_gf2.value_or(0);
  f.flips = o.flips;
  for (const PoolEntry& e : pool.best(Field::GF2)) {
    CHECK(verify(e.scheme, Field::GF2).ok);
    CHECK(invariant_by_transform(e.scheme));
    f.fingerprints.push_back(e.fingerprint);
  }
  return f;
}

}  // namespace

TEST_CASE("the cyclic map: standard <n,n,n> splits into n fixed terms and (n^3 - n)/3 orbits") {
  for (int n : {2, 3, 4, 5}) {
    CAPTURE(n);
    const Scheme standard = standard_scheme(Shape{n, n, n});
    CHECK(invariant_by_transform(standard));
    SymmetricScheme sym = decompose_symmetric(standard);
    CHECK(static_cast<int>(sym.fixed.size()) == n);
    CHECK(static_cast<int>(sym.orbits.size()) == (n * n * n - n) / 3);
    // The fixed terms are the diagonal products e_ii (x) e_ii (x) e_ii.
    for (SymFactor a : sym.fixed) CHECK(std::popcount(a) == 1);
    for (SymFactor a : sym.fixed) CHECK(std::countr_zero(a) % (n + 1) == 0);
    const Scheme back = expand_symmetric(sym);
    CHECK(back.rank() == n * n * n);
    CHECK(verify(back, Field::GF2).ok);
    CHECK(invariant_by_transform(back));
  }
}

TEST_CASE("the cyclic map agrees with cyclic() term by term") {
  const BitTranspose T(3);
  const Scheme standard = standard_scheme(Shape{3, 3, 3});
  const auto terms = gf2_terms(standard);
  const auto images = gf2_terms(cyclic(standard));
  REQUIRE(terms.size() == images.size());
  for (std::size_t r = 0; r < terms.size(); ++r) {
    const SymTerm t{terms[r].f[0], terms[r].f[1], terms[r].f[2]};
    const SymTerm want{images[r].f[0], images[r].f[1], images[r].f[2]};
    CHECK(T.image(t, 1) == want);
    CHECK(T.preimage(T.image(t, 1), 1) == t);
    CHECK(T.image(T.image(T.image(t, 1), 1), 1) == t);
  }
}

TEST_CASE("a scheme that is not invariant is refused") {
  Scheme s = standard_scheme(Shape{3, 3, 3});
  s.remove_term(1);
  CHECK_FALSE(is_cyclic_invariant(s));
  CHECK_THROWS(decompose_symmetric(standard_scheme(Shape{2, 3, 4})));
}

TEST_CASE("Strassen's algorithm is cyclic-invariant: 1 fixed term + 2 orbits") {
  const Scheme s = strassen_scheme();
  REQUIRE(invariant_by_transform(s));
  SymmetricScheme sym = decompose_symmetric(s);
  CHECK(sym.fixed.size() == 1);
  CHECK(sym.orbits.size() == 2);
  CHECK(verify(expand_symmetric(sym), Field::GF2).ok);
}

TEST_CASE("random symmetric moves keep the scheme valid and invariant") {
  for (int n : {3, 4}) {
    CAPTURE(n);
    const std::uint64_t seed = 20250206 + n;
    std::printf("test_symmetric: random moves, n=%d, seed %llu\n", n, static_cast<unsigned long long>(seed));
    std::uint64_t rng = seed;
    SymmetricGraph g(n);
    g.assign(decompose_symmetric(standard_scheme(Shape{n, n, n})));
    int plus = 0, splits = 0;
    for (int batch = 0; batch < 200; ++batch) {
      for (int i = 0; i < 200; ++i) g.random_flip(rng);
      if (batch % 5 == 1) plus += g.plus_transition(rng);
      if (batch % 5 == 3) splits += g.split_fixed(rng);
      const SymmetricScheme sym = g.scheme();
      REQUIRE(sym.rank() == g.rank());
      const Scheme s = expand_symmetric(sym);
      CAPTURE(batch);
      REQUIRE(verify(s, Field::GF2).ok);
      REQUIRE(invariant_by_transform(s));
    }
    CHECK(plus > 0);
    CHECK(splits > 0);
  }
}

TEST_CASE("the symmetric walk reaches Strassen's rank 7 for <2,2,2>") {
  Found f = walk(2, 1, 2000000, 7);
  CHECK(f.rank == 7);
}

TEST_CASE("the symmetric walk reaches rank 23 for <3,3,3> over GF(2)") {
  Found f = walk(3, 1, 20000000, 23);
  std::printf("test_symmetric: <3,3,3> reached rank %d after %llu flips\n", f.rank,
              static_cast<unsigned long long>(f.flips));
  CHECK(f.rank <= 23);
}

TEST_CASE("same seed, same result; thread count does not matter") {
  Found a = walk(3, 7, 400000, 0, 2, 1);
  Found b = walk(3, 7, 400000, 0, 2, 1);
  Found c = walk(3, 7, 400000, 0, 2, 2);
  CHECK(a.rank == b.rank);
  CHECK(a.flips == b.flips);
  CHECK(a.fingerprints == b.fingerprints);
  CHECK(a.rank == c.rank);
  CHECK(a.fingerprints == c.fingerprints);
}

// Measurement driver for results/search/symmetric.md, skipped in the default run:
//   FMM_SYM_N=4 FMM_SYM_SECONDS=60 FMM_SYM_SEED=1 ./test_symmetric --no-skip -tc="*measurement*"
TEST_CASE("symmetric walk measurement run" * doctest::skip()) {
  const char* n_text = std::getenv("FMM_SYM_N");
  const char* s_text = std::getenv("FMM_SYM_SECONDS");
  const char* seed_text = std::getenv("FMM_SYM_SEED");
  const char* walkers_text = std::getenv("FMM_SYM_WALKERS");
  SearchConfig cfg;
  const int n = n_text ? std::atoi(n_text) : 3;
  cfg.shape = Shape{n, n, n};
  cfg.field = Field::GF2;
  cfg.time_limit_s = s_text ? std::atof(s_text) : 10;
  cfg.seed = seed_text ? std::strtoull(seed_text, nullptr, 10) : 1;
  cfg.walkers = walkers_text ? std::atoi(walkers_text) : 1;
  cfg.threads = 1;
  cfg.epoch_flips = 1u << 18;
  if (const char* t = std::getenv("FMM_SYM_PLATEAU")) cfg.plateau_limit = std::strtoull(t, nullptr, 10);
  if (const char* t = std::getenv("FMM_SYM_SLACK")) cfg.plus_slack = std::atoi(t);
  Pool pool;
  ConsoleProgress console(false);
  SearchOutcome o = run_symmetric_flip(cfg, pool, console);
  std::printf("n=%d seed=%llu seconds=%.1f flips=%llu (%.2f M/s) best rank %d\n", n,
              static_cast<unsigned long long>(cfg.seed), o.seconds, static_cast<unsigned long long>(o.flips),
              o.flips / o.seconds / 1e6, o.best_rank_gf2.value_or(0));
  for (const PoolEntry& e : pool.best(Field::GF2)) {
    CHECK(verify(e.scheme, Field::GF2).ok);
    CHECK(invariant_by_transform(e.scheme));
    const SymmetricScheme sym = decompose_symmetric(e.scheme);
    std::printf("  rank %d = %zu fixed + 3 x %zu orbits, by %s at %.2f s\n", e.scheme.rank(), sym.fixed.size(),
                sym.orbits.size(), e.found_by.c_str(), e.elapsed_s);
    break;
  }
}
