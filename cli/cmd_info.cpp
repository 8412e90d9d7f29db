// placeholder, being written
#include <iostream>
#include "cli/commands.hpp"
namespace fmm::cli {
int cmd_info(int, char**) { std::cerr << "fmm info: not built yet\n"; return 2; }
}  // namespace fmm::cli
