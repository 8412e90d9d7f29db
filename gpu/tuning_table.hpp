// Which algorithm fmm::gemm runs, per GPU, precision and shape: a small text file written by
// `fmm bench --tune` from measured rows and committed under results/<gpu>/tuning.txt.
//
//   # comments; several cards may follow one another, each under its gpu line
//   gpu NVIDIA H100 80GB HBM3
//   f32 16384 16384 16384 strassen^2 1.231
//   f32 4096 4096 4096 cublas 1
//
// A row names the fastest candidate that passed its check at that shape, or cublas when no
// candidate beat cuBLAS by more than the noise margin. Lookups on another GPU find nothing.
#pragma once

#include <string>
#include <vector>

#include "gpu/precision.hpp"

namespace fmm::gpu {

struct TuningEntry {
  std::string gpu;                // cudaDeviceProp::name of the card it was measured on
  Precision precision = Precision::F32;
  long long M = 0, N = 0, K = 0;
  // "cublas", or a fast candidate: "strassen^2" (run-time executor, batched leaves),
  // "strassen^3/loop" (one leaf GEMM per product), "strassen^2/gen" (generated kernel)
  std::string choice = "cublas";
  double speedup = 1;             // measured, informational
};

class TuningTable {
 public:
  // Throws fmm::ParseError naming `source` and the line on malformed text.
  static TuningTable parse(const std::string& text, const std::string& source);
  static TuningTable from_file(const std::string& path);
  // The table committed for this build (results/*/tuning.txt at configure time); may be empty.
  static TuningTable builtin();

  // Rows grouped under one "gpu NAME" line per card.
  std::string to_text() const;
  void add(const TuningEntry& e) { entries_.push_back(e); }
  const std::vector<TuningEntry>& entries() const { return entries_; }
  void merge(const TuningTable& other);  // other's rows replace ours at equal (gpu, precision, shape)

  // The governing entry for a call: same GPU and precision, every dimension of the entry at
  // most the call's (FMM's advantage grows with size, so we never extrapolate downward), the
  // same shape class (each ratio M/N, M/K, N/K within a factor of 2 of the entry's: a square
  // measurement says nothing about a K-heavy call, where cuBLAS may split K and the leaves are
  // thin), and of those the nearest in log distance. nullptr: run cuBLAS.
  const TuningEntry* lookup(const std::string& gpu_name, Precision p, long long M, long long N, long long K) const;

 private:
  std::vector<TuningEntry> entries_;
};

}  // namespace fmm::gpu
