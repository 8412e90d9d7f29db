// Host-only tests of the GPU path's logic: the Kronecker plan computes the product exactly
// (emulated in double on small integer matrices, so any wrong coefficient or index shows as
// an exact mismatch), the tuning table's format and lookup, the SVG writer, the bench parser.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "gpu/bench.hpp"
#include "gpu/fmm_executor.hpp"
#include "gpu/fmm_plan.hpp"
#include "gpu/svg_plot.hpp"
#include "gpu/tuning_table.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"

using namespace fmm;
using namespace fmm::gpu;

namespace {

// The executor's algorithm on the host: operands from the plan's term lists over the padded
// block grid, classical leaf products, C from the products. Column-major like the device.
std::vector<double> emulate(const FmmPlan& plan, long long M, long long N, long long K, const std::vector<double>& a,
                            const std::vector<double>& b) {
  const auto g = FmmExecutor(plan).geometry(M, N, K);
  auto block = [](const std::vector<double>& x, long long rows, long long cols, long long br, long long bc, int bi,
                  int bj) {
    std::vector<double> out(static_cast<size_t>(br * bc), 0.0);
    for (long long c = 0; c < bc; ++c)
      for (long long r = 0; r < br; ++r) {
        const long long gr = bi * br + r, gc = bj * bc + c;
        if (gr < rows && gc < cols) out[static_cast<size_t>(r + c * br)] = x[static_cast<size_t>(gr + gc * rows)];
      }
    return out;
  };
  std::vector<std::vector<double>> prods;
  for (int r = 0; r < plan.rank; ++r) {
    std::vector<double> s(static_cast<size_t>(g.bm * g.bk), 0.0), t(static_cast<size_t>(g.bk * g.bn), 0.0);
    for (const PlanTerm& term : plan.a_terms[r]) {
      auto blk = block(a, M, K, g.bm, g.bk, term.index / plan.m, term.index % plan.m);
      for (size_t i = 0; i < s.size(); ++i) s[i] += term.coef * blk[i];
    }
    for (const PlanTerm& term : plan.b_terms[r]) {
      auto blk = block(b, K, N, g.bk, g.bn, term.index / plan.p, term.index % plan.p);
      for (size_t i = 0; i < t.size(); ++i) t[i] += term.coef * blk[i];
    }
    std::vector<double> p(static_cast<size_t>(g.bm * g.bn), 0.0);
    for (long long j = 0; j < g.bn; ++j)
      for (long long k = 0; k < g.bk; ++k)
        for (long long i = 0; i < g.bm; ++i) p[i + j * g.bm] += s[i + k * g.bm] * t[k + j * g.bk];
    prods.push_back(std::move(p));
  }
  std::vector<double> c(static_cast<size_t>(M * N), 0.0);
  for (int cb = 0; cb < plan.n * plan.p; ++cb) {
    const int ci = cb / plan.p, ck = cb % plan.p;
    for (const PlanTerm& term : plan.c_terms[cb])
      for (long long j = 0; j < g.bn; ++j)
        for (long long i = 0; i < g.bm; ++i) {
          const long long gr = ci * g.bm + i, gc = ck * g.bn + j;
          if (gr < M && gc < N) c[gr + gc * M] += term.coef * prods[term.index][i + j * g.bm];
        }
  }
  return c;
}

void check_plan(const FmmPlan& plan, long long M, long long N, long long K, uint64_t seed) {
  INFO("plan " << plan.name << " on " << M << "x" << N << "x" << K << ", seed " << seed);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> dist(-3, 3);
  std::vector<double> a(static_cast<size_t>(M * K)), b(static_cast<size_t>(K * N));
  for (auto& x : a) x = dist(rng);
  for (auto& x : b) x = dist(rng);
  std::vector<double> want(static_cast<size_t>(M * N), 0.0);
  for (long long j = 0; j < N; ++j)
    for (long long k = 0; k < K; ++k)
      for (long long i = 0; i < M; ++i) want[i + j * M] += a[i + k * M] * b[k + j * K];
  const auto got = emulate(plan, M, N, K, a, b);
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] != want[i]) {
      FAIL("entry " << i << ": got " << got[i] << ", want " << want[i]);
    }
  }
}

}  // namespace

TEST_CASE("Kronecker plans compute the product exactly (host emulation)") {
  const FmmPlan s1 = make_fmm_plan_from_spec("strassen", 1);
  CHECK(s1.rank == 7);
  CHECK(s1.a_term_count() == 12);
  const FmmPlan s2 = make_fmm_plan_from_spec("strassen", 2);
  CHECK(s2.rank == 49);
  CHECK(s2.n == 4);
  CHECK(s2.a_term_count() == 144);
  CHECK(s2.inner_rank() == 7);
  check_plan(s1, 64, 64, 64, 1);
  check_plan(s2, 128, 128, 128, 2);
  check_plan(s2, 70, 33, 97, 3);  // padding on every side
  check_plan(make_fmm_plan_from_spec("winograd", 2), 65, 66, 67, 4);
  check_plan(make_fmm_plan_from_spec("laderman", 1), 100, 99, 101, 5);
  check_plan(make_fmm_plan_from_spec("laderman+strassen", 0), 96, 96, 96, 6);
}

TEST_CASE("a corrupted plan coefficient is caught by the emulation") {
  FmmPlan bad = make_fmm_plan_from_spec("strassen", 1);
  bad.c_terms[0][0].coef += 1;
  const long long n = 64;
  std::vector<double> a(n * n, 1.0), b(n * n, 1.0);
  const auto got = emulate(bad, n, n, n, a, b);
  CHECK(got[0] != static_cast<double>(n));
}

TEST_CASE("a plan refuses a scheme that fails verification") {
  Scheme s = strassen_scheme();
  s.u(0)[0] = Rational(2);
  CHECK_THROWS_AS(make_fmm_plan({s}, "broken"), fmm::Error);
}

TEST_CASE("executor geometry pads to 32 and chunks by top-level products") {
  FmmExecutor ex(make_fmm_plan_from_spec("strassen", 2));
  const auto g = ex.geometry(16384, 16384, 16384);
  CHECK(g.bm == 4096);
  CHECK(g.bk == 4096);
  const auto odd = ex.geometry(1000, 999, 1001);
  CHECK(odd.bm == 256);
  CHECK(odd.bn == 256);
  CHECK(odd.bk == 256);
  const size_t per = ex.bytes_per_product(Precision::F32, 16384, 16384, 16384);
  CHECK(per == size_t(3) * 4096 * 4096 * 4);
  CHECK(ex.chunk_count(Precision::F32, 16384, 16384, 16384, ex.workspace_size(Precision::F32, 16384, 16384, 16384)) == 1);
  CHECK(ex.chunk_count(Precision::F32, 16384, 16384, 16384, per * 20) == 4);  // 19 fit, rounded to 14 (two top-level products)
  CHECK(ex.chunk_count(Precision::F32, 16384, 16384, 16384, per / 2) == 0);
}

TEST_CASE("tuning table: text round trip and lookup rules") {
  const std::string text =
      "# comment\n"
      "gpu NVIDIA H100 80GB HBM3\n"
      "f32 4096 4096 4096 cublas 1\n"
      "f32 16384 16384 16384 strassen^2 1.23\n"
      "f64 16384 16384 16384 strassen^1 1.1\n"
      "gpu Other GPU\n"
      "f32 1024 1024 1024 strassen^1 1.5\n";
  TuningTable t = TuningTable::parse(text, "test");
  REQUIRE(t.entries().size() == 4);
  const std::string h100 = "NVIDIA H100 80GB HBM3";
  CHECK(t.lookup(h100, Precision::F32, 2048, 2048, 2048) == nullptr);  // smaller than every row
  CHECK(t.lookup(h100, Precision::F32, 8192, 8192, 8192)->choice == "cublas");
  CHECK(t.lookup(h100, Precision::F32, 20000, 20000, 20000)->choice == "strassen^2");
  CHECK(t.lookup(h100, Precision::F32, 16384, 16384, 4096)->choice == "cublas");
  CHECK(t.lookup("Some other card", Precision::F32, 20000, 20000, 20000) == nullptr);
  CHECK(t.lookup(h100, Precision::TF32, 20000, 20000, 20000) == nullptr);
  TuningTable back = TuningTable::parse(t.to_text(), "round trip");
  CHECK(back.entries().size() == 4);
  CHECK(back.lookup("Other GPU", Precision::F32, 1024, 1024, 1024)->choice == "strassen^1");
  CHECK_THROWS_AS(TuningTable::parse("f32 1 2 3 cublas\n", "t"), fmm::ParseError);  // no gpu line
  CHECK_THROWS_AS(TuningTable::parse("gpu X\nf99 1 2 3 cublas\n", "t"), fmm::ParseError);
  CHECK_THROWS_AS(TuningTable::parse("gpu X\nf32 1 -2 3 cublas\n", "t"), fmm::ParseError);
}

TEST_CASE("svg plot carries series, labels and the reference line") {
  LinePlot p;
  p.title = "t <&>";
  p.x_labels = {"4096", "8192"};
  p.series.push_back({"strassen^2", {1.1, std::nullopt}});
  p.hlines.push_back({"peak", 2.0});
  const std::string svg = render_svg(p);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("strassen^2") != std::string::npos);
  CHECK(svg.find("t &lt;&amp;&gt;") != std::string::npos);
  CHECK(svg.find("stroke-dasharray") != std::string::npos);
  CHECK(svg.find("</svg>") != std::string::npos);
}

TEST_CASE("gpu_slug names results folders") {  // the options are parsed in cli/ (test_bench_options)
  CHECK(gpu_slug("NVIDIA H100 80GB HBM3") == "h100");
  CHECK(gpu_slug("Weird Card 9") == "weird-card-9");
}

TEST_CASE("the tuning table compiled into this build parses") {
  const TuningTable t = TuningTable::builtin();
  for (const TuningEntry& e : t.entries()) {
    CHECK(!e.gpu.empty());
    CHECK(e.M > 0);
    CHECK(!e.choice.empty());
  }
}
