// A bilinear scheme of rank R for <n,m,p>: R products
//   M_r = (sum u_r[i*m+j] A[i][j]) * (sum v_r[j*p+k] B[j][k]),  C[i][k] = sum_r w_r[i*p+k] M_r.
// Coefficients are exact rationals; `field` says over which domain the identities are
// claimed to hold. Whether they do is the verifier's business (verify.hpp), never assumed.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "tensor/field.hpp"
#include "tensor/rational.hpp"
#include "tensor/shape.hpp"
#include "tensor/text.hpp"

namespace fmm {

class Scheme {
 public:
  Scheme() = default;
  Scheme(Shape shape, Field field, int rank = 0);  // rank zero terms

  const Shape& shape() const { return shape_; }
  Field field() const { return field_; }
  void set_field(Field field) { field_ = field; }
  int rank() const { return rank_; }

  // Factor r as a span over its entries (length a_size / b_size / c_size).
  std::span<Rational> u(int r) { return {u_.data() + static_cast<size_t>(r) * shape_.a_size(), size_t(shape_.a_size())}; }
  std::span<Rational> v(int r) { return {v_.data() + static_cast<size_t>(r) * shape_.b_size(), size_t(shape_.b_size())}; }
  std::span<Rational> w(int r) { return {w_.data() + static_cast<size_t>(r) * shape_.c_size(), size_t(shape_.c_size())}; }
  std::span<const Rational> u(int r) const { return {u_.data() + static_cast<size_t>(r) * shape_.a_size(), size_t(shape_.a_size())}; }
  std::span<const Rational> v(int r) const { return {v_.data() + static_cast<size_t>(r) * shape_.b_size(), size_t(shape_.b_size())}; }
  std::span<const Rational> w(int r) const { return {w_.data() + static_cast<size_t>(r) * shape_.c_size(), size_t(shape_.c_size())}; }

  // Appends one product; the spans must have the shape's factor lengths.
  void add_term(std::span<const Rational> u, std::span<const Rational> v, std::span<const Rational> w);
  void remove_term(int r);
  void reserve(int rank);  // room for `rank` terms (a reader that knows the rank saves regrowth)

  // Free-form provenance carried through formats (the "source ..." of the native header).
  // Kept printable (tensor/text.hpp): it comes from input files and goes to terminals and headers.
  const std::string& source() const { return source_; }
  void set_source(std::string_view source) { source_ = printable(source); }

  bool all_integer() const;    // every coefficient has denominator 1
  bool all_binary() const;     // every coefficient is 0 or 1
  // Least common multiple of every denominator (1 for integer schemes).
  std::int64_t denominator_lcm() const;

  friend bool operator==(const Scheme& a, const Scheme& b) {
    return a.shape_ == b.shape_ && a.field_ == b.field_ && a.rank_ == b.rank_ && a.u_ == b.u_ && a.v_ == b.v_ &&
           a.w_ == b.w_;
  }

  // Flat storage, term-major; exposed read-only for tight loops (verifier, metrics).
  const std::vector<Rational>& u_data() const { return u_; }
  const std::vector<Rational>& v_data() const { return v_; }
  const std::vector<Rational>& w_data() const { return w_; }

 private:
  Shape shape_;
  Field field_ = Field::Z;
  int rank_ = 0;
  std::vector<Rational> u_, v_, w_;
  std::string source_;
};

// Reduces every coefficient modulo 2 (p/q with q odd maps to p mod 2); throws fmm::Error
// when a denominator is even. The result claims field GF2; drops nothing.
Scheme reduce_mod2(const Scheme& scheme);

// A factor divided by its first nonzero entry, so that proportional factors compare equal
// (over GF2, where the only scale is 1, equal factors); empty for a zero factor.
std::vector<Rational> normalised_factor(std::span<const Rational> factor);

// The smallest field the coefficients allow: GF2 is never inferred (it is a claim about
// the identities, not the coefficients); Z when all are integers, else Q.
Field coefficient_field(const Scheme& scheme);

}  // namespace fmm
