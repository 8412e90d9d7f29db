// fmm transform IN -o OUT [--cyclic K] [--transpose] [--permute SPEC] [--basis X|Y|Z]
//                         [--rational-basis] [--random-basis SEED] [--simplify]
// Applies the symmetries of <n,m,p>, changes of basis and simplification (tensor/transform.hpp)
// in a fixed order, each step verified.
#include <cstdint>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/io/safe_write.hpp"
#include "tensor/transform.hpp"

namespace fmm::cli {
namespace {

// "X|Y|Z": three matrices "1,1;0,1"; an empty part (or a missing trailing part) is the identity.
BasisChange parse_basis(const std::string& text, const Shape& shape) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t bar = text.find('|', start);
    parts.push_back(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  if (parts.size() > 3) throw Error("--basis '" + text + "': expected at most three matrices X|Y|Z");
  parts.resize(3);
  auto matrix = [](const std::string& part, int size) {
    return part.find_first_not_of(" \t") == std::string::npos ? RationalMatrix::identity(size)
                                                               : RationalMatrix::parse(part);
  };
  return {matrix(parts[0], shape.n), matrix(parts[1], shape.m), matrix(parts[2], shape.p)};
}

}  // namespace

int cmd_transform(int argc, char** argv) {
  po::options_description opts("fmm transform options");
  std::string out, to, permutation, basis;
  int cyclic_times = 0;
  bool do_transpose = false, rational = false, do_simplify = false;
  Count seed{0};
  opts.add_options()("output,o", po::value(&out)->required(), "where to write the result (required)")(
      "to", po::value(&to)->default_value(""),
      "output format: native, json or exp; default: from the output's extension, native when it says nothing")(
      "cyclic", po::value(&cyclic_times)->default_value(0),
      "apply the cyclic symmetry K times (mod 3): <n,m,p> -> <m,p,n>, from tr(A B C^T) = tr(B C^T A)")(
      "transpose", po::bool_switch(&do_transpose),
      "apply the transpose symmetry <n,m,p> -> <p,m,n>, from (AB)^T = B^T A^T (default: off)")(
      "permute", po::value(&permutation)->default_value("nmp"),
      "any of the six symmetries, named by the format it makes of <n,m,p>: nmp (none), mpn, pnm, pmn, npm, "
      "mnp; also written nmp->mpn")(
      "basis", po::value(&basis)->default_value(""),
      "change of basis \"X|Y|Z\" with X n x n, Y m x m, Z p x p given as rows ';' and entries ',' "
      "(e.g. \"1,1;0,1|1,0;1,1|\"); an empty part is the identity. The new scheme runs the old one on "
      "X A Y^-1 and Y B Z^-1 and returns X^-1 C~ Z. Matrices must be integer with det +-1 unless "
      "--rational-basis (default: none)")(
      "rational-basis", po::bool_switch(&rational),
      "allow any invertible rational matrices in --basis; the result may need Q (default: off)")(
      "random-basis", po::value(&seed),
      "change of basis by random unimodular X, Y, Z drawn deterministically from SEED (default: none)")(
      "simplify", po::bool_switch(&do_simplify),
      "drop zero terms, merge proportional terms, make the first nonzero of each u and v positive "
      "(default: off)");
  po::options_description hidden;
  hidden.add_options()("in", po::value<std::string>(), "input");
  po::positional_options_description pos;
  pos.add("in", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm transform IN -o OUT [--cyclic K] [--transpose] [--permute SPEC] [--basis X|Y|Z]\n"
                     "                     [--rational-basis] [--random-basis SEED] [--simplify] [--to FORMAT]\n\n"
                     "Steps run in this order, each on the previous result and each verified:\n"
                     "  1. --cyclic K   2. --transpose   3. --permute   4. --basis   5. --random-basis   6. --simplify\n"
                     "(so --basis matrices are sized for the format after the symmetries). IN is a scheme file\n"
                     "or a builtin name (strassen, winograd, laderman, standard:NxMxP).",
                     opts, pos, vm, &hidden))
    return 0;
  if (!vm.count("in")) throw Error("no input scheme given (see --help)");
  const Format format = output_format(to, out);

  Scheme s = read_one_scheme(vm["in"].as<std::string>());
  const int rank_in = s.rank();
  std::string steps;
  if (cyclic_times % 3 != 0) {
    s = cyclic(s, cyclic_times);
    steps += " cyclic^" + std::to_string(((cyclic_times % 3) + 3) % 3);
  }
  if (do_transpose) {
    s = transpose(s);
    steps += " transpose";
  }
  if (permutation != "nmp" && permutation != "nmp->nmp") {
    s = permute(s, permutation);
    steps += " permute(" + permutation + ")";
  } else {
    permute(s, permutation);  // still validates the spelling
  }
  if (!basis.empty()) {
    s = change_basis(s, parse_basis(basis, s.shape()), rational ? BasisRing::Rational : BasisRing::Unimodular);
    steps += " basis";
  } else if (rational) {
    throw Error("--rational-basis needs --basis");
  }
  if (vm.count("random-basis")) {
    BasisChange b = random_basis(s.shape(), seed.value);
    s = change_basis(s, b);
    steps += " random-basis(seed " + std::to_string(seed.value) + ": X=" + b.x.str() + " Y=" + b.y.str() + " Z=" + b.z.str() +
             ")";
  }
  if (do_simplify) {
    s = simplify(s);
    steps += " simplify";
  }
  write_scheme_file(out, s, format);
  (is_stdout_path(out) ? std::cerr : std::cout) << "wrote " << printable(out) << ": " << to_string(format) << ' ' << s.shape().str() << " rank " << s.rank()
            << " (was " << rank_in << ") valid over " << to_string(s.field()) << "; steps:"
            << (steps.empty() ? " none" : steps) << '\n';
  return 0;
}

}  // namespace fmm::cli
