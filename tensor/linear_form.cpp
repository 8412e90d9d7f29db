#include "tensor/linear_form.hpp"

#include <cctype>

#include "tensor/error.hpp"

namespace fmm {
namespace {

// Recursive-descent parser: form := term (('+'|'-') term)* ; term := ['+'|'-'] factor ('*' factor | '/' number)* ;
// factor := number | variable | '(' form ')'. Products of two variables are rejected.
class Parser {
 public:
  Parser(std::string_view text, std::string_view letters) : s_(text), letters_(letters) {}

  std::optional<LinearForm> run(std::string& error) {
    try {
      LinearForm f = form();
      skip();
      if (pos_ != s_.size()) throw expected("'+', '-' or end of form");
      for (auto it = f.coeffs.begin(); it != f.coeffs.end();)
        it = it->second.is_zero() ? f.coeffs.erase(it) : std::next(it);
      return f;
    } catch (const Error& e) {
      error = e.what();
      return std::nullopt;
    }
  }

 private:
  // A value is either a constant (no variables) or a linear form.
  struct Value {
    Rational constant = 1;
    bool is_constant = true;
    LinearForm form;
  };

  Error expected(const std::string& what) {
    return Error("column " + std::to_string(pos_ + 1) + ": expected " + what);
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  static void scale(LinearForm& f, const Rational& k) {
    for (auto& [key, c] : f.coeffs) c *= k;
  }
  static void add(LinearForm& into, const LinearForm& f, const Rational& k, char& letter) {
    if (f.letter && letter && f.letter != letter) throw Error("a form mixes variables '" + std::string(1, letter) + "' and '" + std::string(1, f.letter) + "'");
    if (f.letter) letter = f.letter;
    for (auto& [key, c] : f.coeffs) into.coeffs[key] += c * k;
  }

  LinearForm form() {
    Value v = term();
    LinearForm out;
    char letter = 0;
    auto accumulate = [&](Value& t, int sign) {
      if (t.is_constant) throw Error("column " + std::to_string(pos_) + ": a constant term is not a linear form");
      add(out, t.form, Rational(sign), letter);
    };
    accumulate(v, 1);
    for (;;) {
      if (eat('+')) {
        Value t = term();
        accumulate(t, 1);
      } else if (eat('-')) {
        Value t = term();
        accumulate(t, -1);
      } else {
        break;
      }
    }
    out.letter = letter;
    return out;
  }

  Value term() {
    int sign = 1;
    while (true) {
      if (eat('-')) sign = -sign;
      else if (!eat('+')) break;
    }
    Value v = factor();
    for (;;) {
      skip();
      if (eat('*')) {
        v = multiply(v, factor());
      } else if (eat('/')) {
        Value d = factor();
        if (!d.is_constant || d.constant.is_zero()) throw expected("a nonzero number after '/'");
        v = multiply(v, Value{Rational(1) / d.constant, true, {}});
      } else if (pos_ < s_.size() && (s_[pos_] == '(' || std::isalpha(static_cast<unsigned char>(s_[pos_])))) {
        v = multiply(v, factor());  // juxtaposition: "2a11", "2(a11+a12)"
      } else {
        break;
      }
    }
    if (sign < 0) v = multiply(v, Value{Rational(-1), true, {}});
    return v;
  }

  Value multiply(const Value& a, const Value& b) {
    if (a.is_constant && b.is_constant) return Value{a.constant * b.constant, true, {}};
    if (!a.is_constant && !b.is_constant) throw Error("column " + std::to_string(pos_) + ": product of two variables is not linear");
    Value out = a.is_constant ? b : a;
    scale(out.form, a.is_constant ? a.constant : b.constant);
    return out;
  }

  Value factor() {
    skip();
    if (pos_ >= s_.size()) throw expected("a number, a variable or '('");
    char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      LinearForm f = form();
      if (!eat(')')) throw expected("')'");
      Value v;
      v.is_constant = false;
      v.form = std::move(f);
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t start = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      auto r = Rational::parse(s_.substr(start, pos_ - start));
      if (!r) throw Error("column " + std::to_string(start + 1) + ": number out of range");
      return Value{*r, true, {}};
    }
    if (letters_.find(c) != std::string_view::npos) {
      ++pos_;
      auto digits = [&]() {
        size_t start = pos_;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
        return s_.substr(start, pos_ - start);
      };
      std::string_view first = digits();
      int row, col;
      if (pos_ < s_.size() && s_[pos_] == '_') {
        ++pos_;
        std::string_view second = digits();
        if (first.empty() || second.empty() || first.size() > 3 || second.size() > 3) throw expected("indices like a10_12");
        row = std::stoi(std::string(first));
        col = std::stoi(std::string(second));
      } else {
        if (first.size() != 2) throw expected("a variable with two one-digit indices, like " + std::string(1, c) + "12");
        row = first[0] - '0';
        col = first[1] - '0';
      }
      if (row < 1 || col < 1) throw expected("1-based indices");
      Value v;
      v.is_constant = false;
      v.form.letter = c;
      v.form.coeffs[{row - 1, col - 1}] = 1;
      return v;
    }
    throw expected("a number, a variable (" + std::string(letters_) + ") or '('");
  }

  std::string_view s_;
  std::string_view letters_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<LinearForm> parse_linear_form(std::string_view text, std::string_view letters, std::string& error) {
  return Parser(text, letters).run(error);
}

}  // namespace fmm
