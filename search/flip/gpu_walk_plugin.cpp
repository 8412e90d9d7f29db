#include "search/flip/gpu_walk_plugin.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace fmm::search {

namespace {

std::filesystem::path own_folder() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : exe.parent_path();
}

}  // namespace

GpuWalkPlugin load_gpu_walk_plugin(const std::string& who) {
  std::vector<std::string> candidates;
  if (const char* path = std::getenv("FMM_GPU_WALK_PLUGIN"); path && *path) candidates.push_back(path);
  const auto here = own_folder();
  if (!here.empty()) {
    candidates.push_back((here / kGpuWalkPlugin).string());
    candidates.push_back((here.parent_path() / "lib" / kGpuWalkPlugin).string());
  }
  candidates.push_back(kGpuWalkPlugin);
  std::string tried;
  void* handle = nullptr;
  for (const auto& c : candidates) {
    handle = ::dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) break;
    const char* why = ::dlerror();
    tried += "\n  " + c + ": " + (why ? why : "not loaded");
  }
  if (!handle)
    throw Error(who + " needs " + kGpuWalkPlugin +
                               " (built where CUDA was found at configure time); not loaded:" + tried);
  GpuWalkPlugin plugin;
  auto abi = reinterpret_cast<GpuWalkAbiFn>(::dlsym(handle, "fmm_gpu_walk_abi"));
  plugin.epoch = reinterpret_cast<GpuWalkEpochFn>(::dlsym(handle, "fmm_gpu_walk_epoch"));
  plugin.resident = reinterpret_cast<GpuWalkResidentFn>(::dlsym(handle, "fmm_gpu_walk_resident"));
  plugin.orbit_epoch = reinterpret_cast<GpuOrbitWalkEpochFn>(::dlsym(handle, "fmm_gpu_orbit_walk_epoch"));
  plugin.orbit_resident = reinterpret_cast<GpuOrbitWalkResidentFn>(::dlsym(handle, "fmm_gpu_orbit_walk_resident"));
  auto open = reinterpret_cast<GpuWalkOpenFn>(::dlsym(handle, "fmm_gpu_walk_open"));
  if (!abi || !plugin.epoch || !plugin.resident || !plugin.orbit_epoch || !plugin.orbit_resident || !open ||
      abi() != kGpuWalkAbi)
    throw Error(std::string(kGpuWalkPlugin) + " is not a GPU walk plugin of this fmm (ABI " +
                std::to_string(kGpuWalkAbi) + ")");
  char name[256] = {0};
  if (open(name, sizeof name) != 0) throw Error(who + ": " + name);
  plugin.device = name;
  return plugin;
}

}  // namespace fmm::search
