"""Public tests for 11_networks/backprop. Run them with: pytest exercises/11_networks/test_backprop.py"""

import pytest
import torch
from backprop import two_layer_grads


def make_inputs(n, d, h, o, dtype, seed=0):
    g = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(*shape, generator=g, dtype=torch.float64).to(dtype)
                 for shape in [(n, d), (n, o), (h, d), (h,), (o, h), (o,)])


def autograd_grads(X, y, W1, b1, W2, b2, *, slope_at_zero=0):
    """The answer, by autograd (which is exactly what the kata must do without), then dL/dz and
    dL/dy_hat; with slope_at_zero=1, those of a ReLU whose slope at exactly 0 is 1."""
    params = [p.detach().clone().requires_grad_(True) for p in (W1, b1, W2, b2)]
    w1, c1, w2, c2 = params
    z = X @ w1.T + c1
    h = z * (z >= 0) if slope_at_zero else torch.relu(z)
    y_hat = h @ w2.T + c2
    loss = ((y_hat - y) ** 2).mean()
    return torch.autograd.grad(loss, [*params, z, y_hat])


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


NAMES = ["dL/dW1", "dL/db1", "dL/dW2", "dL/db2"]
TRANSPOSED = {"dL/dW1": "W1 is (H, D), so dL/dW1 = dL/dz.T @ X, not X.T @ dL/dz",
              "dL/dW2": "W2 is (O, H), so dL/dW2 = dL/dy_hat.T @ h, not h.T @ dL/dy_hat"}


def sums_over_dim_1(name, g, inputs):
    """Whether a bias gradient g is dL/dz (or dL/dy_hat) summed over dim 1, not over the batch."""
    *_, d_z, d_y_hat = autograd_grads(*inputs)
    d = {"dL/db1": d_z, "dL/db2": d_y_hat}.get(name)
    return d is not None and g.shape == d.sum(dim=1).shape and torch.allclose(g, d.sum(dim=1))


def check_shape(name, g, e, inputs):
    if g.shape == e.shape:
        return
    if g.shape == e.shape[::-1] and name in TRANSPOSED:
        why = (f", its parameter's shape transposed: it must have its parameter's shape "
               f"{tuple(e.shape)} (nn.Linear's layout: {TRANSPOSED[name]})")
    elif sums_over_dim_1(name, g, inputs):
        why = (f": it is summed over dim 1. A bias's gradient sums over the batch, dim 0, and has "
               f"its parameter's shape {tuple(e.shape)}")
    else:
        why = f": it must have its parameter's shape {tuple(e.shape)}"
    pytest.fail(f"{name} has shape {tuple(g.shape)}{why}")


def named_mistake(i, g, inputs, rtol):
    """The classic slip whose answer g is, by value, or ''."""
    name, (n, o) = NAMES[i], inputs[1].shape
    e = autograd_grads(*inputs)[i]
    z = inputs[0] @ inputs[2].T + inputs[3]
    wrong = [(e * n * o, f"is off by a factor of N·O = {n * o}: the loss is the mean over all N·O "
                         "entries of y, so dL/dy_hat = 2 (y_hat - y) / (N·O)")]
    if o > 1:
        wrong.append((e * o, f"is off by a factor of O = {o}: you divided by N only, but the mean "
                             "runs over all N·O entries of y"))
        if n > 1:
            wrong.append((e * n, f"is off by a factor of N = {n}: you divided by O only, but the "
                                 "mean runs over all N·O entries of y"))
    wrong += [(e / 2, "is half the answer: the 2 from differentiating the square is missing"),
              (-e, "has the wrong sign: dL/dy_hat = 2 (y_hat - y) / (N·O), prediction minus target")]
    if (z == 0).any():
        wrong.append((autograd_grads(*inputs, slope_at_zero=1)[i],
                      "is wrong where the pre-activation z is exactly 0: relu′(0) is 0, as in "
                      "autograd, so mask with z > 0 (not z >= 0)"))
    for value, why in wrong:
        if not torch.allclose(value, e, rtol=rtol) and torch.allclose(g, value, rtol=rtol):
            return f"{name} {why}"
    if sums_over_dim_1(name, g, inputs):
        return f"{name} is summed over dim 1: a bias's gradient sums over the batch, dim 0"
    return ""


def check(inputs, rtol, shown):
    """Compare the four gradients with autograd's; shown says what the inputs are."""
    got = by_hand(inputs)
    expected = autograd_grads(*inputs)[:4]
    assert isinstance(got, tuple) and len(got) == 4, "return a tuple (dL/dW1, dL/db1, dL/dW2, dL/db2)"
    for i, (name, g, e) in enumerate(zip(NAMES, got, expected, strict=True)):
        check_shape(name, g, e, inputs)
        assert g.dtype == e.dtype, f"{name} is {g.dtype} for {e.dtype} inputs: work in their dtype"
        if not torch.allclose(g, e, rtol=rtol, atol=rtol * 1e-2):
            why = named_mistake(i, g, inputs, rtol) or (
                f"{name} differs from autograd's: walk the chain rule back one step at a time, "
                "dL/dy_hat, then W2, b2, h, z, and finally W1 and b1")
            pytest.fail(f"{why}\n{shown}\nexpected {e}\ngot      {g}")


@pytest.mark.parametrize("dtype, rtol", [(torch.float64, 1e-9), (torch.float32, 1e-4)])
def test_matches_autograd(dtype, rtol):
    check(make_inputs(6, 3, 5, 2, dtype), rtol,
          f"inputs: make_inputs(6, 3, 5, 2, {dtype}), N = 6, D = 3, H = 5, O = 2")


def test_zero_preactivation_passes_no_gradient():
    X = torch.tensor([[1.0, -1.0], [2.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    W1 = torch.tensor([[1.0, 1.0], [1.0, 0.0], [0.0, -1.0]], dtype=torch.float64)
    b1 = torch.tensor([0.0, -1.0, 1.0], dtype=torch.float64)  # makes some z exactly 0
    W2 = torch.tensor([[0.5, -1.0, 2.0]], dtype=torch.float64)
    b2 = torch.tensor([0.25], dtype=torch.float64)
    y = torch.tensor([[1.0], [-1.0], [0.5]], dtype=torch.float64)
    assert ((X @ W1.T + b1) == 0).sum() == 3
    inputs = (X, y, W1, b1, W2, b2)
    shown = ", ".join(f"{name} = {t.tolist()}" for name, t in zip("X y W1 b1 W2 b2".split(), inputs,
                                                                      strict=True))
    check(inputs, 1e-9, f"inputs: {shown} (three pre-activations z are exactly 0 here)")


def test_inputs_unchanged():
    inputs = make_inputs(4, 3, 4, 2, torch.float32, seed=1)
    copies = [t.clone() for t in inputs]
    by_hand(inputs)
    for name, before, after in zip(["X", "y", "W1", "b1", "W2", "b2"], copies, inputs, strict=True):
        assert torch.equal(before, after), f"two_layer_grads changed {name}: work on new tensors"
