// `fmm`: a thin command-line layer over the fmm libraries.
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "tensor/error.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

constexpr Command kCommands[] = {
    {"search", fmm::cli::cmd_search, "discover low-rank schemes (flip graphs, tree search)"},
    {"verify", fmm::cli::cmd_verify, "check scheme files against the Brent equations, exactly"},
    {"info", fmm::cli::cmd_info, "print a scheme's metrics (rank, additions, exponent, stability)"},
    {"convert", fmm::cli::cmd_convert, "convert between native, json and exp formats"},
    {"compose", fmm::cli::cmd_compose, "Kronecker product of two schemes"},
    {"transform", fmm::cli::cmd_transform, "symmetries, change of basis, simplification"},
    {"codegen", fmm::cli::cmd_codegen, "emit CUDA GEMM code and a C++ twin from verified schemes"},
    {"bench", fmm::cli::cmd_bench, "time generated kernels against cuBLAS (GPU builds)"},
    {"train", fmm::cli::cmd_train, "train the tensor game's policy/value network (CPU threads)"},
};

void usage(std::ostream& out) {
  out << "fmm - discover fast matrix multiplication schemes and turn them into GPU code\n\n"
         "usage: fmm <command> [options]   (fmm <command> --help for its options)\n\ncommands:\n";
  for (const auto& c : kCommands) {
    std::string name = c.name;
    out << "  " << name << std::string(12 - name.size(), ' ') << c.summary << '\n';
  }
  out << "\nA scheme argument is a file (.txt native, .json, .exp, .npz) or a builtin name:\n"
         "strassen, winograd, laderman, standard:NxMxP.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << "fmm " FMM_VERSION " (" FMM_GIT_REVISION ")\n";
    return 0;
  }
  for (const auto& c : kCommands) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const fmm::ParseError& e) {
      std::cerr << "fmm " << c.name << ": " << e.what() << '\n';
      return 2;
    } catch (const fmm::Error& e) {
      std::cerr << "fmm " << c.name << ": " << e.what() << '\n';
      return 2;
    } catch (const std::bad_alloc&) {
      std::cerr << "fmm " << c.name << ": out of memory\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "fmm " << c.name << ": " << e.what() << '\n';
      return 2;
    }
  }
  std::cerr << "fmm: unknown command '" << argv[1] << "'\n\n";
  usage(std::cerr);
  return 2;
}
