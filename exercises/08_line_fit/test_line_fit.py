"""Public tests for 08_line_fit/line_fit. Run them with: pytest exercises/08_line_fit/test_line_fit.py"""

import torch
from line_fit import fit_line

# three points on the line y = 3·u + 2, with the column of ones beside the inputs u
X = torch.tensor([[-1.0, 1.0], [0.0, 1.0], [1.0, 1.0]])
Y = torch.tensor([-1.0, 2.0, 5.0])


def test_one_step():
    a = fit_line(X, Y, 0.1, 1)
    expected = torch.tensor([-1.0 + 0.1 * 16 / 3, 1.0 + 0.1 * 2])
    assert torch.allclose(a, expected, atol=1e-5), (
        f"one step from a = [-1, 1] with lr 0.1 should give {expected.tolist()}, got {a.tolist()}. "
        "At the start x @ a = [2, 1, 0], the errors x @ a − y are [3, -1, -5] and the gradient of the "
        "mean squared error, (2/N)·xᵀ(x @ a − y), is [-16/3, -2]."
    )


def test_finds_the_line():
    a = fit_line(X, Y, 0.3, 100)
    assert torch.allclose(a, torch.tensor([3.0, 2.0]), atol=1e-4), (
        f"after 100 steps with lr 0.3 the fit should reach slope 3 and intercept 2, got {a.tolist()}"
    )


def test_returns_a_plain_detached_tensor_in_the_dtype_of_x():
    a = fit_line(X.double(), Y.double(), 0.1, 3)
    assert type(a) is torch.Tensor, (
        f"return a detached copy of a (a.detach().clone()), a plain tensor, not a {type(a).__name__}"
    )
    assert not a.requires_grad, "the result still requires grad: return a.detach().clone()"
    assert a.dtype == torch.float64 and a.shape == (2,), (
        f"for float64 x, a should be float64 of shape (2,), got {a.dtype} of shape {tuple(a.shape)}"
    )
