"""Public tests for 03_gradients/autograd_grad.

Run them with: pytest exercises/03_gradients/test_autograd_grad.py
"""

import torch
from autograd_grad import autograd_grad


def loss_fn(p):
    return (p**2).sum() + 3 * p[0]


def test_gradient_of_a_simple_loss():
    params = torch.tensor([1.0, -2.0, 0.5])
    grad = autograd_grad(loss_fn, params)
    expected = torch.tensor([5.0, -4.0, 1.0])  # 2p, plus 3 on the first element
    assert isinstance(grad, torch.Tensor) and grad.shape == params.shape, (
        f"autograd_grad should return a tensor shaped like params {tuple(params.shape)}, got {grad!r}"
    )
    assert torch.allclose(grad, expected), (
        f"for loss = sum(p²) + 3·p[0] at p = {params.tolist()} the gradient is {expected.tolist()}, "
        f"got {grad.tolist()}"
    )
    assert params.requires_grad is False and params.grad is None, (
        "params was changed: it should still not require grad and have no .grad. "
        "Differentiate a detached copy: params.detach().clone().requires_grad_(True)"
    )


def test_params_that_already_hold_a_gradient():
    params = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    params.grad = torch.full_like(params, 10.0)
    grad = autograd_grad(loss_fn, params)
    expected = torch.tensor([5.0, -4.0, 1.0], dtype=torch.float64)
    assert torch.allclose(grad, expected), (
        f"expected {expected.tolist()}, got {grad.tolist()}"
        + (": that is the old .grad plus the new gradient, backward() accumulates into .grad"
           if torch.allclose(grad, expected + 10) else "")
    )
    assert grad.grad_fn is None and not grad.requires_grad, "the result must carry no autograd graph"
    assert params.grad is not None and torch.equal(params.grad, torch.full_like(params, 10.0)), (
        f"params.grad should still be all 10s, it is {params.grad}: leave the caller's .grad alone"
    )
