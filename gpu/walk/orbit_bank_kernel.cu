// The symmetric flip walk (Moosbauer, Poole, arXiv 2502.04514) on the GPU: one warp per walker of
// an orbit bank (search/symmetric/orbit_bank.hpp), running the same walker code as the host
// emulation (orbit_bank::walk_walker over orbit_bank_walk.hpp's moves) with the walker's orbits in
// registers: orbit o in lane o % 32, slot o / 32, G values each. Part of the GPU walk plugin
// libfmm_gpu_walk.so beside the plain walk (bank_walk_kernel.cu); fmm loads it with dlopen for
// `fmm search --symmetric --backend gpu` (search/symmetric/orbit_bank.cpp), entry points as
// search/flip/gpu_walk_abi.hpp declares them.
//
// An epoch copies the bank's View to the device, walks, and copies back what the walk changes.
// The device buffers are kept between epochs (grown when a larger bank comes), one set per
// process, epochs taking turns under a mutex, as the plain walk's are.
#include <cuda_runtime.h>

#include <cstdio>
#include <mutex>

#include "search/flip/gpu_walk_abi.hpp"
#include "search/symmetric/orbit_bank.hpp"

namespace {

namespace ob = fmm::search::orbit_bank;

constexpr unsigned kFullWarp = 0xFFFFFFFFu;

// A board's fixed terms on the GPU: in the bank's memory (the walker's cur_fixed entries, stride
// walkers), not in registers: 32 terms of 3 words would take 192 registers a lane, and they change
// only when an orbit collapses (a rare move) or a board is copied. Every lane keeps the count and
// reads the terms; lane 0 writes them, then __syncwarp() orders the writes before the next reads
// (and a __syncwarp() before a write lets every lane finish reading first). The interface of
// orbit_bank_walk.hpp's FixedTerms.
struct DeviceFixedTerms {
  static_assert(ob::kMaxFixed <= 32, "a copy moves one fixed term a lane");
  std::uint64_t* base = nullptr;
  std::int64_t stride = 1;
  int lane = 0;
  int count = 0;
  bool overflow = false;

  __device__ __forceinline__ std::uint64_t& at(int i, int k) const { return base[(i * 3 + k) * stride]; }
  // Two equal terms cancel over GF(2) (FixedTerms::add, the same order of terms).
  __device__ __forceinline__ void add(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    int found = -1;
    for (int i = 0; i < count && found < 0; ++i)
      if (at(i, 0) == a && at(i, 1) == b && at(i, 2) == c) found = i;
    __syncwarp();
    if (found >= 0) {
      --count;
      if (lane == 0)
        for (int k = 0; k < 3; ++k) at(found, k) = at(count, k);
      __syncwarp();
      return;
    }
    if (count == ob::kMaxFixed) {
      overflow = true;
      return;
    }
    if (lane == 0) at(count, 0) = a, at(count, 1) = b, at(count, 2) = c;
    __syncwarp();
    ++count;
  }
  // The n terms at `from` (stride `from_stride`) become the board's: copied into the walker's
  // entries unless they are those (lane i copies term i).
  __device__ __forceinline__ void load(const std::uint64_t* from, std::int64_t from_stride, int n) {
    count = n;
    overflow = false;
    if (from == base) return;
    __syncwarp();
    if (lane < n)
      for (int k = 0; k < 3; ++k) at(lane, k) = from[(lane * 3 + k) * from_stride];
    __syncwarp();
  }
  __device__ __forceinline__ void store(std::uint64_t* to, std::int64_t to_stride) const {
    if (to == base) return;
    if (lane < count)
      for (int k = 0; k < 3; ++k) to[(lane * 3 + k) * to_stride] = at(lane, k);
    __syncwarp();
  }
};

// A walker's orbits in the registers of one warp: the interface of orbit_bank_walk.hpp's OrbitWarp.
// Lane l holds orbits l, 32 + l, ... (slot q: orbit 32 q + l), G 64-bit values each; slot and
// position indices that are not compile-time constants are resolved by unrolled selects (as
// bank_walk_kernel.cu's DeviceWarp does), so the values stay in registers. get() is a shuffle
// from the owning lane, vote() a ballot. The board's work list sits in the lanes as well: entry i
// in lane i % 32, register wk0 (i < 32) or wk1, so that remove_orbit's fix-up of every entry is one
// step per lane. Two named registers, not an array: the compiler turned the select of an array of
// two back into an indexed store, which put the whole walker in local memory (ptxas: a stack
// frame the size of the BankWalker).
template <int G, int S>
struct DeviceOrbitWarp {
  static_assert(ob::kMaxWork <= 64, "the work list takes two registers a lane");
  using Fixed = DeviceFixedTerms;
  std::uint64_t f[S][G];
  int wk0, wk1;
  int lane;

  // Position k of slot x: the chain k == 0 ? x[0] : ... : x[G-1].
  __device__ __forceinline__ static std::uint64_t value(const std::uint64_t (&x)[G], int k) {
    std::uint64_t v = x[G - 1];
#pragma unroll
    for (int y = G - 2; y >= 0; --y) v = k == y ? x[y] : v;
    return v;
  }
  __device__ __forceinline__ std::uint64_t mine(int q, int k) const {
    std::uint64_t v = 0;
#pragma unroll
    for (int x = 0; x < S; ++x)
      if (x == q) v = value(f[x], k);
    return v;
  }
  __device__ __forceinline__ std::uint64_t get(int o, int k) const {
    return __shfl_sync(kFullWarp, mine(o >> 5, k), o & 31);
  }
  __device__ __forceinline__ void set(int o, int k, std::uint64_t v) {
    if ((o & 31) != lane) return;
    const int q = o >> 5;
#pragma unroll
    for (int x = 0; x < S; ++x)
      if (x == q) {
#pragma unroll
        for (int y = 0; y < G; ++y)
          if (k == y) f[x][y] = v;
      }
  }
  // pred(values of orbit 32 q + lane, that orbit) of every lane, as a mask.
  template <class Pred>
  __device__ __forceinline__ unsigned vote(int q, Pred pred) const {
    std::uint64_t x[G];
#pragma unroll
    for (int y = 0; y < G; ++y) x[y] = f[0][y];
#pragma unroll
    for (int s = 1; s < S; ++s)
      if (s == q) {
#pragma unroll
        for (int y = 0; y < G; ++y) x[y] = f[s][y];
      }
    const std::uint64_t* px = x;
    return __ballot_sync(kFullWarp, pred(px, 32 * q + lane));
  }
  // Lane 0's x in every lane (the epoch clock: the lanes of a warp stop together).
  __device__ __forceinline__ static std::uint64_t uniform(std::uint64_t x) { return __shfl_sync(kFullWarp, x, 0); }

  __device__ __forceinline__ int work(int i) const { return __shfl_sync(kFullWarp, i < 32 ? wk0 : wk1, i & 31); }
  __device__ __forceinline__ void set_work(int i, int e) {
    if ((i & 31) != lane) return;
    if (i < 32) wk0 = e;
    else wk1 = e;
  }
  // OrbitWarp::retarget_work, each lane on its own entries (entry lane, entry 32 + lane).
  __device__ __forceinline__ static int retarget(int e, int o, int last) {
    return e < 0 ? e : (e >> 3) == o ? -1 : (e >> 3) == last ? 8 * o + (e & 7) : e;
  }
  __device__ __forceinline__ void retarget_work(int n, int o, int last) {
    if (lane < n) wk0 = retarget(wk0, o, last);
    if (32 + lane < n) wk1 = retarget(wk1, o, last);
  }
  // Each lane loads and stores its own slots (value k of orbit o at [(o * G + k) * stride]).
  __device__ __forceinline__ void load(const std::uint64_t* from, std::int64_t stride, int norb) {
#pragma unroll
    for (int q = 0; q < S; ++q) {
      const int o = 32 * q + lane;
#pragma unroll
      for (int y = 0; y < G; ++y) f[q][y] = o < norb ? from[(o * G + y) * stride] : 0;
    }
  }
  __device__ __forceinline__ void store(std::uint64_t* to, std::int64_t stride, int norb) const {
#pragma unroll
    for (int q = 0; q < S; ++q) {
      const int o = 32 * q + lane;
      if (o < norb)
#pragma unroll
        for (int y = 0; y < G; ++y) to[(o * G + y) * stride] = f[q][y];
    }
  }
};

// One warp per walker: walk_walker with the walker's current board in the warp's registers, its
// fixed terms in the bank, its start and best in the bank (read and written on a new run and a
// new best only). The view is a __grid_constant__ parameter: the walker keeps a pointer to it
// without a copy in local memory.
template <int G, int S>
__global__ void orbit_walk_kernel(const __grid_constant__ ob::View v, std::uint64_t moves, std::uint64_t stop_at_ns) {
  const int w = static_cast<int>((blockIdx.x * blockDim.x + threadIdx.x) >> 5);
  if (w >= v.walkers) return;  // whole warps leave together
  const int lane = static_cast<int>(threadIdx.x & 31);
  ob::BankWalker<G, S, DeviceOrbitWarp<G, S>> x;
  x.lead = lane == 0;
  x.cur.w.lane = lane;
  x.cur.fixed.base = v.cur_fixed + w;
  x.cur.fixed.stride = v.walkers;
  x.cur.fixed.lane = lane;
  ob::walk_walker<G, S, DeviceOrbitWarp<G, S>>(v, w, x, moves, stop_at_ns);
}

// The epoch's end on the device clock, set once before the walk kernel so that walkers of a
// later wave stop with those of the first (as bank_walk_kernel.cu's).
__global__ void orbit_stop_time_kernel(std::uint64_t* at, std::uint64_t duration_ns) {
  *at = duration_ns ? fmm::search::bank::clock_ns() + duration_ns : 0;
}

// Calls f(device field, host array, entries, copied back) for every array of a view, always in
// this order (the device layout follows it). Read-only ones (the start, the move limits) are
// not copied back.
template <class F>
void for_each_array(ob::View& d, const ob::View& h, F&& f) {
  const std::size_t W = static_cast<std::size_t>(h.walkers);
  const std::size_t orbit_words = static_cast<std::size_t>(32 * h.slots * h.order), fixed_words = 3 * ob::kMaxFixed;
  f(d.cur, h.cur, orbit_words * W, true);
  f(d.best, h.best, orbit_words * W, true);
  f(d.cur_fixed, h.cur_fixed, fixed_words * W, true);
  f(d.best_fixed, h.best_fixed, fixed_words * W, true);
  f(d.start, h.start, orbit_words, false);
  f(d.start_fixed, h.start_fixed, fixed_words, false);
  f(d.rng, h.rng, W, true);
  f(d.moves, h.moves, W, true);
  f(d.since_best, h.since_best, W, true);
  f(d.since_reduction, h.since_reduction, W, true);
  f(d.plus, h.plus, W, true);
  f(d.runs, h.runs, W, true);
  f(d.dry_steps, h.dry_steps, W, true);
  f(d.run_start, h.run_start, W, true);
  f(d.move_limit, h.move_limit, W, false);
  f(d.run_bests, h.run_bests, ob::kRunBestSpan * W, true);
  f(d.finished_moves, h.finished_moves, ob::kFinishedRing * W, true);
  f(d.cur_norb, h.cur_norb, W, true);
  f(d.cur_nfixed, h.cur_nfixed, W, true);
  f(d.best_norb, h.best_norb, W, true);
  f(d.best_nfixed, h.best_nfixed, W, true);
  f(d.start_norb, h.start_norb, 1, false);
  f(d.start_nfixed, h.start_nfixed, 1, false);
  f(d.best_rank, h.best_rank, W, true);
  f(d.last_rank, h.last_rank, W, true);
  f(d.dry, h.dry, W, true);
  f(d.finished_best, h.finished_best, ob::kFinishedRing * W, true);
  f(d.improved, h.improved, W, true);
  f(d.target_hit, h.target_hit, W, true);
  f(d.overflow, h.overflow, W, true);
}

constexpr std::size_t aligned(std::size_t x) { return (x + 255) / 256 * 256; }

struct DeviceOrbitBank {
  void* memory = nullptr;
  std::size_t bytes = 0;
};
DeviceOrbitBank g_orbit_bank;
std::mutex g_orbit_mutex;

bool failed(cudaError_t e, const char* what, char* error, std::size_t length) {
  if (e == cudaSuccess) return false;
  std::snprintf(error, length, "%s: %s", what, cudaGetErrorString(e));
  return true;
}

constexpr int kBlock = 128;  // four walkers a block, as the plain walk's kernel

}  // namespace

extern "C" __attribute__((visibility("default"))) int fmm_gpu_orbit_walk_resident(int order, int slots) {
  int device = 0, sms = 0, blocks = 0;
  if (cudaGetDevice(&device) != cudaSuccess ||
      cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess)
    return 0;
  ob::with_order_slots(order, slots, [&]<int G, int S>() {
    if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, orbit_walk_kernel<G, S>, kBlock, 0) != cudaSuccess)
      blocks = 0;
  });
  return blocks * (kBlock / 32) * sms;
}

extern "C" __attribute__((visibility("default"))) int fmm_gpu_orbit_walk_epoch(const ob::View* host, std::uint64_t moves,
                                                                               double seconds, char* error,
                                                                               std::size_t length) {
  const std::lock_guard<std::mutex> lock(g_orbit_mutex);
  ob::View d = *host;
  std::size_t total = 0;
  for_each_array(d, *host, [&]<class T>(T*&, T*, std::size_t count, bool) { total += aligned(count * sizeof(T)); });
  const std::size_t stop_offset = total;
  total += aligned(8);
  if (g_orbit_bank.bytes < total) {
    if (g_orbit_bank.memory) cudaFree(g_orbit_bank.memory);
    g_orbit_bank = DeviceOrbitBank{};
    if (failed(cudaMalloc(&g_orbit_bank.memory, total), "cudaMalloc of the orbit bank", error, length)) return 1;
    g_orbit_bank.bytes = total;
  }
  char* base = static_cast<char*>(g_orbit_bank.memory);
  std::size_t offset = 0;
  bool ok = true;
  for_each_array(d, *host, [&]<class T>(T*& dp, T* hp, std::size_t count, bool) {
    dp = reinterpret_cast<T*>(base + offset);
    offset += aligned(count * sizeof(T));
    if (ok && failed(cudaMemcpy(dp, hp, count * sizeof(T), cudaMemcpyHostToDevice), "copy of the orbit bank to the GPU",
                     error, length))
      ok = false;
  });
  if (!ok) return 1;
  auto* stop = reinterpret_cast<std::uint64_t*>(base + stop_offset);
  const std::uint64_t duration_ns = seconds > 0 ? static_cast<std::uint64_t>(seconds * 1e9) : 0;
  orbit_stop_time_kernel<<<1, 1>>>(stop, duration_ns);
  std::uint64_t stop_at = 0;
  if (failed(cudaMemcpy(&stop_at, stop, 8, cudaMemcpyDeviceToHost), "epoch clock", error, length)) return 1;
  const int grid = static_cast<int>((32 * static_cast<std::size_t>(host->walkers) + kBlock - 1) / kBlock);
  const bool launched = ob::with_order_slots(host->order, host->slots, [&]<int G, int S>() {
    orbit_walk_kernel<G, S><<<grid, kBlock>>>(d, moves, stop_at);
  });
  if (!launched) {
    std::snprintf(error, length, "no symmetric walk kernel of order %d with %d slots a lane", host->order, host->slots);
    return 1;
  }
  if (failed(cudaGetLastError(), "symmetric walk kernel launch", error, length)) return 1;
  if (failed(cudaDeviceSynchronize(), "symmetric walk kernel", error, length)) return 1;
  // Back in the same order: each host array from its place in the device block.
  std::size_t at = 0;
  for_each_array(d, *host, [&]<class T>(T*&, T* hp, std::size_t count, bool copy_back) {
    const std::size_t bytes = count * sizeof(T);
    if (copy_back && ok &&
        failed(cudaMemcpy(hp, base + at, bytes, cudaMemcpyDeviceToHost), "copy of the orbit bank from the GPU", error,
               length))
      ok = false;
    at += aligned(bytes);
  });
  return ok ? 0 : 1;
}
