"""Public tests for 03_gradients/matrix_grad.

Run them with: pytest exercises/03_gradients/test_matrix_grad.py
"""

import torch
from matrix_grad import matrix_grad

# A line in the fast.ai notes' layout: column 0 holds the inputs, column 1 the ones.
X = torch.tensor([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [4.0, 1.0]])
Y = torch.tensor([5.0, 7.0, 9.0, 11.0])  # y = 2x + 3


def rounded(t):
    """A tensor's values as a list, rounded for reading (float32 shows 0.65 as 0.6499999761581421)."""
    return torch.round(t.detach().double(), decimals=6).tolist()


def check_gradient(grad, X, y, a, text):
    """grad is (2/N)·Xᵀ(X@a − y), shaped like a, in X's dtype, with no graph; name the classic slips."""
    n, d = X.shape
    assert isinstance(grad, torch.Tensor), f"{text}: matrix_grad should return a tensor, got {grad!r}"
    if grad.dim() == 2 and n > 1 and tuple(grad.shape) in ((d, n), (n, n), (n, d)):
        raise AssertionError(
            f"{text}: matrix_grad returned shape {tuple(grad.shape)}; expected ({d},): an (N,1) "
            "column met an (N,) vector and broadcast to an N×N matrix. Keep X @ a and y both of "
            "shape (N,), so the residual X @ a − y is (N,) too"
        )
    assert grad.shape == a.shape, f"{text}: return the shape of a, {tuple(a.shape)}; got {tuple(grad.shape)}"
    assert grad.dtype == X.dtype, f"{text}: {X.dtype} inputs should give a {X.dtype} result, got {grad.dtype}"
    assert not grad.requires_grad and grad.grad_fn is None, (
        f"{text}: the result carries an autograd graph: compute under torch.no_grad() (or detach a)"
    )
    X64, r = X.double(), X.double() @ a.detach().double() - y.double()
    right = 2 / n * X64.T @ r
    if torch.allclose(grad.double(), right, rtol=1e-5, atol=1e-5):
        return
    why = "the values are off"
    for wrong, label in [
        (right * n, f"off by a factor of N = {n}: a sum where the mean belongs (the loss is a mean over "
                    "the N rows, so divide by N)"),
        (right / 2, "half the expected values: the factor 2 from differentiating the square is missing"),
        (-right, "the sign is flipped: the residual is X@a − y, prediction minus target"),
        (right * n / d, f"divided by D = {d} where N = {n} belongs: the mean is over the rows of X"),
        (right / d, f"divided by N·D = {n * d} (every entry of X) where N = {n} belongs: the mean is over "
                    "the rows of X"),
        (2 * (r * X64).mean(0) if n == d else None,
         "(N,)-vs-(N,1) broadcasting: r * X multiplied column j by r[j]; the residual must weight the "
         "rows: use r[:, None] * X, or X.T @ r"),
    ]:
        if wrong is not None and torch.allclose(grad.double(), wrong, rtol=1e-5, atol=1e-5):
            why = label
            break
    raise AssertionError(f"{text}: expected (2/N)·Xᵀ(X@a − y) = {rounded(right)}, got {rounded(grad)}. {why}")


def test_a_line_by_hand():
    a = torch.tensor([0.0, 0.0])
    with torch.no_grad():  # by hand: no autograd needed, so it works under no_grad too
        grad = matrix_grad(X, Y, a)
    # residual X@a - y = -y; (2/4) * X.T @ (-y) = [-45, -16]
    check_gradient(grad, X, Y, a, "X = [[1,1],[2,1],[3,1],[4,1]], y = [5,7,9,11], a = [0,0]")
    assert torch.allclose(grad, torch.tensor([-45.0, -16.0])), f"expected [-45, -16], got {rounded(grad)}"
    zero = matrix_grad(X, Y, torch.tensor([2.0, 3.0]))
    assert torch.allclose(zero, torch.zeros(2)), (
        f"a = [2, 3] fits y exactly, so dL/da = 0; got {zero.tolist()}"
    )


def test_square_X_in_float64():
    # as many rows as columns (N = D = 3): the shape where broadcasting slips hide
    X3 = torch.tensor([[1.0, -2.0, 0.5], [3.0, 0.0, 1.0], [-1.0, 4.0, 2.0]], dtype=torch.float64)
    y3 = torch.tensor([2.0, -1.0, 5.0], dtype=torch.float64)
    a3 = torch.tensor([0.5, 1.0, -1.5], dtype=torch.float64)
    check_gradient(matrix_grad(X3, y3, a3), X3, y3, a3, "a 3×3 float64 X")


def test_no_graph_and_inputs_left_alone():
    a = torch.tensor([1.0, -1.0], requires_grad=True)
    X_before, Y_before = X.clone(), Y.clone()
    check_gradient(matrix_grad(X, Y, a), X, Y, a, "a = [1, -1] requiring grad")
    assert a.grad is None and a.requires_grad and a.tolist() == [1.0, -1.0], (
        f"matrix_grad changed a (its .grad is {a.grad}): compute by hand, not with backward()"
    )
    assert torch.equal(X, X_before) and torch.equal(Y, Y_before), "matrix_grad changed X or y"
