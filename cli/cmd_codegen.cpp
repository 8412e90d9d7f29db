// placeholder, being written
#include <iostream>
#include "cli/commands.hpp"
namespace fmm::cli {
int cmd_codegen(int, char**) { std::cerr << "fmm codegen: not built yet\n"; return 2; }
}  // namespace fmm::cli
