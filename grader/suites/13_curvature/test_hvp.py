"""Hidden suite for 13_curvature/hvp."""

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import Scenario, TensorSeen
from grader.sandbox.seam import SeamError
from grader.suites.shared import curvature_judge as judge
from grader.suites.shared.scenario_gradients import check_gradient_type, lenient, watched

CONTRACT = ("hvp(loss_fn, params, v) -> Tensor: H(params)·v by double backward (torch.autograd.grad with "
            "create_graph=True, then differentiated against v), shape of params, no graph; never forms H; "
            "must not modify params (works whether or not params requires grad); a loss linear in params "
            "gives zeros; without torch.autograd.functional or torch.func")
CALL = "hvp(loss_fn, params, v)"

# ---------------------------------------------------------------- cases

A4 = [[2.0, 0.5, -1.0, 0.0], [0.25, 3.0, 0.5, -0.5], [-1.0, 0.0, 1.5, 0.75], [0.5, -0.25, 0.0, 2.5]]
A6 = cases.randn(400, 6, 6).tolist()  # not symmetric: H = (A + Aᵀ)/2
QUAD4 = Scenario("curvature_quadratic", {"matrix": A4, "vector": [1.0, -2.0, 0.5, 0.25]})
QUAD6 = Scenario("curvature_quadratic", {"matrix": A6})
CHAIN = Scenario("curvature_chain", {"kappa": 1.5, "quartic": 0.5})
ROSEN = Scenario("rosenbrock", {})
LOGISTIC = Scenario("curvature_logistic", {"seed": 7, "rows": 30})
PARTLY = Scenario("curvature_partly_linear", {"curved": 3})
LINEAR = Scenario("curvature_linear", {"weights": [1.5, -2.0, 0.5, 3.0, -1.0], "offset": 2.0})

# id → (loss, shape, scale of params, shift of params)
VALUE_CASES = {
    "quadratic-4": (QUAD4, (4,), 1.5, 0.0),
    "quadratic-2x3-nonsymmetric-A": (QUAD6, (2, 3), 1.0, 0.0),
    "rosenbrock-5": (ROSEN, (5,), 0.7, 0.3),
    "rosenbrock-2x3": (ROSEN, (2, 3), 0.8, 0.0),
    "logistic-6": (LOGISTIC, (6,), 0.5, 0.0),
    "chain-3x4": (CHAIN, (3, 4), 0.9, 0.0),
    "partly-linear-5": (PARTLY, (5,), 0.6, 0.0),
}
CLOSED_FORM = {"curvature_quadratic", "curvature_chain", "curvature_partly_linear", "linear_mse"}


def value_input(case: str, dtype: torch.dtype) -> tuple[Scenario, torch.Tensor, torch.Tensor]:
    spec, shape, scale, shift = VALUE_CASES[case]
    seed = 410 + 7 * list(VALUE_CASES).index(case)
    return (spec, cases.randn(seed, *shape, dtype=dtype, scale=scale, shift=shift),
            cases.randn(seed + 1, *shape, dtype=dtype))


def reference(spec: Scenario, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """torch.autograd.functional.hvp in float64, in x's dtype (tests/test_published_numbers_03_12_13.py
    checks it against H written out by hand)."""
    return judge.hvp_reference(spec, x, v).to(x.dtype)


def value_case(case: str, dtype: torch.dtype) -> tuple[Scenario, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(loss, params, v, the reference product) of a value case."""
    spec, x, v = value_input(case, dtype)
    return spec, x, v, reference(spec, x, v)


def gradient(spec: Scenario, x: torch.Tensor) -> torch.Tensor:
    """∇L(x) in float64 by autograd, for naming a wrong answer."""
    leaf = x.detach().to(torch.float64).clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(judge.loss_of(spec)(leaf), leaf)
    return grad


def wrong_answers(spec: Scenario, x: torch.Tensor, v: torch.Tensor) -> dict:
    v64 = v.detach().to(torch.float64)
    grad = gradient(spec, x)
    known = {
        "that is the gradient times v, element by element (∇L ⊙ v): H·v is the derivative of the "
        "gradient in the direction v, so differentiate the gradient again, against v": grad * v64,
        "that is the gradient itself: differentiate it once more, against v": grad,
    }
    if x.numel() <= 30:
        h = judge.hessian(spec, x)
        diagonal_only = (torch.diagonal(h) * v64.reshape(-1)).reshape(x.shape)
        known["that is diag(H) ⊙ v, only the diagonal of H: H·v needs every entry of H, which "
              "the gradient of g·v gives without forming H"] = diagonal_only
    return known


def check_values(learner, spec: Scenario, x: torch.Tensor, v: torch.Tensor, expected: torch.Tensor) -> None:
    outcome = learner.call("hvp", spec, x, v)
    checks.tensor(lenient(outcome, x.dtype), expected, call=CALL,
                  inputs={"loss_fn": judge.describe(spec), "params": x, "v": v}, contract=CONTRACT,
                  known=checks.OnMiss(lambda: wrong_answers(spec, x, v)))


# ---------------------------------------------------------------- values


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_matches_autograd_functional_hvp(learner, case, dtype):
    """H·v, as torch.autograd.functional.hvp gives it (float64 reference)"""
    check_values(learner, *VALUES[case, dtype])


TEMPERATURE = Scenario("linear_mse", {"inputs": judge.T_U, "targets": judge.T_C})
TEMPERATURE_X = torch.tensor([1.0, 0.0])
TEMPERATURE_VS = (torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]))


@pytest.mark.points(1)
def test_temperature_loss(learner):
    """H·v of 07_temperature's loss: H = (2/N)·XᵀX, λ up to 5883"""
    for v, expected in zip(TEMPERATURE_VS, TEMPERATURE_PRODUCTS, strict=True):
        check_values(learner, TEMPERATURE, TEMPERATURE_X, v, expected)


@pytest.mark.points(1)
def test_params_requiring_grad(learner):
    """the right product when params requires grad and holds a .grad"""
    spec, x, v, expected = VALUES["rosenbrock-5", torch.float64]
    x = x.clone().requires_grad_(True)
    x.grad = torch.full_like(x, 10.0)
    check_values(learner, spec, x, v, expected)


@pytest.mark.points(1)
@pytest.mark.rule  # a constant answer is right here: it counts once the results are
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_loss_linear_in_params_gives_zeros(learner, dtype):
    """a loss linear in params has H = 0: zeros, not an error"""
    x = cases.randn(430, 5, dtype=dtype)
    v = cases.randn(431, 5, dtype=dtype)
    outcome = learner.call("hvp", LINEAR, x, v)
    if outcome.raised is not None and not outcome.raised.is_a("NotImplementedError"):
        checks.fail(f"{CALL} raised {outcome.raised.describe()} for a loss linear in params. Its gradient "
                    "does not depend on params, so it does not require grad and cannot be differentiated "
                    "again: H = 0, return zeros (check grad.requires_grad)",
                    inputs={"loss_fn": judge.describe(LINEAR), "params": x, "v": v}, contract=CONTRACT)
    checks.tensor(lenient(outcome, dtype), torch.zeros(5, dtype=dtype), call=CALL,
                  inputs={"loss_fn": judge.describe(LINEAR), "params": x, "v": v}, contract=CONTRACT)


BIG_X, BIG_V = judge.big_case(440)
BIG_EXPECTED = judge.chain_hvp(BIG_X, BIG_V)  # by hand (checked against autograd.functional in tests/)


@pytest.mark.points(1)
def test_two_hundred_thousand_parameters(learner):
    """2·10⁵ parameters: fast, as H is never formed"""
    try:
        outcome = learner.call("hvp", Scenario("curvature_chain", {}), BIG_X, BIG_V)
    except SeamError as error:
        raise judge.seam_note(error, CALL) from None
    judge.check_big_raised(outcome, CALL, CONTRACT)
    checks.tensor(lenient(outcome, torch.float64), BIG_EXPECTED, call=CALL,
                  inputs={"loss_fn": "curvature_chain (a chain of 200,000 parameters)", "params": BIG_X,
                          "v": BIG_V}, contract=CONTRACT)


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
    x = watched(450, 2, 3, dtype=dtype, requires_grad=requires_grad, with_grad=with_grad, scale=0.8)
    v = cases.randn(452, 2, 3, dtype=dtype)
    outcome = learner.call("hvp", ROSEN, x, v)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(x, outcome.args[1], name="params", call=CALL, contract=CONTRACT)
    checks.unchanged(v, outcome.args[2], name="v", call=CALL, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain-params", "params-requiring-grad"])
def test_no_graph(learner, requires_grad):
    """no autograd graph on the result"""
    x = cases.randn(460, 4, scale=0.7, shift=0.3).requires_grad_(requires_grad)
    outcome = learner.call("hvp", ROSEN, x, cases.randn(461, 4))
    seen = outcome.value
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{CALL} should return a torch.Tensor; it returned {checks.fmt(seen)}", contract=CONTRACT)
    if seen.has_graph or seen.requires_grad:
        checks.fail(f"{CALL} returned a tensor that still carries an autograd graph: the second "
                    "torch.autograd.grad needs no create_graph=True, and return .detach() of the product",
                    contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_returns_tensor_of_params_dtype(learner, dtype):
    """a torch.Tensor shaped and typed like params"""
    x = cases.randn(470, 2, 3, dtype=dtype)
    outcome = learner.call("hvp", ROSEN, x, cases.randn(471, 2, 3, dtype=dtype))
    check_gradient_type(outcome, x, call=CALL, inputs={"loss_fn": "rosenbrock", "params": x},
                        contract=CONTRACT, dtype_fix="params.detach().clone() keeps it")


@pytest.mark.points(1)
@pytest.mark.rule
def test_written_without_the_library(learner):
    """written without torch.autograd.functional or torch.func"""
    spec, x, v = value_input("logistic-6", torch.float64)
    outcome = learner.call("hvp", spec, x, v, watch=judge.FORBIDDEN)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.written_without(learner, judge.FORBIDDEN, outcome, call=CALL, contract=CONTRACT)


# references that depend on constants only, found once at collection
VALUES = {(case, dtype): value_case(case, dtype) for case in VALUE_CASES for dtype in cases.DTYPES}
TEMPERATURE_PRODUCTS = [reference(TEMPERATURE, TEMPERATURE_X, v) for v in TEMPERATURE_VS]
