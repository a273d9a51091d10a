"""Public tests for 13_curvature/hvp. Run them with: pytest exercises/13_curvature/test_hvp.py"""

import ast
import inspect
import time
from pathlib import Path

import pytest
import torch
from hvp import hvp

A = torch.tensor([[3.0, 1.0, 0.0], [1.0, 2.0, -1.0], [0.0, -1.0, 4.0]])  # symmetric: H = A


def quadratic(p):
    return 0.5 * p @ (A.to(p.dtype) @ p) + p.sum()


def wavy(p):
    """A loss whose Hessian changes with p and has no zero entries."""
    return torch.tanh(p).sum() * (p**2).sum()


def naming(got, p, v, loss_fn):
    """A hint when `got` is one of the classic wrong answers."""
    leaf = p.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf)
    if torch.allclose(got, grad * v, atol=1e-5):
        return (" That is the gradient times v, element by element: differentiate the gradient "
                "again, against v (torch.autograd.grad with grad_outputs=v).")
    if torch.allclose(got, grad, atol=1e-5):
        return " That is the gradient itself: differentiate it once more, against v."
    return ""


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_quadratic_with_a_known_hessian(dtype):
    p = torch.tensor([1.0, -2.0, 0.5], dtype=dtype)
    v = torch.tensor([0.5, 1.0, -1.0], dtype=dtype)
    result = hvp(quadratic, p, v)
    assert type(result) is torch.Tensor and result.shape == p.shape and result.dtype == dtype, (
        f"hvp should return a plain tensor shaped and typed like params ({tuple(p.shape)}, {dtype}), got "
        f"{type(result).__name__} {getattr(result, 'shape', '')} {getattr(result, 'dtype', '')}"
    )
    expected = A.to(dtype) @ v
    assert torch.allclose(result, expected, atol=1e-5), (
        f"for ½pᵀAp + Σp the Hessian is A, so H·v = A @ v = {expected.tolist()}, got {result.tolist()}."
        + naming(result, p, v, quadratic)
    )


def test_matches_torch_on_a_curved_loss():
    p = torch.tensor([[0.3, -1.2], [0.8, 0.1]], dtype=torch.float64)
    v = torch.tensor([[1.0, 0.5], [-0.5, 2.0]], dtype=torch.float64)
    expected = torch.autograd.functional.hvp(wavy, p, v)[1]  # the grader's reference (not for your code)
    result = hvp(wavy, p, v)
    assert torch.allclose(result, expected, rtol=1e-9, atol=1e-12), (
        f"H·v of tanh(p).sum()·(p²).sum() should be {expected.tolist()}, got {result.tolist()}."
        + naming(result, p, v, wavy)
    )


def test_params_left_alone_and_no_graph():
    p = torch.tensor([0.3, -1.2, 0.8], dtype=torch.float64, requires_grad=True)
    p.grad = torch.full_like(p, 7.0)
    result = hvp(wavy, p, torch.ones(3, dtype=torch.float64))
    assert result.grad_fn is None and not result.requires_grad, (
        "the result still carries an autograd graph: no create_graph=True on the second derivative, "
        "and return .detach() of it"
    )
    assert p.requires_grad and torch.equal(p.grad, torch.full_like(p, 7.0)), (
        "params.grad changed: differentiate a detached copy with torch.autograd.grad, not params itself"
    )
    plain = torch.tensor([0.3, -1.2, 0.8])
    hvp(wavy, plain, torch.ones(3))
    assert not plain.requires_grad and plain.grad is None, (
        "hvp changed params.requires_grad from False to True: differentiate a copy, "
        "params.detach().clone().requires_grad_(True)"
    )


def test_loss_linear_in_params_gives_zeros():
    weights = torch.tensor([2.0, -1.0, 0.5])

    def linear(p):
        return weights.to(p.dtype) @ p + 3.0

    try:
        result = hvp(linear, torch.tensor([1.0, 2.0, 3.0]), torch.ones(3))
    except NotImplementedError:  # a stub: its own message says so
        raise
    except RuntimeError as error:
        pytest.fail(f"a loss linear in params has H = 0, and hvp should return zeros, but it raised: "
                    f"{error}. Its gradient does not depend on params, so it does not require grad: check "
                    "grad.requires_grad before differentiating it again")
    assert torch.equal(result, torch.zeros(3)), f"H = 0 for a linear loss, so H·v = 0; got {result.tolist()}"


def test_two_hundred_thousand_parameters_without_forming_h():
    def chain(p):
        return ((p[1:] - p[:-1]) ** 2).sum() + 0.25 * (p**4).sum()

    p = torch.linspace(-1.0, 1.0, 200_000, dtype=torch.float64)
    v = torch.cos(torch.arange(200_000, dtype=torch.float64))
    started = time.perf_counter()
    try:
        result = hvp(chain, p, v)
    except (RuntimeError, MemoryError) as error:
        pytest.fail(f"hvp failed on 200,000 parameters ({type(error).__name__}): H would have 4·10¹⁰ "
                    "entries (320 GB in float64). Use only Hessian-vector products, never H")
    seconds = time.perf_counter() - started
    expected = torch.autograd.functional.hvp(chain, p, v)[1]
    assert torch.allclose(result, expected, rtol=1e-9, atol=1e-12), "wrong H·v on the 200,000-parameter chain"
    assert seconds < 20.0, (
        f"hvp took {seconds:.1f} s on 200,000 parameters, where two backward passes take well under a "
        "second. Is H formed, row by row?"
    )


def test_written_without_the_library(monkeypatch):
    source = Path(inspect.getsourcefile(hvp)).read_text()
    used = sorted({ast.unparse(node) for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.Attribute | ast.Import | ast.ImportFrom)
                   and any(name in ast.unparse(node) for name in ("autograd.functional", "torch.func"))})
    assert not used, (f"hvp.py uses {used[0]!r}: write the double backward yourself, without "
                      "torch.autograd.functional or torch.func")

    def refuse(*args, **kwargs):
        raise AssertionError("hvp called torch.autograd.functional: write the double backward yourself")

    for name in ("hvp", "vhp", "hessian", "jacobian", "jvp", "vjp"):
        monkeypatch.setattr(torch.autograd.functional, name, refuse)
    hvp(quadratic, torch.tensor([1.0, 2.0, 3.0]), torch.ones(3))
