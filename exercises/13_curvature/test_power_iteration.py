"""Public tests for 13_curvature/power_iteration.

Run them with: pytest exercises/13_curvature/test_power_iteration.py
"""

import ast
import inspect
import time
from pathlib import Path

import pytest
import torch
from power_iteration import top_eigenvalue

SEED_A = torch.tensor([[2.0, -1.0], [-1.0, 2.0]])  # eigenvalues 3 and 1


def quadratic_loss(matrix):
    """½ pᵀ M p for a symmetric M: its Hessian is M."""
    return lambda p: 0.5 * p.reshape(-1) @ (matrix.to(p.dtype) @ p.reshape(-1))


def replay(matrix, start, iters, *, unsigned=False, rayleigh_after=False):
    """The contract's algorithm with an explicit H, from the start vector (and two classic mistakes)."""
    v = start.reshape(-1).double()
    v = v / v.norm()
    h = matrix.double()
    lam = 0.0
    for _ in range(iters):
        w = h @ v
        lam = float(w.norm()) if unsigned else float(v @ w)
        v = w / w.norm()
    return float(v @ h @ v) if rayleigh_after else lam


def test_seed_three_and_minus_three():
    params = torch.tensor([0.5, -1.0])
    result = top_eigenvalue(quadratic_loss(SEED_A), params, 40, torch.Generator().manual_seed(0))
    assert type(result) is float, f"return a Python float (use .item()), got {type(result).__name__}"
    assert result == pytest.approx(3.0, abs=1e-4), (
        f"H = [[2, −1], [−1, 2]] has eigenvalues 3 and 1; 40 iterations should give 3.0, got {result}"
        + (". A start that is a vector of ones is an eigenvector of eigenvalue 1: start from "
           "torch.randn(..., generator=generator)" if result == pytest.approx(1.0, abs=1e-4) else "")
    )
    negated = top_eigenvalue(quadratic_loss(-SEED_A), params, 40, torch.Generator().manual_seed(0))
    assert negated == pytest.approx(-3.0, abs=1e-4), (
        f"for the negated loss the eigenvalue of largest magnitude is −3.0, got {negated}"
        + (". ‖w‖ has no sign: λ is the Rayleigh quotient vᵀw"
           if negated == pytest.approx(3.0, abs=1e-4) else "")
    )


@pytest.mark.parametrize("iters", [1, 3])
def test_exactly_the_contracts_algorithm(iters):
    matrix = torch.diag(torch.linspace(-4.0, 3.0, 20, dtype=torch.float64))
    matrix[0, 1] = matrix[1, 0] = 0.5
    params = torch.zeros(4, 5, dtype=torch.float64)
    generator = torch.Generator().manual_seed(7)
    result = top_eigenvalue(quadratic_loss(matrix), params, iters, generator)
    start = torch.randn((4, 5), generator=torch.Generator().manual_seed(7), dtype=torch.float64)
    expected = replay(matrix, start, iters)
    flat = start.reshape(-1)
    in_float32 = torch.randn((4, 5), generator=torch.Generator().manual_seed(7))
    hint = ""
    if result == pytest.approx(replay(matrix, start, iters, unsigned=True), abs=1e-9):
        hint = ": ‖w‖ has no sign, λ is the Rayleigh quotient vᵀw"
    elif result == pytest.approx(replay(matrix, start, iters, rayleigh_after=True), abs=1e-9):
        hint = ": that is vᵀHv of the last v, one Hessian-vector product too many; return the last λ = vᵀw"
    elif iters == 1 and result == pytest.approx(float(flat @ matrix @ flat), abs=1e-9):
        hint = ": v₀ must be divided by its length first"
    elif result == pytest.approx(replay(matrix, in_float32, iters), abs=1e-9):
        hint = ": v₀ was drawn in float32; pass dtype=params.dtype to torch.randn"
    elif torch.equal(generator.get_state(), torch.Generator().manual_seed(7).get_state()):
        hint = ": nothing was drawn from the generator; draw v₀ with torch.randn(..., generator=generator)"
    assert result == pytest.approx(expected, rel=1e-9), (
        f"v₀ = torch.randn(params.shape, generator=generator, dtype=params.dtype) / its norm, then {iters} "
        f"times: w = H·v, λ = vᵀw, v = w/‖w‖ gives {expected}; got {result}{hint}"
    )


def test_loss_linear_in_params_gives_zero():
    weights = torch.tensor([1.0, -2.0, 0.5])

    def linear(p):
        return weights.to(p.dtype) @ p

    result = top_eigenvalue(linear, torch.tensor([1.0, 2.0, 3.0]), 4, torch.Generator().manual_seed(1))
    assert result == 0.0 and type(result) is float, (
        f"a linear loss has H = 0, so w = H·v = 0 at once, and w/‖w‖ divides by 0: return 0.0 as soon "
        f"as w = 0; got {result!r}"
    )


def test_rules_iters_and_params():
    try:
        result = top_eigenvalue(quadratic_loss(SEED_A), torch.ones(2), 0, torch.Generator().manual_seed(0))
    except ValueError:
        pass
    else:
        pytest.fail(f"top_eigenvalue with iters = 0 should raise ValueError; it returned {result!r}")
    params = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    params.grad = torch.tensor([1.0, 1.0], dtype=torch.float64)
    top_eigenvalue(quadratic_loss(SEED_A), params, 5, torch.Generator().manual_seed(0))
    assert params.requires_grad and torch.equal(params.grad, torch.ones(2, dtype=torch.float64)), (
        "params.grad changed: take the Hessian-vector products on a detached copy, with torch.autograd.grad"
    )
    assert torch.equal(params.detach(), torch.tensor([0.5, -1.0], dtype=torch.float64)), (
        "params' values changed: work on a copy"
    )


def test_two_hundred_thousand_parameters():
    def chain(p):
        return ((p[1:] - p[:-1]) ** 2).sum() + 0.25 * (p**4).sum()

    params = torch.linspace(-1.0, 1.0, 200_000, dtype=torch.float64)
    started = time.perf_counter()
    try:
        result = top_eigenvalue(chain, params, 3, torch.Generator().manual_seed(2))
    except (RuntimeError, MemoryError) as error:
        pytest.fail(f"top_eigenvalue failed on 200,000 parameters ({type(error).__name__}): H would take "
                    "320 GB. Use only Hessian-vector products")
    seconds = time.perf_counter() - started
    v = torch.randn(200_000, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    v = v / v.norm()
    for _ in range(3):
        w = torch.autograd.functional.hvp(chain, params, v)[1]  # the grader's reference (not for your code)
        expected = float(v @ w)
        v = w / w.norm()
    assert result == pytest.approx(expected, rel=1e-9), f"expected {expected}, got {result}"
    assert seconds < 20.0, f"{seconds:.1f} s for 3 iterations on 200,000 parameters: is H formed?"


def test_written_without_the_library(monkeypatch):
    source = Path(inspect.getsourcefile(top_eigenvalue)).read_text()
    used = sorted({ast.unparse(node) for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.Attribute | ast.Import | ast.ImportFrom)
                   and any(name in ast.unparse(node) for name in ("autograd.functional", "torch.func"))})
    assert not used, (f"power_iteration.py uses {used[0]!r}: write the Hessian-vector products yourself, "
                      "without torch.autograd.functional or torch.func")

    def refuse(*args, **kwargs):
        raise AssertionError("top_eigenvalue called torch.autograd.functional: write the products yourself")

    for name in ("hvp", "vhp", "hessian", "jacobian", "jvp", "vjp"):
        monkeypatch.setattr(torch.autograd.functional, name, refuse)
    top_eigenvalue(quadratic_loss(SEED_A), torch.ones(2), 3, torch.Generator().manual_seed(0))
