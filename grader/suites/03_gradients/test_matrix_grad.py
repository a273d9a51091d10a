"""Hidden suite for 03_gradients/matrix_grad."""

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen

CONTRACT = ("matrix_grad(X, y, a) -> Tensor: model ŷ = X@a (X: (N,D), a: (D,), y: (N,)), loss "
            "MSE; returns (2/N)·Xᵀ(X@a − y), shape of a, by hand, no graph")
CALL = "matrix_grad(X, y, a)"


def data(seed: int, n: int, d: int, dtype: torch.dtype, scale: float = 1.0):
    X = cases.randn(seed, n, d, scale=scale)
    a = cases.randn(seed + 1, d, scale=1.5)
    y = X @ cases.randn(seed + 2, d) + cases.randn(seed + 3, n, scale=0.5)
    return X.to(dtype), y.to(dtype), a.to(dtype)


def loss(X, y, a) -> float:
    return float(((X.double() @ a.double() - y.double()) ** 2).mean())


def reference(X, y, a) -> torch.Tensor:
    X64, y64, a64 = X.double(), y.double(), a.double()
    return 2 / X.shape[0] * X64.T @ (X64 @ a64 - y64)


def wrong_answers(X, y, a) -> dict:
    n, d = X.shape
    X64 = X.double()
    right = reference(X, y, a)
    r = X64 @ a.double() - y.double()
    wrong = {
        f"off by a factor of N = {n}: a sum where the mean belongs (the loss is a mean over the "
        "N rows, so divide by N)": right * n,
        "half the expected values: the factor 2 from differentiating the square is missing":
            right / 2,
        "the sign is flipped: the residual is X@a − y, prediction minus target": -right,
        f"divided by D = {d} where N = {n} belongs: the mean is over the rows of X": right * n / d,
    }
    if n == d:  # r * X broadcasts r along the rows only when N == D
        wrong["(N,)-vs-(N,1) broadcasting: r * X multiplied column j by r[j]; the residual must "
              "weight the rows: use r[:, None] * X, or X.T @ r"] = 2 * (r * X64).mean(0)
    return {label: value for label, value in wrong.items() if n > 1 or "factor of N" not in label}


def check(outcome, X, y, a, expected=None, **tolerance) -> TensorSeen:
    n, d = X.shape
    inputs = {"X": X, "y": y, "a": a}
    seen = outcome.value
    if isinstance(seen, TensorSeen) and seen.value.dim() == 2 and n > 1 and (
            tuple(seen.value.shape) in ((d, n), (n, n), (n, d))):
        checks.fail(f"{CALL} returned shape {tuple(seen.value.shape)}; expected ({d},): an (N,1) "
                    "column met an (N,) vector and broadcast to an N×N matrix. Keep X @ a and y "
                    "both of shape (N,), so the residual X @ a − y is (N,) too",
                    inputs=inputs, contract=CONTRACT)
    if isinstance(seen, TensorSeen) and tuple(seen.value.shape) == (d, 1):
        checks.fail(f"{CALL} returned a ({d}, 1) column; return the shape of a, ({d},)",
                    inputs=inputs, contract=CONTRACT)
    expected = reference(X, y, a) if expected is None else expected
    return checks.tensor(seen, expected.to(X.dtype), call=CALL, inputs=inputs, contract=CONTRACT,
                         known=wrong_answers(X, y, a), **tolerance)


CASES = [
    pytest.param(dtype, n, d, id=f"{cases.dtype_id(dtype)}-{n}x{d}")
    for dtype in cases.DTYPES
    for n, d in [(1, 3), (12, 2), (40, 5)]
]


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, n, d", CASES)
def test_matches_closed_form(learner, dtype, n, d):
    """(2/N)·Xᵀ(X@a − y)"""
    X, y, a = data(171, n, d, dtype)
    check(learner.call("matrix_grad", X, y, a), X, y, a)


@pytest.mark.points(1)
def test_square_X(learner):
    """as many rows as columns (N = D), where broadcasting mistakes hide"""
    X, y, a = data(181, 4, 4, torch.float64)
    check(learner.call("matrix_grad", X, y, a), X, y, a)


@pytest.mark.points(1)
def test_matches_finite_differences(learner):
    """matches central differences of the MSE in float64"""
    X, y, a = data(191, 10, 3, torch.float64)
    h = 1e-5
    eye = torch.eye(3, dtype=torch.float64)
    numerical = torch.tensor([(loss(X, y, a + h * e) - loss(X, y, a - h * e)) / (2 * h)
                              for e in eye], dtype=torch.float64)
    check(learner.call("matrix_grad", X, y, a), X, y, a, expected=numerical, rtol=1e-6,
          atol=1e-8)


@pytest.mark.points(1)
def test_fastai_layout(learner):
    """the fast.ai notes' layout: x = [u, 1], a = [−1, 1], y = x@[3, 2] + noise"""
    u = cases.uniform(201, 25, dtype=torch.float32)
    X = torch.stack([u, torch.ones(25)], dim=1)
    y = X @ torch.tensor([3.0, 2.0]) + cases.uniform(202, 25, low=0.0, high=1.0,
                                                     dtype=torch.float32)
    a = torch.tensor([-1.0, 1.0])
    check(learner.call("matrix_grad", X, y, a), X, y, a)


@pytest.mark.points(1)
def test_large_and_negative_values(learner):
    """large and negative values"""
    X, y, a = data(211, 6, 3, torch.float64, scale=1e3)
    a = a * -100
    check(learner.call("matrix_grad", X, y, a), X, y, a)


@pytest.mark.points(1)
@pytest.mark.rule
def test_no_graph(learner):
    """no autograd graph on the result when a requires grad"""
    X, y, a = data(221, 5, 2, torch.float32)
    a.requires_grad_(True)
    seen = learner.call("matrix_grad", X, y, a).value
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{CALL} should return a torch.Tensor of the shape of a", received=seen,
                    contract=CONTRACT)
    checks.no_graph(seen, call=CALL + " with a requiring grad", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves X, y and a as they were"""
    X, y, a = data(231, 5, 2, torch.float32)
    a.requires_grad_(True)
    outcome = learner.call("matrix_grad", X, y, a)
    outcome.value  # noqa: B018 - surfaces an exception first
    for name, before, after in zip(("X", "y", "a"), (X, y, a), outcome.args, strict=True):
        checks.unchanged(before, after, name=name, call="matrix_grad", contract=CONTRACT)
