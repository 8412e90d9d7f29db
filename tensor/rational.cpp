#include "tensor/rational.hpp"

#include <charconv>
#include <numeric>

#include "tensor/error.hpp"

namespace fmm {

std::int64_t checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw OverflowError("integer overflow in coefficient arithmetic");
  return r;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw OverflowError("integer overflow in coefficient arithmetic");
  return r;
}

std::int64_t checked_gcd(std::int64_t a, std::int64_t b) {
  auto magnitude = [](std::int64_t x) { return x < 0 ? 0 - static_cast<std::uint64_t>(x) : static_cast<std::uint64_t>(x); };
  const std::uint64_t g = std::gcd(magnitude(a), magnitude(b));
  if (g > static_cast<std::uint64_t>(INT64_MAX)) throw OverflowError("integer overflow in coefficient arithmetic");
  return static_cast<std::int64_t>(g);
}

std::int64_t checked_lcm(std::int64_t a, std::int64_t b) {
  if (a == 0 || b == 0) return 0;
  return checked_mul(a / std::gcd(a, b), b);
}

static std::int64_t checked_neg(std::int64_t a) {
  if (a == INT64_MIN) throw OverflowError("integer overflow in coefficient arithmetic");
  return -a;
}

Rational::Rational(std::int64_t num, std::int64_t den) {
  if (den == 0) throw Error("rational with zero denominator");
  if (den < 0) {
    num = checked_neg(num);
    den = checked_neg(den);
  }
  const std::int64_t g = checked_gcd(num, den);  // num may be INT64_MIN (a fuzzed npz: verify's "found")
  if (g > 1) {
    num /= g;
    den /= g;
  }
  num_ = num;
  den_ = den;
}

Rational Rational::operator-() const {
  Rational r;
  r.num_ = checked_neg(num_);
  r.den_ = den_;
  return r;
}

Rational operator+(const Rational& a, const Rational& b) {
  if (a.den_ == 1 && b.den_ == 1) return Rational(checked_add(a.num_, b.num_));
  std::int64_t g = std::gcd(a.den_, b.den_);
  std::int64_t den = checked_mul(a.den_ / g, b.den_);
  std::int64_t num = checked_add(checked_mul(a.num_, b.den_ / g), checked_mul(b.num_, a.den_ / g));
  return Rational(num, den);
}

Rational operator-(const Rational& a, const Rational& b) { return a + (-b); }

Rational operator*(const Rational& a, const Rational& b) {
  if (a.den_ == 1 && b.den_ == 1) return Rational(checked_mul(a.num_, b.num_));
  // Cross-cancel first so that products of already-reduced fractions rarely overflow.
  std::int64_t g1 = checked_gcd(a.num_, b.den_), g2 = checked_gcd(b.num_, a.den_);
  if (g1 == 0) g1 = 1;
  if (g2 == 0) g2 = 1;
  return Rational(checked_mul(a.num_ / g1, b.num_ / g2), checked_mul(a.den_ / g2, b.den_ / g1));
}

Rational operator/(const Rational& a, const Rational& b) {
  if (b.num_ == 0) throw Error("division by zero in coefficient arithmetic");
  return a * Rational(b.den_, b.num_);
}

std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
  __int128 l = static_cast<__int128>(a.num_) * b.den_;
  __int128 r = static_cast<__int128>(b.num_) * a.den_;
  return l <=> r;
}

std::string Rational::str() const {
  return den_ == 1 ? std::to_string(num_) : std::to_string(num_) + "/" + std::to_string(den_);
}

std::optional<Rational> Rational::parse(std::string_view text) {
  auto parse_int = [](std::string_view s, bool allow_sign) -> std::optional<std::int64_t> {
    if (s.empty()) return std::nullopt;
    bool neg = false;
    if (allow_sign && (s[0] == '-' || s[0] == '+')) {
      neg = s[0] == '-';
      s.remove_prefix(1);
    }
    if (s.empty() || s[0] < '0' || s[0] > '9') return std::nullopt;
    std::uint64_t mag = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), mag);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    if (mag > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    auto v = static_cast<std::int64_t>(mag);
    return neg ? -v : v;
  };
  auto slash = text.find('/');
  auto num = parse_int(text.substr(0, slash), true);
  if (!num) return std::nullopt;
  if (slash == std::string_view::npos) return Rational(*num);
  auto den = parse_int(text.substr(slash + 1), false);
  if (!den || *den == 0) return std::nullopt;
  return Rational(*num, *den);
}

}  // namespace fmm
