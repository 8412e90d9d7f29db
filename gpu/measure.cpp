#include "gpu/measure.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <sstream>

#include "gpu/blas.hpp"
#include "gpu/cuda_check.hpp"
#include "gpu/sampled_gather.hpp"
#include "gpu/stream_gate.hpp"

namespace fmm::gpu {

Elem input_elem(Precision p) {
  switch (p) {
    case Precision::F64: return Elem::F64;
    case Precision::BF16: return Elem::BF16;
    default: return Elem::F32;
  }
}

Elem output_elem(Precision p) { return p == Precision::F64 ? Elem::F64 : Elem::F32; }

ProblemSet::ProblemSet(Precision p, long long M, long long N, long long K, uint64_t seed, size_t l2_bytes,
                       cublasHandle_t handle, cudaStream_t stream, int sample_side, uint64_t sample_seed)
    : precision_(p), M_(M), N_(N), K_(K) {
  const size_t na = static_cast<size_t>(M) * K, nb = static_cast<size_t>(K) * N, nc = static_cast<size_t>(M) * N;
  const size_t set_bytes = (na + nb) * input_bytes(p) + nc * output_bytes(p);
  int sets = 1;
  if (set_bytes < 4 * l2_bytes) sets = static_cast<int>(std::min<size_t>(8, (4 * l2_bytes + set_bytes - 1) / set_bytes));
  for (int s = 0; s < sets; ++s) {
    a_.emplace_back(na * input_bytes(p));
    b_.emplace_back(nb * input_bytes(p));
    c_.emplace_back(nc * output_bytes(p));
    fill_uniform(a_.back().get(), input_elem(p), na, seed * 1000 + 3 * s + 1, stream);
    fill_uniform(b_.back().get(), input_elem(p), nb, seed * 1000 + 3 * s + 2, stream);
    fill_nan(c_.back().get(), output_elem(p), nc, stream);
  }
  ref_ = DeviceBuffer(nc * sizeof(double));
  FMM_CUBLAS_CHECK(cublasSetStream(handle, stream));
  set_math_mode(handle, Precision::F64);
  if (p == Precision::F64) {
    blas_gemm(handle, Precision::F64, M, N, K, 1.0, a_[0].get(), M, b_[0].get(), K, 0.0, ref_.get(), M);
  } else {
    DeviceBuffer a64(na * sizeof(double)), b64(nb * sizeof(double));
    upcast_to_f64(a_[0].get(), input_elem(p), a64.as<double>(), na, stream);
    upcast_to_f64(b_[0].get(), input_elem(p), b64.as<double>(), nb, stream);
    blas_gemm(handle, Precision::F64, M, N, K, 1.0, a64.get(), M, b64.get(), K, 0.0, ref_.get(), M);
    FMM_CUDA_CHECK(cudaStreamSynchronize(stream));  // before a64/b64 are freed
  }
  FMM_CUDA_CHECK(cudaStreamSynchronize(stream));
  if (sample_side > 0) {
    const auto t0 = std::chrono::steady_clock::now();
    sample_ = choose_output_sample(M, N, sample_side, sample_seed);
    const auto a_rows = gather_rows_to_host(a_[0].get(), input_elem(p), M, K, sample_.rows, stream);
    const auto b_cols = gather_cols_to_host(b_[0].get(), input_elem(p), K, K, sample_.cols, stream);
    sample_ref_ = sampled_product(a_rows, b_cols, static_cast<int>(sample_.rows.size()),
                                  static_cast<int>(sample_.cols.size()), K);
    const auto ref_at = gather_entries_to_host(ref_.get(), Elem::F64, M, sample_.rows, sample_.cols, stream);
    dgemm_ref_sampled_ = compare_to_extended(ref_at.data(), sample_ref_);
    sample_build_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
}

ErrorStats ProblemSet::sampled_error(const void* c, cudaStream_t stream) const {
  if (!has_sample()) return ErrorStats{std::nan(""), std::nan(""), 0};
  const auto got = gather_entries_to_host(c, output_elem(precision_), M_, sample_.rows, sample_.cols, stream);
  return compare_to_extended(got.data(), sample_ref_);
}

std::string ProblemSet::sample_description() const {
  if (!has_sample()) return "no sampled check";
  std::ostringstream s;
  s << "sampled check: " << sample_.describe() << ", double-double (Dot2) dot products on the host in "
    << static_cast<long long>(sample_build_ms_ + 0.5) << " ms; the DGEMM reference's own sampled error "
    << dgemm_ref_sampled_.rel_frobenius << " (max " << dgemm_ref_sampled_.rel_max << ")";
  return s.str();
}

GemmProblem ProblemSet::problem(int set) const {
  GemmProblem pr;
  pr.precision = precision_;
  pr.M = M_;
  pr.N = N_;
  pr.K = K_;
  pr.A = a_[set].get();
  pr.lda = M_;
  pr.B = b_[set].get();
  pr.ldb = K_;
  pr.C = c_[set].get();
  pr.ldc = M_;
  return pr;
}

std::string ProblemSet::reference_kind() const {
  if (precision_ == Precision::F64)
    return has_sample() ? "sampled extended precision (double-double on the host) for the sampled error, the "
                          "x cuBLAS ratio and pass/fail; the full-output column is the difference from cuBLAS DGEMM "
                          "(the f64 baseline itself)"
                        : "cuBLAS DGEMM (the f64 baseline itself)";
  return "cuBLAS DGEMM on upcast inputs (the sampled extended-precision column is a cross-check)";
}

std::string to_string(Status s) {
  switch (s) {
    case Status::Passed: return "passed";
    case Status::Incorrect: return "incorrect";
    case Status::NotRun: return "not run";
    case Status::NotSupported: return "not supported";
  }
  return "?";
}

double median_of(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

namespace {

ErrorStats checked_run(Candidate& cand, const ProblemSet& set, void* ws, size_t bytes, cublasHandle_t handle,
                       cudaStream_t stream) {
  GemmProblem pr = set.problem(0);
  fill_nan(pr.C, output_elem(pr.precision), set.c_count(), stream);
  cand.run(pr, ws, bytes, handle, stream);
  FMM_CUDA_CHECK(cudaStreamSynchronize(stream));
  return compare_to_reference(pr.C, output_elem(pr.precision), set.reference(), set.c_count(), stream);
}

ErrorStats worse(const ErrorStats& a, const ErrorStats& b) {
  if (!a.finite()) return a;
  if (!b.finite()) return b;
  return a.rel_frobenius >= b.rel_frobenius ? a : b;
}

bool context_broken() {
  cudaError_t e = cudaDeviceSynchronize();
  return e != cudaSuccess && e != cudaErrorMemoryAllocation;
}

}  // namespace

namespace {

// One candidate on its way through measure_all.
struct Trial {
  Candidate* cand = nullptr;
  Measurement m;
  DeviceBuffer ws;
  ErrorStats before;
  bool live = false;  // prepared and not failed: it takes part in the timed rounds
  std::vector<cudaEvent_t> events;
  ~Trial() {
    for (cudaEvent_t e : events)
      if (e) cudaEventDestroy(e);
  }
};

// A candidate's own failure ends its trial with a note; a broken CUDA context ends everything.
void fail(Trial& t, const std::string& what) {
  if (context_broken()) throw CudaError("CUDA context broken while measuring " + t.cand->name() + ": " + what);
  t.live = false;
  t.m.status = Status::NotRun;
  t.m.note = what;
  t.m.times_ms.clear();
}

void prepare(Trial& t, const ProblemSet& set, const MeasureOptions& opt, cublasHandle_t handle, cudaStream_t stream) {
  Candidate& cand = *t.cand;
  Measurement& m = t.m;
  const GemmProblem pr0 = set.problem(0);
  if (std::string why = cand.unsupported_reason(pr0); !why.empty()) {
    m.status = Status::NotSupported;
    m.note = why;
    return;
  }
  set_math_mode(handle, set.precision());
  const size_t free_b = device_free_bytes();
  const size_t avail = free_b > opt.reserve_bytes ? free_b - opt.reserve_bytes : 0;
  size_t limit = std::min(avail, opt.max_workspace_bytes);
  if (opt.workspace_fraction > 0)
    limit = std::min(limit, default_workspace_limit(pr0.precision, pr0.M, pr0.N, pr0.K, opt.workspace_fraction));
  const size_t want = cand.workspace_size(pr0, limit);
  if (want == 0 && cand.min_workspace_size(pr0) > 0) {
    m.note = "needs " + std::to_string(cand.min_workspace_size(pr0) >> 20) + " MiB of workspace at least; the limit is " +
             std::to_string(limit >> 20) + " MiB";
    return;
  }
  if (want > 0) {
    try {
      t.ws = DeviceBuffer(want);
    } catch (const CudaError& e) {
      cudaGetLastError();
      m.note = std::string("workspace allocation failed: ") + e.what();
      return;
    }
  }
  m.workspace_bytes = t.ws.bytes();
  const double abc = (double(pr0.M) * pr0.K + double(pr0.K) * pr0.N) * input_bytes(pr0.precision) +
                     double(pr0.M) * pr0.N * output_bytes(pr0.precision);
  m.workspace_fraction = double(m.workspace_bytes) / abc;
  m.note = cand.describe(pr0, t.ws.bytes());
  t.live = true;
  try {
    t.before = checked_run(cand, set, t.ws.get(), t.ws.bytes(), handle, stream);
    for (int i = 0; i < opt.warmup; ++i) cand.run(set.problem(i % set.sets()), t.ws.get(), t.ws.bytes(), handle, stream);
    FMM_CUDA_CHECK(cudaStreamSynchronize(stream));
    t.events.assign(2 * static_cast<size_t>(opt.repeats), nullptr);
    for (auto& e : t.events) FMM_CUDA_CHECK(cudaEventCreate(&e));
  } catch (const fmm::Error& e) {
    fail(t, e.what());
  }
}

void finish(Trial& t, const ProblemSet& set, const MeasureOptions& opt, cublasHandle_t handle, cudaStream_t stream) {
  Candidate& cand = *t.cand;
  Measurement& m = t.m;
  try {
    set_math_mode(handle, set.precision());
    for (int i = 0; i < opt.repeats; ++i) {
      float ms = 0;
      FMM_CUDA_CHECK(cudaEventElapsedTime(&ms, t.events[2 * i], t.events[2 * i + 1]));
      m.times_ms.push_back(double(ms) / m.batch);
    }
    FmmExecutor::PhaseTimes phases;
    if (opt.phases && cand.run_with_phases(set.problem(0), t.ws.get(), t.ws.bytes(), handle, stream, phases)) {
      m.form_ms = phases.form_ms;
      m.leaf_gemm_ms = phases.gemm_ms;
      m.combine_ms = phases.combine_ms;
      if (phases.gemm_ms > 0) m.leaf_tflops = cand.leaf_flops(set.problem(0)) / (phases.gemm_ms * 1e-3) / 1e12;
    }
    const ErrorStats after = checked_run(cand, set, t.ws.get(), t.ws.bytes(), handle, stream);
    m.error = worse(t.before, after);
    // Set 0's C still holds the checked output: the sampled check reads the same run.
    m.sampled_error = set.sampled_error(set.problem(0).C, stream);
  } catch (const fmm::Error& e) {
    fail(t, e.what());
    return;
  }
  m.median_ms = median_of(m.times_ms);
  m.min_ms = *std::min_element(m.times_ms.begin(), m.times_ms.end());
  m.max_ms = *std::max_element(m.times_ms.begin(), m.times_ms.end());
  const double tol = correctness_tolerance(set.precision());
  bool ok = m.error.finite() && m.error.rel_frobenius <= tol;
  if (set.precision() == Precision::F64 && set.has_sample())
    ok = ok && m.sampled_error.finite() && m.sampled_error.rel_frobenius <= tol;
  m.status = ok ? Status::Passed : Status::Incorrect;
}

// Launches per timed sample: enough that the slowest live candidate's probe run, repeated, lasts
// opt.min_sample_ms (the same count for all, so every candidate is timed the same way).
int batch_size(std::vector<Trial>& trials, const ProblemSet& set, const MeasureOptions& opt, cublasHandle_t handle,
               cudaStream_t stream) {
  if (opt.min_sample_ms <= 0) return 1;
  double slowest = 0;
  cudaEvent_t e0 = nullptr, e1 = nullptr;
  FMM_CUDA_CHECK(cudaEventCreate(&e0));
  FMM_CUDA_CHECK(cudaEventCreate(&e1));
  for (Trial& t : trials) {
    if (!t.live) continue;
    try {
      set_math_mode(handle, set.precision());
      FMM_CUDA_CHECK(cudaEventRecord(e0, stream));
      t.cand->run(set.problem(0), t.ws.get(), t.ws.bytes(), handle, stream);
      FMM_CUDA_CHECK(cudaEventRecord(e1, stream));
      FMM_CUDA_CHECK(cudaEventSynchronize(e1));
      float ms = 0;
      FMM_CUDA_CHECK(cudaEventElapsedTime(&ms, e0, e1));
      slowest = std::max(slowest, double(ms));
    } catch (const fmm::Error& e) {
      fail(t, e.what());
    }
  }
  cudaEventDestroy(e0);
  cudaEventDestroy(e1);
  if (slowest <= 0) return 1;
  return static_cast<int>(std::clamp(std::ceil(opt.min_sample_ms / slowest), 1.0, double(std::max(1, opt.max_batch))));
}

}  // namespace

std::vector<Measurement> measure_all(const std::vector<Candidate*>& cands, const ProblemSet& set,
                                     const MeasureOptions& opt, cublasHandle_t handle, cudaStream_t stream) {
  std::vector<Trial> trials(cands.size());
  for (size_t i = 0; i < cands.size(); ++i) {
    trials[i].cand = cands[i];
    prepare(trials[i], set, opt, handle, stream);
  }
  const int batch = batch_size(trials, set, opt, handle, stream);
  // Samples of several launches wait behind a gate until all are enqueued (gpu/stream_gate.hpp).
  std::unique_ptr<StreamGate> gate;
  if (opt.gate_samples) gate = std::make_unique<StreamGate>();
  // The timed samples, round by round: every candidate runs once per round, so all of them see the
  // same clocks when the card slows down under sustained load (seen on the H200: cuBLAS bf16
  // 12288^3 went from 4.66 to 5.41 ms within ten back-to-back runs).
  for (int i = 0; i < opt.repeats; ++i) {
    for (size_t k = 0; k < trials.size(); ++k) {
      Trial& t = trials[i % 2 == 0 ? k : trials.size() - 1 - k];
      if (!t.live) continue;
      try {
        set_math_mode(handle, set.precision());
        if (gate) gate->close(stream);
        FMM_CUDA_CHECK(cudaEventRecord(t.events[2 * i], stream));
        for (int j = 0; j < batch; ++j)
          t.cand->run(set.problem((i * batch + j + 1) % set.sets()), t.ws.get(), t.ws.bytes(), handle, stream);
        FMM_CUDA_CHECK(cudaEventRecord(t.events[2 * i + 1], stream));
      } catch (const fmm::Error& e) {
        fail(t, e.what());
      }
      if (gate) gate->open();
    }
  }
  FMM_CUDA_CHECK(cudaStreamSynchronize(stream));
  for (Trial& t : trials) {
    t.m.batch = batch;
    if (gate && gate->timed_out() && t.live) t.m.note += "; a stream gate timed out: some samples include launch time";
  }
  std::vector<Measurement> out;
  for (Trial& t : trials) {
    if (t.live) finish(t, set, opt, handle, stream);
    t.ws.reset();
    out.push_back(std::move(t.m));
  }
  return out;
}

Measurement measure(Candidate& cand, const ProblemSet& set, const MeasureOptions& opt, cublasHandle_t handle,
                    cudaStream_t stream) {
  return measure_all({&cand}, set, opt, handle, stream)[0];
}

}  // namespace fmm::gpu
