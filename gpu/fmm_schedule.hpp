// The host side of the executor's chunked run (gpu/fmm_executor.hpp), kept apart from the kernels
// so that tests can replay it on the CPU: the tables each chunk's kernels read, and where a
// chunk's operands and products sit in the workspace.
#pragma once

#include <cstddef>
#include <vector>

#include "codegen/chunk_schedule.hpp"
#include "gpu/fmm_plan.hpp"

namespace fmm::gpu {

// One chunking of a plan's products and the tables its kernels read. Per chunk, for A and for B:
// the blocks to stage (sorted), per product of the chunk the range of its terms, and per term the
// staged slot and coefficient; for C: the blocks the chunk feeds, whether each is a first write,
// per block the range of its terms, and per term the chunk-local product and coefficient. All
// integers live in `ints`, all coefficients in `coefs`; the tables hold offsets into them.
struct ScheduleTables {
  struct Side {
    int list = 0, nlist = 0;  // staged blocks (A, B) or fed C blocks: ints[list .. list + nlist)
    int first = 0;            // C only: first-write flags, ints[first .. first + nlist)
    int offs = 0;             // term ranges: ints[offs .. offs + count + 1) (count: products or C blocks)
    int idx = 0;              // per term: staged slot (A, B) or chunk-local product (C)
    int coef = 0;             // per term: coefs[coef + e]
  };
  struct ChunkTables {
    int products = 0;
    Side a, b, c;
  };
  std::vector<codegen::Chunk> chunks;
  std::vector<ChunkTables> tables;
  int capacity = 0;                        // products in the largest chunk
  int max_staged_a = 0, max_staged_b = 0;  // most blocks a chunk stages
  std::vector<int> ints;
  std::vector<double> coefs;
};

// Groups the plan's products into chunks of at most `capacity` (codegen::schedule_chunks, blocks
// weighted by `weights`) and builds their tables.
ScheduleTables build_schedule_tables(const FmmPlan& plan, int capacity, codegen::BlockWeights weights);

// Where one chunk's operands S_rr, T_rr and products P_rr sit in the workspace, in bytes.
// Batched leaves: S_0..S_{c-1}, then T_0.., then P_0.. (one strided-batched call reads them).
// Looped leaves, when a product fits in the space of one S and one T ("reuse"): P_0, then one slot
// (S_rr, T_rr) per product, and P_rr for rr >= 1 over the slot of product rr - 1, whose GEMM ran
// before (same stream): about two blocks a product instead of three.
struct WorkspaceLayout {
  size_t s = 0, t = 0, p = 0;  // bytes of one S, T, P (rounded up to 256)
  bool reuse = false;
  size_t bytes(int capacity) const;
  size_t s_offset(int capacity, int rr) const;
  size_t t_offset(int capacity, int rr) const;
  size_t p_offset(int capacity, int rr) const;
  // The most products `bytes` holds (0: not even one).
  long long capacity_for(size_t bytes) const;
};
WorkspaceLayout workspace_layout(long long bm, long long bk, long long bn, size_t work_bytes, size_t out_bytes,
                                 bool looped);

}  // namespace fmm::gpu
