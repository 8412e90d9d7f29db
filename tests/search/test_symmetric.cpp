// The symmetric flip walk (Moosbauer-Poole): orbit decompositions agree with
// tensor/transform.hpp's cyclic(); the grouped-diagonal starts are valid invariant schemes;
// random symmetric moves keep the scheme valid and invariant under both groups; walks reach
// the known ranks; the same seed gives the same result whatever the thread count; a
// checkpointed run resumes exactly.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "search/flip/flip_terms.hpp"
#include "search/run/checkpoint.hpp"
#include "search/symmetric/orbit_graph.hpp"
#include "search/symmetric/symmetric_lift.hpp"
#include "search/symmetric/symmetric_search.hpp"
#include "search/symmetric/symmetric_walk.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"
#include "tests/search/symmetric_testing.hpp"

using namespace fmm;
using namespace fmm::search;

namespace {

using test::invariant_by_transform;
using test::sorted_terms;

// The reversal written out on (u, v, w) directly: entry (i,j) -> (n-1-i, n-1-j) of every matrix.
Scheme reversed(const Scheme& s) {
  const int n = s.shape().n;
  Scheme out(s.shape(), s.field());
  for (int r = 0; r < s.rank(); ++r) {
    std::vector<Rational> u(n * n), v(n * n), w(n * n);
    for (int x = 0; x < n * n; ++x) {
      u[n * n - 1 - x] = s.u(r)[x];
      v[n * n - 1 - x] = s.v(r)[x];
      w[n * n - 1 - x] = s.w(r)[x];
    }
    out.add_term(u, v, w);
  }
  return out;
}

bool invariant_by_reversal(const Scheme& s) { return sorted_terms(s) == sorted_terms(reversed(s)); }

struct Found {
  int rank = 0;
  std::uint64_t moves = 0;
  std::vector<std::uint64_t> fingerprints;
};

SearchConfig walk_config(int n, std::uint64_t seed, std::uint64_t max_moves, int target, int walkers = 1,
                         int threads = 1, int order = 3) {
  return test::symmetric_config(n, seed, max_moves, target, walkers, threads, order);
}

Found walk(const SearchConfig& cfg) {
  Pool pool;
  SilentProgress quiet;
  SearchOutcome o = run_symmetric_flip(cfg, pool, quiet);
  Found f;
  f.rank = o.best_rank_gf2.value_or(0);
  f.moves = o.flips;
  for (const PoolEntry& e : pool.best(Field::GF2)) {
    CHECK(verify(e.scheme, Field::GF2).ok);
    CHECK(invariant_by_transform(e.scheme));
    if (cfg.symmetry_order == 6) CHECK(invariant_by_reversal(e.scheme));
    f.fingerprints.push_back(e.fingerprint);
  }
  return f;
}

Found walk(int n, std::uint64_t seed, std::uint64_t max_moves, int target, int walkers = 1, int threads = 1,
           int order = 3) {
  return walk(walk_config(n, seed, max_moves, target, walkers, threads, order));
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
    for (const SymTerm& t : sym.fixed) {
      CHECK(std::popcount(t[0]) == 1);
      CHECK(std::countr_zero(t[0]) % (n + 1) == 0);
      CHECK((t[0] == t[1] && t[1] == t[2]));
    }
    const Scheme back = expand_symmetric(sym);
    CHECK(back.rank() == n * n * n);
    CHECK(verify(back, Field::GF2).ok);
    CHECK(invariant_by_transform(back));
    // decompose(expand(s)) gives back the same orbits and representatives.
    const SymmetricScheme again = decompose_symmetric(back);
    CHECK(again.orbits == sym.orbits);
    CHECK(again.fixed == sym.fixed);
    // The standard algorithm is also invariant under the reversal: order 6.
    const SymmetricScheme six = decompose_symmetric(standard, 6);
    CHECK(six.rank() == n * n * n);
    CHECK(invariant_by_reversal(standard));
  }
}

TEST_CASE("the symmetry's images agree with cyclic() term by term, and the reversal with its definition") {
  const Symmetry S(3, 6);
  const Scheme standard = standard_scheme(Shape{3, 3, 3});
  const auto terms = gf2_terms(standard);
  const auto images = gf2_terms(cyclic(standard));
  const auto mirrored = gf2_terms(reversed(standard));
  REQUIRE(terms.size() == images.size());
  for (std::size_t r = 0; r < terms.size(); ++r) {
    const SymTerm t = S.from_uvw({terms[r].f[0], terms[r].f[1], terms[r].f[2]});
    CHECK(S.to_uvw(S.image(t, 1)) == SymTerm{images[r].f[0], images[r].f[1], images[r].f[2]});
    CHECK(S.to_uvw(S.image(t, 3)) == SymTerm{mirrored[r].f[0], mirrored[r].f[1], mirrored[r].f[2]});
    CHECK(S.image(S.image(S.image(t, 1), 1), 1) == t);
    CHECK(S.image(S.image(t, 3), 3) == t);
  }
}

TEST_CASE("a scheme that is not invariant is refused") {
  Scheme s = standard_scheme(Shape{3, 3, 3});
  s.remove_term(1);
  CHECK_FALSE(is_cyclic_invariant(s));
  CHECK_THROWS_AS(decompose_symmetric(s), Error);
  CHECK_THROWS(decompose_symmetric(standard_scheme(Shape{2, 3, 4})));
  // Strassen's algorithm is invariant under both groups.
  CHECK(is_invariant(strassen_scheme(), 3));
  CHECK(is_invariant(strassen_scheme(), 6));  // the paper's code reaches it with 6-way symmetry too
  SearchConfig cfg = walk_config(3, 1, 1000, 0);
  cfg.start = s;
  Pool pool;
  SilentProgress quiet;
  CHECK_THROWS_AS(run_symmetric_flip(cfg, pool, quiet), Error);
}

TEST_CASE("Strassen's algorithm is cyclic-invariant: 1 fixed term + 2 orbits") {
  const Scheme s = strassen_scheme();
  REQUIRE(invariant_by_transform(s));
  SymmetricScheme sym = decompose_symmetric(s);
  CHECK(sym.fixed.size() == 1);
  CHECK(sym.orbits.size() == 2);
  CHECK(verify(expand_symmetric(sym), Field::GF2).ok);
}

TEST_CASE("the grouped-diagonal starts of the paper's code are valid invariant schemes") {
  struct Case {
    int n, order;
    std::string groups;
    int rank;
  };
  // <5,5,5> with cubes {1,5},{2,4},{3}: 125 - 5 + 6 + 6 elementary terms + 3 cubes.
  for (const Case& c : {Case{2, 3, "11", 2 * 2 * 2 - 2 + 6 + 1}, Case{3, 3, "010,101", 27 - 3 + 6 + 2},
                        Case{4, 3, "1111", 64 - 4 + 60 + 1}, Case{5, 3, "10001,01010,00100", 135},
                        Case{5, 6, "10001,01010,00100", 135}, Case{4, 6, "1001,0110", 64 - 4 + 12 + 2},
                        Case{5, 3, "standard", 125}}) {
    CAPTURE(c.n);
    CAPTURE(c.groups);
    const SymmetricScheme s = diagonal_cubes_start(c.n, c.order, parse_cube_groups(c.n, c.groups));
    CHECK(s.rank() == c.rank);
    const Scheme x = expand_symmetric(s);
    CHECK(x.rank() == c.rank);
    CHECK(verify(x, Field::GF2).ok);
    CHECK(invariant_by_transform(x));
    if (c.order == 6) CHECK(invariant_by_reversal(x));
  }
  CHECK_THROWS_AS(diagonal_cubes_start(4, 3, parse_cube_groups(4, "1100,0110")), Error);  // covers 2 twice
  CHECK_THROWS_AS(diagonal_cubes_start(4, 6, parse_cube_groups(4, "1000,0111")), Error);  // not closed under R
  CHECK_THROWS_AS(parse_cube_groups(4, "11,0011"), Error);
}

TEST_CASE("the plus-transition ceiling is the case's, whether the walk starts from the cubes or a file") {
  SearchConfig cfg;
  cfg.shape = Shape{6, 6, 6};
  cfg.symmetry_order = 6;
  // The paper's <6,6,6> file: limit 216, held as 213 from the cube start (231) and from a 165.
  CHECK(symmetric_walk_params(cfg, 231).plus_limit == 213);
  cfg.start = standard_scheme(Shape{6, 6, 6});
  CHECK(symmetric_walk_params(cfg, 165).plus_limit == 213);
  CHECK(symmetric_walk_params(cfg, 216).plus_limit == 216);
  // n <= 5: the rank of the cube start (135 for <5,5,5>), also from a file of lower rank.
  cfg.shape = Shape{5, 5, 5};
  cfg.symmetry_order = 3;
  cfg.start.reset();
  CHECK(symmetric_walk_params(cfg, 135).plus_limit == 135);
  cfg.start = standard_scheme(Shape{5, 5, 5});
  CHECK(symmetric_walk_params(cfg, 102).plus_limit == 135);
  CHECK(symmetric_walk_params(cfg, 125).plus_limit == 134);  // 125 + 3k <= 135
  cfg.plus_limit = 110;  // an explicit --plus-limit wins
  CHECK(symmetric_walk_params(cfg, 102).plus_limit == 110);
}

TEST_CASE("random symmetric moves keep the scheme valid and invariant (orders 3 and 6)") {
  struct Case {
    int n, order;
    std::string groups;
  };
  for (const Case& c : {Case{3, 3, "standard"}, Case{4, 3, "1111"}, Case{5, 3, "10001,01010,00100"},
                        Case{4, 6, "1001,0110"}, Case{5, 6, "10001,01010,00100"}, Case{6, 6, "110000,001100,000011"}}) {
    CAPTURE(c.n);
    CAPTURE(c.order);
    const std::uint64_t seed = 20250206 + c.n * 10 + c.order;
    std::uint64_t rng = seed;
    const SymmetricScheme start = diagonal_cubes_start(c.n, c.order, parse_cube_groups(c.n, c.groups));
    auto check = [&](const auto& g, int batch) {
      const SymmetricScheme sym = g.scheme();
      REQUIRE(sym.rank() == g.rank());
      const Scheme s = expand_symmetric(sym);
      CAPTURE(batch);
      REQUIRE(verify(s, Field::GF2).ok);
      REQUIRE(invariant_by_transform(s));
      if (c.order == 6) REQUIRE(invariant_by_reversal(s));
    };
    auto run = [&](auto& g) {
      g.assign(start);
      int plus = 0, reductions = 0;
      for (int batch = 0; batch < 150; ++batch) {
        for (int i = 0; i < 300; ++i) {
          const int before = g.rank();
          g.random_flip(g.next_random(rng), rng);
          reductions += g.rank() < before;
        }
        if (batch % 3 == 1) plus += g.plus_transition(g.next_random(rng));
        check(g, batch);
      }
      CHECK(plus > 0);
      CHECK(reductions > 0);
    };
    if (c.order == 3) {
      OrbitGraph<3> g(c.n, start.rank() + 60);
      run(g);
    } else {
      OrbitGraph<6> g(c.n, start.rank() + 60);
      run(g);
    }
  }
}

TEST_CASE("each finished run leaves its trajectory: falling ranks at growing moves, within the run's length") {
  const SymmetricScheme start = diagonal_cubes_start(4, 3, parse_cube_groups(4, "1111"));
  SymmetricWalkParams params;
  params.plus_after = 1000;
  params.plus_limit = start.rank();
  params.plateau_limit = 20000;  // short runs, so that many end
  SymmetricWalker<3> w(start, start.rank() + 12, 99);
  w.run(400000, params, nullptr, std::chrono::steady_clock::time_point::max(), nullptr);
  REQUIRE(w.runs > 3);
  REQUIRE(w.finished.size() == w.runs);
  std::uint64_t total = 0;
  for (const auto& run : w.finished) {
    CHECK_FALSE(run.partial);
    REQUIRE_FALSE(run.bests.empty());
    for (std::size_t k = 1; k < run.bests.size(); ++k) {
      CHECK(run.bests[k].first < run.bests[k - 1].first);
      CHECK(run.bests[k].second >= run.bests[k - 1].second);
    }
    // A run ends exactly plateau_limit moves after its last new best.
    CHECK(run.moves == run.bests.back().second + params.plateau_limit);
    total += run.moves;
  }
  CHECK(total <= w.flips);
  CHECK(w.flips - total == w.flips - w.run_start);  // the rest is the run in progress
}

TEST_CASE("a run whose best stays above the give-up rank ends after the shorter patience") {
  const SymmetricScheme start = diagonal_cubes_start(4, 3, parse_cube_groups(4, "1111"));
  SymmetricWalkParams params;
  params.plus_after = 1000;
  params.plus_limit = start.rank();
  params.plateau_limit = 60000;
  params.give_up_moves = 5000;
  SymmetricWalker<3> probe(start, start.rank() + 12, 99);
  probe.run(20000, params, nullptr, std::chrono::steady_clock::time_point::max(), nullptr);
  // Between the start and what a run reaches, so that some runs end on each rule.
  params.give_up_rank = probe.best_rank + 3;
  SymmetricWalker<3> w(start, start.rank() + 12, 99);
  w.run(1'500'000, params, nullptr, std::chrono::steady_clock::time_point::max(), nullptr);
  int gave_up = 0, waited = 0;
  for (const auto& run : w.finished) {
    // A run without a new best holds the start's rank from move 0.
    const auto last = run.bests.empty() ? std::pair<int, std::uint64_t>{start.rank(), 0} : run.bests.back();
    const bool high = last.first > params.give_up_rank;
    CHECK(run.moves == last.second + (high ? params.give_up_moves : params.plateau_limit));
    (high ? gave_up : waited) += 1;
  }
  CHECK(gave_up > 0);
  CHECK(waited > 0);
}

TEST_CASE("the symmetric walk reaches Strassen's rank 7 for <2,2,2>") {
  Found f = walk(2, 1, 2000000, 7);
  CHECK(f.rank == 7);
}

TEST_CASE("the symmetric walk reaches rank 23 for <3,3,3> over GF(2)") {
  Found f = walk(3, 1, 20000000, 23);
  std::printf("test_symmetric: <3,3,3> reached rank %d after %llu moves\n", f.rank,
              static_cast<unsigned long long>(f.moves));
  CHECK(f.rank <= 23);
}

TEST_CASE("same seed, same result; thread count does not matter") {
  for (int order : {3, 6}) {
    CAPTURE(order);
    Found a = walk(4, 7, 400000, 0, 2, 1, order);
    Found b = walk(4, 7, 400000, 0, 2, 1, order);
    Found c = walk(4, 7, 400000, 0, 2, 2, order);
    CHECK(a.rank == b.rank);
    CHECK(a.moves == b.moves);
    CHECK(a.fingerprints == b.fingerprints);
    CHECK(a.rank == c.rank);
    CHECK(a.fingerprints == c.fingerprints);
  }
}

TEST_CASE("a checkpointed symmetric run resumes exactly") {
  const auto dir = std::filesystem::temp_directory_path() / "fmm_test_symmetric_resume";
  std::filesystem::create_directories(dir);
  const std::string cp = (dir / "cp.txt").string();
  SearchConfig whole = walk_config(4, 3, 3 * (1u << 16), 0, 2, 1);
  const Found full = walk(whole);
  // The same budget in two legs: stop after one epoch (its checkpoint), then resume.
  SearchConfig first = whole;
  first.max_flips = 2 * (1u << 16);  // one epoch of 2^16 moves for each of the 2 walkers
  first.checkpoint_path = cp;
  walk(first);
  SearchConfig second = whole;
  second.checkpoint_path = cp;
  second.resume = true;
  const Found resumed = walk(second);
  CHECK(resumed.moves == full.moves);
  CHECK(resumed.rank == full.rank);
  CHECK(resumed.fingerprints == full.fingerprints);
  // A resume under another walk policy goes on, and says so.
  walk(first);
  CHECK(test::policy_notes(second) == std::pair{false, true});
  std::filesystem::remove_all(dir);
}

// Measurement driver for results/search/symmetric.md, skipped in the default run:
//   FMM_SYM_N=5 FMM_SYM_SECONDS=60 FMM_SYM_SEED=1 ./test_symmetric --no-skip -tc="*measurement*"
TEST_CASE("symmetric walk measurement run" * doctest::skip()) {
  auto env = [](const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return std::string(v ? v : fallback);
  };
  const int n = std::stoi(env("FMM_SYM_N", "3"));
  SearchConfig cfg = walk_config(n, std::stoull(env("FMM_SYM_SEED", "1")), 0, std::stoi(env("FMM_SYM_TARGET", "0")),
                                 std::stoi(env("FMM_SYM_WALKERS", "1")), 1, std::stoi(env("FMM_SYM_ORDER", "3")));
  cfg.time_limit_s = std::stod(env("FMM_SYM_SECONDS", "10"));
  cfg.epoch_flips = 1u << 20;
  cfg.symmetric_cubes = env("FMM_SYM_CUBES", "");
  cfg.restart_after = std::stoull(env("FMM_SYM_RESTART", "0"));
  cfg.plateau_limit = std::stoull(env("FMM_SYM_PLUS_AFTER", "0"));
  cfg.plus_limit = std::stoi(env("FMM_SYM_PLUS_LIMIT", "0"));
  cfg.symmetric_restart = env("FMM_SYM_RESTART_FROM", "start");
  cfg.threads = std::stoi(env("FMM_SYM_THREADS", "1"));
  Pool pool;
  ConsoleProgress console(false);
  SearchOutcome o = run_symmetric_flip(cfg, pool, console);
  std::printf("n=%d seed=%llu seconds=%.1f moves=%llu (%.2f M/s) best rank %d\n", n,
              static_cast<unsigned long long>(cfg.seed), o.seconds, static_cast<unsigned long long>(o.flips),
              o.flips / o.seconds / 1e6, o.best_rank_gf2.value_or(0));
}

TEST_CASE("the orbits lift together: a symmetric GF(2) walk result lifts to an invariant Z scheme") {
  for (int order : {3, 6}) {
    CAPTURE(order);
    SearchConfig cfg = walk_config(3, 1, 20000000, 23, 1, 1, order);
    if (order == 6) {
      cfg.symmetric_cubes = "010,101";
      cfg.target_rank = 25;  // <3,3,3> under the order-6 group (the paper's code's 1-cube case targets 25)
    }
    Pool pool;
    SilentProgress quiet;
    run_symmetric_flip(cfg, pool, quiet);
    const auto best = pool.best(Field::GF2);
    REQUIRE(!best.empty());
    const Scheme& gf2 = best.front().scheme;
    LiftResult lr = lift_symmetric(gf2, order, LiftOptions{});
    INFO(lr.report);
    REQUIRE(lr.scheme);
    CHECK(lr.scheme->field() == Field::Z);
    CHECK(verify(*lr.scheme, Field::Z).ok);
    CHECK(lr.scheme->rank() == gf2.rank());
    // Invariant over Z, judged by tensor/transform.hpp's cyclic() on the integer scheme.
    auto sorted_z = [](const Scheme& s) {
      std::vector<std::vector<std::int64_t>> t;
      for (int r = 0; r < s.rank(); ++r) {
        std::vector<std::int64_t> row;
        for (const Rational& q : s.u(r)) row.push_back(q.num());
        for (const Rational& q : s.v(r)) row.push_back(q.num());
        for (const Rational& q : s.w(r)) row.push_back(q.num());
        t.push_back(row);
      }
      std::sort(t.begin(), t.end());
      return t;
    };
    CHECK(sorted_z(*lr.scheme) == sorted_z(cyclic(*lr.scheme)));
  }
  // A scheme that is not invariant has no ties.
  Scheme broken = standard_scheme(Shape{3, 3, 3});
  broken.remove_term(1);
  CHECK_THROWS_AS(symmetric_lift_ties(broken, 3), Error);
}

TEST_CASE("a --lift run with a target goes on until the target holds over Z") {
  SearchConfig cfg = walk_config(3, 2, 50000000, 23, 2, 1);
  cfg.lift = true;
  cfg.target_needs_z = true;
  Pool pool;
  SilentProgress quiet;
  SearchOutcome o = run_symmetric_flip(cfg, pool, quiet);
  CHECK(o.target_reached);
  REQUIRE(o.best_rank_z);
  CHECK(*o.best_rank_z <= 23);
  for (const PoolEntry& e : pool.best(Field::Z)) CHECK(verify(e.scheme, Field::Z).ok);
}

TEST_CASE("restarts from the pool's best: valid, invariant, the same with 1 or 2 threads") {
  auto config = [](int threads) {
    SearchConfig cfg = walk_config(4, 9, 2400000, 0, 4, threads);
    cfg.restart_after = 20000;  // many runs, so many restarts
    cfg.symmetric_restart = "best";
    return cfg;
  };
  const Found a = walk(config(1)), b = walk(config(2));
  CHECK(a.rank > 0);
  CHECK(a.rank <= 52);
  CHECK(a.fingerprints == b.fingerprints);
  // best:RANK: until the pool's best is at most RANK, runs start from the start. A bar no walk
  // reaches gives the start policy's walk exactly; a bar every walk passes, the best policy's.
  SearchConfig never = config(1), always = config(1), from_start = config(1);
  never.symmetric_restart = "best:1";
  always.symmetric_restart = "best:1000";
  from_start.symmetric_restart = "start";
  const Found n = walk(never), s = walk(from_start), al = walk(always);
  CHECK(n.fingerprints == s.fingerprints);
  CHECK(n.moves == s.moves);
  CHECK(al.fingerprints == a.fingerprints);
  CHECK(s.fingerprints != a.fingerprints);  // the two policies do walk differently here
  SearchConfig bad = config(1);
  bad.symmetric_restart = "nowhere";
  Pool pool;
  SilentProgress quiet;
  CHECK_THROWS_AS(run_symmetric_flip(bad, pool, quiet), Error);
}
