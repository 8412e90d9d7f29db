#include "cli/options.hpp"

#include <boost/lexical_cast.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "fmm/revision.hpp"  // generated at build time (cmake/FmmRevision.cmake)
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
                   const po::options_description* hidden, const std::string& epilog) {
  visible.add_options()("help,h", "print this help and exit")("version", "print the version and exit");
  po::options_description all;
  all.add(visible);
  if (hidden) all.add(*hidden);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: " << usage_line << "\n\n" << visible << (epilog.empty() ? "" : "\n" + epilog) << '\n'
                << kExitStatusHelp << '\n';
      return false;
    }
    if (vm.count("version")) {
      std::cout << version_line() << '\n';
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

std::string command_line(int argc, char** argv) {
  std::string line = "fmm";
  for (int i = 0; i < argc; ++i) line += std::string(" ") + argv[i];
  return line;
}

std::string version_line() { return "fmm " FMM_VERSION " (git " FMM_GIT_REVISION ")"; }

int run_command(const std::string& program, int (*command)(int, char**), int argc, char** argv) {
  try {
    return command(argc, argv);
  } catch (const VerificationError& e) {
    // A scheme that does not verify: the same negative answer as `fmm verify` gives.
    std::cerr << program << ": " << e.what() << '\n';
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << program << ": out of memory\n";
  } catch (const Error& e) {  // malformed input, bad usage, a file that cannot be written
    std::cerr << program << ": " << e.what() << '\n';
  } catch (const std::exception& e) {
    std::cerr << program << ": " << printable(e.what()) << '\n';
  }
  return 2;
}

namespace {

template <class T>
void validate_list(boost::any& value, const std::vector<std::string>& tokens, T (*convert)(const std::string&)) {
  po::validators::check_first_occurrence(value);
  const std::string& text = po::validators::get_single_string(tokens);
  CommaList<T> list;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) continue;
    try {
      list.items.push_back(convert(item));
    } catch (const boost::bad_lexical_cast&) {
      throw po::invalid_option_value(item);
    }
  }
  if (list.items.empty()) throw po::invalid_option_value(text);
  value = list;
}

template <class T>
T cast(const std::string& s) {
  return boost::lexical_cast<T>(s);
}

GemmShape cast_shape(const std::string& s) {
  const auto x1 = s.find('x'), x2 = s.find('x', x1 == std::string::npos ? x1 : x1 + 1);
  if (x1 == std::string::npos || x2 == std::string::npos) throw boost::bad_lexical_cast();
  return {boost::lexical_cast<long long>(s.substr(0, x1)), boost::lexical_cast<long long>(s.substr(x1 + 1, x2 - x1 - 1)),
          boost::lexical_cast<long long>(s.substr(x2 + 1))};
}

}  // namespace

void validate(boost::any& v, const std::vector<std::string>& t, CommaList<std::string>*, int) {
  validate_list<std::string>(v, t, [](const std::string& s) { return s; });
}
void validate(boost::any& v, const std::vector<std::string>& t, CommaList<int>*, int) { validate_list(v, t, cast<int>); }
void validate(boost::any& v, const std::vector<std::string>& t, CommaList<long long>*, int) {
  validate_list(v, t, cast<long long>);
}
void validate(boost::any& v, const std::vector<std::string>& t, CommaList<GemmShape>*, int) {
  validate_list(v, t, cast_shape);
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
