// Error types shared by the exact core and everything built on it.
// Errors that a user can cause (bad input, absurd sizes, overflow) are exceptions
// carrying a message fit for stderr; invariants of our own code are asserts.
#pragma once

#include <stdexcept>
#include <string>

namespace fmm {

// Base of every error the engine reports to a user.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Exact arithmetic left the representable range; we never wrap.
class OverflowError : public Error {
 public:
  using Error::Error;
};

// Malformed input: names the file, the line (0 when not line-oriented), the column where one
// is known (0 otherwise) and what was expected: "file:line[:column]: what".
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
    std::string where = file.empty() ? std::string("<input>") : file;
    if (line > 0) where += ":" + std::to_string(line);
    if (line > 0 && column > 0) where += ":" + std::to_string(column);
    return where + ": " + what;
  }
  std::string file_;
  long line_;
  long column_;
};

}  // namespace fmm
