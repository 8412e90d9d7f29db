// `fmm bench`: runs the GPU benchmark program fmm-bench that sits next to fmm, with the same
// arguments. The GPU code (CUDA runtime, cuBLAS: some 200 MB mapped at start) lives only in
// fmm-bench, so every other fmm command starts without loading it (issue #14, item 20).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include <unistd.h>

#include "cli/commands.hpp"

namespace fmm::cli {

namespace {

// The folder of the running executable (Linux: /proc/self/exe), else that of argv[0].
std::filesystem::path own_folder(const char* argv0) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) return exe.parent_path();
  return std::filesystem::absolute(argv0, ec).parent_path();
}

}  // namespace

int cmd_bench(int argc, char** argv) {
  const std::filesystem::path bench = own_folder(argv[0]) / "fmm-bench";
  std::error_code ec;
  if (!std::filesystem::exists(bench, ec)) {
    std::cerr << "fmm bench: " << bench.string()
              << " not found: the GPU benchmark is built only where CUDA was found at configure time\n";
    return 2;
  }
  std::vector<char*> args;
  std::string program = bench.string();
  args.push_back(program.data());
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  ::execv(program.c_str(), args.data());
  std::cerr << "fmm bench: cannot run " << program << ": " << std::strerror(errno) << '\n';
  return 2;
}

}  // namespace fmm::cli
