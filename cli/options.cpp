#include "cli/options.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "tensor/error.hpp"

namespace fmm::cli {

namespace {

const std::string& single_value(const std::vector<std::string>& values) {
  if (values.size() != 1) throw po::validation_error(po::validation_error::multiple_values_not_allowed);
  return values.front();
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const Count& c) { return out << c.value; }
std::ostream& operator<<(std::ostream& out, const Seconds& s) { return out << s.value; }

void validate(boost::any& v, const std::vector<std::string>& values, Count*, int) {
  const std::string& text = single_value(values);
  std::uint64_t x = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (text.empty() || text[0] == '-' || text[0] == '+' || ec != std::errc() || ptr != text.data() + text.size())
    throw po::invalid_option_value(text);  // "the argument ('-5') for option '--seed' is invalid"
  v = Count{x};
}

void validate(boost::any& v, const std::vector<std::string>& values, Seconds*, int) {
  const std::string& text = single_value(values);
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(x) || x < 0 || x > 1e9)
    throw po::invalid_option_value(text);
  v = Seconds{x};
}

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
      std::cout << "usage: " << usage_line << "\n\n" << visible << '\n' << kExitStatusHelp << '\n';
      return false;
    }
    po::notify(vm);
  } catch (const po::invalid_option_value& e) {
    throw Error(std::string(e.what()) + " (counts are whole numbers >= 0, seconds finite and >= 0; see --help)");
  } catch (const po::error& e) {
    throw Error(std::string(e.what()) + " (see --help)");
  }
  return true;
}

Format output_format(const std::string& to, const std::string& out_path) {
  if (!to.empty()) {
    auto f = parse_format(to);
    if (!f || *f == Format::Npz) throw Error("unknown output format '" + to + "' (expected native, json or exp)");
    return *f;
  }
  return format_from_path(out_path).value_or(Format::Native);
}

}  // namespace fmm::cli
