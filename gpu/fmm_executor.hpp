// Runs an FmmPlan on the GPU for any M, N, K, straight from a verified scheme (no generated
// code): the path for scheme files given at run time and the reference the generated kernels
// are checked against.
//
// The products stream through a bounded workspace in chunks (codegen/chunk_schedule.hpp: the
// products grouped greedily so that chunks share the blocks they read and write). Per chunk:
//   1. one kernel reads the A blocks the chunk needs, once, and writes its left operands
//      S_r = sum u_r A_ij, one for B writes T_r = sum v_r B_jk (each thread block stages one
//      tile position of every needed block in shared memory);
//   2. the leaf products P_r = S_r T_r: one cublas<T>gemmStridedBatched call (LeafMode::Batched)
//      or one GEMM per product (LeafMode::Looped, where P_r overwrites the operands of the
//      product before it, whose GEMM is done: a chunk then needs about two blocks a product,
//      not three, and holds half as many products again);
//   3. one kernel adds alpha sum w_r P_r into the C blocks the chunk feeds: C = that + beta C
//      where the chunk is the first to write a block (C is never read when beta == 0, so a
//      poisoned output stays detectable), C += that where an earlier chunk wrote it.
// LeafMode::Pipelined splits the workspace in two and overlaps the memory-bound passes with the
// compute-bound leaf products: while chunk k's GEMMs run on the caller's stream, a second stream
// forms chunk k+1's operands in the other half and then adds chunk k-1's products into C (the
// C passes stay in order on that one stream, so chunks that share C blocks never race).
// Sizes that do not divide are padded virtually: blocks are ceil(M/n) rounded up to 32 rows,
// out-of-range elements read as zero and are never written.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <map>
#include <memory>
#include <tuple>

#include "gpu/fmm_plan.hpp"
#include "gpu/gemm_problem.hpp"

namespace fmm::gpu {

// The workspace limit of every fast path unless the caller gives another: `fraction` (a quarter)
// of the bytes of A, B and C.
size_t default_workspace_limit(Precision p, long long M, long long N, long long K, double fraction = 0.25);

class FmmExecutor {
 public:
  // How the leaf products run: one strided-batched call per chunk, or one GEMM per product
  // (cuBLAS may pick a different kernel for a lone product than for a batch).
  enum class LeafMode { Batched, Looped, Pipelined };

  explicit FmmExecutor(FmmPlan plan, LeafMode leaf = LeafMode::Batched);
  LeafMode leaf_mode() const { return leaf_; }
  ~FmmExecutor();
  FmmExecutor(FmmExecutor&&) noexcept;
  FmmExecutor& operator=(FmmExecutor&&) noexcept;

  const FmmPlan& plan() const { return plan_; }

  struct Geometry {
    long long bm = 0, bk = 0, bn = 0;  // leaf block sizes (padded)
  };
  Geometry geometry(long long M, long long N, long long K) const;
  // Workspace of one chunk of `capacity` products in this leaf mode's layout.
  size_t chunk_bytes(Precision p, long long M, long long N, long long K, int capacity) const;
  // The most products a chunk can hold in `bytes` (at most the rank; 0: not even one).
  int chunk_capacity(Precision p, long long M, long long N, long long K, size_t bytes) const;
  // Workspace run() uses when given at most `limit` bytes; 0 when not even one product fits.
  size_t workspace_size(Precision p, long long M, long long N, long long K, size_t limit) const;
  // Least workspace run() accepts: a chunk of one product.
  size_t min_workspace_size(Precision p, long long M, long long N, long long K) const {
    return chunk_bytes(p, M, N, K, 1);
  }
  // Number of chunks run() will use with `bytes` of workspace (0: too little workspace).
  int chunk_count(Precision p, long long M, long long N, long long K, size_t bytes) const;

  // Time spent in each phase (CUDA events between them, summed over chunks).
  struct PhaseTimes {
    double form_ms = 0;     // operand sums S and T
    double gemm_ms = 0;     // the leaf products
    double combine_ms = 0;  // C from the products
    int chunks = 0;
  };

  // Enqueues the product on `stream` (set on the handle). Throws CudaError on any failure
  // and fmm::Error when the workspace is smaller than one product needs. With `times`, it
  // also records events between the phases and synchronizes the stream to read them.
  void run(const GemmProblem& problem, void* workspace, size_t bytes, cublasHandle_t handle, cudaStream_t stream,
           PhaseTimes* times = nullptr) const;

  struct Schedule;    // a chunking of the products with its tables on the device
  struct SideStream;  // the second stream and its events (Pipelined)

 private:
  const Schedule& schedule_for(int capacity, const Geometry& g, Precision p) const;
  int smem_capacity(Precision p) const;
  FmmPlan plan_;
  LeafMode leaf_ = LeafMode::Batched;
  // Chunkings built so far, by (capacity, leaf block shape): the grouping weighs the blocks by
  // their sizes. Built on first use (needs a CUDA context for the tables).
  mutable std::map<std::tuple<int, long long, long long, long long>, std::shared_ptr<Schedule>> schedules_;
  mutable std::unique_ptr<SideStream> side_;
};

}  // namespace fmm::gpu
