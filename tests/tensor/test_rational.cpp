// Exact coefficient arithmetic (tensor/rational.hpp) at the ends of 64 bits: INT64_MIN is a
// valid numerator (std::gcd and std::abs are undefined on it), and what does not fit throws
// OverflowError instead of wrapping.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "tensor/error.hpp"
#include "tensor/rational.hpp"

using namespace fmm;

namespace {
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
}  // namespace

TEST_CASE("checked_gcd takes magnitudes, INT64_MIN included") {
  CHECK(checked_gcd(12, -18) == 6);
  CHECK(checked_gcd(0, -5) == 5);
  CHECK(checked_gcd(kMin, 6) == 2);
  CHECK(checked_gcd(kMin, kMax) == 1);
  CHECK(checked_gcd(kMin, std::int64_t(1) << 62) == std::int64_t(1) << 62);
  CHECK_THROWS_AS(checked_gcd(kMin, 0), OverflowError);  // 2^63
  CHECK_THROWS_AS(checked_gcd(kMin, kMin), OverflowError);
}

TEST_CASE("a fraction with numerator INT64_MIN normalises") {
  // Found by fuzz_npz: verify() reports a Brent sum of exactly INT64_MIN as Rational(sum, scale).
  CHECK(Rational(kMin, 1).num() == kMin);
  CHECK(Rational(kMin, 4) == Rational(kMin / 4));
  const Rational third(kMin, 3);
  CHECK(third.num() == kMin);
  CHECK(third.den() == 3);
  CHECK(third.str() == "-9223372036854775808/3");
  CHECK_THROWS_AS(Rational(kMin, -1), OverflowError);  // 2^63
  CHECK_THROWS_AS(-Rational(kMin), OverflowError);
  CHECK(Rational(kMin) * Rational(1, 2) == Rational(kMin / 2));
  CHECK(Rational(3, 4) * Rational(kMin) == Rational(kMin / 4 * 3));
  CHECK_THROWS_AS(Rational(kMin) * Rational(2), OverflowError);
}
