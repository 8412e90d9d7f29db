// Device side of the sampled check: gathers the few rows of A, columns of B and entries of C
// that an OutputSample needs, upcast to double, so only those cross to the host.
#pragma once

#include <cuda_runtime.h>

#include <vector>

#include "gpu/matrix_ops.hpp"

namespace fmm::gpu {

// Column-major A (ld lda, K columns): the rows `rows` as a rows.size() x K row-major block.
std::vector<double> gather_rows_to_host(const void* a, Elem elem, long long lda, long long K,
                                        const std::vector<long long>& rows, cudaStream_t stream);
// Column-major B (ld ldb, K rows): the columns `cols`, each K long, one after another.
std::vector<double> gather_cols_to_host(const void* b, Elem elem, long long ldb, long long K,
                                        const std::vector<long long>& cols, cudaStream_t stream);
// C(rows[i], cols[j]) at i + j * rows.size().
std::vector<double> gather_entries_to_host(const void* c, Elem elem, long long ldc, const std::vector<long long>& rows,
                                           const std::vector<long long>& cols, cudaStream_t stream);

}  // namespace fmm::gpu
