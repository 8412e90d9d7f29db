// Links fmm::gpu from an installed fmm (CUDA builds only) and calls a host-side function.
#include <iostream>

#include "gpu/bench.hpp"

int main() {
  const std::string slug = fmm::gpu::gpu_slug("NVIDIA H200");
  std::cout << "fmm::gpu linked; results folder for an H200: " << slug << '\n';
  return slug == "h200" ? 0 : 1;
}
