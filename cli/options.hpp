// What every fmm program shares around Boost.Program_options: the parse with --help and
// --version, comma-separated list values ("4096,8192"), MxNxK shapes, the version line and the
// top-level error handling (exit codes).
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <iosfwd>
#include <optional>
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

// Parses argv against `visible` (+ hidden positional options). Returns false after printing
// help (--help) or the version (--version); the caller then returns 0. Throws fmm::Error on bad
// usage. An `epilog` is printed after the options in --help.
bool parse_options(int argc, char** argv, const std::string& usage_line, po::options_description& visible,
                   const po::positional_options_description& positional, po::variables_map& vm,
                   const po::options_description* hidden = nullptr, const std::string& epilog = "");

// "fmm 0.1.0 (git 0123456789ab)": the version and the git revision this binary was built from.
std::string version_line();

// "fmm search --shape 3x3x3 ...": the command as typed (argv of the subcommand), for the
// provenance lines of logs and scheme headers.
std::string command_line(int argc, char** argv);

// Runs one command's function, turning exceptions into a message "PROGRAM: what" on stderr and
// an exit code: 1 for a scheme that does not verify (VerificationError), 2 for the rest (bad input
// or usage, a file that could not be written; see kExitStatusHelp).
int run_command(const std::string& program, int (*command)(int, char**), int argc, char** argv);

// A comma-separated list option: --sizes 4096,8192. Boost converts each item with
// lexical_cast and rejects a malformed one as an invalid value of the option.
template <class T>
struct CommaList {
  std::vector<T> items;
};

// A GEMM shape MxNxK (--shapes 16384x16384x4096).
struct GemmShape {
  long long m = 0, n = 0, k = 0;
};

void validate(boost::any& value, const std::vector<std::string>& tokens, CommaList<std::string>*, int);
void validate(boost::any& value, const std::vector<std::string>& tokens, CommaList<int>*, int);
void validate(boost::any& value, const std::vector<std::string>& tokens, CommaList<long long>*, int);
void validate(boost::any& value, const std::vector<std::string>& tokens, CommaList<GemmShape>*, int);

// The format to write OUT in: --to wins; else OUT's extension; else the native text format.
// Throws fmm::Error for an unknown name or a read-only format.
Format output_format(const std::string& to, const std::string& out_path);

}  // namespace fmm::cli
