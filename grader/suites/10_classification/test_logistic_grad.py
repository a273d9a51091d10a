"""Hidden suite for 10_classification/logistic_grad."""

import functools

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen
from grader.suites.shared import classification_judge as judge

CONTRACT = ("logistic_grad(X, y, w, b) -> tuple[Tensor, Tensor]: model p = σ(X@w + b) (X: (N,D), "
            "w: (D,), b: 0-d, y: (N,) of 0/1), loss = mean binary cross-entropy; returns (∂L/∂w, "
            "∂L/∂b) = (Xᵀ(p − y)/N, mean(p − y)), shapes (D,) and (), by hand. No p(1 − p) factor. "
            "Finite and right for X@w + b up to ±1e4. Works whether or not w and b require grad; "
            "must not modify its inputs")
CALL = "logistic_grad(X, y, w, b)"

CANCELS = "the cross-entropy's log cancels the sigmoid's slope, leaving Xᵀ(p − y)/N and mean(p − y)"
MSE_FACTOR = ("the gradient has a p(1 − p) factor: that is the gradient of the squared error through "
              f"the sigmoid; {CANCELS}")
MSE_FACTOR_2 = ("the gradient has a 2·p(1 − p) factor: that is the gradient of the mean squared error "
                f"through the sigmoid; {CANCELS}")
NAN = ("nan or inf where X@w + b is ±1e4: σ written as e^z/(1 + e^z) is inf/inf = nan at z = 1e4. "
       "Use torch.sigmoid (or 1/(1 + e^(−z)), which is 0 at z = −1e4, not nan)")


def data(seed: int, n: int, d: int, dtype: torch.dtype, scale: float = 1.5):
    X = cases.randn(seed, n, d)
    w = cases.randn(seed + 1, d, scale=scale)
    b = cases.randn(seed + 2, scale=0.5)
    p = torch.sigmoid(X @ cases.randn(seed + 3, d, scale=2.0))
    y = (p > cases.uniform(seed + 4, n, low=0.0)).double()
    return X.to(dtype), y.to(dtype), w.to(dtype), b.to(dtype)


def wrong_answers(X, y, w, b) -> tuple[dict, dict]:
    """The classic wrong (∂L/∂w, ∂L/∂b), label → value, for each part."""
    X64, t = X.detach().double(), y.detach().double()
    z = X64 @ w.detach().double() + b.detach().double()
    p = torch.sigmoid(z)
    n = len(X64)

    def both(r):
        return X64.T @ r / n, r.mean()

    variants = {
        MSE_FACTOR: both((p - t) * p * (1 - p)),
        MSE_FACTOR_2: both(2 * (p - t) * p * (1 - p)),
        "b is missing from the model: p = σ(X@w + b)": both(torch.sigmoid(X64 @ w.detach().double()) - t),
        "there is no sigmoid: p − y needs p = σ(X@w + b), not the raw score X@w + b": both(z - t),
        "that is the gradient of the mean squared error of a linear model, 2·(X@w + b − y): the model "
        "is p = σ(X@w + b) and the loss the cross-entropy": both(2 * (z - t)),
    }
    return ({label: value[0] for label, value in variants.items()},
            {label: value[1] for label, value in variants.items()})


def check(outcome, X, y, w, b, **tolerance) -> tuple[TensorSeen, TensorSeen]:
    n, d = X.shape
    inputs = {"X": X, "y": y, "w": w, "b": b}
    hint = judge.autograd_hint(outcome)
    if hint:
        checks.fail(hint, inputs=inputs, contract=CONTRACT)
    result = outcome.value
    if isinstance(result, TensorSeen) or not isinstance(result, tuple | list) or len(result) != 2:
        checks.fail(f"{CALL} should return a pair (∂L/∂w, ∂L/∂b)", inputs=inputs, received=result,
                    contract=CONTRACT)
    gw, gb = result
    if (isinstance(gw, TensorSeen) and isinstance(gb, TensorSeen) and gw.value.dim() == 0
            and tuple(gb.value.shape) == (d,) and d > 0):
        checks.fail(f"{CALL}: the two gradients are swapped: return (∂L/∂w, ∂L/∂b), w's first",
                    inputs=inputs, contract=CONTRACT)
    expected_w, expected_b = judge.logistic_grad_reference(X, y, w, b)
    both = functools.cache(lambda: wrong_answers(X, y, w, b))  # on a miss only
    known_w, known_b = checks.OnMiss(lambda: both()[0]), checks.OnMiss(lambda: both()[1])
    for seen, expected in ((gw, expected_w), (gb, expected_b)):
        if isinstance(seen, TensorSeen) and seen.value.is_floating_point() and (
                not torch.isfinite(seen.value).all()):
            checks.fail(f"{CALL}: {NAN}", inputs=inputs, expected=expected, received=seen.value,
                        contract=CONTRACT)
    if isinstance(gw, TensorSeen) and tuple(gw.value.shape) in ((d, 1), (1, d)) and d > 1:
        checks.fail(f"{CALL}[0] has shape {tuple(gw.value.shape)}; ∂L/∂w has the shape of w, ({d},)",
                    inputs=inputs, contract=CONTRACT)
    seen_w = checks.tensor(gw, expected_w.to(X.dtype), call=f"{CALL}[0], ∂L/∂w,", inputs=inputs,
                           contract=CONTRACT, n=n, known=known_w, **tolerance)
    seen_b = checks.tensor(gb, expected_b.to(X.dtype), call=f"{CALL}[1], ∂L/∂b,", inputs=inputs,
                           contract=CONTRACT, n=n, known=known_b, **tolerance)
    return seen_w, seen_b


CASES = [pytest.param(dtype, n, d, id=f"{cases.dtype_id(dtype)}-{n}x{d}")
         for dtype in cases.DTYPES for n, d in [(1, 3), (12, 2), (50, 4)]]


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, n, d", CASES)
def test_matches_torch(learner, dtype, n, d):
    """equals the autograd gradient of F.binary_cross_entropy_with_logits: (Xᵀ(p − y)/N, mean(p − y))"""
    X, y, w, b = data(311, n, d, dtype)
    check(learner.call("logistic_grad", X, y, w, b), X, y, w, b)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_hours_data_at_zero(learner, dtype):
    """hours-studied data at w = 0, b = 0: (−0.50625, 0)"""
    X, y = judge.hours_data(dtype)
    w, b = torch.zeros(1, dtype=dtype), torch.zeros((), dtype=dtype)
    check(learner.call("logistic_grad", X, y, w, b), X, y, w, b)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_scores_at_1e4(learner, dtype):
    """finite and right where X@w + b is ±1e4"""
    X = torch.tensor([[1e4, 1.0], [-1e4, 0.5], [5e3, -2.0], [-5e3, 1.0], [1.0, 0.0]], dtype=dtype)
    y = torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0], dtype=dtype)
    w, b = torch.tensor([1.0, 0.0], dtype=dtype), torch.tensor(0.25, dtype=dtype)
    check(learner.call("logistic_grad", X, y, w, b), X, y, w, b)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_by_hand(learner, dtype):
    """by hand: right under torch.no_grad(), with inputs that do not require grad"""
    X, y, w, b = data(321, 9, 3, dtype)
    with judge.without_grad(learner):
        outcome = learner.call("logistic_grad", X, y, w, b)
    check(outcome, X, y, w, b)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_w_and_b_require_grad(learner, dtype):
    """right when w and b require grad"""
    X, y, w, b = data(331, 7, 2, dtype)
    w.requires_grad_(True)
    b.requires_grad_(True)
    check(learner.call("logistic_grad", X, y, w, b), X, y, w, b)


@pytest.mark.points(1)
@pytest.mark.rule
def test_no_graph(learner):
    """no autograd graph on the results when w and b require grad"""
    X, y, w, b = data(341, 6, 2, torch.float32)
    w.requires_grad_(True)
    b.requires_grad_(True)
    gw, gb = check(learner.call("logistic_grad", X, y, w, b), X, y, w, b)
    checks.no_graph(gw, call=f"{CALL}[0] with w and b requiring grad", contract=CONTRACT)
    checks.no_graph(gb, call=f"{CALL}[1] with w and b requiring grad", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain", "requires-grad"])
def test_inputs_unchanged(learner, requires_grad):
    """leaves X, y, w and b as they were"""
    X, y, w, b = data(351, 6, 3, torch.float32)
    if requires_grad:
        w.requires_grad_(True)
        w.grad = cases.randn(352, 3, dtype=torch.float32)
        b.requires_grad_(True)
    outcome = learner.call("logistic_grad", X, y, w, b)
    outcome.value  # noqa: B018 - surfaces an exception first
    for name, before, after in zip("Xywb", (X, y, w, b), outcome.args, strict=True):
        checks.unchanged(before, after, name=name, call="logistic_grad", contract=CONTRACT)
