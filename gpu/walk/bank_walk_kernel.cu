// The GPU walk plugin (libfmm_gpu_walk.so): one warp per walker of a WalkerBank, running the same
// walk code as the host emulation (search/flip/bank_walk.hpp over GF(2),
// search/flip/bank_walk_ternary.hpp over {-1,0,1}; the bank's View::domain picks). fmm loads it with dlopen
// for `fmm search --backend gpu` (search/flip/walker_bank.cpp); the entry points are those of
// search/flip/gpu_walk_abi.hpp.
//
// An epoch copies the bank to the device, walks, and copies it back. The device buffers are
// kept between epochs (grown when a larger bank comes), one set per process, so epochs of
// several banks (a campaign's formats on threads) take turns under a mutex.
#include <cuda_runtime.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <utility>

#include "search/flip/bank_walk_ternary.hpp"
#include "search/flip/gpu_walk_abi.hpp"

namespace {

using fmm::search::bank::Params;
using fmm::search::bank::View;

constexpr unsigned kFullWarp = 0xFFFFFFFFu;

// A walker's scheme in the registers of one warp: lane l holds terms l, 32 + l, ... (slot q holds
// term 32 q + l), W words a term (3 over GF(2), 6 over {-1,0,1}). The interface of HostWarp
// (search/flip/bank_walk.hpp); slot and word indices that are not compile-time constants are
// resolved by unrolled selects, so the terms stay in registers.
template <int S, int W = 3>
struct DeviceWarp {
  static constexpr int kWords = W;
  std::uint64_t f[S][W];
  int lane;

  // Word k of slot x: the chain k == 0 ? w[0] : k == 1 ? w[1] : ... : w[W-1] (over GF(2) exactly
  // the selects the kernel had before the {-1,0,1} walk).
  __device__ __forceinline__ static std::uint64_t word(const std::uint64_t (&w)[W], int k) {
    std::uint64_t v = w[W - 1];
#pragma unroll
    for (int y = W - 2; y >= 0; --y) v = k == y ? w[y] : v;
    return v;
  }
  __device__ __forceinline__ std::uint64_t mine(int q, int k) const {
    std::uint64_t v = 0;
#pragma unroll
    for (int x = 0; x < S; ++x)
      if (x == q) v = word(f[x], k);
    return v;
  }
  __device__ __forceinline__ std::uint64_t get(int t, int k) const {
    return __shfl_sync(kFullWarp, mine(t >> 5, k), t & 31);
  }
  __device__ __forceinline__ void set(int t, int k, std::uint64_t v) {
    if ((t & 31) != lane) return;
    const int q = t >> 5;
#pragma unroll
    for (int x = 0; x < S; ++x)
      if (x == q) {
        // if (k == 0) w[0] = v; else if (k == 1) w[1] = v; ... else w[W-1] = v;
        bool done = false;
#pragma unroll
        for (int y = 0; y < W - 1; ++y)
          if (!done && k == y) f[x][y] = v, done = true;
        if (!done) f[x][W - 1] = v;
      }
  }
  template <class Pred>
  __device__ __forceinline__ unsigned vote(int q, Pred pred) const {
    return vote_words(q, pred, std::make_index_sequence<W>{});
  }
  __device__ __forceinline__ void load(fmm::search::bank::TermsOf<W> from, int rank) {
#pragma unroll
    for (int q = 0; q < S; ++q) {
      const int t = 32 * q + lane;
#pragma unroll
      for (int y = 0; y < W; ++y) f[q][y] = 0;
      if (t < rank)
#pragma unroll
        for (int y = 0; y < W; ++y) f[q][y] = from.at(t, y);
    }
  }
  __device__ __forceinline__ void store(fmm::search::bank::TermsOf<W> to, int rank) const {
#pragma unroll
    for (int q = 0; q < S; ++q) {
      const int t = 32 * q + lane;
      if (t < rank)
#pragma unroll
        for (int y = 0; y < W; ++y) to.at(t, y) = f[q][y];
    }
  }

 private:
  // The words of this lane's slot q (selected, not indexed: they stay in registers) to pred.
  template <class Pred, std::size_t... K>
  __device__ __forceinline__ unsigned vote_words(int q, Pred& pred, std::index_sequence<K...>) const {
    std::uint64_t w[W] = {};
#pragma unroll
    for (int x = 0; x < S; ++x)
      if (x == q) {
#pragma unroll
        for (int y = 0; y < W; ++y) w[y] = f[x][y];
      }
    return __ballot_sync(kFullWarp, pred(w[K]..., 32 * q + lane));
  }
};

// One warp per walker: the warp's lanes hold its scheme (DeviceWarp) for the epoch; D is the
// domain's moves (bank::Gf2Moves or bank::TernaryMoves).
template <class D, int S>
__global__ void walk_kernel(View v, std::uint64_t steps, Params p, std::uint64_t stop_at_ns) {
  namespace bank = fmm::search::bank;
  static_assert(S <= D::kMaxSlots, "more slots than the domain's walk is built for");
  const int w = static_cast<int>((blockIdx.x * blockDim.x + threadIdx.x) >> 5);
  if (w >= v.walkers) return;  // whole warps leave together
  DeviceWarp<S, D::kWords> s;
  s.lane = static_cast<int>(threadIdx.x & 31);
  const bank::TermsOf<D::kWords> cur{v.cur + w, v.walkers};
  const int rank0 = v.rank[w];
  s.load(cur, rank0);
  __syncwarp();
  bank::walk<D, S>(v, w, s, steps, p, stop_at_ns, s.lane == 0);
  __syncwarp();
  // Every lane computed the same rank; read it back from lane 0's write.
  const int rank = __shfl_sync(kFullWarp, s.lane == 0 ? v.rank[w] : 0, 0);
  s.store(cur, rank);
}

// The epoch's end on the device clock, set once before the walk kernel so that walkers of a
// later wave stop with those of the first.
__global__ void stop_time_kernel(std::uint64_t* at, std::uint64_t duration_ns) {
  *at = duration_ns ? fmm::search::bank::clock_ns() + duration_ns : 0;
}

struct DeviceBank {
  void* memory = nullptr;
  std::size_t bytes = 0;
};
DeviceBank g_bank;
// One epoch at a time per process: a campaign walks several formats on threads that share the
// GPU (and g_bank).
std::mutex g_mutex;

bool failed(cudaError_t e, const char* what, char* error, std::size_t length) {
  if (e == cudaSuccess) return false;
  std::snprintf(error, length, "%s: %s", what, cudaGetErrorString(e));
  return true;
}

// The byte offsets of a bank's arrays in one device allocation (8-byte aligned each).
struct Layout {
  std::size_t cur, best, rank, best_rank, rng, flips, since, plus, improved, stop, total;
  explicit Layout(const View& v) {
    const std::size_t W = static_cast<std::size_t>(v.walkers);
    const std::size_t terms = static_cast<std::size_t>(v.capacity) * fmm::search::bank::words_per_term(v.domain) * W * 8;
    auto up = [](std::size_t x) { return (x + 7) / 8 * 8; };
    cur = 0;
    best = cur + terms;
    rng = best + terms;
    flips = rng + 8 * W;
    since = flips + 8 * W;
    plus = since + 8 * W;
    rank = plus + 8 * W;
    best_rank = rank + up(4 * W);
    improved = best_rank + up(4 * W);
    stop = improved + up(4 * W);
    total = stop + 8;
  }
};

}  // namespace

extern "C" __attribute__((visibility("default"))) int fmm_gpu_walk_abi() { return fmm::search::kGpuWalkAbi; }

extern "C" __attribute__((visibility("default"))) int fmm_gpu_walk_open(char* text, std::size_t length) {
  int count = 0;
  if (failed(cudaGetDeviceCount(&count), "cudaGetDeviceCount", text, length)) return 1;
  if (count < 1) {
    std::snprintf(text, length, "no CUDA device");
    return 1;
  }
  if (failed(cudaSetDevice(0), "cudaSetDevice", text, length)) return 1;
  cudaDeviceProp prop{};
  if (failed(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties", text, length)) return 1;
  std::snprintf(text, length, "%s (sm_%d%d, %d SMs)", prop.name, prop.major, prop.minor, prop.multiProcessorCount);
  return 0;
}

extern "C" __attribute__((visibility("default"))) int fmm_gpu_walk_resident(int capacity, int domain) {
  namespace bank = fmm::search::bank;
  int device = 0, sms = 0, blocks = 0;
  if (cudaGetDevice(&device) != cudaSuccess ||
      cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess)
    return 0;
  bank::with_domain(static_cast<bank::Domain>(domain), [&]<class D>() {
    bank::with_slots<D>(capacity, [&]<int S>() {
      if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, walk_kernel<D, S>, 128, 0) != cudaSuccess) blocks = 0;
    });
  });
  return blocks * 4 * sms;  // blocks of 128 threads: four walkers
}

extern "C" __attribute__((visibility("default"))) int fmm_gpu_walk_epoch(const View* host, const Params* params,
                                                                         std::uint64_t flips, double seconds,
                                                                         char* error, std::size_t length) {
  const std::lock_guard<std::mutex> lock(g_mutex);
  const Layout L(*host);
  if (g_bank.bytes < L.total) {
    if (g_bank.memory) cudaFree(g_bank.memory);
    g_bank = DeviceBank{};
    if (failed(cudaMalloc(&g_bank.memory, L.total), "cudaMalloc of the walker bank", error, length)) return 1;
    g_bank.bytes = L.total;
  }
  char* base = static_cast<char*>(g_bank.memory);
  View d = *host;
  d.cur = reinterpret_cast<std::uint64_t*>(base + L.cur);
  d.best = reinterpret_cast<std::uint64_t*>(base + L.best);
  d.rng = reinterpret_cast<std::uint64_t*>(base + L.rng);
  d.flips = reinterpret_cast<std::uint64_t*>(base + L.flips);
  d.since_best = reinterpret_cast<std::uint64_t*>(base + L.since);
  d.plus = reinterpret_cast<std::uint64_t*>(base + L.plus);
  d.rank = reinterpret_cast<int*>(base + L.rank);
  d.best_rank = reinterpret_cast<int*>(base + L.best_rank);
  d.improved = reinterpret_cast<std::uint32_t*>(base + L.improved);
  const std::size_t W = static_cast<std::size_t>(host->walkers);
  const std::size_t terms = static_cast<std::size_t>(L.best - L.cur);
  struct Copy {
    void* device;
    void* host;
    std::size_t bytes;
  } copies[] = {{d.cur, host->cur, terms},        {d.best, host->best, terms},       {d.rng, host->rng, 8 * W},
                {d.flips, host->flips, 8 * W},    {d.since_best, host->since_best, 8 * W}, {d.plus, host->plus, 8 * W},
                {d.rank, host->rank, 4 * W},      {d.best_rank, host->best_rank, 4 * W},   {d.improved, host->improved, 4 * W}};
  for (const Copy& c : copies)
    if (failed(cudaMemcpy(c.device, c.host, c.bytes, cudaMemcpyHostToDevice), "copy of the bank to the GPU", error, length))
      return 1;
  const std::uint64_t duration_ns = seconds > 0 ? static_cast<std::uint64_t>(seconds * 1e9) : 0;
  stop_time_kernel<<<1, 1>>>(reinterpret_cast<std::uint64_t*>(base + L.stop), duration_ns);
  std::uint64_t stop_at = 0;
  if (failed(cudaMemcpy(&stop_at, base + L.stop, 8, cudaMemcpyDeviceToHost), "epoch clock", error, length)) return 1;
  const int block = 128;  // four walkers
  const int grid = static_cast<int>((32 * W + block - 1) / block);
  namespace bank = fmm::search::bank;
  bool launched = false;
  bank::with_domain(host->domain, [&]<class D>() {
    launched = bank::with_slots<D>(host->capacity, [&]<int S>() {
      walk_kernel<D, S><<<grid, block>>>(d, flips, *params, stop_at);
    });
  });
  if (!launched) {
    std::snprintf(error, length, "a %s bank of %d terms per walker is more than the walk kernel holds (at most %d)",
                  bank::domain_name(host->domain), host->capacity,
                  bank::max_capacity(host->domain));
    return 1;
  }
  if (failed(cudaGetLastError(), "walk kernel launch", error, length)) return 1;
  if (failed(cudaDeviceSynchronize(), "walk kernel", error, length)) return 1;
  for (const Copy& c : copies)
    if (failed(cudaMemcpy(c.host, c.device, c.bytes, cudaMemcpyDeviceToHost), "copy of the bank from the GPU", error, length))
      return 1;
  return 0;
}
