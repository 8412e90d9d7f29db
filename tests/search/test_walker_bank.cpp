// The walker bank (search/flip/walker_bank.hpp) on its host emulation: every walker's scheme
// stays a valid scheme through flips, reductions and plus transitions; a walker on a scheme
// without flips leaves it at once; the walk does not depend on the thread count; a bank search reaches <3,3,3> 23 over GF(2) and lifts it to Z.
#include <doctest/doctest.h>

#include "search/flip/flip_search.hpp"
#include "search/flip/flip_terms.hpp"
#include "search/flip/walker_bank.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"
#include "tests/search/bank_thread_check.hpp"

using namespace fmm;
using namespace fmm::search;

namespace {

bool holds(const Shape& shape, const std::vector<FlipTerm<Gf2>>& terms) {
  return verify(to_scheme(shape, terms), Field::GF2).ok;
}

}  // namespace

TEST_CASE("bank walkers keep valid schemes through flips, reductions and plus transitions") {
  for (const Shape shape : {Shape{3, 3, 3}, Shape{2, 3, 4}, Shape{4, 4, 4}}) {
    const Scheme start = standard_scheme(shape);
    WalkerBank bank(16, start.rank() + 6, gf2_terms(start), 7);
    bank::Params p;
    p.plateau_limit = 300;  // short plateaus: many plus transitions and returns to the best
    p.plus_slack = 4;
    p.plus_from_rank = 1 << 30;
    auto backend = make_emulated_backend(2);
    for (int epoch = 0; epoch < 4; ++epoch) {
      backend->run(bank, 5000, p, 0);
      for (int w = 0; w < bank.walkers(); ++w) {
        CHECK(holds(shape, bank.current(w)));
        CHECK(holds(shape, bank.best(w)));
        CHECK(bank.best_rank(w) <= bank.rank(w) + 0);
        CHECK(bank.rank(w) <= bank.capacity());
      }
    }
    CHECK(bank.flips() <= 16u * 4 * 5000);  // steps that found no flip are not counted
    CHECK(bank.flips() > 16u * 4 * 1000);
    CHECK(bank.plus_transitions() > 0);
    int lowest = start.rank();
    for (int w = 0; w < bank.walkers(); ++w) lowest = std::min(lowest, bank.best_rank(w));
    CHECK(lowest < start.rank());
  }
}

TEST_CASE("a bank walker leaves a scheme without flips at once") {
  // No two of Strassen's terms share a factor: before this check the walkers drew in vain until
  // plateau_limit (here never), and a bank of <4,4,4> walkers on such rank-49 schemes ran at 0.4%
  // of its flip rate on the H200.
  const Scheme start = strassen_scheme();
  WalkerBank bank(4, start.rank() + 4, gf2_terms(start), 3);
  bank::Params p;
  p.plateau_limit = std::uint64_t{1} << 40;  // no plateau ends within the budget
  p.plus_slack = 2;
  make_emulated_backend(1)->run(bank, 2000, p, 0);
  CHECK(bank.plus_transitions() > 0);
  CHECK(bank.flips() > 0);
  for (int w = 0; w < bank.walkers(); ++w) CHECK(holds(start.shape(), bank.current(w)));
}

TEST_CASE("a bank walk does not depend on the thread count") {
  test::check_thread_count_changes_nothing<WalkerBank>(gf2_terms(standard_scheme(Shape{3, 3, 3})));
}

TEST_CASE("a bank search reaches <3,3,3> 23 over GF(2) and lifts it") {
  SearchConfig cfg;
  cfg.shape = Shape{3, 3, 3};
  cfg.backend = "gpu-emulated";
  cfg.threads = 2;
  cfg.walkers = 64;
  cfg.seed = 3;
  cfg.epoch_flips = 50000;
  cfg.max_flips = 64ull * 50000 * 40;
  cfg.target_rank = 23;
  cfg.lift = true;
  Pool pool;
  SilentProgress quiet;
  const SearchOutcome o = run_flip_search(cfg, pool, quiet);
  CHECK(o.target_reached);
  REQUIRE(o.best_rank_gf2);
  CHECK(*o.best_rank_gf2 == 23);
  for (const PoolEntry& e : pool.best(Field::GF2)) CHECK(verify(e.scheme, Field::GF2).ok);
  REQUIRE(o.best_rank_z);
  CHECK(*o.best_rank_z == 23);
}

TEST_CASE("the bank backends refuse what they do not walk") {
  SearchConfig cfg;
  cfg.shape = Shape{3, 3, 3};
  cfg.backend = "gpu-emulated";
  Pool pool;
  SilentProgress quiet;
  cfg.field = Field::Q;  // GF2 and Z (its {-1,0,1} walk, test_ternary_bank.cpp) only
  CHECK_THROWS_AS(run_flip_search(cfg, pool, quiet), Error);
  cfg.field = Field::GF2;
  cfg.shape = Shape{9, 9, 9};
  CHECK_THROWS_AS(run_flip_search(cfg, pool, quiet), Error);
  cfg.shape = Shape{3, 3, 3};
  cfg.checkpoint_path = "/tmp/never-written.ckpt";
  CHECK_THROWS_AS(run_flip_search(cfg, pool, quiet), Error);
  cfg.checkpoint_path.clear();
  cfg.backend = "tpu";
  CHECK_THROWS_AS(run_flip_search(cfg, pool, quiet), Error);
}

TEST_CASE("a bank search ends at its budget where no flip is left") {
  SearchConfig cfg;
  cfg.shape = Shape{1, 1, 1};  // one term: no flip, no plus transition
  cfg.backend = "gpu-emulated";
  cfg.walkers = 4;
  cfg.max_flips = 10000;
  Pool pool;
  SilentProgress quiet;
  const SearchOutcome o = run_flip_search(cfg, pool, quiet);
  CHECK(o.flips == 0);
  REQUIRE(o.best_rank_gf2);
  CHECK(*o.best_rank_gf2 == 1);
}
