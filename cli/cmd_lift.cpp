// fmm lift SCHEME -o OUT: a scheme over GF(2) lifted to one over Z (or Q) of the same rank
// (search/lift/lift.hpp: sign lift, Hensel lifting, rational reconstruction, flip neighbours).
#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "search/lift/lift.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/io/safe_write.hpp"

namespace fmm::cli {

int cmd_lift(int argc, char** argv) {
  po::options_description opts("fmm lift options");
  std::string out, to;
  search::LiftOptions lift;
  double time_limit = 0;
  opts.add_options()("output,o", po::value(&out)->required(), "where to write the lifted scheme (required)")(
      "to", po::value(&to)->default_value(""),
      "output format: native, json or exp; default: from the output's extension, native when it says nothing")(
      "seed", po::value(&lift.seed)->default_value(lift.seed), "seed of the random choices (sign lift, Hensel paths)")(
      "tries", po::value(&lift.hensel_tries)->default_value(lift.hensel_tries), "Hensel paths tried")(
      "choices", po::value(&lift.hensel_choices)->default_value(lift.hensel_choices),
      "choices of the free unknowns tried at each Hensel step until the next step is solvable")(
      "lookahead", po::bool_switch(&lift.hensel_lookahead),
      "when no sampled choice keeps the next Hensel step solvable, solve for one (or prove there is none)")(
      "neighbours", po::value(&lift.neighbours)->default_value(lift.neighbours),
      "GF2 flip neighbours tried when the scheme itself does not lift")(
      "time-limit", po::value(&time_limit)->default_value(0),
      "seconds, checked between attempts (0: none); a GF2 system that cannot be solved in what is left is skipped");
  po::options_description hidden;
  hidden.add_options()("scheme", po::value<std::vector<std::string>>(), "the GF(2) scheme");
  po::positional_options_description pos;
  pos.add("scheme", -1);
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm lift SCHEME -o OUT [--seed S] [--tries N] [--choices N] [--lookahead] [--neighbours N] [--time-limit S]\n\n"
                     "Lifts a scheme that holds over GF(2) to one over Z of the same rank (or over Q with odd\n"
                     "denominators): first a sign lift on its support (coefficients in {-1,0,1}), then Hensel\n"
                     "lifting mod 2, 4, 8, ... with the free unknowns chosen to keep coefficients small, then\n"
                     "rational reconstruction, then the same for GF(2) schemes a few flips away. Large schemes\n"
                     "(a <6,7,8> rank-240 Jacobian has 112 896 equations in 35 040 unknowns) are solved with\n"
                     "M4RI where the build found it. The result is verified over Z (or Q) before it is written.\n"
                     "exit status: 0 lifted, 1 no lift found, 2 bad input.",
                     opts, pos, vm, &hidden))
    return 0;
  const auto names = vm.count("scheme") ? vm["scheme"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (names.size() != 1) throw Error("expected exactly one scheme (see --help)");
  if (time_limit < 0) throw Error("--time-limit must be >= 0");
  if (lift.hensel_tries < 1) throw Error("--tries must be at least 1");
  if (lift.hensel_choices < 1 || lift.hensel_choices > 1000000) throw Error("--choices must be between 1 and 1000000");
  if (lift.neighbours < 0) throw Error("--neighbours must be >= 0");
  const Format format = output_format(to, out);
  const Scheme in = read_one_scheme(names[0], Field::GF2);  // verified over GF(2)
  if (time_limit > 0)
    lift.deadline = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(time_limit));
  const auto t0 = std::chrono::steady_clock::now();
  search::LiftResult r = search::lift_scheme(in, lift);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cerr << "lift of " << printable(names[0]) << " (" << in.shape().str() << " rank " << in.rank() << "), "
            << seconds << " s: " << r.report << '\n';
  if (!r.scheme) return 1;
  // The file says where it came from: the input's own provenance, the route and the command.
  r.scheme->set_source("fmm lift of " + in.shape().str() + " rank " + std::to_string(in.rank()) + " GF2 (" +
                       in.source() + "): " + r.report + "; command: " + command_line(argc, argv));
  write_scheme_file(out, *r.scheme, format);
  (is_stdout_path(out) ? std::cerr : std::cout) << "wrote " << printable(out) << ": " << to_string(format) << ' '
                                                << r.scheme->shape().str() << " rank " << r.scheme->rank() << " valid over "
                                                << to_string(r.scheme->field()) << '\n';
  return 0;
}

}  // namespace fmm::cli
