// Fewest additions at a given rank (search/additions/): the walk's moves keep the tensor and the
// coefficient bound; the search is deterministic under a step budget whatever the thread count;
// it never returns more additions than it started from; GF(2)-only starts are lifted; bad input
// is refused. Also the CSE engine it scores with (codegen/pair_elimination.hpp).
#include <doctest/doctest.h>

#include <filesystem>

#include "codegen/pair_elimination.hpp"
#include "search/additions/addition_cost.hpp"
#include "search/additions/addition_search.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search::additions;

namespace {

int max_abs(const Scheme& s) {
  int m = 0;
  for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
    for (const Rational& x : *data) m = std::max<int>(m, static_cast<int>(x.abs().num()));
  return m;
}

AdditionSearchConfig config_for(const Scheme& start, std::uint64_t steps, int threads, std::uint64_t seed = 1) {
  AdditionSearchConfig c;
  c.start = start;
  c.max_steps = steps;
  c.threads = threads;
  c.walkers = 4;
  c.seed = seed;
  c.epoch_steps = 100;  // several synchronisations within the small budgets below
  return c;
}

}  // namespace

TEST_CASE("every move of the walk keeps the tensor and the coefficient bound") {
  for (const Scheme& start : {laderman_scheme(), strassen_scheme(), kronecker(strassen_scheme(), standard_scheme({1, 1, 2})),
                              transpose(laderman_scheme())}) {
    INFO(start.source());
    WalkScheme w(start, 1);
    Rng rng{7};
    int moved = 0;
    for (int step = 0; step < 3000; ++step) {
      const double r = rng.unit();
      const PassMask changed = r < 0.1 ? w.random_basis_move(rng) : r < 0.12 ? w.random_symmetry(rng) : w.random_flip(rng);
      if (!changed) continue;
      ++moved;
      if (step % 50 == 0) {
        const Scheme s = w.to_scheme();
        REQUIRE(verify(s, Field::Z).ok);
        CHECK(s.shape() == start.shape());
        CHECK(s.rank() <= start.rank());
        CHECK(max_abs(s) <= 1);
      }
    }
    CHECK(moved > 100);  // Strassen's and Laderman's products share no factor: no flip until a basis move
    CHECK(verify(w.to_scheme(), Field::Z).ok);
  }
}

TEST_CASE("a change of basis move is the change of basis of tensor/transform") {
  // The elementary matrix I + E_01 on X alone: U -> X^T U, W -> X^-1 W.
  const Scheme s = laderman_scheme();
  BasisChange b{RationalMatrix::identity(3), RationalMatrix::identity(3), RationalMatrix::identity(3)};
  b.x(0, 1) = Rational(1);
  const Scheme expected = change_basis(s, b);
  // Search the moves a seeded generator makes for one that equals it (X, a = 0, b = 1, e = +1).
  bool found = false;
  for (std::uint64_t seed = 0; seed < 2000 && !found; ++seed) {
    WalkScheme w(s, 8);
    Rng rng{seed};
    if (!w.random_basis_move(rng)) continue;
    found = w.to_scheme() == WalkScheme(expected, 8).to_scheme();
  }
  CHECK(found);
}

TEST_CASE("the pass costs are codegen's") {
  const Scheme s = laderman_scheme();
  const WalkScheme w(s, 1);
  const codegen::AdditionCounts counts = codegen_additions(s);
  CHECK(naive_additions(w).total() == counts.plain);
  CHECK(counts.plain == 98);
  const PassCosts greedy = evaluate(w, codegen::ReduceOptions{.runs = 0, .seed = 1, .work_limit = 0});
  CHECK(greedy.total() >= counts.cse);  // codegen tries harder than the walk's greedy scoring
}

TEST_CASE("the search is deterministic under a step budget, whatever the thread count, and never worse") {
  search::SilentProgress quiet;
  // 300 steps a walker (three epochs): enough to move and synchronise, small enough to run twice.
  const AdditionSearchResult one = run_addition_search(config_for(laderman_scheme(), 300, 1), quiet);
  const AdditionSearchResult two = run_addition_search(config_for(laderman_scheme(), 300, 2), quiet);
  CHECK(one.best == two.best);
  CHECK(one.best_counts.cse == two.best_counts.cse);
  CHECK(one.start_counts.cse == 62);
  CHECK(one.best_counts.cse <= one.start_counts.cse);
  CHECK(one.best.rank() <= 23);
  CHECK(verify(one.best, Field::Z).ok);
  CHECK(one.steps == 4 * 300);
}

TEST_CASE("Strassen's 18 additions fall to 15 (Winograd's variant is in its orbit); Winograd's 15 stay") {
  // Strassen's scheme shares no pair (18 after CSE); its orbit holds Winograd's variant (15).
  search::SilentProgress quiet;
  const AdditionSearchResult r = run_addition_search(config_for(strassen_scheme(), 4000, 1, 3), quiet);
  CHECK(r.start_counts.cse == 18);
  CHECK(r.best_counts.cse == 15);
  CHECK(verify(r.best, Field::Z).ok);
  const AdditionSearchResult w = run_addition_search(config_for(winograd_scheme(), 500, 1), quiet);
  CHECK(w.best_counts.cse == 15);
}

TEST_CASE("a GF(2)-only start is lifted to Z first") {
  Scheme s = strassen_scheme();
  s.u(0)[0] = Rational(3);  // congruent to 1 mod 2: Strassen over GF(2), wrong over Q
  s.set_field(Field::GF2);
  REQUIRE(verify(s, Field::GF2).ok);
  REQUIRE_FALSE(verify(s, Field::Q).ok);
  search::SilentProgress quiet;
  const AdditionSearchResult r = run_addition_search(config_for(s, 200, 1), quiet);
  CHECK_FALSE(r.lift_report.empty());
  CHECK(verify(r.start, Field::Z).ok);
  CHECK(verify(r.best, Field::Z).ok);
}

TEST_CASE("bad input is refused") {
  search::SilentProgress quiet;
  AdditionSearchConfig no_budget = config_for(laderman_scheme(), 0, 1);
  CHECK_THROWS_AS(run_addition_search(no_budget, quiet), Error);
  Scheme broken = laderman_scheme();
  broken.w(0)[0] += Rational(1);
  CHECK_THROWS_AS(run_addition_search(config_for(broken, 10, 1), quiet), Error);
  // A rational coefficient no rescaling of its product removes (1/2 in w of a single term).
  Scheme q = strassen_scheme();
  for (auto& x : q.w(0)) x = x * Rational(1, 2);
  q.add_term(q.u(0), q.v(0), q.w(0));
  q.set_field(Field::Q);
  REQUIRE(verify(q, Field::Q).ok);
  CHECK_THROWS_AS(WalkScheme(q, 1), Error);
}

TEST_CASE("CSE engine: deterministic, never worse than the greedy, computes the same forms") {
  // Winograd (x) Winograd's A pass: 147 plain additions, 46 for the greedy pair choice.
  const Scheme w2 = kronecker(winograd_scheme(), winograd_scheme());
  const WalkScheme ws(w2, 1);
  const auto forms = pass_forms(ws, 0);
  const codegen::ReduceOptions options{.runs = 64, .seed = 5, .work_limit = 0};
  const codegen::IntProgram a = codegen::reduce_additions(16, forms, options);
  const codegen::IntProgram b = codegen::reduce_additions(16, forms, options);
  CHECK(a.additions() == b.additions());
  CHECK(a.outputs == b.outputs);
  CHECK(codegen::plain_additions(forms) == 147);
  CHECK(a.additions() <= codegen::greedy_pairs(16, forms).additions());
  CHECK(codegen::count_additions(16, forms, options) == a.additions());
  // Evaluate on integers: every output equals its form.
  std::vector<std::int64_t> vars;
  for (int x = 0; x < 16; ++x) vars.push_back(3 * x * x - 7 * x + 5);
  for (const auto& t : a.temps) vars.push_back(t[0].coef * vars[static_cast<std::size_t>(t[0].var)] +
                                              t[1].coef * vars[static_cast<std::size_t>(t[1].var)]);
  for (std::size_t o = 0; o < forms.size(); ++o) {
    std::int64_t got = 0, want = 0;
    for (const auto& t : a.outputs[o]) got += t.coef * vars[static_cast<std::size_t>(t.var)];
    for (const auto& t : forms[o]) want += t.coef * vars[static_cast<std::size_t>(t.var)];
    CHECK(got == want);
  }
}
