"""Public tests for 01_autograd/vjp. Run them with: pytest exercises/01_autograd/test_vjp.py"""

import torch
from vjp import vjp

A = torch.tensor([[1.0, 2.0], [3.0, 4.0]])


def rounded(t):
    """A tensor's values as a list, rounded for reading (float32 shows 0.65 as 0.6499999761581421)."""
    return torch.round(t.detach().double(), decimals=6).tolist()


def check_result(result, expected, text, *, v_missing=None, j_times_v=None, old_grad=None):
    """result is a plain tensor with x's dtype and shape, equal to expected; name the classic slips."""
    assert isinstance(result, torch.Tensor), f"vjp should return a tensor, got {type(result).__name__}"
    assert result.dtype == expected.dtype and result.shape == expected.shape, (
        f"{text}: the result should have the dtype and shape of x ({expected.dtype}, "
        f"{tuple(expected.shape)}), got {result.dtype}, {tuple(result.shape)}"
    )
    assert not result.requires_grad and result.grad_fn is None, (
        f"{text}: vjp returned a tensor that still carries an autograd graph: return a plain tensor "
        "(leaf.grad, or .detach() of what torch.autograd.grad gives)"
    )
    if torch.allclose(result, expected):
        return
    why = "the values are off"
    if old_grad is not None and torch.allclose(result, expected + old_grad):
        why = ("your result includes the .grad that x already held: backward accumulates into .grad, "
               "so run it on a fresh copy of x, or use torch.autograd.grad")
    elif j_times_v is not None and torch.allclose(result, j_times_v):
        why = "you computed J·v (the Jacobian times v); backward gives vᵀ·J, that is Jᵀ·v"
    elif v_missing is not None and torch.allclose(result, v_missing):
        why = "v is missing: that is the gradient of f(x).sum(), i.e. backward with v = ones"
    raise AssertionError(f"{text}: expected vᵀ·J = {rounded(expected)}, got {rounded(result)}. {why}")


def test_picks_a_row_of_the_jacobian():
    # f(x) = A @ x has Jacobian A; vᵀ·A with v = [1, 0] is A's first row
    result = vjp(lambda t: A @ t, torch.tensor([1.0, 1.0]), torch.tensor([1.0, 0.0]))
    check_result(result, torch.tensor([1.0, 2.0]), "f(x) = A @ x with A = [[1, 2], [3, 4]], v = [1, 0]",
                 v_missing=A.sum(0), j_times_v=A[:, 0])


def test_matches_what_backward_leaves_in_grad_in_float64():
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    v = torch.tensor([1.0, 2.0, -1.0], dtype=torch.float64)

    def f(t):
        return torch.tanh(t) * t.sum()

    leaf = x.clone().requires_grad_(True)
    f(leaf).backward(v)
    ones = x.clone().requires_grad_(True)
    f(ones).sum().backward()
    jacobian = torch.autograd.functional.jacobian(f, x)
    check_result(vjp(f, x, v), leaf.grad, f"f(x) = tanh(x)·x.sum(), x = {x.tolist()}, v = {v.tolist()}",
                 v_missing=ones.grad, j_times_v=jacobian @ v)


def test_a_scalar_f_takes_a_0d_v():
    # f(x) = ½·xᵀAx + bᵀx is one number, so v is 0-d: the answer is v·∇f = v·(½(A + Aᵀ)x + b)
    x = torch.tensor([1.0, -2.0], dtype=torch.float64)
    b = torch.tensor([0.5, 1.0], dtype=torch.float64)
    a = A.double()
    v = torch.tensor(-1.5, dtype=torch.float64)
    expected = v * (0.5 * (a + a.T) @ x + b)
    check_result(vjp(lambda t: 0.5 * t @ a @ t + b @ t, x, v), expected,
                 "f(x) = ½·xᵀAx + bᵀx (one number), v = -1.5 (a 0-d tensor)", v_missing=expected / v)


def test_leaves_x_as_it_was():
    def f(t):
        return t**2

    for requires_grad, old in [(False, None), (True, None), (True, [10.0, -20.0])]:
        x = torch.tensor([1.0, 2.0], requires_grad=requires_grad)
        if old is not None:
            x.grad = torch.tensor(old)
        text = f"x = [1, 2] (requires_grad={requires_grad}, .grad {old})"
        result = vjp(f, x, torch.ones(2))
        assert x.tolist() == [1.0, 2.0], f"{text}: vjp changed the values of x to {x.tolist()}"
        assert x.requires_grad == requires_grad, (
            f"{text}: vjp changed x.requires_grad from {requires_grad} to {x.requires_grad}: work on a "
            "detached copy, x.detach().clone().requires_grad_(True), never on the caller's x"
        )
        grad_after = None if x.grad is None else x.grad.tolist()
        assert grad_after == old, (
            f"{text}: vjp left x.grad changed, from {old} to {grad_after}: backward adds into the .grad "
            "of the tensor it runs on, so run it on a copy (or use torch.autograd.grad)"
        )
        check_result(result, torch.tensor([2.0, 4.0]), f"{text}, f(x) = x², v = [1, 1]",
                     old_grad=None if old is None else torch.tensor(old))
