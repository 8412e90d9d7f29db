#include "gpu/gemm.hpp"

#include <algorithm>

#include "gpu/blas.hpp"
#include "gpu/cuda_check.hpp"
#include "gpu/fmm_plan.hpp"
#include "gpu/generated_candidates.hpp"
#include "tensor/builtin.hpp"

namespace fmm {

namespace {

// "strassen^2" -> spec "strassen", levels 2; "laderman+strassen" -> itself. Only builtin
// schemes: a table row naming a file cannot be rebuilt from the name alone.
std::unique_ptr<gpu::Candidate> candidate_from_choice(std::string choice) {
  if (choice.size() > 4 && choice.compare(choice.size() - 4, 4, "/gen") == 0) {  // generated "scheme^L/gen"
    const auto [base, levels] = gpu::parse_repeated_scheme(choice.substr(0, choice.size() - 4), "tuning choice '" + choice + "'");
    if (!levels) return nullptr;
    return gpu::make_generated_candidate(base, *levels);
  }
  auto leaf = gpu::FmmExecutor::LeafMode::Batched;
  if (choice.size() > 5 && choice.compare(choice.size() - 5, 5, "/loop") == 0) {
    leaf = gpu::FmmExecutor::LeafMode::Looped;
    choice.resize(choice.size() - 5);
  } else if (choice.size() > 5 && choice.compare(choice.size() - 5, 5, "/pipe") == 0) {
    leaf = gpu::FmmExecutor::LeafMode::Pipelined;
    choice.resize(choice.size() - 5);
  }
  size_t start = 0;
  while (true) {
    const size_t plus = choice.find('+', start);
    std::string part = choice.substr(start, plus - start);
    part = part.substr(0, part.rfind('^'));
    if (!is_builtin_name(part)) return nullptr;
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return gpu::make_fmm_candidate(gpu::make_fmm_plan_from_spec(choice, 1), leaf);
}

}  // namespace

GemmEngine::GemmEngine(cublasHandle_t handle, gpu::TuningTable table, double workspace_fraction,
                       size_t max_workspace_bytes)
    : handle_(handle), table_(std::move(table)), fraction_(workspace_fraction), max_workspace_(max_workspace_bytes) {
  int dev = 0;
  cudaDeviceProp prop{};
  if (cudaGetDevice(&dev) == cudaSuccess && cudaGetDeviceProperties(&prop, dev) == cudaSuccess) gpu_name_ = prop.name;
  candidates_["cublas"] = gpu::make_cublas_candidate();
  cublas_ = candidates_["cublas"].get();
}

std::string GemmEngine::choice(gpu::Precision p, long long M, long long N, long long K) const {
  const gpu::TuningEntry* e = table_.lookup(gpu_name_, p, M, N, K);
  return e ? e->choice : "cublas";
}

gpu::Candidate* GemmEngine::candidate_for(const std::string& choice) {
  auto it = candidates_.find(choice);
  if (it != candidates_.end()) return it->second.get();
  std::unique_ptr<gpu::Candidate> c;
  try {
    c = candidate_from_choice(choice);
  } catch (const fmm::Error&) {
    c = nullptr;
  }
  gpu::Candidate* raw = c.get();
  candidates_[choice] = std::move(c);  // a null entry remembers "fall back to cuBLAS"
  return raw;
}

gpu::Candidate* GemmEngine::lookup(const gpu::GemmProblem& pr) {
  if (last_.p != pr.precision || last_.M != pr.M || last_.N != pr.N || last_.K != pr.K) {
    gpu::Candidate* c = candidate_for(choice(pr.precision, pr.M, pr.N, pr.K));
    if (c && !c->unsupported_reason(pr).empty()) c = nullptr;
    last_ = {pr.precision, pr.M, pr.N, pr.K, c};
  }
  return last_.cand;
}

cublasStatus_t GemmEngine::run(const gpu::GemmProblem& pr, cudaStream_t stream) {
  // Kept short on the cuBLAS path: at 256^3 a call is about 10 us.
  if (!last_error_.empty()) last_error_.clear();
  if (!last_note_.empty()) last_note_.clear();
  last_workspace_ = 0;
  gpu::Candidate* cublas = cublas_;
  try {
    gpu::set_math_mode(handle_, pr.precision);
    gpu::Candidate* fast = lookup(pr);
    if (fast && fast != cublas) {
      const size_t limit =
          std::min(gpu::default_workspace_limit(pr.precision, pr.M, pr.N, pr.K, fraction_), max_workspace_);
      const size_t want = fast->workspace_size(pr, limit);
      if (want == 0) {
        last_note_ = fast->name() + " does not fit the workspace limit of " + std::to_string(limit) + " bytes";
      } else {
        if (workspace_.bytes() < want) {
          workspace_.reset();
          try {
            // The stream may still be using the old workspace.
            FMM_CUDA_CHECK(cudaStreamSynchronize(stream));
            workspace_ = gpu::DeviceBuffer(want);
          } catch (const gpu::CudaError& e) {
            cudaGetLastError();  // out of memory: cuBLAS needs none of ours
            last_note_ = std::string("no workspace for ") + fast->name() + ": " + e.what();
          }
        }
        if (workspace_.bytes() >= want) {
          fast->run(pr, workspace_.get(), want, handle_, stream);
          last_workspace_ = want;
          return CUBLAS_STATUS_SUCCESS;
        }
      }
    }
    cublas->run(pr, nullptr, 0, handle_, stream);
    return CUBLAS_STATUS_SUCCESS;
  } catch (const fmm::Error& e) {
    last_error_ = e.what();
    return CUBLAS_STATUS_EXECUTION_FAILED;
  } catch (const std::bad_alloc&) {
    last_error_ = "out of host memory";
    return CUBLAS_STATUS_ALLOC_FAILED;
  }
}

namespace gpu {

namespace {

class AutoCandidate final : public Candidate {
 public:
  explicit AutoCandidate(TuningTable table) : table_(std::move(table)) {}
  std::string name() const override { return "fmm::gemm"; }
  std::string impl() const override { return "auto"; }
  std::string describe(const GemmProblem& pr, size_t) const override {
    int dev = 0;
    cudaDeviceProp prop{};
    std::string gpu;
    if (cudaGetDevice(&dev) == cudaSuccess && cudaGetDeviceProperties(&prop, dev) == cudaSuccess) gpu = prop.name;
    const TuningEntry* e = table_.lookup(gpu, pr.precision, pr.M, pr.N, pr.K);
    return "tuning table picks " + (e ? e->choice + " (from " + std::to_string(e->M) + "x" + std::to_string(e->N) + "x" +
                                            std::to_string(e->K) + ")"
                                      : std::string("cublas (no entry)"));
  }
  void run(const GemmProblem& pr, void*, size_t, cublasHandle_t handle, cudaStream_t stream) override {
    if (!engine_ || handle != handle_) {
      engine_ = std::make_unique<GemmEngine>(handle, table_);
      handle_ = handle;
    }
    if (engine_->run(pr, stream) != CUBLAS_STATUS_SUCCESS) throw Error("fmm::gemm: " + engine_->last_error());
  }

 private:
  TuningTable table_;
  std::unique_ptr<GemmEngine> engine_;
  cublasHandle_t handle_ = nullptr;
};

}  // namespace

std::unique_ptr<Candidate> make_auto_candidate(TuningTable table) {
  return std::make_unique<AutoCandidate>(std::move(table));
}

}  // namespace gpu

namespace {
gpu::GemmProblem make_problem(gpu::Precision p, int M, int N, int K, double alpha, const void* A, int lda,
                              const void* B, int ldb, double beta, void* C, int ldc) {
  gpu::GemmProblem pr;
  pr.precision = p;
  pr.M = M;
  pr.N = N;
  pr.K = K;
  pr.A = A;
  pr.lda = lda;
  pr.B = B;
  pr.ldb = ldb;
  pr.C = C;
  pr.ldc = ldc;
  pr.alpha = alpha;
  pr.beta = beta;
  return pr;
}
}  // namespace

cublasStatus_t gemm(GemmEngine& engine, int M, int N, int K, float alpha, const float* A, int lda, const float* B,
                    int ldb, float beta, float* C, int ldc, cudaStream_t stream) {
  if (M < 0 || N < 0 || K < 0 || lda < std::max(1, M) || ldb < std::max(1, K) || ldc < std::max(1, M))
    return CUBLAS_STATUS_INVALID_VALUE;
  if (M == 0 || N == 0) return CUBLAS_STATUS_SUCCESS;
  return engine.run(make_problem(gpu::Precision::F32, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc), stream);
}

cublasStatus_t gemm(GemmEngine& engine, int M, int N, int K, double alpha, const double* A, int lda,
                    const double* B, int ldb, double beta, double* C, int ldc, cudaStream_t stream) {
  if (M < 0 || N < 0 || K < 0 || lda < std::max(1, M) || ldb < std::max(1, K) || ldc < std::max(1, M))
    return CUBLAS_STATUS_INVALID_VALUE;
  if (M == 0 || N == 0) return CUBLAS_STATUS_SUCCESS;
  return engine.run(make_problem(gpu::Precision::F64, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc), stream);
}

}  // namespace fmm
