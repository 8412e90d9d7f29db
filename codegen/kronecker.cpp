#include "codegen/kronecker.hpp"

#include "tensor/error.hpp"

namespace fmm::codegen::detail {

namespace {

// Entry (x1, y1) of a rows1 x cols1 factor times entry (x2, y2) of a rows2 x cols2 factor,
// laid out row-major in the (rows1 rows2) x (cols1 cols2) product with outer-major indices.
std::vector<Rational> kron_factor(std::span<const Rational> f1, int rows1, int cols1, std::span<const Rational> f2,
                                  int rows2, int cols2) {
  const int cols = cols1 * cols2;
  std::vector<Rational> out(static_cast<size_t>(rows1) * rows2 * cols);
  for (int x1 = 0; x1 < rows1; ++x1)
    for (int y1 = 0; y1 < cols1; ++y1) {
      const Rational& c1 = f1[static_cast<size_t>(x1) * cols1 + y1];
      if (c1.is_zero()) continue;
      for (int x2 = 0; x2 < rows2; ++x2)
        for (int y2 = 0; y2 < cols2; ++y2) {
          const Rational& c2 = f2[static_cast<size_t>(x2) * cols2 + y2];
          if (c2.is_zero()) continue;
          out[static_cast<size_t>(x1 * rows2 + x2) * cols + (y1 * cols2 + y2)] = c1 * c2;
        }
    }
  return out;
}

}  // namespace

Scheme kronecker(const Scheme& a, const Scheme& b) {
  const Shape& sa = a.shape();
  const Shape& sb = b.shape();
  const Shape shape{sa.n * sb.n, sa.m * sb.m, sa.p * sb.p};
  if (!shape.valid())
    throw Error("the composition " + sa.str() + " (x) " + sb.str() + " = " + shape.str() +
                " exceeds the largest supported format (dimensions up to " + std::to_string(kMaxDim) + ")");
  const bool integral = a.field() == Field::Z && b.field() == Field::Z;
  Scheme out(shape, integral ? Field::Z : Field::Q);
  out.set_source("kron(" + (a.source().empty() ? std::string("?") : a.source()) + "," +
                 (b.source().empty() ? std::string("?") : b.source()) + ")");
  for (int r1 = 0; r1 < a.rank(); ++r1)
    for (int r2 = 0; r2 < b.rank(); ++r2)
      out.add_term(kron_factor(a.u(r1), sa.n, sa.m, b.u(r2), sb.n, sb.m),
                   kron_factor(a.v(r1), sa.m, sa.p, b.v(r2), sb.m, sb.p),
                   kron_factor(a.w(r1), sa.n, sa.p, b.w(r2), sb.n, sb.p));
  return out;
}

}  // namespace fmm::codegen::detail
