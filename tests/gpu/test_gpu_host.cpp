// Host-only tests of the GPU path's logic: the Kronecker plan computes the product exactly
// (emulated in double on small integer matrices, so any wrong coefficient or index shows as
// an exact mismatch), the tuning table's format and lookup, the SVG writer, the bench parser.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gpu/bench.hpp"
#include "gpu/fmm_executor.hpp"
#include "gpu/fmm_plan.hpp"
#include "gpu/fmm_schedule.hpp"
#include "gpu/report.hpp"
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

TEST_CASE("executor geometry pads to 32; the workspace stays within its limit") {
  FmmExecutor ex(make_fmm_plan_from_spec("strassen", 2));
  const auto g = ex.geometry(16384, 16384, 16384);
  CHECK(g.bm == 4096);
  CHECK(g.bk == 4096);
  const auto odd = ex.geometry(1000, 999, 1001);
  CHECK(odd.bm == 256);
  CHECK(odd.bn == 256);
  CHECK(odd.bk == 256);
  const size_t per = ex.chunk_bytes(Precision::F32, 16384, 16384, 16384, 1);
  CHECK(per == size_t(3) * 4096 * 4096 * 4);
  CHECK(ex.chunk_count(Precision::F32, 16384, 16384, 16384, ex.workspace_size(Precision::F32, 16384, 16384, 16384, SIZE_MAX)) == 1);
  CHECK(ex.chunk_count(Precision::F32, 16384, 16384, 16384, per * 20) == 3);  // 20, 20, 9
  CHECK(ex.chunk_count(Precision::F32, 16384, 16384, 16384, per / 2) == 0);
  // The default limit: a quarter of A + B + C, which holds 4^(L-1) products of Strassen^L.
  const size_t limit = default_workspace_limit(Precision::F32, 16384, 16384, 16384);
  CHECK(limit == size_t(3) * 16384 * 16384 * 4 / 4);
  CHECK(ex.workspace_size(Precision::F32, 16384, 16384, 16384, limit) <= limit);
  CHECK(ex.chunk_capacity(Precision::F32, 16384, 16384, 16384, limit) == 4);
  FmmExecutor s3(make_fmm_plan_from_spec("strassen", 3));
  CHECK(s3.chunk_capacity(Precision::F64, 32768, 32768, 32768, default_workspace_limit(Precision::F64, 32768, 32768, 32768)) == 16);
  // Looped leaves put each product over the operands of the one before: two blocks a product.
  FmmExecutor s3l(make_fmm_plan_from_spec("strassen", 3), FmmExecutor::LeafMode::Looped);
  const size_t l3 = default_workspace_limit(Precision::F32, 16384, 16384, 16384);
  CHECK(s3l.chunk_capacity(Precision::F32, 16384, 16384, 16384, l3) == 23);
  CHECK(s3l.workspace_size(Precision::F32, 16384, 16384, 16384, l3) <= l3);
  // Pipelined: two regions of half the limit each.
  FmmExecutor s3p(make_fmm_plan_from_spec("strassen", 3), FmmExecutor::LeafMode::Pipelined);
  CHECK(s3p.chunk_capacity(Precision::F32, 16384, 16384, 16384, l3) == 11);
  CHECK(s3p.workspace_size(Precision::F32, 16384, 16384, 16384, l3) <= l3);
  // bf16 operands are half the bytes of the float products: a product still fits over S and T.
  CHECK(s3l.chunk_capacity(Precision::BF16, 16384, 16384, 16384,
                           default_workspace_limit(Precision::BF16, 16384, 16384, 16384)) == 31);
}

namespace {

// The executor's chunked run on the host, from the same tables (gpu/fmm_schedule.hpp) and the
// same workspace layout as the kernels, in the order the stream runs them: per chunk, stage the
// blocks the tables name and form S and T at their offsets; run the leaf products in order (so a
// P written over operands still to be read would show); add the products into C, writing a block
// first (beta) or accumulating as the tables say.
std::vector<double> emulate_chunked(const FmmPlan& plan, long long M, long long N, long long K,
                                    const std::vector<double>& a, const std::vector<double>& b, double alpha,
                                    double beta, const std::vector<double>& c0, int capacity, bool looped,
                                    int* chunks_out) {
  const auto g = FmmExecutor(plan).geometry(M, N, K);
  const WorkspaceLayout lay = workspace_layout(g.bm, g.bk, g.bn, sizeof(double), sizeof(double), looped);
  const ScheduleTables st = build_schedule_tables(plan, capacity, {1, 1, 1});
  *chunks_out = static_cast<int>(st.chunks.size());
  const int cap = st.capacity;
  std::vector<double> ws(lay.bytes(cap) / sizeof(double), std::nan(""));
  auto at = [&](size_t byte_offset) { return ws.data() + byte_offset / sizeof(double); };
  auto block_at = [](const std::vector<double>& x, long long rows, long long cols, long long br, long long bc,
                     int grid_cols, int id, long long r, long long c) {
    const long long gr = (id / grid_cols) * br + r, gc = (id % grid_cols) * bc + c;
    return gr < rows && gc < cols ? x[static_cast<size_t>(gr + gc * rows)] : 0.0;
  };
  std::vector<double> c = c0;
  for (size_t k = 0; k < st.chunks.size(); ++k) {
    const ScheduleTables::ChunkTables& ct = st.tables[k];
    const int* I = st.ints.data();
    for (int rr = 0; rr < ct.products; ++rr) {
      double* s = at(lay.s_offset(cap, rr));
      double* t = at(lay.t_offset(cap, rr));
      for (long long j = 0; j < g.bk; ++j)
        for (long long i = 0; i < g.bm; ++i) {
          double v = 0;
          for (int e = I[ct.a.offs + rr]; e < I[ct.a.offs + rr + 1]; ++e)
            v += st.coefs[static_cast<size_t>(ct.a.coef + e)] *
                 block_at(a, M, K, g.bm, g.bk, plan.m, I[ct.a.list + I[ct.a.idx + e]], i, j);
          s[i + j * g.bm] = v;
        }
      for (long long j = 0; j < g.bn; ++j)
        for (long long i = 0; i < g.bk; ++i) {
          double v = 0;
          for (int e = I[ct.b.offs + rr]; e < I[ct.b.offs + rr + 1]; ++e)
            v += st.coefs[static_cast<size_t>(ct.b.coef + e)] *
                 block_at(b, K, N, g.bk, g.bn, plan.p, I[ct.b.list + I[ct.b.idx + e]], i, j);
          t[i + j * g.bk] = v;
        }
    }
    std::vector<double> prod(static_cast<size_t>(g.bm * g.bn));
    for (int rr = 0; rr < ct.products; ++rr) {
      const double* s = at(lay.s_offset(cap, rr));
      const double* t = at(lay.t_offset(cap, rr));
      std::fill(prod.begin(), prod.end(), 0.0);
      for (long long j = 0; j < g.bn; ++j)
        for (long long q = 0; q < g.bk; ++q)
          for (long long i = 0; i < g.bm; ++i) prod[static_cast<size_t>(i + j * g.bm)] += s[i + q * g.bm] * t[q + j * g.bk];
      std::copy(prod.begin(), prod.end(), at(lay.p_offset(cap, rr)));
    }
    for (int l = 0; l < ct.c.nlist; ++l) {
      const int cb = I[ct.c.list + l];
      const bool first = I[ct.c.first + l] != 0;
      for (long long j = 0; j < g.bn; ++j)
        for (long long i = 0; i < g.bm; ++i) {
          double acc = 0;
          for (int e = I[ct.c.offs + l]; e < I[ct.c.offs + l + 1]; ++e)
            acc += st.coefs[static_cast<size_t>(ct.c.coef + e)] * at(lay.p_offset(cap, I[ct.c.idx + e]))[i + j * g.bm];
          const long long gr = (cb / plan.p) * g.bm + i, gc = (cb % plan.p) * g.bn + j;
          if (gr >= M || gc >= N) continue;
          double& dst = c[static_cast<size_t>(gr + gc * M)];
          dst = first ? alpha * acc + (beta != 0 ? beta * dst : 0.0) : dst + alpha * acc;
        }
    }
  }
  return c;
}

}  // namespace

TEST_CASE("chunked runs compute the product exactly, batched and looped layouts (host emulation)") {
  struct Case {
    const char* spec;
    int levels;
    long long M, N, K;
  };
  for (const Case& cs : {Case{"strassen", 2, 70, 33, 97}, Case{"strassen", 3, 64, 64, 64}, Case{"winograd", 2, 65, 66, 67},
                         Case{"laderman", 1, 40, 41, 42}}) {
    const FmmPlan plan = make_fmm_plan_from_spec(cs.spec, cs.levels);
    std::mt19937_64 rng(99);
    std::uniform_int_distribution<int> dist(-3, 3);
    std::vector<double> a(static_cast<size_t>(cs.M * cs.K)), b(static_cast<size_t>(cs.K * cs.N)),
        c0(static_cast<size_t>(cs.M * cs.N));
    for (auto& x : a) x = dist(rng);
    for (auto& x : b) x = dist(rng);
    for (auto& x : c0) x = dist(rng);
    for (double beta : {0.0, -3.0}) {
      std::vector<double> want(c0.size());
      for (long long j = 0; j < cs.N; ++j)
        for (long long i = 0; i < cs.M; ++i) {
          double sum = 0;
          for (long long k = 0; k < cs.K; ++k) sum += a[static_cast<size_t>(i + k * cs.M)] * b[static_cast<size_t>(k + j * cs.K)];
          const size_t x = static_cast<size_t>(i + j * cs.M);
          want[x] = 2 * sum + (beta != 0 ? beta * c0[x] : 0.0);
        }
      std::vector<double> c_in = c0;
      if (beta == 0) std::fill(c_in.begin(), c_in.end(), std::nan(""));  // beta == 0 never reads C
      for (int capacity : {1, 2, 5, 16, plan.rank}) {
        for (bool looped : {false, true}) {
          int chunks = 0;
          const auto got = emulate_chunked(plan, cs.M, cs.N, cs.K, a, b, 2.0, beta, c_in, capacity, looped, &chunks);
          INFO(plan.name << " " << cs.M << "x" << cs.N << "x" << cs.K << " capacity " << capacity
                         << (looped ? " looped" : " batched") << " beta " << beta);
          CHECK(chunks == (plan.rank + capacity - 1) / capacity);
          long wrong = 0;
          for (size_t i = 0; i < got.size(); ++i) wrong += got[i] != want[i];
          CHECK(wrong == 0);
        }
      }
    }
  }
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
  CHECK(t.lookup(h100, Precision::F32, 16384, 16384, 4096) == nullptr);  // K-light: no square entry governs it
  CHECK(t.lookup(h100, Precision::F32, 40000, 40000, 20000)->choice == "strassen^2");  // within a factor 2
  CHECK(t.lookup(h100, Precision::F32, 65536, 16384, 16384) == nullptr);               // tall: no entry
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

TEST_CASE("paired speedup: the median of per-round ratios, cancelling drift both candidates see") {
  BenchRow r;
  r.m.status = Status::Passed;
  // The clocks step down mid-row: both slow down together in rounds 3-5.
  r.cublas_times_ms = {10, 10, 20, 20, 20};
  r.m.times_ms = {10, 10, 20, 20, 21};
  r.m.median_ms = 20;
  r.cublas_median_ms = 20;
  CHECK(r.speedup() == doctest::Approx(1.0));
  CHECK(r.paired_speedup() == doctest::Approx(1.0));  // ratios 1, 1, 1, 1, 0.952
  r.m.times_ms = {5, 5, 10, 10, 10};                   // twice as fast in every round
  r.m.median_ms = 10;
  CHECK(r.paired_speedup() == doctest::Approx(2.0));
  r.m.times_ms = {5, 5, 10};  // samples that do not pair
  CHECK(r.paired_speedup() == 0);
  r.m.times_ms = {5, 5, 10, 10, 10};
  r.m.status = Status::Incorrect;  // a wrong kernel's speed never counts
  CHECK(r.paired_speedup() == 0);
}
