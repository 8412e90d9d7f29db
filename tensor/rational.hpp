// Exact rational numbers on 64-bit integers with checked arithmetic.
//
// Scheme coefficients are small (|x| <= a few, denominators 2, 8, 3), but
// compositions and changes of basis can grow them; every operation checks for
// overflow and throws fmm::OverflowError instead of wrapping.
#pragma once

#include <cstdint>
#include <compare>
#include <string>
#include <string_view>
#include <optional>

namespace fmm {

class Rational {
 public:
  constexpr Rational() = default;
  constexpr Rational(std::int64_t value) : num_(value) {}  // NOLINT: implicit from integers on purpose
  Rational(std::int64_t num, std::int64_t den);  // normalizes; den != 0

  std::int64_t num() const { return num_; }
  std::int64_t den() const { return den_; }
  bool is_integer() const { return den_ == 1; }
  bool is_zero() const { return num_ == 0; }
  int sign() const { return (num_ > 0) - (num_ < 0); }

  Rational operator-() const;
  friend Rational operator+(const Rational& a, const Rational& b);
  friend Rational operator-(const Rational& a, const Rational& b);
  friend Rational operator*(const Rational& a, const Rational& b);
  friend Rational operator/(const Rational& a, const Rational& b);
  Rational& operator+=(const Rational& b) { return *this = *this + b; }
  Rational& operator-=(const Rational& b) { return *this = *this - b; }
  Rational& operator*=(const Rational& b) { return *this = *this * b; }
  Rational& operator/=(const Rational& b) { return *this = *this / b; }

  friend bool operator==(const Rational& a, const Rational& b) = default;
  friend std::strong_ordering operator<=>(const Rational& a, const Rational& b);

  Rational abs() const { return num_ < 0 ? -*this : *this; }
  double to_double() const { return static_cast<double>(num_) / static_cast<double>(den_); }

  // "3", "-1/2". Parsing accepts an optional sign, digits, and an optional "/digits";
  // returns nullopt on anything else (including overflow or a zero denominator).
  std::string str() const;
  static std::optional<Rational> parse(std::string_view text);

 private:
  std::int64_t num_ = 0;
  std::int64_t den_ = 1;  // always > 0, gcd(num, den) == 1
};

// Checked 64-bit helpers, also used by the verifier's integer fast path.
std::int64_t checked_add(std::int64_t a, std::int64_t b);
std::int64_t checked_mul(std::int64_t a, std::int64_t b);
std::int64_t checked_lcm(std::int64_t a, std::int64_t b);
// gcd(|a|, |b|), defined for INT64_MIN too (std::gcd takes |a|, undefined there); throws
// OverflowError only when the answer, 2^63, does not fit (a and b both INT64_MIN or 0).
std::int64_t checked_gcd(std::int64_t a, std::int64_t b);

}  // namespace fmm
