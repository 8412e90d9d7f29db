#include "gpu/matrix_ops.hpp"

#include <cuda_bf16.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "gpu/cuda_check.hpp"

namespace fmm::gpu {

namespace {

constexpr int kThreads = 256;

int grid_for(size_t count) {
  size_t blocks = (count + kThreads - 1) / kThreads;
  return static_cast<int>(std::min<size_t>(std::max<size_t>(blocks, 1), 8192));
}

// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
__device__ inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

template <typename T>
__device__ inline T from_double(double v) { return static_cast<T>(v); }
template <>
__device__ inline __nv_bfloat16 from_double<__nv_bfloat16>(double v) { return __double2bfloat16(v); }
template <typename T>
__device__ inline double to_double(T v) { return static_cast<double>(v); }
template <>
__device__ inline double to_double<__nv_bfloat16>(__nv_bfloat16 v) { return static_cast<double>(__bfloat162float(v)); }

template <typename T>
__global__ void fill_uniform_kernel(T* data, size_t count, uint64_t seed) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < count; i += size_t(gridDim.x) * blockDim.x) {
    uint64_t h = splitmix64(seed * 0x2545F4914F6CDD1Dull + i);
    double u = static_cast<double>(h >> 11) * 0x1.0p-53;  // [0, 1)
    data[i] = from_double<T>(2.0 * u - 1.0);
  }
}

template <typename T>
__global__ void fill_nan_kernel(T* data, size_t count) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < count; i += size_t(gridDim.x) * blockDim.x)
    data[i] = from_double<T>(nan(""));
}

template <typename T>
__global__ void upcast_kernel(const T* src, double* dst, size_t count) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < count; i += size_t(gridDim.x) * blockDim.x)
    dst[i] = to_double<T>(src[i]);
}

struct Partial {
  double diff2, ref2, max_diff, max_ref;
  unsigned long long nonfinite;
};

template <typename T>
__global__ void compare_kernel(const T* c, const double* ref, size_t count, Partial* out) {
  double diff2 = 0, ref2 = 0, max_diff = 0, max_ref = 0;
  unsigned long long bad = 0;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < count; i += size_t(gridDim.x) * blockDim.x) {
    double x = to_double<T>(c[i]);
    double r = ref[i];
    if (!isfinite(x)) {
      ++bad;
      continue;
    }
    double d = fabs(x - r);
    diff2 += d * d;
    ref2 += r * r;
    max_diff = fmax(max_diff, d);
    max_ref = fmax(max_ref, fabs(r));
  }
  __shared__ Partial sh[kThreads];
  sh[threadIdx.x] = {diff2, ref2, max_diff, max_ref, bad};
  __syncthreads();
  for (int s = kThreads / 2; s > 0; s /= 2) {
    if (threadIdx.x < s) {
      Partial& a = sh[threadIdx.x];
      const Partial& b = sh[threadIdx.x + s];
      a.diff2 += b.diff2;
      a.ref2 += b.ref2;
      a.max_diff = fmax(a.max_diff, b.max_diff);
      a.max_ref = fmax(a.max_ref, b.max_ref);
      a.nonfinite += b.nonfinite;
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x] = sh[0];
}

template <template <typename> class Kernel, typename... Args>
void dispatch(Elem elem, Args&&... args) {
  switch (elem) {
    case Elem::F32: Kernel<float>::run(std::forward<Args>(args)...); break;
    case Elem::F64: Kernel<double>::run(std::forward<Args>(args)...); break;
    case Elem::BF16: Kernel<__nv_bfloat16>::run(std::forward<Args>(args)...); break;
  }
}

template <typename T>
struct FillUniform {
  static void run(void* data, size_t count, uint64_t seed, cudaStream_t stream) {
    fill_uniform_kernel<T><<<grid_for(count), kThreads, 0, stream>>>(static_cast<T*>(data), count, seed);
    FMM_CUDA_CHECK_LAUNCH();
  }
};
template <typename T>
struct FillNan {
  static void run(void* data, size_t count, cudaStream_t stream) {
    fill_nan_kernel<T><<<grid_for(count), kThreads, 0, stream>>>(static_cast<T*>(data), count);
    FMM_CUDA_CHECK_LAUNCH();
  }
};
template <typename T>
struct Upcast {
  static void run(const void* src, double* dst, size_t count, cudaStream_t stream) {
    upcast_kernel<T><<<grid_for(count), kThreads, 0, stream>>>(static_cast<const T*>(src), dst, count);
    FMM_CUDA_CHECK_LAUNCH();
  }
};
template <typename T>
struct Compare {
  static void run(const void* c, const double* ref, size_t count, Partial* out, int blocks, cudaStream_t stream) {
    compare_kernel<T><<<blocks, kThreads, 0, stream>>>(static_cast<const T*>(c), ref, count, out);
    FMM_CUDA_CHECK_LAUNCH();
  }
};

}  // namespace

void fill_uniform(void* data, Elem elem, size_t count, uint64_t seed, cudaStream_t stream) {
  dispatch<FillUniform>(elem, data, count, seed, stream);
}

void fill_nan(void* data, Elem elem, size_t count, cudaStream_t stream) { dispatch<FillNan>(elem, data, count, stream); }

void upcast_to_f64(const void* src, Elem elem, double* dst, size_t count, cudaStream_t stream) {
  dispatch<Upcast>(elem, src, dst, count, stream);
}

ErrorStats compare_to_reference(const void* c, Elem elem, const double* ref, size_t count, cudaStream_t stream) {
  const int blocks = 1024;
  Partial* partials = nullptr;
  FMM_CUDA_CHECK(cudaMallocAsync(reinterpret_cast<void**>(&partials), sizeof(Partial) * blocks, stream));
  dispatch<Compare>(elem, c, ref, count, partials, blocks, stream);
  std::vector<Partial> host(blocks);
  FMM_CUDA_CHECK(cudaMemcpyAsync(host.data(), partials, sizeof(Partial) * blocks, cudaMemcpyDeviceToHost, stream));
  FMM_CUDA_CHECK(cudaFreeAsync(partials, stream));
  FMM_CUDA_CHECK(cudaStreamSynchronize(stream));
  Partial total{0, 0, 0, 0, 0};
  for (const Partial& p : host) {
    total.diff2 += p.diff2;
    total.ref2 += p.ref2;
    total.max_diff = std::max(total.max_diff, p.max_diff);
    total.max_ref = std::max(total.max_ref, p.max_ref);
    total.nonfinite += p.nonfinite;
  }
  ErrorStats s;
  s.nonfinite = total.nonfinite;
  s.rel_frobenius = total.ref2 > 0 ? std::sqrt(total.diff2 / total.ref2) : std::sqrt(total.diff2);
  s.rel_max = total.max_ref > 0 ? total.max_diff / total.max_ref : total.max_diff;
  if (!s.finite()) {
    s.rel_frobenius = std::nan("");
    s.rel_max = std::nan("");
  }
  return s;
}

}  // namespace fmm::gpu
