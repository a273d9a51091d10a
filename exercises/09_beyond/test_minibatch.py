"""Public tests for 09_beyond/minibatch. Run them with: pytest exercises/09_beyond/test_minibatch.py"""

import pytest
import torch
from minibatch import minibatch_sgd

X = torch.tensor([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [4.0, 1.0], [5.0, 1.0]])
Y = torch.tensor([3.0, 5.0, 7.0, 9.0, 11.0])  # y = 2x + 1
# seven rows, two features and a bias column
X7 = torch.tensor([[0.5, -1.0, 1.0], [1.5, 0.3, 1.0], [-0.7, 2.0, 1.0], [2.2, -0.4, 1.0],
                   [-1.1, -1.6, 1.0], [0.9, 1.2, 1.0], [-0.2, 0.6, 1.0]])
Y7 = X7 @ torch.tensor([1.5, -2.0, 0.5]) + torch.tensor([0.1, -0.2, 0.05, 0.0, 0.15, -0.1, 0.2])


def replay(X, y, batch_size, lr, epochs, seed, *, shuffle=True, same_order=False, drop_last=False,
           divide="batch", sign=1.0, factor=2.0, loss="after"):
    """The algorithm in float64 with the generator replayed; the keywords make the classic slips."""
    X, y = X.double(), y.double()
    n, d = X.shape
    generator = torch.Generator().manual_seed(seed)
    a, losses, order = torch.zeros(d, dtype=torch.float64), [], None
    for _ in range(epochs):
        before = float(((X @ a - y) ** 2).mean())
        if order is None or not same_order:
            order = torch.randperm(n, generator=generator)
        rows_order = order if shuffle else torch.arange(n)
        batch_losses = []
        for start in range(0, n, batch_size):
            rows = rows_order[start:start + batch_size]
            if drop_last and len(rows) < batch_size:
                break
            xb, yb = X[rows], y[rows]
            residual = xb @ a - yb
            batch_losses.append(float((residual ** 2).mean()))
            scale = {"batch": len(rows), "N": n, "batch_size": batch_size, "sum": 1}[divide]
            a = a - sign * lr * factor * xb.T @ residual / scale
        after = float(((X @ a - y) ** 2).mean())
        losses.append({"after": after, "before": before, "batch_mean": sum(batch_losses) / len(batch_losses),
                       "last_batch": batch_losses[-1]}[loss])
    return a, torch.tensor(losses, dtype=torch.float64)


MISTAKES = {
    "the rows were visited in their stored order: shuffle every epoch with "
    "torch.randperm(N, generator=generator)": {"shuffle": False},
    "the same order was used in every epoch: draw a new torch.randperm(N, generator=generator) at the start "
    "of each epoch": {"same_order": True},
    "the last, smaller batch was dropped: keep it, every row is visited once per epoch": {"drop_last": True},
    "each batch's gradient was divided by N, not by the batch's own size: average over the rows of the batch":
        {"divide": "N"},
    "the smaller last batch was divided by batch_size, not by its own size: use len(rows)":
        {"divide": "batch_size"},
    "the batch gradient is a sum, not a mean: off by a factor of the batch size; divide by it":
        {"divide": "sum"},
    "the sign is flipped: step against the gradient, a − lr·grad": {"sign": -1.0},
    "the factor 2 from differentiating the square is missing": {"factor": 1.0},
}
LOSS_MISTAKES = {
    "losses[i] is the loss before epoch i's updates; the full-data MSE after each epoch is asked for":
        {"loss": "before"},
    "losses[i] is the average of the batch losses seen during the epoch; the full-data MSE after the epoch's "
    "last update is asked for": {"loss": "batch_mean"},
    "losses[i] is the last batch's loss; the MSE over the full data is asked for": {"loss": "last_batch"},
}


def close(got, want, dtype):
    rtol, atol = (2e-4, 2e-6) if dtype == torch.float32 else (1e-7, 1e-9)
    return (got.shape == want.shape and bool(torch.isfinite(got).all())
            and torch.allclose(got.double(), want, rtol=rtol, atol=atol * max(1.0, float(want.abs().max()))))


def why(got, X, y, args, seed, which, mistakes):
    for label, slip in mistakes.items():
        if close(got, replay(X, y, *args, seed, **slip)[which], X.dtype):
            return label
    return ("check that each epoch draws its order with torch.randperm(N, generator=generator), once, that "
            "nothing else draws from the generator, and that each batch's gradient is (2/B)·Xbᵀ(Xb @ a − yb)")


def check(X, y, batch_size, lr, epochs, seed):
    a, losses = minibatch_sgd(X, y, batch_size, lr, epochs, torch.Generator().manual_seed(seed))
    args = (batch_size, lr, epochs)
    call = (f"minibatch_sgd(X ({X.shape[0]} rows, {X.dtype}), y, batch_size={batch_size}, lr={lr}, "
            f"epochs={epochs}, generator seeded {seed})")
    want_a, want_losses = replay(X, y, *args, seed)
    assert torch.as_tensor(a).dtype == X.dtype, (
        f"{call}: a is {torch.as_tensor(a).dtype} for {X.dtype} X: work in the dtype of X "
        "(a = torch.zeros(D, dtype=X.dtype))")
    got_a = torch.as_tensor(a).detach().double()
    assert close(got_a, want_a, X.dtype), (
        f"{call}: a should be {[round(v, 6) for v in want_a.tolist()]}, got {got_a.tolist()}: "
        f"{why(got_a, X, y, args, seed, 0, MISTAKES)}")
    assert isinstance(losses, list) and len(losses) == epochs, (
        f"{call}: losses should be a list of {epochs} numbers, one per epoch, got {losses!r}")
    got_losses = torch.tensor([float(v) for v in losses], dtype=torch.float64)
    assert close(got_losses, want_losses, X.dtype), (
        f"{call}: losses should be {[round(v, 6) for v in want_losses.tolist()]}, got {got_losses.tolist()}: "
        f"{why(got_losses, X, y, args, seed, 1, {**LOSS_MISTAKES, **MISTAKES})}")
    return a, losses


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_batch_size_n_is_full_batch_gradient_descent(dtype):
    x, y = X.to(dtype), Y.to(dtype)
    a, losses = check(x, y, 5, 0.02, 3, 0)
    expected = torch.zeros(2, dtype=torch.float64)
    for _ in range(3):  # the closed form: a ← a − lr·(2/N)·Xᵀ(X@a − y)
        expected = expected - 0.02 * 2 * X.double().T @ (X.double() @ expected - Y.double()) / 5
    assert torch.allclose(torch.as_tensor(a).double(), expected, atol=1e-5), (
        f"with batch_size = N every epoch is one full-batch step: expected a = {expected.tolist()}")


def test_shuffled_batches_with_a_smaller_last_one():
    # 5 rows in batches of 2: batches of 2, 2 and 1 in the order torch.randperm(5, generator=generator) gives
    check(X, Y, 2, 0.01, 2, 1)
    # 7 rows in batches of 3 (3, 3 and 1), three epochs, each with a new order
    check(X7, Y7, 3, 0.05, 3, 11)
    check(X7.double(), Y7.double(), 1, 0.02, 2, 5)


def test_types():
    a, losses = minibatch_sgd(X7, Y7, 3, 0.05, 2, torch.Generator().manual_seed(3))
    assert type(a) is torch.Tensor and a.shape == (3,) and a.dtype == torch.float32, (
        f"a should be a plain tensor of shape (D,) = (3,) in the dtype of X (float32), got {a!r}")
    assert a.grad_fn is None and not a.requires_grad, (
        "a still carries an autograd graph: return a.detach() (or compute the updates without autograd)")
    assert isinstance(losses, list) and all(type(v) is float for v in losses), (
        f"losses should be a list of Python floats, got {losses!r}: append loss.item() (or float(loss)), "
        "not the tensor")
    a64, _ = minibatch_sgd(X7.double(), Y7.double(), 3, 0.05, 2, torch.Generator().manual_seed(3))
    assert a64.dtype == torch.float64, f"for float64 X, a should be float64, got {a64.dtype}"


def test_leaves_x_and_y_alone():
    x, y = X7.clone(), Y7.clone()
    minibatch_sgd(x, y, 3, 0.05, 2, torch.Generator().manual_seed(3))
    assert torch.equal(x, X7) and torch.equal(y, Y7), "minibatch_sgd changed X or y: leave them as they were"
