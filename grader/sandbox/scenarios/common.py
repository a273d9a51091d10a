"""Scenarios shared by topics 01-09: functions of a tensor, factories and modules."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from grader.sandbox.scenarios import like as _like
from grader.sandbox.scenarios import scenario

# ---------------------------------------------------------------- functions of a tensor


@scenario("poly")
def poly(coeffs: list[float], reduce: str = "none") -> Callable[[torch.Tensor], torch.Tensor]:
    """Σ c_k·x^k elementwise; reduce "sum" makes it a scalar function."""

    def f(x: torch.Tensor) -> torch.Tensor:
        out = torch.zeros_like(x)
        for power, c in enumerate(coeffs):
            out = out + c * x**power
        return out.sum() if reduce == "sum" else out

    return f


@scenario("sin_exp")
def sin_exp(reduce: str = "none") -> Callable[[torch.Tensor], torch.Tensor]:
    """sin(x)·exp(x/2) elementwise."""

    def f(x: torch.Tensor) -> torch.Tensor:
        out = torch.sin(x) * torch.exp(x / 2)
        return out.sum() if reduce == "sum" else out

    return f


@scenario("scaled_sum")
def scaled_sum(k: float) -> Callable[[torch.Tensor], torch.Tensor]:
    """(x·k).sum(): its gradient is k everywhere."""
    return lambda x: (x * k).sum()


@scenario("square_sum")
def square_sum() -> Callable[[torch.Tensor], torch.Tensor]:
    return lambda x: (x**2).sum()


@scenario("matvec")
def matvec(matrix: list[list[float]]) -> Callable[[torch.Tensor], torch.Tensor]:
    """A @ x, for a 1-D x: its Jacobian is A."""
    return lambda x: _like(matrix, x) @ x


@scenario("tanh_outer")
def tanh_outer(weights: list[float]) -> Callable[[torch.Tensor], torch.Tensor]:
    """tanh(x)·(w·x).sum(), for a 1-D x: a vector function with a dense Jacobian."""
    return lambda x: torch.tanh(x) * (_like(weights, x) * x).sum()


@scenario("quadratic")
def quadratic(matrix: list[list[float]], vector: list[float]) -> Callable[[torch.Tensor], torch.Tensor]:
    """½·xᵀAx + bᵀx for a 1-D x."""

    def f(x: torch.Tensor) -> torch.Tensor:
        a, b = _like(matrix, x), _like(vector, x)
        return 0.5 * x @ (a @ x) + b @ x

    return f


@scenario("rosenbrock")
def rosenbrock() -> Callable[[torch.Tensor], torch.Tensor]:
    """Σ 100·(x[i+1] − x[i]²)² + (1 − x[i])² over a flattened x."""

    def f(x: torch.Tensor) -> torch.Tensor:
        v = x.reshape(-1)
        return (100 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2).sum()

    return f


@scenario("linear_mse")
def linear_mse(inputs: list[float], targets: list[float]) -> Callable[[torch.Tensor], torch.Tensor]:
    """params = [w, b]: mean((w·inputs + b − targets)²), the temperature chapter's loss."""

    def f(params: torch.Tensor) -> torch.Tensor:
        x, y = _like(inputs, params), _like(targets, params)
        return ((params[0] * x + params[1] - y) ** 2).mean()

    return f


@scenario("autograd_of")
def autograd_of(f: Callable[[torch.Tensor], torch.Tensor], scale: float = 1.0, shift: float = 0.0):
    """A gradient function for f by autograd, optionally wrong on purpose (scaled, shifted)."""

    def grad_f(x: torch.Tensor) -> torch.Tensor:
        leaf = x.detach().clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(f(leaf), leaf)
        return grad * scale + shift

    return grad_f


# ---------------------------------------------------------------- factories and objects


@scenario("fresh_tensor")
def fresh_tensor(values: list, dtype: str = "float32", requires_grad: bool = True):
    """make_params: a new leaf tensor on every call."""
    torch_dtype = getattr(torch, dtype)
    return lambda: torch.tensor(values, dtype=torch_dtype, requires_grad=requires_grad)


@scenario("torch_generator")
def torch_generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


@scenario("linear_module")
def linear_module(weight: list[list[float]], bias: list[float], dtype: str = "float32") -> nn.Module:
    """nn.Linear with the given weight (out, in) and bias (out,)."""
    torch_dtype = getattr(torch, dtype)
    w = torch.tensor(weight, dtype=torch_dtype)
    layer = nn.Linear(w.shape[1], w.shape[0], dtype=torch_dtype)
    with torch.no_grad():
        layer.weight.copy_(w)
        layer.bias.copy_(torch.tensor(bias, dtype=torch_dtype))
    return layer


@scenario("tanh_net")
def tanh_net(w1: list[list[float]], b1: list[float], w2: list[list[float]], b2: list[float]) -> nn.Module:
    """Linear → tanh → Linear with the given weights: 'any nn.Module', not only a line."""
    return nn.Sequential(linear_module(w1, b1), nn.Tanh(), linear_module(w2, b2))


# ---------------------------------------------------------------- 01_autograd


@scenario("derivative_checked")
def derivative_checked(coeffs: list[float]) -> Callable[[torch.Tensor], torch.Tensor]:
    """poly(coeffs) that accepts only what derivative's contract promises: a 0-d float64 tensor."""
    inner = poly(coeffs)

    def f(x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor) or x.dtype != torch.float64 or x.dim() != 0:
            got = (f"a {str(x.dtype).removeprefix('torch.')} tensor of shape {tuple(x.shape)}"
                   if isinstance(x, torch.Tensor) else f"a {type(x).__name__}")
            raise TypeError(f"f takes a 0-d float64 tensor; it was given {got}")
        return inner(x)

    return f


@scenario("accumulation_growing")
def accumulation_growing(scale: float = 1.0) -> Callable[[torch.Tensor], torch.Tensor]:
    """The i-th call (from 1) returns i·scale·(x²).sum(): its gradient 2·i·scale·x grows per call."""
    calls = [0]

    def f(x: torch.Tensor) -> torch.Tensor:
        calls[0] += 1
        return calls[0] * scale * (x**2).sum()

    return f


# ---------------------------------------------------------------- the learner side's global state


@scenario("manual_seed")
def manual_seed(seed: int) -> None:
    """torch.manual_seed(seed) learner-side: a module built next starts from the same weights every run."""
    torch.manual_seed(seed)


@scenario("set_grad_enabled")
def set_grad_enabled(enabled: bool) -> None:
    """torch.set_grad_enabled(enabled) learner-side: the kata's next calls run with autograd on or off
    (the contract's "by hand": a hidden suite may call such a kata under torch.no_grad())."""
    torch.set_grad_enabled(bool(enabled))
