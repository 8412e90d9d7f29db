// Linear systems over GF(2) for Hensel lifting (search/lift/lift.cpp): J d = rhs, one matrix J
// and many right-hand sides, and a basis of the kernel of J.
//
// Two ways to solve, chosen by size. Small systems are reduced once by Gauss-Jordan on [J | I],
// so that each right-hand side costs one pass of parities. That needs rows * (rows + cols) bits
// and rows * cols * (rows + cols) / 64 word operations: minutes and gigabytes for the Jacobian of
// a <6,7,8> rank-240 scheme (112 896 equations, 35 040 unknowns). Those go to M4RI (Albrecht,
// Bard and Hart, "Algorithm 898: Efficient multiplication of dense matrices over GF(2)", ACM
// TOMS 37, 2010; the PLUQ decomposition of Albrecht, Bard and Pernet, arXiv 1111.6549), the
// Debian package libm4ri-dev, where the build found it (FMM_HAVE_M4RI): one PLUQ decomposition,
// then triangular solves per right-hand side, and the kernel read off the same decomposition.
// Every solution either way is checked against J before it is returned, and a sample of kernel
// combinations once, so a wrong answer from either path is refused, never used.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace fmm::search {

using Bits = std::vector<std::uint64_t>;
inline bool get_bit(const Bits& b, int i) { return (b[i / 64] >> (i % 64)) & 1; }
inline void flip_bit(Bits& b, int i) { b[i / 64] ^= 1ULL << (i % 64); }

class Gf2System {
 public:
  enum class Path { Auto, Small, Large };  // Large needs M4RI; tests compare the two
  Gf2System(int rows, int cols, Path path = Path::Auto);
  Gf2System(Gf2System&&) noexcept;
  Gf2System& operator=(Gf2System&&) noexcept;
  ~Gf2System();

  // Whether a system of this size is taken at all (memory and time within bounds; the large
  // path needs M4RI in the build).
  static bool fits(double rows, double cols);
  // Whether M4RI is in this build.
  static bool have_m4ri();
  // A rough forecast of eliminate()'s seconds on one core, from measurements on the 2-core VM
  // (the <3,7,8> rank-130 Jacobian, 28 224 x 13 130, in 6.6 s; <6,6,7> rank 185, 63 504 x 22 200,
  // in 33 s): lifts with a deadline skip what cannot finish before it (the decomposition itself
  // cannot be interrupted).
  static double estimated_seconds(double rows, double cols);

  void set(int r, int c);     // J[r][c] = 1; before eliminate()
  void toggle(int r, int c);  // J[r][c] ^= 1; before eliminate()
  int cols() const { return cols_; }
  int words() const { return (cols_ + 63) / 64; }  // words of a solution d

  void eliminate();
  // Solves J d = rhs (rhs has (rows + 63) / 64 words) with the free unknowns 0 on the small path
  // (on the large path a particular solution M4RI chooses). False when inconsistent.
  bool solve(const Bits& rhs, Bits& d) const;
  // A basis of {d : J d = 0}.
  std::vector<Bits> kernel() const;

 private:
  struct Small;
  struct Large;
  int cols_;
  std::unique_ptr<Small> small_;
  std::unique_ptr<Large> large_;
};

}  // namespace fmm::search
