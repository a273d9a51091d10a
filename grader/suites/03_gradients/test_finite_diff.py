"""Hidden suite for 03_gradients/finite_diff."""

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import Scenario, TensorSeen
from grader.suites.shared.scenario_gradients import (
    central_differences,
    check_gradient_type,
    large_and_negative,
    lenient,
    value_cases,
    value_input,
    watched,
)

CONTRACT = ("central_difference(f, params, delta=1e-3) -> Tensor: numerical gradient of scalar f at "
            "params (any shape): (f(p+δeᵢ) − f(p−δeᵢ)) / 2δ per element; must not modify params")
CALL = "central_difference(f, params, delta)"
EPS = {torch.float32: 2.0**-23, torch.float64: 2.0**-52}

POLY = [0.5, -1.0, 0.375, 0.25]

# ---------------------------------------------------------------- references, judge-side in float64


def wrong_answers(f, p: torch.Tensor, delta: float) -> dict:
    base = p.detach().to(torch.float64)
    forward = torch.zeros_like(base).reshape(-1)
    f0 = f(base)
    for i in range(base.numel()):
        step = torch.zeros(base.numel(), dtype=torch.float64)
        step[i] = delta
        forward[i] = (f(base + step.reshape(base.shape)) - f0) / delta
    known = {"that is the forward difference (f(p+δeᵢ) − f(p)) / δ: use the central one, "
             "(f(p+δeᵢ) − f(p−δeᵢ)) / 2δ": forward.reshape(base.shape)}
    if base.dim() == 2:  # a loop over params[i] perturbs a whole row of a matrix
        rows = torch.zeros_like(base)
        for i in range(base.shape[0]):
            step = torch.zeros_like(base)
            step[i] = delta
            rows[i] = (f(base + step) - f(base - step)) / (2 * delta)
        known["you perturbed a whole row at once (params[i] of a matrix is a row): perturb one "
              "element at a time, e.g. through params.reshape(-1)[i] of a copy"] = rows
    return known


def tolerances(f, p: torch.Tensor, delta: float, expected: torch.Tensor) -> tuple[float, float]:
    """(rtol, atol for checks.close) fitting a float32 or float64 evaluation of the formula.

    Rounding f's values costs about eps·|f| / δ in every element; rounding p ± δ to the dtype
    moves the step by about eps·|p|, which costs eps·|p|/δ of each element relatively.
    """
    eps = EPS[p.dtype]
    base = p.detach().to(torch.float64)
    size = float(max(abs(f(base + delta)), abs(f(base - delta)), abs(f(base)))) + 1.0
    p_max = float(base.abs().max()) if base.numel() else 0.0
    rtol = 2 * eps * p_max / delta + 8 * eps
    atol = 4 * eps * size / delta
    scale = max(float(expected.abs().max()), 1.0)
    return rtol, atol / scale


def reference(name: str, params: dict, p: torch.Tensor, delta: float | None) -> tuple:
    """(the formula in float64, in p's dtype; rtol; atol) of a value check."""
    f = scenarios.judge_side(Scenario(name, params))
    used = 1e-3 if delta is None else delta
    expected = central_differences(f, p, used).to(p.dtype)
    return expected, *tolerances(f, p, used, expected)


def check_values(learner, check):
    name, params, p, delta, extra_known = VALUE_CHECKS[check]
    expected, rtol, atol = REFERENCES[check]
    f = scenarios.judge_side(Scenario(name, params))
    used = 1e-3 if delta is None else delta
    args = (Scenario(name, params), p) if delta is None else (Scenario(name, params), p, delta)
    outcome = learner.call("central_difference", *args)
    known = checks.OnMiss(lambda: {**(extra_known or {}), **wrong_answers(f, p, used)})
    seen = outcome.value
    if isinstance(seen, TensorSeen) and seen.value.dtype in EPS and seen.value.dtype != p.dtype:
        rtol += 4 * EPS[seen.value.dtype]  # a float32 result of float64 params: the dtype test says so
    seen = lenient(outcome, p.dtype, numbers=True)
    inputs = {"f": f"{name} {params}" if params else name, "params": p, "delta": used}
    if isinstance(seen, TensorSeen) and not checks.close(seen.value, expected, rtol=rtol, atol=atol):
        for label, wrong in known.items():  # named with the tolerance of this float32 formula
            if checks.close(seen.value, wrong, rtol=rtol, atol=atol):
                checks.fail(f"{CALL}: {label}", inputs=inputs, expected=expected, received=seen.value,
                            contract=CONTRACT)
    checks.tensor(seen, expected, call=CALL, inputs=inputs, contract=CONTRACT, known=known,
                  rtol=rtol, atol=atol)


# ---------------------------------------------------------------- values

VALUE_CASES = value_cases({"poly-3x4": ("poly", {"coeffs": POLY, "reduce": "sum"}, (3, 4), 1.2, 0.0)},
                          before="poly-0d")


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_matches_formula(learner, case, dtype):
    """(f(p+δeᵢ) − f(p−δeᵢ)) / 2δ for every element"""
    check_values(learner, (case, dtype))


@pytest.mark.points(1)
def test_large_and_negative_values(learner):
    """large and negative values (float64)"""
    check_values(learner, "large-and-negative")


@pytest.mark.points(1)
def test_delta_is_used(learner):
    """uses the delta it is given"""
    check_values(learner, "delta-0.1")


@pytest.mark.points(1)
def test_default_delta(learner):
    """delta is 1e-3 when not given"""
    check_values(learner, "default-delta")


CUBE = {"coeffs": [0.0, 0.0, 0.0, 1.0], "reduce": "sum"}
CUBE_P = torch.tensor([0.0, 1.0, -2.0], dtype=torch.float64)
# check → (scenario, its params, params, delta (None: not passed), more known wrong answers)
VALUE_CHECKS = {
    **{(case, dtype): (*value_input(VALUE_CASES[case], case, dtype, seed=100), None, None)
       for case in VALUE_CASES for dtype in cases.DTYPES},
    "large-and-negative": (*large_and_negative(), None, None),
    # for x³ the formula gives 3x² + δ² exactly: δ = 0.1 shows which δ was used
    "delta-0.1": ("poly", CUBE, CUBE_P, 0.1,
                  {"you used δ = 1e-3, not the delta passed in (here 0.1)": 3 * CUBE_P**2 + 1e-6}),
    "default-delta": ("poly", CUBE, CUBE_P, None, None),
}
# references that depend on constants only, found once at collection
REFERENCES = {check: reference(*inputs[:4]) for check, inputs in VALUE_CHECKS.items()}


# ---------------------------------------------------------------- behaviour rules


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_returns_tensor_of_input_dtype(learner, dtype):
    """a torch.Tensor shaped and typed like params"""
    p = cases.randn(130, 2, 3, dtype=dtype)
    outcome = learner.call("central_difference", Scenario("rosenbrock", {}), p)
    check_gradient_type(outcome, p, call=CALL, inputs={"f": "rosenbrock", "params": p}, contract=CONTRACT,
                        dtype_fix="torch.zeros_like(params) keeps it; torch.zeros(params.shape) does not")


UNCHANGED_CASES = [
    pytest.param(torch.float32, False, id="float32"),
    pytest.param(torch.float64, True, id="float64-requires-grad-with-grad"),
]


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype, requires_grad", UNCHANGED_CASES)
def test_params_unchanged(learner, dtype, requires_grad):
    """leaves params exactly as it was"""
    p = watched(140, 3, 4, dtype=dtype, requires_grad=requires_grad, with_grad=requires_grad,
                scale=2.0, shift=0.3)
    outcome = learner.call("central_difference",
                           Scenario("poly", {"coeffs": POLY, "reduce": "sum"}), p)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(p, outcome.args[1], name="params", call=CALL, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_no_graph(learner):
    """no autograd graph on the result, even when params requires grad"""
    p = cases.randn(150, 4, dtype=torch.float32).requires_grad_(True)
    outcome = learner.call("central_difference", Scenario("rosenbrock", {}), p)
    seen = outcome.value
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{CALL} should return a torch.Tensor; it returned {checks.fmt(seen)}",
                    contract=CONTRACT)
    checks.no_graph(seen, call=f"{CALL} with params that requires grad", contract=CONTRACT)
