// Random starts (tensor/random_start.hpp): every one is a valid GF(2) scheme of its format,
// determined by its seed; zero dense terms give back the standard algorithm's count; bad names
// and counts are refused with a clear error.
#include <doctest/doctest.h>

#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/random_start.hpp"
#include "tensor/verify.hpp"

using namespace fmm;

TEST_CASE("random starts are valid GF(2) schemes, one per seed") {
  for (const Shape shape : {Shape{2, 2, 2}, Shape{3, 4, 5}, Shape{4, 4, 4}, Shape{1, 7, 2}})
    for (int k : {0, 1, 5, 12})
      for (std::uint64_t seed : {1ull, 2ull, 159ull}) {
        const Scheme s = random_start_scheme(shape, k, seed);
        CAPTURE(shape.str());
        CAPTURE(k);
        CHECK(s.field() == Field::GF2);
        CHECK(s.shape() == shape);
        CHECK(verify(s, Field::GF2).ok);
        CHECK(s.rank() >= k);
      }
  const Scheme a = random_start_scheme(Shape{4, 4, 4}, 12, 159), b = random_start_scheme(Shape{4, 4, 4}, 12, 159);
  const Scheme c = random_start_scheme(Shape{4, 4, 4}, 12, 160);
  CHECK(a.u_data() == b.u_data());
  CHECK(a.v_data() == b.v_data());
  CHECK(a.w_data() == b.w_data());
  CHECK(a.u_data() != c.u_data());
  // No dense terms: each slice a_ij has the p rows b_jk, one C entry each, so nmp terms.
  CHECK(random_start_scheme(Shape{3, 4, 5}, 0, 7).rank() == 60);
}

TEST_CASE("random:NxMxP:K:SEED is a builtin name; bad ones are refused") {
  CHECK(is_builtin_name("random:4x4x4:12:159"));
  const Scheme s = builtin_scheme("random:4x4x4:12:159");
  CHECK(s.source() == "builtin:random:4x4x4:12:159");
  CHECK(s.rank() == random_start_scheme(Shape{4, 4, 4}, 12, 159).rank());
  for (const char* bad : {"random:4x4x4", "random:4x4x4:12", "random:4x4x4:x:1", "random:4x4x4:1:-3",
                          "random:4x4x4:5000:1", "random:4x4x4:1:2:3", "random:17x4x4:1:1", "random::1:1"})
    CHECK_THROWS_AS(builtin_scheme(bad), Error);
  CHECK_THROWS_AS(random_start_scheme(Shape{2, 2, 2}, -1, 1), Error);
}
