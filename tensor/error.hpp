// Error types shared by the exact core and everything built on it.
// Errors that a user can cause (bad input, absurd sizes, overflow) are exceptions
// carrying a message fit for stderr; invariants of our own code are asserts.
// Messages are made printable when the error is built (tensor/text.hpp): text quoted from an
// input file can neither drive the terminal nor cut the message short.
#pragma once

#include <stdexcept>
#include <string>

#include "tensor/text.hpp"

namespace fmm {

// Base of every error the engine reports to a user: bad input or usage (exit status 2).
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(printable(what, /*keep_newlines=*/true)) {}
};

// Exact arithmetic left the representable range; we never wrap.
class OverflowError : public Error {
 public:
  using Error::Error;
};

// A well-formed scheme that does not satisfy the Brent equations over the field it claims:
// a negative answer (exit status 1), not malformed input.
class VerificationError : public Error {
 public:
  using Error::Error;
};

// Malformed input: names the file, the line (0 when not line-oriented), the column where one
// is known (0 otherwise) and what was expected: "file:line[:column]: what". Both are made
// printable (text.hpp): a file name or a token may hold control characters.
class ParseError : public Error {
 public:
  ParseError(std::string file, long line, const std::string& what) : ParseError(std::move(file), line, 0, what) {}
  ParseError(std::string file, long line, long column, const std::string& what)
      : Error(format(file, line, column, what)), file_(std::move(file)), line_(line), column_(column) {}
  const std::string& file() const { return file_; }
  long line() const { return line_; }
  long column() const { return column_; }

 private:
  static std::string format(const std::string& file, long line, long column, const std::string& what) {
    std::string where = file.empty() ? std::string("<input>") : printable(file);
    if (line > 0) where += ":" + std::to_string(line);
    if (line > 0 && column > 0) where += ":" + std::to_string(column);
    return where + ": " + printable(what);
  }
  std::string file_;
  long line_;
  long column_;
};

}  // namespace fmm
