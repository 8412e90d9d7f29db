#!/usr/bin/env python3
"""Independent cross-check of the cuBLAS rates fmm-bench measures, through PyTorch's matmul
(its own cuBLAS/cuBLASLt calls): C = A @ B on uniform [-1, 1] inputs, CUDA events, 3 warm-ups,
median of 10; relative Frobenius error against a float64 product of the same inputs."""
import statistics
import sys

import torch


def bench(dtype, n, tf32):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    g = torch.Generator(device="cuda").manual_seed(1)
    a = (torch.rand(n, n, device="cuda", generator=g, dtype=torch.float32) * 2 - 1).to(dtype)
    b = (torch.rand(n, n, device="cuda", generator=g, dtype=torch.float32) * 2 - 1).to(dtype)
    for _ in range(3):
        c = a @ b
    times = []
    for _ in range(10):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        c = a @ b
        e.record()
        e.synchronize()
        times.append(s.elapsed_time(e))
    ms = statistics.median(times)
    torch.backends.cuda.matmul.allow_tf32 = False
    ref = a.double() @ b.double()
    err = (torch.linalg.norm(c.double() - ref) / torch.linalg.norm(ref)).item()
    del ref
    return ms, 2 * n**3 / ms / 1e9, err


print(f"torch {torch.__version__}, cuda {torch.version.cuda}, {torch.cuda.get_device_name()}")
print("precision  N      median ms  TFLOP/s  rel. Frobenius error vs float64")
for label, dtype, tf32, sizes in (("f32", torch.float32, False, (4096, 16384)), ("tf32", torch.float32, True, (16384,)),
                                  ("bf16", torch.bfloat16, False, (16384,)), ("f64", torch.float64, False, (4096, 16384))):
    for n in sizes:
        ms, tf, err = bench(dtype, n, tf32)
        print(f"{label:9s}  {n:5d}  {ms:10.3f}  {tf:7.1f}  {err:.3e}")
        sys.stdout.flush()
