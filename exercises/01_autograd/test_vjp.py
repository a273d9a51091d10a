"""Public tests for 01_autograd/vjp. Run them with: pytest exercises/01_autograd/test_vjp.py"""

import torch
from vjp import vjp


def test_picks_a_row_of_the_jacobian():
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    x = torch.tensor([1.0, 1.0])
    v = torch.tensor([1.0, 0.0])
    result = vjp(lambda t: a @ t, x, v)
    assert torch.equal(result, torch.tensor([1.0, 2.0])), (
        f"f(x) = A @ x with A = [[1, 2], [3, 4]] has Jacobian A, and vᵀ·A with v = [1, 0] is "
        f"A's first row, [1, 2]; got {result.tolist()}"
        + (" (that is J·v, A's first column)" if result.tolist() == [1.0, 3.0] else "")
    )


def test_matches_what_backward_leaves_in_grad():
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    v = torch.tensor([1.0, 2.0, -1.0], dtype=torch.float64)

    def f(t):
        return torch.tanh(t) * t.sum()

    leaf = x.clone().requires_grad_(True)
    f(leaf).backward(v)
    result = vjp(f, x, v)
    assert result.dtype == x.dtype and result.shape == x.shape, (
        f"the result should have x's dtype and shape (float64, (3,)), got {result.dtype}, "
        f"{tuple(result.shape)}"
    )
    assert torch.allclose(result, leaf.grad), (
        f"f(x) = tanh(x)·x.sum(), x = {x.tolist()}, v = {v.tolist()}: backward(v) leaves "
        f"{leaf.grad.tolist()} in x.grad, vjp returned {result.tolist()}"
    )
    assert not result.requires_grad, "the result should carry no autograd graph"


def test_leaves_x_as_it_was():
    x = torch.tensor([1.0, 2.0])
    vjp(lambda t: t**2, x, torch.ones(2))
    assert not x.requires_grad and x.grad is None, (
        f"vjp changed x: requires_grad is now {x.requires_grad}, .grad is {x.grad}. "
        "Work on a detached copy of x"
    )
    y = torch.tensor([1.0, 2.0], requires_grad=True)
    y.grad = torch.tensor([10.0, 10.0])
    vjp(lambda t: t**2, y, torch.ones(2))
    assert y.grad.tolist() == [10.0, 10.0], (
        f"vjp changed the .grad that x already held, [10, 10], into {y.grad.tolist()}: "
        "backward adds into .grad, so run it on a copy"
    )
