"""Public tests for 10_classification/cross_entropy_grad.

Run them with: pytest exercises/10_classification/test_cross_entropy_grad.py
"""

import pytest
import torch
import torch.nn.functional as F
from cross_entropy_grad import cross_entropy_grad


def autograd_of_torch(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    z = logits.detach().double().requires_grad_(True)
    F.cross_entropy(z, target).backward()
    return z.grad


def named_mistake(grad: torch.Tensor, logits: torch.Tensor, target: torch.Tensor) -> str:
    """Which classic slip gives this gradient, if any (with a leading space), else ""."""
    n, c = logits.shape
    expected = autograd_of_torch(logits, target)
    onehot = F.one_hot(target, c).double()
    got = grad.double()
    if torch.allclose(got, expected * n, atol=1e-5):
        return f" Off by a factor of N = {n}: divide by N, as the loss is a mean over the rows."
    if torch.allclose(got, torch.softmax(logits.double(), dim=1) / n, atol=1e-5):
        return " The one-hot is missing: subtract 1 at [i, target_i]."
    if torch.allclose(got, (torch.softmax(logits.double(), dim=0) - onehot) / n, atol=1e-5):
        return " The softmax is taken over dim 0: each row of the softmax must sum to 1 (dim=1)."
    if not torch.allclose(got.sum(dim=1), torch.zeros(n, dtype=torch.float64), atol=1e-5):
        return (" Each row of (softmax − onehot) sums to 0; yours do not: the one-hot has its 1s in the "
                "wrong place? It has one 1 per row, at [i, target_i] (onehot[target] = 1 fills whole rows)")
    return ""


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_softmax_minus_onehot_over_n(dtype):
    logits = torch.tensor([[2.0, 1.0, 0.0], [0.0, 0.0, 3.0], [1.0, -1.0, 0.5], [0.2, 0.1, -0.3]], dtype=dtype)
    target = torch.tensor([0, 2, 1, 1])
    grad = cross_entropy_grad(logits, target)
    expected = autograd_of_torch(logits, target)
    assert isinstance(grad, torch.Tensor) and grad.shape == (4, 3) and grad.dtype == dtype, (
        f"return a {dtype} tensor of the shape of logits, (4, 3); got {grad!r}"
    )
    hint = named_mistake(grad, logits, target)
    assert torch.allclose(grad.double(), expected, atol=1e-6), (
        f"expected (softmax(logits) − onehot(target))/N = {expected.tolist()}, got {grad.tolist()}.{hint}"
    )
    one_class = cross_entropy_grad(torch.tensor([[4.0], [-1.0]], dtype=dtype), torch.tensor([0, 0]))
    assert torch.equal(one_class, torch.zeros(2, 1, dtype=dtype)), "with one class the gradient is all zeros"


def test_finite_at_1e4_by_hand_and_no_graph():
    logits = torch.tensor([[1e4, 0.0, -1e4], [-1e4, -1e4 + 1, -1e4 + 2]] * 3)
    target = torch.tensor([0, 0, 1, 1, 2, 2])
    try:
        with torch.no_grad():  # by hand: it works without autograd
            grad = cross_entropy_grad(logits, target)
    except NotImplementedError:  # a stub: its own message says so
        raise
    except RuntimeError as error:
        pytest.fail(f"under torch.no_grad() it raised {error}: by hand means without it (autograd); "
                    "write the gradient as the formula")
    assert torch.isfinite(grad).all(), (
        f"nan or inf on rows [1e4, 0, −1e4] and [−1e4, −1e4 + 1, −1e4 + 2]: a softmax written as "
        f"e^z / Σ e^z is inf / inf = nan there. Use torch.softmax(logits, dim=1). Got {grad.tolist()}"
    )
    expected = autograd_of_torch(logits, target)
    assert torch.allclose(grad.double(), expected, atol=1e-6), (
        f"on rows with logits of ±1e4, expected (softmax(logits) − onehot(target))/N = {expected.tolist()}, "
        f"got {grad.tolist()}.{named_mistake(grad, logits, target)}"
    )
    z = logits.clone().requires_grad_(True)
    result = cross_entropy_grad(z, target)
    assert result.grad_fn is None and not result.requires_grad, (
        "the result still carries an autograd graph when logits require grad: compute it under "
        "torch.no_grad()"
    )


def test_bad_inputs_raise_and_logits_unchanged():
    logits = torch.tensor([[0.1, 0.2, 0.3], [1.0, 0.0, -1.0]])
    bad = {
        "a float target": torch.tensor([0.0, 2.0]),
        "a float one-hot target": torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
        "an int32 target": torch.tensor([0, 2], dtype=torch.int32),
        "a target of −1 (a target of −1 lies outside [0, C): it would silently pick the last class)":
            torch.tensor([0, -1]),
        "a target equal to C = 3": torch.tensor([0, 3]),
    }
    for what, target in bad.items():
        with pytest.raises(ValueError):
            cross_entropy_grad(logits, target)
            pytest.fail(f"cross_entropy_grad should raise ValueError for {what}")
    with pytest.raises(ValueError):
        cross_entropy_grad(logits[0], torch.tensor([1]))
        pytest.fail("cross_entropy_grad should raise ValueError for 1-D logits")
    cross_entropy_grad(logits, torch.tensor([2, 0]))
    assert torch.equal(logits, torch.tensor([[0.1, 0.2, 0.3], [1.0, 0.0, -1.0]])), (
        f"cross_entropy_grad changed logits in place (to {logits.tolist()}): work on new tensors "
        "(torch.softmax returns one), never -=, sub_() or copy_() on the caller's logits"
    )
