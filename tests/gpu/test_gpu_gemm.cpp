// Device tests: the run-time FMM path against the FP64 reference and cuBLAS on random data,
// square and odd shapes, every precision, alpha/beta/leading dimensions, chunked workspaces,
// and fmm::gemm's dispatch. Exits 77 (skipped) without a GPU.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "gpu/blas.hpp"
#include "gpu/candidate.hpp"
#include "gpu/gemm.hpp"
#include "gpu/generated_candidates.hpp"
#include "gpu/measure.hpp"
#include "gpu_test_util.hpp"

using namespace fmm;
using namespace fmm::gpu;
using fmm::gpu::test::Handles;

namespace {

constexpr unsigned long long kSeed = 20261127;

// Runs a candidate once on a poisoned output and returns its error against the reference.
ErrorStats run_checked(Candidate& cand, const ProblemSet& set, size_t workspace_cap, Handles& h) {
  const GemmProblem pr = set.problem(0);
  set_math_mode(h.blas, pr.precision);
  const size_t bytes = std::min(cand.workspace_size(pr, SIZE_MAX), workspace_cap);
  DeviceBuffer ws(bytes);
  fill_nan(pr.C, output_elem(pr.precision), set.c_count(), h.stream);
  cand.run(pr, ws.get(), ws.bytes(), h.blas, h.stream);
  FMM_CUDA_CHECK(cudaStreamSynchronize(h.stream));
  return compare_to_reference(pr.C, output_elem(pr.precision), set.reference(), set.c_count(), h.stream);
}

}  // namespace

TEST_CASE("fmm plans match the FP64 reference on square and odd shapes") {
  test::require_gpu_or_skip();
  Handles h;
  std::printf("seed %llu\n", kSeed);
  struct Shape3 {
    long long M, N, K;
  };
  const std::vector<Shape3> shapes{{256, 256, 256}, {1000, 999, 1001}, {1, 1, 1}, {33, 7, 129}, {2048, 512, 1536}};
  const std::vector<std::pair<std::string, int>> specs{
      {"strassen", 1}, {"strassen", 2}, {"strassen", 3}, {"winograd", 2}, {"laderman", 1}, {"laderman+strassen", 0}};
  for (Precision p : {Precision::F32, Precision::F64, Precision::TF32, Precision::BF16}) {
    for (const Shape3& s : shapes) {
      ProblemSet set(p, s.M, s.N, s.K, kSeed, 0, h.blas, h.stream);
      auto cublas = make_cublas_candidate();
      const ErrorStats base = run_checked(*cublas, set, 0, h);
      std::vector<std::unique_ptr<Candidate>> cands;
      for (const auto& [spec, levels] : specs) {
        cands.push_back(make_fmm_candidate(make_fmm_plan_from_spec(spec, levels)));
        if (auto g = make_generated_candidate(spec, levels); g && g->unsupported_reason(set.problem(0)).empty())
          cands.push_back(std::move(g));
      }
      for (auto& cand : cands) {
        const ErrorStats e = run_checked(*cand, set, SIZE_MAX, h);
        INFO(to_string(p) << " " << s.M << "x" << s.N << "x" << s.K << " " << cand->name() << " (" << cand->impl()
                          << "): error "
                          << e.rel_frobenius << " (cuBLAS " << base.rel_frobenius << ")");
        CHECK(e.finite());
        CHECK(e.rel_frobenius <= correctness_tolerance(p));
        if (p == Precision::F32) CHECK(e.rel_frobenius <= 1e-5);
        if (p == Precision::F64) CHECK(e.rel_frobenius <= 1e-13);
      }
    }
  }
}

TEST_CASE("a small workspace runs the products in chunks with the same result") {
  test::require_gpu_or_skip();
  Handles h;
  ProblemSet set(Precision::F32, 777, 555, 999, kSeed + 1, 0, h.blas, h.stream);
  auto cand = make_fmm_candidate(make_fmm_plan_from_spec("strassen", 2));
  const GemmProblem pr = set.problem(0);
  const ErrorStats whole = run_checked(*cand, set, SIZE_MAX, h);
  for (size_t products : {1, 5, 7, 20}) {
    const ErrorStats chunked = run_checked(*cand, set, cand->min_workspace_size(pr) * products, h);
    INFO("workspace for " << products << " products: error " << chunked.rel_frobenius);
    CHECK(chunked.finite());
    CHECK(chunked.rel_frobenius <= 1e-5);
    CHECK(chunked.rel_frobenius == doctest::Approx(whole.rel_frobenius).epsilon(0.5));
  }
  for (auto mode : {FmmExecutor::LeafMode::Looped, FmmExecutor::LeafMode::Pipelined}) {
    auto other = make_fmm_candidate(make_fmm_plan_from_spec("strassen", 2), mode);
    CHECK(other->name() == (mode == FmmExecutor::LeafMode::Looped ? "strassen^2/loop" : "strassen^2/pipe"));
    // One pass, the default limit (chunked), and chunks of one product (pipelined: two regions).
    for (size_t cap : {SIZE_MAX, default_workspace_limit(Precision::F32, 777, 555, 999), other->min_workspace_size(pr)}) {
      const ErrorStats e = run_checked(*other, set, cap, h);
      INFO(other->name() << " with at most " << cap << " bytes: error " << e.rel_frobenius);
      CHECK(e.finite());
      CHECK(e.rel_frobenius <= 1e-5);
    }
  }
  DeviceBuffer tiny(1024);
  CHECK_THROWS_AS(cand->run(pr, tiny.get(), tiny.bytes(), h.blas, h.stream), fmm::Error);
}

TEST_CASE("alpha, beta and leading dimensions larger than the rows, against cuBLAS") {
  test::require_gpu_or_skip();
  Handles h;
  const long long M = 300, N = 200, K = 250, lda = M + 5, ldb = K + 3, ldc = M + 7;
  DeviceBuffer a(lda * K * 8), b(ldb * N * 8), c0(ldc * N * 8), c1(ldc * N * 8), c2(ldc * N * 8);
  fill_uniform(a.get(), Elem::F64, lda * K, kSeed + 2, h.stream);
  fill_uniform(b.get(), Elem::F64, ldb * N, kSeed + 3, h.stream);
  fill_uniform(c0.get(), Elem::F64, ldc * N, kSeed + 4, h.stream);
  FMM_CUDA_CHECK(cudaMemcpyAsync(c1.get(), c0.get(), c0.bytes(), cudaMemcpyDeviceToDevice, h.stream));
  FMM_CUDA_CHECK(cudaMemcpyAsync(c2.get(), c0.get(), c0.bytes(), cudaMemcpyDeviceToDevice, h.stream));
  GemmProblem pr;
  pr.precision = Precision::F64;
  pr.M = M;
  pr.N = N;
  pr.K = K;
  pr.A = a.get();
  pr.lda = lda;
  pr.B = b.get();
  pr.ldb = ldb;
  pr.alpha = -0.75;
  pr.beta = 0.5;
  pr.ldc = ldc;
  pr.C = c1.get();
  set_math_mode(h.blas, Precision::F64);
  blas_gemm(h.blas, Precision::F64, M, N, K, pr.alpha, pr.A, lda, pr.B, ldb, pr.beta, pr.C, ldc);
  auto cand = make_fmm_candidate(make_fmm_plan_from_spec("strassen", 2));
  DeviceBuffer ws(cand->workspace_size(pr, SIZE_MAX));
  pr.C = c2.get();
  cand->run(pr, ws.get(), ws.bytes(), h.blas, h.stream);
  FMM_CUDA_CHECK(cudaStreamSynchronize(h.stream));
  std::vector<double> want(ldc * N), got(ldc * N), orig(ldc * N);
  FMM_CUDA_CHECK(cudaMemcpy(want.data(), c1.get(), c1.bytes(), cudaMemcpyDeviceToHost));
  FMM_CUDA_CHECK(cudaMemcpy(got.data(), c2.get(), c2.bytes(), cudaMemcpyDeviceToHost));
  FMM_CUDA_CHECK(cudaMemcpy(orig.data(), c0.get(), c0.bytes(), cudaMemcpyDeviceToHost));
  double worst = 0;
  for (long long j = 0; j < N; ++j) {
    for (long long i = 0; i < ldc; ++i) {
      const size_t at = static_cast<size_t>(i + j * ldc);
      if (i >= M) {
        CHECK(got[at] == orig[at]);  // padding rows between M and ldc are never touched
      } else {
        worst = std::max(worst, std::fabs(got[at] - want[at]));
      }
    }
  }
  CHECK(worst < 1e-11);
}

TEST_CASE("fmm::gemm follows its tuning table and falls back to cuBLAS elsewhere") {
  test::require_gpu_or_skip();
  Handles h;
  cudaDeviceProp prop{};
  FMM_CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
  const std::string table_text = std::string("gpu ") + prop.name + "\nf32 512 512 512 strassen^2 1.5\n";
  GemmEngine engine(h.blas, TuningTable::parse(table_text, "test table"));
  CHECK(engine.choice(Precision::F32, 1024, 1024, 1024) == "strassen^2");
  CHECK(engine.choice(Precision::F32, 256, 1024, 1024) == "cublas");
  CHECK(engine.choice(Precision::F64, 1024, 1024, 1024) == "cublas");
  GemmEngine elsewhere(h.blas, TuningTable::parse("gpu Not This Card\nf32 1 1 1 strassen^2 9\n", "other"));
  CHECK(elsewhere.choice(Precision::F32, 1024, 1024, 1024) == "cublas");

  ProblemSet set(Precision::F32, 1024, 1024, 1024, kSeed + 5, 0, h.blas, h.stream);
  GemmProblem pr = set.problem(0);
  fill_nan(pr.C, Elem::F32, set.c_count(), h.stream);
  REQUIRE(fmm::gemm(engine, 1024, 1024, 1024, 1.0f, static_cast<const float*>(pr.A), 1024,
                    static_cast<const float*>(pr.B), 1024, 0.0f, static_cast<float*>(pr.C), 1024, h.stream) ==
          CUBLAS_STATUS_SUCCESS);
  FMM_CUDA_CHECK(cudaStreamSynchronize(h.stream));
  const ErrorStats e = compare_to_reference(pr.C, Elem::F32, set.reference(), set.c_count(), h.stream);
  CHECK(e.finite());
  CHECK(e.rel_frobenius < 1e-5);
  for (const char* choice : {"strassen^3/loop", "strassen^3/pipe", "strassen^2/gen", "laderman^1"}) {
    GemmEngine other(h.blas, TuningTable::parse(std::string("gpu ") + prop.name + "\nf32 512 512 512 " + choice + " 1.2\n",
                                                "choice table"));
    CHECK(other.choice(Precision::F32, 1024, 1024, 1024) == choice);
    fill_nan(pr.C, Elem::F32, set.c_count(), h.stream);
    REQUIRE(fmm::gemm(other, 1024, 1024, 1024, 1.0f, static_cast<const float*>(pr.A), 1024,
                      static_cast<const float*>(pr.B), 1024, 0.0f, static_cast<float*>(pr.C), 1024, h.stream) ==
            CUBLAS_STATUS_SUCCESS);
    FMM_CUDA_CHECK(cudaStreamSynchronize(h.stream));
    const ErrorStats oe = compare_to_reference(pr.C, Elem::F32, set.reference(), set.c_count(), h.stream);
    INFO("choice " << choice << ": error " << oe.rel_frobenius);
    CHECK(oe.finite());
    CHECK(oe.rel_frobenius < 1e-5);
  }
  CHECK(fmm::gemm(engine, -1, 4, 4, 1.0f, nullptr, 1, nullptr, 4, 0.0f, nullptr, 1) == CUBLAS_STATUS_INVALID_VALUE);
  // The fast path stays within a quarter of A + B + C; a cap too small for one chunk runs cuBLAS
  // and says why, never fails.
  fill_nan(pr.C, Elem::F32, set.c_count(), h.stream);
  REQUIRE(fmm::gemm(engine, 1024, 1024, 1024, 1.0f, static_cast<const float*>(pr.A), 1024,
                    static_cast<const float*>(pr.B), 1024, 0.0f, static_cast<float*>(pr.C), 1024, h.stream) ==
          CUBLAS_STATUS_SUCCESS);
  CHECK(engine.last_workspace_bytes() > 0);
  CHECK(engine.last_workspace_bytes() <= default_workspace_limit(Precision::F32, 1024, 1024, 1024));
  GemmEngine capped(h.blas, TuningTable::parse(table_text, "test table"), 0.25, 4096);
  fill_nan(pr.C, Elem::F32, set.c_count(), h.stream);
  REQUIRE(fmm::gemm(capped, 1024, 1024, 1024, 1.0f, static_cast<const float*>(pr.A), 1024,
                    static_cast<const float*>(pr.B), 1024, 0.0f, static_cast<float*>(pr.C), 1024, h.stream) ==
          CUBLAS_STATUS_SUCCESS);
  FMM_CUDA_CHECK(cudaStreamSynchronize(h.stream));
  CHECK(capped.last_workspace_bytes() == 0);
  CHECK(!capped.last_note().empty());
  CHECK(compare_to_reference(pr.C, Elem::F32, set.reference(), set.c_count(), h.stream).rel_frobenius < 1e-5);
}
