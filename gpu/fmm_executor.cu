#include "gpu/fmm_executor.hpp"

#include <cuda_bf16.h>

#include <algorithm>
#include <vector>

#include "gpu/blas.hpp"
#include "gpu/cuda_check.hpp"
#include "gpu/device_buffer.hpp"
#include "tensor/error.hpp"

namespace fmm::gpu {

namespace {

constexpr int kThreads = 256;
constexpr long long kRowAlign = 32;        // leaf rows/cols padded to this: aligned, cuBLAS-friendly tiles
constexpr size_t kSmemBudget = 96 * 1024;  // dynamic shared memory we allow one block (H100: 227 KB max)
constexpr size_t kAlign = 256;

long long ceil_div(long long a, long long b) { return (a + b - 1) / b; }
long long round_up(long long a, long long b) { return ceil_div(a, b) * b; }
size_t align_up(size_t a) { return (a + kAlign - 1) / kAlign * kAlign; }

template <typename T>
__device__ inline float to_acc_f(T v) { return static_cast<float>(v); }
template <>
__device__ inline float to_acc_f<__nv_bfloat16>(__nv_bfloat16 v) { return __bfloat162float(v); }

template <typename TAcc, typename T>
__device__ inline TAcc load_acc(const T* p) {
  if constexpr (sizeof(TAcc) == 8) {
    return static_cast<TAcc>(*p);
  } else {
    return to_acc_f<T>(*p);
  }
}

template <typename T, typename TAcc>
__device__ inline T store_cast(TAcc v) {
  if constexpr (sizeof(T) == 2) {
    return __float2bfloat16(static_cast<float>(v));
  } else {
    return static_cast<T>(v);
  }
}

// Left or right operands of a chunk of products: out[r - r0] = sum_e coef[e] * block(idx[e]).
// X is rows x cols (ld), cut into a block grid of `grid_cols` columns with br x bc blocks;
// each output is br x bc, contiguous, leading dimension br. One thread block covers `tile`
// consecutive positions (row-fastest) of every block: first it stages them in shared memory
// (one coalesced read of X), then writes every product's tile (coalesced writes).
template <typename TIn, typename TWork, typename TAcc>
__global__ void __launch_bounds__(kThreads) form_operands_kernel(
    const TIn* __restrict__ x, long long ld, long long rows, long long cols, long long br, long long bc,
    int grid_cols, int nblocks, const int* __restrict__ offs, const int* __restrict__ idx,
    const TAcc* __restrict__ coef, int r0, int r1, TWork* __restrict__ out, int tile) {
  extern __shared__ __align__(16) unsigned char smem_raw[];
  TAcc* sh = reinterpret_cast<TAcc*>(smem_raw);
  const long long count = br * bc;
  const long long pos0 = static_cast<long long>(blockIdx.x) * tile;
  for (int t = threadIdx.x; t < tile; t += blockDim.x) {
    const long long pos = pos0 + t;
    const long long row = pos % br, col = pos / br;
    const bool inside = pos < count;
    for (int b = 0; b < nblocks; ++b) {
      const long long gr = (b / grid_cols) * br + row;
      const long long gc = (b % grid_cols) * bc + col;
      TAcc v = 0;
      if (inside && gr < rows && gc < cols) v = load_acc<TAcc>(x + gr + gc * ld);
      sh[b * tile + t] = v;
    }
  }
  __syncthreads();
  const int nr = r1 - r0;
  for (int w = threadIdx.x; w < nr * tile; w += blockDim.x) {
    const int r = r0 + w / tile;
    const int t = w % tile;
    const long long pos = pos0 + t;
    if (pos >= count) continue;
    TAcc acc = 0;
    for (int e = offs[r]; e < offs[r + 1]; ++e) acc += coef[e] * sh[idx[e] * tile + t];
    out[static_cast<long long>(r - r0) * count + pos] = store_cast<TWork>(acc);
  }
}

// C blocks from a chunk's products: C_c = alpha sum_{r in chunk} w_rc P_r (+ beta C_c on the
// first chunk, reading C only when beta != 0; later chunks accumulate into C).
template <typename TOut, typename TAcc>
__global__ void __launch_bounds__(kThreads) form_c_kernel(
    const TOut* __restrict__ prod, long long bm, long long bn, long long M, long long N, TOut* __restrict__ c,
    long long ldc, int grid_cols, int nblocks, const int* __restrict__ offs, const int* __restrict__ idx,
    const TAcc* __restrict__ coef, int r0, int r1, TAcc alpha, TAcc beta, bool first, int tile) {
  extern __shared__ __align__(16) unsigned char smem_raw[];
  TAcc* sh = reinterpret_cast<TAcc*>(smem_raw);
  const long long count = bm * bn;
  const long long pos0 = static_cast<long long>(blockIdx.x) * tile;
  const int nr = r1 - r0;
  for (int w = threadIdx.x; w < nr * tile; w += blockDim.x) {
    const int r = w / tile, t = w % tile;
    const long long pos = pos0 + t;
    sh[w] = pos < count ? static_cast<TAcc>(prod[static_cast<long long>(r) * count + pos]) : TAcc(0);
  }
  __syncthreads();
  for (int w = threadIdx.x; w < nblocks * tile; w += blockDim.x) {
    const int cb = w / tile, t = w % tile;
    const long long pos = pos0 + t;
    if (pos >= count) continue;
    TAcc acc = 0;
    bool any = false;
    for (int e = offs[cb]; e < offs[cb + 1]; ++e) {
      const int r = idx[e];
      if (r < r0 || r >= r1) continue;
      acc += coef[e] * sh[(r - r0) * tile + t];
      any = true;
    }
    if (!first && !any) continue;
    const long long gr = (cb / grid_cols) * bm + pos % bm;
    const long long gc = (cb % grid_cols) * bn + pos / bm;
    if (gr >= M || gc >= N) continue;
    TOut* dst = c + gr + gc * ldc;
    if (first) {
      TAcc v = alpha * acc;
      if (beta != TAcc(0)) v += beta * static_cast<TAcc>(*dst);
      *dst = static_cast<TOut>(v);
    } else {
      *dst = static_cast<TOut>(static_cast<TAcc>(*dst) + alpha * acc);
    }
  }
}

struct Csr {
  std::vector<int> offs, idx;
  std::vector<float> coef_f;
  std::vector<double> coef_d;
};

Csr to_csr(const std::vector<std::vector<PlanTerm>>& lists) {
  Csr csr;
  csr.offs.push_back(0);
  for (const auto& l : lists) {
    for (const PlanTerm& t : l) {
      csr.idx.push_back(t.index);
      csr.coef_f.push_back(static_cast<float>(t.coef));
      csr.coef_d.push_back(t.coef);
    }
    csr.offs.push_back(static_cast<int>(csr.idx.size()));
  }
  return csr;
}

struct DevCsr {
  const int* offs = nullptr;
  const int* idx = nullptr;
  const float* coef_f = nullptr;
  const double* coef_d = nullptr;
  template <typename TAcc>
  const TAcc* coef() const {
    if constexpr (sizeof(TAcc) == 8) {
      return coef_d;
    } else {
      return coef_f;
    }
  }
};

// Dynamic shared memory one block may use: our budget, or less where the card allows less.
size_t smem_budget() {
  static const size_t budget = [] {
    int dev = 0, optin = 0;
    if (cudaGetDevice(&dev) != cudaSuccess ||
        cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev) != cudaSuccess) {
      cudaGetLastError();
      return size_t(48) * 1024;
    }
    return std::min(kSmemBudget, static_cast<size_t>(optin));
  }();
  return budget;
}

int tile_for(size_t rows_staged, size_t elem_bytes) {
  for (int tile = 256; tile >= 32; tile /= 2)
    if (rows_staged * tile * elem_bytes <= smem_budget()) return tile;
  return 0;
}

template <typename Kernel>
void allow_smem(Kernel kernel, size_t bytes) {
  if (bytes > 48 * 1024)
    FMM_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(bytes)));
}

}  // namespace

struct FmmExecutor::DeviceTables {
  DeviceBuffer storage;
  DevCsr a, b, c;
};

FmmExecutor::FmmExecutor(FmmPlan plan) : plan_(std::move(plan)) {}
FmmExecutor::~FmmExecutor() = default;
FmmExecutor::FmmExecutor(FmmExecutor&&) noexcept = default;
FmmExecutor& FmmExecutor::operator=(FmmExecutor&&) noexcept = default;

FmmExecutor::Geometry FmmExecutor::geometry(long long M, long long N, long long K) const {
  return {round_up(ceil_div(M, plan_.n), kRowAlign), round_up(ceil_div(K, plan_.m), kRowAlign),
          round_up(ceil_div(N, plan_.p), kRowAlign)};
}

namespace {
size_t work_bytes(Precision p) { return input_bytes(p); }  // S, T stored like the inputs
size_t acc_bytes(Precision p) { return p == Precision::F64 ? 8 : 4; }
}  // namespace

size_t FmmExecutor::bytes_per_product(Precision p, long long M, long long N, long long K) const {
  const Geometry g = geometry(M, N, K);
  return static_cast<size_t>(g.bm * g.bk + g.bk * g.bn) * work_bytes(p) + static_cast<size_t>(g.bm * g.bn) * output_bytes(p);
}

size_t FmmExecutor::workspace_size(Precision p, long long M, long long N, long long K) const {
  return bytes_per_product(p, M, N, K) * static_cast<size_t>(plan_.rank) + 3 * kAlign;
}

int FmmExecutor::chunk_size(Precision p, long long M, long long N, long long K, size_t bytes) const {
  const size_t per = bytes_per_product(p, M, N, K);
  if (bytes < per + 3 * kAlign) return 0;
  long long chunk = std::min<long long>(plan_.rank, static_cast<long long>((bytes - 3 * kAlign) / per));
  // The C kernel stages one tile of every product of the chunk; keep 32 positions possible.
  chunk = std::min<long long>(chunk, static_cast<long long>(smem_budget() / (32 * acc_bytes(p))));
  const int inner = plan_.inner_rank();
  if (chunk < plan_.rank && chunk >= inner) chunk = chunk / inner * inner;  // whole top-level products
  return static_cast<int>(chunk);
}

int FmmExecutor::chunk_count(Precision p, long long M, long long N, long long K, size_t bytes) const {
  const int chunk = chunk_size(p, M, N, K, bytes);
  return chunk == 0 ? 0 : static_cast<int>(ceil_div(plan_.rank, chunk));
}

namespace {

template <typename TIn, typename TWork, typename TOut, typename TAcc>
void run_typed(const FmmPlan& plan, const DevCsr& a, const DevCsr& b, const DevCsr& c,
               const FmmExecutor::Geometry& g, int chunk, const GemmProblem& pr, void* workspace,
               cublasHandle_t handle, cudaStream_t stream) {
  const long long s_count = g.bm * g.bk, t_count = g.bk * g.bn, p_count = g.bm * g.bn;
  const int tile_a = tile_for(static_cast<size_t>(plan.n) * plan.m, sizeof(TAcc));
  const int tile_b = tile_for(static_cast<size_t>(plan.m) * plan.p, sizeof(TAcc));
  if (tile_a == 0 || tile_b == 0) throw Error("fmm executor: block grid too large for shared-memory staging");
  auto ka = form_operands_kernel<TIn, TWork, TAcc>;
  auto kc = form_c_kernel<TOut, TAcc>;
  const size_t smem_a = static_cast<size_t>(plan.n) * plan.m * tile_a * sizeof(TAcc);
  const size_t smem_b = static_cast<size_t>(plan.m) * plan.p * tile_b * sizeof(TAcc);
  allow_smem(ka, std::max(smem_a, smem_b));

  for (int r0 = 0; r0 < plan.rank; r0 += chunk) {
    const int r1 = std::min(plan.rank, r0 + chunk);
    const int nr = r1 - r0;
    auto* s = static_cast<TWork*>(workspace);
    auto* t = reinterpret_cast<TWork*>(static_cast<char*>(workspace) + align_up(nr * s_count * sizeof(TWork)));
    auto* p = reinterpret_cast<TOut*>(reinterpret_cast<char*>(t) + align_up(nr * t_count * sizeof(TWork)));

    form_operands_kernel<TIn, TWork, TAcc><<<static_cast<unsigned>(ceil_div(s_count, tile_a)), kThreads, smem_a, stream>>>(
        static_cast<const TIn*>(pr.A), pr.lda, pr.M, pr.K, g.bm, g.bk, plan.m, plan.n * plan.m, a.offs, a.idx,
        a.coef<TAcc>(), r0, r1, s, tile_a);
    FMM_CUDA_CHECK_LAUNCH();
    form_operands_kernel<TIn, TWork, TAcc><<<static_cast<unsigned>(ceil_div(t_count, tile_b)), kThreads, smem_b, stream>>>(
        static_cast<const TIn*>(pr.B), pr.ldb, pr.K, pr.N, g.bk, g.bn, plan.p, plan.m * plan.p, b.offs, b.idx,
        b.coef<TAcc>(), r0, r1, t, tile_b);
    FMM_CUDA_CHECK_LAUNCH();

    blas_gemm_strided_batched(handle, pr.precision, g.bm, g.bn, g.bk, 1.0, s, g.bm, s_count, t, g.bk, t_count, 0.0,
                              p, g.bm, p_count, nr);

    const int tile_c = tile_for(static_cast<size_t>(nr), sizeof(TAcc));
    if (tile_c == 0) throw Error("fmm executor: chunk too large for shared-memory staging");
    const size_t smem_c = static_cast<size_t>(nr) * tile_c * sizeof(TAcc);
    allow_smem(kc, smem_c);
    form_c_kernel<TOut, TAcc><<<static_cast<unsigned>(ceil_div(p_count, tile_c)), kThreads, smem_c, stream>>>(
        p, g.bm, g.bn, pr.M, pr.N, static_cast<TOut*>(pr.C), pr.ldc, plan.p, plan.n * plan.p, c.offs, c.idx,
        c.coef<TAcc>(), r0, r1, static_cast<TAcc>(pr.alpha), static_cast<TAcc>(pr.beta), r0 == 0, tile_c);
    FMM_CUDA_CHECK_LAUNCH();
  }
}

}  // namespace

void FmmExecutor::run(const GemmProblem& pr, void* workspace, size_t bytes, cublasHandle_t handle,
                      cudaStream_t stream) const {
  if (pr.M <= 0 || pr.N <= 0 || pr.K <= 0) throw Error("fmm executor: empty problem");
  if (pr.lda < pr.M || pr.ldb < pr.K || pr.ldc < pr.M) throw Error("fmm executor: leading dimension too small");
  const int chunk = chunk_size(pr.precision, pr.M, pr.N, pr.K, bytes);
  if (chunk == 0)
    throw Error("fmm executor (" + plan_.name + "): workspace of " + std::to_string(bytes) +
                " bytes is smaller than one product needs (" +
                std::to_string(bytes_per_product(pr.precision, pr.M, pr.N, pr.K)) + ")");
  if (!tables_) {
    Csr ca = to_csr(plan_.a_terms), cb = to_csr(plan_.b_terms), cc = to_csr(plan_.c_terms);
    // One allocation holding the three CSR tables, ints first then floats then doubles.
    auto ints = [](const Csr& x) { return x.offs.size() + x.idx.size(); };
    auto terms = [](const Csr& x) { return x.idx.size(); };
    const size_t n_int = ints(ca) + ints(cb) + ints(cc);
    const size_t n_terms = terms(ca) + terms(cb) + terms(cc);
    const size_t int_bytes = align_up(n_int * sizeof(int));
    const size_t f_bytes = align_up(n_terms * sizeof(float));
    auto tables = std::make_unique<DeviceTables>();
    tables->storage = DeviceBuffer(int_bytes + f_bytes + n_terms * sizeof(double));
    std::vector<int> host_int;
    std::vector<float> host_f;
    std::vector<double> host_d;
    char* base = tables->storage.as<char>();
    auto place = [&](const Csr& x, DevCsr& d) {
      d.offs = reinterpret_cast<const int*>(base) + host_int.size();
      host_int.insert(host_int.end(), x.offs.begin(), x.offs.end());
      d.idx = reinterpret_cast<const int*>(base) + host_int.size();
      host_int.insert(host_int.end(), x.idx.begin(), x.idx.end());
      d.coef_f = reinterpret_cast<const float*>(base + int_bytes) + host_f.size();
      host_f.insert(host_f.end(), x.coef_f.begin(), x.coef_f.end());
      d.coef_d = reinterpret_cast<const double*>(base + int_bytes + f_bytes) + host_d.size();
      host_d.insert(host_d.end(), x.coef_d.begin(), x.coef_d.end());
    };
    place(ca, tables->a);
    place(cb, tables->b);
    place(cc, tables->c);
    FMM_CUDA_CHECK(cudaMemcpy(base, host_int.data(), host_int.size() * sizeof(int), cudaMemcpyHostToDevice));
    FMM_CUDA_CHECK(cudaMemcpy(base + int_bytes, host_f.data(), host_f.size() * sizeof(float), cudaMemcpyHostToDevice));
    FMM_CUDA_CHECK(cudaMemcpy(base + int_bytes + f_bytes, host_d.data(), host_d.size() * sizeof(double),
                              cudaMemcpyHostToDevice));
    tables_ = std::move(tables);
  }
  FMM_CUBLAS_CHECK(cublasSetStream(handle, stream));
  const Geometry g = geometry(pr.M, pr.N, pr.K);
  const DeviceTables& d = *tables_;
  switch (pr.precision) {
    case Precision::F32:
    case Precision::TF32:
      run_typed<float, float, float, float>(plan_, d.a, d.b, d.c, g, chunk, pr, workspace, handle, stream);
      break;
    case Precision::F64:
      run_typed<double, double, double, double>(plan_, d.a, d.b, d.c, g, chunk, pr, workspace, handle, stream);
      break;
    case Precision::BF16:
      run_typed<__nv_bfloat16, __nv_bfloat16, float, float>(plan_, d.a, d.b, d.c, g, chunk, pr, workspace, handle,
                                                            stream);
      break;
  }
}

}  // namespace fmm::gpu
