// Host-only known-answer tests of the sampled extended-precision reference (no GPU needed):
// exact integer products, sums where plain double accumulation loses every digit but the
// compensated (Dot2) one does not, and the seeded choice of sampled rows and columns.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <random>
#include <set>
#include <vector>

#include "gpu/sampled_reference.hpp"

using namespace fmm::gpu;

TEST_CASE("sampled_product of small integer matrices is exact") {
  const uint64_t seed = 20251127;
  std::cout << "test_sampled_reference seed " << seed << "\n";
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> d(-1000, 1000);
  const int nr = 5, nc = 7;
  const long long K = 33;
  std::vector<double> a(static_cast<size_t>(nr) * K), b(static_cast<size_t>(nc) * K);
  for (auto& x : a) x = d(rng);
  for (auto& x : b) x = d(rng);
  const auto c = sampled_product(a, b, nr, nc, K);
  REQUIRE(c.size() == static_cast<size_t>(nr * nc));
  for (int i = 0; i < nr; ++i)
    for (int j = 0; j < nc; ++j) {
      long long exact = 0;
      for (long long k = 0; k < K; ++k) exact += static_cast<long long>(a[i * K + k]) * static_cast<long long>(b[j * K + k]);
      CHECK(c[i + j * nr].hi == static_cast<double>(exact));
      CHECK(c[i + j * nr].lo == 0.0);
    }
}

TEST_CASE("dot_extended keeps what double accumulation cancels away") {
  // 1e16 + 1 rounds to 1e16 in double (ulp 2), so the naive sum of {1e16, 1, -1e16, 1} is 1;
  // the exact value is 2.
  const std::vector<double> x{1e16, 1.0, -1e16, 1.0}, y{1.0, 1.0, 1.0, 1.0};
  double naive = 0;
  for (size_t i = 0; i < x.size(); ++i) naive += x[i] * y[i];
  CHECK(naive == 1.0);
  const DoubleDouble r = dot_extended(x.data(), y.data(), 4);
  CHECK(r.hi == 2.0);
  CHECK(r.lo == 0.0);

  // Inexact products: (1 + 2^-30)(1 - 2^-30) = 1 - 2^-60 rounds to 1 in double; minus 1 the
  // naive result is 0, the exact one -2^-60 (TwoProduct recovers the lost bits).
  const double e = std::ldexp(1.0, -30);
  const std::vector<double> p{1 + e, -1.0}, q{1 - e, 1.0};
  CHECK((p[0] * q[0] + p[1] * q[1]) == 0.0);
  const DoubleDouble s = dot_extended(p.data(), q.data(), 2);
  CHECK(s.hi + s.lo == -std::ldexp(1.0, -60));
}

TEST_CASE("dot_extended carries a low part below double precision") {
  // 1 + 2^-70: hi = 1, lo = 2^-70, which no double holds in one word.
  const std::vector<double> x{1.0, std::ldexp(1.0, -70)}, y{1.0, 1.0};
  const DoubleDouble r = dot_extended(x.data(), y.data(), 2);
  CHECK(r.hi == 1.0);
  CHECK(r.lo == std::ldexp(1.0, -70));
}

TEST_CASE("compare_to_extended measures against hi + lo") {
  const std::vector<DoubleDouble> ref{{1.0, std::ldexp(1.0, -70)}, {-2.0, 0.0}, {4.0, 0.0}};
  const std::vector<double> same{1.0, -2.0, 4.0};
  ErrorStats s = compare_to_extended(same.data(), ref);
  CHECK(s.finite());
  // Only the 2^-70 of entry 0 differs: ||d|| = 2^-70, ||ref|| = sqrt(1 + 4 + 16).
  CHECK(s.rel_frobenius == doctest::Approx(std::ldexp(1.0, -70) / std::sqrt(21.0)).epsilon(1e-12));
  CHECK(s.rel_max == doctest::Approx(std::ldexp(1.0, -70) / 4.0).epsilon(1e-12));

  const std::vector<double> off{1.0, -2.0, 4.5};
  s = compare_to_extended(off.data(), ref);
  CHECK(s.rel_max == doctest::Approx(0.5 / 4.0).epsilon(1e-12));
  CHECK(s.rel_frobenius == doctest::Approx(0.5 / std::sqrt(21.0)).epsilon(1e-9));

  const std::vector<double> bad{1.0, std::nan(""), 4.0};
  s = compare_to_extended(bad.data(), ref);
  CHECK(s.nonfinite == 1);
  CHECK(std::isnan(s.rel_frobenius));
}

TEST_CASE("choose_output_sample is seeded, distinct, sorted, in range, and whole when small") {
  const OutputSample a = choose_output_sample(16384, 8192, 64, 1999), b = choose_output_sample(16384, 8192, 64, 1999);
  CHECK(a.rows == b.rows);
  CHECK(a.cols == b.cols);
  CHECK(a.size() == 64u * 64u);
  for (const auto* v : {&a.rows, &a.cols}) {
    CHECK(std::set<long long>(v->begin(), v->end()).size() == v->size());
    CHECK(std::is_sorted(v->begin(), v->end()));
  }
  CHECK(a.rows.front() >= 0);
  CHECK(a.rows.back() < 16384);
  CHECK(a.cols.back() < 8192);
  CHECK(choose_output_sample(16384, 8192, 64, 2000).rows != a.rows);
  const OutputSample small = choose_output_sample(10, 3, 64, 7);
  CHECK(small.rows == std::vector<long long>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(small.cols == std::vector<long long>{0, 1, 2});
  CHECK(a.describe() == "64 rows x 64 cols (4096 entries, seed 1999)");
}
