// Exact matrix ranks for the game's terminal penalty: over Q by fraction-free (Bareiss)
// elimination, over GF(2) by elimination on 64-bit words.
// E. H. Bareiss, "Sylvester's identity and multistep integer-preserving Gaussian elimination",
// Math. Comp. 22 (1968): every intermediate entry is a minor of the input, so it stays an integer
// bounded by Hadamard's bound; we still check every product and throw fmm::OverflowError.
#pragma once

#include <span>

namespace fmm::game {

// Rank over Q of a rows x cols integer matrix (row-major).
int rank_over_q(std::span<const int> matrix, int rows, int cols);
// Rank over GF(2) of a rows x cols matrix; entries are read modulo 2.
int rank_over_gf2(std::span<const int> matrix, int rows, int cols);

}  // namespace fmm::game
