#include "gpu/device_info.hpp"

#include <cstdlib>

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "fmm/revision.hpp"  // generated at build time (cmake/FmmRevision.cmake)
#include "gpu/cuda_check.hpp"

namespace fmm::gpu {

int cuda_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no device" error
    return 0;
  }
  return count;
}

namespace {

std::string version_string(int v) {  // 13000 -> "13.0", 130001 -> "13.0.1" (cuBLAS: major*10000+minor*100+patch)
  std::ostringstream s;
  if (v >= 100000) {
    s << v / 10000 << "." << (v / 100) % 100 << "." << v % 100;
  } else {
    s << v / 1000 << "." << (v % 1000) / 10;
  }
  return s.str();
}

std::string first_line_of_command(const char* cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd, "r"), pclose);
  if (!pipe) return "";
  std::array<char, 512> buf{};
  std::string out;
  if (fgets(buf.data(), static_cast<int>(buf.size()), pipe.get())) out = buf.data();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string proc_driver_version() {
  // "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build ..."
  // (the wording varies between driver flavours): the first word shaped like N.N[.N].
  std::ifstream in("/proc/driver/nvidia/version");
  std::string line;
  if (!std::getline(in, line)) return "";
  std::istringstream words(line);
  std::string w;
  while (words >> w) {
    const bool digits_and_dots = w.find_first_not_of("0123456789.") == std::string::npos;
    if (digits_and_dots && w.find('.') != std::string::npos && std::isdigit(static_cast<unsigned char>(w[0])))
      return w;
  }
  return "";
}

}  // namespace

std::string read_clocks_now() {
  std::string s = first_line_of_command(
      "nvidia-smi --query-gpu=clocks.sm,clocks.mem,clocks.max.sm,power.draw,temperature.gpu "
      "--format=csv,noheader 2>/dev/null");
  return s.empty() ? "n/a" : "sm,mem,max_sm,power,temp = " + s;
}

DeviceInfo query_device_info(const std::string& command) {
  DeviceInfo info;
  int dev = 0;
  FMM_CUDA_CHECK(cudaGetDevice(&dev));
  cudaDeviceProp prop{};
  FMM_CUDA_CHECK(cudaGetDeviceProperties(&prop, dev));
  info.gpu_name = prop.name;
  info.cc_major = prop.major;
  info.cc_minor = prop.minor;
  info.sm_count = prop.multiProcessorCount;
  info.l2_bytes = static_cast<size_t>(prop.l2CacheSize);
  info.global_mem_bytes = prop.totalGlobalMem;
  info.mem_bus_bits = prop.memoryBusWidth;
  int khz = 0;
  FMM_CUDA_CHECK(cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, dev));
  info.max_sm_clock_mhz = khz / 1000.0;
  FMM_CUDA_CHECK(cudaDeviceGetAttribute(&khz, cudaDevAttrMemoryClockRate, dev));
  info.max_mem_clock_mhz = khz / 1000.0;
  int v = 0;
  FMM_CUDA_CHECK(cudaRuntimeGetVersion(&v));
  info.cuda_runtime_version = version_string(v);
  FMM_CUDA_CHECK(cudaDriverGetVersion(&v));
  info.driver_version = proc_driver_version();
  info.driver_version += (info.driver_version.empty() ? "" : " ") + std::string("(CUDA ") + version_string(v) + ")";
  int major = 0, minor = 0, patch = 0;
  FMM_CUBLAS_CHECK(cublasGetProperty(MAJOR_VERSION, &major));
  FMM_CUBLAS_CHECK(cublasGetProperty(MINOR_VERSION, &minor));
  FMM_CUBLAS_CHECK(cublasGetProperty(PATCH_LEVEL, &patch));
  info.cublas_version = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  info.clocks_now = read_clocks_now();
  info.git_revision = FMM_GIT_REVISION;
  // The build-time revision does not name uncommitted changes a binary carried to the device
  // was built from (device_bench.sh --prebuilt): the caller's word wins.
  if (const char* rev = std::getenv("FMM_GIT_REVISION"); rev && *rev) info.git_revision = rev;
  info.command = command;
  return info;
}

double DeviceInfo::classical_peak_flops(Precision p) const {
  // Dense flops per SM per clock (2 per FMA). Hopper (9.0) and Ampere (8.0) data-centre parts.
  double per_sm = 0;
  if (cc_major == 9 && cc_minor == 0) {
    switch (p) {
      case Precision::F32: per_sm = 256; break;    // 128 FP32 lanes
      case Precision::F64: per_sm = 256; break;    // DMMA (FP64 tensor cores), 67 TFLOP/s on SXM
      case Precision::TF32: per_sm = 2048; break;  // dense, no sparsity
      case Precision::BF16: per_sm = 4096; break;
    }
  } else if (cc_major == 8 && cc_minor == 0) {
    switch (p) {
      case Precision::F32: per_sm = 128; break;
      case Precision::F64: per_sm = 128; break;
      case Precision::TF32: per_sm = 1024; break;
      case Precision::BF16: per_sm = 2048; break;
    }
  }
  return per_sm * sm_count * max_sm_clock_mhz * 1e6;
}

std::vector<std::pair<std::string, std::string>> DeviceInfo::fields() const {
  auto mib = [](size_t b) { return std::to_string(b >> 20) + " MiB"; };
  return {
      {"gpu", gpu_name},
      {"compute_capability", std::to_string(cc_major) + "." + std::to_string(cc_minor)},
      {"sm_count", std::to_string(sm_count)},
      {"max_sm_clock_mhz", std::to_string(static_cast<int>(max_sm_clock_mhz))},
      {"max_mem_clock_mhz", std::to_string(static_cast<int>(max_mem_clock_mhz))},
      {"memory", mib(global_mem_bytes)},
      {"l2", mib(l2_bytes)},
      {"driver", driver_version},
      {"cuda_runtime", cuda_runtime_version},
      {"cublas", cublas_version},
      {"clocks_at_start", clocks_now},
      {"git_revision", git_revision},
      {"command", command},
  };
}

}  // namespace fmm::gpu
