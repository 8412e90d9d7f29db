// fmm convert IN OUT [--to native|json|exp]: read (and verify) one scheme, write it in another format.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/io/safe_write.hpp"

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
                     "fmm convert IN OUT [--to native|json|exp] [--field z|q|gf2]\n\n"
                     "Reads one scheme (a file in any readable format, FILE.npz:n,m,p for one key of an archive,\n"
                     "or a builtin name), verifies it and writes it to OUT. Nothing is written unless the scheme\n"
                     "verifies (a scheme that does not: exit 1, as fmm verify). OUT is replaced atomically if it\n"
                     "is a regular file; symbolic links, directories and devices are refused; '-' or /dev/stdout\n"
                     "writes to standard output.",
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
  const LoadedScheme ls = read_one_loaded(in, field);
  const Scheme& s = ls.scheme;
  write_scheme_file(out, s, format);
  // With OUT on stdout the scheme is the output; the report goes to stderr.
  (is_stdout_path(out) ? std::cerr : std::cout)
      << "wrote " << printable(out) << ": " << to_string(format) << ' ' << s.shape().str() << " rank " << s.rank()
      << " valid over " << to_string(s.field()) << " (" << ls.field_basis << ")\n";
  return 0;
}

}  // namespace fmm::cli
