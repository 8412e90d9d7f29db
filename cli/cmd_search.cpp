// placeholder, being written
#include <iostream>
#include "cli/commands.hpp"
namespace fmm::cli {
int cmd_search(int, char**) { std::cerr << "fmm search: not built yet\n"; return 2; }
}  // namespace fmm::cli
