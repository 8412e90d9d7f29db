// placeholder, being written
#include <iostream>
#include "cli/commands.hpp"
namespace fmm::cli {
int cmd_bench(int, char**) { std::cerr << "fmm bench: not built yet\n"; return 2; }
}  // namespace fmm::cli
