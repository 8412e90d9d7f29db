#include "gpu/sampled_reference.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include "tensor/error.hpp"

namespace fmm::gpu {

std::string OutputSample::describe() const {
  return std::to_string(rows.size()) + " rows x " + std::to_string(cols.size()) + " cols (" + std::to_string(size()) +
         " entries, seed " + std::to_string(seed) + ")";
}

std::vector<long long> choose_indices(long long n, int count, uint64_t seed) {
  std::vector<long long> out;
  if (n <= 0 || count <= 0) return out;
  if (count >= n) {
    for (long long i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  // Floyd's sampling: `count` distinct values with `count` draws, whatever n is.
  std::mt19937_64 rng(seed);
  for (long long j = n - count; j < n; ++j) {
    const long long t = std::uniform_int_distribution<long long>(0, j)(rng);
    out.push_back(std::find(out.begin(), out.end(), t) == out.end() ? t : j);
  }
  std::sort(out.begin(), out.end());
  return out;
}

OutputSample choose_output_sample(long long M, long long N, int side, uint64_t seed) {
  OutputSample s;
  s.seed = seed;
  s.rows = choose_indices(M, side, seed);
  s.cols = choose_indices(N, side, seed ^ 0x9E3779B97F4A7C15ull);
  return s;
}

namespace {

// Knuth's TwoSum: s + e == a + b exactly.
inline void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  const double z = s - a;
  e = (a - (s - z)) + (b - z);
}

}  // namespace

DoubleDouble dot_extended(const double* x, const double* y, long long n) {
  double p = 0, s = 0;
  for (long long i = 0; i < n; ++i) {
    const double h = x[i] * y[i];
    const double r = std::fma(x[i], y[i], -h);  // TwoProduct: h + r == x*y exactly
    double q = 0;
    two_sum(p, h, p, q);
    s += q + r;
  }
  DoubleDouble out;
  two_sum(p, s, out.hi, out.lo);  // renormalise so hi is the correctly placed leading part
  return out;
}

std::vector<DoubleDouble> sampled_product(const std::vector<double>& a_rows, const std::vector<double>& b_cols,
                                          int nr, int nc, long long K) {
  if (a_rows.size() != static_cast<size_t>(nr) * K || b_cols.size() != static_cast<size_t>(nc) * K)
    throw Error("sampled_product: operand sizes do not match the sample");
  std::vector<DoubleDouble> out(static_cast<size_t>(nr) * nc);
  const size_t entries = out.size();
  const unsigned threads = std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), 32));
  auto work = [&](unsigned t) {
    for (size_t e = t; e < entries; e += threads) {
      const size_t i = e % nr, j = e / nr;
      out[e] = dot_extended(&a_rows[i * K], &b_cols[j * K], K);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  return out;
}

ErrorStats compare_to_extended(const double* got, const std::vector<DoubleDouble>& ref) {
  long double diff2 = 0, ref2 = 0;
  double max_diff = 0, max_ref = 0;
  ErrorStats s;
  for (size_t i = 0; i < ref.size(); ++i) {
    if (!std::isfinite(got[i])) {
      ++s.nonfinite;
      continue;
    }
    const double d = std::fabs((got[i] - ref[i].hi) - ref[i].lo);
    const double r = std::fabs(ref[i].hi);
    diff2 += static_cast<long double>(d) * d;
    ref2 += static_cast<long double>(r) * r;
    max_diff = std::max(max_diff, d);
    max_ref = std::max(max_ref, r);
  }
  s.rel_frobenius = static_cast<double>(ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2));
  s.rel_max = max_ref > 0 ? max_diff / max_ref : max_diff;
  if (!s.finite()) s.rel_frobenius = s.rel_max = std::nan("");
  return s;
}

}  // namespace fmm::gpu
