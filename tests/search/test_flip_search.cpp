// The flip search as a whole: the same seed gives the same schemes with 1 or 2 threads;
// walks reach <2,2,2> rank 7 over Z; checkpoints round-trip; a run stopped at a checkpoint
// and resumed ends exactly where an uninterrupted run ends.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>

#include "search/run/checkpoint.hpp"
#include "search/flip/flip_search.hpp"
#include <unistd.h>

#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search;

namespace {

struct RunSummary {
  std::uint64_t flips = 0;
  int best_rank = 0;
  std::vector<std::uint64_t> best_fingerprints;
};

RunSummary run(SearchConfig cfg) {
  Pool pool;
  SilentProgress quiet;
  SearchOutcome o = run_flip_search(cfg, pool, quiet);
  RunSummary s;
  s.flips = o.flips;
  for (const PoolEntry& e : pool.best(cfg.field)) {
    CHECK(verify(e.scheme, cfg.field).ok);
    s.best_rank = e.scheme.rank();
    s.best_fingerprints.push_back(e.fingerprint);
  }
  return s;
}

SearchConfig base(Shape shape, Field field, std::uint64_t seed) {
  SearchConfig cfg;
  cfg.shape = shape;
  cfg.field = field;
  cfg.seed = seed;
  cfg.walkers = 4;
  cfg.epoch_flips = 50'000;
  cfg.max_flips = 800'000;
  cfg.plateau_limit = 20'000;
  return cfg;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("fmm_test_" + std::to_string(::getpid()) + "_" + name)).string();
}

// `cfg` on `threads` threads.
RunSummary run_on(SearchConfig cfg, int threads) {
  cfg.threads = threads;
  return run(cfg);
}

// `full` stopped by a checkpoint after `first_flips` flips, then resumed to its own budget.
RunSummary run_stopped_and_resumed(const SearchConfig& full, std::uint64_t first_flips) {
  const std::string path = temp_path("resume.ckpt");
  SearchConfig first = full;
  first.max_flips = first_flips;
  first.checkpoint_path = path;
  run(first);
  REQUIRE(std::filesystem::exists(path));
  SearchConfig second = full;
  second.checkpoint_path = path;
  second.resume = true;
  RunSummary resumed = run(second);
  std::filesystem::remove(path);
  return resumed;
}

}  // namespace

TEST_CASE("same seed, same result with 1 and 2 threads") {
  for (Field field : {Field::GF2, Field::Z}) {
    const std::uint64_t seed = 42;
    INFO("seed " << seed << " field " << to_string(field));
    SearchConfig cfg = base({3, 3, 3}, field, seed);
    RunSummary one = run_on(cfg, 1), two = run_on(cfg, 2);
    CHECK(one.flips == cfg.max_flips);
    CHECK(one.flips == two.flips);
    CHECK(one.best_rank == two.best_rank);
    CHECK(one.best_fingerprints == two.best_fingerprints);
    CHECK(one.best_rank <= 25);
  }
}

TEST_CASE("walks over Z reach <2,2,2> rank 7 and <3,3,3> rank 23 over GF2 through the coordinator") {
  SearchConfig cfg = base({2, 2, 2}, Field::Z, 5);
  cfg.max_flips = 20'000'000;
  cfg.target_rank = 7;
  Pool pool;
  SilentProgress quiet;
  SearchOutcome o = run_flip_search(cfg, pool, quiet);
  CHECK(o.target_reached);
  REQUIRE(pool.best_rank(Field::Z) == 7);
  CHECK(verify(pool.best(Field::Z).front().scheme, Field::Z).ok);

  SearchConfig g = base({3, 3, 3}, Field::GF2, 5);
  g.max_flips = 50'000'000;
  g.target_rank = 23;
  g.lift = true;
  Pool pool2;
  SearchOutcome o2 = run_flip_search(g, pool2, quiet);
  CHECK(o2.target_reached);
  CHECK(pool2.best_rank(Field::GF2) == 23);
}

TEST_CASE("checkpoint save/load round trip") {
  Checkpoint c;
  c.shape = {2, 3, 4};
  c.field = Field::Z;
  c.seed = 0xFFFFFFFFFFFFFFF1ULL;
  c.walkers = 2;
  c.config = "some config line";
  c.elapsed_s = 12.25;
  c.flips = 123456789;
  c.epochs = 7;
  // The standard algorithm for <2,3,4>, packed (load_checkpoint verifies every scheme), with
  // one term written as (-u) v w and sign -1 (which negates w): the same product.
  std::vector<PackedTerm> standard;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) {
        PackedTerm t;
        t.p[0][0] = 1ull << (i * 3 + j), t.p[1][0] = 1ull << (j * 4 + k), t.p[2][0] = 1ull << (i * 4 + k);
        standard.push_back(t);
      }
  std::swap(standard[5].p[0], standard[5].n[0]);
  standard[5].sign = -1;
  for (int i = 0; i < 2; ++i) {
    WalkerState w;
    w.rng = 0x123456789ABCDEF0ULL + i;
    w.flips = 1000 + i;
    w.since_best = 5;
    w.plus_transitions = 3;
    w.returns_to_best = 1;
    w.best_rank = 24;
    w.plateau = 4000 + i;
    w.stuck = 3;
    w.plateau_rank = 21;
    w.flips_at_gain = 700 + i;
    w.random_restarts = 2 + i;
    w.current = standard;
    w.best = standard;
    c.walker_states.push_back(w);
  }
  Pool pool;
  REQUIRE(pool.offer(standard_scheme({2, 3, 4}), "walker 1", 1.5));
  c.pool = pool.all();
  const std::string path = temp_path("roundtrip.ckpt");
  save_checkpoint(path, c);
  Checkpoint d = load_checkpoint(path);
  std::filesystem::remove(path);
  CHECK(d.shape == c.shape);
  CHECK(d.field == c.field);
  CHECK(d.seed == c.seed);
  CHECK(d.config == c.config);
  CHECK(d.elapsed_s == c.elapsed_s);
  CHECK(d.flips == c.flips);
  CHECK(d.epochs == c.epochs);
  REQUIRE(d.walker_states.size() == 2);
  for (int i = 0; i < 2; ++i) {
    const WalkerState &a = c.walker_states[i], &b = d.walker_states[i];
    CHECK(a.rng == b.rng);
    CHECK(a.flips == b.flips);
    CHECK(a.best_rank == b.best_rank);
    CHECK(a.plateau == b.plateau);
    CHECK(a.stuck == b.stuck);
    CHECK(a.plateau_rank == b.plateau_rank);
    CHECK(a.flips_at_gain == b.flips_at_gain);
    CHECK(a.random_restarts == b.random_restarts);
    REQUIRE(b.current.size() == 24);
    CHECK(b.current[0].p[0] == a.current[0].p[0]);
    CHECK(b.current[5].n[0] == a.current[5].n[0]);
    CHECK(b.current[5].p[0] == PackedTerm::Mask{});
    CHECK(b.current[5].sign == -1);
  }
  REQUIRE(d.pool.size() == 1);
  CHECK(d.pool[0].scheme == c.pool[0].scheme);
  CHECK(d.pool[0].found_by == "walker 1");
}

TEST_CASE("a run stopped at a checkpoint and resumed ends where an uninterrupted run ends") {
  // <2,5,13> and <2,9,16> take 2- and 4-word factors (B has 65 and 144 entries).
  // The adaptive plateau (descent_limit) and the drift (drift_after) keep per-walker state that
  // the checkpoint carries.
  struct Policy {
    std::uint64_t descent, drift;
  };
  for (Shape shape : {Shape{3, 3, 3}, Shape{2, 5, 13}, Shape{2, 9, 16}})
  for (Field field : {Field::GF2, Field::Z})
  for (Policy policy : {Policy{0, 0}, Policy{1000, 0}, Policy{0, 3000}}) {
    INFO("shape " << shape.str() << " field " << to_string(field) << " descent " << policy.descent << " drift "
                  << policy.drift << " seed 7");
    SearchConfig full = base(shape, field, 7);
    full.descent_limit = policy.descent;
    full.drift_after = policy.drift;
    if (policy.drift) full.plus_slack = 8;
    full.max_flips = 1'600'000;
    RunSummary straight = run(full);
    RunSummary resumed = run_stopped_and_resumed(full, 800'000);
    CHECK(resumed.flips == straight.flips);
    CHECK(resumed.best_rank == straight.best_rank);
    CHECK(resumed.best_fingerprints == straight.best_fingerprints);
  }
}

TEST_CASE("random starts: every walker its own start, restarts after a stall, same result with 1 and 2 threads and "
          "after a resume") {
  // <3,3,3> (one-word factors) and <2,5,13> (two words). Restarts every 200 000 flips without a
  // new best, so that each walker takes several random starts within the budget; a resumed run
  // must carry each walker's flips at its last gain and its stream.
  for (Shape shape : {Shape{3, 3, 3}, Shape{2, 5, 13}}) {
    INFO("shape " << shape.str());
    SearchConfig cfg = base(shape, Field::GF2, 11);
    cfg.random_starts = SearchConfig::RandomStarts{2, 6};
    cfg.restart_after = 200'000;
    cfg.plus_from_start = true;
    cfg.max_flips = 4'000'000;
    RunSummary one = run_on(cfg, 1), two = run_on(cfg, 2);
    CHECK(one.flips == cfg.max_flips);
    CHECK(one.best_rank == two.best_rank);
    CHECK(one.best_fingerprints == two.best_fingerprints);
    if (shape.p == 3) CHECK(one.best_rank < 27);  // <2,5,13>'s starts (rank ~200) stay above 130 this briefly
    RunSummary resumed = run_stopped_and_resumed(cfg, 2'000'000);
    CHECK(resumed.best_rank == one.best_rank);
    CHECK(resumed.best_fingerprints == one.best_fingerprints);
  }
  // What random starts cannot do: walks over Z, a --from start, a bad K range.
  SearchConfig z = base({2, 2, 2}, Field::Z, 1);
  z.random_starts = SearchConfig::RandomStarts{};
  CHECK_THROWS_AS(run(z), Error);
  SearchConfig from = base({2, 2, 2}, Field::GF2, 1);
  from.random_starts = SearchConfig::RandomStarts{};
  from.start = builtin_scheme("strassen");
  CHECK_THROWS_AS(run(from), Error);
  SearchConfig range = base({2, 2, 2}, Field::GF2, 1);
  range.random_starts = SearchConfig::RandomStarts{5, 3};
  CHECK_THROWS_AS(run(range), Error);
}

TEST_CASE("a checkpoint from another configuration is refused") {
  const std::string path = temp_path("mismatch.ckpt");
  SearchConfig a = base({2, 2, 2}, Field::GF2, 1);
  a.max_flips = 10'000;
  a.checkpoint_path = path;
  run(a);
  SearchConfig b = a;
  b.seed = 2;
  b.resume = true;
  Pool pool;
  SilentProgress quiet;
  CHECK_THROWS_WITH_AS(run_flip_search(b, pool, quiet), doctest::Contains("seed"), Error);
  std::filesystem::remove(path);
}

TEST_CASE("formats up to <16,16,16> are searched, and their schemes verify") {
  for (Shape shape : {Shape{9, 9, 9}, Shape{16, 16, 16}})
    for (Field field : {Field::GF2, Field::Z}) {
      INFO("shape " << shape.str() << " field " << to_string(field));
      SearchConfig cfg = base(shape, field, 3);
      cfg.walkers = 1;
      cfg.max_flips = 200'000;
      RunSummary r = run(cfg);  // checks that every best scheme verifies
      CHECK(r.flips == cfg.max_flips);
      CHECK(r.best_rank > 0);
      CHECK(r.best_rank <= shape.classical_rank());
    }
  SearchConfig too_big = base({16, 16, 17}, Field::GF2, 1);
  Pool pool;
  SilentProgress quiet;
  CHECK_THROWS_AS(run_flip_search(too_big, pool, quiet), Error);
}
