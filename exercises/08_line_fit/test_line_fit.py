"""Public tests for 08_line_fit/line_fit. Run them with: pytest exercises/08_line_fit/test_line_fit.py"""

import pytest
import torch
from line_fit import fit_line

# three points on the line y = 3·u + 2, with the column of ones beside the inputs u
X = torch.tensor([[-1.0, 1.0], [0.0, 1.0], [1.0, 1.0]])
Y = torch.tensor([-1.0, 2.0, 5.0])
# eight noisy points around y = −0.5·u + 4
U = torch.tensor([-2.0, -1.3, -0.4, 0.1, 0.6, 1.2, 1.9, 2.5])
NOISY_X = torch.stack([U, torch.ones(8)], dim=1)
NOISY_Y = -0.5 * U + 4 + torch.tensor([0.3, -0.2, 0.5, 0.0, -0.4, 0.1, 0.6, -0.3])


def descend(x, y, lr, steps, *, accumulate=False, broadcast=False, total=False, sign=1.0):
    """Gradient descent on mean((x@a − y)²) from a = [−1, 1] in float64, with the gradient
    (2/N)·xᵀ(x@a − y); the keywords make the classic slips."""
    x, y = x.double(), y.double()
    a, pile = torch.tensor([-1.0, 1.0], dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    for _ in range(steps):
        # an (N, 1) column against y of shape (N,) broadcasts to N×N: y is replaced by its mean
        target = torch.full_like(y, float(y.mean())) if broadcast else y
        g = 2 * x.T @ (x @ a - target) / len(y)
        g = g * len(y) if total else g
        if accumulate:
            pile = pile + g
            g = pile
        a = a - sign * lr * g
    return a


def close(got, want):
    return bool(torch.isfinite(got).all()) and torch.allclose(
        got.double(), want, rtol=2e-4, atol=2e-6 * max(1.0, float(want.abs().max())))


def diagnosis(got, x, y, lr, steps):
    if not torch.isfinite(got).all() or got.abs().max() > 1e6:
        return ("the descent diverged (a ran off to huge numbers, inf or nan): check the loss is the mean, "
                "and the update is a.sub_(lr * a.grad)")
    known = {
        "the gradient accumulates across steps: zero a.grad after each update (a.grad.zero_())":
            descend(x, y, lr, steps, accumulate=True),
        "the sign of the update is flipped: a.sub_(lr * a.grad) walks downhill":
            descend(x, y, lr, steps, sign=-1.0),
        "the loss is a sum, not a mean: off by a factor of N in every gradient":
            descend(x, y, lr, steps, total=True),
        "x @ a and y have different shapes, an (N, 1) column against an (N,) vector, so they broadcast to an "
        "N×N matrix: keep both of shape (N,)": descend(x, y, lr, steps, broadcast=True),
        "that is the starting value [−1, 1]: did the updates reach a?":
            torch.tensor([-1.0, 1.0], dtype=torch.float64),
    }
    for label, wrong in known.items():
        if torch.isfinite(wrong).all() and close(got, wrong):
            return label
    return "check the loss mean((x @ a − y)²) and the update a.sub_(lr * a.grad) under torch.no_grad()"


def check(x, y, lr, steps):
    a = fit_line(x, y, lr, steps)
    got = torch.as_tensor(a).detach().double().reshape(-1)  # the type, dtype and shape have their own test
    want = descend(x, y, lr, steps)
    assert close(got, want), (
        f"fit_line(x, y, lr={lr}, steps={steps}) on the {len(y)} points y = {y.tolist()} should end at "
        f"a = {[round(v, 6) for v in want.tolist()]}, got {got.tolist()}: {diagnosis(got, x, y, lr, steps)}")
    return got


def test_one_step():
    # at the start x @ a = [2, 1, 0], the errors x @ a − y are [3, −1, −5], and the gradient of the mean
    # squared error, (2/N)·xᵀ(x @ a − y), is [−16/3, −2]: one step with lr 0.1 gives [−0.4667, 1.2]
    check(X, Y, 0.1, 1)


def test_finds_the_line():
    got = check(X, Y, 0.3, 100)
    assert torch.allclose(got, torch.tensor([3.0, 2.0], dtype=torch.float64), atol=1e-4), (
        f"after 100 steps with lr 0.3 the fit should reach slope 3 and intercept 2, got {got.tolist()}")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_noisy_points(dtype):
    # each step uses its own gradient: backward() adds into a.grad, so it is zeroed in between
    check(NOISY_X.to(dtype), NOISY_Y.to(dtype), 0.05, 40)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_returns_a_plain_detached_tensor_in_the_dtype_of_x(dtype):
    a = fit_line(X.to(dtype), Y.to(dtype), 0.1, 3)
    assert not isinstance(a, torch.nn.Parameter), (
        "fit_line returned the Parameter a itself: return a detached copy, a.detach().clone(), a plain "
        "torch.Tensor")
    assert type(a) is torch.Tensor, f"fit_line should return a plain torch.Tensor, got a {type(a).__name__}"
    assert a.grad_fn is None and not a.requires_grad, (
        "fit_line returned a tensor that still carries an autograd graph: return a.detach().clone()")
    assert a.dtype == dtype, (
        f"fit_line returned {a.dtype} for {dtype} x: work in the dtype of x (create a with dtype=x.dtype)")
    assert a.shape == (2,), (
        f"fit_line returned shape {tuple(a.shape)}; a has shape (2,)"
        + (": a column a makes x @ a an (N, 1) column, which broadcasts against y of shape (N,) to an N×N "
           "matrix" if a.shape == (2, 1) else ""))


def test_leaves_x_and_y_alone():
    x, y = NOISY_X.clone(), NOISY_Y.clone()
    fit_line(x, y, 0.05, 5)
    unchanged = torch.equal(x, NOISY_X) and torch.equal(y, NOISY_Y)
    assert unchanged and not x.requires_grad and not y.requires_grad, (
        "fit_line changed x or y: only a learns, the data stays as it was")
