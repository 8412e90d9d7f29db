// placeholder, being written
#include <iostream>
#include "cli/commands.hpp"
namespace fmm::cli {
int cmd_convert(int, char**) { std::cerr << "fmm convert: not built yet\n"; return 2; }
}  // namespace fmm::cli
