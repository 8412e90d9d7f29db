// torch.ops.fmm.matmul(a, b, scheme): C = a @ b through one of fmm's generated GEMMs.
//
// - CUDA: runs on PyTorch's current stream with PyTorch's cuBLAS handle (its math mode follows
//   torch.backends.cuda.matmul.allow_tf32, as torch.matmul's does), workspace from the caching
//   allocator. float32 and float64 only; the scheme must have a kernel of that dtype.
// - Strides: the generated kernels read dense matrices with a leading dimension, so a
//   non-contiguous operand (a transposed or sliced view) is copied to a contiguous one first.
// - Meta: shape and dtype only, so torch.compile (FakeTensor) traces through the operator.
// - CPU: an error that says the operator needs CUDA tensors.
// Autograd is registered in Python (fmm_torch/__init__.py), with the operator itself.
//
// Error messages carry numbers as strings made by std::to_string, never streamed: with PyTorch
// 2.11 (cu130 wheel) an integer streamed into a TORCH_CHECK message from this extension crashed
// the process (SIGSEGV on the shape and dimension errors, measured on the H200 box) while
// messages of strings alone were raised as RuntimeError; the facets std::ostream formats numbers
// with are the suspected cause (a libstdc++ of the extension's compiler, newer than the wheel's).
#include <ATen/ATen.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>
#include <torch/library.h>

#include <algorithm>
#include <string>

#include "kernel_registry.hpp"

namespace fmm_torch {
namespace {

// "strassen2_f32" also answers to "strassen2" for float32 (and "_f64" for float64).
std::string stem(const std::string& name) {
  for (const char* suffix : {"_f32", "_f64"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
      return name.substr(0, name.size() - s.size());
  }
  return name;
}

// "[64, 63]": sizes as text without streaming integers (see the note at the top).
std::string sizes_text(const at::Tensor& t) {
  std::string out = "[";
  for (std::int64_t d = 0; d < t.dim(); ++d) {
    const c10::SymInt& s = t.sym_size(d);
    out += (d ? ", " : "") + (s.is_heap_allocated() ? std::string("?") : std::to_string(s.as_int_unchecked()));
  }
  return out + "]";
}

const Kernel& find_kernel(const std::string& scheme, at::ScalarType dtype) {
  const bool want_double = dtype == at::kDouble;
  for (const bool by_stem : {false, true})
    for (const Kernel& k : kernels())
      if ((by_stem ? stem(k.name) : k.name) == scheme && k.is_double == want_double) return k;
  std::string known;
  for (const Kernel& k : kernels()) known += (known.empty() ? "" : ", ") + k.name + (k.is_double ? " (float64)" : " (float32)");
  TORCH_CHECK(false, "fmm::matmul: no kernel '", scheme, "' for ", dtype, " in this extension; it holds: ", known,
              ". Generate one with `fmm codegen SCHEME --precision ", want_double ? "f64" : "f32",
              " --out DIR --name NAME` and pass DIR to fmm_torch.build().");
  return kernels().front();  // not reached: TORCH_CHECK(false, ...) throws
}

void check_operands(const at::Tensor& a, const at::Tensor& b) {
  TORCH_CHECK(a.dim() == 2 && b.dim() == 2, "fmm::matmul: expected two matrices (2-D tensors), got ",
              std::to_string(a.dim()), "-D and ", std::to_string(b.dim()), "-D");
  TORCH_CHECK(a.sym_size(1) == b.sym_size(0), "fmm::matmul: shapes ", sizes_text(a), " and ", sizes_text(b),
              " cannot be multiplied");
  TORCH_CHECK(a.scalar_type() == b.scalar_type(), "fmm::matmul: both operands must have one dtype, got ",
              a.scalar_type(), " and ", b.scalar_type());
  TORCH_CHECK(a.scalar_type() == at::kFloat || a.scalar_type() == at::kDouble, "fmm::matmul: dtype ",
              a.scalar_type(), " is not supported: fmm generates float32 and float64 kernels");
}

at::Tensor matmul_cuda(const at::Tensor& a, const at::Tensor& b, c10::string_view scheme) {
  check_operands(a, b);
  TORCH_CHECK(a.is_cuda() && b.is_cuda() && a.device() == b.device(),
              "fmm::matmul: both operands must be on one CUDA device, got ", a.device().str(), " and ",
              b.device().str());
  const Kernel& kernel = find_kernel(std::string(scheme), a.scalar_type());
  const c10::cuda::CUDAGuard guard(a.device());
  const at::Tensor A = a.contiguous(), B = b.contiguous();
  const std::int64_t M = A.size(0), K = A.size(1), N = B.size(1);
  at::Tensor C = at::empty({M, N}, A.options());
  if (M == 0 || N == 0) return C;
  if (K == 0) return C.zero_();
  // Row-major C = A B is column-major C^T = B^T A^T: a column-major kernel gets B first.
  const bool swap = !kernel.row_major;
  const std::int64_t m = swap ? N : M, n = swap ? M : N;
  const void* first = swap ? B.data_ptr() : A.data_ptr();
  const void* second = swap ? A.data_ptr() : B.data_ptr();
  const std::int64_t ld_first = swap ? N : K, ld_second = swap ? K : N;
  const std::size_t bytes = kernel.workspace_size(m, n, K);
  at::Tensor workspace;
  if (bytes > 0) workspace = at::empty({static_cast<std::int64_t>(bytes)}, A.options().dtype(at::kByte));
  const cublasStatus_t status =
      kernel.gemm(at::cuda::getCurrentCUDABlasHandle(), m, n, K, first, ld_first, second, ld_second, C.data_ptr(), N,
                  bytes > 0 ? workspace.data_ptr() : nullptr, bytes, at::cuda::getCurrentCUDAStream());
  TORCH_CHECK(status == CUBLAS_STATUS_SUCCESS, "fmm::matmul: kernel ", kernel.name, " returned cuBLAS status ",
              std::to_string(static_cast<int>(status)), " for ", std::to_string(M), "x", std::to_string(K), " @ ",
              std::to_string(K), "x", std::to_string(N));
  return C;
}

at::Tensor matmul_meta(const at::Tensor& a, const at::Tensor& b, c10::string_view) {
  check_operands(a, b);
  return at::empty_symint({a.sym_size(0), b.sym_size(1)}, a.options());
}

at::Tensor matmul_cpu(const at::Tensor&, const at::Tensor&, c10::string_view) {
  TORCH_CHECK(false, "fmm::matmul runs fmm's generated CUDA kernels: give it CUDA tensors (got CPU tensors)",
              at::globalContext().hasCUDA() ? "" : "; this machine has no CUDA GPU");
  return {};  // not reached: TORCH_CHECK(false, ...) throws
}

std::vector<std::string> scheme_names() {
  std::vector<std::string> names;
  for (const Kernel& k : kernels()) names.push_back(k.name);
  return names;
}

}  // namespace
}  // namespace fmm_torch

TORCH_LIBRARY(fmm, m) {
  m.def("matmul(Tensor a, Tensor b, str scheme) -> Tensor");
  m.def("schemes() -> str[]", &fmm_torch::scheme_names);
}

TORCH_LIBRARY_IMPL(fmm, CUDA, m) { m.impl("matmul", &fmm_torch::matmul_cuda); }
TORCH_LIBRARY_IMPL(fmm, Meta, m) { m.impl("matmul", &fmm_torch::matmul_meta); }
TORCH_LIBRARY_IMPL(fmm, CPU, m) { m.impl("matmul", &fmm_torch::matmul_cpu); }
