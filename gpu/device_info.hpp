// Where a measurement was taken: every report file carries this (STYLE.md, habit 4).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "gpu/precision.hpp"

namespace fmm::gpu {

// Returns the number of CUDA devices, 0 when the runtime finds none or fails to start
// (no driver, no GPU). Tests exit 77 on 0.
int cuda_device_count();

struct DeviceInfo {
  std::string gpu_name;
  int cc_major = 0, cc_minor = 0;
  int sm_count = 0;
  double max_sm_clock_mhz = 0;   // cudaDevAttrClockRate: the peak (boost) clock
  double max_mem_clock_mhz = 0;  // cudaDevAttrMemoryClockRate
  int mem_bus_bits = 0;
  size_t l2_bytes = 0;
  size_t global_mem_bytes = 0;
  std::string driver_version;    // "580.159.04" from /proc, else the CUDA driver API number
  std::string cuda_runtime_version;
  std::string cublas_version;
  std::string clocks_now;        // nvidia-smi's current clocks/power/temperature when available
  std::string git_revision;
  std::string command;

  // Classical (schoolbook) peak in flop/s for the precision on this card, 0 when unknown.
  // From per-SM per-clock rates of the architecture (Hopper: 128 FP32 FMA lanes, 64 FP64
  // DMMA FMA; NVIDIA H100 whitepaper) at the peak clock.
  double classical_peak_flops(Precision p) const;

  // (key, value) pairs in a fixed order, for CSV comments, JSON and markdown.
  std::vector<std::pair<std::string, std::string>> fields() const;
};

// Reads the current device; `command` and the build's git revision are recorded as given.
DeviceInfo query_device_info(const std::string& command);
// nvidia-smi's one-line reading of clocks, power and temperature now ("n/a" without it).
std::string read_clocks_now();

}  // namespace fmm::gpu
