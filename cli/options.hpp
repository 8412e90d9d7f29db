// Shared helpers for the subcommands' option parsing.
#pragma once

#include <boost/program_options.hpp>
#include "tensor/formats/format.hpp"
#include <string>
#include <vector>

namespace fmm::cli {

namespace po = boost::program_options;

// Parses argv against `visible` (+ hidden positional options). Returns false after
// printing help (when --help was given; the caller returns 0). Throws fmm::Error on bad usage.
bool parse_options(int argc, char** argv, const std::string& usage_line, po::options_description& visible,
                   const po::positional_options_description& positional, po::variables_map& vm,
                   const po::options_description* hidden = nullptr);

// The format to write OUT in: --to wins; else OUT's extension; else the native text format.
// Throws fmm::Error for an unknown name or a read-only format.
Format output_format(const std::string& to, const std::string& out_path);

}  // namespace fmm::cli
