#include "tensor/scheme.hpp"

#include <algorithm>
#include <cassert>

#include "tensor/error.hpp"

namespace fmm {

Scheme::Scheme(Shape shape, Field field, int rank) : shape_(shape), field_(field), rank_(rank) {
  require_valid(shape);
  if (rank < 0) throw Error("negative rank");
  u_.resize(static_cast<size_t>(rank) * shape.a_size());
  v_.resize(static_cast<size_t>(rank) * shape.b_size());
  w_.resize(static_cast<size_t>(rank) * shape.c_size());
}

void Scheme::add_term(std::span<const Rational> u, std::span<const Rational> v, std::span<const Rational> w) {
  assert(u.size() == size_t(shape_.a_size()) && v.size() == size_t(shape_.b_size()) && w.size() == size_t(shape_.c_size()));
  u_.insert(u_.end(), u.begin(), u.end());
  v_.insert(v_.end(), v.begin(), v.end());
  w_.insert(w_.end(), w.begin(), w.end());
  ++rank_;
}

void Scheme::reserve(int rank) {
  u_.reserve(static_cast<size_t>(rank) * shape_.a_size());
  v_.reserve(static_cast<size_t>(rank) * shape_.b_size());
  w_.reserve(static_cast<size_t>(rank) * shape_.c_size());
}

void Scheme::remove_term(int r) {
  assert(r >= 0 && r < rank_);
  auto erase = [r](std::vector<Rational>& data, int len) {
    data.erase(data.begin() + static_cast<long>(r) * len, data.begin() + static_cast<long>(r + 1) * len);
  };
  erase(u_, shape_.a_size());
  erase(v_, shape_.b_size());
  erase(w_, shape_.c_size());
  --rank_;
}

bool Scheme::all_integer() const {
  for (const auto* data : {&u_, &v_, &w_})
    for (const auto& x : *data)
      if (!x.is_integer()) return false;
  return true;
}

bool Scheme::all_binary() const {
  for (const auto* data : {&u_, &v_, &w_})
    for (const auto& x : *data)
      if (!(x.is_zero() || x == Rational(1))) return false;
  return true;
}

std::int64_t Scheme::denominator_lcm() const {
  std::int64_t l = 1;
  for (const auto* data : {&u_, &v_, &w_})
    for (const auto& x : *data) l = checked_lcm(l, x.den());
  return l;
}

Scheme reduce_mod2(const Scheme& s) {
  Scheme out(s.shape(), Field::GF2);
  out.set_source(s.source());
  auto mod2 = [](const Rational& x) -> Rational {
    if (x.den() % 2 == 0) throw Error("coefficient " + x.str() + " has an even denominator: no reduction modulo 2");
    return Rational(x.num() & 1);  // den odd => x = num * den^-1 = num (mod 2)
  };
  std::vector<Rational> u, v, w;
  for (int r = 0; r < s.rank(); ++r) {
    u.clear(); v.clear(); w.clear();
    for (auto& x : s.u(r)) u.push_back(mod2(x));
    for (auto& x : s.v(r)) v.push_back(mod2(x));
    for (auto& x : s.w(r)) w.push_back(mod2(x));
    out.add_term(u, v, w);
  }
  return out;
}

Field coefficient_field(const Scheme& s) { return s.all_integer() ? Field::Z : Field::Q; }

std::vector<Rational> normalised_factor(std::span<const Rational> factor) {
  auto lead = std::find_if(factor.begin(), factor.end(), [](const Rational& x) { return !x.is_zero(); });
  if (lead == factor.end()) return {};
  std::vector<Rational> out(factor.begin(), factor.end());
  const Rational scale = *lead;
  for (Rational& x : out) x /= scale;
  return out;
}

}  // namespace fmm
