"""Judge logic shared by the suites that hand learner code a scalar loss as a Scenario
(03_gradients/autograd_grad and finite_diff, 09_beyond/gradcheck): rosenbrock, quadratic, poly,
linear_mse and sin_exp of grader/sandbox/scenarios/common.py.

The float64 references are the gradients written out by hand (independent of autograd), and
central differences of the scenario itself (``scenarios.judge_side`` builds the very callable the
learner's code was given); then how a returned gradient is read for a value test and checked for
its type.
"""

from __future__ import annotations

import dataclasses

import torch

from grader.grading import cases, checks
from grader.sandbox.codec import ArraySeen, TensorSeen

# Inputs the suites share: a 4×4 matrix and a vector for "quadratic", and the temperature
# chapter's data with t_u scaled by 0.1 for "linear_mse".
A4 = [[2.0, 0.5, -1.0, 0.0], [0.25, 3.0, 0.5, -0.5], [-1.0, 0.0, 1.5, 0.75], [0.5, -0.25, 0.0, 2.5]]
B4 = [1.0, -2.0, 0.5, 0.25]
T_U = [3.57, 5.59, 5.82, 8.19, 5.63, 4.89, 3.39, 2.18, 4.84, 6.04, 6.84]
T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]

# The value cases autograd_grad and finite_diff share: id → (scenario, its params, shape, scale, shift)
VALUE_CASES = {
    "rosenbrock-5": ("rosenbrock", {}, (5,), 0.7, 0.3),
    "quadratic-4": ("quadratic", {"matrix": A4, "vector": B4}, (4,), 1.5, 0.0),
    "poly-0d": ("poly", {"coeffs": [1.0, 2.0, -0.5, 0.25], "reduce": "sum"}, (), 1.0, 0.5),
    "linear_mse-2": ("linear_mse", {"inputs": T_U, "targets": T_C}, (2,), 2.0, 1.0),
}


def value_cases(own: dict, before: str) -> dict:
    """VALUE_CASES with a kata's own cases inserted before the case `before` (the order is the tests')."""
    at = list(VALUE_CASES).index(before)
    items = list(VALUE_CASES.items())
    return dict(items[:at] + list(own.items()) + items[at:])


def value_input(spec: tuple, case: str, dtype: torch.dtype, seed: int) -> tuple[str, dict, torch.Tensor]:
    """(scenario, params, x) of one value case: x seeded by `seed` + the length of the case's id."""
    name, params, shape, scale, shift = spec
    return name, params, cases.randn(seed + len(case), *shape, dtype=dtype, scale=scale, shift=shift)


def large_and_negative() -> tuple[str, dict, torch.Tensor]:
    """(scenario, params, x) of large and negative values, in float64: a cubic, summed."""
    x = torch.tensor([[-350.0, 1200.5], [-0.02, 75.25]], dtype=torch.float64)
    return "poly", {"coeffs": [3.0, -2.0, 0.01, -1e-4], "reduce": "sum"}, x


def watched(seed: int, *shape: int, dtype: torch.dtype, requires_grad: bool = False, with_grad: bool = False,
            scale: float = 1.0, shift: float = 0.0) -> torch.Tensor:
    """Seeded params for a rule that they are left alone: requiring grad, and holding a .grad
    (seeded by `seed` + 1), if asked."""
    x = cases.randn(seed, *shape, dtype=dtype, scale=scale, shift=shift)
    if requires_grad:
        x.requires_grad_(True)
    if with_grad:
        x.grad = cases.randn(seed + 1, *shape, dtype=dtype)
    return x


def closed_form_grad(name: str, params: dict, x: torch.Tensor) -> torch.Tensor:
    """∇f(x) of the scenario `name` with `params` (a sum-reduced poly or sin_exp), by hand, in float64."""
    x = x.detach().to(torch.float64)
    if name == "rosenbrock":
        v = x.reshape(-1)
        g = torch.zeros_like(v)
        g[:-1] += -400 * v[:-1] * (v[1:] - v[:-1] ** 2) - 2 * (1 - v[:-1])
        g[1:] += 200 * (v[1:] - v[:-1] ** 2)
        return g.reshape(x.shape)
    if name == "quadratic":
        a = torch.tensor(params["matrix"], dtype=torch.float64)
        return 0.5 * (a + a.T) @ x + torch.tensor(params["vector"], dtype=torch.float64)
    if name == "poly":
        return sum(k * c * x ** (k - 1) for k, c in enumerate(params["coeffs"]) if k > 0)
    if name == "linear_mse":
        u = torch.tensor(params["inputs"], dtype=torch.float64)
        r = 2 * (x[0] * u + x[1] - torch.tensor(params["targets"], dtype=torch.float64))
        return torch.stack([(r * u).mean(), r.mean()])
    if name == "sin_exp":
        return (torch.cos(x) + 0.5 * torch.sin(x)) * torch.exp(x / 2)
    raise KeyError(name)


def central_differences(f, x: torch.Tensor, delta: float) -> torch.Tensor:
    """(f(x+δeᵢ) − f(x−δeᵢ)) / 2δ for every element of x, in float64, shaped like x."""
    base = x.detach().to(torch.float64)
    out = torch.zeros(base.numel(), dtype=torch.float64)
    for i in range(base.numel()):
        step = torch.zeros(base.numel(), dtype=torch.float64)
        step[i] = delta
        step = step.reshape(base.shape)
        out[i] = (f(base + step) - f(base - step)) / (2 * delta)
    return out.reshape(base.shape)


def lenient(outcome, dtype: torch.dtype, *, numbers: bool = False):
    """The result as a plain tensor of the input's dtype, for a value test: its type, dtype and
    graph have their own tests. A numpy array is read too, and with ``numbers`` a Python number."""
    seen = outcome.value
    if isinstance(seen, ArraySeen):
        seen = TensorSeen(value=torch.from_numpy(seen.value))
    elif numbers and isinstance(seen, float | int) and not isinstance(seen, bool):
        seen = TensorSeen(value=torch.tensor(float(seen)))
    if isinstance(seen, TensorSeen):
        return dataclasses.replace(seen, value=seen.value.to(dtype), type_name="torch.Tensor",
                                   requires_grad=False, has_graph=False)
    return seen


def check_gradient_type(outcome, params: torch.Tensor, *, call: str, inputs: dict, contract: str,
                        dtype_fix: str) -> None:
    """A plain torch.Tensor in the dtype and shape of params; `dtype_fix` says how to keep the dtype."""
    seen = outcome.value
    details = {"inputs": inputs, "contract": contract}
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{call} should return a torch.Tensor; it returned {checks.fmt(seen)}", **details)
    if not seen.exact:
        checks.fail(f"{call} returned a {seen.type_name}; return a plain torch.Tensor", **details)
    if seen.value.dtype != params.dtype:
        checks.fail(f"{call} returned {cases.dtype_id(seen.value.dtype)} for "
                    f"{cases.dtype_id(params.dtype)} params: work in the dtype of the inputs "
                    f"({dtype_fix})", **details)
    if seen.value.shape != params.shape:
        checks.fail(f"{call} returned shape {tuple(seen.value.shape)}; the gradient has the shape of "
                    f"params, {tuple(params.shape)}", **details)


