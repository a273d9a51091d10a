"""Hidden suite for 03_gradients/linear_grad."""

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen

CONTRACT = ("linear_grad(t_u, t_c, w, b) -> Tensor: model t_p = w·t_u + b, loss MSE; returns "
            "[∂L/∂w, ∂L/∂b] = [mean(2(t_p−t_c)·t_u), mean(2(t_p−t_c))], shape (2,), by hand, "
            "no graph")
CALL = "linear_grad(t_u, t_c, w, b)"

# The temperature chapter's data.
T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]


def data(seed: int, n: int, dtype: torch.dtype, shift: float = 50.0):
    t_u = cases.randn(seed, n, scale=15.0, shift=shift)
    t_c = 0.5 * t_u - 17.0 + cases.randn(seed + 1, n, scale=2.0)
    return t_u.to(dtype), t_c.to(dtype)


def scalar(value: float, dtype: torch.dtype, requires_grad: bool = False) -> torch.Tensor:
    return torch.tensor(value, dtype=dtype, requires_grad=requires_grad)


def loss(t_u, t_c, w: float, b: float) -> float:
    return float(((w * t_u.double() + b - t_c.double()) ** 2).mean())


def reference(t_u, t_c, w, b) -> torch.Tensor:
    u, c = t_u.double(), t_c.double()
    r = float(w) * u + float(b) - c
    return torch.stack([(2 * r * u).mean(), (2 * r).mean()])


def wrong_answers(t_u, t_c, w, b) -> dict:
    right = reference(t_u, t_c, w, b)
    n = t_u.numel()
    r = float(w) * t_u.double() + float(b) - t_c.double()
    wrong = {
        f"off by a factor of N = {n}: a sum where the mean belongs (the loss is a mean, so "
        "are its derivatives)": right * n,
        "half the expected values: the factor 2 from differentiating the square is missing":
            right / 2,
        "the sign is flipped: the residual is t_p − t_c, prediction minus target": -right,
        "the two entries are swapped: return [∂L/∂w, ∂L/∂b], w first": right.flip(0),
        "∂L/∂w is missing its factor t_u (∂t_p/∂w = t_u, ∂t_p/∂b = 1)":
            torch.stack([(2 * r).mean(), (2 * r).mean()]),
    }
    return {label: value for label, value in wrong.items() if n > 1 or "factor of N" not in label}


def check(outcome, t_u, t_c, w, b, expected=None, **tolerance) -> TensorSeen:
    expected = reference(t_u, t_c, w, b) if expected is None else expected
    return checks.tensor(outcome, expected.to(t_u.dtype), call=CALL,
                         inputs={"t_u": t_u, "t_c": t_c, "w": w, "b": b}, contract=CONTRACT,
                         known=wrong_answers(t_u, t_c, w, b), **tolerance)


CASES = [
    pytest.param(dtype, n, w, b, id=f"{cases.dtype_id(dtype)}-N{n}")
    for dtype in cases.DTYPES
    for n, w, b in [(1, 0.3, -2.0), (11, 1.0, 0.0), (64, 0.45, -12.0)]
]


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, n, w, b", CASES)
def test_matches_closed_form(learner, dtype, n, w, b):
    """[mean(2(t_p−t_c)·t_u), mean(2(t_p−t_c))]"""
    t_u, t_c = data(121, n, dtype)
    w, b = scalar(w, dtype), scalar(b, dtype)
    check(learner.call("linear_grad", t_u, t_c, w, b), t_u, t_c, w, b)


@pytest.mark.points(1)
def test_matches_finite_differences(learner):
    """matches central differences of the MSE in float64"""
    t_u, t_c = data(131, 9, torch.float64, shift=5.0)
    w, b, h = 0.7, 1.5, 1e-5
    numerical = torch.tensor([
        (loss(t_u, t_c, w + h, b) - loss(t_u, t_c, w - h, b)) / (2 * h),
        (loss(t_u, t_c, w, b + h) - loss(t_u, t_c, w, b - h)) / (2 * h),
    ], dtype=torch.float64)
    w_t, b_t = scalar(w, torch.float64), scalar(b, torch.float64)
    check(learner.call("linear_grad", t_u, t_c, w_t, b_t), t_u, t_c, w_t, b_t,
          expected=numerical, rtol=1e-6, atol=1e-8)


@pytest.mark.points(1)
@pytest.mark.parametrize("scale, published", [(1.0, [4517.2964, 82.6000]),
                                              (0.1, [-77.6140, -10.6400])],
                         ids=["raw-t_u", "t_u-times-0.1"])
def test_temperature_chapter_numbers(learner, scale, published):
    """the temperature chapter's first gradient, from params [1.0, 0.0]"""
    t_u = torch.tensor(T_U) * scale  # float32, as in the chapter
    t_c = torch.tensor(T_C)
    w, b = scalar(1.0, torch.float32), scalar(0.0, torch.float32)
    outcome = learner.call("linear_grad", t_u, t_c, w, b)
    try:
        check(outcome, t_u, t_c, w, b)
    except checks.Mistake as mistake:
        raise checks.Mistake(f"{mistake}\n  (the chapter prints Grad: tensor({published}))") from None


@pytest.mark.points(1)
def test_negative_values(learner):
    """negative temperatures, weights and bias"""
    t_u, t_c = data(141, 7, torch.float64, shift=-40.0)
    w, b = scalar(-1.25, torch.float64), scalar(-30.0, torch.float64)
    check(learner.call("linear_grad", t_u, t_c, w, b), t_u, t_c, w, b)


@pytest.mark.points(1)
@pytest.mark.rule
def test_no_graph(learner):
    """no autograd graph on the result when w and b require grad"""
    t_u, t_c = data(151, 5, torch.float32)
    w, b = scalar(0.5, torch.float32, True), scalar(-1.0, torch.float32, True)
    seen = learner.call("linear_grad", t_u, t_c, w, b).value
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{CALL} should return a torch.Tensor of shape (2,)", received=seen,
                    contract=CONTRACT)
    checks.no_graph(seen, call=CALL + " with w and b requiring grad", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves t_u, t_c, w and b as they were"""
    t_u, t_c = data(161, 6, torch.float32)
    w, b = scalar(0.5, torch.float32, True), scalar(-1.0, torch.float32, True)
    outcome = learner.call("linear_grad", t_u, t_c, w, b)
    outcome.value  # noqa: B018 - surfaces an exception first
    for name, before, after in zip(("t_u", "t_c", "w", "b"), (t_u, t_c, w, b), outcome.args,
                                   strict=True):
        checks.unchanged(before, after, name=name, call="linear_grad", contract=CONTRACT)
