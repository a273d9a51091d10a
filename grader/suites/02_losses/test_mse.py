"""Hidden suite for 02_losses/mse."""

import pytest
import torch

from grader.grading import cases, checks

CONTRACT = ("mse(y_pred, y) -> Tensor: mean of squared differences, 0-d, differentiable "
            "w.r.t. y_pred; without torch.nn; ValueError when the shapes differ")


def reference(y_pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return ((y_pred.double() - y.double()) ** 2).mean().to(y_pred.dtype)


def wrong_answers(y_pred: torch.Tensor, y: torch.Tensor) -> dict:
    d = y_pred.double() - y.double()
    return {
        "you took the mean of the differences, not of their squares": d.mean() ** 2,
        "you took the mean of absolute differences (that is the L1 loss)": d.abs().mean(),
        "the square root is one step too many: that is the RMSE": (d**2).mean().sqrt(),
    }


FORBIDDEN = ("torch.nn", "torch.nn.functional")  # "by hand", as the contract says

def judged(y_pred: torch.Tensor, y: torch.Tensor) -> tuple:
    """(y_pred, y, the loss, the known wrong answers), computed once at collection."""
    return y_pred, y, reference(y_pred.detach(), y), wrong_answers(y_pred.detach(), y)


def closed_form_case(dtype, shape: tuple[int, ...]) -> tuple:
    return judged(cases.randn(11, *shape, dtype=dtype, scale=3.0),
                  cases.randn(12, *shape, dtype=dtype, scale=2.0, shift=1.0))


CASES = [pytest.param(*closed_form_case(*p.values), id=p.id)
         for p in cases.dtype_and_shape([(7,), (1,), (5, 3)])]


@pytest.mark.points(1)
@pytest.mark.parametrize("y_pred, y, expected, known", CASES)
def test_matches_closed_form(learner, y_pred, y, expected, known):
    """mean of squared differences"""
    outcome = learner.call("mse", y_pred, y)
    checks.tensor(outcome, expected, call="mse(y_pred, y)",
                  inputs={"y_pred": y_pred, "y": y}, contract=CONTRACT,
                  n=y.numel(), known=known, differentiable=False)


LARGE = judged(torch.tensor([-1e4, 2e4, -3.5e3], dtype=torch.float64),
               torch.tensor([1e4, -2e4, 0.0], dtype=torch.float64))


@pytest.mark.points(1)
def test_large_and_negative_values(learner):
    """large and negative values"""
    y_pred, y, expected, known = LARGE
    outcome = learner.call("mse", y_pred, y)
    checks.tensor(outcome, expected, call="mse(y_pred, y)",
                  inputs={"y_pred": y_pred, "y": y}, contract=CONTRACT, n=3, known=known)


DIFFERENTIABLE = judged(cases.randn(21, 6, dtype=torch.float64).requires_grad_(True),
                        cases.randn(22, 6, dtype=torch.float64))
DIFFERENTIABLE_GRAD = 2 * (DIFFERENTIABLE[0].detach() - DIFFERENTIABLE[1]) / 6


@pytest.mark.points(1)
def test_differentiable(learner):
    """differentiable with respect to y_pred, with gradient 2(y_pred − y)/N"""
    y_pred, y, loss, known = DIFFERENTIABLE
    outcome = learner.call("mse", y_pred, y, backward=True)
    checks.tensor(outcome, loss, call="mse(y_pred, y)",
                  inputs={"y_pred": y_pred, "y": y}, contract=CONTRACT, differentiable=True,
                  n=6, known=known)
    grad = outcome.args[0].grad
    expected = DIFFERENTIABLE_GRAD
    if grad is None:
        checks.fail("backpropagating through mse left no gradient on y_pred", contract=CONTRACT)
    checks.tensor(grad, expected, call="the gradient of mse w.r.t. y_pred", n=6,
                  inputs={"y_pred": y_pred, "y": y}, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("shapes", [((4, 1), (4,)), ((4,), (4, 1)), ((3,), (4,))],
                         ids=["column-vs-vector", "vector-vs-column", "lengths"])
def test_shape_mismatch_raises(learner, shapes):
    """ValueError when the shapes differ"""
    a, b = torch.ones(shapes[0]), torch.zeros(shapes[1])
    outcome = learner.call("mse", a, b)
    checks.raises(outcome, "ValueError", call="mse(y_pred, y)",
                  inputs=f"y_pred of shape {shapes[0]}, y of shape {shapes[1]}", contract=CONTRACT,
                  why="an (N,1) column broadcast against an (N,) vector gives a wrong loss")


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves its inputs as they were"""
    y_pred = cases.randn(31, 5, dtype=torch.float32).requires_grad_(True)
    y = cases.randn(32, 5, dtype=torch.float32)
    outcome = learner.call("mse", y_pred, y)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(y_pred, outcome.args[0], name="y_pred", call="mse", contract=CONTRACT)
    checks.unchanged(y, outcome.args[1], name="y", call="mse", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_written_by_hand(learner):
    """written by hand, without torch.nn or torch.nn.functional"""
    y_pred = cases.randn(41, 6, dtype=torch.float64)
    y = cases.randn(42, 6, dtype=torch.float64)
    outcome = learner.call("mse", y_pred, y, watch=FORBIDDEN)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.written_without(learner, FORBIDDEN, outcome, call="mse(y_pred, y)", contract=CONTRACT)
