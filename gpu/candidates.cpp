#include "gpu/candidate.hpp"

#include <sstream>

#include "gpu/blas.hpp"
#include "gpu/cuda_check.hpp"
#include "gpu/fmm_executor.hpp"

namespace fmm::gpu {

namespace {

class CublasCandidate final : public Candidate {
 public:
  std::string name() const override { return "cublas"; }
  std::string impl() const override { return "cublas"; }
  void run(const GemmProblem& pr, void*, size_t, cublasHandle_t handle, cudaStream_t stream) override {
    FMM_CUBLAS_CHECK(cublasSetStream(handle, stream));
    blas_gemm(handle, pr.precision, pr.M, pr.N, pr.K, pr.alpha, pr.A, pr.lda, pr.B, pr.ldb, pr.beta, pr.C, pr.ldc);
  }
};

class FmmCandidate final : public Candidate {
 public:
  FmmCandidate(FmmPlan plan, FmmExecutor::LeafMode leaf) : exec_(std::move(plan), leaf) {}
  std::string name() const override {
    switch (exec_.leaf_mode()) {
      case FmmExecutor::LeafMode::Looped: return exec_.plan().name + "/loop";
      case FmmExecutor::LeafMode::Pipelined: return exec_.plan().name + "/pipe";
      default: return exec_.plan().name;
    }
  }
  std::string impl() const override { return "runtime"; }
  int levels() const override { return static_cast<int>(exec_.plan().levels.size()); }
  int rank() const override { return exec_.plan().rank; }
  size_t workspace_size(const GemmProblem& pr, size_t limit) const override {
    return exec_.workspace_size(pr.precision, pr.M, pr.N, pr.K, limit);
  }
  size_t min_workspace_size(const GemmProblem& pr) const override {
    return exec_.min_workspace_size(pr.precision, pr.M, pr.N, pr.K);
  }
  std::string describe(const GemmProblem& pr, size_t bytes) const override {
    const auto g = exec_.geometry(pr.M, pr.N, pr.K);
    std::ostringstream s;
    s << "leaf " << g.bm << "x" << g.bn << "x" << g.bk << ", " << exec_.plan().rank << " products, "
      << exec_.chunk_count(pr.precision, pr.M, pr.N, pr.K, bytes) << " chunk(s) of up to "
      << exec_.chunk_capacity(pr.precision, pr.M, pr.N, pr.K, bytes);
    return s.str();
  }
  void run(const GemmProblem& pr, void* ws, size_t bytes, cublasHandle_t handle, cudaStream_t stream) override {
    exec_.run(pr, ws, bytes, handle, stream);
  }
  bool run_with_phases(const GemmProblem& pr, void* ws, size_t bytes, cublasHandle_t handle, cudaStream_t stream,
                       FmmExecutor::PhaseTimes& times) override {
    if (exec_.leaf_mode() == FmmExecutor::LeafMode::Pipelined) return false;  // its phases overlap
    exec_.run(pr, ws, bytes, handle, stream, &times);
    return true;
  }
  double leaf_flops(const GemmProblem& pr) const override {
    const auto g = exec_.geometry(pr.M, pr.N, pr.K);
    return 2.0 * exec_.plan().rank * double(g.bm) * double(g.bn) * double(g.bk);
  }

 private:
  FmmExecutor exec_;
};

}  // namespace

std::unique_ptr<Candidate> make_cublas_candidate() { return std::make_unique<CublasCandidate>(); }
std::unique_ptr<Candidate> make_fmm_candidate(FmmPlan plan, FmmExecutor::LeafMode leaf) {
  return std::make_unique<FmmCandidate>(std::move(plan), leaf);
}

}  // namespace fmm::gpu
