// The {-1,0,1} walker bank (search/flip/bank_walk_ternary.hpp) on its host emulation: every
// walker's scheme stays a valid scheme over Z through flips, reductions and plus transitions,
// with every entry in {-1,0,1}; a walker on a scheme without flips leaves it at once; the walk
// does not depend on the thread count; a bank search reaches <3,3,3> 23 over Z from the standard
// algorithm; a flip that would leave {-1,0,1} is refused and changes nothing.
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

bool holds_over_z(const Shape& shape, const std::vector<FlipTerm<Ternary>>& terms) {
  const Scheme s = to_scheme(shape, terms);
  return s.field() == Field::Z && verify(s, Field::Z).ok;
}

// The bank's raw words of walker w's current scheme hold no entry that is +1 and -1 at once
// (p & n = 0 for every factor): the masks are {-1,0,1} entries.
bool words_ternary(const TernaryWalkerBank& bank, int w) {
  const bank::View v = bank.view();
  const bank::TermsOf<6> s{v.cur + w, v.walkers};
  for (int t = 0; t < bank.rank(w); ++t)
    for (int k = 0; k < 3; ++k)
      if (s.at(t, 2 * k) & s.at(t, 2 * k + 1)) return false;
  return true;
}

}  // namespace

TEST_CASE("ternary bank walkers keep valid schemes over Z through flips, reductions and plus transitions") {
  // From the standard algorithm the {-1,0,1} walk needs long plateaus and no plus transitions
  // before its first reduction (the CPU's `--field z` walk alike: with plus transitions from the
  // start, or plateaus of 300 flips, <3,3,3> stays at 27 for 20000 flips a walker); from reduced
  // starts (Strassen, Laderman) plus transitions come at once and reductions bring the rank back.
  struct Case {
    Scheme start;
    bool descends;  // from the standard algorithm: some walker must go below it
  };
  const Case cases[] = {{standard_scheme(Shape{3, 3, 3}), true},
                        {standard_scheme(Shape{2, 3, 4}), true},
                        {standard_scheme(Shape{4, 4, 4}), false},
                        {builtin_scheme("strassen"), false},
                        {builtin_scheme("laderman"), false}};
  for (const Case& c : cases) {
    const Shape shape = c.start.shape();
    CAPTURE(shape.str());
    CAPTURE(c.start.rank());
    TernaryWalkerBank bank(16, c.start.rank() + 6, ternary_terms(c.start), 7);
    bank::Params p;
    p.plateau_limit = 3000;
    p.plus_slack = 4;
    p.plus_from_rank = c.descends ? c.start.rank() : 1 << 30;
    auto backend = make_emulated_backend(2);
    for (int epoch = 0; epoch < 4; ++epoch) {
      backend->run(bank, 5000, p, 0);
      for (int w = 0; w < bank.walkers(); ++w) {
        CHECK(words_ternary(bank, w));
        CHECK(holds_over_z(shape, bank.current(w)));
        CHECK(holds_over_z(shape, bank.best(w)));
        CHECK(bank.best_rank(w) <= bank.rank(w));
        CHECK(bank.rank(w) <= bank.capacity());
      }
    }
    CHECK(bank.flips() <= 16u * 4 * 5000);
    CHECK(bank.flips() > 16u * 4 * 500);  // Laderman: 56000 (many of its flips leave {-1,0,1})
    int lowest = c.start.rank();
    for (int w = 0; w < bank.walkers(); ++w) lowest = std::min(lowest, bank.best_rank(w));
    if (c.descends) CHECK(lowest < c.start.rank());
    if (c.descends || c.start.rank() < 40) CHECK(bank.plus_transitions() > 0);
  }
}

TEST_CASE("a ternary bank reads back the CPU walk's canonical terms and takes signed starts") {
  // Strassen has -1 entries and terms whose canonical form takes a sign out.
  const Scheme strassen = builtin_scheme("strassen");
  TernaryWalkerBank bank(2, strassen.rank() + 2, ternary_terms(strassen), 1);
  const auto terms = bank.current(0);
  REQUIRE(static_cast<int>(terms.size()) == strassen.rank());
  CHECK(holds_over_z(strassen.shape(), terms));
  for (const auto& t : terms)
    for (int k = 0; k < 3; ++k) {
      auto f = t.f[k];
      CHECK(Ternary::canonicalize(f) == 1);  // canonical already: lowest nonzero entry +1
    }
  // A restart from canonical terms with signs gives the same scheme back.
  bank.restart(1, terms);
  CHECK(holds_over_z(strassen.shape(), bank.current(1)));
}

TEST_CASE("a ternary bank walker leaves a scheme without flips at once") {
  // No two of Strassen's terms share a factor, not even up to sign.
  const Scheme start = builtin_scheme("strassen");
  TernaryWalkerBank bank(4, start.rank() + 4, ternary_terms(start), 3);
  bank::Params p;
  p.plateau_limit = std::uint64_t{1} << 40;  // no plateau ends within the budget
  p.plus_slack = 2;
  make_emulated_backend(1)->run(bank, 2000, p, 0);
  CHECK(bank.plus_transitions() > 0);
  CHECK(bank.flips() > 0);
  for (int w = 0; w < bank.walkers(); ++w) CHECK(holds_over_z(start.shape(), bank.current(w)));
}

TEST_CASE("a ternary bank walk does not depend on the thread count") {
  test::check_thread_count_changes_nothing<TernaryWalkerBank>(ternary_terms(standard_scheme(Shape{3, 3, 3})));
}

TEST_CASE("a ternary flip that would leave {-1,0,1} is refused and changes nothing") {
  // Two terms sharing u = e0, whose v's and w's are (1, 1) and (1, -1) on entries 0 and 1:
  // y_i + t y_j has an entry +-2 for t = +1 (entry 0) and t = -1 (entry 1), in either
  // orientation and for either term, so every flip the walk draws would leave {-1,0,1}.
  bank::HostWarp<1, 6> s;
  const std::uint64_t words[2][6] = {{1, 0, 3, 0, 3, 0}, {1, 0, 1, 2, 1, 2}};
  for (int t = 0; t < 2; ++t)
    for (int k = 0; k < 6; ++k) s.set(t, k, words[t][k]);
  int rank = 2;
  std::uint64_t rng = 5;
  for (int n = 0; n < 1000; ++n) CHECK_FALSE(bank::ternary::try_flip<1>(s, rank, rng));
  CHECK(rank == 2);
  for (int t = 0; t < 2; ++t)
    for (int k = 0; k < 6; ++k) CHECK(s.get(t, k) == words[t][k]);
  // The same sum over GF(2) would flip (its masks add): the refusal is the {-1,0,1} bound's.
  bank::ternary::Factor out{};
  CHECK_FALSE(bank::ternary::add({3, 0}, {1, 2}, 1, out));
  CHECK_FALSE(bank::ternary::add({3, 0}, {1, 2}, -1, out));
  REQUIRE(bank::ternary::add({1, 0}, {1, 2}, -1, out));  // e0 - (e0 - e1) = e1
  CHECK(out.p == 2);
  CHECK(out.n == 0);
}

TEST_CASE("a ternary bank search reaches <3,3,3> 23 over Z and reports Z") {
  SearchConfig cfg;
  cfg.shape = Shape{3, 3, 3};
  cfg.field = Field::Z;
  cfg.backend = "gpu-emulated";
  cfg.threads = 2;
  cfg.walkers = 64;
  cfg.seed = 3;
  cfg.epoch_flips = 50000;
  cfg.max_flips = 64ull * 50000 * 40;
  cfg.target_rank = 23;
  cfg.lift = true;  // nothing to lift over Z: a no-op
  Pool pool;
  SilentProgress quiet;
  const SearchOutcome o = run_flip_search(cfg, pool, quiet);
  CHECK(o.target_reached);
  REQUIRE(o.best_rank_z);
  CHECK(*o.best_rank_z == 23);
  CHECK_FALSE(o.best_rank_gf2);
  for (const PoolEntry& e : pool.best(Field::Z)) {
    CHECK(e.scheme.field() == Field::Z);
    CHECK(verify(e.scheme, Field::Z).ok);
  }
}

TEST_CASE("a ternary bank refuses more terms than its kernel holds") {
  const Scheme start = standard_scheme(Shape{8, 8, 8});  // 512 terms > 32 * 12
  CHECK_THROWS_AS(TernaryWalkerBank(1, start.rank() + 2, ternary_terms(start), 1), Error);
  SearchConfig cfg;
  cfg.shape = Shape{8, 8, 8};
  cfg.field = Field::Z;
  cfg.backend = "gpu-emulated";
  cfg.walkers = 1;
  Pool pool;
  SilentProgress quiet;
  CHECK_THROWS_WITH_AS(run_flip_search(cfg, pool, quiet), doctest::Contains("at most 384 terms"), Error);
}
