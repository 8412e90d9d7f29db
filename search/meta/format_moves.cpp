#include "search/meta/format_moves.hpp"

#include <algorithm>
#include <array>

#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"

namespace fmm::search::meta {
namespace {

using Vec = std::vector<Rational>;

std::string label(const Scheme& s) { return s.shape().str() + " rank " + std::to_string(s.rank()); }

// Copies every product of `s` into `out` (a larger format), with the A, B and C indices shifted
// by the offsets (oi rows of A and C, oj the inner index, ok columns of B and C): the scheme
// then multiplies one block of the larger matrices.
void embed(const Scheme& s, Scheme& out, int oi, int oj, int ok) {
  const Shape a = s.shape(), b = out.shape();
  Vec u(b.a_size()), v(b.b_size()), w(b.c_size());
  for (int r = 0; r < s.rank(); ++r) {
    std::fill(u.begin(), u.end(), Rational(0));
    std::fill(v.begin(), v.end(), Rational(0));
    std::fill(w.begin(), w.end(), Rational(0));
    auto su = s.u(r), sv = s.v(r), sw = s.w(r);
    for (int i = 0; i < a.n; ++i)
      for (int j = 0; j < a.m; ++j) u[b.a_index(i + oi, j + oj)] = su[a.a_index(i, j)];
    for (int j = 0; j < a.m; ++j)
      for (int k = 0; k < a.p; ++k) v[b.b_index(j + oj, k + ok)] = sv[a.b_index(j, k)];
    for (int i = 0; i < a.n; ++i)
      for (int k = 0; k < a.p; ++k) w[b.c_index(i + oi, k + ok)] = sw[a.c_index(i, k)];
    out.add_term(u, v, w);
  }
}

// The field of a combination of two schemes: GF(2) if either is, else Q if either is, else Z.
Field joint_field(Scheme& a, Scheme& b) {
  if (a.field() == Field::GF2 || b.field() == Field::GF2) {
    if (a.field() != Field::GF2) a = reduce_mod2(a);
    if (b.field() != Field::GF2) b = reduce_mod2(b);
    return Field::GF2;
  }
  return (a.field() == Field::Q || b.field() == Field::Q) ? Field::Q : Field::Z;
}

bool is_zero(std::span<const Rational> x) {
  return std::all_of(x.begin(), x.end(), [](const Rational& c) { return c.is_zero(); });
}

bool ternary(const Scheme& s) {
  for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
    for (const Rational& c : *data)
      if (!(c.is_zero() || c == Rational(1) || c == Rational(-1))) return false;
  return true;
}

}  // namespace

std::string to_string(Axis axis) { return axis == Axis::N ? "n" : axis == Axis::M ? "m" : "p"; }

Axis parse_axis(const std::string& text) {
  if (text == "n" || text == "0") return Axis::N;
  if (text == "m" || text == "1") return Axis::M;
  if (text == "p" || text == "2") return Axis::P;
  throw Error("axis must be n, m or p, not '" + text + "'");
}

int dim(const Shape& shape, Axis axis) { return axis == Axis::N ? shape.n : axis == Axis::M ? shape.m : shape.p; }

Shape with_dim(Shape shape, Axis axis, int value) {
  (axis == Axis::N ? shape.n : axis == Axis::M ? shape.m : shape.p) = value;
  return shape;
}

Scheme block_sum(const Scheme& a_in, const Scheme& b_in, Axis axis) {
  Scheme a = a_in, b = b_in;
  const Field field = joint_field(a, b);
  const Shape sa = a.shape(), sb = b.shape();
  for (Axis other : {Axis::N, Axis::M, Axis::P})
    if (other != axis && dim(sa, other) != dim(sb, other))
      throw Error("block sum along " + to_string(axis) + ": " + sa.str() + " and " + sb.str() + " differ in " +
                  to_string(other));
  const Shape shape = with_dim(sa, axis, dim(sa, axis) + dim(sb, axis));
  if (!shape.valid())
    throw Error("block sum: " + shape.str() + " exceeds the largest dimension " + std::to_string(kMaxDim));
  Scheme out(shape, field);
  embed(a, out, 0, 0, 0);
  const int shift = dim(sa, axis);
  embed(b, out, axis == Axis::N ? shift : 0, axis == Axis::M ? shift : 0, axis == Axis::P ? shift : 0);
  out.set_source("block sum along " + to_string(axis) + " of (" + (a.source().empty() ? label(a) : a.source()) +
                 ") and (" + (b.source().empty() ? label(b) : b.source()) + ")");
  require_verified(out, "block sum of " + label(a) + " and " + label(b));
  return out;
}

Scheme extend(const Scheme& scheme, Axis axis) {
  const Shape slice = with_dim(scheme.shape(), axis, 1);
  Scheme standard = standard_scheme(slice);
  standard.set_source("standard " + slice.str());
  Scheme out = block_sum(scheme, standard, axis);
  out.set_source((scheme.source().empty() ? label(scheme) : scheme.source()) + " | extend " + to_string(axis));
  return out;
}

Scheme project(const Scheme& s, Axis axis, int index) {
  const Shape a = s.shape();
  const int d = dim(a, axis);
  if (d < 2) throw Error("project: " + a.str() + " has only one index along " + to_string(axis));
  if (index < 0 || index >= d)
    throw Error("project: index " + std::to_string(index) + " is outside 0.." + std::to_string(d - 1));
  const Shape b = with_dim(a, axis, d - 1);
  // The new position of old index x along the axis, or -1 for the deleted one.
  auto keep = [&](Axis ax, int x) { return ax != axis ? x : x == index ? -1 : x > index ? x - 1 : x; };
  Scheme out(b, s.field());
  Vec u(b.a_size()), v(b.b_size()), w(b.c_size());
  for (int r = 0; r < s.rank(); ++r) {
    auto su = s.u(r), sv = s.v(r), sw = s.w(r);
    for (int i = 0; i < a.n; ++i)
      for (int j = 0; j < a.m; ++j)
        if (keep(Axis::N, i) >= 0 && keep(Axis::M, j) >= 0) u[b.a_index(keep(Axis::N, i), keep(Axis::M, j))] = su[a.a_index(i, j)];
    for (int j = 0; j < a.m; ++j)
      for (int k = 0; k < a.p; ++k)
        if (keep(Axis::M, j) >= 0 && keep(Axis::P, k) >= 0) v[b.b_index(keep(Axis::M, j), keep(Axis::P, k))] = sv[a.b_index(j, k)];
    for (int i = 0; i < a.n; ++i)
      for (int k = 0; k < a.p; ++k)
        if (keep(Axis::N, i) >= 0 && keep(Axis::P, k) >= 0) w[b.c_index(keep(Axis::N, i), keep(Axis::P, k))] = sw[a.c_index(i, k)];
    // A product that vanishes on the smaller matrices (or contributes to no kept entry) goes.
    if (is_zero(u) || is_zero(v) || is_zero(w)) continue;
    out.add_term(u, v, w);
  }
  out.set_source((s.source().empty() ? label(s) : s.source()) + " | project " + to_string(axis) + "=" +
                 std::to_string(index));
  require_verified(out, "projection of " + label(s));
  return out;
}

Scheme best_projection(const Scheme& s, Axis axis) {
  const RankRing ring = ring_of(s);
  std::optional<Scheme> best;
  for (int index = 0; index < dim(s.shape(), axis); ++index) {
    Scheme t = tidy(project(s, axis, index), ring);
    if (!best || t.rank() < best->rank()) best = std::move(t);
  }
  return *best;
}

Scheme permute_to(const Scheme& s, const Shape& target) {
  if (s.shape() == target) return s;
  for (const std::string& name : permutation_names()) {
    const Shape sh = s.shape();
    auto pick = [&](char c) { return c == 'n' ? sh.n : c == 'm' ? sh.m : sh.p; };
    if (Shape{pick(name[0]), pick(name[1]), pick(name[2])} == target) return permute(s, name);
  }
  throw Error("no symmetry of the format turns " + s.shape().str() + " into " + target.str());
}

bool holds_in(const Scheme& s, RankRing ring) {
  switch (ring) {
    case RankRing::GF2: return s.field() == Field::GF2 || s.denominator_lcm() % 2 == 1;
    case RankRing::ZT: return s.field() != Field::GF2 && ternary(s);
    case RankRing::Z: return s.field() != Field::GF2 && s.all_integer();
    case RankRing::Q: return s.field() != Field::GF2;
  }
  return false;
}

RankRing ring_of(const Scheme& s) {
  if (s.field() == Field::GF2) return RankRing::GF2;
  if (ternary(s)) return RankRing::ZT;
  return s.all_integer() ? RankRing::Z : RankRing::Q;
}

Scheme as_ring(const Scheme& s, RankRing ring) {
  if (!holds_in(s, ring))
    throw Error("a " + s.shape().str() + " scheme over " + fmm::to_string(s.field()) + " is not a scheme over " +
                to_string(ring));
  if (ring == RankRing::GF2) return s.field() == Field::GF2 ? s : reduce_mod2(s);
  Scheme out = s;
  // Integer coefficients: identities over Q are identities over Z (the same polynomials).
  out.set_field(ring == RankRing::Q ? s.field() : Field::Z);
  require_verified(out, "scheme over " + to_string(ring));
  return out;
}

Scheme tidy(const Scheme& s, RankRing ring) {
  Scheme merged = simplify(s);  // drops zero products, merges proportional ones; verified
  if (holds_in(merged, ring) && merged.rank() < s.rank()) return ring == RankRing::GF2 ? merged : as_ring(merged, ring);
  return s;
}

}  // namespace fmm::search::meta
