// One product whose output has more than 2^31 elements: every index in the FMM kernels must be
// 64-bit. C is 46400 x 46400 (2.15e9 entries, 8.6 GB in f32); K is small to keep it quick.
// Exits 77 without a GPU or without the ~45 GB it needs.
#include <doctest/doctest.h>

#include "gpu/candidate.hpp"
#include "gpu/measure.hpp"
#include "gpu_test_util.hpp"

using namespace fmm;
using namespace fmm::gpu;

TEST_CASE("strassen on an output past 2^31 elements") {
  test::require_gpu_or_skip();
  const long long M = 46400, N = 46400, K = 64;
  static_assert(M * N > (1LL << 31));
  const size_t need = size_t(46) << 30;
  if (device_free_bytes() < need) {
    std::printf("needs %zu GiB of free device memory: skipping\n", need >> 30);
    std::exit(77);
  }
  test::Handles h;
  std::printf("seed 7\n");
  ProblemSet set(Precision::F32, M, N, K, 7, 0, h.blas, h.stream);
  auto cand = make_fmm_candidate(make_fmm_plan_from_spec("strassen", 1));
  const GemmProblem pr = set.problem(0);
  DeviceBuffer ws(std::min(cand->workspace_size(pr, SIZE_MAX), device_free_bytes() - (size_t(1) << 30)));
  fill_nan(pr.C, Elem::F32, set.c_count(), h.stream);
  cand->run(pr, ws.get(), ws.bytes(), h.blas, h.stream);
  FMM_CUDA_CHECK(cudaStreamSynchronize(h.stream));
  const ErrorStats e = compare_to_reference(pr.C, Elem::F32, set.reference(), set.c_count(), h.stream);
  INFO("error " << e.rel_frobenius << ", nonfinite " << e.nonfinite);
  CHECK(e.finite());
  CHECK(e.rel_frobenius < 1e-5);
}
