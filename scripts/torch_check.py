#!/usr/bin/env python3
"""torch.ops.fmm.matmul against torch.matmul on the GPU, in the manner of `fmm bench` (run by
scripts/device_torch.sh; results/h200/torch.md reports it):

  error:  float32, several shapes (odd ones too): relative Frobenius error of fmm's operator and of
          torch.matmul against a float64 reference on the same inputs; fmm bench's tolerance for
          float32 is 1e-3 (gpu/precision.cpp).
  time:   N^3 float32, CUDA events around each call on the current stream, `warmup` untimed calls,
          then `repeats` timed calls alternating two input sets (as fmm bench rotates its sets),
          median reported; then torch.matmul, then fmm again (the two fmm medians show the noise).

    python3 scripts/torch_check.py --generated DIR --scheme NAME --out results.json
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

TOLERANCE_F32 = 1e-3  # fmm bench's correctness_tolerance(F32), gpu/precision.cpp
SHAPES = [(4096, 4096, 4096), (4097, 4095, 4099), (8191, 8193, 4097), (2049, 3001, 1023), (12289, 6143, 10241),
          (16384, 16384, 16384)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generated", required=True, help="folder written by fmm codegen")
    parser.add_argument("--scheme", required=True, help="GEMM name in that folder")
    parser.add_argument("--size", type=int, default=16384)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    import torch
    import fmm_torch

    torch.backends.cuda.matmul.allow_tf32 = False  # float32 products in float32 (fmm bench's f32 rows)
    started = time.time()
    fmm_torch.build([args.generated], verbose=True)
    result = {"gpu": torch.cuda.get_device_name(), "torch": torch.__version__, "cuda": torch.version.cuda,
              "scheme": args.scheme, "build_seconds": round(time.time() - started, 1), "tolerance_f32": TOLERANCE_F32,
              "accuracy": [], "timing": {}}
    print("built in %.1f s" % result["build_seconds"], flush=True)

    g = torch.Generator(device="cuda").manual_seed(1)
    failed = False
    for m, k, n in SHAPES:
        a = torch.rand((m, k), generator=g, device="cuda") * 2 - 1
        b = torch.rand((k, n), generator=g, device="cuda") * 2 - 1
        reference = a.double() @ b.double()
        norm = torch.linalg.norm(reference).item()
        ours = torch.ops.fmm.matmul(a, b, args.scheme)
        theirs = torch.matmul(a, b)
        row = {"M": m, "K": k, "N": n,
               "fmm_rel_frobenius": torch.linalg.norm(ours.double() - reference).item() / norm,
               "torch_rel_frobenius": torch.linalg.norm(theirs.double() - reference).item() / norm}
        row["passed"] = row["fmm_rel_frobenius"] <= TOLERANCE_F32
        failed |= not row["passed"]
        result["accuracy"].append(row)
        print("%dx%dx%d: fmm %.3e  torch.matmul %.3e  %s" % (m, k, n, row["fmm_rel_frobenius"], row["torch_rel_frobenius"],
                                                          "passed" if row["passed"] else "INCORRECT"), flush=True)
        del a, b, reference, ours, theirs
    torch.cuda.empty_cache()

    n = args.size
    sets = [(torch.rand((n, n), generator=g, device="cuda") * 2 - 1, torch.rand((n, n), generator=g, device="cuda") * 2 - 1)
            for _ in range(2)]
    fmm = lambda a, b: torch.ops.fmm.matmul(a, b, args.scheme)  # noqa: E731
    # fmm twice, around torch.matmul: the spread between its two medians is the noise floor.
    for label, call in (("fmm", fmm), ("torch.matmul", torch.matmul), ("fmm again", fmm)):
        for i in range(args.warmup):
            call(*sets[i % 2])
        events = [(torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) for _ in range(args.repeats)]
        for i, (start, stop) in enumerate(events):
            a, b = sets[(i + 1) % 2]
            start.record()
            call(a, b)
            stop.record()
        torch.cuda.synchronize()
        times = [start.elapsed_time(stop) for start, stop in events]
        result["timing"][label] = {"N": n, "times_ms": times, "median_ms": statistics.median(times),
                                   "tflops": 2 * n ** 3 / (statistics.median(times) * 1e-3) / 1e12}
        print("%s %d^3: median %.3f ms (%.1f TFLOP/s); runs %s" % (label, n, statistics.median(times),
              result["timing"][label]["tflops"], " ".join("%.3f" % t for t in times)), flush=True)
    with open(args.out, "w") as out:
        json.dump(result, out, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
