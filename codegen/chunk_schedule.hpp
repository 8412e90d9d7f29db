// Streaming the block products of a flattened scheme through a bounded workspace.
//
// The fast path forms each product's operands S_r = sum u_r A_ij and T_r = sum v_r B_jk, multiplies
// P_r = S_r T_r and adds P_r into the C blocks w_r names. Holding all R products at once needs R
// times (one A block + one B block + one C block) of workspace: for Strassen^3 that is 5.4 times
// A + B + C. Instead the products run in chunks of at most `capacity`, each chunk breadth-first
// (one pass over the A blocks it reads, one over the B blocks, one leaf GEMM call, one pass that
// adds its products into C), the chunks one after another ("depth-first over the outer levels,
// breadth-first within a chunk"; cf. Boyer, Dumas, Pernet & Zhou, "Memory efficient scheduling of
// Strassen-Winograd's matrix multiplication algorithm", ISSAC 2009, for the one-level case).
//
// What chunking costs is memory traffic: a block of A read by two chunks is read twice, and a C
// block that two chunks add to is read and written by the second one. Which products share a
// chunk decides that traffic, so the products are grouped greedily: a chunk starts with the first
// product not yet placed and repeatedly takes the product that adds the fewest new bytes (new A
// and B blocks to read, new C blocks to write, twice for a C block an earlier chunk already wrote).
// For Strassen^3 with 16 products a chunk (what a quarter of A + B + C holds at M = N = K) the reads
// of A and B and the writes of C come to 27.3 N^2 elements, against 32.6 N^2 for chunks taken in
// the Kronecker order and 3 N^2 for one pass over all 343 products; forming the operands and
// reading the products adds 16.1 N^2 either way (tests/codegen/test_chunk_schedule.cpp).
#pragma once

#include <vector>

#include "tensor/scheme.hpp"

namespace fmm::codegen {

// The blocks one product reads (A: i*m+j, B: j*p+k) and adds to (C: i*p+k), sorted.
struct ProductFootprint {
  std::vector<int> a, b, c;
};

// Footprints of the R products of a (flattened) scheme: the nonzero supports of u_r, v_r, w_r.
std::vector<ProductFootprint> product_footprints(const Scheme& flat);

// Relative sizes of one A, B and C block (e.g. bytes), the weights of the greedy grouping.
struct BlockWeights {
  double a = 1, b = 1, c = 1;
};

struct Chunk {
  std::vector<int> products;  // in the order they were taken
  std::vector<int> a_blocks;  // union of the A blocks they read, sorted
  std::vector<int> b_blocks;  // union of the B blocks they read, sorted
  std::vector<int> c_blocks;  // union of the C blocks they add to, sorted
  // Per c_blocks entry: 1 when no earlier chunk added to that block (the combine writes
  // alpha*sum + beta*C there), 0 when it accumulates onto what earlier chunks wrote.
  std::vector<char> c_first;
};

// Chunks of at most `capacity` products (capacity >= R: one chunk in product order). Deterministic:
// ties go to the smallest product index. Throws fmm::Error when capacity < 1 or when some C block
// receives no product (no scheme for matrix multiplication does that).
std::vector<Chunk> schedule_chunks(const std::vector<ProductFootprint>& products, int c_block_count,
                                   int capacity, BlockWeights weights = {});

// Traffic of a schedule outside the leaf products, in the weights' unit: each chunk reads its
// A and B blocks once, writes its first-touched C blocks and reads and writes the others.
double schedule_traffic(const std::vector<Chunk>& chunks, BlockWeights weights = {});

}  // namespace fmm::codegen
