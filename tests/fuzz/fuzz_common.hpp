// Shared body of the format fuzz targets: parse; if that succeeds, verify (for tensors
// small enough to keep the fuzzer fast) and, when valid, check that writing and reading
// back gives the same coefficients. Only fmm::ParseError may escape a parser; anything
// else (another exception, a sanitizer report, a round-trip mismatch) aborts.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

namespace fmm::fuzz {

inline constexpr long kMaxVerifiedTensor = 1L << 18;  // (nm)(mp)(np) Brent equations

inline bool small_enough(const Scheme& s) {
  const Shape& sh = s.shape();
  return long(sh.a_size()) * sh.b_size() * sh.c_size() * (s.rank() + 1) <= kMaxVerifiedTensor * 8;
}

[[noreturn]] inline void die(const char* what) {
  std::fprintf(stderr, "fuzz target invariant broken: %s\n", what);
  std::abort();
}

inline bool same_coefficients(const Scheme& a, const Scheme& b) {
  return a.shape() == b.shape() && a.rank() == b.rank() && a.u_data() == b.u_data() && a.v_data() == b.v_data() &&
         a.w_data() == b.w_data();
}

// Runs parse; on success verifies and round-trips through `write` and `parse`.
inline void exercise(const std::string& input, const std::function<Scheme(const std::string&)>& parse,
                     const std::function<std::string(const Scheme&)>& write) {
  Scheme s;
  try {
    s = parse(input);
  } catch (const ParseError&) {
    return;  // the expected outcome for most inputs
  }
  if (!s.shape().valid()) die("parser returned an invalid shape");
  if (!small_enough(s)) return;
  if (!verify(s).ok) return;
  Scheme back = parse(write(s));
  if (!same_coefficients(s, back)) die("write/parse round trip changed a valid scheme");
}

}  // namespace fmm::fuzz
