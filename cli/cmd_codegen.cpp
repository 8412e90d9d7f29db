// fmm codegen SCHEME... [--levels L] [--precision f32|f64] [--layout row|col] --out DIR [--name NAME]
//              [--cpp-only] [--min-block N] [--no-cse] [--cse EFFORT] [--as-given]
// fmm codegen --list
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "codegen/generate.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm::cli {

namespace {

std::string counts(const codegen::AdditionCounts& c) {
  return std::to_string(c.plain) + " -> " + std::to_string(c.cse);
}

// What each builtin would generate at one and two levels.
int list_builtins() {
  std::cout << "builtin schemes and what `fmm codegen NAME --levels L` generates\n"
               "(additions per call: evaluated form by form -> after CSE, cheapest equivalent of each level)\n\n";
  std::cout << std::left << std::setw(16) << "scheme" << std::setw(8) << "levels" << std::setw(14) << "blocks"
            << std::setw(7) << "rank" << std::setw(14) << "A adds" << std::setw(14) << "B adds" << std::setw(14)
            << "C adds" << "total adds\n";
  for (const std::string name : {"standard:2x2x2", "strassen", "winograd", "laderman", "lowadd333"}) {
    const Scheme s = builtin_scheme(name);
    for (int levels : {1, 2}) {
      const auto plan = codegen::make_plan(codegen::repeat_levels(s, levels), codegen::Precision::F32,
                                           codegen::Layout::RowMajor, "listing");
      std::cout << std::setw(16) << name << std::setw(8) << levels << std::setw(14)
                << (std::to_string(plan.blocks_m()) + "x" + std::to_string(plan.blocks_k()) + "x" +
                    std::to_string(plan.blocks_n()))
                << std::setw(7) << plan.rank() << std::setw(14) << counts(plan.additions_a) << std::setw(14)
                << counts(plan.additions_b) << std::setw(14) << counts(plan.additions_c) << counts(plan.additions())
                << '\n';
    }
  }
  std::cout << "\nblocks: how M x K x N are split; rank: leaf products per call (one batched GEMM).\n";
  return 0;
}

}  // namespace

int cmd_codegen(int argc, char** argv) {
  po::options_description opts("fmm codegen options");
  int levels = 1;
  std::string precision_name, layout_name, out_dir, name;
  std::int64_t min_block = codegen::PlanOptions{}.min_block_dim;
  opts.add_options()("levels", po::value(&levels)->default_value(1),
                     "recursion levels of a single scheme, 1..8 while the composed rank stays <= 1024 (several "
                     "schemes give one level each)")(
      "precision", po::value(&precision_name)->default_value("f32"), "f32 or f64")(
      "layout", po::value(&layout_name)->default_value("row"), "operand layout: row (row-major) or col (column-major)")(
      "out", po::value(&out_dir), "directory for the generated files (created if missing)")(
      "name", po::value(&name),
      "namespace and file stem of the generated code; default from the schemes, e.g. strassen_4x4x4_r49_l2_f32_row")(
      "cpp-only", "emit only the C++ twin NAME_cpu.hpp, not NAME.cuh / NAME.cu")(
      "no-cmake", "do not write NAME.target.cmake and the folder's CMakeLists.txt (by default add_subdirectory(DIR) "
                  "gives the target NAME: CUDA where available, else the C++ twin)")(
      "min-block", po::value(&min_block)->default_value(min_block),
      "default smallest block dimension for the fast path; thinner calls run the classical GEMM")(
      "no-cse", "evaluate every linear form on its own (no common-subexpression elimination)")(
      "cse", po::value<std::string>()->default_value("default"),
      "effort of the common-subexpression elimination: greedy, default or thorough (10x the work)")(
      "as-given", "keep each scheme exactly as given (default: its cheapest equivalent under changes of basis)")(
      "list", "list the builtin schemes and what they would generate (levels, blocks, rank, additions)");
  po::options_description hidden;
  hidden.add_options()("schemes", po::value<std::vector<std::string>>(), "scheme files or builtin names");
  po::positional_options_description pos;
  pos.add("schemes", -1);
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm codegen SCHEME... [--levels L] [--precision f32|f64] [--layout row|col] --out DIR "
                     "[--name NAME] [--cpp-only]\n"
                     "                    [--min-block N] [--no-cse] [--cse greedy|default|thorough] [--as-given]\n"
                     "       fmm codegen --list\n\n"
                     "Each SCHEME (a file, FILE.npz:n,m,p, or a builtin name) is verified first: one that does not\n"
                     "verify gives exit 1, as fmm verify. Files in DIR are replaced atomically (unchanged ones are\n"
                     "left alone); symbolic links and special files there are refused.",
                     opts, pos, vm, &hidden))
    return 0;
  if (vm.count("list")) return list_builtins();
  if (!vm.count("schemes")) throw Error("no scheme given (see --help)");
  if (out_dir.empty()) throw Error("--out DIR is required");
  const auto precision = codegen::parse_precision(precision_name);
  if (!precision) throw Error("unknown precision '" + precision_name + "' (expected f32 or f64)");
  const auto layout = codegen::parse_layout(layout_name);
  if (!layout) throw Error("unknown layout '" + layout_name + "' (expected row or col)");

  std::vector<Scheme> schemes;
  for (const auto& arg : vm["schemes"].as<std::vector<std::string>>()) schemes.push_back(read_one_scheme(arg));
  if (schemes.size() > 1 && levels != 1)
    throw Error("give either several schemes (one per level) or one scheme with --levels, not both");
  if (schemes.size() == 1) schemes = codegen::repeat_levels(schemes[0], levels);
  if (name.empty()) name = codegen::default_name(schemes, *precision, *layout);

  codegen::PlanOptions options;
  options.min_block_dim = min_block;
  options.cse = !vm.count("no-cse");
  const auto effort = codegen::parse_cse_effort(vm["cse"].as<std::string>());
  if (!effort) throw Error("unknown --cse '" + vm["cse"].as<std::string>() + "' (expected greedy, default or thorough)");
  options.cse_effort = *effort;
  options.cheapest_equivalent = !vm.count("as-given");
  options.command_line = command_line(argc, argv);
  const auto plan = codegen::make_plan(std::move(schemes), *precision, *layout, name, options);
  codegen::GeneratedFiles files = codegen::generate_cpp(plan);
  if (!vm.count("cpp-only")) {
    auto cuda = codegen::generate_cuda(plan);
    files.insert(files.begin(), cuda.begin(), cuda.end());
  }
  if (!vm.count("no-cmake")) {
    auto cmake = codegen::generate_cmake(plan, !vm.count("cpp-only"));
    files.insert(files.end(), cmake.begin(), cmake.end());
  }
  codegen::write_files(files, out_dir);
  std::cout << "fmm codegen: " << plan.name << ": <" << plan.blocks_m() << "," << plan.blocks_k() << ","
            << plan.blocks_n() << ";" << plan.rank() << "> from " << plan.levels.size() << " level(s), additions "
            << counts(plan.additions()) << " (A " << counts(plan.additions_a) << ", B " << counts(plan.additions_b)
            << ", C " << counts(plan.additions_c) << ")\n";
  for (const auto& f : files) std::cout << "  " << out_dir << "/" << f.name << '\n';
  return 0;
}

}  // namespace fmm::cli
