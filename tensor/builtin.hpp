// Schemes every user expects to have without a file: the standard algorithm,
// Strassen (1969), Winograd's variant (1971) and Laderman (1976).
#pragma once

#include <string>
#include <vector>

#include "tensor/scheme.hpp"

namespace fmm {

Scheme standard_scheme(const Shape& shape);  // rank nmp, one product per A[i][j]*B[j][k]
Scheme strassen_scheme();                    // <2,2,2;7>, 18 additions
Scheme winograd_scheme();                    // <2,2,2;7>, 15 additions with reuse
Scheme laderman_scheme();                    // <3,3,3;23>
Scheme lowadd333_scheme();                   // <3,3,3;23>, coefficients {-1,0,1}, fewest additions we found

// Names accepted wherever a scheme file is expected: "strassen", "winograd", "laderman",
// "lowadd333", "standard:NxMxP", "random:NxMxP:K:SEED" (a GF(2) random start,
// tensor/random_start.hpp). Returns the verified scheme or throws fmm::Error for an unknown name.
Scheme builtin_scheme(const std::string& name);
bool is_builtin_name(const std::string& name);
std::vector<std::string> builtin_names();  // for --help and --list

// Builds a scheme from products written as linear forms, "(a11+a22)", "(b11+b22)",
// "(c11+c22)", 1-based and with C NOT transposed. Used for the builtins and in tests.
struct TermText {
  const char* a;
  const char* b;
  const char* c;
};
Scheme scheme_from_terms(const Shape& shape, const std::vector<TermText>& terms, const std::string& source);

}  // namespace fmm
