"""Public tests for 09_beyond/minibatch. Run them with: pytest exercises/09_beyond/test_minibatch.py"""

import torch
from minibatch import minibatch_sgd

X = torch.tensor([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [4.0, 1.0], [5.0, 1.0]])
Y = torch.tensor([3.0, 5.0, 7.0, 9.0, 11.0])  # y = 2x + 1


def test_batch_size_n_is_full_batch_gradient_descent():
    generator = torch.Generator().manual_seed(0)
    a, losses = minibatch_sgd(X, Y, batch_size=5, lr=0.02, epochs=3, generator=generator)
    expected = torch.zeros(2)
    for _ in range(3):
        expected = expected - 0.02 * 2 * X.T @ (X @ expected - Y) / 5
    assert torch.allclose(a, expected, atol=1e-5), (
        f"with batch_size = N every epoch is one full-batch step: expected a = {expected.tolist()}, "
        f"got {a.tolist()}"
    )
    assert len(losses) == 3 and all(type(v) is float for v in losses), (
        f"losses should be one Python float per epoch, got {losses!r}"
    )
    assert abs(losses[-1] - ((X @ a - Y) ** 2).mean().item()) < 1e-5, (
        f"losses[-1] should be the full-data MSE after the last epoch's updates, got {losses[-1]}"
    )


def test_shuffled_batches_with_a_smaller_last_one():
    generator = torch.Generator().manual_seed(7)
    a, _ = minibatch_sgd(X, Y, batch_size=2, lr=0.01, epochs=2, generator=generator)
    replay = torch.Generator().manual_seed(7)  # the same seed gives the same orders
    expected = torch.zeros(2)
    for _ in range(2):
        order = torch.randperm(5, generator=replay)
        for rows in (order[0:2], order[2:4], order[4:5]):  # batches of 2, 2 and 1
            xb, yb = X[rows], Y[rows]
            expected = expected - 0.01 * 2 * xb.T @ (xb @ expected - yb) / len(rows)
    assert torch.allclose(a, expected, atol=1e-5), (
        f"5 rows, batch_size 2, orders from torch.randperm(5, generator=generator): expected "
        f"a = {expected.tolist()}, got {a.tolist()}. Draw one permutation per epoch, keep the last "
        "batch of 1, and divide each batch's gradient by its own size"
    )
