"""Public tests for 03_gradients/linear_grad.

Run them with: pytest exercises/03_gradients/test_linear_grad.py
"""

import torch
from linear_grad import linear_grad

T_C = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
T_U = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


def rounded(t):
    """A tensor's values as a list, rounded for reading (float32 shows 0.65 as 0.6499999761581421)."""
    return torch.round(t.detach().double(), decimals=6).tolist()


def check_gradient(grad, t_u, t_c, w, b, text):
    """grad is [mean(2(t_p − t_c)·t_u), mean(2(t_p − t_c))] in t_u's dtype; name the classic slips."""
    assert isinstance(grad, torch.Tensor) and grad.shape == (2,), (
        f"{text}: return one tensor of shape (2,), [dL/dw, dL/db]; got {grad!r}"
    )
    assert grad.dtype == t_u.dtype, (
        f"{text}: {t_u.dtype} inputs should give a {t_u.dtype} result, got {grad.dtype}"
    )
    assert not grad.requires_grad and grad.grad_fn is None, (
        f"{text}: the result carries an autograd graph: compute it under torch.no_grad() (or detach w and b)"
    )
    u, c = t_u.double(), t_c.double()
    r = float(w.detach()) * u + float(b.detach()) - c
    right = torch.stack([(2 * r * u).mean(), (2 * r).mean()])
    if torch.allclose(grad.double(), right, rtol=1e-4):
        return
    why = "the values are off"
    n = len(t_u)
    for wrong, label in [
        (right * n, f"off by a factor of N = {n}: a sum where the mean belongs (the loss is a mean, so "
                    "are its derivatives)"),
        (right / 2, "half the expected values: the factor 2 from differentiating the square is missing"),
        (-right, "the sign is flipped: the residual is t_p − t_c, prediction minus target"),
        (right.flip(0), "the two entries are swapped: return [∂L/∂w, ∂L/∂b], w first"),
        (torch.stack([(2 * r).mean(), (2 * r).mean()]),
         "∂L/∂w is missing its factor t_u (∂t_p/∂w = t_u, ∂t_p/∂b = 1)"),
    ]:
        if torch.allclose(grad.double(), wrong, rtol=1e-4):
            why = label
            break
    raise AssertionError(f"{text}: expected [∂L/∂w, ∂L/∂b] = {rounded(right)}, got {rounded(grad)}. {why}")


def test_the_chapters_first_gradient():
    # the temperature chapter prints Grad: tensor([4517.2964, 82.6000]) for w = 1, b = 0
    w, b = torch.tensor(1.0), torch.tensor(0.0)
    with torch.no_grad():  # by hand: no autograd needed, so it works under no_grad too
        grad = linear_grad(T_U, T_C, w, b)
    check_gradient(grad, T_U, T_C, w, b, "the temperature data, w = 1, b = 0")
    assert torch.allclose(grad, torch.tensor([4517.2964, 82.6000])), f"expected [4517.2964, 82.6], got {grad}"


def test_float64_and_negative_values():
    t_u = torch.tensor([-40.0, -12.5, 3.0, 20.0, -7.25], dtype=torch.float64)
    t_c = torch.tensor([-40.0, -25.0, -16.0, -6.5, -22.0], dtype=torch.float64)
    w, b = torch.tensor(-1.25, dtype=torch.float64), torch.tensor(-30.0, dtype=torch.float64)
    check_gradient(linear_grad(t_u, t_c, w, b), t_u, t_c, w, b, "float64 data, w = -1.25, b = -30")


def test_no_graph_and_inputs_left_alone():
    w = torch.tensor(0.5, requires_grad=True)
    b = torch.tensor(-1.0, requires_grad=True)
    t_u, t_c = T_U[:5].clone(), T_C[:5].clone()
    grad = linear_grad(t_u, t_c, w, b)
    check_gradient(grad, t_u, t_c, w, b, "w = 0.5 and b = -1 requiring grad")
    for name, tensor, before in [("t_u", t_u, T_U[:5]), ("t_c", t_c, T_C[:5]),
                                 ("w", w, torch.tensor(0.5)), ("b", b, torch.tensor(-1.0))]:
        assert torch.equal(tensor.detach(), before), f"linear_grad changed the values of {name}"
        assert tensor.grad is None, (
            f"linear_grad left {name}.grad changed (it is {tensor.grad}): compute the gradient by hand, "
            "with tensor arithmetic, not with backward()"
        )
    plain_w = torch.tensor(0.5)
    linear_grad(t_u, t_c, plain_w, torch.tensor(-1.0))
    assert not plain_w.requires_grad, (
        "linear_grad changed w.requires_grad from False to True: compute the gradient by hand, with "
        "tensor arithmetic, not with autograd on the caller's tensors"
    )
