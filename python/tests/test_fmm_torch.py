"""Tests of torch.ops.fmm.matmul against torch.matmul. Plain script (exit 0 pass, 1 fail, 77 skip:
no PyTorch, no CUDA GPU, no nvcc or no fmm program) or pytest.

    FMM_BINARY=build/cli/fmm python3 -X faulthandler python/tests/test_fmm_torch.py

Generates three GEMMs with `fmm codegen` (Strassen^2 column-major float32 and float64, as
`fmm bench` compiles them, and Winograd row-major float32), builds them into one extension and
checks: error against a float64 reference within fmm bench's tolerance (gpu/precision.cpp:
relative Frobenius 1e-3 for f32, 1e-10 for f64) on odd and even shapes, the classical fallback
below the smallest block, non-contiguous inputs, the current stream, dtype / device / shape /
scheme errors, torch.compile, and gradients.
"""
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
TOLERANCE = {"float32": 1e-3, "float64": 1e-10}  # fmm bench's correctness_tolerance (gpu/precision.cpp)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

GEMMS = [  # (name, fmm codegen arguments); the Strassen ones as gpu/CMakeLists.txt names and makes them
    ("fmm_gen_strassen2_f32", ["strassen", "--levels", "2", "--precision", "f32", "--layout", "col", "--min-block", "256"]),
    ("fmm_gen_strassen2_f64", ["strassen", "--levels", "2", "--precision", "f64", "--layout", "col", "--min-block", "256"]),
    ("winograd_row_f32", ["winograd", "--precision", "f32", "--layout", "row", "--min-block", "64"]),
]
STRASSEN = "fmm_gen_strassen2"  # the dtype picks _f32 or _f64


def skip_reason():
    try:
        import torch  # noqa: F401
    except ImportError:
        return "no PyTorch"
    import torch
    if not torch.cuda.is_available():
        return "no CUDA GPU"
    if not pregenerated() and not find_fmm():
        return "no fmm program (set FMM_BINARY) and no FMM_TORCH_GENERATED folder"
    from torch.utils import cpp_extension
    if not cpp_extension.CUDA_HOME:
        return "no CUDA toolkit (nvcc) for the extension"
    return None


def pregenerated():
    """FMM_TORCH_GENERATED: a folder that already holds the GEMMs (then fmm is not needed)."""
    folder = os.environ.get("FMM_TORCH_GENERATED")
    if folder and all(os.path.exists(os.path.join(folder, name + ".cu")) for name, _ in GEMMS):
        return folder
    return None


def find_fmm():
    candidate = os.environ.get("FMM_BINARY") or shutil.which("fmm")
    return candidate if candidate and os.path.exists(candidate) else None


_built = None


def built():
    """Generates the GEMMs and builds the extension once; returns the fmm_torch module."""
    global _built
    if _built is None:
        import fmm_torch
        folder = pregenerated()
        if not folder:
            folder = tempfile.mkdtemp(prefix="fmm_torch_gen_")
            for name, args in GEMMS:
                subprocess.run([find_fmm(), "codegen"] + args + ["--out", folder, "--name", name], check=True,
                               stdout=subprocess.DEVNULL)
        names = fmm_torch.build([folder], verbose=bool(os.environ.get("FMM_TORCH_VERBOSE")))
        assert set(n for n, _ in GEMMS) <= set(names), names
        _built = fmm_torch
    return _built


def rel_error(got, a, b):
    import torch
    want = a.double() @ b.double()
    return (torch.linalg.norm(got.double() - want) / torch.linalg.norm(want)).item()


def random(shape, dtype, seed):
    import torch
    g = torch.Generator(device="cuda").manual_seed(seed)
    return torch.rand(shape, generator=g, device="cuda", dtype=dtype) * 2 - 1


def test_matches_torch_matmul_within_bench_tolerance():
    import torch
    fmm_torch = built()
    torch.backends.cuda.matmul.allow_tf32 = False
    shapes = [(1024, 1024, 1024), (2049, 1023, 3001), (4097, 4095, 4099), (1500, 2500, 1000), (300, 200, 100)]
    for dtype, scheme in ((torch.float32, STRASSEN), (torch.float64, STRASSEN), (torch.float32, "winograd_row_f32")):
        for seed, (m, k, n) in enumerate(shapes):
            a, b = random((m, k), dtype, seed), random((k, n), dtype, 100 + seed)
            c = fmm_torch.matmul(a, b, scheme)
            assert c.shape == (m, n) and c.dtype == dtype
            error = rel_error(c, a, b)
            limit = TOLERANCE[str(dtype).split(".")[1]]
            assert error <= limit, (scheme, dtype, (m, k, n), error)


def test_non_contiguous_inputs_are_copied():
    import torch
    fmm_torch = built()
    a = random((1100, 1300), torch.float64, 1).t()           # 1300 x 1100, transposed view
    b = random((2200, 1200), torch.float64, 2)[::2, 100:]    # 1100 x 1100, strided slice
    assert not a.is_contiguous() and not b.is_contiguous()
    got = fmm_torch.matmul(a, b, STRASSEN)
    assert torch.equal(got, fmm_torch.matmul(a.contiguous(), b.contiguous(), STRASSEN))
    assert rel_error(got, a, b) <= TOLERANCE["float64"]


def test_runs_on_the_current_stream():
    import torch
    fmm_torch = built()
    a, b = random((2048, 2048), torch.float32, 3), random((2048, 2048), torch.float32, 4)
    expected = fmm_torch.matmul(a, b, STRASSEN)
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        got = fmm_torch.matmul(a, b, STRASSEN)
    side.synchronize()
    assert torch.equal(got, expected)


def test_errors_are_clear():
    import torch
    fmm_torch = built()
    a = random((64, 64), torch.float32, 5)
    cases = [
        (lambda: fmm_torch.matmul(a.half(), a.half(), STRASSEN), "is not supported"),
        (lambda: fmm_torch.matmul(a.cpu(), a.cpu(), STRASSEN), "CUDA tensors"),
        (lambda: fmm_torch.matmul(a, random((63, 64), torch.float32, 6), STRASSEN), "cannot be multiplied"),
        (lambda: fmm_torch.matmul(a, a.double(), STRASSEN), "one dtype"),
        (lambda: fmm_torch.matmul(a, a, "laderman9"), "no kernel 'laderman9'"),
        (lambda: fmm_torch.matmul(a.double(), a.double(), "winograd_row"), "no kernel 'winograd_row' for Double"),
        (lambda: fmm_torch.matmul(a[0], a, STRASSEN), "two matrices"),
    ]
    for call, message in cases:
        try:
            call()
        except RuntimeError as error:
            assert message in str(error), (message, str(error))
        else:
            raise AssertionError("accepted: " + message)


def test_torch_compile_traces_the_operator():
    import torch
    fmm_torch = built()

    def f(x, y):
        return torch.ops.fmm.matmul(x, y, STRASSEN) * 2 + 1

    a, b = random((1536, 1280), torch.float32, 7), random((1280, 1792), torch.float32, 8)
    # aot_eager traces with FakeTensors (the Meta kernel) like inductor does, without compiling Triton.
    compiled = torch.compile(f, fullgraph=True, backend="aot_eager")
    assert torch.allclose(compiled(a, b), f(a, b), rtol=0, atol=0)
    out = torch.ops.fmm.matmul(torch.empty(5, 7, device="meta"), torch.empty(7, 3, device="meta"), STRASSEN)
    assert out.shape == (5, 3) and out.device.type == "meta"


def test_gradients_match_torch_matmul():
    import torch
    fmm_torch = built()
    a = random((1100, 1200), torch.float64, 9).requires_grad_()
    b = random((1200, 1300), torch.float64, 10).requires_grad_()
    fmm_torch.matmul(a, b, STRASSEN).sum().backward()
    ga, gb = a.grad.clone(), b.grad.clone()
    a.grad = b.grad = None
    (a @ b).sum().backward()
    assert torch.allclose(ga, a.grad, rtol=1e-10, atol=1e-9) and torch.allclose(gb, b.grad, rtol=1e-10, atol=1e-9)


def check_cpu_only_machine():
    """Without a GPU the package still imports, warns that there is none, and says so when used."""
    import warnings
    import torch
    sys.modules.pop("fmm_torch", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import fmm_torch
    assert any("no CUDA GPU is available" in str(w.message) for w in caught), [str(w.message) for w in caught]
    assert not fmm_torch.gpu_available() and "no CUDA GPU" in fmm_torch.status()
    try:
        fmm_torch.build(["."])
    except RuntimeError as error:
        assert "no CUDA GPU" in str(error)
    else:
        raise AssertionError("build() without a GPU did not say so")
    assert not torch.cuda.is_available()


def main():
    reason = skip_reason()
    if reason == "no CUDA GPU":
        check_cpu_only_machine()
        print("passed: the CPU-only checks (import warns, build() refuses); GPU tests skipped: no CUDA GPU")
        return SKIP
    if reason:
        print("skipped: " + reason)
        return SKIP
    failed = 0
    tests = [t for n, t in globals().items() if n.startswith("test_") and callable(t)]  # in file order
    for test in tests:
        name = test.__name__
        print("running: " + name, flush=True)  # with -X faulthandler a crash then names its test
        try:
            test()
            print("passed: " + name, flush=True)
        except Exception as error:  # report every test, then fail
            failed += 1
            print("FAILED: %s: %r" % (name, error))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
else:  # pytest
    import pytest

    _reason = skip_reason()
    if _reason:
        pytest.skip(_reason, allow_module_level=True)
