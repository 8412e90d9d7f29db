// Moves between formats (search/meta/format_moves.hpp), the bud product
// (search/meta/bud_product.hpp) and the best start from a library (search/meta/best_start.hpp):
// known ranks, every result verified, coefficients kept in {-1,0,1}, bad requests rejected.
#include <doctest/doctest.h>

#include <cstdlib>

#include "search/meta/basis_projection.hpp"
#include "search/meta/best_start.hpp"
#include "search/meta/bud_product.hpp"
#include "search/meta/bud_walk.hpp"
#include "search/meta/format_moves.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search;
using namespace fmm::search::meta;

TEST_CASE("extend adds the products of the new slice") {
  const Scheme s = strassen_scheme();
  for (Axis axis : {Axis::N, Axis::M, Axis::P}) {
    Scheme e = extend(s, axis);
    CHECK(e.shape() == with_dim({2, 2, 2}, axis, 3));
    CHECK(e.rank() == 7 + 4);  // <2,2,3;11>, the best known (Hopcroft-Kerr)
    CHECK(verify(e, Field::Z).ok);
    CHECK(ring_of(e) == RankRing::ZT);
  }
  Scheme e2 = extend(extend(laderman_scheme(), Axis::P), Axis::N);
  CHECK(e2.shape() == Shape{4, 3, 4});
  CHECK(e2.rank() == 23 + 9 + 12);
  CHECK(verify(e2).ok);
}

TEST_CASE("project deletes one index; the products that vanish go") {
  const Scheme l = laderman_scheme();
  for (Axis axis : {Axis::N, Axis::M, Axis::P})
    for (int index = 0; index < 3; ++index) {
      Scheme p = project(l, axis, index);
      CHECK(p.shape() == with_dim({3, 3, 3}, axis, 2));
      CHECK(p.rank() < 23);
      CHECK(verify(p, Field::Z).ok);
    }
  // The standard algorithm loses exactly the products of the deleted column.
  Scheme st = project(standard_scheme({2, 3, 4}), Axis::P, 1);
  CHECK(st.rank() == 2 * 3 * 3);
  Scheme b = best_projection(l, Axis::P);
  for (int index = 0; index < 3; ++index) CHECK(b.rank() <= tidy(project(l, Axis::P, index), RankRing::ZT).rank());
  CHECK(verify(b).ok);
  CHECK_THROWS_AS(project(standard_scheme({1, 2, 2}), Axis::N, 0), Error);
  CHECK_THROWS_AS(project(l, Axis::M, 3), Error);
}

TEST_CASE("projection through the best hyperplane: as good as any coordinate, in any basis") {
  // A change of basis hides the coordinate hyperplanes a scheme is aligned with; the hyperplanes
  // read off its rank-one factors find them again, so the projection is basis-independent.
  const Scheme l = laderman_scheme();
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Scheme hidden = change_basis(l, random_basis(l.shape(), seed));
    for (Axis axis : {Axis::N, Axis::M, Axis::P}) {
      const int aligned = best_projection(l, axis).rank();
      Scheme b = best_basis_projection(hidden, axis);
      CHECK(b.shape() == with_dim({3, 3, 3}, axis, 2));
      CHECK(b.rank() <= aligned);
      CHECK(b.rank() <= best_projection(hidden, axis).rank());
      CHECK(verify(b, Field::Z).ok);
      CHECK(ring_of(b) != RankRing::Q);  // the change of basis is unimodular: integers stay integers
      // Over GF(2) likewise (the pairing of the two lines is then odd, not +-1).
      Scheme g = best_basis_projection(reduce_mod2(hidden), axis);
      CHECK(g.field() == Field::GF2);
      CHECK(g.rank() <= best_projection(reduce_mod2(l), axis).rank());
      CHECK(verify(g, Field::GF2).ok);
    }
  }
  // A {-1,0,1} scheme stays one (hyperplanes that need a 2 are not used).
  Scheme t = best_basis_projection(laderman_scheme(), Axis::P);
  CHECK(ring_of(t) == RankRing::ZT);
  CHECK(t.rank() <= best_projection(laderman_scheme(), Axis::P).rank());
  CHECK_THROWS_AS(best_basis_projection(standard_scheme({1, 2, 2}), Axis::N), Error);
}

TEST_CASE("block sums add ranks; the other dimensions must agree") {
  Scheme s = block_sum(strassen_scheme(), strassen_scheme(), Axis::M);
  CHECK(s.shape() == Shape{2, 4, 2});
  CHECK(s.rank() == 14);
  CHECK(verify(s, Field::Z).ok);
  Scheme t = block_sum(standard_scheme({2, 3, 1}), extend(strassen_scheme(), Axis::M), Axis::P);
  CHECK(t.shape() == Shape{2, 3, 3});
  CHECK(t.rank() == 6 + 11);
  CHECK(verify(t).ok);
  CHECK_THROWS_AS(block_sum(strassen_scheme(), laderman_scheme(), Axis::P), Error);
  // GF(2) with Z gives GF(2).
  Scheme g = block_sum(reduce_mod2(strassen_scheme()), strassen_scheme(), Axis::N);
  CHECK(g.field() == Field::GF2);
  CHECK(verify(g, Field::GF2).ok);
}

TEST_CASE("permute_to reaches every order of the dimensions") {
  const Scheme s = standard_scheme({2, 3, 4});
  for (Shape target : {Shape{2, 3, 4}, Shape{2, 4, 3}, Shape{3, 2, 4}, Shape{3, 4, 2}, Shape{4, 2, 3}, Shape{4, 3, 2}}) {
    Scheme t = permute_to(s, target);
    CHECK(t.shape() == target);
    CHECK(verify(t).ok);
  }
  CHECK_THROWS_AS(permute_to(s, {2, 3, 5}), Error);
}

TEST_CASE("rings: ternary, integer, rational and GF(2) membership") {
  CHECK(ring_of(strassen_scheme()) == RankRing::ZT);
  CHECK(holds_in(strassen_scheme(), RankRing::GF2));
  CHECK(holds_in(strassen_scheme(), RankRing::Q));
  const Scheme g = reduce_mod2(strassen_scheme());
  CHECK(ring_of(g) == RankRing::GF2);
  CHECK(!holds_in(g, RankRing::Z));
  CHECK_THROWS_AS(as_ring(g, RankRing::ZT), Error);
  CHECK(as_ring(strassen_scheme(), RankRing::GF2).field() == Field::GF2);
}

TEST_CASE("the library keeps the lowest rank per format and ring, in any order of dimensions") {
  Library lib;
  CHECK(lib.add(standard_scheme({3, 3, 3}), "standard"));
  CHECK(lib.add(laderman_scheme(), "laderman"));
  CHECK(!lib.add(standard_scheme({3, 3, 3}), "standard again"));
  CHECK(lib.add(reduce_mod2(extend(strassen_scheme(), Axis::N)), "gf2"));  // 3x2x2 filed as 2x2x3
  REQUIRE(lib.best({3, 3, 3}, RankRing::ZT));
  CHECK(lib.best({3, 3, 3}, RankRing::ZT)->scheme.rank() == 23);
  CHECK(lib.best({2, 3, 2}, RankRing::GF2)->scheme.rank() == 11);
  CHECK(lib.best({2, 3, 2}, RankRing::ZT) == nullptr);
  CHECK(lib.formats().size() == 2);
  // A corrupted scheme is refused.
  Scheme bad = strassen_scheme();
  bad.u(0)[0] = Rational(2);
  CHECK_THROWS_AS(lib.add(bad, "corrupted"), Error);
}

TEST_CASE("best start: sums, products and projections of the library's schemes") {
  Library lib;
  lib.add(strassen_scheme(), "strassen");
  lib.add(laderman_scheme(), "laderman");
  auto rank_of = [&](Shape s, RankRing ring) {
    Start st = best_start(s, ring, lib);
    CHECK(st.scheme.shape() == s);
    CHECK(verify(st.scheme).ok);
    if (ring == RankRing::ZT) CHECK(ring_of(st.scheme) == RankRing::ZT);
    return st.scheme.rank();
  };
  CHECK(rank_of({2, 2, 3}, RankRing::ZT) == 11);   // extension of Strassen
  CHECK(rank_of({4, 4, 4}, RankRing::ZT) == 49);   // Strassen x Strassen
  CHECK(rank_of({4, 4, 8}, RankRing::ZT) == 98);   // two of those
  CHECK(rank_of({8, 8, 8}, RankRing::GF2) == 343);
  CHECK(rank_of({3, 3, 6}, RankRing::ZT) == 46);   // two Laderman
  CHECK(rank_of({6, 6, 6}, RankRing::ZT) == 161);  // Strassen x Laderman
  CHECK(rank_of({3, 3, 3}, RankRing::Q) == 23);
  StartOptions fresh;
  fresh.fresh = true;  // without the library's own <3,3,3>: built from Strassen and standard parts
  CHECK(best_start({3, 3, 3}, RankRing::ZT, lib, fresh).scheme.rank() > 23);
  CHECK(best_start({4, 4, 4}, RankRing::ZT, lib, fresh).scheme.rank() == 49);
  // A projection of a larger scheme: <8,8,8;343> down to <7,8,8> loses the 8 products of
  // Strassen^3 that touch only the deleted row of A, and products that became proportional merge.
  Library big;
  big.add(kronecker(kronecker(strassen_scheme(), strassen_scheme()), strassen_scheme()), "strassen^3");
  std::vector<std::string> lines;
  Start st = best_start({7, 8, 8}, RankRing::ZT, big, {}, &lines);
  CHECK(st.scheme.rank() <= 335);
  CHECK(st.recipe.find("projection") != std::string::npos);
  CHECK(!lines.empty());
  // Same inputs, same result.
  CHECK(best_start({7, 8, 8}, RankRing::ZT, big).scheme == st.scheme);
  // A projection slack takes the best projection (of <8,8,8>) even where sums and products of
  // the smaller schemes give less.
  big.add(strassen_scheme(), "strassen");
  big.add(kronecker(strassen_scheme(), strassen_scheme()), "strassen^2");
  StartOptions prefer;
  prefer.projection_slack = 1000;
  Start proj = best_start({6, 8, 8}, RankRing::ZT, big, prefer);
  CHECK(proj.recipe.find("projection") != std::string::npos);
  CHECK(verify(proj.scheme).ok);
  CHECK(proj.scheme.shape() == Shape{6, 8, 8});
}

TEST_CASE("start_from adapts a scheme of another format") {
  Start a = start_from(laderman_scheme(), {3, 3, 4}, RankRing::ZT);
  CHECK(a.scheme.shape() == Shape{3, 3, 4});
  CHECK(a.scheme.rank() == 23 + 9);
  Start b = start_from(laderman_scheme(), {2, 3, 3}, RankRing::GF2);
  CHECK(b.scheme.shape() == Shape{2, 3, 3});
  CHECK(b.scheme.rank() <= 18);
  CHECK(verify(b.scheme, Field::GF2).ok);
  Start c = start_from(strassen_scheme(), {2, 2, 2}, RankRing::ZT);
  CHECK(c.scheme.rank() == 7);
}

TEST_CASE("starts of a kind: projections of larger schemes, extensions of smaller ones") {
  Library lib;
  lib.add(laderman_scheme(), "laderman");
  auto e = best_extension_start({3, 3, 4}, RankRing::ZT, lib);
  REQUIRE(e);
  CHECK(e->scheme.shape() == Shape{3, 3, 4});
  CHECK(e->scheme.rank() == 23 + 9);
  CHECK(verify(e->scheme).ok);
  CHECK(e->recipe.find("extension") != std::string::npos);
  const auto p = projection_starts({2, 3, 3}, RankRing::GF2, lib);
  REQUIRE(!p.empty());
  CHECK(p.front().scheme.shape() == Shape{2, 3, 3});
  CHECK(p.front().scheme.rank() <= 18);
  CHECK(verify(p.front().scheme, Field::GF2).ok);
  CHECK(projection_starts({3, 3, 4}, RankRing::ZT, lib).empty());  // nothing larger
  CHECK(projection_starts({2, 2, 2}, RankRing::ZT, lib, 2).empty());  // 3x3x3 is 3 larger
  CHECK(!projection_starts({2, 2, 2}, RankRing::ZT, lib, 3).empty());
}

TEST_CASE("projection starts: one per larger format, lowest rank first") {
  Library lib;
  lib.add(laderman_scheme(), "laderman");
  lib.add(standard_scheme({2, 3, 4}), "standard");
  const std::vector<Start> all = projection_starts({2, 3, 3}, RankRing::ZT, lib);
  REQUIRE(all.size() == 2);  // from <3,3,3> (rank 23) and from <2,3,4> (the standard 24)
  for (const Start& s : all) {
    CHECK(s.scheme.shape() == Shape{2, 3, 3});
    CHECK(verify(s.scheme).ok);
  }
  CHECK(all[0].scheme.rank() <= all[1].scheme.rank());
  CHECK(all[1].scheme.rank() == 18);  // the standard <2,3,4> without a column: the standard <2,3,3>
  CHECK(all[0].recipe != all[1].recipe);
}

namespace {

// The scheme of a format for the bud product's enlarged formats: Strassen for <2,2,2>, else
// the standard algorithm.
Scheme strassen_or_standard(const Shape& s) { return s == Shape{2, 2, 2} ? strassen_scheme() : standard_scheme(s); }

}  // namespace

TEST_CASE("bud product: products sharing u, v or w cost the enlarged format's rank, over Z and GF(2)") {
  // The standard <1,1,2> has two products with u = A11; times <2,2,1> the pair needs <2,2,2>:
  // Strassen's 7 instead of 2 x 4. Likewise v shared in <2,1,1> (times <1,2,2>) and w in
  // <1,2,1> (times <2,1,2>): each gives back a <2,2,2> of rank 7.
  struct Case {
    Shape outer, inner;
    Slot slot;
  };
  for (const Case& c : {Case{{1, 1, 2}, {2, 2, 1}, Slot::U}, Case{{2, 1, 1}, {1, 2, 2}, Slot::V},
                        Case{{1, 2, 1}, {2, 1, 2}, Slot::W}}) {
    Scheme outer = standard_scheme(c.outer);
    const std::vector<BudGroup> classes = bud_classes(outer);
    REQUIRE(classes.size() == 1);
    CHECK(classes[0].slot == c.slot);
    CHECK(classes[0].terms == std::vector<int>{0, 1});
    CHECK(enlarged_format(c.inner, c.slot, 2) == Shape{2, 2, 2});
    const BudChoice choice = choose_bud_groups(outer, c.inner, 4, [](const Shape& s) { return strassen_or_standard(s).rank(); });
    CHECK(choice.saving == 1);
    REQUIRE(choice.groups.size() == 1);
    const Scheme s = bud_product(outer, standard_scheme(c.inner), choice.groups, strassen_or_standard);
    CHECK(s.shape() == Shape{2, 2, 2});
    CHECK(s.rank() == 7);
    CHECK(verify(s).ok);
    CHECK(ring_of(s) == RankRing::ZT);  // the signs of Strassen kept
    // Over GF(2): the same product of the schemes reduced modulo 2.
    const Scheme g = bud_product(reduce_mod2(outer), standard_scheme(c.inner), choice.groups, strassen_or_standard);
    CHECK(g.field() == Field::GF2);
    CHECK(g.rank() == 7);
    CHECK(verify(g).ok);
    // Proportional, not equal: the second product's u (or v, w) negated, and the sign moved to
    // another factor, is still one class and still a product of rank 7.
    Scheme negated(outer.shape(), outer.field());
    for (int r = 0; r < outer.rank(); ++r) {
      std::vector<Rational> u(outer.u(r).begin(), outer.u(r).end()), v(outer.v(r).begin(), outer.v(r).end()),
          w(outer.w(r).begin(), outer.w(r).end());
      if (r == 1) {
        std::vector<Rational>& shared = c.slot == Slot::U ? u : c.slot == Slot::V ? v : w;
        std::vector<Rational>& other = c.slot == Slot::W ? u : w;
        for (Rational& x : shared) x = -x;
        for (Rational& x : other) x = -x;
      }
      negated.add_term(u, v, w);
    }
    REQUIRE(verify(negated).ok);
    REQUIRE(bud_classes(negated).size() == 1);
    const Scheme n = bud_product(negated, standard_scheme(c.inner), bud_classes(negated), strassen_or_standard);
    CHECK(n.rank() == 7);
    CHECK(verify(n).ok);
  }
}

TEST_CASE("bud product: groups that overlap, or whose factors differ, are refused") {
  const Scheme outer = standard_scheme({1, 2, 2});  // u = A11 in products 0, 1; A12 in 2, 3
  const Scheme inner = standard_scheme({2, 1, 1});
  CHECK_THROWS_AS(bud_product(outer, inner, {BudGroup{Slot::U, {0, 2}}}, strassen_or_standard), Error);
  CHECK_THROWS_AS(bud_product(outer, inner, {BudGroup{Slot::U, {0, 1}}, BudGroup{Slot::U, {1, 0}}}, strassen_or_standard),
                  Error);
  CHECK_THROWS_AS(bud_product(outer, inner, {BudGroup{Slot::U, {0}}}, strassen_or_standard), Error);
  CHECK_THROWS_AS(bud_product(outer, inner, {BudGroup{Slot::U, {0, 7}}}, strassen_or_standard), Error);
  // An enlarged scheme of the wrong format.
  CHECK_THROWS_AS(bud_product(outer, inner, {BudGroup{Slot::U, {0, 1}}}, [](const Shape&) { return strassen_scheme(); }),
                  Error);
  // The real thing: both pairs, each through <2,1,2>.
  const Scheme s = bud_product(outer, inner, {BudGroup{Slot::U, {0, 1}}, BudGroup{Slot::U, {2, 3}}}, strassen_or_standard);
  CHECK(s.shape() == Shape{2, 2, 2});
  CHECK(verify(s).ok);
}

TEST_CASE("best start: the bud product gives <4,8,8;180> (best known) from a <2,4,8;51> with 24 pairs of equal u") {
  // The <2,4,8;51> is one of the campaign's own schemes (a lifted flip walk, 2026-12); Perminov
  // (arXiv 2606.02480) builds the record 180 the same way from another <2,4,8;51>.
  const char* dir = std::getenv("FMM_TEST_DATA");
  REQUIRE(dir != nullptr);
  Library lib;
  lib.add(read_one_scheme(std::string(dir) + "/meta/2x4x8_r51_z.txt"), "2x4x8_r51_z.txt");
  lib.add(strassen_scheme(), "strassen");
  const BudChoice choice = choose_bud_groups(permute_to(lib.best({2, 4, 8}, RankRing::Z)->scheme, {2, 4, 8}), {2, 2, 1}, 4,
                                             [](const Shape& s) { return strassen_or_standard(s).rank(); });
  CHECK(choice.saving == 24);
  std::vector<std::string> lines;
  const Start st = best_start({4, 8, 8}, RankRing::Z, lib, {}, &lines);
  CHECK(st.scheme.rank() == 180);
  CHECK(st.scheme.shape() == Shape{4, 8, 8});
  CHECK(verify(st.scheme).ok);
  CHECK_MESSAGE(st.recipe.find("bud product of [library 2x4x8:51") != std::string::npos, st.recipe);
  CHECK(best_start({4, 8, 8}, RankRing::Z, lib, {}).scheme == st.scheme);  // same inputs, same scheme
  // As an outer scheme only (Library::add_outer: kept whatever its rank, used only by bud
  // products), with no best of its format in the library, it still gives 180.
  Library outer_only;
  outer_only.add(strassen_scheme(), "strassen");
  outer_only.add_outer(read_one_scheme(std::string(dir) + "/meta/2x4x8_r51_z.txt"), "2x4x8_r51_z.txt");
  CHECK(outer_only.outers({8, 2, 4}, RankRing::Z).size() == 1);
  CHECK(outer_only.outers({8, 2, 4}, RankRing::ZT).empty());  // its coefficients leave {-1,0,1}
  CHECK(best_start({4, 8, 8}, RankRing::Z, outer_only).scheme.rank() == 180);
}

TEST_CASE("bud walk: a verified scheme of a score at least the start's; same seed, same scheme") {
  // The standard <2,2,3> has every u in 3 products (one pair each), every v in 2 and every w in
  // 2; Strassen-like reductions and flips move it, and the walk keeps the best score it saw.
  const Scheme start = standard_scheme({2, 2, 3});
  CHECK(bud_saving(start, Slot::U) == 4);
  CHECK(bud_saving(start, Slot::V) == 6);
  CHECK(bud_saving(start, Slot::W) == 6);
  BudWalkConfig cfg;
  cfg.slot = Slot::W;
  cfg.max_steps = 20000;
  cfg.plus_every = 100;
  cfg.seed = 7;
  const BudWalkResult a = bud_walk(start, cfg);
  CHECK(verify(a.best).ok);
  CHECK(a.best.shape() == Shape{2, 2, 3});
  CHECK(a.score >= 6 - 4 * 12);
  CHECK(a.score == a.saving - 4L * a.best.rank());
  CHECK(a.saving == bud_saving(a.best, Slot::W));
  CHECK(a.steps == 20000);
  CHECK(bud_walk(start, cfg).best == a.best);
  // Strassen has no two products sharing a factor: no flip, and only plus transitions move it.
  BudWalkConfig none;
  none.max_steps = 1000;
  const BudWalkResult s = bud_walk(strassen_scheme(), none);
  CHECK(s.taken == 0);
  CHECK(s.best.rank() == 7);
  CHECK_THROWS_AS(bud_walk(reduce_mod2(strassen_scheme()), none), Error);
}

TEST_CASE("bud walk: the class saving table splits a class into the groups that save most") {
  // Against <2,2,1> (rank 4) with u shared: a pair needs <2,2,2> (Strassen 7, saves 1); three
  // and four need <2,2,3> and <2,2,4>, here the standard 12 and 16 (save nothing).
  const auto rank_of = [](const Shape& s) -> long { return strassen_or_standard(s).rank(); };
  const std::vector<long> table = class_saving_table({2, 2, 1}, Slot::U, 4, rank_of, 6);
  CHECK(table == std::vector<long>{0, 0, 1, 1, 2, 2, 3});
  // Were <2,2,3> of rank 10, a triple would save 2, and a class of five a pair and a triple: 3.
  const auto better = [&](const Shape& s) -> long { return s == Shape{2, 2, 3} ? 10 : rank_of(s); };
  CHECK(class_saving_table({2, 2, 1}, Slot::U, 4, better, 5) == std::vector<long>{0, 0, 1, 2, 2, 3});
  // The walk scores with it: standard <1,1,4> has one class of four u's, saving 2.
  const Scheme s = standard_scheme({1, 1, 4});
  CHECK(bud_saving(s, Slot::U, table) == 2);
  CHECK(bud_saving(s, Slot::U) == 2);  // pairs
}
