#include "gpu/fmm_executor.hpp"

#include <cuda_bf16.h>

#include <algorithm>
#include <cstdint>
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

// Packs of N elements moved as one 16-byte (or 8-byte) access.
template <typename T, int N>
struct alignas(sizeof(T) * N) Pack {
  T v[N];
};

template <typename T>
__device__ inline float to_float(T v) { return static_cast<float>(v); }
template <>
__device__ inline float to_float<__nv_bfloat16>(__nv_bfloat16 v) { return __bfloat162float(v); }

template <typename TAcc, typename T>
__device__ inline TAcc to_acc(T v) {
  if constexpr (sizeof(TAcc) == 8) {
    return static_cast<TAcc>(v);
  } else {
    return to_float<T>(v);
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

// Shared-memory packs of up to 16 bytes (LDS.128/STS.128 instead of scalar accesses).
template <typename T, int V>
__device__ inline void smem_load(const T* src, T (&dst)[V]) {
  constexpr int P = (16 / sizeof(T)) < V ? (16 / sizeof(T)) : V;
#pragma unroll
  for (int k = 0; k < V; k += P) {
    const Pack<T, P> pk = *reinterpret_cast<const Pack<T, P>*>(src + k);
#pragma unroll
    for (int j = 0; j < P; ++j) dst[k + j] = pk.v[j];
  }
}
template <typename T, int V>
__device__ inline void smem_store(T* dst, const T (&src)[V]) {
  constexpr int P = (16 / sizeof(T)) < V ? (16 / sizeof(T)) : V;
#pragma unroll
  for (int k = 0; k < V; k += P) {
    Pack<T, P> pk;
#pragma unroll
    for (int j = 0; j < P; ++j) pk.v[j] = src[k + j];
    *reinterpret_cast<Pack<T, P>*>(dst + k) = pk;
  }
}

// (row, col) of flat position pos0 + offset in a column-major block with `br` rows, given
// (row0, col0) of pos0: no 64-bit division per element (br is a multiple of the pack size).
__device__ inline void advance(long long row0, long long col0, long long br, long long offset, long long& row,
                               long long& col) {
  row = row0 + offset;
  col = col0;
  if (row >= br) {
    col += row / br;
    row %= br;
  }
}

// Left or right operands of a chunk of products: out[r - r0] = sum_e coef[e] * block(idx[e]).
// X is rows x cols (ld), cut into a block grid of `grid_cols` columns with br x bc blocks;
// each output is br x bc, contiguous, leading dimension br. One thread block covers `tile`
// consecutive positions (row-fastest) of every block: it stages them in shared memory (one
// coalesced read of X, in packs of V elements where X is aligned), then writes every
// product's tile in packs (coalesced 16-byte stores).
template <typename TIn, typename TWork, typename TAcc, int V>
__global__ void __launch_bounds__(kThreads) form_operands_kernel(
    const TIn* __restrict__ x, long long ld, long long rows, long long cols, long long br, long long bc,
    int grid_cols, int nblocks, const int* __restrict__ offs, const int* __restrict__ idx,
    const TAcc* __restrict__ coef, int r0, int r1, TWork* __restrict__ out, int tile_log2, bool x_packed) {
  extern __shared__ __align__(16) unsigned char smem_raw[];
  TAcc* sh = reinterpret_cast<TAcc*>(smem_raw);
  const int vtile_log2 = tile_log2 - __ffs(V) + 1;  // packs per tile, log2
  const int vtile = 1 << vtile_log2;
  const long long count = br * bc;
  const long long pos0 = static_cast<long long>(blockIdx.x) << tile_log2;
  const long long row0 = pos0 % br, col0 = pos0 / br;
  for (int w = threadIdx.x; w < nblocks * vtile; w += blockDim.x) {
    const int b = w >> vtile_log2;
    const int o = (w & (vtile - 1)) * V;
    long long row, col;
    advance(row0, col0, br, o, row, col);
    const long long gr = (b / grid_cols) * br + row;
    const long long gc = (b % grid_cols) * bc + col;
    TAcc vals[V];
    if (x_packed && pos0 + o < count && gc < cols && gr + V <= rows) {
      const Pack<TIn, V> pk = *reinterpret_cast<const Pack<TIn, V>*>(x + gr + gc * ld);
#pragma unroll
      for (int k = 0; k < V; ++k) vals[k] = to_acc<TAcc>(pk.v[k]);
    } else {
#pragma unroll
      for (int k = 0; k < V; ++k)
        vals[k] = (pos0 + o + k < count && gc < cols && gr + k < rows) ? to_acc<TAcc>(x[gr + k + gc * ld]) : TAcc(0);
    }
    smem_store(sh + (b << tile_log2) + o, vals);
  }
  __syncthreads();
  const int nr = r1 - r0;
  for (int w = threadIdx.x; w < nr * vtile; w += blockDim.x) {
    const int rr = w >> vtile_log2;
    const int o = (w & (vtile - 1)) * V;
    const long long pos = pos0 + o;
    if (pos >= count) continue;  // count is a multiple of V, so a pack is all in or all out
    TAcc acc[V];
#pragma unroll
    for (int k = 0; k < V; ++k) acc[k] = 0;
    for (int e = offs[r0 + rr]; e < offs[r0 + rr + 1]; ++e) {
      const TAcc cf = coef[e];
      TAcc src[V];
      smem_load(sh + (idx[e] << tile_log2) + o, src);
#pragma unroll
      for (int k = 0; k < V; ++k) acc[k] += cf * src[k];
    }
    Pack<TWork, V> pk;
#pragma unroll
    for (int k = 0; k < V; ++k) pk.v[k] = store_cast<TWork>(acc[k]);
    *reinterpret_cast<Pack<TWork, V>*>(out + static_cast<long long>(rr) * count + pos) = pk;
  }
}

// C blocks from a chunk's products: C_c = alpha sum_{r in chunk} w_rc P_r (+ beta C_c on the
// first chunk, reading C only when beta != 0; later chunks accumulate into C).
template <typename TOut, typename TAcc, int V>
__global__ void __launch_bounds__(kThreads) form_c_kernel(
    const TOut* __restrict__ prod, long long bm, long long bn, long long M, long long N, TOut* __restrict__ c,
    long long ldc, int grid_cols, int nblocks, const int* __restrict__ offs, const int* __restrict__ idx,
    const TAcc* __restrict__ coef, int r0, int r1, TAcc alpha, TAcc beta, bool first, int tile_log2, bool c_packed) {
  extern __shared__ __align__(16) unsigned char smem_raw[];
  TAcc* sh = reinterpret_cast<TAcc*>(smem_raw);
  const int vtile_log2 = tile_log2 - __ffs(V) + 1;
  const int vtile = 1 << vtile_log2;
  const long long count = bm * bn;
  const long long pos0 = static_cast<long long>(blockIdx.x) << tile_log2;
  const long long row0 = pos0 % bm, col0 = pos0 / bm;
  const int nr = r1 - r0;
  for (int w = threadIdx.x; w < nr * vtile; w += blockDim.x) {
    const int rr = w >> vtile_log2;
    const int o = (w & (vtile - 1)) * V;
    Pack<TOut, V> pk;
    if (pos0 + o < count) {
      pk = *reinterpret_cast<const Pack<TOut, V>*>(prod + static_cast<long long>(rr) * count + pos0 + o);
    } else {
#pragma unroll
      for (int k = 0; k < V; ++k) pk.v[k] = TOut(0);
    }
    TAcc vals[V];
#pragma unroll
    for (int k = 0; k < V; ++k) vals[k] = static_cast<TAcc>(pk.v[k]);
    smem_store(sh + (rr << tile_log2) + o, vals);
  }
  __syncthreads();
  for (int w = threadIdx.x; w < nblocks * vtile; w += blockDim.x) {
    const int cb = w >> vtile_log2;
    const int o = (w & (vtile - 1)) * V;
    if (pos0 + o >= count) continue;
    TAcc acc[V];
#pragma unroll
    for (int k = 0; k < V; ++k) acc[k] = 0;
    bool any = false;
    for (int e = offs[cb]; e < offs[cb + 1]; ++e) {
      const int r = idx[e];
      if (r < r0 || r >= r1) continue;
      const TAcc cf = coef[e];
      TAcc src[V];
      smem_load(sh + ((r - r0) << tile_log2) + o, src);
#pragma unroll
      for (int k = 0; k < V; ++k) acc[k] += cf * src[k];
      any = true;
    }
    if (!first && !any) continue;
    long long row, col;
    advance(row0, col0, bm, o, row, col);
    const long long gr = (cb / grid_cols) * bm + row;
    const long long gc = (cb % grid_cols) * bn + col;
    if (gc >= N || gr >= M) continue;
    TOut* dst = c + gr + gc * ldc;
    if (c_packed && gr + V <= M) {
      Pack<TOut, V> pk;
      if (!first || beta != TAcc(0)) pk = *reinterpret_cast<const Pack<TOut, V>*>(dst);
#pragma unroll
      for (int k = 0; k < V; ++k) {
        TAcc v = alpha * acc[k];
        if (!first) v += static_cast<TAcc>(pk.v[k]);
        else if (beta != TAcc(0)) v += beta * static_cast<TAcc>(pk.v[k]);
        pk.v[k] = static_cast<TOut>(v);
      }
      *reinterpret_cast<Pack<TOut, V>*>(dst) = pk;
    } else {
#pragma unroll
      for (int k = 0; k < V; ++k) {
        if (gr + k >= M) break;
        TAcc v = alpha * acc[k];
        if (!first) v += static_cast<TAcc>(dst[k]);
        else if (beta != TAcc(0)) v += beta * static_cast<TAcc>(dst[k]);
        dst[k] = static_cast<TOut>(v);
      }
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

// Positions per thread block: as many as fit in 48 KB of staging (four blocks per SM stay
// resident), up to 1024; when even 32 do not fit, whatever the card's opt-in limit allows.
int tile_for(size_t rows_staged, size_t elem_bytes) {
  for (int tile = 1024; tile >= 32; tile /= 2)
    if (rows_staged * tile * elem_bytes <= 48 * 1024) return tile;
  for (int tile = 32; tile >= 8; tile /= 2)
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

FmmExecutor::FmmExecutor(FmmPlan plan, LeafMode leaf) : plan_(std::move(plan)), leaf_(leaf) {}
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

int log2_of(int v) {
  int l = 0;
  while ((1 << l) < v) ++l;
  return l;
}

bool packed(const void* p, long long ld, int v, size_t elem) {
  return reinterpret_cast<uintptr_t>(p) % (v * elem) == 0 && ld % v == 0;
}

// Events between the phases, summed over chunks, when a caller asks for the breakdown.
struct PhaseEvents {
  std::vector<cudaEvent_t> ev;
  void mark(cudaStream_t stream) {
    cudaEvent_t e;
    FMM_CUDA_CHECK(cudaEventCreate(&e));
    FMM_CUDA_CHECK(cudaEventRecord(e, stream));
    ev.push_back(e);
  }
  ~PhaseEvents() {
    for (cudaEvent_t e : ev) cudaEventDestroy(e);
  }
};

template <typename TIn, typename TWork, typename TOut, typename TAcc>
void run_typed(const FmmPlan& plan, const DevCsr& a, const DevCsr& b, const DevCsr& c,
               const FmmExecutor::Geometry& g, int chunk, const GemmProblem& pr, void* workspace,
               cublasHandle_t handle, cudaStream_t stream, FmmExecutor::PhaseTimes* times, bool looped) {
  constexpr int VIN = 16 / sizeof(TIn);   // elements per 16-byte load of A/B and store of S/T
  constexpr int VOUT = 16 / sizeof(TOut);  // elements per 16-byte access of P and C
  static_assert(kRowAlign % VIN == 0 && kRowAlign % VOUT == 0, "leaf blocks must hold whole packs");
  const long long s_count = g.bm * g.bk, t_count = g.bk * g.bn, p_count = g.bm * g.bn;
  const int tile_a = tile_for(static_cast<size_t>(plan.n) * plan.m, sizeof(TAcc));
  const int tile_b = tile_for(static_cast<size_t>(plan.m) * plan.p, sizeof(TAcc));
  if (tile_a < VIN || tile_b < VIN) throw Error("fmm executor: block grid too large for shared-memory staging");
  auto ka = form_operands_kernel<TIn, TWork, TAcc, VIN>;
  auto kc = form_c_kernel<TOut, TAcc, VOUT>;
  const size_t smem_a = static_cast<size_t>(plan.n) * plan.m * tile_a * sizeof(TAcc);
  const size_t smem_b = static_cast<size_t>(plan.m) * plan.p * tile_b * sizeof(TAcc);
  allow_smem(ka, std::max(smem_a, smem_b));
  const bool a_packed = packed(pr.A, pr.lda, VIN, sizeof(TIn));
  const bool b_packed = packed(pr.B, pr.ldb, VIN, sizeof(TIn));
  const bool c_packed = packed(pr.C, pr.ldc, VOUT, sizeof(TOut));
  PhaseEvents events;

  for (int r0 = 0; r0 < plan.rank; r0 += chunk) {
    const int r1 = std::min(plan.rank, r0 + chunk);
    const int nr = r1 - r0;
    auto* s = static_cast<TWork*>(workspace);
    auto* t = reinterpret_cast<TWork*>(static_cast<char*>(workspace) + align_up(nr * s_count * sizeof(TWork)));
    auto* p = reinterpret_cast<TOut*>(reinterpret_cast<char*>(t) + align_up(nr * t_count * sizeof(TWork)));

    if (times) events.mark(stream);
    ka<<<static_cast<unsigned>(ceil_div(s_count, tile_a)), kThreads, smem_a, stream>>>(
        static_cast<const TIn*>(pr.A), pr.lda, pr.M, pr.K, g.bm, g.bk, plan.m, plan.n * plan.m, a.offs, a.idx,
        a.coef<TAcc>(), r0, r1, s, log2_of(tile_a), a_packed);
    FMM_CUDA_CHECK_LAUNCH();
    ka<<<static_cast<unsigned>(ceil_div(t_count, tile_b)), kThreads, smem_b, stream>>>(
        static_cast<const TIn*>(pr.B), pr.ldb, pr.K, pr.N, g.bk, g.bn, plan.p, plan.m * plan.p, b.offs, b.idx,
        b.coef<TAcc>(), r0, r1, t, log2_of(tile_b), b_packed);
    FMM_CUDA_CHECK_LAUNCH();
    if (times) events.mark(stream);

    if (looped) {
      for (int r = 0; r < nr; ++r)
        blas_gemm(handle, pr.precision, g.bm, g.bn, g.bk, 1.0, s + r * s_count, g.bm, t + r * t_count, g.bk, 0.0,
                  p + r * p_count, g.bm);
    } else {
      blas_gemm_strided_batched(handle, pr.precision, g.bm, g.bn, g.bk, 1.0, s, g.bm, s_count, t, g.bk, t_count,
                                0.0, p, g.bm, p_count, nr);
    }
    if (times) events.mark(stream);

    const int tile_c = tile_for(static_cast<size_t>(nr), sizeof(TAcc));
    if (tile_c < VOUT) throw Error("fmm executor: chunk too large for shared-memory staging");
    const size_t smem_c = static_cast<size_t>(nr) * tile_c * sizeof(TAcc);
    allow_smem(kc, smem_c);
    kc<<<static_cast<unsigned>(ceil_div(p_count, tile_c)), kThreads, smem_c, stream>>>(
        p, g.bm, g.bn, pr.M, pr.N, static_cast<TOut*>(pr.C), pr.ldc, plan.p, plan.n * plan.p, c.offs, c.idx,
        c.coef<TAcc>(), r0, r1, static_cast<TAcc>(pr.alpha), static_cast<TAcc>(pr.beta), r0 == 0, log2_of(tile_c),
        c_packed);
    FMM_CUDA_CHECK_LAUNCH();
  }
  if (times) {
    events.mark(stream);
    FMM_CUDA_CHECK(cudaStreamSynchronize(stream));
    *times = {};
    for (size_t i = 0; i + 3 < events.ev.size(); i += 3) {
      float f = 0, m = 0, cmb = 0;
      FMM_CUDA_CHECK(cudaEventElapsedTime(&f, events.ev[i], events.ev[i + 1]));
      FMM_CUDA_CHECK(cudaEventElapsedTime(&m, events.ev[i + 1], events.ev[i + 2]));
      FMM_CUDA_CHECK(cudaEventElapsedTime(&cmb, events.ev[i + 2], events.ev[i + 3]));
      times->form_ms += f;
      times->gemm_ms += m;
      times->combine_ms += cmb;
      ++times->chunks;
    }
  }
}

}  // namespace

void FmmExecutor::run(const GemmProblem& pr, void* workspace, size_t bytes, cublasHandle_t handle,
                      cudaStream_t stream, PhaseTimes* times) const {
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
  const bool looped = leaf_ == LeafMode::Looped;
  switch (pr.precision) {
    case Precision::F32:
    case Precision::TF32:
      run_typed<float, float, float, float>(plan_, d.a, d.b, d.c, g, chunk, pr, workspace, handle, stream, times, looped);
      break;
    case Precision::F64:
      run_typed<double, double, double, double>(plan_, d.a, d.b, d.c, g, chunk, pr, workspace, handle, stream, times, looped);
      break;
    case Precision::BF16:
      run_typed<__nv_bfloat16, __nv_bfloat16, float, float>(plan_, d.a, d.b, d.c, g, chunk, pr, workspace, handle,
                                                            stream, times, looped);
      break;
  }
}

}  // namespace fmm::gpu
