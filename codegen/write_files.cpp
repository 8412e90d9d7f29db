#include <filesystem>
#include <fstream>
#include <sstream>

#include "codegen/generate.hpp"
#include "tensor/error.hpp"

namespace fmm::codegen {

namespace fs = std::filesystem;

void write_files(const GeneratedFiles& files, const std::string& directory) {
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) throw Error("cannot create directory '" + directory + "': " + ec.message());
  for (const auto& file : files) {
    const fs::path path = fs::path(directory) / file.name;
    {
      std::ifstream existing(path, std::ios::binary);
      if (existing) {
        std::ostringstream current;
        current << existing.rdbuf();
        if (current.str() == file.content) continue;  // unchanged: keep its timestamp
      }
    }
    const fs::path tmp = path.string() + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << file.content;
      out.close();
      if (!out) throw Error("cannot write '" + tmp.string() + "'");
    }
    fs::rename(tmp, path, ec);
    if (ec) throw Error("cannot replace '" + path.string() + "': " + ec.message());
  }
}

}  // namespace fmm::codegen
