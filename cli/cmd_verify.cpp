// fmm verify FILE|DIR... [--field z|q|gf2]
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

namespace fmm::cli {

namespace {

// A folder stands for every scheme file below it (by extension: .txt .fmm .json .exp .npz),
// in sorted order, so that a whole collection verifies in one command.
std::vector<std::string> expand_folders(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  for (const auto& arg : args) {
    std::error_code ec;
    if (!std::filesystem::is_directory(arg, ec)) {
      files.push_back(arg);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& e : std::filesystem::recursive_directory_iterator(arg, ec))
      if (e.is_regular_file() && format_from_path(e.path().string())) found.push_back(e.path().string());
    if (ec) throw Error(arg + ": cannot list the folder: " + ec.message());
    if (found.empty()) throw Error(arg + ": no scheme files (.txt .fmm .json .exp .npz) in this folder");
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace

int cmd_verify(int argc, char** argv) {
  po::options_description opts("fmm verify options");
  std::string field_name;
  opts.add_options()("field", po::value(&field_name)->default_value(""),
                     "check over this field (z, q or gf2); default: the field the file states, or for files "
                     "that state none (.exp, .npz) Q and, failing that, GF2");
  po::options_description hidden;
  hidden.add_options()("files", po::value<std::vector<std::string>>(), "scheme files");
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm verify FILE|DIR... [--field z|q|gf2]\n\n"
                     "Checks every scheme exactly; a folder stands for the scheme files below it.",
                     opts, pos, vm, &hidden))
    return 0;
  if (!vm.count("files")) throw Error("no files given (see --help)");
  std::optional<Field> field;
  if (!field_name.empty()) {
    field = parse_field(field_name);
    if (!field) throw Error("unknown field '" + field_name + "' (expected z, q or gf2)");
  }
  int failures = 0, malformed = 0;
  const std::vector<std::string> files = expand_folders(vm["files"].as<std::vector<std::string>>());
  for (const auto& file : files) {
    try {
      if (is_builtin_name(file) && !std::filesystem::exists(file)) {
        Scheme s = read_one_scheme(file, field);
        std::cout << file << ": builtin " << s.shape().str() << " rank " << s.rank() << " valid over "
                  << to_string(s.field()) << '\n';
        continue;
      }
      std::vector<std::string> unreadable;
      for (const auto& ls : read_scheme_file(file, field, &unreadable)) {
        const Scheme& s = ls.scheme;
        std::cout << file << (ls.name.empty() ? "" : " [" + ls.name + "]") << ": " << to_string(ls.format) << ' '
                  << s.shape().str() << " rank " << s.rank() << " valid over " << to_string(s.field());
        if (!ls.field_stated && !field) std::cout << " (field not stated in the file; found by verification)";
        std::cout << '\n';
      }
      // AlphaTensor's archives hold most formats as pickled object arrays, which we never
      // unpickle: name each such key, but they do not make the readable schemes fail.
      for (const auto& why : unreadable) std::cerr << "fmm verify: " << file << ": not read: " << why << '\n';
    } catch (const ParseError& e) {
      std::cerr << "fmm verify: " << e.what() << '\n';
      ++malformed;
    } catch (const Error& e) {
      std::cerr << "fmm verify: " << e.what() << '\n';
      ++failures;
    }
  }
  if (files.size() > 1)
    std::cout << files.size() << " files: " << files.size() - failures - malformed << " valid, " << failures
              << " not valid, " << malformed << " malformed\n";
  if (malformed) return 2;
  return failures ? 1 : 0;
}

}  // namespace fmm::cli
