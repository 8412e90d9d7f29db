#include "tensor/builtin.hpp"

#include <charconv>
#include <cstdint>

#include "tensor/error.hpp"
#include "tensor/linear_form.hpp"
#include "tensor/random_start.hpp"
#include "tensor/verify.hpp"

namespace fmm {

Scheme scheme_from_terms(const Shape& shape, const std::vector<TermText>& terms, const std::string& source) {
  Scheme s(shape, Field::Z);
  s.set_source(source);
  auto dense = [](const char* text, char letter, int rows, int cols) {
    std::string err;
    auto f = parse_linear_form(text, std::string(1, letter), err);
    if (!f) throw Error("builtin term '" + std::string(text) + "': " + err);
    std::vector<Rational> out(static_cast<size_t>(rows) * cols);
    for (auto& [rc, c] : f->coeffs) {
      if (rc.first >= rows || rc.second >= cols) throw Error("builtin term '" + std::string(text) + "': index out of range");
      out[static_cast<size_t>(rc.first) * cols + rc.second] = c;
    }
    return out;
  };
  for (const auto& t : terms)
    s.add_term(dense(t.a, 'a', shape.n, shape.m), dense(t.b, 'b', shape.m, shape.p), dense(t.c, 'c', shape.n, shape.p));
  s.set_field(coefficient_field(s));
  return s;
}

Scheme standard_scheme(const Shape& shape) {
  require_valid(shape);
  Scheme s(shape, Field::Z);
  s.set_source("builtin:standard:" + shape.str());
  std::vector<Rational> u(shape.a_size()), v(shape.b_size()), w(shape.c_size());
  for (int i = 0; i < shape.n; ++i)
    for (int j = 0; j < shape.m; ++j)
      for (int k = 0; k < shape.p; ++k) {
        std::fill(u.begin(), u.end(), Rational(0));
        std::fill(v.begin(), v.end(), Rational(0));
        std::fill(w.begin(), w.end(), Rational(0));
        u[shape.a_index(i, j)] = 1;
        v[shape.b_index(j, k)] = 1;
        w[shape.c_index(i, k)] = 1;
        s.add_term(u, v, w);
      }
  return s;
}

// V. Strassen, "Gaussian elimination is not optimal", Numer. Math. 13 (1969).
Scheme strassen_scheme() {
  return scheme_from_terms({2, 2, 2},
                           {
                               {"a11+a22", "b11+b22", "c11+c22"},
                               {"a21+a22", "b11", "c21-c22"},
                               {"a11", "b12-b22", "c12+c22"},
                               {"a22", "b21-b11", "c11+c21"},
                               {"a11+a12", "b22", "c12-c11"},
                               {"a21-a11", "b11+b12", "c22"},
                               {"a12-a22", "b21+b22", "c11"},
                           },
                           "builtin:strassen");
}

// S. Winograd's variant, "On multiplication of 2x2 matrices", Linear Algebra Appl. 4 (1971):
// the same 7 products arranged so that 15 additions suffice when partial sums are reused.
Scheme winograd_scheme() {
  return scheme_from_terms({2, 2, 2},
                           {
                               {"a11", "b11", "c11+c12+c21+c22"},
                               {"a12", "b21", "c11"},
                               {"a11+a12-a21-a22", "b22", "c12"},
                               {"a22", "b11-b12-b21+b22", "-c21"},
                               {"a21+a22", "b12-b11", "c12+c22"},
                               {"a21+a22-a11", "b11-b12+b22", "c12+c21+c22"},
                               {"a11-a21", "b22-b12", "c21+c22"},
                           },
                           "builtin:winograd");
}

// J. D. Laderman, "A noncommutative algorithm for multiplying 3x3 matrices using 23
// multiplications", Bull. AMS 82 (1976). Products m1..m23 in the paper's order.
Scheme laderman_scheme() {
  return scheme_from_terms({3, 3, 3},
                           {
                               {"a11+a12+a13-a21-a22-a32-a33", "b22", "c12"},
                               {"a11-a21", "-b12+b22", "c21+c22"},
                               {"a22", "-b11+b12+b21-b22-b23-b31+b33", "c21"},
                               {"-a11+a21+a22", "b11-b12+b22", "c12+c21+c22"},
                               {"a21+a22", "-b11+b12", "c12+c22"},
                               {"a11", "b11", "c11+c12+c13+c21+c22+c31+c33"},
                               {"-a11+a31+a32", "b11-b13+b23", "c13+c31+c33"},
                               {"-a11+a31", "b13-b23", "c31+c33"},
                               {"a31+a32", "-b11+b13", "c13+c33"},
                               {"a11+a12+a13-a22-a23-a31-a32", "b23", "c13"},
                               {"a32", "-b11+b13+b21-b22-b23-b31+b32", "c31"},
                               {"-a13+a32+a33", "b22+b31-b32", "c12+c31+c32"},
                               {"a13-a33", "b22-b32", "c31+c32"},
                               {"a13", "b31", "c11+c12+c13+c21+c23+c31+c32"},
                               {"a32+a33", "-b31+b32", "c12+c32"},
                               {"-a13+a22+a23", "b23+b31-b33", "c13+c21+c23"},
                               {"a13-a23", "b23-b33", "c21+c23"},
                               {"a22+a23", "-b31+b33", "c13+c23"},
                               {"a12", "b21", "c11"},
                               {"a23", "b32", "c22"},
                               {"a21", "b13", "c23"},
                               {"a31", "b12", "c32"},
                               {"a33", "b33", "c33"},
                           },
                           "builtin:laderman");
}

// <3,3,3;23> with 58 additions after codegen's common-subexpression elimination (122 plain), all
// coefficients in {-1,0,1} (Laderman's scheme needs 62, 98 plain). Found by the additions search
// (a flip walk at rank 23 and the change-of-basis orbit, scored by codegen's elimination;
// results/search/additions.md) from our own flip-search result results/schemes/3x3x3_r23_z.txt:
//   fmm search --objective additions --from results/schemes/3x3x3_r23_z.txt --max-steps 20000
//              --seed 2 --threads 2        (8 walkers; also results/schemes/3x3x3_r23_add58_z.txt)
// Signs normalised (u and v start positive).
Scheme lowadd333_scheme() {
  return scheme_from_terms({3, 3, 3},
                           {
                               {"a11-a13+a21-a23+a31-a33", "b31", "-c21"},
                               {"a32", "b23", "c12-c13-c32+c33"},
                               {"a12+a13+a32+a33", "b11+b12-b21+b31+b32", "c32"},
                               {"a11+a12", "b11+b12", "c11-c21"},
                               {"a11", "b13", "-c11+c12+c13+c31-c32-c33"},
                               {"a11+a12+a21+a22", "b21", "c21"},
                               {"a11+a21+a31-a33", "b11+b13-b21+b31", "c11-c12-c31+c32+c33"},
                               {"a31-a33", "b11+b13-b21", "-c11+c12+c31-c32"},
                               {"a21", "b12", "c11-c12-c21+c22"},
                               {"a12+a32", "b11+b12-b21-b22+b31+b32", "-c12+c13"},
                               {"a22", "b23", "c23"},
                               {"a23", "b33", "c23"},
                               {"a23", "b32", "c22"},
                               {"a11+a21+a31", "b11-b21+b31", "c31-c32-c33"},
                               {"a12+a13", "b11+b12-b21-b22-b23", "-c12+c32"},
                               {"a13", "b11+b12-b21-b22-b23+b31+b32+b33", "c13"},
                               {"a22", "b22", "c22"},
                               {"a11-a13+a21+a31-a33", "b11+b12-b21+b31", "-c11+c12+c21"},
                               {"a31+a32", "b21", "c31"},
                               {"a21", "b13", "-c11+c12+c23+c31-c32-c33"},
                               {"a12+a13-a31+a33", "b11+b12-b21", "-c11+c12+c21-c32"},
                               {"a12+a13+a32", "b11+b12-b21-b22-b23+b31+b32", "c12-c13-c32"},
                               {"a33", "b11+b13-b21+b31+b33", "c33"},
                           },
                           "builtin:lowadd333");
}

std::vector<std::string> builtin_names() {
  return {"strassen", "winograd", "laderman", "lowadd333", "standard:NxMxP", "random:NxMxP:K:SEED"};
}

bool is_builtin_name(const std::string& name) {
  return name == "strassen" || name == "winograd" || name == "laderman" || name == "lowadd333" ||
         name.rfind("standard:", 0) == 0 || name.rfind("random:", 0) == 0;
}

namespace {

// "random:NxMxP:K:SEED": tensor/random_start.hpp's start, K dense terms, seeded.
Scheme parse_random_start(const std::string& name) {
  const std::string usage = "random:NxMxP:K:SEED (K dense terms, 0..4096; SEED a non-negative integer)";
  const std::string rest = name.substr(7);
  const auto c1 = rest.find(':');
  const auto c2 = c1 == std::string::npos ? std::string::npos : rest.find(':', c1 + 1);
  if (c2 == std::string::npos || rest.find(':', c2 + 1) != std::string::npos)
    throw Error("builtin '" + name + "': expected " + usage);
  const Shape shape = parse_shape(rest.substr(0, c1));
  auto number = [&](const std::string& text) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
      throw Error("builtin '" + name + "': expected " + usage);
    return value;
  };
  const std::uint64_t k = number(rest.substr(c1 + 1, c2 - c1 - 1));
  if (k > 4096) throw Error("builtin '" + name + "': expected " + usage);
  return random_start_scheme(shape, static_cast<int>(k), number(rest.substr(c2 + 1)));
}

}  // namespace

Scheme builtin_scheme(const std::string& name) {
  Scheme s;
  if (name == "strassen") s = strassen_scheme();
  else if (name == "winograd") s = winograd_scheme();
  else if (name == "laderman") s = laderman_scheme();
  else if (name == "lowadd333") s = lowadd333_scheme();
  else if (name.rfind("standard:", 0) == 0) s = standard_scheme(parse_shape(name.substr(9)));
  else if (name.rfind("random:", 0) == 0) s = parse_random_start(name);
  else throw Error("unknown builtin scheme '" + name +
                   "' (known: strassen, winograd, laderman, lowadd333, standard:NxMxP, random:NxMxP:K:SEED)");
  require_verified(s, "builtin " + name);
  return s;
}

}  // namespace fmm
