#include "codegen/linear_program.hpp"

#include <functional>
#include <numeric>

#include "tensor/error.hpp"

namespace fmm::codegen {

namespace {

int form_additions(const Form& f) { return f.empty() ? 0 : static_cast<int>(f.size()) - 1; }

// A form as coprime integers times a rational scale: c_x = scale * n_x.
struct ScaledForm {
  Rational scale = 1;
  IntForm form;
};

ScaledForm to_integers(const Form& f) {
  ScaledForm out;
  if (f.empty()) return out;
  std::int64_t lcm = 1;
  for (const Term& t : f) lcm = checked_lcm(lcm, t.coef.den());
  std::int64_t g = 0;
  for (const Term& t : f) {
    const std::int64_t n = checked_mul(t.coef.num(), lcm / t.coef.den());
    out.form.push_back({t.var, n});
    g = checked_gcd(g, n);
  }
  for (IntTerm& t : out.form) t.coef /= g;
  out.scale = Rational(g, lcm);
  return out;
}

LinearProgram run(int inputs, std::vector<Form> outputs, const std::function<IntProgram(const std::vector<IntForm>&)>& reduce) {
  std::vector<ScaledForm> scaled;
  std::vector<IntForm> forms;
  try {
    for (const Form& f : outputs) {
      scaled.push_back(to_integers(f));
      forms.push_back(scaled.back().form);
    }
  } catch (const OverflowError&) {  // the common denominator of a form does not fit 64 bits
    return plain_program(inputs, std::move(outputs));
  }
  const IntProgram ip = reduce(forms);
  LinearProgram program;
  program.inputs = inputs;
  for (const auto& t : ip.temps) program.temps.push_back({{t[0].var, Rational(t[0].coef)}, {t[1].var, Rational(t[1].coef)}});
  for (size_t o = 0; o < ip.outputs.size(); ++o) {
    Form f;
    for (const IntTerm& t : ip.outputs[o]) f.push_back({t.var, scaled[o].scale * Rational(t.coef)});
    program.outputs.push_back(std::move(f));
  }
  return program;
}

}  // namespace

ReduceOptions cse_options(CseEffort effort) {
  switch (effort) {
    case CseEffort::Greedy:
      return {.runs = 0, .seed = 1, .work_limit = 0};
    case CseEffort::Default:
      return {.runs = 2048, .seed = 1, .work_limit = 10'000'000};
    case CseEffort::Thorough:
      return {.runs = 1 << 16, .seed = 1, .work_limit = 100'000'000};
  }
  return {};
}

std::optional<CseEffort> parse_cse_effort(const std::string& text) {
  if (text == "greedy") return CseEffort::Greedy;
  if (text == "default") return CseEffort::Default;
  if (text == "thorough") return CseEffort::Thorough;
  return std::nullopt;
}

std::string to_string(CseEffort effort) {
  return effort == CseEffort::Greedy ? "greedy" : effort == CseEffort::Default ? "default" : "thorough";
}

int plain_additions(const std::vector<Form>& forms) {
  int total = 0;
  for (const Form& f : forms) total += form_additions(f);
  return total;
}

int LinearProgram::additions() const { return plain_additions(temps) + plain_additions(outputs); }

LinearProgram plain_program(int inputs, std::vector<Form> outputs) {
  LinearProgram program;
  program.inputs = inputs;
  program.outputs = std::move(outputs);
  return program;
}

LinearProgram eliminate_common_subexpressions(int inputs, std::vector<Form> outputs, const ReduceOptions& options) {
  return run(inputs, std::move(outputs),
             [&](const std::vector<IntForm>& forms) { return reduce_additions(inputs, forms, options); });
}

LinearProgram greedy_common_subexpressions(int inputs, std::vector<Form> outputs) {
  return run(inputs, std::move(outputs), [&](const std::vector<IntForm>& forms) { return greedy_pairs(inputs, forms); });
}

}  // namespace fmm::codegen
