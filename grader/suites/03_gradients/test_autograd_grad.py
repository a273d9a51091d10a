"""Hidden suite for 03_gradients/autograd_grad."""

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import Scenario, TensorSeen
from grader.suites.shared.scenario_gradients import (
    A4,
    B4,
    central_differences,
    check_gradient_type,
    closed_form_grad,
    large_and_negative,
    lenient,
    value_cases,
    value_input,
    watched,
)

CONTRACT = ("autograd_grad(loss_fn, params) -> Tensor: ∇loss_fn(params) by autograd, shape of params, "
            "no graph; must not modify params (works whether or not params requires grad)")
CALL = "autograd_grad(loss_fn, params)"

# ---------------------------------------------------------------- references, judge-side in float64


def reference(name: str, params: dict, x: torch.Tensor) -> torch.Tensor:
    """The closed form (tests/test_published_numbers_03_12_13.py checks it against central
    differences in float64 for every case)."""
    return closed_form_grad(name, params, x).to(x.dtype)


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


# ---------------------------------------------------------------- values

VALUE_CASES = value_cases({"rosenbrock-2x3": ("rosenbrock", {}, (2, 3), 0.8, 0.0)}, before="quadratic-4")


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_matches_closed_form(learner, case, dtype):
    """the gradient of loss_fn at params"""
    check_values(learner, *value_input(VALUE_CASES[case], case, dtype, seed=200))


@pytest.mark.points(1)
def test_large_and_negative_values(learner):
    """large and negative values (float64)"""
    check_values(learner, *large_and_negative())


@pytest.mark.points(1)
def test_matches_central_differences(learner):
    """agrees with central differences of loss_fn (float64)"""
    outcome = learner.call("autograd_grad", SIN_EXP, SIN_EXP_X)
    checks.tensor(lenient(outcome, SIN_EXP_X.dtype), SIN_EXP_NUMERIC, call=CALL,
                  inputs={"loss_fn": "sum(sin(x)·exp(x/2))", "params": SIN_EXP_X}, contract=CONTRACT,
                  rtol=1e-7, atol=1e-8)


SIN_EXP = Scenario("sin_exp", {"reduce": "sum"})
SIN_EXP_X = cases.randn(210, 3, 2, scale=1.5)
SIN_EXP_NUMERIC = central_differences(scenarios.judge_side(SIN_EXP), SIN_EXP_X, 1e-5)  # once, at collection


@pytest.mark.points(1)
def test_params_requiring_grad(learner):
    """the right gradient when params already requires grad"""
    x = cases.randn(220, 5, dtype=torch.float32, scale=0.7, shift=0.3).requires_grad_(True)
    check_values(learner, "rosenbrock", {}, x)


@pytest.mark.points(1)
def test_params_holding_a_grad(learner):
    """the right gradient when params already holds a .grad"""
    x = cases.randn(230, 4, scale=1.5).requires_grad_(True)
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
@pytest.mark.rule
@pytest.mark.parametrize("dtype, requires_grad, with_grad", UNCHANGED_CASES)
def test_params_unchanged(learner, dtype, requires_grad, with_grad):
    """leaves params as it was: values, requires_grad and .grad"""
    x = watched(240, 2, 3, dtype=dtype, requires_grad=requires_grad, with_grad=with_grad, scale=0.8)
    outcome = learner.call("autograd_grad", Scenario("rosenbrock", {}), x)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(x, outcome.args[1], name="params", call=CALL, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain-params", "params-requiring-grad"])
def test_no_graph(learner, requires_grad):
    """no autograd graph on the result"""
    x = cases.randn(250, 4).requires_grad_(requires_grad)
    outcome = learner.call("autograd_grad", Scenario("quadratic", {"matrix": A4, "vector": B4}), x)
    seen = outcome.value
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{CALL} should return a torch.Tensor; it returned {checks.fmt(seen)}",
                    contract=CONTRACT)
    checks.no_graph(seen, call=CALL, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_returns_tensor_of_input_dtype(learner, dtype):
    """a torch.Tensor shaped and typed like params"""
    x = cases.randn(260, 2, 3, dtype=dtype)
    outcome = learner.call("autograd_grad", Scenario("rosenbrock", {}), x)
    check_gradient_type(outcome, x, call=CALL, inputs={"loss_fn": "rosenbrock", "params": x},
                        contract=CONTRACT, dtype_fix="params.detach().clone() keeps it")
