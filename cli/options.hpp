// Shared helpers for the subcommands' option parsing.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "tensor/formats/format.hpp"

namespace fmm::cli {

namespace po = boost::program_options;

// Numeric option values that accept only what they say. Boost's lexical_cast reads "-5" into an
// unsigned integer as 2^64 - 5 and "nan" or "inf" into a double, which would make --seed -5,
// --max-flips -1 or --time-limit nan silently mean something else; these reject them (exit 2).
struct Count {  // a non-negative integer: digits only, below 2^64
  std::uint64_t value = 0;
};
struct Seconds {  // a finite number of seconds, 0 <= s <= 1e9 (about 30 years)
  double value = 0;
};
std::ostream& operator<<(std::ostream& out, const Count& c);
std::ostream& operator<<(std::ostream& out, const Seconds& s);
// Found by Boost.Program_options through argument-dependent lookup.
void validate(boost::any& v, const std::vector<std::string>& values, Count*, int);
void validate(boost::any& v, const std::vector<std::string>& values, Seconds*, int);

// The exit status rule, printed at the end of every command's --help.
inline constexpr const char* kExitStatusHelp =
    "exit status: 0 success; 1 a negative answer (a scheme that does not verify, a target rank not\n"
    "reached); 2 bad input or usage, or a file that could not be written; 130/143 a search stopped\n"
    "by SIGINT/SIGTERM (after saving its results and checkpoint).";

// Parses argv against `visible` (+ hidden positional options). Returns false after
// printing help (when --help was given; the caller returns 0). Throws fmm::Error on bad usage.
bool parse_options(int argc, char** argv, const std::string& usage_line, po::options_description& visible,
                   const po::positional_options_description& positional, po::variables_map& vm,
                   const po::options_description* hidden = nullptr);

// The format to write OUT in: --to wins; else OUT's extension; else the native text format.
// Throws fmm::Error for an unknown name or a read-only format.
Format output_format(const std::string& to, const std::string& out_path);

}  // namespace fmm::cli
