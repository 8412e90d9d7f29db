#include "codegen/linear_program.hpp"

#include <algorithm>
#include <tuple>

namespace fmm::codegen {

namespace {

int form_additions(const Form& f) { return f.empty() ? 0 : static_cast<int>(f.size()) - 1; }

// The subexpression x_i + ratio * x_j (i < j). A form holding c_i x_i + c_j x_j contains it
// when c_j = ratio * c_i; it then becomes c_i * t.
struct Pair {
  int i = 0, j = 0;
  Rational ratio;
  friend bool operator==(const Pair&, const Pair&) = default;
  friend bool operator<(const Pair& a, const Pair& b) {
    return std::tie(a.i, a.j, a.ratio) < std::tie(b.i, b.j, b.ratio);
  }
};

// Most frequent pair across the forms, counting each form at most once per pair (a form's
// pairs are distinct because its variables are). Returns the count and the pair.
std::pair<int, Pair> most_frequent_pair(const std::vector<Form>& forms) {
  std::vector<Pair> pairs;
  for (const Form& f : forms)
    for (size_t a = 0; a < f.size(); ++a)
      for (size_t b = a + 1; b < f.size(); ++b) pairs.push_back({f[a].var, f[b].var, f[b].coef / f[a].coef});
  std::sort(pairs.begin(), pairs.end());
  int best_count = 0;
  Pair best;
  for (size_t s = 0; s < pairs.size();) {
    size_t e = s + 1;
    while (e < pairs.size() && pairs[e] == pairs[s]) ++e;
    if (static_cast<int>(e - s) > best_count) {  // strict: the first (smallest) pair wins ties
      best_count = static_cast<int>(e - s);
      best = pairs[s];
    }
    s = e;
  }
  return {best_count, best};
}

// Replaces c_i x_i + c_j x_j by c_i x_t in every form containing the pair.
void substitute(std::vector<Form>& forms, const Pair& pair, int t) {
  for (Form& f : forms) {
    auto xi = std::find_if(f.begin(), f.end(), [&](const Term& term) { return term.var == pair.i; });
    auto xj = std::find_if(f.begin(), f.end(), [&](const Term& term) { return term.var == pair.j; });
    if (xi == f.end() || xj == f.end() || xj->coef != pair.ratio * xi->coef) continue;
    const Rational scale = xi->coef;
    f.erase(std::remove_if(f.begin(), f.end(), [&](const Term& term) { return term.var == pair.i || term.var == pair.j; }),
            f.end());
    f.push_back({t, scale});  // t is the newest variable, so the form stays sorted
  }
}

}  // namespace

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

LinearProgram eliminate_common_subexpressions(int inputs, std::vector<Form> outputs) {
  LinearProgram program = plain_program(inputs, std::move(outputs));
  for (;;) {
    auto [count, pair] = most_frequent_pair(program.outputs);
    if (count < 2) break;
    const int t = program.inputs + static_cast<int>(program.temps.size());
    program.temps.push_back({{pair.i, Rational(1)}, {pair.j, pair.ratio}});
    substitute(program.outputs, pair, t);
  }
  return program;
}

}  // namespace fmm::codegen
