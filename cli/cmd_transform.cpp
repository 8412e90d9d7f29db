// placeholder, being written
#include <iostream>
#include "cli/commands.hpp"
namespace fmm::cli {
int cmd_transform(int, char**) { std::cerr << "fmm transform: not built yet\n"; return 2; }
}  // namespace fmm::cli
