"""Scenarios for 13_curvature: losses whose Hessian the judge knows, for hvp and power iteration.

Every loss maps a tensor of any shape (read flattened) to a 0-d tensor, in the dtype of its input.
``curvature_chain`` is cheap for any size: the hidden suites give it 2·10⁵ parameters, where a
Hessian formed in full would need 320 GB, so only Hessian-vector products finish.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from grader.sandbox.scenarios import like as _like
from grader.sandbox.scenarios import scenario

Loss = Callable[[torch.Tensor], torch.Tensor]


@scenario("curvature_quadratic")
def curvature_quadratic(matrix: list[list[float]], vector: list[float] | None = None) -> Loss:
    """½·pᵀAp + bᵀp over the flattened p: its Hessian is (A + Aᵀ)/2 everywhere."""

    def f(p: torch.Tensor) -> torch.Tensor:
        flat = p.reshape(-1)
        out = 0.5 * flat @ (_like(matrix, p) @ flat)
        return out + _like(vector, p) @ flat if vector is not None else out

    return f


def chain_diagonal(size: int, dtype: torch.dtype) -> torch.Tensor:
    """d_i = 1 + (i mod 5)/2 for i = 0 … size−1: the curvature each parameter has on its own."""
    return 1.0 + (torch.arange(size, dtype=torch.int64) % 5).to(dtype) / 2


@scenario("curvature_chain")
def curvature_chain(kappa: float = 1.0, quartic: float = 0.5) -> Loss:
    """Σ ½·d_i·p_i² + (quartic/4)·p_i⁴ + (kappa/2)·Σ (p_{i+1} − p_i)² over the flattened p.

    Its Hessian, diag(d_i + 3·quartic·p_i²) plus kappa times the chain's Laplacian, depends on p,
    and a product with it costs a few passes over p, whatever its size."""

    def f(p: torch.Tensor) -> torch.Tensor:
        flat = p.reshape(-1)
        d = chain_diagonal(flat.numel(), p.dtype)
        own = (0.5 * d * flat**2 + 0.25 * quartic * flat**4).sum()
        return own + 0.5 * kappa * ((flat[1:] - flat[:-1]) ** 2).sum()

    return f


@scenario("curvature_linear")
def curvature_linear(weights: list[float], offset: float = 0.0) -> Loss:
    """wᵀp + offset over the flattened p: linear, so its gradient w does not depend on p (H = 0)."""
    return lambda p: _like(weights, p) @ p.reshape(-1) + offset


@scenario("curvature_partly_linear")
def curvature_partly_linear(curved: int) -> Loss:
    """Σ cosh(p_i) over the first `curved` elements, plus 3·Σ p_i over the rest: the Hessian is
    diag(cosh(p_i)) on the first part and 0 on the rest."""

    def f(p: torch.Tensor) -> torch.Tensor:
        flat = p.reshape(-1)
        return torch.cosh(flat[:curved]).sum() + 3.0 * flat[curved:].sum()

    return f


def logistic_data(seed: int, rows: int, columns: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Seeded inputs (rows, columns) and ±1 labels, in float64."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(rows, columns, generator=generator, dtype=torch.float64)
    y = torch.where(torch.rand(rows, generator=generator, dtype=torch.float64) < 0.5, -1.0, 1.0)
    return x, y.to(torch.float64)


@scenario("curvature_logistic")
def curvature_logistic(seed: int, rows: int) -> Loss:
    """mean over rows of log(1 + exp(−y_j·x_jᵀp)), seeded data: a dense Hessian that depends on p."""

    def f(p: torch.Tensor) -> torch.Tensor:
        flat = p.reshape(-1)
        x, y = logistic_data(seed, rows, flat.numel())
        margins = -y.to(p.dtype) * (x.to(p.dtype) @ flat)
        return torch.nn.functional.softplus(margins).mean()

    return f
