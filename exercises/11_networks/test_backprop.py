"""Public tests for 11_networks/backprop. Run them with: pytest exercises/11_networks/test_backprop.py"""

import pytest
import torch
from backprop import two_layer_grads


def make_inputs(n, d, h, o, dtype, seed=0):
    g = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(*shape, generator=g, dtype=torch.float64).to(dtype)
                 for shape in [(n, d), (n, o), (h, d), (h,), (o, h), (o,)])


def autograd_grads(X, y, W1, b1, W2, b2):
    """The answer, by autograd (which is exactly what the kata must do without)."""
    params = [p.detach().clone().requires_grad_(True) for p in (W1, b1, W2, b2)]
    w1, c1, w2, c2 = params
    loss = ((torch.relu(X @ w1.T + c1) @ w2.T + c2 - y) ** 2).mean()
    return torch.autograd.grad(loss, params)


def by_hand(inputs):
    """two_layer_grads under torch.no_grad(), as the grader calls it."""
    try:
        with torch.no_grad():  # by hand: autograd cannot help
            return two_layer_grads(*inputs)
    except RuntimeError as error:
        if "does not require grad" in str(error):
            pytest.fail(f"{error}: the gradients must be written by hand (the grader calls "
                        "two_layer_grads under torch.no_grad()): apply the chain rule step by step")
        if "cannot be multiplied" in str(error):
            pytest.fail(f"{error}: W1 is (H, D) as in nn.Linear, so z = X@W1ᵀ + b1 (X @ W1.T)")
        raise


def check_shape(name, g, e):
    assert g.shape == e.shape, (
        f"{name} has shape {tuple(g.shape)}"
        + (", its parameter's shape transposed" if g.shape == e.shape[::-1] else "")
        + f": it must have its parameter's shape {tuple(e.shape)} (nn.Linear's layout: W1 "
        "is (H, D), so dL/dW1 = dL/dz.T @ X, not X.T @ dL/dz)"
    )


def check(inputs, rtol):
    got = by_hand(inputs)
    expected = autograd_grads(*inputs)
    n, o = inputs[1].shape
    assert isinstance(got, tuple) and len(got) == 4, "return a tuple (dL/dW1, dL/db1, dL/dW2, dL/db2)"
    for name, g, e in zip(["dL/dW1", "dL/db1", "dL/dW2", "dL/db2"], got, expected, strict=True):
        check_shape(name, g, e)
        assert g.dtype == e.dtype, f"{name} is {g.dtype} for {e.dtype} inputs: work in their dtype"
        if torch.allclose(g, e * n * o, rtol=rtol):
            pytest.fail(f"{name} is off by a factor of N·O = {n * o}: the loss is the mean over all "
                        "N·O entries of y, so dL/dy_hat = 2 (y_hat - y) / (N·O)")
        if o > 1 and torch.allclose(g, e * o, rtol=rtol):
            pytest.fail(f"{name} is off by a factor of O = {o}: you divided by N only, but the "
                        "mean runs over all N·O entries of y")
        if torch.allclose(g, e / 2, rtol=rtol):
            pytest.fail(f"{name} is half the answer: the 2 from differentiating the square is missing")
        assert torch.allclose(g, e, rtol=rtol, atol=rtol * 1e-2), (
            f"{name} differs from autograd's:\nexpected {e}\ngot      {g}"
        )


@pytest.mark.parametrize("dtype, rtol", [(torch.float64, 1e-9), (torch.float32, 1e-4)])
def test_matches_autograd(dtype, rtol):
    check(make_inputs(6, 3, 5, 2, dtype), rtol)


def test_zero_preactivation_passes_no_gradient():
    X = torch.tensor([[1.0, -1.0], [2.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    W1 = torch.tensor([[1.0, 1.0], [1.0, 0.0], [0.0, -1.0]], dtype=torch.float64)
    b1 = torch.tensor([0.0, -1.0, 1.0], dtype=torch.float64)  # makes some z exactly 0
    W2 = torch.tensor([[0.5, -1.0, 2.0]], dtype=torch.float64)
    b2 = torch.tensor([0.25], dtype=torch.float64)
    y = torch.tensor([[1.0], [-1.0], [0.5]], dtype=torch.float64)
    assert ((X @ W1.T + b1) == 0).sum() == 3
    got = by_hand((X, y, W1, b1, W2, b2))
    expected = autograd_grads(X, y, W1, b1, W2, b2)
    for name, g, e in zip(["dL/dW1", "dL/db1"], got[:2], expected[:2], strict=True):
        check_shape(name, g, e)
        assert torch.allclose(g, e), (
            f"{name} is wrong where the pre-activation z is exactly 0: relu′(0) is 0, as in "
            f"autograd, so mask with z > 0 (not z >= 0).\nexpected {e}\ngot      {g}"
        )


def test_inputs_unchanged():
    inputs = make_inputs(4, 3, 4, 2, torch.float32, seed=1)
    copies = [t.clone() for t in inputs]
    by_hand(inputs)
    for name, before, after in zip(["X", "y", "W1", "b1", "W2", "b2"], copies, inputs, strict=True):
        assert torch.equal(before, after), f"two_layer_grads changed {name}: work on new tensors"
