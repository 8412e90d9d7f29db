#include "cli/options.hpp"

#include <iostream>

#include "tensor/error.hpp"

namespace fmm::cli {

bool parse_options(int argc, char** argv, const std::string& usage_line, po::options_description& visible,
                   const po::positional_options_description& positional, po::variables_map& vm,
                   const po::options_description* hidden) {
  visible.add_options()("help,h", "print this help and exit");
  po::options_description all;
  all.add(visible);
  if (hidden) all.add(*hidden);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: " << usage_line << "\n\n" << visible << '\n';
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw Error(std::string(e.what()) + " (see --help)");
  }
  return true;
}

Format output_format(const std::string& to, const std::string& out_path) {
  if (!to.empty()) {
    auto f = parse_format(to);
    if (!f || *f == Format::Npz) throw Error("unknown output format '" + to + "' (expected native, json, community-json or exp)");
    return *f;
  }
  return format_from_path(out_path).value_or(Format::Native);
}

}  // namespace fmm::cli
