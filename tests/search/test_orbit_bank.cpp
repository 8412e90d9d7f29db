// The warp-per-walker symmetric flip walk (search/symmetric/orbit_bank_walk.hpp) in its host
// emulation: random moves keep the expanded scheme valid over GF(2), invariant and reduced;
// walks reach <2,2,2> rank 7 and <3,3,3> rank 23; a walk is determined by its seed; the rank
// bookkeeping holds after every move; and the emulated move rate on <6,6,6> (printed). The bank
// (orbit_bank.hpp): a bank walker walks as the single walker of its seed, however its moves are
// split; the bank search (run_symmetric_bank) reaches <2,2,2> 7 and <3,3,3> 23 with valid,
// invariant schemes and does not depend on the thread count.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"  // walker_seed
#include "search/run/progress.hpp"
#include "search/symmetric/orbit_bank.hpp"
#include "search/symmetric/orbit_bank_walk.hpp"
#include "search/symmetric/symmetric_search.hpp"
#include "search/symmetric/symmetric_scheme.hpp"
#include "search/symmetric/symmetric_walk.hpp"
#include "tensor/error.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"
#include "tests/search/symmetric_testing.hpp"

using namespace fmm;
using namespace fmm::search;
namespace ob = fmm::search::orbit_bank;

namespace {

using test::invariant_by_transform;
using test::sorted_terms;

// What settle() promises between moves: every orbit is regular (G distinct images) and no two
// images of different orbits share two factors (same positions; rotations cover the others).
// Returns an empty string or what is wrong.
std::string reduced_problem(const SymmetricScheme& s) {
  const Symmetry sym(s.n, s.order);
  std::vector<std::pair<SymTerm, int>> images;
  for (std::size_t o = 0; o < s.orbits.size(); ++o) {
    if (sym.orbit_size(s.orbits[o]) != s.order) return "orbit " + std::to_string(o) + " is degenerate";
    for (int g = 0; g < s.order; ++g) images.push_back({sym.image(s.orbits[o], g), static_cast<int>(o)});
  }
  for (std::size_t i = 0; i < images.size(); ++i)
    for (std::size_t j = i + 1; j < images.size(); ++j) {
      if (images[i].second == images[j].second) continue;
      const SymTerm &a = images[i].first, &b = images[j].first;
      if ((a[0] == b[0]) + (a[1] == b[1]) + (a[2] == b[2]) >= 2)
        return "orbits " + std::to_string(images[i].second) + " and " + std::to_string(images[j].second) +
               " share two factors";
    }
  return {};
}

// Full check of a board: conversion rank, expansion valid and invariant, reduced.
template <int G, class B>
void check_board(const B& b, int n, int batch) {
  CAPTURE(batch);
  REQUIRE_FALSE(b.fixed.overflow);
  const SymmetricScheme sym = ob::board_scheme<G>(b, n);
  REQUIRE(sym.rank() == b.rank());
  const Scheme s = expand_symmetric(sym);
  REQUIRE(s.rank() == b.rank());
  REQUIRE(verify(s, Field::GF2).ok);
  REQUIRE(invariant_by_transform(s));
  REQUIRE(is_invariant(s, G));
  const std::string problem = reduced_problem(sym);
  INFO(problem);
  REQUIRE(problem.empty());
}

// Params as symmetric_walk_params() gives them for a cube start (anchor schedule / G).
ob::WalkParams params_for(int n, int G, int start_rank, int target) {
  ob::WalkParams p;
  std::uint64_t plus_after = 0, flip_limit = 10'000;
  if (n == 3) plus_after = 1'000, flip_limit = 300'000;
  if (n == 4) plus_after = 3'000, flip_limit = 3'000'000;
  p.plus_after = plus_after / G;
  p.plateau_limit = flip_limit / G;
  p.plus_limit = start_rank;
  p.target_rank = target;
  return p;
}

template <int G, int S>
void random_moves_case(int n, const std::string& groups) {
  CAPTURE(n);
  CAPTURE(G);
  const SymmetricScheme start = diagonal_cubes_start(n, G, parse_cube_groups(n, groups));
  auto b = std::make_unique<ob::OrbitBoard<G, S>>();
  ob::load_board<G, S>(*b, start);
  check_board<G>(*b, n, -1);
  std::uint64_t rng = 20250206 + n * 10 + G;
  int plus = 0, reductions = 0, flips = 0;
  for (int batch = 0; batch < 150; ++batch) {
    for (int i = 0; i < 300; ++i) {
      const int before = b->rank();
      flips += ob::flip_step<G, S>(*b, rng);
      reductions += b->rank() < before;
      REQUIRE(b->rank() == b->fixed.count + G * b->norb);
    }
    if (batch % 3 == 1) plus += ob::plus_transition<G, S>(*b, ob::next_random(rng));
    check_board<G>(*b, n, batch);
  }
  std::printf("test_orbit_bank: <%d,%d,%d> order %d: %d flips, %d reductions, %d plus transitions, rank %d -> %d\n", n,
              n, n, G, flips, reductions, plus, start.rank(), b->rank());
  CHECK(flips > 0);
  CHECK(plus > 0);
  CHECK(reductions > 0);
}

template <int G, int S>
std::unique_ptr<ob::Walker<G, S>> walker_from(const SymmetricScheme& start, std::uint64_t seed) {
  auto w = std::make_unique<ob::Walker<G, S>>();
  ob::init_walker<G, S>(*w, start, seed);
  return w;
}

template <int G, int S>
void same_seed_case(int n) {
  CAPTURE(G);
  const SymmetricScheme start = diagonal_cubes_start(n, G, default_cube_groups(n));
  ob::WalkParams p = params_for(n, G, start.rank(), 0);
  p.plateau_limit = 20000;  // several runs within the budget
  auto a = walker_from<G, S>(start, 7), b = walker_from<G, S>(start, 7), c = walker_from<G, S>(start, 8);
  ob::walk<G, S>(*a, 200000, p);
  ob::walk<G, S>(*b, 200000, p);
  ob::walk<G, S>(*c, 200000, p);
  const SymmetricScheme sa = ob::board_scheme<G>(a->cur, n), sb = ob::board_scheme<G>(b->cur, n);
  CHECK(sa.orbits == sb.orbits);
  CHECK(sa.fixed == sb.fixed);
  CHECK(ob::board_scheme<G>(a->best, n).orbits == ob::board_scheme<G>(b->best, n).orbits);
  CHECK(a->moves == b->moves);
  CHECK(a->runs == b->runs);
  CHECK(a->plus_transitions == b->plus_transitions);
  CHECK(a->best_rank == b->best_rank);
  CHECK(a->rng == b->rng);
  CHECK(a->dry_steps == b->dry_steps);
  CHECK(std::equal(std::begin(a->run_bests), std::end(a->run_bests), std::begin(b->run_bests)));
  CHECK(a->runs > 0);
  CHECK(a->rng != c->rng);  // another seed, another walk
  std::printf("test_orbit_bank: <%d,%d,%d> order %d seed 7: %llu moves, %llu runs, %llu plus, run best %d\n", n, n, n,
              G, static_cast<unsigned long long>(a->moves), static_cast<unsigned long long>(a->runs),
              static_cast<unsigned long long>(a->plus_transitions), a->best_rank);
}

template <int G, int S>
void bookkeeping_case(int n, std::uint64_t moves) {
  CAPTURE(G);
  const SymmetricScheme start = diagonal_cubes_start(n, G, default_cube_groups(n));
  ob::WalkParams p = params_for(n, G, start.rank(), 0);
  p.plus_after = 200;      // many plus transitions
  p.plateau_limit = 5000;  // and many runs
  auto w = walker_from<G, S>(start, 11);
  std::uint64_t finished = 0;
  for (std::uint64_t m = 0; m < moves; ++m) {
    ob::walker_step<G, S>(*w, p);
    REQUIRE(w->cur.rank() == w->cur.fixed.count + G * w->cur.norb);
    REQUIRE(w->best.rank() == w->best_rank);
    REQUIRE(w->cur.rank() >= w->best_rank);
    REQUIRE(w->cur.nwork == 0);
    REQUIRE_FALSE(w->cur.fixed.overflow);
    if (m % 997 == 0) check_board<G>(w->cur, n, static_cast<int>(m));
  }
  for (auto c : w->run_bests) finished += c;
  CHECK(finished == w->runs);
  CHECK(w->runs > 2);
  CHECK(w->plus_transitions > 0);
  CHECK(w->moves == moves);
  check_board<G>(w->best, n, -2);
}

}  // namespace

TEST_CASE("orbit bank: random moves keep the scheme valid, invariant and reduced (orders 3 and 6)") {
  random_moves_case<3, 4>(3, "standard");
  random_moves_case<3, 4>(4, "1111");
  random_moves_case<3, 4>(5, "10001,01010,00100");
  random_moves_case<6, 4>(4, "1001,0110");
  random_moves_case<6, 4>(5, "10001,01010,00100");
  random_moves_case<6, 4>(6, "110000,001100,000011");
}

TEST_CASE("orbit bank: the walk reaches Strassen's rank 7 for <2,2,2>") {
  const SymmetricScheme start = diagonal_cubes_start(2, 3, default_cube_groups(2));
  auto w = walker_from<3, 1>(start, 1);
  ob::walk<3, 1>(*w, 2'000'000, params_for(2, 3, start.rank(), 7));
  std::printf("test_orbit_bank: <2,2,2> rank %d after %llu moves\n", w->best_rank,
              static_cast<unsigned long long>(w->moves));
  CHECK(w->best_rank == 7);
  check_board<3>(w->best, 2, -2);
}

TEST_CASE("orbit bank: the walk reaches rank 23 for <3,3,3> over GF(2)") {
  const SymmetricScheme start = diagonal_cubes_start(3, 3, default_cube_groups(3));
  auto w = walker_from<3, 1>(start, 1);
  ob::walk<3, 1>(*w, 20'000'000, params_for(3, 3, start.rank(), 23));
  std::printf("test_orbit_bank: <3,3,3> rank %d after %llu moves (%llu runs, %llu without a flip)\n", w->best_rank,
              static_cast<unsigned long long>(w->moves), static_cast<unsigned long long>(w->runs),
              static_cast<unsigned long long>(w->dry_steps));
  CHECK(w->best_rank <= 23);
  check_board<3>(w->best, 3, -2);
}

TEST_CASE("orbit bank: same seed, same walk") {
  same_seed_case<3, 2>(4);
  same_seed_case<6, 2>(4);
}

TEST_CASE("orbit bank: rank == fixed + G * orbits after every move") {
  bookkeeping_case<3, 2>(4, 60000);
  bookkeeping_case<6, 2>(4, 60000);
}

TEST_CASE("orbit bank: emulated move rate on <6,6,6> order 6 (printed)") {
  const SymmetricScheme start = diagonal_cubes_start(6, 6, parse_cube_groups(6, "110000,001100,000011"));
  ob::WalkParams p;  // symmetric_walk_params for n = 6 from the cube start
  p.plus_after = 500'000 / 6;
  p.plateau_limit = 1'000'000'000 / 6;
  p.plus_limit = 213;
  auto w = walker_from<6, 2>(start, 1);
  const auto t0 = std::chrono::steady_clock::now();
  double seconds = 0;
  while (seconds < 3.0) {
    ob::walk<6, 2>(*w, 20000, p);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  std::printf("test_orbit_bank: <6,6,6> order 6 emulation: %llu moves in %.2f s = %.3f M moves/s (%.1f%% without a "
              "flip), rank %d, best %d, %llu plus, %llu runs\n",
              static_cast<unsigned long long>(w->moves), seconds, w->moves / seconds / 1e6,
              100.0 * w->dry_steps / w->moves, w->cur.rank(), w->best_rank,
              static_cast<unsigned long long>(w->plus_transitions), static_cast<unsigned long long>(w->runs));
  check_board<6>(w->cur, 6, -3);
  // The CPU walk (OrbitGraph, hash index) on the same start and policy, for comparison.
  SymmetricWalkParams sp;
  sp.plus_after = p.plus_after;
  sp.plateau_limit = p.plateau_limit;
  sp.plus_limit = p.plus_limit;
  SymmetricWalker<6> cpu(start, start.rank() + 12, 1);
  const auto t1 = std::chrono::steady_clock::now();
  cpu.run(std::uint64_t{1} << 60, sp, nullptr, t1 + std::chrono::seconds(3), nullptr);
  const double cs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  std::printf("test_orbit_bank: <6,6,6> order 6 OrbitGraph walk: %llu moves in %.2f s = %.3f M moves/s, rank %d, "
              "best %d, %llu plus\n",
              static_cast<unsigned long long>(cpu.flips), cs, cpu.flips / cs / 1e6, cpu.graph.rank(), cpu.best_rank,
              static_cast<unsigned long long>(cpu.plus_transitions));
}

namespace {

// A symmetric search on the emulated bank.
SearchConfig bank_config(int n, std::uint64_t seed, std::uint64_t max_moves, int target, int walkers, int threads,
                         int order = 3) {
  SearchConfig cfg = test::symmetric_config(n, seed, max_moves, target, walkers, threads, order);
  cfg.backend = "gpu-emulated";
  return cfg;
}

struct BankFound {
  int rank = 0;
  std::uint64_t moves = 0;
  std::vector<std::uint64_t> fingerprints;
  std::vector<std::string> log;
};

BankFound bank_search(const SearchConfig& cfg) {
  Pool pool;
  test::LogRecorder rec;
  const SearchOutcome o = run_symmetric_flip(cfg, pool, rec);
  BankFound f;
  f.rank = o.best_rank_gf2.value_or(0);
  f.moves = o.flips;
  for (const PoolEntry& e : pool.all()) {
    CHECK(verify(e.scheme, Field::GF2).ok);
    CHECK(invariant_by_transform(e.scheme));
    CHECK(is_invariant(e.scheme, cfg.symmetry_order));
    f.fingerprints.push_back(e.fingerprint);
  }
  for (const auto& l : rec.lines)
    if (l.rfind("run ended", 0) == 0 || l.rfind("symmetric walk:", 0) == 0) f.log.push_back(l);
  return f;
}

// Walker w of a bank against the single walker (orbit_bank_walk.hpp) of its seed: the same walk.
template <int G, int S>
void bank_walker_matches_single_case(int n) {
  CAPTURE(G);
  const SymmetricScheme start = diagonal_cubes_start(n, G, default_cube_groups(n));
  ob::WalkParams p = params_for(n, G, start.rank(), 0);
  p.plus_after = 300;
  p.plateau_limit = 4000;
  OrbitBank bank(start, S, 3, 42, p);
  const ob::View& v = bank.view();
  auto x = std::make_unique<ob::BankWalker<G, S>>();
  // Walker 0 in one call, walker 1 in uneven pieces, walker 2 untouched.
  ob::walk_walker<G, S>(v, 0, *x, 30000, 0);
  for (std::uint64_t piece : {1, 999, 7000, 22000}) ob::walk_walker<G, S>(v, 1, *x, piece, 0);
  for (int w = 0; w < 2; ++w) {
    CAPTURE(w);
    auto single = walker_from<G, S>(start, walker_seed(42, static_cast<std::uint64_t>(w)));
    ob::walk<G, S>(*single, 30000, p);
    const SymmetricScheme a = bank.current(w), b = ob::board_scheme<G>(single->cur, n);
    CHECK(a.orbits == b.orbits);
    CHECK(a.fixed == b.fixed);
    CHECK(bank.best(w).orbits == ob::board_scheme<G>(single->best, n).orbits);
    CHECK(bank.best_rank(w) == single->best_rank);
    CHECK(bank.moves(w) == single->moves);
    CHECK(v.runs[w] == single->runs);
    CHECK(v.plus[w] == single->plus_transitions);
    CHECK(v.rng[w] == single->rng);
    REQUIRE(single->runs > 0);
    check_board<G>(single->cur, n, w);
  }
  CHECK(bank.moves(2) == 0);
  CHECK(bank.rank(2) == bank.start_rank());
  // Both walked walkers finished the same runs; each is counted by its best rank.
  std::uint64_t counted = 0;
  for (const auto& [rank, count] : bank.runs_by_best()) counted += count;
  CHECK(counted == bank.runs());
  std::uint64_t lost = 0;
  const auto finished = bank.take_finished(&lost);
  CHECK(finished.size() + lost == bank.runs());
  CHECK(bank.take_finished().empty());
}

}  // namespace

TEST_CASE("orbit bank: a bank walker walks as the single walker of its seed, however its moves are split") {
  bank_walker_matches_single_case<3, 2>(4);
  bank_walker_matches_single_case<6, 1>(4);
}

TEST_CASE("orbit bank search: <2,2,2> rank 7 and <3,3,3> rank 23 on the emulated bank") {
  const BankFound s2 = bank_search(bank_config(2, 1, 4'000'000, 7, 4, 2));
  CHECK(s2.rank == 7);
  const BankFound s3 = bank_search(bank_config(3, 1, 80'000'000, 23, 8, 2));
  std::printf("test_orbit_bank: bank search <3,3,3>: rank %d after %llu moves\n", s3.rank,
              static_cast<unsigned long long>(s3.moves));
  CHECK(s3.rank == 23);
  CHECK_FALSE(s3.fingerprints.empty());
  REQUIRE_FALSE(s3.log.empty());
  CHECK(s3.log.back().find("finished runs (best rank:count") != std::string::npos);
}

TEST_CASE("orbit bank search: the same seed gives the same schemes on 1 and 2 threads (orders 3 and 6)") {
  for (int order : {3, 6}) {
    CAPTURE(order);
    const BankFound a = bank_search(bank_config(4, 5, 400'000, 0, 5, 1, order));
    const BankFound b = bank_search(bank_config(4, 5, 400'000, 0, 5, 2, order));
    CHECK(a.moves == 400'000);  // the budget split exactly over the walkers
    CHECK(a.moves == b.moves);
    CHECK(a.rank == b.rank);
    CHECK(a.fingerprints == b.fingerprints);
    CHECK(a.log == b.log);
    CHECK(a.rank < 64);
  }
}

TEST_CASE("orbit bank search: giving up above rank 0 after M moves is ending every run after M moves") {
  SearchConfig plain = bank_config(4, 3, 300'000, 0, 4, 2, 6);
  plain.restart_after = 9'000;
  SearchConfig give_up = bank_config(4, 3, 300'000, 0, 4, 2, 6);
  give_up.restart_after = 1'000'000;
  give_up.give_up_rank = 0;
  give_up.give_up_moves = 9'000;
  const BankFound a = bank_search(plain), b = bank_search(give_up);
  CHECK(a.fingerprints == b.fingerprints);
  auto runs = [](const BankFound& f) {
    std::vector<std::string> r;
    for (const auto& line : f.log)
      if (line.find("run ended") != std::string::npos || line.find("finished runs") != std::string::npos) r.push_back(line);
    return r;
  };
  REQUIRE(runs(a).size() > 4);
  CHECK(runs(a) == runs(b));
}

// The walkers of the checkpoint a bank search wrote at its end.
std::vector<OrbitWalkerState> final_walkers(const SearchConfig& cfg) {
  Pool pool;
  SilentProgress quiet;
  run_symmetric_flip(cfg, pool, quiet);
  return load_checkpoint(cfg.checkpoint_path).orbit_walker_states;
}

bool same_walkers(const std::vector<OrbitWalkerState>& a, const std::vector<OrbitWalkerState>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const OrbitWalkerState &x = a[i], &y = b[i];
    if (x.rng != y.rng || x.moves != y.moves || x.since_best != y.since_best || x.since_reduction != y.since_reduction ||
        x.plus_transitions != y.plus_transitions || x.runs != y.runs || x.dry_steps != y.dry_steps ||
        x.run_start != y.run_start || x.best_rank != y.best_rank || x.last_rank != y.last_rank || x.dry != y.dry ||
        x.current_fixed != y.current_fixed || x.current_orbits != y.current_orbits || x.best_fixed != y.best_fixed ||
        x.best_orbits != y.best_orbits || x.run_bests != y.run_bests)
      return false;
  }
  return true;
}

TEST_CASE("orbit bank search: a walk split by a checkpoint and --resume ends where one sitting ends (orders 3 and 6)") {
  for (int order : {3, 6}) {
    CAPTURE(order);
    const std::string one = "orbit_bank_one_" + std::to_string(order) + ".ckpt",
                      two = "orbit_bank_two_" + std::to_string(order) + ".ckpt";
    SearchConfig whole = bank_config(4, 7, 600'000, 0, 6, 2, order);
    whole.restart_after = 15'000;  // runs of tens of thousands of moves: several end before and after the split
    whole.checkpoint_path = one;
    const auto expected = final_walkers(whole);
    REQUIRE(expected.size() == 6);
    std::uint64_t runs = 0;
    for (const auto& w : expected) runs += w.runs;
    CHECK(runs > 6);  // the split falls across finished runs, not only inside the first

    SearchConfig first = whole;
    first.max_flips = 250'000;
    first.checkpoint_path = two;
    const auto halfway = final_walkers(first);
    CHECK_FALSE(same_walkers(halfway, expected));
    SearchConfig rest = whole;
    rest.threads = 1;  // the walk does not depend on the threads
    rest.checkpoint_path = two;
    rest.resume = true;
    rest.walkers = 0;  // taken from the checkpoint
    CHECK(same_walkers(final_walkers(rest), expected));

    // A bank checkpoint is not the CPU walk's, nor another seed's.
    SearchConfig cpu = test::symmetric_config(4, 7, 1000, 0, 6, 1, order);
    cpu.checkpoint_path = two;
    cpu.resume = true;
    Pool pool;
    SilentProgress quiet;
    CHECK_THROWS_WITH_AS(run_symmetric_flip(cpu, pool, quiet), doctest::Contains("symmetric walker bank"), Error);
    SearchConfig other = rest;
    other.seed = 8;
    CHECK_THROWS_WITH_AS(run_symmetric_flip(other, pool, quiet), doctest::Contains("seed 7"), Error);
    // A resume under another walk policy goes on, and says so (as the CPU walk's does).
    CHECK(test::policy_notes(rest) == std::pair{false, true});
    std::remove(one.c_str());
    std::remove(two.c_str());
  }
}

TEST_CASE("orbit bank search: a checkpoint with a board that is not a scheme is refused") {
  const std::string path = "orbit_bank_bad.ckpt";
  SearchConfig cfg = bank_config(3, 2, 20'000, 0, 2, 1);
  cfg.checkpoint_path = path;
  {
    Pool pool;
    SilentProgress quiet;
    run_symmetric_flip(cfg, pool, quiet);
  }
  Checkpoint cp = load_checkpoint(path);
  REQUIRE_FALSE(cp.orbit_walker_states[1].current_orbits.empty());
  cp.orbit_walker_states[1].current_orbits[0][0] ^= 1;  // one coefficient of one orbit
  save_checkpoint(path, cp);
  cfg.resume = true;
  Pool pool;
  SilentProgress quiet;
  CHECK_THROWS_WITH_AS(run_symmetric_flip(cfg, pool, quiet), doctest::Contains("current board of walker 1"), Error);
  std::remove(path.c_str());
}

TEST_CASE("orbit bank search: --backend gpu and --restart-from best are refused with clear errors") {
  Pool pool;
  SilentProgress quiet;
  SearchConfig gpu = bank_config(3, 1, 1000, 0, 2, 1);
  gpu.backend = "gpu";
  // Where the plugin and a GPU are found it runs; elsewhere the error names the option and the reason.
  try {
    run_symmetric_flip(gpu, pool, quiet);
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("--symmetric --backend gpu") != std::string::npos);
  }
  SearchConfig best = bank_config(3, 1, 1000, 0, 2, 1);
  best.symmetric_restart = "best";
  CHECK_THROWS_AS(run_symmetric_flip(best, pool, quiet), Error);
}
