#include "tensor/linear_form.hpp"

#include <cctype>

#include "tensor/error.hpp"

namespace fmm {
namespace {

// Recursive-descent parser:
//   sum     := term (('+'|'-') term)*
//   term    := ('+'|'-')* factor (('*' factor) | ('/' factor) | factor)*    (juxtaposition multiplies)
//   factor  := number | variable | '(' sum ')'
// A value is a constant times forms in distinct letters. Sums of several terms need every
// term to be one form (times a constant) in one common letter; a product of two forms in
// the same letter is not linear and is rejected. Recursion depth is bounded by
// kMaxFormNesting so hostile input cannot overflow the stack.
class Parser {
 public:
  Parser(std::string_view text, std::string_view letters) : s_(text), letters_(letters) {}

  std::optional<FormProduct> run(std::string& error) {
    try {
      Value v = sum();
      skip();
      if (pos_ != s_.size()) throw expected("'+', '-', '*' or end of input");
      FormProduct out;
      out.scale = v.constant;
      out.forms = std::move(v.forms);
      for (auto& [letter, f] : out.forms) drop_zeros(f);
      return out;
    } catch (const Error& e) {  // includes OverflowError from coefficient arithmetic
      error = e.what();
      return std::nullopt;
    }
  }

 private:
  struct Value {
    Rational constant = 1;
    std::map<char, LinearForm> forms;  // empty: the value is a constant
  };

  Error expected(const std::string& what) const { return Error("column " + std::to_string(pos_ + 1) + ": expected " + what); }
  Error failed(const std::string& what) const { return Error("column " + std::to_string(pos_ + 1) + ": " + what); }

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

  static void drop_zeros(LinearForm& f) {
    for (auto it = f.coeffs.begin(); it != f.coeffs.end();) it = it->second.is_zero() ? f.coeffs.erase(it) : std::next(it);
  }
  static void scale(LinearForm& f, const Rational& k) {
    for (auto& [key, c] : f.coeffs) c *= k;
  }
  // A constant next to exactly one form belongs to that form.
  static void fold(Value& v) {
    if (v.forms.size() != 1 || v.constant == Rational(1)) return;
    scale(v.forms.begin()->second, v.constant);
    v.constant = 1;
  }

  Value sum() {
    Value first = term();
    skip();
    if (pos_ >= s_.size() || (s_[pos_] != '+' && s_[pos_] != '-')) return first;
    LinearForm out;
    auto accumulate = [&](Value& t, int sign) {
      if (t.forms.empty()) throw failed("a constant term in a sum is not a linear form");
      if (t.forms.size() > 1) throw failed("a product of several factors inside a sum is not a linear form");
      fold(t);
      const LinearForm& f = t.forms.begin()->second;
      if (out.letter && out.letter != f.letter)
        throw failed("a sum mixes variables '" + std::string(1, out.letter) + "' and '" + std::string(1, f.letter) + "'");
      out.letter = f.letter;
      for (const auto& [key, c] : f.coeffs) out.coeffs[key] += sign > 0 ? c : -c;
    };
    accumulate(first, 1);
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
    Value v;
    v.forms[out.letter] = std::move(out);
    return v;
  }

  Value term() {
    bool negative = false;
    for (;;) {
      if (eat('-')) negative = !negative;
      else if (!eat('+')) break;
    }
    Value v = factor();
    for (;;) {
      skip();
      if (eat('*')) {
        v = multiply(std::move(v), factor());
      } else if (eat('/')) {
        Value d = factor();
        if (!d.forms.empty() || d.constant.is_zero()) throw expected("a nonzero number after '/'");
        Value k;
        k.constant = Rational(1) / d.constant;
        v = multiply(std::move(v), std::move(k));
      } else if (pos_ < s_.size() && (s_[pos_] == '(' || std::isalpha(static_cast<unsigned char>(s_[pos_])))) {
        v = multiply(std::move(v), factor());  // juxtaposition: "2a11", "2(a11+a12)", "(a11)(b11)"
      } else {
        break;
      }
    }
    if (negative) v.constant = -v.constant;
    fold(v);
    return v;
  }

  Value multiply(Value a, Value b) {
    Value out;
    out.constant = a.constant * b.constant;
    out.forms = std::move(a.forms);
    for (auto& [letter, f] : b.forms) {
      if (out.forms.count(letter))
        throw failed("a product of two factors in '" + std::string(1, letter) + "' is not linear in '" + std::string(1, letter) + "'");
      out.forms.emplace(letter, std::move(f));
    }
    fold(out);
    return out;
  }

  Value factor() {
    skip();
    if (pos_ >= s_.size()) throw expected("a number, a variable or '('");
    char c = s_[pos_];
    if (c == '(') {
      if (++depth_ > kMaxFormNesting) throw failed("parentheses nested deeper than " + std::to_string(kMaxFormNesting));
      ++pos_;
      Value v = sum();
      if (!eat(')')) throw expected("')'");
      --depth_;
      fold(v);
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t start = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      auto r = Rational::parse(s_.substr(start, pos_ - start));
      if (!r) throw Error("column " + std::to_string(start + 1) + ": number out of range (at most 2^63-1)");
      Value v;
      v.constant = *r;
      return v;
    }
    if (letters_.find(c) != std::string_view::npos) {
      ++pos_;
      auto digits = [&]() {
        size_t start = pos_;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
        return s_.substr(start, pos_ - start);
      };
      std::string_view first = digits();
      int row = 0, col = 0;
      if (pos_ < s_.size() && s_[pos_] == '_') {
        ++pos_;
        std::string_view second = digits();
        if (first.empty() || second.empty() || first.size() > 3 || second.size() > 3) throw expected("indices like a10_12");
        row = std::stoi(std::string(first));
        col = std::stoi(std::string(second));
      } else {
        if (first.size() != 2)
          throw expected("a variable with two one-digit indices, like " + std::string(1, c) + "12 (or " + std::string(1, c) +
                         "10_12)");
        row = first[0] - '0';
        col = first[1] - '0';
      }
      if (row < 1 || col < 1) throw expected("1-based indices");
      Value v;
      LinearForm& f = v.forms[c];
      f.letter = c;
      f.coeffs[{row - 1, col - 1}] = 1;
      return v;
    }
    throw expected("a number, a variable (" + std::string(letters_) + ") or '('");
  }

  std::string_view s_;
  std::string_view letters_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

std::optional<LinearForm> parse_linear_form(std::string_view text, std::string_view letters, std::string& error) {
  auto p = Parser(text, letters).run(error);
  if (!p) return std::nullopt;
  if (p->forms.size() != 1 || p->scale != Rational(1)) {
    error = p->forms.empty() ? "expected a linear form, found a constant" : "expected one linear form, found a product of several";
    return std::nullopt;
  }
  return std::move(p->forms.begin()->second);
}

std::optional<FormProduct> parse_form_product(std::string_view text, std::string_view letters, std::string& error) {
  return Parser(text, letters).run(error);
}

}  // namespace fmm
