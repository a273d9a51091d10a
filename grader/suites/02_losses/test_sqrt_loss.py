"""Hidden suite for 02_losses/sqrt_loss."""

import pytest
import torch

from grader.grading import cases, checks

CONTRACT = "sqrt_loss(guess, n: float) -> Tensor: (n − guess²)², elementwise, differentiable"
CALL = "sqrt_loss(guess, n)"


def reference(guess: torch.Tensor, n: float) -> torch.Tensor:
    g = guess.detach().double()
    return ((n - g**2) ** 2).to(guess.dtype)


def wrong_answers(guess: torch.Tensor, n: float) -> dict:
    g = guess.detach().double()
    return {
        "that is (n − guess)²: square the guess before comparing it with n": (n - g) ** 2,
        "that is n − guess² without the outer square: square the difference": n - g**2,
        "that is guess² − n without the outer square: square the difference": g**2 - n,
        "that is (√n − guess)²: compare guess² with n, not guess with √n": (n**0.5 - g) ** 2,
        "the outer square is missing: |n − guess²| is not (n − guess²)²": (n - g**2).abs(),
    }


def judged(guess: torch.Tensor, n: float) -> tuple:
    """(guess, n, the loss, the known wrong answers), computed once at collection."""
    return guess, n, reference(guess, n), wrong_answers(guess, n)


def check(outcome, case: tuple, *, differentiable: bool = False):
    guess, n, expected, known = case
    return checks.tensor(outcome, expected, call=CALL, inputs={"guess": guess, "n": n},
                         contract=CONTRACT, differentiable=differentiable, known=known)


def call_and_check(learner, case: tuple) -> None:
    guess, n, _, _ = case
    check(learner.call("sqrt_loss", guess, n), case)


def closed_form_case(dtype, shape: tuple[int, ...]) -> tuple:
    return judged(cases.randn(51, *shape, dtype=dtype, scale=2.0, shift=0.5), 3.0)


CASES = [pytest.param(closed_form_case(*p.values), id=p.id)
         for p in cases.dtype_and_shape([(), (6,), (2, 3)])]


@pytest.mark.points(1)
@pytest.mark.parametrize("case", CASES)
def test_matches_closed_form(learner, case):
    """(n − guess²)², elementwise"""
    call_and_check(learner, case)


NOTEBOOK = judged(torch.tensor(4.0), 5.0)


@pytest.mark.points(1)
def test_notebook_numbers(learner):
    """the square-root notebook's start: n = 5, guess = 4 gives 121"""
    call_and_check(learner, NOTEBOOK)


LARGE = judged(torch.tensor([-150.0, -100.0, -0.5, 0.0, 99.5, 1e3], dtype=torch.float64), 1e4)


@pytest.mark.points(1)
def test_large_and_negative_values(learner):
    """negative guesses and a large n"""
    call_and_check(learner, LARGE)


def differentiable_case(dtype) -> tuple:
    """The case, and the gradient −4·guess·(n − guess²) in its dtype."""
    case = judged(cases.randn(61, 5, dtype=dtype, scale=2.0).requires_grad_(True), 3.0)
    g = case[0].detach().double()
    return case, (-4 * g * (case[1] - g**2)).to(dtype)


DIFFERENTIABLE = {dtype: differentiable_case(dtype) for dtype in cases.DTYPES}


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_differentiable(learner, dtype):
    """differentiable with respect to guess, with gradient −4·guess·(n − guess²)"""
    case, expected_grad = DIFFERENTIABLE[dtype]
    guess, n, _, _ = case
    outcome = learner.call("sqrt_loss", guess, n, backward=True)
    check(outcome, case, differentiable=True)
    grad = outcome.args[0].grad
    if grad is None:
        checks.fail("backpropagating through sqrt_loss left no gradient on guess",
                    inputs={"guess": guess, "n": n}, contract=CONTRACT)
    checks.tensor(grad, expected_grad, call="the gradient of sqrt_loss w.r.t. guess",
                  inputs={"guess": guess, "n": n}, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves guess as it was"""
    plain = cases.randn(71, 4, dtype=torch.float32, scale=2.0)
    outcome = learner.call("sqrt_loss", plain, 2.0)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(plain, outcome.args[0], name="guess", call="sqrt_loss", contract=CONTRACT)
    leaf = cases.randn(72, 4, dtype=torch.float64, scale=2.0).requires_grad_(True)
    leaf.grad = torch.full((4,), 0.25, dtype=torch.float64)
    outcome = learner.call("sqrt_loss", leaf, 2.0)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(leaf, outcome.args[0], name="guess", call="sqrt_loss", contract=CONTRACT)
