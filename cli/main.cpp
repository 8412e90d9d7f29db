// `fmm`: a thin command-line layer over the fmm libraries.
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "cli/options.hpp"  // kExitStatusHelp, run_command
#include "tensor/text.hpp"     // printable

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
    {"meta", fmm::cli::cmd_meta, "moves between formats: extend, project, block sum, best start"},
    {"campaign", fmm::cli::cmd_campaign, "resumable search over many formats; the frontier report"},
    {"transform", fmm::cli::cmd_transform, "symmetries, change of basis, simplification"},
    {"lift", fmm::cli::cmd_lift, "lift a GF(2) scheme to Z (or Q) of the same rank"},
    {"codegen", fmm::cli::cmd_codegen, "emit CUDA GEMM code and a C++ twin from verified schemes"},
    {"bench", fmm::cli::cmd_bench, "time generated kernels against cuBLAS (runs fmm-bench; CUDA builds)"},
    {"train", fmm::cli::cmd_train, "train the tensor game's policy/value network (CPU threads)"},
};

void usage(std::ostream& out) {
  out << "fmm - discover fast matrix multiplication schemes and turn them into GPU code\n\n"
         "usage: fmm <command> [options]   (fmm <command> --help for its options)\n"
         "       fmm --version\n\ncommands:\n";
  for (const auto& c : kCommands) {
    std::string name = c.name;
    out << "  " << name << std::string(12 - name.size(), ' ') << c.summary << '\n';
  }
  out << "\nA scheme argument is a file (.txt native, .json fmm's or the FastMatrixMultiplication\n"
         "collection's, .exp, .npz; FILE.npz:n,m,p for one key of an archive) or a builtin name: strassen,\n"
         "winograd, laderman, lowadd333 (<3,3,3;23> with the fewest additions), standard:NxMxP\n"
         "(1 <= N, M, P <= 16), random:NxMxP:K:SEED (a GF(2) random start: K random dense terms plus\n"
         "the rest of the tensor). Every scheme read is verified exactly; the check's work is bounded (about\n"
         "10 s of CPU), and a scheme too dense to check within it is refused, never passed.\n"
         "\nfmm --version prints the version and git revision.\n\n"
      << fmm::cli::kExitStatusHelp << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << fmm::cli::version_line() << '\n';
    return 0;
  }
  for (const auto& c : kCommands)
    if (!std::strcmp(argv[1], c.name)) return fmm::cli::run_command(std::string("fmm ") + c.name, c.run, argc - 1, argv + 1);
  std::cerr << "fmm: unknown command '" << fmm::printable(argv[1]) << "'\n\n";
  usage(std::cerr);
  return 2;
}
