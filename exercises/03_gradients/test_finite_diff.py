"""Public tests for 03_gradients/finite_diff.

Run them with: pytest exercises/03_gradients/test_finite_diff.py
"""

import torch
from finite_diff import central_difference


def rounded(t):
    """A tensor's values as a list, rounded for reading (float32 shows 0.65 as 0.6499999761581421)."""
    return torch.round(t.detach().double(), decimals=6).tolist()


def sum_of_cubes(p):
    return (p**3).sum()


def check_cubes(grad, params, delta, text):
    """For f = sum(p³) the central formula gives exactly 3p² + δ²: name what else came out."""
    assert isinstance(grad, torch.Tensor) and grad.shape == params.shape, (
        f"{text}: central_difference should return a tensor shaped like params {tuple(params.shape)}, "
        f"got {grad!r}"
    )
    assert grad.dtype == params.dtype, (
        f"{text}: {params.dtype} params should give a {params.dtype} gradient, got {grad.dtype}: work in "
        "the dtype of the inputs (torch.zeros_like(params) keeps it; torch.zeros(params.shape) does not)"
    )
    p = params.detach().double()
    right = 3 * p**2 + delta**2
    size = 1e-3 if params.dtype == torch.float32 else 1e-9
    tolerance = {"rtol": size, "atol": size}
    if torch.allclose(grad.double(), right, **tolerance):
        return
    why = "the values are off"
    rows = (3 * p**2 + delta**2).sum(dim=-1, keepdim=True).expand_as(p) if p.dim() == 2 else None
    for wrong, label in [
        (3 * p**2 + 3 * p * delta + delta**2,
         "that is the forward difference (f(p+δeᵢ) − f(p)) / δ: use the central one, "
         "(f(p+δeᵢ) − f(p−δeᵢ)) / 2δ"),
        (2 * right, "twice the expected value: the factor 2 of the 2δ in (f(p+δeᵢ) − f(p−δeᵢ)) / 2δ is "
                    "missing"),
        (3 * p**2 + 1e-6, f"you used δ = 1e-3, not the delta passed in (here {delta})"),
        (rows, "you perturbed a whole row at once (params[i] of a matrix is a row): perturb one element at a "
               "time, e.g. through params.reshape(-1)[i] of a copy"),
    ]:
        if wrong is not None and torch.allclose(grad.double(), wrong, **tolerance):
            why = label
            break
    raise AssertionError(
        f"{text}: for f(p) = sum(p³) the formula gives 3p² + δ² = {rounded(right)}, got "
        f"{rounded(grad)}. {why}"
    )


def test_gradient_of_a_sum_of_squares():
    params = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64)
    grad = central_difference(lambda p: (p**2).sum(), params)  # delta left at its default, 1e-3
    expected = torch.tensor([2.0, -4.0, 6.0], dtype=torch.float64)  # exact for a quadratic
    assert isinstance(grad, torch.Tensor) and grad.shape == params.shape, (
        f"central_difference should return a tensor shaped like params {tuple(params.shape)}, got {grad!r}"
    )
    assert grad.dtype == torch.float64, (
        f"float64 params should give a float64 gradient, got {grad.dtype}: work in the dtype of the inputs "
        "(torch.zeros_like(params) keeps it; torch.zeros(params.shape) does not)"
    )
    if not torch.allclose(grad, expected, rtol=1e-9):
        why = "the values are off"
        if torch.allclose(grad, 2 * expected):
            why = "twice the expected value: the factor 2 of the 2δ in (f(p+δeᵢ) − f(p−δeᵢ)) / 2δ is missing"
        elif torch.allclose(grad, expected + 1e-3):
            why = ("that is the forward difference (f(p+δeᵢ) − f(p)) / δ, off by δ: use the central one, "
                   "(f(p+δeᵢ) − f(p−δeᵢ)) / 2δ")
        raise AssertionError(
            f"for f(p) = sum(p²) at p = {params.tolist()} the gradient is 2p = {rounded(expected)}, "
            f"got {rounded(grad)}. {why}"
        )


def test_matrix_params_one_element_at_a_time():
    params = torch.tensor([[0.1, -0.7], [1.3, 2.9]], dtype=torch.float32)
    before = params.clone()
    grad = central_difference(sum_of_cubes, params, 0.1)
    assert torch.equal(params, before), (
        f"central_difference changed the values of params from {before.tolist()} to {params.tolist()}: "
        "perturb a copy (params.detach().clone()); adding delta in place and subtracting it back rounds"
    )
    check_cubes(grad, params, 0.1, f"p = {rounded(before)} (float32), delta = 0.1")


def test_float64_with_the_delta_passed_in():
    params = torch.tensor([0.0, 1.0, -2.0], dtype=torch.float64)
    grad = central_difference(sum_of_cubes, params, 0.1)
    check_cubes(grad, params, 0.1, "p = [0, 1, -2] (float64), delta = 0.1")


def test_zero_dim_params_and_no_graph():
    params = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    params.grad = torch.tensor(-5.0, dtype=torch.float64)
    grad = central_difference(lambda p: p**2 + 3 * p, params)
    assert isinstance(grad, torch.Tensor) and grad.shape == (), (
        f"a 0-d params needs a 0-d gradient, got {grad!r}"
    )
    assert not grad.requires_grad and grad.grad_fn is None, (
        "the result still carries an autograd graph: compute under torch.no_grad() or on params.detach()"
    )
    assert abs(grad.item() - 7.0) < 1e-6, f"d/dp (p² + 3p) at p = 2 is 7, got {grad.item()}"
    assert params.item() == 2.0 and params.requires_grad and params.grad.item() == -5.0, (
        "central_difference changed params (its values, requires_grad or .grad): perturb a detached copy"
    )
