// Finding and opening the GPU walk plugin libfmm_gpu_walk.so (gpu_walk_abi.hpp), shared by the
// two GPU backends that use it: the plain walker bank (walker_bank.cpp) and the symmetric one
// (search/symmetric/orbit_bank.cpp).
#pragma once

#include <string>

#include "search/flip/gpu_walk_abi.hpp"
#include "tensor/error.hpp"

namespace fmm::search {

// The plugin's entry points: the first of $FMM_GPU_WALK_PLUGIN, next to the program (the build
// tree, as `fmm bench` finds fmm-bench), its ../lib (an install), then the dynamic loader's own
// search path that loads (again: dlopen hands back the loaded copy). Its ABI must be kGpuWalkAbi;
// it then opens CUDA device 0 (GpuWalkPlugin::device names it). Throws fmm::Error when no file
// loads (saying where it looked), for a wrong plugin, or without a usable GPU (`who`: the option
// in the messages).
GpuWalkPlugin load_gpu_walk_plugin(const std::string& who);

}  // namespace fmm::search
