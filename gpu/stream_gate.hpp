// Holds a stream until the host has enqueued a whole timed sample, NVBench's "blocking kernel"
// (nvbench/blocking_kernel.cuh, read for the idea): one thread spins on a host-mapped flag, the
// sample's launches queue up behind it, and opening the gate lets the GPU run them back to back.
// The events around the sample then time the GPU's work, not how fast the host can launch: a
// ~5 us kernel launched in a loop runs at the host's launch rate, which jitters by tens of
// percent (H200 sweep, 2026-12-02: cuBLAS TF32 256^3 against itself, samples from 7.5 to 14 us).
// The spin gives up after `timeout_ms` (a sample too long for the launch queue, or a host that
// stalls), so a forgotten open() never hangs the device; timed_out() reports it.
#pragma once

#include <cuda_runtime.h>

namespace fmm::gpu {

class StreamGate {
 public:
  explicit StreamGate(double timeout_ms = 200);
  ~StreamGate();
  StreamGate(const StreamGate&) = delete;
  StreamGate& operator=(const StreamGate&) = delete;

  void close(cudaStream_t stream);  // enqueue the spin: later work on `stream` waits for open()
  void open();                      // release the last close()
  // Whether any closed gate so far gave up waiting (read after the stream was synchronized).
  bool timed_out() const;

 private:
  volatile unsigned* host_flag_ = nullptr;  // [0] the generation opened, [1] timeouts seen
  unsigned* device_flag_ = nullptr;
  unsigned generation_ = 0;
  unsigned long long timeout_ns_;
};

}  // namespace fmm::gpu
