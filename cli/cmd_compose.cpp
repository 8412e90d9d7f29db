// placeholder, being written
#include <iostream>
#include "cli/commands.hpp"
namespace fmm::cli {
int cmd_compose(int, char**) { std::cerr << "fmm compose: not built yet\n"; return 2; }
}  // namespace fmm::cli
