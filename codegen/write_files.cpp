#include <filesystem>
#include <fstream>
#include <sstream>

#include "codegen/generate.hpp"
#include "tensor/error.hpp"
#include "tensor/io/safe_write.hpp"

namespace fmm::codegen {

namespace fs = std::filesystem;

void write_files(const GeneratedFiles& files, const std::string& directory) {
  check_writable_directory(directory);
  for (const auto& file : files) {
    const fs::path path = fs::path(directory) / file.name;
    std::error_code ec;
    if (fs::is_regular_file(fs::symlink_status(path, ec))) {  // never read through a link
      std::ifstream existing(path, std::ios::binary);
      std::ostringstream current;
      current << existing.rdbuf();
      if (existing && current.str() == file.content) continue;  // unchanged: keep its timestamp
    }
    write_file_atomically(path.string(), file.content);  // refuses links, devices, directories
  }
}

}  // namespace fmm::codegen
