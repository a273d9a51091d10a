"""Public tests for 03_gradients/finite_diff.

Run them with: pytest exercises/03_gradients/test_finite_diff.py
"""

import torch
from finite_diff import central_difference


def test_gradient_of_a_sum_of_squares():
    params = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64)
    grad = central_difference(lambda p: (p**2).sum(), params)
    expected = torch.tensor([2.0, -4.0, 6.0], dtype=torch.float64)  # exact for a quadratic
    assert isinstance(grad, torch.Tensor) and grad.shape == params.shape, (
        f"central_difference should return a tensor shaped like params {tuple(params.shape)}, got {grad!r}"
    )
    assert torch.allclose(grad, expected), (
        f"for f(p) = sum(p²) at p = {params.tolist()} the gradient is 2p = {expected.tolist()}, "
        f"got {grad.tolist()}. Central differences: (f(p + δeᵢ) − f(p − δeᵢ)) / (2δ)"
    )


def test_matrix_params_left_untouched():
    params = torch.tensor([[0.1, -0.7], [1.3, 2.9]], dtype=torch.float32)
    before = params.clone()
    grad = central_difference(lambda p: (p**3).sum(), params, 0.1)
    expected = 3 * before**2 + 0.1**2  # for x³ the formula gives 3x² + δ² exactly
    assert grad.dtype == torch.float32, f"float32 params in, float32 gradient out; got {grad.dtype}"
    assert torch.allclose(grad, expected, rtol=1e-3, atol=1e-4), (
        f"for f(p) = sum(p³) at p = {before.tolist()} with delta = 0.1 the formula gives 3p² + δ² = "
        f"{expected.tolist()}, got {grad.tolist()}. Perturb one element at a time, and use the delta "
        "passed in"
    )
    assert torch.equal(params, before), (
        f"params changed from {before.tolist()} to {params.tolist()}: perturb a copy "
        "(params.detach().clone()), never params itself"
    )


def test_zero_dim_params_and_no_graph():
    params = torch.tensor(2.0, requires_grad=True)
    grad = central_difference(lambda p: p**2 + 3 * p, params)
    assert grad.shape == (), f"a 0-d params needs a 0-d gradient, got shape {tuple(grad.shape)}"
    assert abs(grad.item() - 7.0) < 1e-2, f"d/dp (p² + 3p) at p = 2 is 7, got {grad.item()}"
    assert not grad.requires_grad and grad.grad_fn is None, (
        "the result still carries an autograd graph: compute under torch.no_grad() or on params.detach()"
    )
