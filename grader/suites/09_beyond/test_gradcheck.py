"""Hidden suite for 09_beyond/gradcheck."""

import contextlib

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import NumpyScalarSeen, Scenario, TensorSeen
from grader.suites.shared.scenario_gradients import (
    A4,
    B4,
    T_C,
    T_U,
    central_differences,
    closed_form_grad,
    watched,
)

CONTRACT = ("gradcheck(f, grad_f, x, eps=1e-6, atol=1e-5, rtol=1e-3) -> bool: True when grad_f(x) "
            "matches central differences of f at x in float64 for every element "
            "(|a−n| ≤ atol + rtol·|n|); must not modify x")
DEFAULTS = {"eps": 1e-6, "atol": 1e-5, "rtol": 1e-3}

EYE4 = [[float(i == j) for j in range(4)] for i in range(4)]
POLY = [0.5, -1.0, 0.375, 0.25]
CUBE = {"coeffs": [0.0, 0.0, 0.0, 1.0], "reduce": "sum"}

# ---------------------------------------------------------------- the reference verdict, in float64


# verdicts found so far, by their arguments: the cases' verdicts are found at collection (below)
_VERDICTS: dict[tuple, bool] = {}


def verdict(f_name, f_params, g_name, g_params, scale, shift, x, eps, atol, rtol) -> bool:
    """``_verdict``, found once for the same arguments (x by its dtype, shape and values)."""
    key = (f_name, repr(f_params), g_name, repr(g_params), scale, shift, str(x.dtype), tuple(x.shape),
           tuple(x.reshape(-1).tolist()), eps, atol, rtol)
    if key not in _VERDICTS:
        _VERDICTS[key] = _verdict(f_name, f_params, g_name, g_params, scale, shift, x, eps, atol, rtol)
    return _VERDICTS[key]


def _verdict(f_name, f_params, g_name, g_params, scale, shift, x, eps, atol, rtol) -> bool:
    """The rule in float64, with a guard that the case is far from the boundary under every
    reading the contract allows (rtol·|n| or rtol·|a|; grad_f at x or at x in float64)."""
    a = closed_form_grad(g_name, g_params, x) * scale + shift
    n = central_differences(scenarios.judge_side(Scenario(f_name, f_params)), x, eps)
    gap = (a - n).abs()
    worst = torch.maximum(gap / (atol + rtol * n.abs()), gap / (atol + rtol * a.abs()))
    best = torch.minimum(gap / (atol + rtol * n.abs()), gap / (atol + rtol * a.abs()))
    if bool((worst <= 0.5).all()):
        return True
    if float(best.max()) >= 2.0:
        return False
    raise AssertionError("suite bug: a gradcheck case sits too close to the tolerance")


# ---------------------------------------------------------------- cases


def case(case_id, f, x, why, grad=None, scale=1.0, shift=0.0, **kwargs):
    return pytest.param(f, grad or f, scale, shift, x, kwargs, why, id=case_id)


ROSEN = ("rosenbrock", {})
QUAD = ("quadratic", {"matrix": A4, "vector": B4})
POLY_SUM = ("poly", {"coeffs": POLY, "reduce": "sum"})
LINEAR = ("linear_mse", {"inputs": T_U, "targets": T_C})
ONES = torch.ones(3, dtype=torch.float64)
SPREAD = torch.tensor([50.0, -40.0, 60.0, 0.0], dtype=torch.float64)
IDENTITY = ("quadratic", {"matrix": EYE4, "vector": [0.0] * 4})
ONE_OFF = ("quadratic", {"matrix": EYE4, "vector": [0.0, 0.0, 0.0, 0.02]})
CUBIC_X = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)

CORRECT = "grad_f is right here, so gradcheck should say True"
FLOAT32 = (CORRECT + ". x is float32: do the central differences in float64 (x.to(torch.float64) "
           "and a clone), float32 cannot resolve x ± 1e-6")
WRONG = "grad_f is wrong here, so gradcheck should say False"

VERDICT_CASES = [
    case("correct-rosenbrock-float64", ROSEN, cases.randn(300, 5, scale=0.7, shift=0.3), CORRECT),
    case("correct-rosenbrock-2x3-float32", ROSEN, cases.randn(301, 2, 3, dtype=torch.float32, scale=0.6),
         FLOAT32),
    case("correct-quadratic-float32", QUAD, cases.randn(302, 4, dtype=torch.float32, scale=1.5), FLOAT32),
    case("correct-poly-0d-float64", POLY_SUM, torch.tensor(0.75, dtype=torch.float64), CORRECT),
    case("correct-linear_mse-float32", LINEAR, torch.tensor([1.0, 0.0]), FLOAT32),
    case("correct-at-zero-gradient", ROSEN, ONES,
         CORRECT + ". At rosenbrock's minimum [1, 1, 1] the gradient is 0 and central differences "
         "give about 1e-10, well within atol. Never divide by |n| (the rule is |a − n| ≤ atol + "
         "rtol·|n|), and use central differences: a forward one is off by eps·f''/2 ≈ 4e-4 here"),
    case("scaled-by-1.01", ROSEN, cases.randn(303, 5, scale=0.7, shift=0.3),
         WRONG + ": grad_f is 1% too large everywhere", scale=1.01),
    case("sign-flipped", QUAD, cases.randn(304, 4, dtype=torch.float32, scale=1.5),
         WRONG + ": grad_f has the wrong sign", scale=-1.0),
    case("shifted-by-0.1", POLY_SUM, cases.randn(305, 3, 4, scale=1.2),
         WRONG + ": grad_f is 0.1 too large everywhere", shift=0.1),
    case("one-element-wrong", IDENTITY, SPREAD,
         WRONG + ": grad_f is off by 0.02 in one element only, where the gradient is 0. Check every "
         "element, |a_i − n_i| ≤ atol + rtol·|n_i|, not a norm or a mean of all of them", grad=ONE_OFF),
    case("shifted-by-1e-4-at-zero-gradient", ROSEN, ONES,
         WRONG + ": grad_f is off by 1e-4 where the gradient is 0, more than atol = 1e-5", shift=1e-4),
    case("rtol-1e-2-allows-0.3%", QUAD, cases.randn(306, 4, scale=1.5),
         "grad_f is 0.3% off and rtol=1e-2 was passed, so gradcheck should say True: use the rtol "
         "passed in", scale=1.003, rtol=1e-2),
    case("default-rtol-rejects-0.3%", QUAD, cases.randn(306, 4, scale=1.5),
         WRONG + ": grad_f is 0.3% off, more than the default rtol = 1e-3", scale=1.003),
    case("atol-1e-3-allows-1e-4", QUAD, cases.randn(307, 4),
         "grad_f is 1e-4 off, rtol=0 and atol=1e-3 were passed, so gradcheck should say True: use the "
         "atol passed in", shift=1e-4, rtol=0.0, atol=1e-3),
    case("atol-1e-5-rejects-1e-4", QUAD, cases.randn(307, 4),
         WRONG + ": grad_f is 1e-4 off, with rtol=0 and atol=1e-5 passed", shift=1e-4, rtol=0.0,
         atol=1e-5),
    case("eps-0.1-matches-its-own-differences", ("poly", CUBE), CUBIC_X,
         "for x³ the central differences with eps = 0.1 are 3x² + eps² = 3x² + 0.01 exactly, which is "
         "what grad_f returns here, so gradcheck should say True: use the eps passed in, and central "
         "differences (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps)", shift=0.01, eps=0.1),
    case("eps-default-rejects-the-eps-0.1-answer", ("poly", CUBE), CUBIC_X,
         WRONG + ": grad_f returns 3x² + 0.01 for x³, and central differences with the default "
         "eps = 1e-6 give 3x²", shift=0.01),
]


def as_bool(seen):
    """Read a yes/no leniently (the Python-bool rule has its own test)."""
    if isinstance(seen, bool):
        return seen
    if isinstance(seen, NumpyScalarSeen) and seen.dtype == "bool":
        return bool(seen.value)
    if isinstance(seen, TensorSeen) and seen.value.numel() == 1 and seen.value.dtype == torch.bool:
        return bool(seen.value.reshape(-1)[0])
    return None


def call(learner, f, grad, scale, shift, x, kwargs):
    g_params = {"f": Scenario(*grad), "scale": scale, "shift": shift}
    return learner.call("gradcheck", Scenario(*f), Scenario("autograd_of", g_params), x, **kwargs)


def describe(f, grad, scale, shift, x, kwargs) -> dict:
    of = "its autograd gradient" if grad == f else f"the gradient of {grad[0]} {grad[1]}"
    shown = {"f": f"{f[0]} {f[1]}" if f[1] else f[0], "grad_f": of}
    if scale != 1.0:
        shown["grad_f"] += f" × {scale}"
    if shift:
        shown["grad_f"] += f" + {shift}"
    return {**shown, "x": x, **kwargs}


# A constant True (or False) would meet half the verdicts, so a right verdict counts only when
# gradcheck also gives the opposite one on a plain case: rosenbrock's exact gradient (True), or
# that gradient 0.5 off everywhere (False).
CONTROL_X = cases.randn(310, 3)
CONTROL_SHIFT = {True: 0.0, False: 0.5}


@pytest.fixture(scope="module")
def controls() -> dict:
    """The learner's outcomes of the two plain cases, by shift: every verdict test and the bool test
    examine them alike, so each is called once per submission (this judge's)."""
    return {}


def control(learner, controls: dict, shift: float):
    """gradcheck on rosenbrock at CONTROL_X, its gradient `shift` off."""
    if shift not in controls:
        controls[shift] = call(learner, ROSEN, ROSEN, 1.0, shift, CONTROL_X, {})
    return controls[shift]


def check_tells_apart(learner, controls: dict, said: bool) -> None:
    """After a right verdict `said`: the opposite verdict on the plain case that calls for it."""
    shift = CONTROL_SHIFT[not said]
    assert verdict(*ROSEN, *ROSEN, 1.0, shift, CONTROL_X, **DEFAULTS) is (not said)
    got = as_bool(control(learner, controls, shift).value)
    if got is not (not said):
        what = "a gradient that is 0.5 off everywhere" if said else "a gradient that is exactly right"
        checks.fail(f"gradcheck said {said}, as it should here, but it also says {checks.fmt(got)} for "
                    f"{what}: a verdict counts once gradcheck tells right gradients from wrong ones",
                    inputs=describe(ROSEN, ROSEN, 1.0, shift, CONTROL_X, {}), expected=not said,
                    received=got, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.parametrize("f, grad, scale, shift, x, kwargs, why", VERDICT_CASES)
def test_verdict(learner, controls, f, grad, scale, shift, x, kwargs, why):
    """True for a right gradient, False for a wrong one"""
    used = {**DEFAULTS, **kwargs}
    expected = verdict(*f, *grad, scale, shift, x, **used)
    outcome = call(learner, f, grad, scale, shift, x, kwargs)
    got = as_bool(outcome.value)
    if got is None:
        checks.fail(f"gradcheck should return True or False; it returned {checks.fmt(outcome.value)}",
                    inputs=describe(f, grad, scale, shift, x, kwargs), contract=CONTRACT)
    if got != expected:
        checks.fail(f"gradcheck returned {got}; {why}", inputs=describe(f, grad, scale, shift, x, kwargs),
                    expected=expected, received=got, contract=CONTRACT)
    check_tells_apart(learner, controls, expected)


# ---------------------------------------------------------------- behaviour rules


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("shift, expected", [(0.0, True), (0.5, False)], ids=["right", "wrong"])
def test_returns_python_bool(learner, controls, shift, expected):
    """a Python bool"""
    assert verdict(*ROSEN, *ROSEN, 1.0, shift, CONTROL_X, **DEFAULTS) is expected
    outcome = control(learner, controls, shift)
    seen = outcome.value
    if type(seen) is not bool:
        hint = (": .all() and comparisons of tensors give a tensor, wrap it in bool(...)"
                if isinstance(seen, TensorSeen) else
                ": numpy gives np.bool_, wrap it in bool(...)" if isinstance(seen, NumpyScalarSeen) else "")
        checks.fail(f"gradcheck should return a Python bool ({expected} here); it returned "
                    f"{checks.fmt(seen)}{hint}", contract=CONTRACT)


UNCHANGED_CASES = [
    pytest.param(torch.float64, False, id="float64"),
    pytest.param(torch.float32, True, id="float32-requires-grad-with-grad"),
]


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype, requires_grad", UNCHANGED_CASES)
def test_x_unchanged(learner, dtype, requires_grad):
    """leaves x exactly as it was"""
    x = watched(320, 3, 4, dtype=dtype, requires_grad=requires_grad, with_grad=requires_grad,
                scale=2.0, shift=0.3)
    outcome = call(learner, POLY_SUM, POLY_SUM, 1.0, 0.0, x, {})
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(x, outcome.args[2], name="x", call="gradcheck(f, grad_f, x)", contract=CONTRACT)


# Every verdict the tests ask for depends on constants only: found once at collection, in the
# grader, so each judge forked from it shares them. A case too close to call raises in its test.
for _param in [*VERDICT_CASES, *(case("control", ROSEN, CONTROL_X, "", shift=shift)
                                  for shift in CONTROL_SHIFT.values())]:
    _f, _grad, _scale, _shift, _x, _kwargs, _ = _param.values
    with contextlib.suppress(AssertionError):
        verdict(*_f, *_grad, _scale, _shift, _x, **{**DEFAULTS, **_kwargs})
