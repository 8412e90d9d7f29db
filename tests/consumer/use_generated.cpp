// Multiplies with a generated GEMM's C++ twin and checks it exactly against the naive product
// on small integers (exact in double), including sizes its blocks do not divide.
#include <cstdio>
#include <vector>

#include GEMM_HEADER

int main() {
  for (int n : {1, 7, 16, 33}) {
    const int M = n, K = n + 1, N = n + 2;
    std::vector<double> A(M * K), B(K * N), C(M * N, 0), D(M * N, 0);
    for (int i = 0; i < M * K; ++i) A[i] = (i * 7 % 11) - 5;
    for (int i = 0; i < K * N; ++i) B[i] = (i * 5 % 13) - 6;
    for (int i = 0; i < M; ++i)
      for (int k = 0; k < N; ++k)
        for (int j = 0; j < K; ++j) D[i * N + k] += A[i * K + j] * B[j * N + k];
    const auto bytes = GEMM::cpu::workspace_size<double>(M, N, K, 1);
    std::vector<char> workspace(bytes + 64);
    const auto status = GEMM::cpu::gemm<double>(M, N, K, 1.0, A.data(), K, B.data(), N, 0.0, C.data(), N,
                                                workspace.data(), workspace.size(), 1);
    if (status != GEMM::cpu::Status::Success || C != D) {
      std::printf("n=%d: generated GEMM differs from the naive product\n", n);
      return 1;
    }
  }
  std::printf("generated GEMM equals the naive product\n");
  return 0;
}
