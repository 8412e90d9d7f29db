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
                     "check over this field (z, q or gf2); default: the field the file states; for files that "
                     "state none (.exp, .npz) Q (Z for integer coefficients), or GF2 when the file name says mod "
                     "2 (a word mod2, f2, gf2 or z2, as in 444-47-mod2.exp or factorizations_f2.npz)");
  po::options_description hidden;
  hidden.add_options()("files", po::value<std::vector<std::string>>(), "scheme files");
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm verify FILE|DIR... [--field z|q|gf2]\n\n"
                     "Checks each scheme exactly against the Brent equations and says over which field, and why\n"
                     "that field. FILE is a scheme file (.txt native, .json fmm's or the FastMatrixMultiplication\n"
                     "collection's, .exp, .npz; FILE.npz:n,m,p for one key of an archive) or a builtin name\n"
                     "(strassen, winograd, laderman, lowadd333, standard:NxMxP, random:NxMxP:K:SEED); a folder\n"
                     "DIR stands for the scheme files below it. Formats <n,m,p> have 1 <= n, m, p <= 16. The\n"
                     "check's work is bounded (about 10 s): a scheme whose terms are too dense for it is reported\n"
                     "as not checked (exit 2), never as valid. Exit 0 only if every scheme of every file verifies;\n"
                     "an .npz key that cannot be read (pickled object arrays) counts as bad input.",
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
    const std::string shown = printable(file);
    try {
      if (is_builtin_name(file) && !std::filesystem::exists(file)) {
        const LoadedScheme ls = read_one_loaded(file, field);
        std::cout << shown << ": builtin " << ls.scheme.shape().str() << " rank " << ls.scheme.rank()
                  << " valid over " << to_string(ls.scheme.field()) << '\n';
        continue;
      }
      std::vector<std::string> unreadable;
      for (const auto& ls : read_scheme_file(file, field, &unreadable)) {
        const Scheme& s = ls.scheme;
        std::cout << shown << (ls.name.empty() ? "" : " [" + printable(ls.name) + "]") << ": " << to_string(ls.format)
                  << ' ' << s.shape().str() << " rank " << s.rank() << " valid over " << to_string(s.field()) << " ("
                  << ls.field_basis << ")\n";
      }
      // AlphaTensor's archives hold most formats as pickled object arrays, which we never
      // unpickle: each such key is named, and the file does not count as verified.
      for (const auto& why : unreadable) std::cerr << "fmm verify: " << shown << ": not read: " << printable(why) << '\n';
      if (!unreadable.empty()) {
        std::cerr << "fmm verify: " << shown << ": not verified: " << unreadable.size() << " of its keys could not be "
                  << "read (verify one key with FILE.npz:n,m,p)\n";
        ++malformed;
      }
    } catch (const VerificationError& e) {
      std::cerr << "fmm verify: " << e.what() << '\n';
      ++failures;
    } catch (const Error& e) {  // malformed input, a bad builtin name, a scheme too large to check
      std::cerr << "fmm verify: " << e.what() << '\n';
      ++malformed;
    }
  }
  if (files.size() > 1)
    std::cout << files.size() << " files: " << files.size() - failures - malformed << " valid, " << failures
              << " not valid, " << malformed << " malformed\n";
  if (malformed) return 2;
  return failures ? 1 : 0;
}

}  // namespace fmm::cli
