// The C entry points of the GPU walk plugin (libfmm_gpu_walk.so: gpu/walk/bank_walk_kernel.cu, the
// plain walk, and gpu/walk/orbit_bank_kernel.cu, the symmetric one; gpu_walk_plugin.hpp loads it).
// fmm loads it with dlopen only for `fmm search --backend gpu`, so fmm itself never links the
// CUDA runtime (cli/CMakeLists.txt: every other command starts without it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "search/flip/bank_walk_ternary.hpp"

namespace fmm::search {

inline constexpr const char* kGpuWalkPlugin = "libfmm_gpu_walk.so";
// Raised whenever bank::View, bank::Params, orbit_bank::View (with orbit_bank::WalkParams and the
// constants of orbit_bank.hpp) or a signature below changes (3: View::domain, the {-1,0,1} walk;
// 4: the symmetric walk's entries; 5: orbit_bank::WalkParams::give_up_*).
inline constexpr int kGpuWalkAbi = 5;

namespace orbit_bank {
struct View;  // search/symmetric/orbit_bank.hpp
}

extern "C" {
// kGpuWalkAbi of the plugin's build.
using GpuWalkAbiFn = int (*)();
// Picks CUDA device 0; writes its name (or, on failure, the reason) into `text`. 0 = ready.
using GpuWalkOpenFn = int (*)(char* text, std::size_t length);
// Walkers of `capacity` terms of domain `domain` (a bank::Domain) the GPU holds at once (one warp
// each): a bank of that many runs in one wave. 0 when unknown or too large for the domain's walk.
using GpuWalkResidentFn = int (*)(int capacity, int domain);
// One epoch of the host bank `view` on the GPU (copied there and back), walked over view->domain:
// up to `flips` flips per walker, stopping after `seconds` (<= 0: no limit). 0 = done; otherwise
// `error` says why (a capacity past bank::max_capacity(domain) among the reasons).
using GpuWalkEpochFn = int (*)(const bank::View* view, const bank::Params* params, std::uint64_t flips,
                               double seconds, char* error, std::size_t length);
// The symmetric walk (Moosbauer-Poole): walkers of a bank of group order `order` (3 or 6) and
// `slots` slots a lane the GPU holds at once (one warp each); 0 when unknown or not instantiated.
using GpuOrbitWalkResidentFn = int (*)(int order, int slots);
// One epoch of the host orbit bank `view` on the GPU (copied there and back; the device buffers
// are kept for the next epoch): every walker walks up to `moves` moves (orbit_bank::walk_walker:
// fewer at its move limit or the target), all stop after `seconds` (<= 0: no limit). 0 = done;
// otherwise `error` says why.
using GpuOrbitWalkEpochFn = int (*)(const orbit_bank::View* view, std::uint64_t moves, double seconds, char* error,
                                    std::size_t length);
}

struct GpuWalkPlugin {
  GpuWalkEpochFn epoch = nullptr;
  GpuWalkResidentFn resident = nullptr;
  GpuOrbitWalkEpochFn orbit_epoch = nullptr;
  GpuOrbitWalkResidentFn orbit_resident = nullptr;
  std::string device;
};

}  // namespace fmm::search
