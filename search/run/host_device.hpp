// FMM_BANK_HD marks code that the host walks and the GPU walk plugin's kernels both compile
// (walker banks: search/flip/bank_walk*.hpp, search/symmetric/orbit_bank*.hpp; rules shared
// with the CPU walks: walk_stop.hpp). Such code uses no heap, std containers or exceptions.
#pragma once

#if defined(__CUDACC__)
#define FMM_BANK_HD __host__ __device__ __forceinline__
#define FMM_BANK_UNROLL _Pragma("unroll")
#else
#define FMM_BANK_HD inline
#define FMM_BANK_UNROLL
#endif
