"""Public tests for 03_gradients/autograd_grad.

Run them with: pytest exercises/03_gradients/test_autograd_grad.py
"""

import pytest
import torch
from autograd_grad import autograd_grad


def rounded(t):
    """A tensor's values as a list, rounded for reading (float32 shows 0.65 as 0.6499999761581421)."""
    return torch.round(t.detach().double(), decimals=6).tolist()


def loss_fn(p):
    return (p**2).sum() + 3 * p.reshape(-1)[0]  # gradient 2p, plus 3 on the first element


def expected_for(params):
    grad = 2 * params.detach().clone()
    grad.reshape(-1)[0] += 3
    return grad


def check_gradient(grad, params, text, old_grad=None):
    """grad is ∇loss_fn(params), shaped and typed like params, with no graph; name the classic slips."""
    assert isinstance(grad, torch.Tensor) and grad.shape == params.shape and grad.dtype == params.dtype, (
        f"{text}: autograd_grad should return a tensor with the shape and dtype of params "
        f"({tuple(params.shape)}, {params.dtype}), got {grad!r}"
    )
    assert not grad.requires_grad and grad.grad_fn is None, (
        f"{text}: the result still carries an autograd graph: return grad.detach() (and no create_graph)"
    )
    expected = expected_for(params)
    if torch.allclose(grad, expected):
        return
    why = "the values are off"
    if torch.allclose(grad, -expected):
        why = "the sign is flipped: return the gradient itself, not the descent direction −∇loss"
    elif old_grad is not None and torch.allclose(grad, expected + old_grad):
        why = ("that is the old .grad plus the new gradient: backward() accumulates into .grad. "
               "Differentiate a detached copy instead")
    raise AssertionError(
        f"{text}: for loss = sum(p²) + 3·p[0] the gradient is {rounded(expected)}, got "
        f"{rounded(grad)}. {why}"
    )


def check_unchanged(params, values, requires_grad, old_grad, text):
    assert torch.equal(params.detach(), values), f"{text}: autograd_grad changed the values of params"
    assert params.requires_grad == requires_grad, (
        f"{text}: autograd_grad changed params.requires_grad from {requires_grad} to {params.requires_grad}: "
        "make a detached copy that requires grad, params.detach().clone().requires_grad_(True)"
    )
    now = None if params.grad is None else params.grad.tolist()
    assert now == (None if old_grad is None else old_grad.tolist()), (
        f"{text}: autograd_grad left params.grad changed, to {now}: backward() accumulates into the .grad "
        "of the tensor it runs on, so run it on a copy (or use torch.autograd.grad)"
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_params_that_do_not_require_grad(dtype):
    params = torch.tensor([[1.0, -2.0, 0.5], [0.0, 4.0, -1.5]], dtype=dtype)
    text = f"{dtype} params of shape (2, 3), requires_grad=False"
    grad = autograd_grad(loss_fn, params)
    check_unchanged(params, params.detach().clone(), False, None, text)
    check_gradient(grad, params, text)


def test_params_that_require_grad():
    params = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    text = "params requiring grad, with no .grad yet"
    grad = autograd_grad(loss_fn, params)
    check_gradient(grad, params, text)
    check_unchanged(params, torch.tensor([1.0, -2.0, 0.5]), True, None, text)


def test_params_that_already_hold_a_gradient():
    params = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    old = torch.full_like(params, 10.0)
    params.grad = old.clone()
    text = "params requiring grad and already holding .grad = [10, 10, 10]"
    grad = autograd_grad(loss_fn, params)
    check_gradient(grad, params, text, old_grad=old)
    check_unchanged(params, torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64), True, old, text)
