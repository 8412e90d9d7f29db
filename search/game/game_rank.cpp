#include "search/game/game_rank.hpp"

#include <cstdint>
#include <utility>
#include <vector>

#include "tensor/error.hpp"

namespace fmm::game {

namespace {

__extension__ using i128 = __int128;  // GCC/Clang extension; silences -Wpedantic

std::int64_t narrow(i128 x) {
  if (x > INT64_MAX || x < INT64_MIN) throw OverflowError("slice rank: Bareiss elimination left the 64-bit range");
  return static_cast<std::int64_t>(x);
}

}  // namespace

int rank_over_q(std::span<const int> matrix, int rows, int cols) {
  std::vector<std::int64_t> m(matrix.begin(), matrix.end());
  auto at = [&](int r, int c) -> std::int64_t& { return m[size_t(r) * cols + c]; };
  std::int64_t prev_pivot = 1;
  int rank = 0;
  for (int c = 0; c < cols && rank < rows; ++c) {
    int pivot = -1;
    for (int r = rank; r < rows; ++r)
      if (at(r, c) != 0) { pivot = r; break; }
    if (pivot < 0) continue;
    if (pivot != rank)
      for (int k = 0; k < cols; ++k) std::swap(at(pivot, k), at(rank, k));
    const std::int64_t p = at(rank, c);
    for (int r = rank + 1; r < rows; ++r) {
      const std::int64_t f = at(r, c);
      for (int k = c + 1; k < cols; ++k) {
        // Bareiss step: the division is exact (Sylvester's identity).
        i128 num = i128(p) * at(r, k) - i128(f) * at(rank, k);
        at(r, k) = narrow(num / prev_pivot);
      }
      at(r, c) = 0;
    }
    prev_pivot = p;
    ++rank;
  }
  return rank;
}

int rank_over_gf2(std::span<const int> matrix, int rows, int cols) {
  const int words = (cols + 63) / 64;
  std::vector<std::uint64_t> bits(size_t(rows) * words, 0);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      if (matrix[size_t(r) * cols + c] & 1) bits[size_t(r) * words + c / 64] |= std::uint64_t(1) << (c % 64);
  int rank = 0;
  for (int c = 0; c < cols && rank < rows; ++c) {
    const std::uint64_t mask = std::uint64_t(1) << (c % 64);
    const int word = c / 64;
    int pivot = -1;
    for (int r = rank; r < rows; ++r)
      if (bits[size_t(r) * words + word] & mask) { pivot = r; break; }
    if (pivot < 0) continue;
    for (int k = 0; k < words; ++k) std::swap(bits[size_t(pivot) * words + k], bits[size_t(rank) * words + k]);
    for (int r = 0; r < rows; ++r)
      if (r != rank && (bits[size_t(r) * words + word] & mask))
        for (int k = 0; k < words; ++k) bits[size_t(r) * words + k] ^= bits[size_t(rank) * words + k];
    ++rank;
  }
  return rank;
}

}  // namespace fmm::game
