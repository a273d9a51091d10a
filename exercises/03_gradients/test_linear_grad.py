"""Public tests for 03_gradients/linear_grad.

Run them with: pytest exercises/03_gradients/test_linear_grad.py
"""

import torch
from linear_grad import linear_grad

T_C = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
T_U = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


def test_the_chapters_first_gradient():
    grad = linear_grad(T_U, T_C, torch.tensor(1.0), torch.tensor(0.0))
    expected = torch.tensor([4517.2964, 82.6000])
    assert grad.shape == (2,), f"return one tensor of shape (2,), [dL/dw, dL/db]; got {tuple(grad.shape)}"
    hint = ""
    if torch.allclose(grad, expected * 11, rtol=1e-3):
        hint = " Off by a factor of N = 11: take the mean over the 11 points, not the sum."
    elif torch.allclose(grad, expected.flip(0), rtol=1e-3):
        hint = " The entries are swapped: w's gradient comes first."
    assert torch.allclose(grad, expected, rtol=1e-4), (
        f"with the temperature data, w = 1 and b = 0 the gradient is {expected.tolist()}, "
        f"got {grad.tolist()}.{hint}"
    )


def test_no_graph_when_w_and_b_require_grad():
    w = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    grad = linear_grad(T_U, T_C, w, b)
    assert grad.grad_fn is None and not grad.requires_grad, (
        "the result carries an autograd graph: compute it under torch.no_grad() (or detach it)"
    )
    assert w.grad is None and b.grad is None, "w.grad or b.grad was set: compute by hand, no backward()"


def test_float64_stays_float64():
    t_u, t_c = T_U.double(), T_C.double()
    grad = linear_grad(t_u, t_c, torch.tensor(1.0, dtype=torch.float64),
                       torch.tensor(0.0, dtype=torch.float64))
    assert grad.dtype == torch.float64, f"float64 inputs should give a float64 result, got {grad.dtype}"
