"""Hidden suite for 03_gradients/autograd_grad."""

import dataclasses

import pytest
import torch

from grader import cases, checks
from grader.codec import ArraySeen, Scenario, TensorSeen

CONTRACT = ("autograd_grad(loss_fn, params) -> Tensor: ∇loss_fn(params) by autograd, shape of params, "
            "no graph; must not modify params (works whether or not params requires grad)")
CALL = "autograd_grad(loss_fn, params)"

A4 = [[2.0, 0.5, -1.0, 0.0], [0.25, 3.0, 0.5, -0.5], [-1.0, 0.0, 1.5, 0.75], [0.5, -0.25, 0.0, 2.5]]
B4 = [1.0, -2.0, 0.5, 0.25]
POLY = [1.0, 2.0, -0.5, 0.25]
T_U = [3.57, 5.59, 5.82, 8.19, 5.63, 4.89, 3.39, 2.18, 4.84, 6.04, 6.84]
T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]

# ---------------------------------------------------------------- the scenarios, judge-side in float64


def judge_f(name: str, params: dict):
    """The closed form of a scenario from grader/scenarios.py, for float64 tensors."""
    if name == "rosenbrock":
        def f(x):
            v = x.reshape(-1)
            return (100 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2).sum()
        return f
    if name == "quadratic":
        a = torch.tensor(params["matrix"], dtype=torch.float64)
        b = torch.tensor(params["vector"], dtype=torch.float64)
        return lambda x: 0.5 * x @ (a @ x) + b @ x
    if name == "poly":
        return lambda x: sum(c * x**k for k, c in enumerate(params["coeffs"])).sum()
    if name == "linear_mse":
        u = torch.tensor(params["inputs"], dtype=torch.float64)
        c = torch.tensor(params["targets"], dtype=torch.float64)
        return lambda p: ((p[0] * u + p[1] - c) ** 2).mean()
    if name == "sin_exp":
        return lambda x: (torch.sin(x) * torch.exp(x / 2)).sum()
    raise KeyError(name)


def closed_form_grad(name: str, params: dict, x: torch.Tensor) -> torch.Tensor:
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


def central_differences(f, x: torch.Tensor, delta: float = 1e-5) -> torch.Tensor:
    base = x.detach().to(torch.float64)
    out = torch.zeros(base.numel(), dtype=torch.float64)
    for i in range(base.numel()):
        step = torch.zeros(base.numel(), dtype=torch.float64)
        step[i] = delta
        step = step.reshape(base.shape)
        out[i] = (f(base + step) - f(base - step)) / (2 * delta)
    return out.reshape(base.shape)


def reference(name: str, params: dict, x: torch.Tensor) -> torch.Tensor:
    """The closed form, checked against central differences in float64 (a guard on this suite)."""
    exact = closed_form_grad(name, params, x)
    numeric = central_differences(judge_f(name, params), x)
    scale = max(float(exact.abs().max()), 1.0)
    assert torch.allclose(numeric, exact, rtol=1e-6, atol=1e-6 * scale), f"suite bug: {name} gradient"
    return exact.to(x.dtype)


def lenient(outcome, dtype: torch.dtype):
    """The result as a tensor of the input's dtype: type, dtype and graph have their own tests."""
    seen = outcome.value
    if isinstance(seen, ArraySeen):
        seen = TensorSeen(value=torch.from_numpy(seen.value))
    if isinstance(seen, TensorSeen):
        return dataclasses.replace(seen, value=seen.value.to(dtype), type_name="torch.Tensor",
                                   requires_grad=False, has_graph=False)
    return seen


def describe(name: str, params: dict) -> str:
    return f"{name} {params}" if params else name


def check_values(learner, name, params, x, known=None, rtol=None):
    expected = reference(name, params, x)
    outcome = learner.call("autograd_grad", Scenario(name, params), x)
    seen = outcome.value
    if isinstance(seen, TensorSeen) and seen.value.dtype == torch.float32 and x.dtype == torch.float64:
        rtol = 1e-6  # a float32 result for float64 params costs the dtype test, not this one
    checks.tensor(lenient(outcome, x.dtype), expected, call=CALL,
                  inputs={"loss_fn": describe(name, params), "params": x}, contract=CONTRACT,
                  known=known, rtol=rtol)


def params_of(seed: int, shape: tuple, dtype: torch.dtype, scale: float = 1.0, shift: float = 0.0):
    return cases.randn(seed, *(shape or (1,)), dtype=dtype, scale=scale, shift=shift).reshape(shape)


# ---------------------------------------------------------------- values

VALUE_CASES = {
    "rosenbrock-5": ("rosenbrock", {}, (5,), 0.7, 0.3),
    "rosenbrock-2x3": ("rosenbrock", {}, (2, 3), 0.8, 0.0),
    "quadratic-4": ("quadratic", {"matrix": A4, "vector": B4}, (4,), 1.5, 0.0),
    "poly-0d": ("poly", {"coeffs": POLY, "reduce": "sum"}, (), 1.0, 0.5),
    "linear_mse-2": ("linear_mse", {"inputs": T_U, "targets": T_C}, (2,), 2.0, 1.0),
}


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_matches_closed_form(learner, case, dtype):
    """the gradient of loss_fn at params"""
    name, params, shape, scale, shift = VALUE_CASES[case]
    x = params_of(200 + len(case), shape, dtype, scale, shift)
    check_values(learner, name, params, x)


@pytest.mark.points(1)
def test_large_and_negative_values(learner):
    """large and negative values (float64)"""
    x = torch.tensor([[-350.0, 1200.5], [-0.02, 75.25]], dtype=torch.float64)
    check_values(learner, "poly", {"coeffs": [3.0, -2.0, 0.01, -1e-4], "reduce": "sum"}, x)


@pytest.mark.points(1)
def test_matches_central_differences(learner):
    """agrees with central differences of loss_fn (float64)"""
    x = params_of(210, (3, 2), torch.float64, 1.5)
    expected = central_differences(judge_f("sin_exp", {}), x)
    outcome = learner.call("autograd_grad", Scenario("sin_exp", {"reduce": "sum"}), x)
    checks.tensor(lenient(outcome, x.dtype), expected, call=CALL,
                  inputs={"loss_fn": "sum(sin(x)·exp(x/2))", "params": x}, contract=CONTRACT,
                  rtol=1e-7, atol=1e-8)


@pytest.mark.points(1)
def test_params_requiring_grad(learner):
    """the right gradient when params already requires grad"""
    x = params_of(220, (5,), torch.float32, 0.7, 0.3).requires_grad_(True)
    check_values(learner, "rosenbrock", {}, x)


@pytest.mark.points(1)
def test_params_holding_a_grad(learner):
    """the right gradient when params already holds a .grad"""
    x = params_of(230, (4,), torch.float64, 1.5).requires_grad_(True)
    x.grad = torch.tensor([1.0, -2.0, 0.5, 3.0], dtype=torch.float64)
    params = {"matrix": A4, "vector": B4}
    accumulated = closed_form_grad("quadratic", params, x) + x.grad
    check_values(learner, "quadratic", params, x, known={
        "you returned the new gradient added to the .grad params already held: backward() "
        "accumulates into .grad. Differentiate a detached copy instead": accumulated})


# ---------------------------------------------------------------- behaviour rules

UNCHANGED_CASES = [
    pytest.param(torch.float32, False, False, id="float32"),
    pytest.param(torch.float64, True, False, id="float64-requires-grad"),
    pytest.param(torch.float32, True, True, id="float32-requires-grad-with-grad"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, requires_grad, with_grad", UNCHANGED_CASES)
def test_params_unchanged(learner, dtype, requires_grad, with_grad):
    """leaves params as it was: values, requires_grad and .grad"""
    x = params_of(240, (2, 3), dtype, 0.8)
    if requires_grad:
        x.requires_grad_(True)
    if with_grad:
        x.grad = params_of(241, (2, 3), dtype)
    outcome = learner.call("autograd_grad", Scenario("rosenbrock", {}), x)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(x, outcome.args[1], name="params", call=CALL, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain-params", "params-requiring-grad"])
def test_no_graph(learner, requires_grad):
    """no autograd graph on the result"""
    x = params_of(250, (4,), torch.float64).requires_grad_(requires_grad)
    outcome = learner.call("autograd_grad", Scenario("quadratic", {"matrix": A4, "vector": B4}), x)
    seen = outcome.value
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{CALL} should return a torch.Tensor; it returned {checks.fmt(seen)}",
                    contract=CONTRACT)
    checks.no_graph(seen, call=CALL, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_returns_tensor_of_input_dtype(learner, dtype):
    """a torch.Tensor shaped and typed like params"""
    x = params_of(260, (2, 3), dtype)
    outcome = learner.call("autograd_grad", Scenario("rosenbrock", {}), x)
    seen = outcome.value
    details = {"inputs": {"loss_fn": "rosenbrock", "params": x}, "contract": CONTRACT}
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{CALL} should return a torch.Tensor; it returned {checks.fmt(seen)}", **details)
    if not seen.exact:
        checks.fail(f"{CALL} returned a {seen.type_name}; return a plain torch.Tensor", **details)
    if seen.value.dtype != dtype:
        checks.fail(f"{CALL} returned {cases.dtype_id(seen.value.dtype)} for {cases.dtype_id(dtype)} "
                    "params: work in the dtype of the inputs (params.detach().clone() keeps it)",
                    **details)
    if seen.value.shape != x.shape:
        checks.fail(f"{CALL} returned shape {tuple(seen.value.shape)}; the gradient has the shape of "
                    f"params, {tuple(x.shape)}", **details)
