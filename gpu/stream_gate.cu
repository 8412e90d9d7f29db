#include "gpu/stream_gate.hpp"

#include "gpu/cuda_check.hpp"

namespace fmm::gpu {

namespace {

__device__ unsigned long long global_ns() {
  unsigned long long t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}

// One thread waits until the host has opened generation `gen`, or the timeout passes.
__global__ void spin_until_open(volatile unsigned* flag, unsigned gen, unsigned long long timeout_ns) {
  const unsigned long long start = global_ns();
  while (static_cast<int>(flag[0] - gen) < 0) {  // wrap-safe "flag[0] < gen"
    if (global_ns() - start > timeout_ns) {
      atomicAdd(const_cast<unsigned*>(flag + 1), 1u);
      return;
    }
    __nanosleep(1000);
  }
}

}  // namespace

StreamGate::StreamGate(double timeout_ms) : timeout_ns_(static_cast<unsigned long long>(timeout_ms * 1e6)) {
  void* p = nullptr;
  FMM_CUDA_CHECK(cudaHostAlloc(&p, 2 * sizeof(unsigned), cudaHostAllocMapped));
  host_flag_ = static_cast<volatile unsigned*>(p);
  host_flag_[0] = 0;
  host_flag_[1] = 0;
  void* d = nullptr;
  FMM_CUDA_CHECK(cudaHostGetDevicePointer(&d, p, 0));
  device_flag_ = static_cast<unsigned*>(d);
}

StreamGate::~StreamGate() {
  if (host_flag_) {
    host_flag_[0] = generation_;  // nothing may wait on a freed flag
    cudaDeviceSynchronize();
    cudaFreeHost(const_cast<unsigned*>(host_flag_));
  }
}

void StreamGate::close(cudaStream_t stream) {
  ++generation_;
  spin_until_open<<<1, 1, 0, stream>>>(device_flag_, generation_, timeout_ns_);
  FMM_CUDA_CHECK(cudaGetLastError());
}

void StreamGate::open() {
  __atomic_store_n(const_cast<unsigned*>(host_flag_), generation_, __ATOMIC_RELEASE);
}

bool StreamGate::timed_out() const { return host_flag_[1] != 0; }

}  // namespace fmm::gpu
