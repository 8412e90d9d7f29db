#include "gpu/sampled_gather.hpp"

#include <cuda_bf16.h>

#include <algorithm>

#include "gpu/cuda_check.hpp"
#include "gpu/device_buffer.hpp"

namespace fmm::gpu {

namespace {

constexpr int kThreads = 256;

template <typename T>
__device__ inline double as_double(T v) { return static_cast<double>(v); }
template <>
__device__ inline double as_double<__nv_bfloat16>(__nv_bfloat16 v) { return static_cast<double>(__bfloat162float(v)); }

// out[i * inner + k] = x[row_index[i] * row_stride + k * inner_stride]: one index list, one
// strided walk, which covers rows of A (inner = K, stride ld), columns of B (inner = K,
// row_stride = ld, inner_stride = 1) and, with a second index list, entries of C.
template <typename T>
__global__ void gather_kernel(const T* x, const long long* outer, long long n_outer, long long outer_stride,
                              const long long* inner, long long n_inner, long long inner_stride, double* out) {
  const long long total = n_outer * n_inner;
  for (long long e = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; e < total;
       e += static_cast<long long>(gridDim.x) * blockDim.x) {
    const long long o = e / n_inner, i = e % n_inner;
    const long long io = inner ? inner[i] : i;
    out[e] = as_double<T>(x[outer[o] * outer_stride + io * inner_stride]);
  }
}

std::vector<double> gather(const void* x, Elem elem, const std::vector<long long>& outer, long long outer_stride,
                           const std::vector<long long>* inner, long long n_inner, long long inner_stride,
                           cudaStream_t stream) {
  const long long total = static_cast<long long>(outer.size()) * n_inner;
  std::vector<double> host(static_cast<size_t>(total));
  if (total == 0) return host;
  DeviceBuffer d_outer(outer.size() * sizeof(long long)), d_inner, d_out(host.size() * sizeof(double));
  FMM_CUDA_CHECK(cudaMemcpyAsync(d_outer.get(), outer.data(), d_outer.bytes(), cudaMemcpyHostToDevice, stream));
  if (inner) {
    d_inner = DeviceBuffer(inner->size() * sizeof(long long));
    FMM_CUDA_CHECK(cudaMemcpyAsync(d_inner.get(), inner->data(), d_inner.bytes(), cudaMemcpyHostToDevice, stream));
  }
  const int grid = static_cast<int>(std::min<long long>((total + kThreads - 1) / kThreads, 4096));
  const auto* o = d_outer.as<const long long>();
  const auto* in = inner ? d_inner.as<const long long>() : nullptr;
  switch (elem) {
    case Elem::F64:
      gather_kernel<<<grid, kThreads, 0, stream>>>(static_cast<const double*>(x), o, static_cast<long long>(outer.size()),
                                                   outer_stride, in, n_inner, inner_stride, d_out.as<double>());
      break;
    case Elem::F32:
      gather_kernel<<<grid, kThreads, 0, stream>>>(static_cast<const float*>(x), o, static_cast<long long>(outer.size()),
                                                   outer_stride, in, n_inner, inner_stride, d_out.as<double>());
      break;
    case Elem::BF16:
      gather_kernel<<<grid, kThreads, 0, stream>>>(static_cast<const __nv_bfloat16*>(x), o,
                                                   static_cast<long long>(outer.size()), outer_stride, in, n_inner,
                                                   inner_stride, d_out.as<double>());
      break;
  }
  FMM_CUDA_CHECK_LAUNCH();
  FMM_CUDA_CHECK(cudaMemcpyAsync(host.data(), d_out.get(), d_out.bytes(), cudaMemcpyDeviceToHost, stream));
  FMM_CUDA_CHECK(cudaStreamSynchronize(stream));  // before the device buffers go
  return host;
}

}  // namespace

std::vector<double> gather_rows_to_host(const void* a, Elem elem, long long lda, long long K,
                                        const std::vector<long long>& rows, cudaStream_t stream) {
  return gather(a, elem, rows, 1, nullptr, K, lda, stream);
}

std::vector<double> gather_cols_to_host(const void* b, Elem elem, long long ldb, long long K,
                                        const std::vector<long long>& cols, cudaStream_t stream) {
  return gather(b, elem, cols, ldb, nullptr, K, 1, stream);
}

std::vector<double> gather_entries_to_host(const void* c, Elem elem, long long ldc, const std::vector<long long>& rows,
                                           const std::vector<long long>& cols, cudaStream_t stream) {
  // Outer index = column, inner = row, so entry (i, j) lands at i + j * rows.size().
  return gather(c, elem, cols, ldc, &rows, static_cast<long long>(rows.size()), 1, stream);
}

}  // namespace fmm::gpu
