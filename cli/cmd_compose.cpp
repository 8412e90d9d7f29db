// fmm compose A B -o OUT [--to FORMAT]: the Kronecker product of two schemes (tensor/transform.hpp).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/io/safe_write.hpp"
#include "tensor/transform.hpp"

namespace fmm::cli {

int cmd_compose(int argc, char** argv) {
  po::options_description opts("fmm compose options");
  std::string out, to;
  opts.add_options()("output,o", po::value(&out)->required(), "where to write the product (required)")(
      "to", po::value(&to)->default_value(""),
      "output format: native, json or exp; default: from the output's extension, native when it says nothing");
  po::options_description hidden;
  hidden.add_options()("schemes", po::value<std::vector<std::string>>(), "the two factors");
  po::positional_options_description pos;
  pos.add("schemes", -1);
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm compose A B -o OUT [--to native|json|exp]\n\n"
                     "Writes the Kronecker product of A <n1,m1,p1;R1> and B <n2,m2,p2;R2>: the scheme for\n"
                     "<n1 n2, m1 m2, p1 p2> of rank R1 R2 that runs A on blocks and B inside each block.\n"
                     "A and B are scheme files or builtin names (strassen, winograd, laderman, standard:NxMxP);\n"
                     "each dimension of the product must stay within 16.\n"
                     "Over GF2 if either is GF2, else over Q if either is Q, else over Z. The result is verified\n"
                     "before it is written.",
                     opts, pos, vm, &hidden))
    return 0;
  const auto names = vm.count("schemes") ? vm["schemes"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (names.size() != 2) throw Error("expected exactly two schemes A and B (see --help)");
  const Format format = output_format(to, out);
  const Scheme a = read_one_scheme(names[0]), b = read_one_scheme(names[1]);
  const Scheme product = kronecker(a, b);
  write_scheme_file(out, product, format);
  (is_stdout_path(out) ? std::cerr : std::cout) << "wrote " << printable(out) << ": " << to_string(format) << ' ' << product.shape().str() << " rank "
            << product.rank() << " valid over " << to_string(product.field()) << '\n';
  return 0;
}

}  // namespace fmm::cli
