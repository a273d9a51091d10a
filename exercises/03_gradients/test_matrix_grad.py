"""Public tests for 03_gradients/matrix_grad.

Run them with: pytest exercises/03_gradients/test_matrix_grad.py
"""

import torch
from matrix_grad import matrix_grad

# A line through the fast.ai notes' layout: column 0 holds the inputs, column 1 the ones.
X = torch.tensor([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [4.0, 1.0]])
Y = torch.tensor([5.0, 7.0, 9.0, 11.0])  # y = 2x + 3


def test_a_line_by_hand():
    a = torch.tensor([0.0, 0.0])
    grad = matrix_grad(X, Y, a)
    # residual X@a - y = -y; (2/4) * X.T @ (-y) = [-45, -16]
    expected = torch.tensor([-45.0, -16.0])
    assert grad.shape == a.shape, (
        f"return the shape of a {tuple(a.shape)}, got {tuple(grad.shape)}"
        + (": X@a and y must both be (N,), or they broadcast to N x N" if grad.dim() == 2 else "")
    )
    assert torch.allclose(grad, expected), (
        f"with X = [[1,1],[2,1],[3,1],[4,1]], y = [5,7,9,11] and a = [0,0], dL/da = "
        f"(2/4) * X.T @ (X@a - y) = {expected.tolist()}, got {grad.tolist()}"
        + (" (off by a factor of N = 4: divide by N)" if torch.allclose(grad, 4 * expected) else "")
    )


def test_zero_at_the_fit():
    grad = matrix_grad(X, Y, torch.tensor([2.0, 3.0]))
    assert torch.allclose(grad, torch.zeros(2)), (
        f"a = [2, 3] fits y exactly, so dL/da = 0; got {grad.tolist()}"
    )


def test_no_graph_when_a_requires_grad():
    a = torch.tensor([1.0, -1.0], requires_grad=True)
    grad = matrix_grad(X, Y, a)
    assert grad.grad_fn is None and not grad.requires_grad, (
        "the result carries an autograd graph: compute under torch.no_grad() (or detach)"
    )
