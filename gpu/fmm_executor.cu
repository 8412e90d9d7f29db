#include "gpu/fmm_executor.hpp"

#include <cuda_bf16.h>

#include <algorithm>
#include <cstdint>
#include <vector>


#include "gpu/blas.hpp"
#include "gpu/cuda_check.hpp"
#include "gpu/device_buffer.hpp"
#include "gpu/fmm_schedule.hpp"
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

// Left or right operands of one chunk: out_rr = sum_e coef[e] * staged block slot[e], for the
// chunk's products rr = 0 .. nr-1, operand rr at out + rr * out_stride (br x bc, contiguous,
// leading dimension br). X is rows x cols (ld), cut into a block grid of `grid_cols` columns
// with br x bc blocks; `staged` lists the blocks the chunk reads. One thread block covers `tile`
// consecutive positions (row-fastest) of every staged block: it stages them in shared memory
// (one coalesced read of X, in packs of V elements where X is aligned), then writes every
// product's tile in packs (coalesced 16-byte stores).
template <typename TIn, typename TWork, typename TAcc, int V>
__global__ void __launch_bounds__(kThreads) form_operands_kernel(
    const TIn* __restrict__ x, long long ld, long long rows, long long cols, long long br, long long bc,
    int grid_cols, const int* __restrict__ staged, int nstaged, const int* __restrict__ offs,
    const int* __restrict__ slot, const TAcc* __restrict__ coef, int nr, TWork* __restrict__ out,
    long long out_stride, int tile_log2, bool x_packed) {
  extern __shared__ __align__(16) unsigned char smem_raw[];
  TAcc* sh = reinterpret_cast<TAcc*>(smem_raw);
  const int vtile_log2 = tile_log2 - __ffs(V) + 1;  // packs per tile, log2
  const int vtile = 1 << vtile_log2;
  const long long count = br * bc;
  const long long pos0 = static_cast<long long>(blockIdx.x) << tile_log2;
  const long long row0 = pos0 % br, col0 = pos0 / br;
  for (int w = threadIdx.x; w < nstaged * vtile; w += blockDim.x) {
    const int sb = w >> vtile_log2;
    const int b = staged[sb];
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
    smem_store(sh + (sb << tile_log2) + o, vals);
  }
  __syncthreads();
  for (int w = threadIdx.x; w < nr * vtile; w += blockDim.x) {
    const int rr = w >> vtile_log2;
    const int o = (w & (vtile - 1)) * V;
    const long long pos = pos0 + o;
    if (pos >= count) continue;  // count is a multiple of V, so a pack is all in or all out
    TAcc acc[V];
#pragma unroll
    for (int k = 0; k < V; ++k) acc[k] = 0;
    for (int e = offs[rr]; e < offs[rr + 1]; ++e) {
      const TAcc cf = coef[e];
      TAcc src[V];
      smem_load(sh + (slot[e] << tile_log2) + o, src);
#pragma unroll
      for (int k = 0; k < V; ++k) acc[k] += cf * src[k];
    }
    Pack<TWork, V> pk;
#pragma unroll
    for (int k = 0; k < V; ++k) pk.v[k] = store_cast<TWork>(acc[k]);
    *reinterpret_cast<Pack<TWork, V>*>(out + static_cast<long long>(rr) * out_stride + pos) = pk;
  }
}

// The C blocks one chunk feeds: for each listed block cb, C_cb = alpha sum_e coef[e] P_lp[e]
// (+ beta C_cb, reading C only when beta != 0) where the chunk writes the block first, and
// C_cb += alpha sum ... where an earlier chunk wrote it. Product rr of the chunk is at p0 for
// rr == 0 and at p1 + (rr - 1) * p_stride after that (the looped layout puts P_rr over the
// operands of product rr - 1; the batched one passes p1 = p0 + p_stride).
template <typename TOut, typename TAcc, int V>
__global__ void __launch_bounds__(kThreads) form_c_kernel(
    const TOut* __restrict__ p0, const TOut* __restrict__ p1, long long p_stride, long long bm, long long bn,
    long long M, long long N, TOut* __restrict__ c, long long ldc, int grid_cols, const int* __restrict__ cblocks,
    const int* __restrict__ cfirst, int ncb, const int* __restrict__ offs, const int* __restrict__ lp,
    const TAcc* __restrict__ coef, int nr, TAcc alpha, TAcc beta, int tile_log2, bool c_packed) {
  extern __shared__ __align__(16) unsigned char smem_raw[];
  TAcc* sh = reinterpret_cast<TAcc*>(smem_raw);
  const int vtile_log2 = tile_log2 - __ffs(V) + 1;
  const int vtile = 1 << vtile_log2;
  const long long count = bm * bn;
  const long long pos0 = static_cast<long long>(blockIdx.x) << tile_log2;
  const long long row0 = pos0 % bm, col0 = pos0 / bm;
  for (int w = threadIdx.x; w < nr * vtile; w += blockDim.x) {
    const int rr = w >> vtile_log2;
    const int o = (w & (vtile - 1)) * V;
    const TOut* prod = rr == 0 ? p0 : p1 + static_cast<long long>(rr - 1) * p_stride;
    Pack<TOut, V> pk;
    if (pos0 + o < count) {
      pk = *reinterpret_cast<const Pack<TOut, V>*>(prod + pos0 + o);
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
  for (int w = threadIdx.x; w < ncb * vtile; w += blockDim.x) {
    const int local = w >> vtile_log2;
    const int o = (w & (vtile - 1)) * V;
    if (pos0 + o >= count) continue;
    const int cb = cblocks[local];
    const bool first = cfirst[local] != 0;
    TAcc acc[V];
#pragma unroll
    for (int k = 0; k < V; ++k) acc[k] = 0;
    for (int e = offs[local]; e < offs[local + 1]; ++e) {
      const TAcc cf = coef[e];
      TAcc src[V];
      smem_load(sh + (lp[e] << tile_log2) + o, src);
#pragma unroll
      for (int k = 0; k < V; ++k) acc[k] += cf * src[k];
    }
    long long row, col;
    advance(row0, col0, bm, o, row, col);
    const long long gr = (cb / grid_cols) * bm + row;
    const long long gc = (cb % grid_cols) * bn + col;
    if (gc >= N || gr >= M) continue;
    TOut* dst = c + gr + gc * ldc;
    const bool read_c = !first || beta != TAcc(0);
    const TAcc scale = first ? beta : TAcc(1);
    if (c_packed && gr + V <= M) {
      Pack<TOut, V> pk;
      if (read_c) pk = *reinterpret_cast<const Pack<TOut, V>*>(dst);
#pragma unroll
      for (int k = 0; k < V; ++k) {
        TAcc v = alpha * acc[k];
        if (read_c) v += scale * static_cast<TAcc>(pk.v[k]);
        pk.v[k] = static_cast<TOut>(v);
      }
      *reinterpret_cast<Pack<TOut, V>*>(dst) = pk;
    } else {
#pragma unroll
      for (int k = 0; k < V; ++k) {
        if (gr + k >= M) break;
        TAcc v = alpha * acc[k];
        if (read_c) v += scale * static_cast<TAcc>(dst[k]);
        dst[k] = static_cast<TOut>(v);
      }
    }
  }
}

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

size_t work_bytes(Precision p) { return input_bytes(p); }  // S, T stored like the inputs
size_t acc_bytes(Precision p) { return p == Precision::F64 ? 8 : 4; }

}  // namespace

size_t default_workspace_limit(Precision p, long long M, long long N, long long K, double fraction) {
  if (M <= 0 || N <= 0 || K <= 0) return 0;
  const double bytes = (double(M) * double(K) + double(K) * double(N)) * double(input_bytes(p)) +
                       double(M) * double(N) * double(output_bytes(p));
  return static_cast<size_t>(bytes * fraction);
}

// One chunking: its host tables (gpu/fmm_schedule.hpp) and their copy on the device.
struct FmmExecutor::Schedule {
  ScheduleTables host;
  DeviceBuffer storage;
  const int* ints = nullptr;
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

// Pipelined: a non-blocking stream for the operand and C passes, and events between the streams:
// start (caller's work before us), form done (per region), GEMMs done (per region), all done.
struct FmmExecutor::SideStream {
  cudaStream_t stream = nullptr;
  cudaEvent_t start = nullptr, done = nullptr;
  cudaEvent_t formed[2] = {nullptr, nullptr}, multiplied[2] = {nullptr, nullptr};
  SideStream() {
    FMM_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    for (cudaEvent_t* e : {&start, &done, &formed[0], &formed[1], &multiplied[0], &multiplied[1]})
      FMM_CUDA_CHECK(cudaEventCreateWithFlags(e, cudaEventDisableTiming));
  }
  ~SideStream() {
    for (cudaEvent_t e : {start, done, formed[0], formed[1], multiplied[0], multiplied[1]})
      if (e) cudaEventDestroy(e);
    if (stream) cudaStreamDestroy(stream);
  }
  SideStream(const SideStream&) = delete;
  SideStream& operator=(const SideStream&) = delete;
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
WorkspaceLayout layout_of(const FmmExecutor::Geometry& g, Precision p, FmmExecutor::LeafMode leaf) {
  return workspace_layout(g.bm, g.bk, g.bn, work_bytes(p), output_bytes(p), leaf != FmmExecutor::LeafMode::Batched);
}
// Pipelined runs keep two chunks in flight: two regions, each laid out like a looped chunk.
int regions_of(FmmExecutor::LeafMode leaf) { return leaf == FmmExecutor::LeafMode::Pipelined ? 2 : 1; }
}  // namespace

size_t FmmExecutor::chunk_bytes(Precision p, long long M, long long N, long long K, int capacity) const {
  return static_cast<size_t>(regions_of(leaf_)) * align_up(layout_of(geometry(M, N, K), p, leaf_).bytes(capacity));
}

// The combine stages one tile of every product of a chunk in shared memory; keep 32 positions possible.
int FmmExecutor::smem_capacity(Precision p) const {
  return static_cast<int>(std::min<size_t>(static_cast<size_t>(plan_.rank), smem_budget() / (32 * acc_bytes(p))));
}

int FmmExecutor::chunk_capacity(Precision p, long long M, long long N, long long K, size_t bytes) const {
  const size_t region = bytes / static_cast<size_t>(regions_of(leaf_)) / kAlign * kAlign;
  const long long fits = layout_of(geometry(M, N, K), p, leaf_).capacity_for(region);
  return static_cast<int>(std::min<long long>(fits, smem_capacity(p)));
}

size_t FmmExecutor::workspace_size(Precision p, long long M, long long N, long long K, size_t limit) const {
  const int c = chunk_capacity(p, M, N, K, limit);
  return c == 0 ? 0 : chunk_bytes(p, M, N, K, c);
}

int FmmExecutor::chunk_count(Precision p, long long M, long long N, long long K, size_t bytes) const {
  const int c = chunk_capacity(p, M, N, K, bytes);
  return c == 0 ? 0 : static_cast<int>(ceil_div(plan_.rank, c));
}

const FmmExecutor::Schedule& FmmExecutor::schedule_for(int capacity, const Geometry& g, Precision p) const {
  const WorkspaceLayout l = layout_of(g, p, leaf_);
  const auto key = std::make_tuple(capacity, static_cast<long long>(l.s), static_cast<long long>(l.t),
                                   static_cast<long long>(l.p));
  if (auto it = schedules_.find(key); it != schedules_.end()) return *it->second;
  if (schedules_.size() >= 64) schedules_.clear();  // a long sweep of shapes: keep the tables few
  auto s = std::make_shared<Schedule>();
  s->host = build_schedule_tables(plan_, capacity,
                                  {static_cast<double>(l.s), static_cast<double>(l.t), static_cast<double>(l.p)});
  const auto& ints = s->host.ints;
  const auto& coefs = s->host.coefs;
  // One allocation: ints, then floats, then doubles.
  const size_t int_bytes = align_up(ints.size() * sizeof(int));
  const size_t f_bytes = align_up(coefs.size() * sizeof(float));
  s->storage = DeviceBuffer(int_bytes + f_bytes + coefs.size() * sizeof(double) + kAlign);
  char* base = s->storage.as<char>();
  std::vector<float> coef_f(coefs.begin(), coefs.end());
  FMM_CUDA_CHECK(cudaMemcpy(base, ints.data(), ints.size() * sizeof(int), cudaMemcpyHostToDevice));
  FMM_CUDA_CHECK(cudaMemcpy(base + int_bytes, coef_f.data(), coef_f.size() * sizeof(float), cudaMemcpyHostToDevice));
  FMM_CUDA_CHECK(cudaMemcpy(base + int_bytes + f_bytes, coefs.data(), coefs.size() * sizeof(double),
                            cudaMemcpyHostToDevice));
  s->ints = reinterpret_cast<const int*>(base);
  s->coef_f = reinterpret_cast<const float*>(base + int_bytes);
  s->coef_d = reinterpret_cast<const double*>(base + int_bytes + f_bytes);
  schedules_[key] = s;
  return *s;
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
void run_typed(const FmmPlan& plan, const FmmExecutor::Schedule& sched, const FmmExecutor::Geometry& g,
               const WorkspaceLayout& lay, const GemmProblem& pr, void* workspace, cublasHandle_t handle, cudaStream_t stream,
               FmmExecutor::PhaseTimes* times, bool looped, const FmmExecutor::SideStream* side) {
  constexpr int VIN = 16 / sizeof(TIn);   // elements per 16-byte load of A/B and store of S/T
  constexpr int VOUT = 16 / sizeof(TOut);  // elements per 16-byte access of P and C
  static_assert(kRowAlign % VIN == 0 && kRowAlign % VOUT == 0, "leaf blocks must hold whole packs");
  const long long s_count = g.bm * g.bk, t_count = g.bk * g.bn, p_count = g.bm * g.bn;
  const int tile_a = tile_for(static_cast<size_t>(sched.host.max_staged_a), sizeof(TAcc));
  const int tile_b = tile_for(static_cast<size_t>(sched.host.max_staged_b), sizeof(TAcc));
  if (tile_a < VIN || tile_b < VIN) throw Error("fmm executor: block grid too large for shared-memory staging");
  const int tile_c = tile_for(static_cast<size_t>(sched.host.capacity), sizeof(TAcc));
  if (tile_c < VOUT) throw Error("fmm executor: chunk too large for shared-memory staging");
  auto ka = form_operands_kernel<TIn, TWork, TAcc, VIN>;
  auto kc = form_c_kernel<TOut, TAcc, VOUT>;
  const size_t smem_a = static_cast<size_t>(sched.host.max_staged_a) * tile_a * sizeof(TAcc);
  const size_t smem_b = static_cast<size_t>(sched.host.max_staged_b) * tile_b * sizeof(TAcc);
  const size_t smem_c = static_cast<size_t>(sched.host.capacity) * tile_c * sizeof(TAcc);
  allow_smem(ka, std::max(smem_a, smem_b));
  allow_smem(kc, smem_c);
  const bool a_packed = packed(pr.A, pr.lda, VIN, sizeof(TIn));
  const bool b_packed = packed(pr.B, pr.ldb, VIN, sizeof(TIn));
  const bool c_packed = packed(pr.C, pr.ldc, VOUT, sizeof(TOut));
  const int* ints = sched.ints;
  const TAcc* coef = sched.coef<TAcc>();
  char* ws = static_cast<char*>(workspace);
  PhaseEvents events;

  // Where a chunk's operands and products live (gpu/fmm_schedule.hpp): S_rr and T_rr at fixed
  // strides, P_0 at p0 and P_rr at p1 + (rr - 1) * p_stride, all within one region.
  const int cap = sched.host.capacity;
  const size_t region_bytes = align_up(lay.bytes(cap));
  const long long s_stride = cap > 1 ? static_cast<long long>((lay.s_offset(cap, 1) - lay.s_offset(cap, 0)) / sizeof(TWork)) : s_count;
  const long long t_stride = cap > 1 ? static_cast<long long>((lay.t_offset(cap, 1) - lay.t_offset(cap, 0)) / sizeof(TWork)) : t_count;
  const long long p_stride = cap > 2 ? static_cast<long long>((lay.p_offset(cap, 2) - lay.p_offset(cap, 1)) / sizeof(TOut)) : p_count;
  struct Region {
    TWork* s;
    TWork* t;
    TOut* p0;
    TOut* p1;  // address only; used when cap > 1
  };
  auto region = [&](int r) {
    char* base = ws + static_cast<size_t>(r) * region_bytes;
    return Region{reinterpret_cast<TWork*>(base + lay.s_offset(cap, 0)), reinterpret_cast<TWork*>(base + lay.t_offset(cap, 0)),
                  reinterpret_cast<TOut*>(base + lay.p_offset(cap, 0)), reinterpret_cast<TOut*>(base + lay.p_offset(cap, 1))};
  };

  auto form = [&](size_t k, const Region& rg, cudaStream_t st) {
    const ScheduleTables::ChunkTables& ct = sched.host.tables[k];
    ka<<<static_cast<unsigned>(ceil_div(s_count, tile_a)), kThreads, smem_a, st>>>(
        static_cast<const TIn*>(pr.A), pr.lda, pr.M, pr.K, g.bm, g.bk, plan.m, ints + ct.a.list, ct.a.nlist,
        ints + ct.a.offs, ints + ct.a.idx, coef + ct.a.coef, ct.products, rg.s, s_stride, log2_of(tile_a), a_packed);
    FMM_CUDA_CHECK_LAUNCH();
    ka<<<static_cast<unsigned>(ceil_div(t_count, tile_b)), kThreads, smem_b, st>>>(
        static_cast<const TIn*>(pr.B), pr.ldb, pr.K, pr.N, g.bk, g.bn, plan.p, ints + ct.b.list, ct.b.nlist,
        ints + ct.b.offs, ints + ct.b.idx, coef + ct.b.coef, ct.products, rg.t, t_stride, log2_of(tile_b), b_packed);
    FMM_CUDA_CHECK_LAUNCH();
  };
  // The leaf products, on the handle's stream (the caller's).
  auto multiply = [&](size_t k, const Region& rg) {
    const int nr = sched.host.tables[k].products;
    if (looped) {
      for (int r = 0; r < nr; ++r)
        blas_gemm(handle, pr.precision, g.bm, g.bn, g.bk, 1.0, rg.s + r * s_stride, g.bm, rg.t + r * t_stride, g.bk,
                  0.0, r == 0 ? rg.p0 : rg.p1 + static_cast<long long>(r - 1) * p_stride, g.bm);
    } else {
      blas_gemm_strided_batched(handle, pr.precision, g.bm, g.bn, g.bk, 1.0, rg.s, g.bm, s_stride, rg.t, g.bk,
                                t_stride, 0.0, rg.p0, g.bm, p_count, nr);
    }
  };
  auto combine = [&](size_t k, const Region& rg, cudaStream_t st) {
    const ScheduleTables::ChunkTables& ct = sched.host.tables[k];
    kc<<<static_cast<unsigned>(ceil_div(p_count, tile_c)), kThreads, smem_c, st>>>(
        rg.p0, rg.p1, p_stride, g.bm, g.bn, pr.M, pr.N, static_cast<TOut*>(pr.C), pr.ldc, plan.p, ints + ct.c.list,
        ints + ct.c.first, ct.c.nlist, ints + ct.c.offs, ints + ct.c.idx, coef + ct.c.coef, ct.products,
        static_cast<TAcc>(pr.alpha), static_cast<TAcc>(pr.beta), log2_of(tile_c), c_packed);
    FMM_CUDA_CHECK_LAUNCH();
  };
  const size_t nchunks = sched.host.chunks.size();

  if (side != nullptr && nchunks > 1) {
    // Pipelined (no phase times: the phases overlap). Side stream: form(0), form(1), C(0),
    // form(2), C(1), ...; the caller's stream: GEMMs(0), GEMMs(1), ... Chunk k uses region k % 2.
    // form(k) overwrites region k % 2 after C(k-2) on the same stream, which waited for GEMMs(k-2);
    // GEMMs(k) wait for form(k), so also for C(k-2) that read the P of that region before.
    FMM_CUDA_CHECK(cudaEventRecord(side->start, stream));
    FMM_CUDA_CHECK(cudaStreamWaitEvent(side->stream, side->start, 0));
    for (size_t k = 0; k < nchunks; ++k) {
      const Region rg = region(static_cast<int>(k % 2));
      form(k, rg, side->stream);
      FMM_CUDA_CHECK(cudaEventRecord(side->formed[k % 2], side->stream));
      if (k > 0) {
        FMM_CUDA_CHECK(cudaStreamWaitEvent(side->stream, side->multiplied[(k - 1) % 2], 0));
        combine(k - 1, region(static_cast<int>((k - 1) % 2)), side->stream);
      }
      FMM_CUDA_CHECK(cudaStreamWaitEvent(stream, side->formed[k % 2], 0));
      multiply(k, rg);
      FMM_CUDA_CHECK(cudaEventRecord(side->multiplied[k % 2], stream));
    }
    FMM_CUDA_CHECK(cudaStreamWaitEvent(side->stream, side->multiplied[(nchunks - 1) % 2], 0));
    combine(nchunks - 1, region(static_cast<int>((nchunks - 1) % 2)), side->stream);
    FMM_CUDA_CHECK(cudaEventRecord(side->done, side->stream));
    FMM_CUDA_CHECK(cudaStreamWaitEvent(stream, side->done, 0));
    return;
  }
  const Region rg = region(0);
  for (size_t k = 0; k < nchunks; ++k) {
    if (times) events.mark(stream);
    form(k, rg, stream);
    if (times) events.mark(stream);
    multiply(k, rg);
    if (times) events.mark(stream);
    combine(k, rg, stream);
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
  const int capacity = chunk_capacity(pr.precision, pr.M, pr.N, pr.K, bytes);
  if (capacity == 0)
    throw Error("fmm executor (" + plan_.name + "): workspace of " + std::to_string(bytes) +
                " bytes is smaller than one product needs (" +
                std::to_string(min_workspace_size(pr.precision, pr.M, pr.N, pr.K)) + ")");
  if (reinterpret_cast<uintptr_t>(workspace) % kAlign != 0)
    throw Error("fmm executor: the workspace must be aligned to " + std::to_string(kAlign) + " bytes");
  FMM_CUBLAS_CHECK(cublasSetStream(handle, stream));
  const Geometry g = geometry(pr.M, pr.N, pr.K);
  const Schedule& sched = schedule_for(capacity, g, pr.precision);
  const WorkspaceLayout lay = layout_of(g, pr.precision, leaf_);
  const bool looped = leaf_ != LeafMode::Batched;
  const SideStream* side = nullptr;
  if (leaf_ == LeafMode::Pipelined) {
    if (!side_) side_ = std::make_unique<SideStream>();
    side = side_.get();
  }
  switch (pr.precision) {
    case Precision::F32:
    case Precision::TF32:
      run_typed<float, float, float, float>(plan_, sched, g, lay, pr, workspace, handle, stream, times, looped, side);
      break;
    case Precision::F64:
      run_typed<double, double, double, double>(plan_, sched, g, lay, pr, workspace, handle, stream, times, looped,
                                                side);
      break;
    case Precision::BF16:
      run_typed<__nv_bfloat16, __nv_bfloat16, float, float>(plan_, sched, g, lay, pr, workspace, handle, stream, times,
                                                            looped, side);
      break;
  }
}

}  // namespace fmm::gpu
