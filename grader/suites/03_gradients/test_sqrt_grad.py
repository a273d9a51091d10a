"""Hidden suite for 03_gradients/sqrt_grad."""

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen

CONTRACT = ("sqrt_loss_grad(guess, n: float) -> Tensor: d/dg (n − g²)² = −4g(n − g²), "
            "elementwise, by hand, no graph")
CALL = "sqrt_loss_grad(guess, n)"


def loss(g: torch.Tensor, n: float) -> torch.Tensor:
    return (n - g**2) ** 2


def reference(guess: torch.Tensor, n: float) -> torch.Tensor:
    g = guess.detach().double()
    return -4 * g * (n - g**2)


def wrong_answers(guess: torch.Tensor, n: float) -> dict:
    g = guess.detach().double()
    return {
        "that is 2·(n − g²): the outer derivative alone; the chain rule multiplies it by the "
        "inner one, d(n − g²)/dg = −2g": 2 * (n - g**2),
        "that is −2·(n − g²): the inner derivative is −2g, not −2 (the g is missing)":
            -2 * (n - g**2),
        "that is the loss (n − g²)² itself, not its derivative": loss(g, n),
        "that is −4g·(n − g): square the g inside the loss, (n − g²)": -4 * g * (n - g),
    }


def check(outcome, guess, n, expected=None, **tolerance) -> TensorSeen:
    expected = reference(guess, n) if expected is None else expected
    return checks.tensor(outcome, expected.to(guess.dtype), call=CALL,
                         inputs={"guess": guess, "n": n}, contract=CONTRACT,
                         n=guess.numel(), known=wrong_answers(guess, n), **tolerance)


CASES = cases.dtype_and_shape([(), (6,), (2, 3)])


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, shape", CASES)
def test_matches_closed_form(learner, dtype, shape):
    """−4·g·(n − g²), elementwise"""
    guess = cases.randn(241, *shape, dtype=dtype, scale=2.0, shift=0.5)
    check(learner.call("sqrt_loss_grad", guess, 3.0), guess, 3.0)


@pytest.mark.points(1)
def test_matches_finite_differences(learner):
    """matches central differences of (n − g²)² in float64"""
    guess = cases.randn(251, 7, dtype=torch.float64, scale=2.0)
    n, h = 5.0, 1e-5
    numerical = (loss(guess + h, n) - loss(guess - h, n)) / (2 * h)
    check(learner.call("sqrt_loss_grad", guess, n), guess, n, expected=numerical, rtol=1e-6,
          atol=1e-8)


@pytest.mark.points(1)
def test_notebook_numbers(learner):
    """the square-root notebook's start: n = 5, guess = 4 gives 176"""
    guess = torch.tensor(4.0)
    check(learner.call("sqrt_loss_grad", guess, 5.0), guess, 5.0)


@pytest.mark.points(1)
def test_large_and_negative_values(learner):
    """negative guesses and a large n"""
    guess = torch.tensor([-150.0, -100.0, -0.5, 0.0, 99.5, 1e3], dtype=torch.float64)
    check(learner.call("sqrt_loss_grad", guess, 1e4), guess, 1e4)


@pytest.mark.points(1)
@pytest.mark.rule
def test_no_graph(learner):
    """no autograd graph on the result when guess requires grad"""
    guess = cases.randn(261, 4, dtype=torch.float32, scale=2.0).requires_grad_(True)
    seen = learner.call("sqrt_loss_grad", guess, 2.0).value
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{CALL} should return a torch.Tensor of the shape of guess", received=seen,
                    contract=CONTRACT)
    checks.no_graph(seen, call=CALL + " with guess requiring grad", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves guess as it was"""
    plain = cases.randn(271, 4, dtype=torch.float32, scale=2.0)
    outcome = learner.call("sqrt_loss_grad", plain, 2.0)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(plain, outcome.args[0], name="guess", call="sqrt_loss_grad",
                     contract=CONTRACT)
    leaf = cases.randn(272, 4, dtype=torch.float64, scale=2.0).requires_grad_(True)
    outcome = learner.call("sqrt_loss_grad", leaf, 2.0)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(leaf, outcome.args[0], name="guess", call="sqrt_loss_grad",
                     contract=CONTRACT)
