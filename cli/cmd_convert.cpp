// fmm convert IN OUT [--to native|json|exp]: read (and verify) one scheme, write it in another format.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm::cli {
int cmd_convert(int argc, char** argv) {
  po::options_description opts("fmm convert options");
  std::string to, field_name;
  opts.add_options()("to", po::value(&to)->default_value(""),
                     "output format: native, json or exp; default: from OUT's extension (.txt/.fmm native, .json, "
                     ".exp), native when the extension says nothing")(
      "field", po::value(&field_name)->default_value(""),
      "read the scheme as holding over this field (z, q or gf2); default: the field the file states, or the one "
      "verification finds");
  po::options_description hidden;
  hidden.add_options()("in", po::value<std::string>(), "input")("out", po::value<std::string>(), "output");
  po::positional_options_description pos;
  pos.add("in", 1).add("out", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm convert IN OUT [--to native|json|exp]\n\n"
                     "Reads one scheme (a file in any readable format, or a builtin name), verifies it and writes\n"
                     "it to OUT. Nothing is written unless the scheme verifies.",
                     opts, pos, vm, &hidden))
    return 0;
  if (!vm.count("in") || !vm.count("out")) throw Error("expected IN and OUT (see --help)");
  std::optional<Field> field;
  if (!field_name.empty()) {
    field = parse_field(field_name);
    if (!field) throw Error("unknown field '" + field_name + "' (expected z, q or gf2)");
  }
  const std::string in = vm["in"].as<std::string>(), out = vm["out"].as<std::string>();
  const Format format = output_format(to, out);
  const Scheme s = read_one_scheme(in, field);
  write_scheme_file(out, s, format);
  std::cout << "wrote " << out << ": " << to_string(format) << ' ' << s.shape().str() << " rank " << s.rank()
            << " valid over " << to_string(s.field()) << '\n';
  return 0;
}

}  // namespace fmm::cli
